import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SignJWT } from "jose";
import { afterAll, describe, expect, it } from "vitest";
import { createAuthVerifier, parseWsAuthFlags } from "./auth.js";
import type { WsAuthConfig } from "./auth.js";

const dir = mkdtempSync(join(tmpdir(), "gatehouse-auth-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const request = (authorization?: string): IncomingMessage => ({ headers: authorization === undefined ? {} : { authorization } }) as IncomingMessage;

const SECRET = "s".repeat(40);
const now = (): number => Math.floor(Date.now() / 1000);

async function jwt(claims: Record<string, unknown>, secret = SECRET): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "JWT" }).sign(new TextEncoder().encode(secret));
}

describe("parseWsAuthFlags", () => {
  it("returns undefined when no auth flag is given and ignores unrelated keys", () => {
    expect(parseWsAuthFlags({})).toBeUndefined();
    expect(parseWsAuthFlags({ listen: "ws://127.0.0.1:1", "ws-allow-origin": "http://x" })).toBeUndefined();
  });

  it("parses capability-token with a token file or a digest, with or without leading dashes", () => {
    expect(parseWsAuthFlags({ "ws-auth": "capability-token", "ws-token-file": "/etc/token" })).toEqual({
      mode: "capability-token",
      token: { kind: "file", path: "/etc/token" },
    });
    expect(parseWsAuthFlags({ "--ws-auth": "capability-token", "--ws-token-sha256": "AB".repeat(32) })).toEqual({
      mode: "capability-token",
      token: { kind: "sha256", hex: "ab".repeat(32) },
    });
  });

  it("parses signed-bearer-token with defaults and trimmed claims", () => {
    expect(parseWsAuthFlags({ "ws-auth": "signed-bearer-token", "ws-shared-secret-file": "/s" })).toEqual({
      mode: "signed-bearer-token",
      sharedSecretFile: "/s",
      issuer: undefined,
      audience: undefined,
      maxClockSkewSeconds: 30,
    });
    expect(
      parseWsAuthFlags({
        "ws-auth": "signed-bearer-token",
        "ws-shared-secret-file": "/s",
        "ws-issuer": " iss ",
        "ws-audience": "  ",
        "ws-max-clock-skew-seconds": "5",
      }),
    ).toEqual({ mode: "signed-bearer-token", sharedSecretFile: "/s", issuer: "iss", audience: undefined, maxClockSkewSeconds: 5 });
  });

  it.each<[Record<string, string>, RegExp]>([
    [{ "ws-token-file": "/t" }, /--ws-token-file require --ws-auth capability-token or --ws-auth signed-bearer-token/],
    [{ "ws-auth": "capability-token" }, /needs --ws-token-file PATH or --ws-token-sha256 HEX/],
    [{ "ws-auth": "capability-token", "ws-token-file": "/t", "ws-token-sha256": "a".repeat(64) }, /not both/],
    [{ "ws-auth": "capability-token", "ws-token-sha256": "abc" }, /64 hex digits/],
    [{ "ws-auth": "capability-token", "ws-token-file": "relative/t" }, /--ws-token-file must be an absolute path/],
    [{ "ws-auth": "capability-token", "ws-token-file": "/t", "ws-issuer": "x" }, /--ws-issuer require --ws-auth signed-bearer-token/],
    [{ "ws-auth": "signed-bearer-token" }, /needs --ws-shared-secret-file PATH/],
    [{ "ws-auth": "signed-bearer-token", "ws-shared-secret-file": "/s", "ws-token-file": "/t" }, /--ws-token-file require --ws-auth capability-token/],
    [{ "ws-auth": "signed-bearer-token", "ws-shared-secret-file": "/s", "ws-max-clock-skew-seconds": "-1" }, /whole number/],
    [{ "ws-auth": "password" }, /must be capability-token or signed-bearer-token, got "password"/],
  ])("refuses %j", (flags, message) => {
    expect(() => parseWsAuthFlags(flags)).toThrow(message);
  });
});

