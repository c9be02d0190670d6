// The rollout reducer: rollout lines → v2 turns (with items), the model history, the last
// turn_context and the token usage. Pure; loadRollout() adds the file read.
//
// Rules (the reference's, plus what our own writer needs):
// - task_started opens an explicit turn with its id; task_complete completes it, turn_aborted
//   interrupts it, a persisted `error` fails it (a later task_complete keeps it failed).
// - An explicit turn that ends without task_complete/turn_aborted (the next task_started, or EOF
//   after a crash) reads back `interrupted`, never `completed`, with completedAt null, as 0.169 does.
// - Implicit turns (0.80 files: no task markers) open on user_message and are closed by the next
//   user_message as completed, because 0.80 never wrote an end marker for a finished turn.
// - Items come from item_completed (ours: the wire ThreadItem; 0.169: its TurnItem, converted) and
//   are upserted by id into the turn named by turn_id. Legacy events (user_message, agent_message,
//   agent_reasoning*, exec_command_*, patch_apply_*, mcp_tool_call_*) build a second list; a turn
//   uses it only when it has no item_completed at all. That is how our compatibility
//   user_message/agent_message lines never become double items, and how 0.80 files still rebuild.
// - Implicit turn ids are UUIDv7 derived from the line (its timestamp and position), so reading
//   the same file twice gives the same ids; id-less items get item-1, item-2, ….
// - History = response_item payloads; `compacted` replaces what precedes it; thread_rolled_back
//   drops the last N turns and the last N user turns of history.
import { createHash } from "node:crypto";
import { v7 as uuidv7 } from "uuid";
import type { ThreadItem, Turn, TurnError, TurnStatus } from "../../../protocol/v2/shared.js";
import type { ThreadTokenUsage, TokenUsageBreakdown } from "../../../protocol/v2/thread.js";
import { RolloutUnreadableError } from "./errors.js";
import {
  errorInfoFromRollout,
  execEventToItem,
  isObj,
  mcpEventToItem,
  num,
  patchEventToItem,
  str,
  turnItemToThreadItem,
  userMessageContent,
} from "./legacyItems.js";
import { readRolloutFile, type RawLine } from "./rolloutReader.js";
import { isSessionMeta, type SessionMetaPayload, type TurnContextPayload } from "./rolloutTypes.js";

export interface RebuiltThread {
  /** The first session_meta (a fork replays its source's meta after its own). */
  meta: SessionMetaPayload | null;
  turns: Turn[];
  /** Responses items for the next request, compaction and rollback applied. */
  history: unknown[];
  lastTurnContext: TurnContextPayload | null;
  /** From a thread_name_updated line if another writer left one; names normally live in session_index.jsonl. */
  name: string | null;
  tokenUsage: ThreadTokenUsage | null;
  /** Text of the first user message ("" if none), for Thread.preview. */
  preview: string;
  skippedLines: number;
}

class ItemList {
  readonly items: ThreadItem[] = [];
  private readonly byId = new Map<string, number>();

  upsert(item: ThreadItem): void {
    const at = this.byId.get(item.id);
    if (at === undefined) {
      this.byId.set(item.id, this.items.length);
      this.items.push(item);
    } else {
      this.items[at] = item;
    }
  }

  last(): ThreadItem | undefined {
    return this.items[this.items.length - 1];
  }
}

interface TurnBuilder {
  id: string;
  rootTurnId: string;
  explicit: boolean;
  status: TurnStatus;
  ended: boolean;
  error: TurnError | null;
  startedAt: number | null;
  completedAt: number | null;
  durationMs: number | null;
  exact: ItemList;
  legacy: ItemList;
  /** compacted keeps an otherwise empty implicit turn. */
  keep: boolean;
}

type Obj = Record<string, unknown>;

function breakdown(v: unknown): TokenUsageBreakdown {
  const o = isObj(v) ? v : {};
  const b: TokenUsageBreakdown = {
    totalTokens: num(o.total_tokens) ?? 0,
    inputTokens: num(o.input_tokens) ?? 0,
    cachedInputTokens: num(o.cached_input_tokens) ?? 0,
    outputTokens: num(o.output_tokens) ?? 0,
    reasoningOutputTokens: num(o.reasoning_output_tokens) ?? 0,
  };
  const cw = num(o.cache_write_input_tokens);
  if (cw !== null) b.cacheWriteInputTokens = cw;
  return b;
}

/** A real user turn in history, not an injected wrapper (<environment_context>, <turn_aborted>, AGENTS.md…). */
function isUserTurnMessage(item: unknown): boolean {
  if (!isObj(item) || item.type !== "message" || item.role !== "user" || !Array.isArray(item.content)) return false;
  const first = item.content.find((c): c is Obj => isObj(c) && typeof c.text === "string");
  const text = first ? (first.text as string).trimStart() : "";
  return !(text.startsWith("<") || text.startsWith("# AGENTS.md instructions"));
}

