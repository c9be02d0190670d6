// Context compaction: a summary turn through the model whose answer replaces the thread's history.
//
// Observed in codex-cli 0.169.0 against the conformance mock:
// - Request: the same body as a turn's, with `tools: []` and `parallel_tool_calls: false`; `input`
//   is the whole current history followed by one user message holding COMPACTION_PROMPT (below,
//   verbatim). The metadata says request_kind "compaction", strategy "memento".
// - Replacement history (the `compacted` line's replacement_history and the next request's input,
//   after the base-instructions developer message): every earlier real user message (not the
//   <environment_context> wrappers, not an earlier summary), the initial context (skills developer
//   message + a full <environment_context>) re-inserted just before the LAST user message, that last
//   user message, then one user message `SUMMARY_PREFIX + "\n" + <the model's summary text>`.
//   Assistant messages, reasoning, tool calls and outputs are all dropped. The rollout gets
//   `compacted {message: <that summary message's text>, replacement_history}`.
// - Items: one `contextCompaction {id}` item, started and completed around the summary request; the
//   summary's assistant message is NOT shown as an agentMessage. No `thread/compacted` (deprecated)
//   notification is sent by 0.169; we send it after the item, as the issue asks, since the v2 schema
//   still defines it and older clients listen for it.
// - thread/compact/start {threadId} → `{}` at once, then a turn of its own: thread/status active,
//   turn/started, the item, status idle, turn/completed. thread/read shows that turn holding only the
//   contextCompaction item.
// - Automatic compaction: the limit is `model_auto_compact_token_limit`, else 90% of the model's
//   context window (window 2000: a last response of 1710 tokens did not compact, 1810 did). It is
//   compared with the last response's `total_tokens`:
//   - pre-turn: at turn/start, before the user's message is added (the item comes before the
//     userMessage item; the summary request does not contain the new message);
//   - mid-turn: after a response with tool calls whose outputs must go back to the model, before that
//     follow-up request.
// - Earlier user messages are kept up to a budget (0.169's source: 20,000 tokens); we estimate 4 bytes
//   per token and drop the oldest beyond it.
import { v7 as uuidv7 } from "uuid";
import type { ModelEvent, ModelRequest, ResponseItem } from "../model/types.js";
import type { ThreadState, ThreadSettings } from "../threads/threadState.js";
import { environmentContext, userTextMessage } from "./context.js";
import type { TurnItems } from "./turnItems.js";

export const COMPACTION_PROMPT = `You are performing a CONTEXT CHECKPOINT COMPACTION. Create a handoff summary for another LLM that will resume the task.

Include:
- Current progress and key decisions made
- Important context, constraints, or user preferences
- What remains to be done (clear next steps)
- Any critical data, examples, or references needed to continue

Be concise, structured, and focused on helping the next LLM seamlessly continue the work.
`;

export const SUMMARY_PREFIX =
  "Another language model started to solve this problem and produced a summary of its thinking process. You also have access to the state of the tools that were used by that language model. Use this to build on the work that has already been done and avoid duplicating work. Here is the summary produced by the other language model, use the information in this summary to assist with your own analysis:";

const USER_MESSAGE_BUDGET_BYTES = 20_000 * 4;

/** The token count at which a thread compacts; null when neither a limit nor a window is known. */
export function autoCompactLimit(configured: number | null | undefined, contextWindow: number | null): number | null {
  if (configured !== null && configured !== undefined && configured > 0) return configured;
  return contextWindow ? Math.floor((contextWindow * 9) / 10) : null;
}

// The last response's total tokens per thread: the next turn's pre-turn check needs the previous
// turn's figure, and it is engine state, not something the thread object should carry.
const lastTotals = new WeakMap<ThreadState, number>();

export function recordUsage(thread: ThreadState, totalTokens: number): void {
  lastTotals.set(thread, totalTokens);
}

export function overLimit(thread: ThreadState, limit: number | null): boolean {
  const last = lastTotals.get(thread);
  return limit !== null && last !== undefined && last >= limit;
}

