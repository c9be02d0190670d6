// Honest denial reports. When a wrapped command fails because the sandbox refused something, the
// result says so as data ({kind, path?, operation?, message}) and as one human line the caller appends
// to the output the client and the model see (the wire has no reason field). The approval layer uses
// the same data to offer a re-run outside the sandbox.
//
// Detection follows the reference's heuristic and adds the path and the reason:
//  - never for an unsandboxed command or exit code 0;
//  - a bwrap set-up failure (no exit-code document on --json-status-fd) is always a denial;
//  - output naming EROFS / EACCES / EBUSY / EXDEV / EPERM (or the words sandbox, seccomp, landlock,
//    "failed to write file") is a denial; the first such line gives the path;
//  - with the network cut, the usual connection and resolver failures are a network denial;
//  - otherwise exit codes 2, 126, 127 are the command's own failures, 159 (SIGSYS) is a denial.
// The text is a best-effort explanation: it never changes the exit code or the captured output.
import type { PlannedRule } from "./bwrapPlan.js";
import { accessForPath } from "./fileSystemAccess.js";
import { isUnderOrEqual, normalizeAbsolute } from "./paths.js";

export type SandboxDenialKind = "write" | "read" | "network" | "syscall" | "setup" | "protected-created";

export interface SandboxDenial {
  readonly kind: SandboxDenialKind;
  readonly path?: string;
  readonly operation?: string;
  /** One line, starting with "sandbox: ". */
  readonly message: string;
}

export interface DenialContext {
  readonly sandboxed: boolean;
  /** "workspace-write", "read-only", a profile id… */
  readonly policyLabel: string;
  readonly cwd: string;
  readonly writableRoots: readonly string[];
  readonly rules: readonly PlannedRule[];
  readonly networkIsolated: boolean;
  /** Isolated except for the daemon's managed proxy (the proxy variables in the environment lead out). */
  readonly managedProxy?: boolean;
}

const ERRNO_PATTERNS: readonly { re: RegExp; errno: "EROFS" | "EACCES" | "EBUSY" | "EXDEV" | "EPERM" }[] = [
  { re: /read-only file system|\bEROFS\b/i, errno: "EROFS" },
  { re: /permission denied|\bEACCES\b/i, errno: "EACCES" },
  { re: /device or resource busy|\bEBUSY\b/i, errno: "EBUSY" },
  { re: /invalid cross-device link|\bEXDEV\b/i, errno: "EXDEV" },
  { re: /operation not permitted|\bEPERM\b/i, errno: "EPERM" },
];

const GENERIC_KEYWORDS = /\bseccomp\b|\bsandbox\b|\blandlock\b|failed to write file/i;

const NETWORK_FAILURE =
  /could not resolve host|couldn't resolve host|temporary failure in name resolution|name or service not known|EAI_AGAIN|ENOTFOUND|network is unreachable|ENETUNREACH|connection refused|ECONNREFUSED|couldn't connect to server|failed to connect/i;

const UNIX_SOCKET_HINT = /\.sock\b|AF_UNIX|unix socket|PF_UNIX/i;

/**
 * The path a typical tool error line names: the first quoted string, else the token right before
 * ": <error text>" (`bash: line 1: /x: Read-only file system`), else the first path-like token.
 */
