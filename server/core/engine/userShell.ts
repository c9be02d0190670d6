// thread/shellCommand: a command the user typed, run in the thread as a turn of its own. 0.169 documents
// that it "runs unsandboxed with full access rather than inheriting the thread sandbox policy" and asks
// no approval (the user asked for it); we do the same, and the approval gate below says so.
//
// Observed on codex-cli 0.169.0 against the conformance mock (scenario in test/e2e/shellCommand.test.ts):
// - the response is `{}` at once; then thread/status/changed (active), turn/started, item/started
//   (commandExecution, source "userShell", id a v4 UUID, command `/bin/bash -lc '<script>'`), output
//   deltas, item/completed (status from the exit code), thread/status/changed (idle), turn/completed
//   with status "completed" even when the command failed, `items: []` and itemsView "notLoaded";
// - rollout: task_started, item_completed, then a user response_item holding
//   `<user_shell_command>…<result>Exit code / Duration / Output</result></user_shell_command>`, then
//   task_complete. The next model request carries that message, so the model sees what the user ran;
// - a write outside the workspace under a read-only thread succeeds (no sandbox);
// - an empty command is -32600 "command must not be empty";
// - on timeout 0.169 completes the item failed with exit code -1 and a Rust debug string; we report
//   exit code 124 and "command timed out after N milliseconds" like the model's command tools.
import { randomUUID } from "node:crypto";
import { v7 as uuidv7 } from "uuid";
import type { Turn } from "../../../protocol/v2/index.js";
import type { ApprovalGate } from "../ports.js";
import { taskComplete, taskStarted, itemCompleted } from "../store/rolloutLines.js";
import type { ThreadTaskHost } from "../threads/threadManager.js";
import { startCommand } from "../tools/commandRunner.js";
import { defaultShell } from "../tools/defaultShell.js";
import { TurnItems } from "./turnItems.js";

/** Defaults to one hour when the params leave it out (ThreadShellCommandParams.timeoutMs). */
export const USER_SHELL_DEFAULT_TIMEOUT_MS = 60 * 60 * 1000;

/** The user asked for this command: it is never put to the approval policy and never sandboxed. */
const USER_APPROVED: ApprovalGate = { check: () => Promise.resolve({ decision: "approved", sandboxed: false }) };

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** The history message through which the model learns what the user ran (0.169's wording). */
export function userShellMessage(command: string, exitCode: number, durationMs: number, output: string): Record<string, unknown> {
  const text = `<user_shell_command>\n<command>\n${command}\n</command>\n<result>\nExit code: ${exitCode}\nDuration: ${(durationMs / 1000).toFixed(4)} seconds\nOutput:\n${output}\n</result>\n</user_shell_command>`;
  return { type: "message", role: "user", content: [{ type: "input_text", text }] };
}

export async function runUserShellCommand(host: ThreadTaskHost, command: string, timeoutMs: number | null): Promise<void> {
  const { thread, rollout } = host;
  const turnId = uuidv7();
  const startedAt = nowSeconds();
  const startedMs = Date.now();
  const wire = (status: Turn["status"], extra: Partial<Turn> = {}): Turn => ({
    id: turnId,
    rootTurnId: turnId,
    items: [],
    itemsView: "notLoaded",
    status,
    error: null,
    startedAt,
    completedAt: null,
    durationMs: null,
    ...extra,
  });
  const items = new TurnItems(thread, turnId, { persistItem: (t, item) => rollout.append(itemCompleted(thread.id, t, item)) });
  const settings = thread.settings;

  thread.setStatus({ type: "active", activeFlags: [] });
  thread.activeTurnId = turnId;
  thread.emit("turn/started", { threadId: thread.id, turn: wire("inProgress") });
  let status: Turn["status"] = "completed";
  try {
    await rollout.append([taskStarted(turnId, startedAt, null)]);
    const running = await startCommand(
      {
        itemId: randomUUID(),
        argv: [defaultShell(), "-lc", command],
        cwd: settings.cwd,
        escalated: false,
        justification: null,
        timeoutMs: timeoutMs ?? USER_SHELL_DEFAULT_TIMEOUT_MS,
        source: "userShell",
      },
      {
        thread,
        turnId,
        items,
        settings,
        signal: host.signal,
        approvals: USER_APPROVED,
        launcher: host.launcher,
        log: host.log,
        commandShell: host.commandShell,
        warnOnce: (m) => host.warnOnce(m),
      },
    );
    const outcome = await running.outcome;
    const message =
      outcome.kind === "ran"
        ? userShellMessage(command, outcome.result.exitCode ?? -1, outcome.durationMs, outcome.output)
        : userShellMessage(command, -1, Date.now() - startedMs, outcome.message);
    if (host.signal.aborted) status = "interrupted";
    thread.history.push(message);
    await rollout.append([{ type: "response_item", payload: message }]);
  } catch (e) {
    host.log.warn({ err: e }, "user shell command failed");
    status = "failed";
    await items.completeDangling();
  }
  const completedAt = nowSeconds();
  const durationMs = Date.now() - startedMs;
  try {
    await rollout.append([taskComplete(turnId, null, completedAt, durationMs)]);
    await rollout.sync();
  } catch (e) {
    host.log.error({ err: e }, "could not persist the end of a user shell command");
  }
  thread.turns.push(wire(status, { completedAt, durationMs, items: [...items.completed], itemsView: "full" }));
  thread.updatedAt = completedAt;
  thread.activeTurnId = null;
  thread.setStatus({ type: "idle" });
  thread.emit("turn/completed", { threadId: thread.id, turn: wire(status, { completedAt, durationMs }) });
}
