// A rollout's head (session_meta + first user message) and the v2 Thread built from it.
// Thread fields follow what 0.169 returns for a stored thread [obs]: createdAt = session_meta
// timestamp (unix s), updatedAt = recencyAt = the file's mtime (unix s), preview = the first user
// message's text, name from session_index.jsonl, turns = [] outside thread/read and resume,
// experimental fields null (the rpc layer filters them for clients that did not opt in).
import type { SessionSource, SubAgentSource, Thread, ThreadHistoryMode, ThreadStatus } from "../../../protocol/v2/thread.js";
import type { Turn } from "../../../protocol/v2/shared.js";
import { isObj, str } from "./legacyItems.js";
import { scanRolloutHead } from "./rolloutReader.js";
import { isSessionMeta, type SessionMetaPayload } from "./rolloutTypes.js";

export interface RolloutHead {
  meta: SessionMetaPayload | null;
  /** null when the head has no user message (such files are not listed). */
  preview: string | null;
}

function userText(content: unknown): string {
  if (!Array.isArray(content)) return "";
  return content
    .filter((c): c is Record<string, unknown> => isObj(c) && c.type === "text" && typeof c.text === "string")
    .map((c) => c.text as string)
    .join("\n");
}

/** The first user message of a line, from any writer: ours, 0.169 (item_completed) or 0.80 (user_message). */
function userMessageText(payload: Record<string, unknown>): string | null {
  if (payload.type === "user_message") return str(payload.message);
  if (payload.type === "item_completed" && isObj(payload.item) && (payload.item.type === "userMessage" || payload.item.type === "UserMessage")) {
    return userText(payload.item.content);
  }
  return null;
}

export async function readRolloutHead(path: string, maxBytes?: number): Promise<RolloutHead> {
  const head: RolloutHead = { meta: null, preview: null };
  await scanRolloutHead(
    path,
    (line) => {
      const p = line.payload as Record<string, unknown>;
      if (line.type === "session_meta" && head.meta === null && isSessionMeta(p)) head.meta = p;
      else if (line.type === "event_msg" && head.preview === null) head.preview = userMessageText(p);
      return head.meta === null || head.preview === null;
    },
    maxBytes,
  );
  return head;
}

/** Rollout `source` (Rust core form) → v2 SessionSource. */
export function toSessionSource(source: unknown): SessionSource {
  switch (source) {
    case "cli":
    case "vscode":
    case "exec":
    case "appServer":
    case "unknown":
      return source;
    case "mcp":
      return "appServer";
    default:
      break;
  }
  if (isObj(source)) {
    const sub = source.subagent ?? source.subAgent;
    // Passed on as its writer (0.169) recorded it; Gatehouse writes no sub-agent threads to check against.
    if (sub !== undefined) return { subAgent: sub as SubAgentSource };
    if (typeof source.custom === "string") return { custom: source.custom };
  }
  return "unknown";
}

/** ThreadSourceKind of a v2 source, for the sourceKinds filter. */
export function sourceKindOf(source: SessionSource): string {
  if (typeof source === "string") return source;
  if ("custom" in source) return "unknown";
  const sub = source.subAgent;
  if (sub === "review") return "subAgentReview";
  if (sub === "compact") return "subAgentCompact";
  if (isObj(sub) && "thread_spawn" in sub) return "subAgentThreadSpawn";
  return "subAgentOther";
}

export interface ThreadExtras {
  path: string;
  preview: string;
  name: string | null;
  /** Unix seconds (the file's mtime). */
  updatedAt: number;
  status: ThreadStatus;
  turns?: Turn[];
  /** The latest model (last turn_context), when the caller has read the whole file. */
  model?: string | null;
  reasoningEffort?: string | null;
}

export function toThread(meta: SessionMetaPayload, x: ThreadExtras): Thread {
  const created = Date.parse(meta.timestamp);
  const createdAt = Number.isFinite(created) ? Math.floor(created / 1000) : x.updatedAt;
  const source = toSessionSource(meta.source);
  const spawn =
    typeof source === "object" && "subAgent" in source && isObj(source.subAgent) ? (source.subAgent as Record<string, unknown>).thread_spawn : undefined;
  const git = meta.git;
  const historyMode = meta.history_mode;
  return {
    id: meta.id,
    sessionId: meta.session_id ?? meta.id,
    forkedFromId: meta.forked_from_id ?? null,
    parentThreadId: isObj(spawn) ? str(spawn.parent_thread_id) : null,
    preview: x.preview,
    ephemeral: false,
    modelProvider: meta.model_provider,
    model: x.model ?? meta.model ?? null,
    reasoningEffort: x.reasoningEffort ?? null,
    createdAt,
    updatedAt: x.updatedAt,
    recencyAt: x.updatedAt,
    status: x.status,
    path: x.path,
    cwd: meta.cwd,
    cliVersion: meta.cli_version,
    originator: meta.originator ?? null,
    source,
    gitInfo: git ? { sha: git.commit_hash ?? null, branch: git.branch ?? null, originUrl: git.repository_url ?? null } : null,
    name: x.name,
    agentNickname: isObj(spawn) ? str(spawn.agent_nickname) : null,
    agentRole: isObj(spawn) ? str(spawn.agent_role) : null,
    threadSource: null,
    projectId: null,
    section: null,
    sectionEnteredAt: null,
    historyMode: historyMode === "paginated" ? "paginated" : ("legacy" satisfies ThreadHistoryMode),
    attachedToThreadId: null,
    canAcceptDirectInput: null,
    environments: null,
    extra: null,
    daybreakEnabled: null,
    turns: x.turns ?? [],
  };
}
