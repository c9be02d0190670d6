// Builders for the lines the engine writes, so the compatibility policy lives in one place.
//
// Compatibility decision: a completed userMessage or agentMessage is written as item_completed
// (exact, what we rebuild from) followed by the 0.80 event (user_message / agent_message) that
// every codex version reads, so codex can list and show a Gatehouse thread. Other item kinds are
// written only as item_completed (codex would drop them on read; they are not needed for the
// preview). The reducer ignores legacy events in any turn that has an item_completed, so nothing
// is doubled. item_completed comes first in the batch so that a torn write loses the copy, not the
// exact item.
import type { CodexErrorInfo, ThreadItem } from "../../../protocol/v2/shared.js";
import type { ThreadTokenUsage, TokenUsageBreakdown } from "../../../protocol/v2/thread.js";
import type { RolloutItem, RolloutTokenUsage, TurnAbortedEvent } from "./rolloutTypes.js";

export function taskStarted(turnId: string, startedAtSec: number, modelContextWindow: number | null): RolloutItem {
  return { type: "event_msg", payload: { type: "task_started", turn_id: turnId, started_at: startedAtSec, model_context_window: modelContextWindow } };
}

export function itemCompleted(threadId: string, turnId: string, item: ThreadItem): RolloutItem[] {
  const lines: RolloutItem[] = [{ type: "event_msg", payload: { type: "item_completed", thread_id: threadId, turn_id: turnId, item } }];
  if (item.type === "userMessage") {
    const text = item.content.flatMap((c) => (c.type === "text" ? [c.text] : [])).join("\n");
    const images = item.content.flatMap((c) => (c.type === "image" && "url" in c ? [c.url] : []));
    const localImages = item.content.flatMap((c) => (c.type === "localImage" ? [c.path] : []));
    const textElements = item.content.flatMap((c) => (c.type === "text" ? (c.text_elements ?? []) : []));
    lines.push({ type: "event_msg", payload: { type: "user_message", message: text, images, local_images: localImages, text_elements: textElements } });
  } else if (item.type === "agentMessage" && item.text !== "") {
    lines.push({ type: "event_msg", payload: { type: "agent_message", message: item.text } });
  }
  return lines;
}

function snake(b: TokenUsageBreakdown): RolloutTokenUsage {
  const out: RolloutTokenUsage = {
    input_tokens: b.inputTokens,
    cached_input_tokens: b.cachedInputTokens,
    output_tokens: b.outputTokens,
    reasoning_output_tokens: b.reasoningOutputTokens,
    total_tokens: b.totalTokens,
  };
  if (b.cacheWriteInputTokens !== undefined) out.cache_write_input_tokens = b.cacheWriteInputTokens;
  return out;
}

export function tokenCount(usage: ThreadTokenUsage): RolloutItem {
  return {
    type: "event_msg",
    payload: {
      type: "token_count",
      info: { total_token_usage: snake(usage.total), last_token_usage: snake(usage.last), model_context_window: usage.modelContextWindow ?? null },
    },
  };
}

export function turnError(turnId: string, message: string, codexErrorInfo: CodexErrorInfo | null, additionalDetails: string | null = null): RolloutItem {
  return { type: "event_msg", payload: { type: "error", turn_id: turnId, message, codex_error_info: codexErrorInfo, additional_details: additionalDetails } };
}

export function turnAborted(turnId: string, reason: TurnAbortedEvent["reason"], completedAtSec: number, durationMs: number): RolloutItem {
  return { type: "event_msg", payload: { type: "turn_aborted", turn_id: turnId, reason, completed_at: completedAtSec, duration_ms: durationMs } };
}

export function taskComplete(turnId: string, lastAgentMessage: string | null, completedAtSec: number, durationMs: number): RolloutItem {
  return {
    type: "event_msg",
    payload: { type: "task_complete", turn_id: turnId, last_agent_message: lastAgentMessage, completed_at: completedAtSec, duration_ms: durationMs },
  };
}