describe("capability token verifier", () => {
  const tokenFile = file("token", "  correct-horse-battery\n");

  it("accepts the token from the file (trimmed) and refuses others", async () => {
    const verify = createAuthVerifier({ mode: "capability-token", token: { kind: "file", path: tokenFile } });
    expect(await verify(request("Bearer correct-horse-battery"))).toEqual({ ok: true });
    expect(await verify(request("bearer   correct-horse-battery  "))).toEqual({ ok: true });
    expect(await verify(request("Bearer correct-horse-batter"))).toEqual({ ok: false, reason: "invalid bearer token" });
    expect(await verify(request("Bearer correct-horse-battery-and-more"))).toEqual({ ok: false, reason: "invalid bearer token" });
    expect(await verify(request())).toEqual({ ok: false, reason: expect.stringContaining("missing bearer token") });
    expect(await verify(request("Basic abc"))).toEqual({ ok: false, reason: expect.stringContaining("expected Bearer") });
    expect(await verify(request("Bearer    "))).toEqual({ ok: false, reason: expect.stringContaining("empty bearer token") });
  });

  it("accepts the token whose SHA-256 matches --ws-token-sha256", async () => {
    const hex = createHash("sha256").update("digest-only-token").digest("hex");
    const verify = createAuthVerifier({ mode: "capability-token", token: { kind: "sha256", hex } });
    expect(await verify(request("Bearer digest-only-token"))).toEqual({ ok: true });
    expect(await verify(request("Bearer " + hex))).toEqual({ ok: false, reason: "invalid bearer token" });
  });

  it("fails at creation on a missing or empty token file", () => {
    expect(() => createAuthVerifier({ mode: "capability-token", token: { kind: "file", path: join(dir, "absent") } })).toThrow(/cannot read --ws-token-file/);
    expect(() => createAuthVerifier({ mode: "capability-token", token: { kind: "file", path: file("empty", " \n") } })).toThrow(/is empty/);
  });
});

describe("signed bearer token verifier", () => {
  const secretFile = file("secret", `${SECRET}\n`);
  const config = (extra: Partial<Extract<WsAuthConfig, { mode: "signed-bearer-token" }>> = {}): WsAuthConfig => ({
    mode: "signed-bearer-token",
    sharedSecretFile: secretFile,
    issuer: undefined,
    audience: undefined,
    maxClockSkewSeconds: 30,
    ...extra,
  });

  it("accepts a valid HS256 token", async () => {
    const verify = createAuthVerifier(config());
    expect(await verify(request(`Bearer ${await jwt({ exp: now() + 60 })}`))).toEqual({ ok: true });
  });

  it("refuses a token signed with another secret", async () => {
    const verify = createAuthVerifier(config());
    const token = await jwt({ exp: now() + 60 }, "t".repeat(40));
    expect(await verify(request(`Bearer ${token}`))).toEqual({ ok: false, reason: "bearer token signature is invalid" });
  });

  it("refuses an expired token, allowing the configured skew", async () => {
    const expired = await jwt({ exp: now() - 120 });
    expect(await createAuthVerifier(config())(request(`Bearer ${expired}`))).toEqual({ ok: false, reason: "bearer token has expired" });
    expect(await createAuthVerifier(config({ maxClockSkewSeconds: 600 }))(request(`Bearer ${expired}`))).toEqual({ ok: true });
  });

  it("refuses a token that is not valid yet, allowing the configured skew", async () => {
    const early = await jwt({ exp: now() + 3600, nbf: now() + 120 });
    expect(await createAuthVerifier(config())(request(`Bearer ${early}`))).toEqual({ ok: false, reason: "bearer token is not valid yet" });
    expect(await createAuthVerifier(config({ maxClockSkewSeconds: 600 }))(request(`Bearer ${early}`))).toEqual({ ok: true });
  });

  it("checks issuer and audience when configured", async () => {
    const verify = createAuthVerifier(config({ issuer: "gatehouse-issuer", audience: "gatehouse" }));
    const good = await jwt({ exp: now() + 60, iss: "gatehouse-issuer", aud: ["other", "gatehouse"] });
    const wrongIss = await jwt({ exp: now() + 60, iss: "someone-else", aud: "gatehouse" });
    const wrongAud = await jwt({ exp: now() + 60, iss: "gatehouse-issuer", aud: "other" });
    expect(await verify(request(`Bearer ${good}`))).toEqual({ ok: true });
    expect(await verify(request(`Bearer ${wrongIss}`))).toEqual({ ok: false, reason: "bearer token issuer mismatch" });
    expect(await verify(request(`Bearer ${wrongAud}`))).toEqual({ ok: false, reason: "bearer token audience mismatch" });
  });

  it("requires exp and HS256, and refuses garbage", async () => {
    const verify = createAuthVerifier(config());
    const noExp = await jwt({ sub: "x" });
    expect(await verify(request(`Bearer ${noExp}`))).toEqual({ ok: false, reason: "bearer token has no valid exp claim" });
    const unsigned = `${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from(`{"exp":${now() + 60}}`).toString("base64url")}.`;
    expect((await verify(request(`Bearer ${unsigned}`))).ok).toBe(false);
    const hs512 = await new SignJWT({ exp: now() + 60 }).setProtectedHeader({ alg: "HS512" }).sign(new TextEncoder().encode(SECRET));
    expect(await verify(request(`Bearer ${hs512}`))).toEqual({ ok: false, reason: "bearer token must be signed with HS256" });
    expect(await verify(request("Bearer not.a.jwt"))).toEqual({ ok: false, reason: "malformed bearer token" });
  });

  it("refuses a shared secret shorter than 32 bytes at creation", () => {
    expect(() => createAuthVerifier(config({ sharedSecretFile: file("short", "short-secret") }))).toThrow(/at least 32/);
  });
});
