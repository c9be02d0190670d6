// The approval gate the turn engine calls before every command and patch: gathers the facts (policy,
// command safety, where a known-safe command's programs really are, execpolicy, the thread's session
// cache), asks the client through the broker when the
// plan says so, and turns the client's decision into an outcome plus its side effects (session cache,
// execpolicy amendment). Every path ends in an outcome. A request whose client disconnected is not
// an outcome yet: the broker parks it for the next client that subscribes (a reconnect's
// thread/resume), and ThreadManager's disconnect grace bounds that wait by interrupting the turn
// ("aborted" → cancel); the approval timeout, if set, runs on meanwhile. "disconnected" (declined
// with a warning) is only what a thread that cannot gain subscribers gets.
import type { DaemonMetrics } from "../metrics/daemonMetrics.js";
import type { CommandExecutionApprovalDecision, CommandExecutionRequestApprovalParams, FileChangeRequestApprovalParams } from "../../../protocol/v2/index.js";
import type { Logger } from "../../log.js";
import type { ApprovalGate, ApprovalOutcome, ApprovalRequest, ServerRequestThread, PermissionsRequest } from "../ports.js";
import { loadBashParser } from "../tools/bashParse.js";
import { parseCommandActions } from "../tools/commandActions.js";
import { shellJoin } from "../tools/shellQuote.js";
import { ServerRequestBroker, type BrokerResult } from "../threads/serverRequestBroker.js";
import type { ExecApprovalRequestedEvent, PatchApprovalRequestedEvent } from "../events/eventDetail.js";
import { decisionFromReview, parsedCmdOf, v1FileChanges } from "../events/v1Shapes.js";
import { analyzeCommand } from "./commandSafety.js";
import { appendAllowRule, ExecPolicy } from "./execpolicy/execPolicy.js";
import { grantOutput, isEmpty, NO_PERMISSIONS, parseGranted, parseRequested, requestWire, withPermissions } from "./permissions.js";
import { normalizeApprovalPolicy, planCommand, planFileChange } from "./approvalPlan.js";
import { untrustedProgram, untrustedRoots } from "./programTrust.js";
import { isProtectedPath, sessionApprovalsFor, type ExecutionMode } from "./sessionApprovals.js";

export interface ApprovalServiceOptions {
  /** Where `rules/*.rules` live and where amendments are written. */
  readonly home: string;
  readonly log: Logger;
  /** The optional approval timeout from config (ms); null waits until answered or interrupted. */
  readonly timeoutMs?: () => number | null;
  /** config.toml's `known_safe_commands`, read for each command; false: untrusted asks for everything (0.169). Default true. */
  readonly knownSafeCommands?: () => boolean;
  readonly metrics?: DaemonMetrics;
}

type CommandRequest = Extract<ApprovalRequest, { kind: "command" }>;
type FileRequest = Extract<ApprovalRequest, { kind: "fileChange" }>;

const REJECTED_BY_USER = "exec_command failed: rejected by user";
const PATCH_REJECTED = "patch rejected by user";

export class ApprovalService implements ApprovalGate {
  private readonly broker: ServerRequestBroker;
  private execPolicyLoad: Promise<ExecPolicy> | null = null;

  constructor(private readonly options: ApprovalServiceOptions) {
    this.broker = new ServerRequestBroker({
      log: options.log,
      timeoutMs: options.timeoutMs ?? (() => null),
      ...(options.metrics ? { metrics: options.metrics } : {}),
    });
  }

  /** Loaded once, on first use; a broken rules file is reported and leaves the rules empty (fail open to asking, not to running). */
  private execPolicy(thread: ServerRequestThread): Promise<ExecPolicy> {
    this.execPolicyLoad ??= ExecPolicy.load(this.options.home).catch((error: unknown) => {
      const message = `execpolicy rules not loaded: ${error instanceof Error ? error.message : String(error)}`;
      this.options.log.warn({ err: error }, message);
      thread.emit("warning", { threadId: thread.id, message });
      return ExecPolicy.empty();
    });
    return this.execPolicyLoad;
  }

