// One model-requested command, end to end: its commandExecution item, the approval hook, the sandbox
// launcher, the process runner and the output deltas. Shared by exec_command, shell_command and shell.
// Order on the wire (the reference's): item/started before any approval request; the item completes
// once, with `declined`, `failed` (non-zero exit, sandbox refusal, interrupt) or `completed`.
import type { ThreadItem } from "../../../protocol/v2/index.js";
import { formatDenial } from "../../sandbox/denial.js";
import { NO_PERMISSIONS, withPermissions } from "../approval/permissions.js";
import { SandboxUnavailableError } from "../../sandbox/errors.js";
import type { SandboxPolicy } from "../../sandbox/sandboxPolicy.js";
import { buildShellEnvironment, withoutManagedProxyEnv } from "../../sandbox/env.js";
import { appendNetworkDenials } from "../approval/networkApprovals.js";
import type { ManagedNetworkLease } from "../approval/managedNetworkService.js";
import type { ExecResult } from "../../sandbox/execResult.js";
import { startExec, type ExecHandle } from "../../sandbox/spawn.js";
import { loadBashParser } from "./bashParse.js";
import { parseCommandActions } from "./commandActions.js";
import { shellJoin } from "./shellQuote.js";
import { commandLaunch } from "./shellSnapshot.js";
import { TurnCancelled, type ToolContext } from "./toolTypes.js";
import { RETRY_WITHOUT_SANDBOX } from "./retryWithoutSandbox.js";

export interface CommandSpec {
  readonly itemId: string;
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly escalated: boolean;
  readonly justification: string | null;
  readonly timeoutMs: number | null;
  readonly source: "agent" | "unifiedExecStartup" | "userShell";
}

export type CommandOutcome =
  | { readonly kind: "declined"; readonly message: string }
  | { readonly kind: "unavailable"; readonly message: string }
  | { readonly kind: "ran"; readonly result: ExecResult; readonly output: string; readonly durationMs: number };

export interface RunningCommand {
  readonly pid: number | undefined;
  readonly handle: ExecHandle | null;
  /** Output since the last call (unified exec reads it in chunks). */
  takeUnread(): string;
  readonly outcome: Promise<CommandOutcome>;
}

const FULL_ACCESS: SandboxPolicy = { type: "dangerFullAccess" };
/** 0.169's words for a command ended because its network request was declined: the item's, the model's. */
const NETWORK_REJECTED_ITEM = "rejected by user";
const NETWORK_REJECTED = 'exec_command failed: ProcessFailed { message: "rejected by user" }';
/** Output kept per command for the item and the model; the middle is dropped beyond this. */
const AGGREGATE_CAP = 1024 * 1024;

type CommandItem = Extract<ThreadItem, { type: "commandExecution" }>;

/** commandActions are best effort: a parser that cannot load makes the command one `unknown`. */
async function commandActionsFor(argv: readonly string[], cwd: string, ctx: ToolContext) {
  try {
    await loadBashParser();
    return parseCommandActions(argv, cwd);
  } catch (error) {
    ctx.log.warn({ err: error }, "bash parser unavailable; commandActions fall back to unknown");
    return [{ type: "unknown" as const, command: shellJoin(argv) }];
  }
}

