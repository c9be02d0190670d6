// Which of a thread's events reach a v2 subscriber. The thread's event stream is the v2 notification
// stream plus the engine's own events (eventDetail.ts); this projection is the identity on the first
// and drops the second. A thread loaded by the v1 API shows what 0.80 showed its v2 subscribers:
// no turn/started, turn/diff/updated or turn/plan/updated, but turn/completed.
import { ENGINE_EVENT_PREFIX } from "./eventDetail.js";

export type ThreadApi = "v1" | "v2";

const HIDDEN_FROM_V1_THREADS: ReadonlySet<string> = new Set(["turn/started", "turn/diff/updated", "turn/plan/updated"]);

/** The v2 notifications 0.80 sent its listeners (its ServerNotification list, observed): a client that
 * subscribed only as a v1 listener hears no other, whatever the thread. */
const KNOWN_TO_V1_LISTENERS: ReadonlySet<string> = new Set([
  "error",
  "thread/started",
  "thread/tokenUsage/updated",
  "thread/compacted",
  "turn/started",
  "turn/completed",
  "turn/diff/updated",
  "turn/plan/updated",
  "item/started",
  "item/completed",
  "item/agentMessage/delta",
  "item/commandExecution/outputDelta",
  "item/commandExecution/terminalInteraction",
  "item/fileChange/outputDelta",
  "item/mcpToolCall/progress",
  "item/reasoning/summaryTextDelta",
  "item/reasoning/summaryPartAdded",
  "item/reasoning/textDelta",
]);

/**
 * `ownSubscription`: the client subscribed through v2 itself (thread/start, thread/resume, turn/start),
 * not only as a v1 listener. A listener hears what 0.80's listeners heard of v2; 0.80 had no
 * thread/status/changed, so a v1 thread's status changes reach only its v2 subscribers.
 */
export function v2Delivers(method: string, api: ThreadApi, ownSubscription: boolean): boolean {
  if (method.startsWith(ENGINE_EVENT_PREFIX)) return false;
  if (!ownSubscription && !KNOWN_TO_V1_LISTENERS.has(method)) return false;
  return api === "v2" || !HIDDEN_FROM_V1_THREADS.has(method);
}
