// The thread-history half of the thread API: fork, revert, delete, metadata/update, compact/start and
// the turns/items pagers. Everything goes through the rollout (rolloutHistory.ts decides which lines),
// and a loaded thread takes its new turns and model history from re-reading its own file, so what a
// client sees now is exactly what a restarted daemon rebuilds.
//
// Observed in codex-cli 0.169.0 (probe against the conformance mock):
// - thread/fork {threadId, lastTurnId?} → {thread (turns copied, same turn ids, forkedFromId set, new
//   path), model, …}, then `thread/started`. The fork's next request is the source's history through
//   lastTurnId plus the new input.
// - thread/revert {threadId, beforeTurnId} → {thread (turns: []), turnsBackwardsCursor,
//   itemsBackwardsCursor}, then `thread/reverted {threadId}`; beforeTurnId and later turns are gone
//   from thread/read and from the next request.
// - thread/delete → {} then `thread/deleted {threadId}`; afterwards thread/read says "thread not
//   loaded" and a second delete -32600 "no rollout found for thread id <id>".
// - thread/metadata/update {gitInfo:{branch, sha}} → {thread} with gitInfo patched, turns [].
// - thread/turns/list: newest first by default, itemsView "summary" by default (the user message and
//   the final agent message); thread/items/list: oldest first by default, entries {turnId, item,
//   startedAtMs, completedAtMs}. Cursors are opaque JSON strings; nextCursor null at the end;
//   backwardsCursor (anchor included) whenever the page is non-empty.
// Our cursors anchor on ids (turn id; turn id + item id), not positions: appends only add after the
// newest entry, so paging oldest-first while turns run neither skips nor repeats anything. A cursor
// whose anchor was reverted away is rejected as invalid.
import { v7 as uuidv7 } from "uuid";
import type {
  Thread,
  ThreadForkParams,
  ThreadForkResponse,
  ThreadItem,
  ThreadItemEntry,
  ThreadItemsListParams,
  ThreadItemsListResponse,
  ThreadMetadataUpdateParams,
  ThreadRevertResponse,
  ThreadTurnsListParams,
  ThreadTurnsListResponse,
  Turn,
} from "../../../protocol/v2/index.js";
import { ConflictError, InvalidInputError, NotFoundError } from "../errors.js";
import type { ApprovalPolicy, ClientSink } from "../ports.js";
import { RolloutNotFoundError, RolloutUnreadableError } from "../store/errors.js";
import { loadRollout, rebuild } from "../store/rebuild.js";
import { forkCopy, removeRollout, revertLines, turnsToDrop } from "../store/rolloutHistory.js";
import { readRolloutFile } from "../store/rolloutReader.js";
import { RolloutWriter } from "../store/rolloutWriter.js";
import { appendGitPatch, type GitPatch } from "../store/threadMetadata.js";
import type { LoadedThread, ThreadManager, ThreadOpenOptions } from "./threadManager.js";

const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;

interface Cursor {
  requestedThreadId: string;
  anchor: string;
  includeAnchor: boolean;
  scope: { kind: "turns" | "items" };
}

function encodeCursor(threadId: string, kind: Cursor["scope"]["kind"], anchor: string, includeAnchor: boolean): string {
  return JSON.stringify({ requestedThreadId: threadId, anchor, includeAnchor, scope: { kind } } satisfies Cursor);
}

function decodeCursor(raw: string, threadId: string, kind: Cursor["scope"]["kind"]): Cursor {
  // A client's text: every field is checked before the cast, and one that throws while being
  // checked (`null`) is an invalid cursor like any other.
  try {
    const c = JSON.parse(raw) as Partial<Cursor>;
    if (c.requestedThreadId === threadId && typeof c.anchor === "string" && typeof c.includeAnchor === "boolean" && c.scope?.kind === kind) return c as Cursor;
  } catch {
    /* falls through */
  }
  throw new InvalidInputError(`invalid cursor: ${raw}`);
}

/** One page of `all` (oldest first) in `direction`, after the cursor's anchor. */
function page<T>(
  all: readonly T[],
  key: (t: T) => string,
  opts: { threadId: string; kind: Cursor["scope"]["kind"]; cursor: Cursor | null; rawCursor: string | null; limit: number; direction: "asc" | "desc" },
): { data: T[]; nextCursor: string | null; backwardsCursor: string | null } {
  const ordered = opts.direction === "asc" ? [...all] : [...all].reverse();
  let start = 0;
  if (opts.cursor) {
    const at = ordered.findIndex((t) => key(t) === opts.cursor?.anchor);
    if (at < 0) throw new InvalidInputError(`invalid cursor: ${opts.rawCursor ?? ""}`);
    start = opts.cursor.includeAnchor ? at : at + 1;
  }
  const data = ordered.slice(start, start + opts.limit);
  const last = data[data.length - 1];
  const first = data[0];
  return {
    data,
    nextCursor: last !== undefined && start + opts.limit < ordered.length ? encodeCursor(opts.threadId, opts.kind, key(last), false) : null,
    backwardsCursor: first !== undefined ? encodeCursor(opts.threadId, opts.kind, key(first), true) : null,
  };
}

