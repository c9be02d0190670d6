// Approval policy decisions, as pure functions of (policy, request, command analysis, execpolicy,
// session cache). No I/O here: the gate gathers the facts, these functions say run / ask / reject.
//
// 0.169 semantics, with Gatehouse's deliberate differences:
//   untrusted  — runs known-safe commands unasked (commandSafety.ts's table, and programTrust.ts's
//                check that the program is the system's), asks for everything else; with
//                `known_safe_commands = false` it asks for everything, exactly as 0.169;
//   on-request — runs everything inside the sandbox, asks when the model requests escalation;
//   never      — never asks; escalation is refused and denials go back to the model;
//   granular   — on-request, with categories that are auto-rejected instead of asked
//                (`sandbox_approval`: escalation; `rules`: execpolicy `prompt` rules).
//   on-failure (v1/config only) — read as on-request. 0.169 offers no rerun outside the sandbox after a
//                denial under on-request, and neither do we: the denial report goes to the model.
// Approved still means sandboxed, except for an approved escalation or an allow rule that says so.
// Dangerous commands never ride on a cached approval; where the policy can ask, they are asked every
// time; where it cannot (never, granular without sandbox_approval), the sandbox decides.
import type { CommandAnalysis } from "./commandSafety.js";
import type { Evaluation } from "./execpolicy/execPolicy.js";
import type { ExecutionMode } from "./sessionApprovals.js";

export interface NormalizedApprovalPolicy {
  readonly mode: "untrusted" | "on-request" | "never";
  /** May ask to run outside the sandbox (escalation) and for dangerous commands. */
  readonly askSandbox: boolean;
  /** May ask for execpolicy `prompt` rules. */
  readonly askRules: boolean;
  /** May ask for requested permissions (request_permissions); when not, nothing is granted. */
  readonly askPermissions: boolean;
}

export function normalizeApprovalPolicy(policy: unknown): NormalizedApprovalPolicy {
  if (policy === "untrusted") return { mode: "untrusted", askSandbox: true, askRules: true, askPermissions: true };
  if (policy === "never") return { mode: "never", askSandbox: false, askRules: false, askPermissions: false };
  if (typeof policy === "object" && policy !== null && "granular" in policy) {
    const g = (policy as { granular?: Record<string, unknown> }).granular ?? {};
    return { mode: "on-request", askSandbox: g["sandbox_approval"] === true, askRules: g["rules"] === true, askPermissions: g["request_permissions"] === true };
  }
  // "on-request", and "on-failure" which 0.169 reads as on-request.
  return { mode: "on-request", askSandbox: true, askRules: true, askPermissions: true };
}

export type CommandPlan =
  | { readonly kind: "run"; readonly mode: ExecutionMode; readonly why: string }
  | {
      readonly kind: "ask";
      /** The mode an approval runs it with. */
      readonly mode: ExecutionMode;
      /** acceptForSession may remember it. */
      readonly cacheable: boolean;
      readonly proposedAmendment: readonly string[] | null;
      readonly why: string;
    }
  | { readonly kind: "reject"; readonly message: string; readonly why: string };

export interface CommandFacts {
  readonly policy: NormalizedApprovalPolicy;
  readonly escalated: boolean;
  readonly analysis: CommandAnalysis;
  readonly evaluation: Evaluation;
  /** The mode a session approval of this exact argv carries, or null. */
  readonly cachedMode: ExecutionMode | null;
  /** config.toml's `known_safe_commands` (default true): false makes untrusted ask for everything. */
  readonly knownSafeTable: boolean;
  /** Why a program of a known-safe command is not the system's (programTrust.ts); null when each is, or when not checked. */
  readonly untrustedProgram: string | null;
}

function ruleRef(e: Evaluation, decision: string): string {
  const m = e.matches.find((x) => x.rule.decision === decision);
  if (!m) return "";
  const j = m.rule.justification;
  return ` (${m.rule.source.file}:${m.rule.source.line}${j ? `: ${j}` : ""})`;
}