export async function startCommand(spec: CommandSpec, ctx: ToolContext): Promise<RunningCommand> {
  const base: CommandItem = {
    type: "commandExecution",
    id: spec.itemId,
    command: shellJoin(spec.argv),
    cwd: spec.cwd,
    processId: null,
    source: spec.source,
    status: "inProgress",
    commandActions: await commandActionsFor(spec.argv, spec.cwd, ctx),
    aggregatedOutput: null,
    exitCode: null,
    durationMs: null,
    pluginId: null,
    scriptPath: null,
  };
  let aggregated = "";
  let unread = "";
  let dropped = 0;
  const started = Date.now();
  let processId: string | null = null;
  const finishDangling = (): ThreadItem => ({
    ...base,
    processId,
    status: "failed",
    aggregatedOutput: aggregated || null,
    exitCode: null,
    durationMs: Date.now() - started,
  });
  // 0.169 starts the item from the approval request when it asks (source "agent", whatever the tool),
  // and from the exec itself otherwise; item/completed always carries the tool's source.
  let itemStarted = false;
  const startItem = (source: CommandItem["source"]): void => {
    if (itemStarted) return;
    itemStarted = true;
    ctx.items.start({ ...base, source }, finishDangling, { argv: spec.argv });
  };

  // Per stream as well, for projections that show them apart (0.80's exec_command_end); together they are `aggregated`.
  const streams = { stdout: "", stderr: "" };
  const complete = (patch: Partial<CommandItem>): Promise<ThreadItem> =>
    ctx.items.complete({ ...base, processId, ...patch } as ThreadItem, { argv: spec.argv, stdout: streams.stdout, stderr: streams.stderr });
  const done = (outcome: CommandOutcome): RunningCommand => ({ pid: undefined, handle: null, takeUnread: () => "", outcome: Promise.resolve(outcome) });

  // Chosen once, before the approval: the gate judges the PATH this launch carries (the login snapshot's
  // or shell_environment_policy's), so the command must run with that same environment. A capture in
  // flight is waited for (tools/shellSnapshotSlot.ts says how long). When the launch is still a login
  // shell (snapshots off, the capture failed or ran past the wait), the profile runs first and may
  // change PATH; the gate sees the PATH the profile starts from.
  const launch = await commandLaunch(spec.argv, ctx.commandShell, ctx.signal);
  const launchEnv = launch.env ?? buildShellEnvironment(process.env);
  // What the gate judges of this command; the on-failure rerun asks again about the same one, escalated.
  const commandRequest = (escalated: boolean, justification: string | null) =>
    ({
      kind: "command",
      thread: ctx.thread,
      threadId: ctx.thread.id,
      turnId: ctx.turnId,
      itemId: spec.itemId,
      approvalPolicy: ctx.settings.approvalPolicy,
      command: spec.argv,
      cwd: spec.cwd,
      escalated,
      justification,
      sandboxPolicy: ctx.settings.sandboxPolicy,
      envPath: launchEnv["PATH"] ?? null,
      envTmpdir: launchEnv["TMPDIR"] ?? null,
    }) as const;
  let verdict;
  try {
    verdict = await ctx.approvals.check({ ...commandRequest(spec.escalated, spec.justification), beforeAsk: () => startItem("agent") }, ctx.signal);
  } finally {
    startItem(spec.source);
  }
  if (verdict.decision !== "approved") {
    await complete({ status: "declined" });
    if (verdict.decision === "cancel") throw new TurnCancelled();
    return done({ kind: "declined", message: verdict.message });
  }

  const policy = verdict.sandboxed ? withPermissions(ctx.settings.sandboxPolicy, verdict.permissions ?? NO_PERMISSIONS) : FULL_ACCESS;
  // Managed networking: a sandboxed command whose policy enables network reaches it only through the
  // daemon's proxy, as this command (its prompts name this turn; a decline ends this command).
  let handle: ExecHandle | null = null;
  let networkVerdict: "declined" | null = null;
  const endByNetwork = (): void => {
    networkVerdict = "declined";
    handle?.terminate();
  };
  let lease: ManagedNetworkLease | null = null;
  let request;
  try {
    lease =
      (await ctx.managedNetwork?.forCommand(
        {
          thread: ctx.thread,
          threadId: ctx.thread.id,
          turnId: ctx.turnId,
          itemId: spec.itemId,
          approvalPolicy: ctx.settings.approvalPolicy,
          signal: ctx.signal,
          onDecline: endByNetwork,
          onCancel: () => (endByNetwork(), ctx.interruptTurn?.()),
        },
        policy,
        verdict.sandboxed,
      )) ?? null;
    // An escalated command leaves the sandbox and the proxy behind: no proxy variables point it back.
    // launchEnv is what the gate judged; handing it on spares the launcher building it again.
    const env = !verdict.sandboxed && ctx.managedNetwork?.enabled() === true ? withoutManagedProxyEnv(launchEnv) : launchEnv;
    request = await ctx.launcher.transform(launch.argv, policy, spec.cwd, {
      env,
      ...(ctx.daemonPaths ? { daemonPaths: ctx.daemonPaths } : {}),
      ...(lease ? { managedNetwork: { proxy: lease.proxy, owner: lease.owner, allowLocalBinding: lease.allowLocalBinding } } : {}),
    });
  } catch (error) {
    await lease?.release();
    const message =
      error instanceof SandboxUnavailableError ? `${error.message}` : `execution error: ${error instanceof Error ? error.message : String(error)}`;
    if (error instanceof SandboxUnavailableError) ctx.warnOnce(message);
    await complete({ status: "failed", aggregatedOutput: message, exitCode: -1, durationMs: Date.now() - started });
    return done({ kind: "unavailable", message });
  }
  for (const w of request.warnings) ctx.warnOnce(w.message);

  const append = (stream: "stdout" | "stderr", chunk: Buffer): void => {
    const text = chunk.toString("utf8");
    unread += text;
    if (aggregated.length + text.length > AGGREGATE_CAP) {
      dropped += text.length;
      return;
    }
    aggregated += text;
    streams[stream] += text;
    ctx.items.delta("item/commandExecution/outputDelta", { itemId: spec.itemId, delta: text }, { stream });
  };
  const execOptions = {
    timeoutMs: spec.timeoutMs,
    signal: ctx.signal,
    onStdout: (c: Buffer) => append("stdout", c),
    onStderr: (c: Buffer) => append("stderr", c),
    stdin: "pipe" as const,
    outputCap: AGGREGATE_CAP,
  };
  try {
    handle = startExec(request, execOptions);
  } catch (error) {
    await lease?.release();
    throw error;
  }
  const running = handle;
  processId = running.pid === undefined ? null : String(running.pid);

  /**
   * "on-failure" (0.80, v1 only): a sandboxed run the sandbox refused asks to run again outside it,
   * with 0.80's question; approved, the command runs again unsandboxed and that run is the result.
   * Null when not asked, declined, or the rerun could not start (the first run's result stands).
   */
  const rerunOutsideSandbox = async (first: ExecResult): Promise<ExecResult | null> => {
    // Failed because of the sandbox: a non-zero exit the sandbox explains (0.80 asks only after a failure).
    const denied = first.exitCode !== 0 && (first.sandboxDenial !== undefined || first.postRunDenials.length > 0);
    if (ctx.settings.approvalPolicy !== "on-failure" || !verdict.sandboxed || !denied || first.aborted || ctx.signal.aborted) return null;
    const retry = await ctx.approvals.check(commandRequest(true, RETRY_WITHOUT_SANDBOX), ctx.signal);
    if (retry.decision === "cancel") ctx.interruptTurn?.();
    if (retry.decision !== "approved" || retry.sandboxed) return null;
    const env = ctx.managedNetwork?.enabled() === true ? withoutManagedProxyEnv(launchEnv) : launchEnv;
    const rerun = await ctx.launcher.transform(launch.argv, FULL_ACCESS, spec.cwd, { env, ...(ctx.daemonPaths ? { daemonPaths: ctx.daemonPaths } : {}) });
    // The item shows the run that counts: the rerun's output replaces the refused run's.
    aggregated = "";
    unread = "";
    streams.stdout = "";
    streams.stderr = "";
    return startExec(rerun, execOptions).result;
  };

  const outcome = running.result.then(async (first): Promise<CommandOutcome> => {
    await lease?.release();
    const result = (await rerunOutsideSandbox(first).catch((e: unknown) => (ctx.log.warn({ err: e }, "could not rerun outside the sandbox"), null))) ?? first;
    const durationMs = Date.now() - started;
    const denials = [...(result.sandboxDenial ? [result.sandboxDenial] : []), ...result.postRunDenials];
    let output = aggregated;
    if (networkVerdict === "declined") {
      // As 0.169 ends a command whose network request the user declined.
      await complete({ status: "failed", aggregatedOutput: `${output}\n\n${NETWORK_REJECTED_ITEM}`, exitCode: -1, durationMs });
      return { kind: "declined", message: NETWORK_REJECTED };
    }
    if (lease) output = appendNetworkDenials(output, lease.deniedLines());
    if (dropped > 0) output += `\n[… ${dropped} bytes of output omitted …]\n`;
    for (const d of denials) output += `${output.endsWith("\n") || output === "" ? "" : "\n"}${formatDenial(d)}\n`;
    if (result.timedOut) {
      output = `command timed out after ${spec.timeoutMs} milliseconds\n${output}`;
    }
    const exitCode = result.timedOut ? 124 : result.exitCode;
    const ok = exitCode === 0 && !result.aborted && denials.length === 0;
    await complete({
      status: ok ? "completed" : "failed",
      aggregatedOutput: output === "" ? null : output,
      exitCode: result.aborted ? null : exitCode,
      durationMs,
    });
    return { kind: "ran", result: { ...result, exitCode }, output, durationMs };
  });
  return {
    pid: running.pid,
    handle: running,
    takeUnread: () => {
      const text = unread;
      unread = "";
      return text;
    },
    outcome,
  };
}