function pageSize(limit: number | null | undefined): number {
  if (limit === null || limit === undefined) return DEFAULT_PAGE;
  return Math.min(MAX_PAGE, Math.max(1, limit));
}

function itemKey(turnId: string, itemId: string): string {
  return `${turnId}\u0000${itemId}`;
}

function summaryItems(items: readonly ThreadItem[]): ThreadItem[] {
  const user = items.find((i) => i.type === "userMessage");
  const agent = [...items].reverse().find((i) => i.type === "agentMessage");
  const out: ThreadItem[] = [];
  if (user) out.push(user);
  if (agent) out.push(agent);
  return out;
}

function wireGitToPatch(g: NonNullable<ThreadMetadataUpdateParams["gitInfo"]>): GitPatch {
  const patch: GitPatch = {};
  if (g.sha !== undefined) patch.commit_hash = g.sha;
  if (g.branch !== undefined) patch.branch = g.branch;
  if (g.originUrl !== undefined) patch.repository_url = g.originUrl;
  return patch;
}

export class ThreadHistory {
  constructor(private readonly threads: ThreadManager) {}

  /** A thread's turns, oldest first, the running one last with the items it has completed so far. */
  private async turnsOf(threadId: string): Promise<Turn[]> {
    const live = this.threads.peek(threadId);
    if (!live) return (await this.threads.store.load(threadId)).turns;
    const turns = [...live.thread.turns];
    if (live.turn) turns.push(live.turn.wire("inProgress", { startedAt: live.turn.startedAt, items: [...live.turn.completedItems], itemsView: "full" }));
    return turns;
  }

  /** thread/fork, and forkConversation (v1), whose approval policy may be "on-failure". */
  async fork(
    params: Omit<ThreadForkParams, "approvalPolicy"> & { approvalPolicy?: ApprovalPolicy | null | undefined },
    client: ClientSink,
    opts: ThreadOpenOptions = {},
  ): Promise<ThreadForkResponse> {
    const sourceId = params.threadId;
    const live = this.threads.peek(sourceId);
    let path: string;
    if (params.path) path = params.path;
    else if (live) path = live.thread.path;
    else {
      const at = await this.threads.store.find(sourceId);
      if (!at) throw new RolloutNotFoundError(sourceId);
      path = at.path;
    }
    const activeId = live?.turn?.id ?? null;
    if (params.lastTurnId && params.lastTurnId === activeId) throw new ConflictError(`turn ${params.lastTurnId} is still in progress`);
    const { lines } = await readRolloutFile(path);
    const source = rebuild(lines);
    if (!source.meta) throw new RolloutUnreadableError(path, "no session_meta");
    // A running turn is never copied: its end is not on disk yet.
    const dropped = params.lastTurnId
      ? turnsToDrop(source.turns, { keepThrough: params.lastTurnId })
      : turnsToDrop(source.turns, { dropFrom: activeId && source.turns.some((t) => t.id === activeId) ? activeId : null });
    if (dropped === null) throw new NotFoundError(`turn not found: ${params.lastTurnId ?? ""}`);
    const copy = forkCopy(lines, dropped);
    const id = uuidv7();
    const meta = source.meta;
    const writer = await RolloutWriter.create(this.threads.home, {
      threadId: id,
      createdAt: new Date(),
      meta: {
        cwd: meta.cwd,
        originator: client.session.clientInfo?.name ?? meta.originator,
        cli_version: meta.cli_version,
        source: meta.source,
        model_provider: meta.model_provider,
        model: meta.model ?? null,
        base_instructions: meta.base_instructions ?? null,
        git: meta.git ?? null,
        forked_from_id: meta.id,
        session_id: id,
      },
    });
    try {
      await writer.appendCopied(copy.lines);
      if (copy.tail.length > 0) await writer.append(copy.tail);
    } finally {
      await writer.close();
    }
    const res = await this.threads.resume(
      {
        threadId: id,
        model: params.model,
        modelProvider: params.modelProvider,
        cwd: params.cwd,
        approvalPolicy: params.approvalPolicy,
        sandbox: params.sandbox,
        baseInstructions: params.baseInstructions,
        developerInstructions: params.developerInstructions,
        excludeTurns: params.excludeTurns,
      },
      client,
      opts,
    );
    const fork = this.threads.peek(id);
    if (fork) setImmediate(() => fork.thread.emit("thread/started", { thread: fork.thread.toWire() }));
    return res;
  }

