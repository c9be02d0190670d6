// The lines Gatehouse writes to a rollout file, one JSON object per line:
//   {"timestamp":"<UTC ISO, ms, Z>","type":T,"payload":P}
// Field names are snake_case, as the references write them, so that other readers (codex 0.80 and
// 0.169) can list and read our files; `item` in item_completed is the exception (see below).
//
// Observed in a 0.169.0 rollout (a thread with a reasoning + exec_command turn, then an interrupted
// turn):
//   - the envelope also carries `ordinal` (0-based line number) and response_item lines a sibling
//     `metadata` object; we write neither and readers must not require them;
//   - line 0 session_meta {id, session_id, timestamp, cwd, originator, cli_version, source:"vscode"
//     (for app-server threads), model_provider, base_instructions:{text}, history_mode, …}. 0.169
//     writes the file only when the first turn starts, not at thread/start;
//   - per turn: event_msg task_started {turn_id, root_turn_id, started_at (unix s),
//     model_context_window, …}, turn_context, response_items, event_msg item_completed
//     {thread_id, turn_id, item:<internal TurnItem, PascalCase type>, started_at_ms,
//     completed_at_ms} for every item (UserMessage, Reasoning, CommandExecution, AgentMessage),
//     event_msg token_count, and task_complete {turn_id, last_agent_message, started_at,
//     completed_at, duration_ms} or turn_aborted {turn_id, reason:"interrupted", completed_at,
//     duration_ms};
//   - no user_message / agent_message events any more, plus line types we ignore
//     (world_state, token_usage_record, event_msg thread_settings_applied);
//   - thread names (thread/name/set) are NOT in the rollout: 0.169 appends
//     {"id","thread_name","updated_at"} to $CODEX_HOME/session_index.jsonl (see sessionIndex.ts).
import type { CodexErrorInfo, ThreadItem } from "../../../protocol/v2/shared.js";

/** A JSON value we pass through without interpreting (raw Responses items, policies). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** `source` as the Rust core serializes it (0.169 writes "vscode" for app-server threads). */
export type RolloutSessionSource = "cli" | "vscode" | "exec" | "mcp" | "unknown" | { subagent: unknown } | { custom: string };

export interface RolloutGitInfo {
  commit_hash?: string | null;
  branch?: string | null;
  repository_url?: string | null;
}

export interface SessionMetaPayload {
  /** The thread id (UUIDv7). */
  id: string;
  /** Creation time, UTC ISO with ms; Thread.createdAt is derived from it. */
  timestamp: string;
  cwd: string;
  originator: string;
  cli_version: string;
  source: RolloutSessionSource;
  model_provider: string;
  /** The model at creation; later models come from turn_context lines. */
  model?: string | null;
  base_instructions?: { text: string } | null;
  git?: RolloutGitInfo | null;
  forked_from_id?: string | null;
  /** 0.169: session tree id; equals `id` for a root thread. */
  session_id?: string | null;
  /** The client's dynamic tools from thread/start (v2 DynamicToolSpec[]), offered again after a resume. */
  dynamic_tools?: unknown[] | null;
  /** 0.169: "paginated" for threads whose turns are paged; Gatehouse does not write it. */
  history_mode?: unknown;
}

/**
 * A session_meta payload read back from a file. Only the id is checked: the rest is trusted to be
 * what its writer (Gatehouse or a reference) wrote, and the readers default what they use.
 */
export function isSessionMeta(payload: object): payload is SessionMetaPayload {
  return "id" in payload && typeof payload.id === "string";
}

/** Before each sampling round; resume takes the last one as the thread's settings. */
export interface TurnContextPayload {
  turn_id?: string | null;
  cwd: string;
  approval_policy: Json;
  sandbox_policy: Json;
  model: string;
  effort?: string | null;
  summary?: Json;
  user_instructions?: string | null;
  [extra: string]: unknown;
}

export interface CompactedPayload {
  message: string;
  replacement_history?: unknown[] | null;
}

/** Token counts as the references write them (snake_case). */
export interface RolloutTokenUsage {
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  reasoning_output_tokens: number;
  total_tokens: number;
  cache_write_input_tokens?: number;
}

export interface TaskStartedEvent {
  type: "task_started";
  turn_id: string;
  /** Unix seconds. */
  started_at: number;
  model_context_window: number | null;
}

/**
 * One completed item. DEVIATION from 0.169: `item` is the v2 wire ThreadItem (camelCase, with
 * startedAtMs/completedAtMs), exactly what item/completed carried, where 0.169 writes its internal
 * TurnItem (`{"type":"CommandExecution","command":[argv],"cwd":"file://…","duration":{secs,nanos}}`).
 * Storing the wire shape makes thread/read and resume return byte-for-byte what clients saw live;
 * the reader still converts 0.169's shape (legacyItems.ts).
 */
export interface ItemCompletedEvent {
  type: "item_completed";
  thread_id: string;
  turn_id: string;
  item: ThreadItem;
}

/**
 * Written next to item_completed for userMessage and agentMessage items (rolloutLines.ts), in the
 * shape every codex version reads, so that other readers still find the preview and the text of a
 * Gatehouse thread. Our reducer ignores these in any turn that has an item_completed, so they never
 * become double items.
 */
export interface UserMessageEvent {
  type: "user_message";
  message: string;
  images?: string[] | null;
  local_images?: string[];
  text_elements?: unknown[];
}

export interface AgentMessageEvent {
  type: "agent_message";
  message: string;
}

export interface TokenCountEvent {
  type: "token_count";
  info: {
    total_token_usage: RolloutTokenUsage;
    last_token_usage: RolloutTokenUsage;
    model_context_window: number | null;
  } | null;
  rate_limits?: unknown;
}

/** A turn-ending error. Retry notices (willRetry) are not persisted. */
export interface ErrorEvent {
  type: "error";
  turn_id: string;
  message: string;
  /** The v2 wire form (camelCase); 0.169 writes snake_case, which the reader converts. */
  codex_error_info: CodexErrorInfo | null;
  additional_details?: string | null;
}

export interface TurnAbortedEvent {
  type: "turn_aborted";
  turn_id: string;
  reason: "interrupted" | "replaced" | "review_ended";
  /** Unix seconds; optional as in 0.80, present in 0.169. */
  completed_at?: number;
  duration_ms?: number;
}

export interface TaskCompleteEvent {
  type: "task_complete";
  turn_id: string;
  last_agent_message: string | null;
  completed_at?: number;
  duration_ms?: number;
}

export interface ThreadRolledBackEvent {
  type: "thread_rolled_back";
  num_turns: number;
}

export type RolloutEventMsg =
  | TaskStartedEvent
  | ItemCompletedEvent
  | UserMessageEvent
  | AgentMessageEvent
  | TokenCountEvent
  | ErrorEvent
  | TurnAbortedEvent
  | TaskCompleteEvent
  | ThreadRolledBackEvent;

/** A line without its timestamp: what callers hand to RolloutWriter.append. */
export type RolloutItem =
  | { type: "session_meta"; payload: SessionMetaPayload }
  | { type: "turn_context"; payload: TurnContextPayload }
  /** A Responses input item, stored as sent to / received from the model. */
  | { type: "response_item"; payload: unknown }
  | { type: "compacted"; payload: CompactedPayload }
  | { type: "event_msg"; payload: RolloutEventMsg };

export type RolloutLine = RolloutItem & { timestamp: string };