export function extractPath(line: string, errorText?: RegExp): string | undefined {
  const quoted = /['"‘“`]([^'"’”`]+)['"’”`]/.exec(line);
  if (quoted?.[1]) return quoted[1];
  if (errorText !== undefined) {
    const m = errorText.exec(line);
    if (m !== null) {
      const before = line.slice(0, m.index).replace(/:\s*$/, "");
      const token = /(?:^|[\s:])([^\s:]+)$/.exec(before);
      if (token?.[1] && token[1] !== "1" && !/^line$/.test(token[1])) return token[1];
    }
  }
  const token = /(?:^|[\s(])((?:\/|\.{1,2}\/)[^\s:'"),]*)/.exec(line);
  return token?.[1];
}

function whyWriteDenied(path: string, ctx: DenialContext): string {
  const hit = ctx.rules.filter((r) => isUnderOrEqual(path, r.path) && r.access !== "write").sort((a, b) => b.path.length - a.path.length)[0];
  const access = accessForPath(ctx.rules, path);
  if (access === "write") return "read-only in the sandbox";
  if (hit && hit.access === "none") return `denied path: ${hit.reason}`;
  if (hit && ctx.writableRoots.some((w) => isUnderOrEqual(hit.path, w) && hit.path !== w)) return `protected: ${hit.reason}`;
  return `outside the writable roots of ${ctx.policyLabel}`;
}

function lineWith(text: string, re: RegExp): string | undefined {
  return text.split(/\r?\n/).find((l) => re.test(l));
}

export function formatDenial(d: SandboxDenial): string {
  return d.message;
}

/** A set-up failure reported by bwrap itself: the command never started. */
export function setupFailureDenial(bwrapStderr: string): SandboxDenial {
  const line = bwrapStderr.split(/\r?\n/).find((l) => l.startsWith("bwrap: ")) ?? bwrapStderr.trim().split(/\r?\n/)[0] ?? "";
  return {
    kind: "setup",
    message: `sandbox: the sandbox could not be set up (${line.replace(/^bwrap: /, "") || "bubblewrap failed"}); the command did not run`,
  };
}

export function protectedCreatedDenial(path: string): SandboxDenial {
  return {
    kind: "protected-created",
    path,
    operation: "create",
    message: `sandbox: ${path} was created by the command and has been removed (protected paths stay read-only)`,
  };
}

export interface DenialInput {
  readonly context: DenialContext;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function detectSandboxDenial(input: DenialInput): SandboxDenial | undefined {
  const { context: ctx, exitCode } = input;
  if (!ctx.sandboxed || exitCode === 0) return undefined;
  const text = `${input.stderr}\n${input.stdout}`;

  for (const { re, errno } of ERRNO_PATTERNS) {
    const line = lineWith(text, re);
    if (line === undefined) continue;
    const raw = extractPath(line, re);
    const path = raw === undefined ? undefined : normalizeAbsolute(raw, ctx.cwd);
    switch (errno) {
      case "EROFS":
      case "EBUSY":
      case "EXDEV": {
        const operation = errno === "EROFS" ? "write" : errno === "EBUSY" ? "remove or rename" : "link";
        if (path === undefined) return { kind: "write", operation, message: `sandbox: ${operation} denied (read-only in the sandbox)` };
        return {
          kind: "write",
          path,
          operation,
          message: `sandbox: ${operation} ${errno === "EROFS" ? "to" : "of"} ${path} denied (${whyWriteDenied(path, ctx)})`,
        };
      }
      case "EACCES": {
        if (path !== undefined && accessForPath(ctx.rules, path) === "none" && ctx.rules.length > 0) {
          const hit = ctx.rules.filter((r) => isUnderOrEqual(path, r.path)).sort((a, b) => b.path.length - a.path.length)[0];
          return {
            kind: "read",
            path,
            operation: "read",
            message: `sandbox: access to ${path} denied (${hit?.access === "none" ? `denied path: ${hit.reason}` : `not readable under ${ctx.policyLabel}`})`,
          };
        }
        if (path !== undefined && accessForPath(ctx.rules, path) !== "write" && ctx.rules.length > 0) {
          return { kind: "write", path, operation: "write", message: `sandbox: write to ${path} denied (${whyWriteDenied(path, ctx)})` };
        }
        return {
          kind: "read",
          ...(path === undefined ? {} : { path }),
          operation: "access",
          message: `sandbox: permission denied${path === undefined ? "" : ` on ${path}`} (the sandbox may have refused it)`,
        };
      }
      case "EPERM": {
        if (UNIX_SOCKET_HINT.test(line) || /\bsocket\b|connect/i.test(line)) {
          return { kind: "network", operation: "socket", message: "sandbox: socket refused (unix sockets and raw sockets are blocked inside the sandbox)" };
        }
        return {
          kind: "syscall",
          operation: "syscall",
          message: "sandbox: operation not permitted (ptrace, io_uring, mounts and privileged operations are blocked inside the sandbox)",
        };
      }
    }
  }
  if (ctx.networkIsolated && NETWORK_FAILURE.test(text)) {
    const why = ctx.managedProxy
      ? `only the managed proxy is reachable under ${ctx.policyLabel}: use the proxy variables (HTTP_PROXY, ALL_PROXY…)`
      : `network is disabled for ${ctx.policyLabel}`;
    return { kind: "network", operation: "connect", message: `sandbox: network access denied (${why})` };
  }
  if (GENERIC_KEYWORDS.test(text)) return { kind: "syscall", message: "sandbox: the command was refused by the sandbox" };
  if (exitCode === 159) return { kind: "syscall", operation: "syscall", message: "sandbox: the command was killed by the seccomp filter (SIGSYS)" };
  return undefined;
}

/** The managed-network relay did not come up inside the sandbox, so the command did not run. */
export function relaySetupFailureDenial(stderr: string): SandboxDenial {
  const lines = stderr.split(/\r?\n/);
  const line =
    lines.find((l) => l.startsWith("gatehouse-net-relay: ")) ?? lines.find((l) => l.startsWith("bwrap: ")) ?? lines.find((l) => l.trim() !== "") ?? "";
  const why = line.replace(/^(gatehouse-net-relay|bwrap): /, "").trim() || "the relay exited before it was ready";
  return { kind: "setup", message: `sandbox: managed networking's relay could not start (${why}); the command did not run` };
}