  async revert(threadId: string, beforeTurnId: string, client: ClientSink): Promise<ThreadRevertResponse> {
    const live = await this.threads.acquire(threadId, client);
    if (live.turn) throw new ConflictError("cannot revert a thread while a turn is running");
    await live.rollout.sync();
    const { lines } = await readRolloutFile(live.thread.path);
    const dropped = turnsToDrop(rebuild(lines).turns, { dropFrom: beforeTurnId });
    if (dropped === null) throw new NotFoundError(`turn not found: ${beforeTurnId}`);
    await live.rollout.append(revertLines(lines, dropped));
    await live.rollout.sync();
    await this.reload(live);
    setImmediate(() => live.thread.emit("thread/reverted", { threadId }));
    const lastTurn = live.thread.turns[live.thread.turns.length - 1];
    const lastItem = lastTurn?.items[lastTurn.items.length - 1];
    return {
      thread: live.thread.toWire([]),
      turnsBackwardsCursor: lastTurn ? encodeCursor(threadId, "turns", lastTurn.id, true) : null,
      itemsBackwardsCursor: lastTurn && lastItem ? encodeCursor(threadId, "items", itemKey(lastTurn.id, lastItem.id), true) : null,
    };
  }

  /** Takes turns, history and preview from the file, as a restart would. */
  private async reload(live: LoadedThread): Promise<void> {
    const r = await loadRollout(live.thread.path);
    live.thread.turns = r.turns;
    live.thread.history = r.history;
    live.thread.preview = r.preview;
    live.thread.updatedAt = Math.floor(Date.now() / 1000);
  }

  async delete(threadId: string, client: ClientSink): Promise<void> {
    const at = await this.threads.store.find(threadId);
    if (!at) throw new RolloutNotFoundError(threadId);
    const listeners = new Set(await this.threads.forget(threadId));
    listeners.add(client);
    await removeRollout(threadId, at.path);
    setImmediate(() => {
      for (const c of listeners) if (!c.closed) c.notify("thread/deleted", { threadId });
    });
  }

  async updateMetadata(params: ThreadMetadataUpdateParams): Promise<Thread> {
    const { threadId } = params;
    const at = await this.threads.store.find(threadId);
    if (!at) throw new RolloutNotFoundError(threadId);
    if (params.gitInfo) {
      for (const v of [params.gitInfo.sha, params.gitInfo.branch, params.gitInfo.originUrl]) {
        if (typeof v === "string" && v.trim() === "") throw new InvalidInputError("gitInfo fields must be non-empty strings or null");
      }
      await appendGitPatch(this.threads.home, at.file.threadId, wireGitToPatch(params.gitInfo));
    }
    const stored = await this.threads.store.load(threadId);
    const live = this.threads.peek(threadId);
    if (live) {
      live.thread.gitInfo = stored.thread.gitInfo;
      return live.thread.toWire([]);
    }
    return { ...stored.thread, turns: [] };
  }

  async compact(threadId: string, client: ClientSink): Promise<void> {
    await this.threads.startTurn({ threadId, input: [] }, client, { compactOnly: true });
  }

  async listTurns(params: ThreadTurnsListParams): Promise<ThreadTurnsListResponse> {
    const { threadId } = params;
    const turns = await this.turnsOf(threadId);
    const cursor = params.cursor ? decodeCursor(params.cursor, threadId, "turns") : null;
    const view = params.itemsView ?? "summary";
    const res = page(turns, (t) => t.id, {
      threadId,
      kind: "turns",
      cursor,
      rawCursor: params.cursor ?? null,
      limit: pageSize(params.limit),
      direction: params.sortDirection ?? "desc",
    });
    const data = res.data.map((t) => ({ ...t, itemsView: view, items: view === "full" ? t.items : view === "summary" ? summaryItems(t.items) : [] }));
    return { ...res, data };
  }

  async listItems(params: ThreadItemsListParams): Promise<ThreadItemsListResponse> {
    const { threadId } = params;
    const turns = await this.turnsOf(threadId);
    const turnId = params.turnId || null;
    if (turnId !== null && !turns.some((t) => t.id === turnId)) throw new NotFoundError(`turn not found: ${turnId}`);
    const entries: ThreadItemEntry[] = [];
    for (const t of turns) {
      if (turnId !== null && t.id !== turnId) continue;
      for (const item of t.items) {
        entries.push({ turnId: t.id, item, startedAtMs: item.startedAtMs ?? null, completedAtMs: item.completedAtMs ?? null });
      }
    }
    let cursor: Cursor | null = null;
    const raw = params.cursor ?? null;
    if (typeof raw === "string") cursor = decodeCursor(raw, threadId, "items");
    else if (raw) {
      if (turnId === null) throw new InvalidInputError("an item anchor requires turnId");
      cursor = { requestedThreadId: threadId, anchor: itemKey(turnId, raw.itemId), includeAnchor: false, scope: { kind: "items" } };
    }
    return page(entries, (e) => itemKey(e.turnId, e.item.id), {
      threadId,
      kind: "items",
      cursor,
      rawCursor: typeof raw === "string" ? raw : JSON.stringify(raw),
      limit: pageSize(params.limit),
      direction: params.sortDirection ?? "asc",
    });
  }
}
