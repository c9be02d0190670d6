// A thread's settings: what thread/start, thread/resume and thread/fork ask for, laid over the thread's
// current settings (none at thread/start) and then over config; what turn/start changes for the rest
// of the thread; what a thread read back from its rollout starts with; and how the thread/* answers
// report them. Every function here is pure but for the process's cwd, which a relative `cwd` is
// resolved against.
import { isAbsolute, resolve } from "node:path";
import type { AskForApproval, SandboxMode, Thread, ThreadResumeResponse, ThreadStartResponse } from "../../../protocol/v2/index.js";
import { SandboxPolicy as WireSandboxPolicy } from "../../../protocol/v2/sharedParams.js";
import type { EffectiveConfig } from "../config/effective.js";
import { InvalidInputError } from "../errors.js";
import { sandboxPolicyFromConfig, sandboxPolicyFromMode, sandboxPolicyFromWire, sandboxPolicyToWire } from "../commandSetup/sandboxFromWire.js";
import type { TurnContextPayload } from "../store/rolloutTypes.js";
import type { ApprovalPolicy } from "../ports.js";
import type { ThreadSettings } from "./threadState.js";

/** What thread/start, thread/resume and thread/fork may set; absent or null keeps what is there. */
export interface ThreadOverrides {
  model?: string | null | undefined;
  modelProvider?: string | null | undefined;
  cwd?: string | null | undefined;
  approvalPolicy?: ApprovalPolicy | null | undefined;
  sandbox?: SandboxMode | null | undefined;
  baseInstructions?: string | null | undefined;
  developerInstructions?: string | null | undefined;
}

/** What turn/start may set for its turn and every later one; absent or null keeps what is there. */
export interface TurnOverrides {
  cwd?: string | null | undefined;
  model?: string | null | undefined;
  approvalPolicy?: ApprovalPolicy | null | undefined;
  sandboxPolicy?: WireSandboxPolicy | null | undefined;
  effort?: string | null | undefined;
  summary?: string | null | undefined;
}

/** The config settings fall back to; a whole EffectiveConfig fits. */
export type SettingsConfig = Pick<
  EffectiveConfig,
  | "model"
  | "modelProviderId"
  | "modelProviders"
  | "approvalPolicy"
  | "sandboxMode"
  | "sandboxWorkspaceWrite"
  | "modelReasoningEffort"
  | "modelReasoningSummary"
  | "instructions"
  | "developerInstructions"
>;

/** What a stored thread's settings are read from (threadIndex.ts's StoredThread fits). */
export interface StoredSettings {
  readonly thread: Pick<Thread, "cwd" | "modelProvider" | "model">;
  readonly lastTurnContext: TurnContextPayload | null;
}

/** What thread/start, thread/resume and thread/fork answer alike about the thread's settings. */
export type ThreadSessionFields = Pick<
  ThreadStartResponse & ThreadResumeResponse,
  "model" | "modelProvider" | "serviceTier" | "cwd" | "approvalPolicy" | "approvalsReviewer" | "sandbox" | "reasoningEffort"
>;

/**
 * Each setting from `o`, else from `base`, else from config. Reasoning effort and summary are not
 * thread/* parameters: they come from `base` or config. A provider that config does not define is
 * refused, whichever layer named it.
 */
export function threadSettings(cfg: SettingsConfig, o: ThreadOverrides, base: ThreadSettings | null): ThreadSettings {
  const cwd = o.cwd ? (isAbsolute(o.cwd) ? o.cwd : resolve(process.cwd(), o.cwd)) : (base?.cwd ?? process.cwd());
  const sandboxPolicy = o.sandbox ? sandboxPolicyFromMode(o.sandbox, cfg) : (base?.sandboxPolicy ?? sandboxPolicyFromConfig(cfg));
  const providerId = o.modelProvider ?? base?.modelProviderId ?? cfg.modelProviderId;
  if (!(providerId in cfg.modelProviders)) throw new InvalidInputError(`model provider \`${providerId}\` is not configured`);
  return {
    model: o.model ?? base?.model ?? cfg.model,
    modelProviderId: providerId,
    cwd,
    approvalPolicy: o.approvalPolicy ?? base?.approvalPolicy ?? cfg.approvalPolicy,
    sandboxPolicy,
    sandboxWire: sandboxPolicyToWire(sandboxPolicy),
    effort: base?.effort ?? cfg.modelReasoningEffort,
    summary: base?.summary ?? cfg.modelReasoningSummary,
    baseInstructions: o.baseInstructions ?? base?.baseInstructions ?? cfg.instructions,
    developerInstructions: o.developerInstructions ?? base?.developerInstructions ?? cfg.developerInstructions,
  };
}

/** turn/start's settings over the thread's current ones; the caller keeps them as the thread's. */
export function turnSettings(cfg: SettingsConfig, o: TurnOverrides, base: ThreadSettings): ThreadSettings {
  const next = threadSettings(cfg, { cwd: o.cwd, model: o.model, approvalPolicy: o.approvalPolicy }, base);
  if (o.sandboxPolicy) {
    next.sandboxPolicy = sandboxPolicyFromWire(o.sandboxPolicy);
    next.sandboxWire = sandboxPolicyToWire(next.sandboxPolicy);
  }
  if (o.effort !== undefined && o.effort !== null) next.effort = o.effort;
  if (o.summary !== undefined && o.summary !== null) next.summary = o.summary;
  return next;
}

/** The settings of a thread loaded from its rollout: its last turn_context where it has one, else config. */
export function storedThreadSettings(cfg: SettingsConfig, stored: StoredSettings): ThreadSettings {
  const last = stored.lastTurnContext;
  const meta = stored.thread;
  // The saved approval policy is taken as written, unchecked: a reference rollout may say "on-failure",
  // which is no longer on the wire but which the approval policy still reads (as on-request).
  const settings = threadSettings(
    cfg,
    {
      cwd: meta.cwd,
      modelProvider: meta.modelProvider in cfg.modelProviders ? meta.modelProvider : null,
      model: last?.model ?? meta.model ?? null,
      approvalPolicy: (last?.approval_policy as AskForApproval | undefined) ?? null,
    },
    null,
  );
  // An unreadable saved policy falls back to the configured one, never to a wider one. 0.169's
  // rollouts spell theirs in their own form ({"type":"read-only"}), which is not the wire's.
  const saved = WireSandboxPolicy.safeParse(last?.sandbox_policy);
  if (saved.success) {
    try {
      const policy = sandboxPolicyFromWire(saved.data);
      settings.sandboxWire = sandboxPolicyToWire(policy);
      settings.sandboxPolicy = policy;
    } catch {
      // A relative writable root: the configured policy stays.
    }
  }
  if (last?.effort !== undefined) settings.effort = last.effort;
  return settings;
}

export function threadSessionFields(s: ThreadSettings): ThreadSessionFields {
  return {
    model: s.model,
    modelProvider: s.modelProviderId,
    serviceTier: null,
    cwd: s.cwd,
    // v2's wire has no "on-failure" (a v1 thread's policy); it asks as on-request does before a denial.
    approvalPolicy: s.approvalPolicy === "on-failure" ? "on-request" : s.approvalPolicy,
    approvalsReviewer: "user",
    sandbox: s.sandboxWire,
    reasoningEffort: s.effort,
  };
}