function previewOf(item: ThreadItem): string {
  if (item.type !== "userMessage") return "";
  return item.content
    .filter((c): c is Extract<typeof c, { type: "text" }> => c.type === "text")
    .map((c) => c.text)
    .join("\n");
}

export function rebuild(lines: readonly RawLine[], skippedLines = 0): RebuiltThread {
  let meta: SessionMetaPayload | null = null;
  let history: unknown[] = [];
  let lastTurnContext: TurnContextPayload | null = null;
  let name: string | null = null;
  let tokenUsage: ThreadTokenUsage | null = null;
  let turns: TurnBuilder[] = [];
  let current: TurnBuilder | null = null;
  let nextItem = 1;

  const implicitId = (line: RawLine): string => {
    const ms = line.timestamp ? Date.parse(line.timestamp) : NaN;
    const seed = createHash("sha256")
      .update(`${meta?.id ?? ""}:${line.index}`)
      .digest();
    return uuidv7({ msecs: Number.isFinite(ms) ? ms : 0, random: new Uint8Array(seed.subarray(0, 16)), seq: seed.readUInt32BE(16) & 0x7fffffff });
  };

  const close = (): void => {
    if (!current) return;
    if (!current.ended)
      current.status = current.explicit
        ? current.status === "failed"
          ? "failed"
          : "interrupted"
        : current.status === "inProgress"
          ? "completed"
          : current.status;
    current = null;
  };

  const open = (id: string, explicit: boolean, startedAt: number | null, rootTurnId: string | null): TurnBuilder => {
    close();
    const t: TurnBuilder = {
      id,
      rootTurnId: rootTurnId ?? id,
      explicit,
      status: "inProgress",
      ended: false,
      error: null,
      startedAt,
      completedAt: null,
      durationMs: null,
      exact: new ItemList(),
      legacy: new ItemList(),
      keep: false,
    };
    turns.push(t);
    current = t;
    return t;
  };

  const ensureTurn = (line: RawLine): TurnBuilder => current ?? open(implicitId(line), false, null, null);

  /** The turn an event names; falls back to the open turn, or opens one with that id. */
  const turnFor = (turnId: string | null, line: RawLine): TurnBuilder => {
    if (turnId !== null) {
      for (let i = turns.length - 1; i >= 0; i--) if (turns[i]?.id === turnId) return turns[i] as TurnBuilder;
      if (current) return current;
      return open(turnId, true, null, null);
    }
    return ensureTurn(line);
  };

  const end = (t: TurnBuilder, status: TurnStatus, p: Obj): void => {
    t.status = status;
    t.ended = true;
    t.completedAt = num(p.completed_at);
    t.durationMs = num(p.duration_ms);
    if (t === current) current = null;
  };

  const newItemId = (): string => `item-${nextItem++}`;

  for (const line of lines) {
    const p = line.payload as Obj;
    switch (line.type) {
      case "session_meta":
        if (meta === null && isSessionMeta(p)) meta = p;
        break;
      case "turn_context":
        // Unchecked: the line as its writer wrote it; resume reads it field by field (threadManager.ts).
        lastTurnContext = p as TurnContextPayload;
        break;
      case "response_item":
        history.push(p);
        break;
      case "compacted": {
        const replacement = Array.isArray(p.replacement_history) ? p.replacement_history : null;
        history = replacement ?? [{ type: "message", role: "user", content: [{ type: "input_text", text: str(p.message) ?? "" }] }];
        // Only marks the open turn (a compaction runs inside one); between turns it opens none.
        const open1 = current as TurnBuilder | null;
        if (open1) open1.keep = true;
        break;
      }
      case "event_msg":
        switch (p.type) {
          case "task_started":
          case "turn_started": {
            const id = str(p.turn_id) ?? implicitId(line);
            open(id, true, num(p.started_at), str(p.root_turn_id));
            break;
          }
          case "user_message": {
            // `current` is reassigned inside closures, which control-flow narrowing cannot see.
            const open0 = current as TurnBuilder | null;
            if (open0 && !open0.explicit && (open0.legacy.items.length > 0 || open0.exact.items.length > 0)) close();
            ensureTurn(line).legacy.upsert({ type: "userMessage", id: newItemId(), clientId: null, content: userMessageContent(p) });
            break;
          }
          case "agent_message": {
            const message = str(p.message);
            if (!message) break;
            ensureTurn(line).legacy.upsert({
              type: "agentMessage",
              id: newItemId(),
              text: message,
              phase: null,
              memoryCitation: null,
              moderation: null,
              delivery: null,
              questions: null,
            });
            break;
          }
          case "agent_reasoning":
          case "agent_reasoning_raw_content": {
            const text = str(p.text);
            if (text === null) break;
            const t = ensureTurn(line);
            const raw = p.type === "agent_reasoning_raw_content";
            const last = t.legacy.last();
            if (last?.type === "reasoning") {
              t.legacy.upsert(raw ? { ...last, content: [...(last.content ?? []), text] } : { ...last, summary: [...(last.summary ?? []), text] });
            } else {
              t.legacy.upsert({ type: "reasoning", id: newItemId(), summary: raw ? [] : [text], content: raw ? [text] : [] });
            }
            break;
          }
          case "exec_command_begin":
          case "exec_command_end":
          case "patch_apply_begin":
          case "patch_apply_end":
          case "mcp_tool_call_begin":
          case "mcp_tool_call_end": {
            const kind = p.type as string;
            const ended = kind.endsWith("_end");
            const item = kind.startsWith("exec") ? execEventToItem(p, ended) : kind.startsWith("patch") ? patchEventToItem(p, ended) : mcpEventToItem(p, ended);
            if (item) turnFor(str(p.turn_id), line).legacy.upsert(item);
            break;
          }
          case "item_completed": {
            const raw = p.item;
            if (!isObj(raw) || typeof raw.type !== "string" || typeof raw.id !== "string") break;
            // Ours is the wire ThreadItem (camelCase type), taken back as we wrote it, unchecked; 0.169's
            // TurnItem has a PascalCase type.
            const item = /^[a-z]/.test(raw.type) ? (raw as ThreadItem) : turnItemToThreadItem(raw, num(p.started_at_ms), num(p.completed_at_ms));
            if (item) turnFor(str(p.turn_id), line).exact.upsert(item);
            break;
          }
          case "error": {
            const t = turnFor(str(p.turn_id), line);
            t.status = "failed";
            t.error = { message: str(p.message) ?? "", codexErrorInfo: errorInfoFromRollout(p.codex_error_info), additionalDetails: str(p.additional_details) };
            break;
          }
          case "turn_aborted":
            end(turnFor(str(p.turn_id), line), "interrupted", p);
            break;
          case "task_complete": {
            const t = turnFor(str(p.turn_id), line);
            end(t, t.status === "failed" ? "failed" : "completed", p);
            break;
          }
          case "thread_rolled_back": {
            const n = Math.max(0, Math.floor(num(p.num_turns) ?? 0));
            close();
            if (n > 0) {
              turns = turns.slice(0, Math.max(0, turns.length - n));
              let seen = 0;
              for (let i = history.length - 1; i >= 0; i--) {
                if (isUserTurnMessage(history[i]) && ++seen === n) {
                  history = history.slice(0, i);
                  break;
                }
              }
            }
            break;
          }
          case "token_count":
            if (isObj(p.info)) {
              tokenUsage = {
                total: breakdown(p.info.total_token_usage),
                last: breakdown(p.info.last_token_usage),
                modelContextWindow: num(p.info.model_context_window),
              };
            }
            break;
          case "thread_name_updated":
            name = str(p.thread_name) ?? name;
            break;
          default:
            break;
        }
        break;
    }
  }
  close();

  const out: Turn[] = [];
  for (const t of turns) {
    const items = t.exact.items.length > 0 ? t.exact.items : t.legacy.items;
    if (!t.explicit && items.length === 0 && !t.keep) continue;
    out.push({
      id: t.id,
      rootTurnId: t.rootTurnId,
      items,
      itemsView: "full",
      status: t.status,
      error: t.error,
      startedAt: t.startedAt,
      completedAt: t.completedAt,
      durationMs: t.durationMs,
    });
  }
  let preview = "";
  outer: for (const t of out) {
    for (const item of t.items) {
      if (item.type === "userMessage") {
        preview = previewOf(item);
        break outer;
      }
    }
  }
  return { meta, turns: out, history, lastTurnContext, name, tokenUsage, preview, skippedLines };
}

export type LoadedRollout = RebuiltThread & { meta: SessionMetaPayload; path: string };

/**
 * Reads and rebuilds one rollout. A file with no session_meta (empty, garbage) is unreadable, as
 * 0.169 says "failed to read session metadata <path>: rollout at <path> is empty".
 */
export async function loadRollout(path: string): Promise<LoadedRollout> {
  const { lines, skipped } = await readRolloutFile(path);
  const result = rebuild(lines, skipped);
  if (result.meta === null) throw new RolloutUnreadableError(path, `failed to read session metadata: rollout at ${path} is empty or has no session_meta`);
  return { ...result, meta: result.meta, path };
}
