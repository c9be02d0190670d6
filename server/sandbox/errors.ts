// Domain errors of the sandbox layer. They carry what is wrong (`reason`) and what the user can do
// about it (`remedy`) as separate fields, so that the single wire mapping (server/rpc/toRpcError.ts),
// `gatehouse doctor` and the command output can each present them without parsing message text.
//
// Invariant: a SandboxUnavailableError always means "the command was NOT run". Nothing in this layer
// catches one and falls back to running a restricted policy unwrapped.

/** Why a sandboxed launch was refused; stable identifiers for callers and tests. */
export type SandboxUnavailableCode =
  | "bwrap-not-found"
  | "bwrap-in-workspace"
  | "bwrap-too-old"
  | "bwrap-failed"
  | "userns-unavailable"
  | "apparmor-userns"
  | "wsl1"
  | "proc-sys-disconnected"
  | "unenforceable-path"
  | "placeholder-registry"
  | "unsupported-platform"
  | "unsupported-arch"
  | "managed-network-unavailable";

export class SandboxUnavailableError extends Error {
  override readonly name = "SandboxUnavailableError";
  readonly code: SandboxUnavailableCode;
  readonly reason: string;
  readonly remedy: string;

  constructor(code: SandboxUnavailableCode, reason: string, remedy: string) {
    super(`sandbox unavailable: ${reason}; ${remedy}`);
    this.code = code;
    this.reason = reason;
    this.remedy = remedy;
  }
}

/** A policy or permission profile that cannot be interpreted (bad access value, unknown profile, cycle). */
export class SandboxPolicyError extends Error {
  override readonly name = "SandboxPolicyError";
}