  async check(request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalOutcome> {
    if (request.kind !== "command") return this.checkFileChange(request, signal);
    const outcome = await this.checkCommand(request, signal);
    if (outcome.decision !== "approved" || !outcome.sandboxed) return outcome;
    // Requested permissions granted earlier apply to every sandboxed command of the turn (or session).
    const permissions = sessionApprovalsFor(request.thread).permissionsFor(request.turnId);
    return isEmpty(permissions) ? outcome : { ...outcome, permissions };
  }

  /**
   * request_permissions (0.169): asks `item/permissions/requestApproval` where the policy may ask
   * (never and a granular policy without `request_permissions` grant nothing, unasked, as 0.169), and
   * records the grant, bounded by the request, for the turn or the session. Any failure grants nothing.
   */
  async requestPermissions(req: PermissionsRequest, signal: AbortSignal): Promise<string> {
    const requested = parseRequested(req.permissions, req.cwd);
    if (typeof requested === "string") return requested;
    const policy = normalizeApprovalPolicy(req.approvalPolicy);
    const log = this.options.log.child({ threadId: req.threadId, turnId: req.turnId, itemId: req.itemId });
    if (!policy.askPermissions || isEmpty(requested)) {
      log.info({ requested, why: policy.askPermissions ? "nothing requested" : "policy cannot ask" }, "requested permissions: nothing granted");
      return grantOutput(NO_PERMISSIONS, "turn");
    }
    const params = {
      threadId: req.threadId,
      turnId: req.turnId,
      itemId: req.itemId,
      environmentId: "local",
      startedAtMs: Date.now(),
      cwd: req.cwd,
      reason: req.reason,
      permissions: requestWire(requested),
    };
    const answer = await this.broker.ask(req.thread, "item/permissions/requestApproval", params, signal);
    if (answer.kind !== "answered") {
      // Same reporting as a command's failed request (a warning); nothing is granted.
      this.decisionOf(answer, req.thread, () => null);
      log.info({ outcome: answer.kind }, "requested permissions: nothing granted");
      return grantOutput(NO_PERMISSIONS, "turn");
    }
    const { permissions, scope } = parseGranted(answer.result, requested, req.cwd);
    if (!isEmpty(permissions)) sessionApprovalsFor(req.thread).grantPermissions(scope, req.turnId, permissions);
    log.info({ requested, granted: permissions, scope }, "requested permissions resolved");
    return grantOutput(permissions, scope);
  }

  private async checkCommand(req: CommandRequest, signal: AbortSignal): Promise<ApprovalOutcome> {
    await loadBashParser();
    const policy = normalizeApprovalPolicy(req.approvalPolicy);
    const analysis = analyzeCommand(req.command);
    const execPolicy = await this.execPolicy(req.thread);
    const evaluation = execPolicy.evaluate(analysis.commands);
    const cache = sessionApprovalsFor(req.thread);
    const knownSafeTable = this.options.knownSafeCommands?.() ?? true;
    // Only a command the table allows needs its programs found (a few stats); the answer matters under untrusted only.
    const untrusted = knownSafeTable && policy.mode === "untrusted" && analysis.knownSafe ? this.programCheck(req, analysis.programs) : null;
    const plan = planCommand({
      policy,
      escalated: req.escalated,
      analysis,
      evaluation,
      cachedMode: cache.commandMode(req.command),
      knownSafeTable,
      untrustedProgram: untrusted,
    });
    const log = this.options.log.child({ threadId: req.threadId, turnId: req.turnId, itemId: req.itemId });
    if (plan.kind === "run") {
      log.info({ decision: "auto", why: plan.why, sandbox: plan.mode }, "command approved without asking");
      return { decision: "approved", sandboxed: plan.mode !== "unsandboxed" };
    }
    if (plan.kind === "reject") {
      log.info({ decision: "rejected", why: plan.why }, "command rejected without asking");
      return { decision: "declined", message: plan.message };
    }
    const amendment = plan.proposedAmendment ? [...plan.proposedAmendment] : null;
    const params: CommandExecutionRequestApprovalParams = {
      kind: "command",
      threadId: req.threadId,
      turnId: req.turnId,
      itemId: req.itemId,
      startedAtMs: Date.now(),
      environmentId: "local",
      command: shellJoin(req.command),
      cwd: req.cwd,
      commandActions: parseCommandActions(req.command, req.cwd),
      reason: req.justification,
      proposedExecpolicyAmendment: amendment,
      // As the reference lists them; any valid decision is honoured anyway.
      availableDecisions: ["accept", ...(amendment ? [{ acceptWithExecpolicyAmendment: { execpolicy_amendment: amendment } }] : []), "cancel"],
    };
    req.beforeAsk?.();
    req.thread.emit("engine/execApprovalRequested", {
      turnId: req.turnId,
      itemId: req.itemId,
      argv: req.command,
      cwd: req.cwd,
      reason: req.justification,
      proposedAmendment: amendment,
      commandActions: params.commandActions ?? [],
    } satisfies ExecApprovalRequestedEvent);
    // A thread the v1 API loaded is asked in 0.80's words; the answer means the same (v1Shapes.ts).
    const legacy = req.thread.api === "v1";
    const answer = legacy
      ? await this.broker.ask(
          req.thread,
          "execCommandApproval",
          {
            conversationId: req.threadId,
            callId: req.itemId,
            command: [...req.command],
            cwd: req.cwd,
            reason: req.justification,
            parsedCmd: parsedCmdOf(params.commandActions ?? []),
          },
          signal,
          { announceResolved: false },
        )
      : await this.broker.ask(req.thread, "item/commandExecution/requestApproval", params, signal);
    const decision = this.decisionOf(answer, req.thread, legacy ? decisionFromReview : readCommandDecision);
    const sandboxed = plan.mode !== "unsandboxed";
    log.info({ decision: decision.kind === "decision" ? decision.value : decision.kind, why: plan.why, sandbox: plan.mode }, "command approval resolved");
    if (decision.kind !== "decision") return decision.outcome;
    const d = decision.value;
    if (d === "accept") return { decision: "approved", sandboxed };
    if (d === "acceptForSession") {
      if (plan.cacheable) cache.approve({ kind: "command", argv: req.command }, plan.mode as ExecutionMode);
      return { decision: "approved", sandboxed };
    }
    if (d === "decline") return { decision: "declined", message: REJECTED_BY_USER };
    if (d === "cancel") return { decision: "cancel" };
    if (typeof d === "object" && "acceptWithExecpolicyAmendment" in d) {
      const prefix = d.acceptWithExecpolicyAmendment.execpolicy_amendment;
      try {
        const file = await appendAllowRule(this.options.home, prefix);
        execPolicy.addAllow(prefix, file);
        log.info({ prefix, file }, "execpolicy amendment appended");
      } catch (error) {
        const message = `execpolicy amendment not saved: ${error instanceof Error ? error.message : String(error)}`;
        log.warn({ err: error }, message);
        req.thread.emit("warning", { threadId: req.threadId, message });
      }
      return { decision: "approved", sandboxed };
    }
    if (typeof d === "object" && "applyNetworkPolicyAmendment" in d) {
      // The network amendment itself belongs to the network-approval work; its intent is honoured.
      return d.applyNetworkPolicyAmendment.network_policy_amendment.action === "allow"
        ? { decision: "approved", sandboxed }
        : { decision: "declined", message: REJECTED_BY_USER };
    }
    return { decision: "declined", message: REJECTED_BY_USER };
  }

  /** Why a program the command runs is not the system's, or null (programTrust.ts). The roots include
   * what request_permissions granted, since a sandboxed approval runs with those too. */
  private programCheck(req: CommandRequest, programs: readonly string[]): string | null {
    try {
      const granted = sessionApprovalsFor(req.thread).permissionsFor(req.turnId);
      const roots = untrustedRoots(withPermissions(req.sandboxPolicy, granted), req.cwd, req.envTmpdir);
      return untrustedProgram(programs, { cwd: req.cwd, pathEnv: req.envPath, roots });
    } catch (error) {
      // A policy that does not resolve proves nothing: ask.
      return `the sandbox policy did not resolve (${error instanceof Error ? error.message : String(error)})`;
    }
  }

  private async checkFileChange(req: FileRequest, signal: AbortSignal): Promise<ApprovalOutcome> {
    const policy = normalizeApprovalPolicy(req.approvalPolicy);
    const paths = req.paths;
    const cache = sessionApprovalsFor(req.thread);
    const protectedPath = paths.some(isProtectedPath);
    const plan = planFileChange({ policy, withinWritableRoots: req.withinWritableRoots, cached: cache.coversPaths(paths), protectedPath });
    const log = this.options.log.child({ threadId: req.threadId, turnId: req.turnId, itemId: req.itemId });
    if (plan.kind === "run") {
      log.info({ decision: "auto", why: plan.why, sandboxed: plan.sandboxed }, "patch approved without asking");
      return { decision: "approved", sandboxed: plan.sandboxed };
    }
    const params: FileChangeRequestApprovalParams = {
      threadId: req.threadId,
      turnId: req.turnId,
      itemId: req.itemId,
      startedAtMs: Date.now(),
      reason: req.justification,
      grantRoot: null,
    };
    req.thread.emit("engine/patchApprovalRequested", {
      turnId: req.turnId,
      itemId: req.itemId,
      reason: req.justification,
      grantRoot: null,
    } satisfies PatchApprovalRequestedEvent);
    const legacy = req.thread.api === "v1";
    const answer = legacy
      ? await this.broker.ask(
          req.thread,
          "applyPatchApproval",
          { conversationId: req.threadId, callId: req.itemId, fileChanges: v1FileChanges(req.changes ?? []), reason: req.justification, grantRoot: null },
          signal,
          { announceResolved: false },
        )
      : await this.broker.ask(req.thread, "item/fileChange/requestApproval", params, signal);
    const decision = this.decisionOf(answer, req.thread, legacy ? (v: unknown) => readFileDecision(decisionFromReview(v)) : readFileDecision);
    log.info({ decision: decision.kind === "decision" ? decision.value : decision.kind, why: plan.why, sandboxed: plan.sandboxed }, "patch approval resolved");
    if (decision.kind !== "decision")
      return decision.outcome.decision === "declined"
        ? { decision: "declined", message: decision.outcome.message.replace("exec_command", "apply_patch") }
        : decision.outcome;
    switch (decision.value) {
      case "acceptForSession":
        if (plan.cacheable) for (const p of paths) cache.approve({ kind: "path", path: p });
        return { decision: "approved", sandboxed: plan.sandboxed };
      case "accept":
        return { decision: "approved", sandboxed: plan.sandboxed };
      case "cancel":
        return { decision: "cancel" };
      case "decline":
        return { decision: "declined", message: PATCH_REJECTED };
    }
  }

  /** The client's answer as a decision, or the outcome that stands in for it. */
  private decisionOf<T>(
    answer: BrokerResult,
    thread: ServerRequestThread,
    read: (v: unknown) => T | null,
  ): { kind: "decision"; value: T } | { kind: "outcome"; outcome: ApprovalOutcome } {
    const warn = (message: string): void => thread.emit("warning", { threadId: thread.id, message });
    switch (answer.kind) {
      case "answered": {
        const value = read(typeof answer.result === "object" && answer.result !== null ? (answer.result as { decision?: unknown }).decision : undefined);
        if (value !== null) return { kind: "decision", value };
        warn(`approval request failed: the client's answer has no valid decision (${JSON.stringify(answer.result)?.slice(0, 200)}); treated as a rejection`);
        return { kind: "outcome", outcome: { decision: "declined", message: "exec_command failed: approval request failed" } };
      }
      case "failed":
        warn(`approval request failed: ${answer.message}; treated as a rejection`);
        return { kind: "outcome", outcome: { decision: "declined", message: "exec_command failed: approval request failed" } };
      case "aborted":
        return { kind: "outcome", outcome: { decision: "cancel" } };
      case "disconnected":
        warn("approval request failed: no client left to answer it; declined");
        return { kind: "outcome", outcome: { decision: "declined", message: "exec_command failed: approval request failed (the client disconnected)" } };
      case "timedOut":
        warn(`approval request timed out after ${answer.timeoutMs} ms; declined`);
        return { kind: "outcome", outcome: { decision: "declined", message: `exec_command failed: approval request timed out after ${answer.timeoutMs} ms` } };
    }
  }
}

function readCommandDecision(v: unknown): CommandExecutionApprovalDecision | null {
  if (v === "accept" || v === "acceptForSession" || v === "decline" || v === "cancel") return v;
  if (typeof v !== "object" || v === null) return null;
  const o = v as Record<string, unknown>;
  const amend = o["acceptWithExecpolicyAmendment"] as { execpolicy_amendment?: unknown } | undefined;
  if (
    amend &&
    Array.isArray(amend.execpolicy_amendment) &&
    amend.execpolicy_amendment.length > 0 &&
    amend.execpolicy_amendment.every((w) => typeof w === "string")
  ) {
    return { acceptWithExecpolicyAmendment: { execpolicy_amendment: amend.execpolicy_amendment as string[] } };
  }
  const net = o["applyNetworkPolicyAmendment"] as { network_policy_amendment?: { host?: unknown; action?: unknown } } | undefined;
  const n = net?.network_policy_amendment;
  if (n && typeof n.host === "string" && (n.action === "allow" || n.action === "deny"))
    return { applyNetworkPolicyAmendment: { network_policy_amendment: { host: n.host, action: n.action } } };
  return null;
}

function readFileDecision(v: unknown): "accept" | "acceptForSession" | "decline" | "cancel" | null {
  return v === "accept" || v === "acceptForSession" || v === "decline" || v === "cancel" ? v : null;
}
