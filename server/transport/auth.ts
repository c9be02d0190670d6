// WebSocket upgrade authentication, with the reference's flags (Codex transport/auth.rs):
//   --ws-auth capability-token    --ws-token-file PATH | --ws-token-sha256 HEX
//   --ws-auth signed-bearer-token --ws-shared-secret-file PATH [--ws-issuer S] [--ws-audience S]
//                                 [--ws-max-clock-skew-seconds N (default 30)]
// The client presents `Authorization: Bearer <token>` on the upgrade request.
//
// Invariants:
// - Flag parsing is pure and rejects every inconsistent combination with a message naming the flags, so
//   a typo never silently turns auth off.
// - Secrets are read once, when the verifier is created (startup fails early on a missing or empty
//   file). A capability token is kept only as its SHA-256 digest, and the presented token is compared
//   by digest with crypto.timingSafeEqual, so neither content nor length leaks through timing.
// - Signed bearer tokens are HS256 JWTs (only HS256 is accepted, so "none" and key-confusion tricks
//   fail), must carry `exp`, and are checked for exp/nbf with the configured skew and, when configured,
//   for iss and aud. The shared secret must be at least 32 bytes, as in the reference.
// - Failure reasons are short and never echo the token.
import { createHash, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { isAbsolute } from "node:path";
import { errors as joseErrors, jwtVerify } from "jose";

export const DEFAULT_MAX_CLOCK_SKEW_SECONDS = 30;
export const MIN_SHARED_SECRET_BYTES = 32;

export type WsAuthConfig =
  | {
      mode: "capability-token";
      token: { kind: "file"; path: string } | { kind: "sha256"; hex: string };
    }
  | {
      mode: "signed-bearer-token";
      sharedSecretFile: string;
      issuer: string | undefined;
      audience: string | undefined;
      maxClockSkewSeconds: number;
    };

export type AuthResult = { ok: true } | { ok: false; reason: string };
export type AuthVerifier = (req: IncomingMessage) => Promise<AuthResult>;

const AUTH_FLAGS = ["ws-auth", "ws-token-file", "ws-token-sha256", "ws-shared-secret-file", "ws-issuer", "ws-audience", "ws-max-clock-skew-seconds"] as const;
type AuthFlag = (typeof AUTH_FLAGS)[number];

/**
 * Reads the --ws-* auth flags (keys with or without the leading "--"; other keys are ignored).
 * Returns undefined when no auth is configured; throws an Error naming the flags when they are inconsistent.
 */
export function parseWsAuthFlags(flags: Record<string, string | undefined>): WsAuthConfig | undefined {
  const value = (name: AuthFlag): string | undefined => flags[name] ?? flags[`--${name}`];
  const given = (name: AuthFlag): boolean => value(name) !== undefined;
  const mode = value("ws-auth");

  if (mode === undefined) {
    const stray = AUTH_FLAGS.filter(given);
    if (stray.length > 0) {
      throw new Error(`${stray.map((f) => `--${f}`).join(", ")} require --ws-auth capability-token or --ws-auth signed-bearer-token`);
    }
    return undefined;
  }

  if (mode === "capability-token") {
    const signedOnly = (["ws-shared-secret-file", "ws-issuer", "ws-audience", "ws-max-clock-skew-seconds"] as const).filter(given);
    if (signedOnly.length > 0) {
      throw new Error(`${signedOnly.map((f) => `--${f}`).join(", ")} require --ws-auth signed-bearer-token, not capability-token`);
    }
    const file = value("ws-token-file");
    const sha = value("ws-token-sha256");
    if (file !== undefined && sha !== undefined) {
      throw new Error("--ws-token-file and --ws-token-sha256 are alternatives: give one of them, not both");
    }
    if (file !== undefined) {
      return { mode, token: { kind: "file", path: absolutePath("--ws-token-file", file) } };
    }
    if (sha !== undefined) {
      const hex = sha.trim().toLowerCase();
      if (!/^[0-9a-f]{64}$/.test(hex)) {
        throw new Error("--ws-token-sha256 must be the 64 hex digits of the token's SHA-256 digest");
      }
      return { mode, token: { kind: "sha256", hex } };
    }
    throw new Error("--ws-auth capability-token needs --ws-token-file PATH or --ws-token-sha256 HEX");
  }

  if (mode === "signed-bearer-token") {
    const capabilityOnly = (["ws-token-file", "ws-token-sha256"] as const).filter(given);
    if (capabilityOnly.length > 0) {
      throw new Error(`${capabilityOnly.map((f) => `--${f}`).join(", ")} require --ws-auth capability-token, not signed-bearer-token`);
    }
    const secretFile = value("ws-shared-secret-file");
    if (secretFile === undefined) {
      throw new Error("--ws-auth signed-bearer-token needs --ws-shared-secret-file PATH");
    }
    const skewText = value("ws-max-clock-skew-seconds");
    let maxClockSkewSeconds = DEFAULT_MAX_CLOCK_SKEW_SECONDS;
    if (skewText !== undefined) {
      if (!/^\d+$/.test(skewText.trim())) {
        throw new Error(`--ws-max-clock-skew-seconds must be a whole number of seconds, got "${skewText}"`);
      }
      maxClockSkewSeconds = Number(skewText.trim());
    }
    return {
      mode,
      sharedSecretFile: absolutePath("--ws-shared-secret-file", secretFile),
      issuer: nonEmpty(value("ws-issuer")),
      audience: nonEmpty(value("ws-audience")),
      maxClockSkewSeconds,
    };
  }

  throw new Error(`--ws-auth must be capability-token or signed-bearer-token, got "${mode}"`);
}

/** Builds the upgrade-request check for a config; reads secret files now and throws if they are unusable. */
export function createAuthVerifier(config: WsAuthConfig): AuthVerifier {
  switch (config.mode) {
    case "capability-token": {
      const expected = config.token.kind === "file" ? sha256(readSecret(config.token.path, "--ws-token-file")) : Buffer.from(config.token.hex, "hex");
      return (req) => {
        const token = bearerToken(req);
        if (!token.ok) {
          return Promise.resolve(token);
        }
        return Promise.resolve(timingSafeEqual(sha256(token.token), expected) ? { ok: true } : { ok: false, reason: "invalid bearer token" });
      };
    }
    case "signed-bearer-token": {
      const secret = Buffer.from(readSecret(config.sharedSecretFile, "--ws-shared-secret-file"), "utf8");
      if (secret.length < MIN_SHARED_SECRET_BYTES) {
        throw new Error(
          `the shared secret in ${config.sharedSecretFile} is ${secret.length} bytes; --ws-shared-secret-file needs at least ${MIN_SHARED_SECRET_BYTES}`,
        );
      }
      const key = new Uint8Array(secret);
      return async (req) => {
        const token = bearerToken(req);
        if (!token.ok) {
          return token;
        }
        try {
          await jwtVerify(token.token, key, {
            algorithms: ["HS256"],
            clockTolerance: config.maxClockSkewSeconds,
            requiredClaims: ["exp"],
            ...(config.issuer !== undefined ? { issuer: config.issuer } : {}),
            ...(config.audience !== undefined ? { audience: config.audience } : {}),
          });
          return { ok: true };
        } catch (err) {
          return { ok: false, reason: jwtFailureReason(err) };
        }
      };
    }
  }
}

function jwtFailureReason(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) {
    return "bearer token has expired";
  }
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    switch (err.claim) {
      case "nbf":
        return "bearer token is not valid yet";
      case "iss":
        return "bearer token issuer mismatch";
      case "aud":
        return "bearer token audience mismatch";
      case "exp":
        return "bearer token has no valid exp claim";
      default:
        return `bearer token claim ${err.claim} is invalid`;
    }
  }
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) {
    return "bearer token signature is invalid";
  }
  if (err instanceof joseErrors.JOSEAlgNotAllowed) {
    return "bearer token must be signed with HS256";
  }
  return "malformed bearer token";
}

function bearerToken(req: IncomingMessage): { ok: true; token: string } | { ok: false; reason: string } {
  const header = req.headers.authorization;
  if (header === undefined) {
    return { ok: false, reason: "missing bearer token (send Authorization: Bearer <token>)" };
  }
  const space = header.indexOf(" ");
  if (space === -1 || header.slice(0, space).toLowerCase() !== "bearer") {
    return { ok: false, reason: "invalid authorization header: expected Bearer <token>" };
  }
  const token = header.slice(space + 1).trim();
  if (token === "") {
    return { ok: false, reason: "invalid authorization header: empty bearer token" };
  }
  return { ok: true, token };
}

function readSecret(path: string, flag: string): string {
  let raw: string;
  try {
    raw = readFileSync(path, "utf8");
  } catch (err) {
    throw new Error(`cannot read ${flag} ${path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const trimmed = raw.trim();
  if (trimmed === "") {
    throw new Error(`${flag} ${path} is empty`);
  }
  return trimmed;
}

function sha256(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

function absolutePath(flag: string, path: string): string {
  if (!isAbsolute(path)) {
    throw new Error(`${flag} must be an absolute path, got "${path}"`);
  }
  return path;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === "" ? undefined : trimmed;
}