function firstText(item: unknown): string | null {
  const o = item as { type?: unknown; role?: unknown; content?: unknown };
  if (o?.type !== "message" || o.role !== "user" || !Array.isArray(o.content)) return null;
  const part = (o.content as { text?: unknown }[]).find((c) => typeof c?.text === "string");
  return part ? (part.text as string) : "";
}

/** A message the user wrote (not an injected wrapper, not an earlier summary). */
function isRealUserMessage(item: unknown): boolean {
  const text = firstText(item);
  if (text === null) return false;
  const t = text.trimStart();
  return !(t.startsWith("<") || t.startsWith("# AGENTS.md instructions") || t.startsWith(SUMMARY_PREFIX));
}

function messageText(item: ResponseItem): string {
  const content = (item as { content?: unknown }).content;
  if (!Array.isArray(content)) return "";
  return content.map((c: { type?: string; text?: string }) => (c.type === "output_text" || c.type === "text" ? (c.text ?? "") : "")).join("");
}

export function summaryMessageText(summary: string): string {
  return `${SUMMARY_PREFIX}\n${summary}`;
}

/** The history that replaces `history` once the model has summarised it (see the header). */
export function replacementHistory(history: readonly unknown[], summary: string, settings: ThreadSettings): unknown[] {
  const users: unknown[] = [];
  let budget = USER_MESSAGE_BUDGET_BYTES;
  for (let i = history.length - 1; i >= 0; i--) {
    const item = history[i];
    if (!isRealUserMessage(item)) continue;
    budget -= JSON.stringify(item).length;
    if (budget < 0 && users.length > 0) break;
    users.unshift(item);
  }
  const context = environmentContext(settings, null);
  const out = users.slice(0, -1);
  if (context !== null) out.push(userTextMessage(context));
  if (users.length > 0) out.push(users[users.length - 1]);
  out.push(userTextMessage(summaryMessageText(summary)));
  return out;
}

/** Rough token estimate of a history, for the next limit check until a response reports real usage. */
export function estimateTokens(history: readonly unknown[]): number {
  return Math.ceil(JSON.stringify(history).length / 4);
}

export interface CompactionHost {
  readonly thread: ThreadState;
  readonly settings: ThreadSettings;
  readonly turnId: string;
  readonly items: TurnItems;
  appendCompacted(message: string, replacement: unknown[]): Promise<void>;
  /** The request a turn would send now; compaction swaps its input and tools. */
  baseRequest(): ModelRequest;
  stream(request: ModelRequest): AsyncIterable<ModelEvent>;
  onUsage(usage: Extract<ModelEvent, { type: "completed" }>["usage"]): void;
}

/** Runs one compaction inside the host's turn; throws what the model throws (the turn then fails). */
export async function compact(host: CompactionHost): Promise<void> {
  const { thread, items } = host;
  const id = uuidv7();
  items.start({ type: "contextCompaction", id });
  let summary = "";
  let streamed = "";
  try {
    const request: ModelRequest = {
      ...host.baseRequest(),
      input: [...(thread.history as ResponseItem[]), userTextMessage(COMPACTION_PROMPT) as ResponseItem],
      tools: [],
      parallelToolCalls: false,
    };
    for await (const ev of host.stream(request)) {
      if (ev.type === "outputTextDelta") streamed += ev.delta;
      else if (ev.type === "outputItemDone") {
        const item = ev.item as { type?: string; role?: string };
        if (item.type === "message" && item.role !== "user") summary += messageText(ev.item);
      } else if (ev.type === "completed" && ev.usage) host.onUsage(ev.usage);
    }
  } catch (e) {
    // A failed summary leaves the history as it was; the item never happened.
    items.discard([id]);
    throw e;
  }
  if (summary === "") summary = streamed;
  const replacement = replacementHistory(thread.history, summary, host.settings);
  await host.appendCompacted(summaryMessageText(summary), replacement);
  thread.history = replacement;
  // The replacement carries a full <environment_context>; only later changes are sent again.
  thread.contextSent = host.settings;
  recordUsage(thread, estimateTokens(replacement));
  await items.complete({ type: "contextCompaction", id });
  thread.emit("thread/compacted", { threadId: thread.id, turnId: host.turnId });
}