export function planCommand(f: CommandFacts): CommandPlan {
  const { policy, escalated, analysis, evaluation } = f;
  const wanted: ExecutionMode = escalated ? "unsandboxed" : "turnDefault";
  if (evaluation.decision === "forbidden") {
    return { kind: "reject", message: `exec_command rejected: blocked by an execpolicy rule${ruleRef(evaluation, "forbidden")}`, why: "execpolicy forbidden" };
  }
  const cacheable = !analysis.dangerous && !analysis.opaque;
  const propose = !analysis.dangerous && evaluation.matches.length === 0 && analysis.commands.length === 1 ? (analysis.commands[0] ?? null) : null;
  const ask = (why: string, proposedAmendment: readonly string[] | null = propose): CommandPlan => ({
    kind: "ask",
    mode: wanted,
    cacheable,
    proposedAmendment,
    why,
  });

  if (evaluation.decision === "prompt") {
    if (!policy.askRules)
      return {
        kind: "reject",
        message: `exec_command rejected: an execpolicy rule requires approval${ruleRef(evaluation, "prompt")}, and the approval policy does not allow asking`,
        why: "execpolicy prompt, cannot ask",
      };
    return ask("execpolicy prompt", null);
  }
  if (evaluation.decision === "allow" && evaluation.allMatched) {
    if (!escalated || evaluation.unsandboxed) return { kind: "run", mode: evaluation.unsandboxed ? "unsandboxed" : "turnDefault", why: "execpolicy allow" };
  }
  if (escalated && !policy.askSandbox) {
    return {
      kind: "reject",
      message:
        "exec_command rejected: running outside the sandbox needs approval, and the approval policy does not allow asking; run the command inside the sandbox instead",
      why: "escalation, cannot ask",
    };
  }
  if (analysis.dangerous)
    return policy.askSandbox ? ask("dangerous command") : { kind: "run", mode: "turnDefault", why: "dangerous, policy cannot ask: the sandbox decides" };
  // A cached approval covers this mode or a narrower one, never a wider one.
  if (f.cachedMode !== null && (f.cachedMode === wanted || wanted === "turnDefault")) return { kind: "run", mode: wanted, why: "session approval" };
  if (escalated) return ask("escalation requested");
  if (policy.mode === "untrusted") {
    if (!f.knownSafeTable) return ask("untrusted: known_safe_commands = false");
    if (!analysis.knownSafe || analysis.opaque) return ask("untrusted: not known safe");
    if (f.untrustedProgram !== null) return ask(`untrusted: ${f.untrustedProgram}`);
    return { kind: "run", mode: "turnDefault", why: "known safe" };
  }
  return { kind: "run", mode: "turnDefault", why: `${policy.mode}: sandboxed` };
}

export type FilePlan =
  | { readonly kind: "run"; readonly sandboxed: boolean; readonly why: string }
  | { readonly kind: "ask"; readonly sandboxed: boolean; readonly cacheable: boolean; readonly why: string };

export interface FileFacts {
  readonly policy: NormalizedApprovalPolicy;
  readonly withinWritableRoots: boolean;
  /** Every canonical path was approved for the session. */
  readonly cached: boolean;
  /** Some path is protected (.git, .codex): never from the cache. */
  readonly protectedPath: boolean;
}

export function planFileChange(f: FileFacts): FilePlan {
  // An approved patch outside the writable roots is applied outside the sandbox: that is what was asked.
  const sandboxed = f.withinWritableRoots;
  const cacheable = !f.protectedPath;
  if (f.policy.mode === "never") return { kind: "run", sandboxed: true, why: "never: the sandbox decides" };
  if (f.cached && cacheable) return { kind: "run", sandboxed, why: "session approval" };
  if (f.policy.mode === "untrusted") return { kind: "ask", sandboxed, cacheable, why: "untrusted" };
  if (f.withinWritableRoots) return { kind: "run", sandboxed: true, why: "within writable roots" };
  if (!f.policy.askSandbox) return { kind: "run", sandboxed: true, why: "cannot ask: the sandbox decides" };
  return { kind: "ask", sandboxed, cacheable, why: "outside writable roots" };
}
