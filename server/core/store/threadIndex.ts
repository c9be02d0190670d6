// Finding, listing, archiving and naming stored threads.
//
// thread/list paging: every file has an immutable sort key taken from its name, (timestamp, uuid)
// for created_at, and a page holds the files strictly beyond the cursor's key. A thread created
// between two pages has a newer key, so (newest first) it never shifts or repeats an entry of a
// later page; a file that grows keeps its key. updated_at sorts by the file's mtime (ms, then
// uuid), which appends do change: a thread updated between pages moves ahead of the cursor and
// is not shown again on later pages (no duplicates, but it can be skipped, inherently).
//
// 0.169 [obs]: limit 0 → 1 item, default 25, max 100; cursor "2026-11-22T12:00:05Z|<uuid>"
// (created_at; 0.80's "2026-11-22T12-00-05|<uuid>" is accepted too) or
// "2026-11-23T12:59:27.637Z|<uuid>" (updated_at); nextCursor null once the scan is exhausted;
// files without session_meta or without a user message are not listed; searchTerm is a
// case-sensitive substring of the name or the preview; unarchive touches the file (updatedAt).
import { mkdir, readdir, rename, stat, utimes } from "node:fs/promises";
import { join } from "node:path";
import type { Thread, ThreadListParams, ThreadListResponse, ThreadStatus } from "../../../protocol/v2/thread.js";
import { RolloutNotFoundError, ThreadStoreRequestError } from "./errors.js";
import { archivedDir, parseRolloutFileName, sessionDayDir, sessionsDir, type RolloutFileName } from "./paths.js";
import { loadRollout, type LoadedRollout } from "./rebuild.js";
import { appendThreadName, readThreadNames } from "./sessionIndex.js";
import { applyGitPatches, readGitPatches, type GitPatch } from "./threadMetadata.js";
import type { SessionMetaPayload } from "./rolloutTypes.js";
import { readRolloutHead, sourceKindOf, toSessionSource, toThread } from "./threadSummary.js";

export interface ThreadIndexOptions {
  home: string;
  /** Live status of loaded threads; stored threads are notLoaded. */
  statusOf?: (threadId: string) => ThreadStatus | undefined;
  /** Files whose head a single list call may read (the reference caps its scan too). */
  scanCap?: number;
  /** Bytes of each file read to find session_meta and the first user message. */
  headBytes?: number;
}

export interface LocatedRollout {
  path: string;
  archived: boolean;
  file: RolloutFileName;
}

export type StoredThread = LoadedRollout & { archived: boolean; thread: Thread };

interface Entry {
  path: string;
  file: RolloutFileName;
  /** created_at: the name's stamp; updated_at: mtime in whole ms. */
  primary: string | number;
}

type Direction = "asc" | "desc";
const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 100;
// Sources listed when sourceKinds is omitted or empty: interactive ones, as the reference.
const INTERACTIVE_KINDS = new Set(["cli", "vscode", "appServer"]);
const UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
const CREATED_CURSOR = new RegExp(`^(\\d{4}-\\d{2}-\\d{2})T(\\d{2})[:-](\\d{2})[:-](\\d{2})Z?\\|(${UUID})$`);
const UPDATED_CURSOR = new RegExp(`^(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?Z)\\|(${UUID})$`);

function compare(a: { primary: string | number; id: string }, b: { primary: string | number; id: string }): number {
  if (a.primary !== b.primary) return a.primary < b.primary ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

async function dirNames(dir: string, re: RegExp): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((n) => re.test(n)).sort();
  } catch {
    return [];
  }
}

async function rolloutFilesIn(dir: string): Promise<Array<{ path: string; file: RolloutFileName }>> {
  const out = [];
  for (const name of await dirNames(dir, /^rollout-.*\.jsonl$/)) {
    const file = parseRolloutFileName(name);
    if (file) out.push({ path: join(dir, name), file });
  }
  return out;
}

function isNotFound(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}

/** Day folders of sessions/, in `dir` order, pruned to those that can hold keys beyond `fromDay`. */
async function* dayDirs(home: string, dir: Direction, fromDay: string | null): AsyncGenerator<string> {
  const order = <T>(xs: T[]): T[] => (dir === "desc" ? [...xs].reverse() : xs);
  const beyond = (prefix: string): boolean =>
    fromDay === null || (dir === "desc" ? prefix <= fromDay.slice(0, prefix.length) : prefix >= fromDay.slice(0, prefix.length));
  const root = sessionsDir(home);
  for (const y of order(await dirNames(root, /^\d{4}$/))) {
    if (!beyond(y)) continue;
    for (const m of order(await dirNames(join(root, y), /^\d{2}$/))) {
      if (!beyond(`${y}-${m}`)) continue;
      for (const d of order(await dirNames(join(root, y, m), /^\d{2}$/))) {
        if (beyond(`${y}-${m}-${d}`)) yield join(root, y, m, d);
      }
    }
  }
}

/** session_meta with thread/metadata/update's Git edits applied (threadMetadata.ts). */
function withGit(meta: SessionMetaPayload, patches: Map<string, GitPatch[]>): SessionMetaPayload {
  const list = patches.get(meta.id.toLowerCase());
  return list ? { ...meta, git: applyGitPatches(meta.git, list) } : meta;
}

export class ThreadIndex {
  private readonly home: string;
  private readonly statusOf: (threadId: string) => ThreadStatus | undefined;
  private readonly scanCap: number;
  private readonly headBytes: number | undefined;

  constructor(options: ThreadIndexOptions) {
    this.home = options.home;
    this.statusOf = options.statusOf ?? (() => undefined);
    this.scanCap = options.scanCap ?? 10_000;
    this.headBytes = options.headBytes;
  }

  /** Finds a thread's rollout in sessions/ (first) or archived_sessions/. */
  async find(threadId: string): Promise<LocatedRollout | null> {
    const id = threadId.toLowerCase();
    const matches = (f: { file: RolloutFileName }): boolean => f.file.threadId === id;
    // Fast path: a UUIDv7 carries its creation time, so look in that local day (± one day for
    // clock and zone differences) before walking every folder.
    if (/^[0-9a-f]{8}-[0-9a-f]{4}-7/.test(id)) {
      const ms = parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
      for (const delta of [0, -1, 1]) {
        const d = new Date(ms + delta * 86_400_000);
        const dir = sessionDayDir(this.home, {
          year: String(d.getFullYear()),
          month: String(d.getMonth() + 1).padStart(2, "0"),
          day: String(d.getDate()).padStart(2, "0"),
        });
        const hit = (await rolloutFilesIn(dir)).find(matches);
        if (hit) return { ...hit, archived: false };
      }
    }
    for await (const dir of dayDirs(this.home, "desc", null)) {
      const hit = (await rolloutFilesIn(dir)).find(matches);
      if (hit) return { ...hit, archived: false };
    }
    const hit = (await rolloutFilesIn(archivedDir(this.home))).find(matches);
    return hit ? { ...hit, archived: true } : null;
  }

  /** Reads and rebuilds a stored thread, with its name and a Thread (turns included). */
  async load(threadId: string): Promise<StoredThread> {
    const at = await this.find(threadId);
    if (!at) throw new RolloutNotFoundError(threadId);
    const rollout = await loadRollout(at.path);
    const [names, st, git] = await Promise.all([readThreadNames(this.home), stat(at.path), readGitPatches(this.home)]);
    const name = names.get(rollout.meta.id) ?? rollout.name;
    const thread = toThread(withGit(rollout.meta, git), {
      path: at.path,
      preview: rollout.preview,
      name,
      updatedAt: Math.floor(st.mtimeMs / 1000),
      status: this.statusOf(rollout.meta.id) ?? { type: "notLoaded" },
      turns: rollout.turns,
      model: rollout.lastTurnContext?.model ?? null,
      reasoningEffort: rollout.lastTurnContext?.effort ?? null,
    });
    return { ...rollout, name, archived: at.archived, thread };
  }

  /** The list form of one stored thread (turns: []), e.g. for thread/unarchive's response. */
  async summary(path: string): Promise<Thread | null> {
    const head = await readRolloutHead(path, this.headBytes);
    if (!head.meta) return null;
    const [names, st, git] = await Promise.all([readThreadNames(this.home), stat(path), readGitPatches(this.home)]);
    return toThread(withGit(head.meta, git), {
      path,
      preview: head.preview ?? "",
      name: names.get(head.meta.id) ?? null,
      updatedAt: Math.floor(st.mtimeMs / 1000),
      status: this.statusOf(head.meta.id) ?? { type: "notLoaded" },
    });
  }

  async list(params: ThreadListParams): Promise<ThreadListResponse> {
    const limit = Math.min(MAX_LIMIT, Math.max(1, params.limit ?? DEFAULT_LIMIT));
    const direction: Direction = params.sortDirection === "asc" ? "asc" : "desc";
    const byUpdated = params.sortKey === "updated_at" || params.sortKey === "recency_at";
    const cursor = params.cursor ? this.decodeCursor(params.cursor, byUpdated) : null;
    const [names, git] = await Promise.all([readThreadNames(this.home), readGitPatches(this.home)]);
    const filter = this.filter(params);

    const data: Thread[] = [];
    let last: Entry | null = null;
    let more = false;
    let scanned = 0;
    for await (const entry of this.entries(params.archived === true, byUpdated, direction, cursor)) {
      if (scanned >= this.scanCap) {
        // Out of budget: hand back a cursor at the last file examined, so paging can go on.
        more = true;
        break;
      }
      scanned++;
      let head;
      try {
        head = await readRolloutHead(entry.path, this.headBytes);
      } catch {
        continue; // vanished (archived meanwhile) or unreadable: not listed
      }
      if (!head.meta || head.preview === null) {
        last = entry;
        continue;
      }
      const name = names.get(head.meta.id) ?? null;
      if (!filter(head.meta, head.preview, name)) {
        last = entry;
        continue;
      }
      if (data.length === limit) {
        more = true;
        break;
      }
      const mtimeMs = typeof entry.primary === "number" ? entry.primary : (await stat(entry.path).catch(() => null))?.mtimeMs;
      if (mtimeMs === undefined) continue;
      data.push(
        toThread(withGit(head.meta, git), {
          path: entry.path,
          preview: head.preview,
          name,
          updatedAt: Math.floor(mtimeMs / 1000),
          status: this.statusOf(head.meta.id) ?? { type: "notLoaded" },
        }),
      );
      last = entry;
    }
    return { data, nextCursor: more && last ? this.encodeCursor(last, byUpdated) : null, backwardsCursor: null, readStates: null };
  }

  /** Moves sessions/YYYY/MM/DD/<file> to archived_sessions/<file>. Close the thread's writer first. */
  async archive(threadId: string): Promise<{ path: string }> {
    const at = await this.find(threadId);
    if (!at || at.archived) throw new RolloutNotFoundError(threadId);
    const dir = archivedDir(this.home);
    await mkdir(dir, { recursive: true });
    const dest = join(dir, at.path.slice(at.path.lastIndexOf("/") + 1));
    await this.move(threadId, at.path, dest);
    return { path: dest };
  }

  /** Moves the file back to the dated folder its name gives, touches it (updatedAt) and returns its Thread. */
  async unarchive(threadId: string): Promise<Thread> {
    const at = await this.find(threadId);
    if (!at || !at.archived) throw new RolloutNotFoundError(threadId, null, true);
    const dir = sessionDayDir(this.home, at.file);
    await mkdir(dir, { recursive: true });
    const dest = join(dir, at.path.slice(at.path.lastIndexOf("/") + 1));
    await this.move(threadId, at.path, dest);
    const now = new Date();
    await utimes(dest, now, now);
    const thread = await this.summary(dest);
    if (!thread) throw new RolloutNotFoundError(threadId, dest);
    return thread;
  }

  /** Persists a name the way 0.169 does (session_index.jsonl); returns the trimmed name. */
  async setName(threadId: string, name: string): Promise<string> {
    const trimmed = name.trim();
    if (trimmed === "") throw new ThreadStoreRequestError("emptyThreadName", "thread name must not be empty");
    const at = await this.find(threadId);
    if (!at) throw new RolloutNotFoundError(threadId);
    await appendThreadName(this.home, at.file.threadId, trimmed);
    return trimmed;
  }

  async getName(threadId: string): Promise<string | null> {
    return (await readThreadNames(this.home)).get(threadId.toLowerCase()) ?? null;
  }

  private async move(threadId: string, from: string, to: string): Promise<void> {
    // rename(2) is atomic within one file system; never overwrite a file already there.
    if (
      await stat(to).then(
        () => true,
        () => false,
      )
    )
      throw new ThreadStoreRequestError("alreadyArchived", `rollout ${to} already exists`);
    try {
      await rename(from, to);
    } catch (e) {
      if (isNotFound(e)) throw new RolloutNotFoundError(threadId, from);
      throw e;
    }
  }

  private filter(
    params: ThreadListParams,
  ): (meta: { id: string; model_provider: string; cwd: string; source: unknown }, preview: string, name: string | null) => boolean {
    const providers = params.modelProviders?.length ? new Set(params.modelProviders) : null;
    const kinds = params.sourceKinds?.length ? new Set<string>(params.sourceKinds) : INTERACTIVE_KINDS;
    const cwds = params.cwd === null || params.cwd === undefined ? null : new Set(Array.isArray(params.cwd) ? params.cwd : [params.cwd]);
    const excluded = new Set((params.excludedThreadIds ?? []).map((id) => id.toLowerCase()));
    const term = params.searchTerm || null;
    return (meta, preview, name) => {
      if (excluded.has(meta.id.toLowerCase())) return false;
      if (providers && !providers.has(meta.model_provider)) return false;
      if (cwds && !cwds.has(meta.cwd)) return false;
      const kind = sourceKindOf(toSessionSource(meta.source));
      if (!kinds.has(kind) && !(kinds.has("subAgent") && kind.startsWith("subAgent"))) return false;
      if (term !== null && !preview.includes(term) && !(name ?? "").includes(term)) return false;
      return true;
    };
  }

  private async *entries(archived: boolean, byUpdated: boolean, direction: Direction, cursor: Entry | null): AsyncGenerator<Entry> {
    const beyond = (e: Entry): boolean => {
      if (!cursor) return true;
      const c = compare({ primary: e.primary, id: e.file.threadId }, { primary: cursor.primary, id: cursor.file.threadId });
      return direction === "desc" ? c < 0 : c > 0;
    };
    const sorted = (xs: Entry[]): Entry[] => {
      xs.sort((a, b) => compare({ primary: a.primary, id: a.file.threadId }, { primary: b.primary, id: b.file.threadId }));
      return direction === "desc" ? xs.reverse() : xs;
    };
    if (byUpdated) {
      // mtime order needs every file's stat up front.
      const files = archived ? await rolloutFilesIn(archivedDir(this.home)) : [];
      if (!archived) for await (const dir of dayDirs(this.home, direction, null)) files.push(...(await rolloutFilesIn(dir)));
      const all: Entry[] = [];
      for (const f of files) {
        const st = await stat(f.path).catch(() => null);
        if (st) all.push({ ...f, primary: Math.floor(st.mtimeMs) });
      }
      for (const e of sorted(all)) if (beyond(e)) yield e;
      return;
    }
    const asEntries = (fs: Array<{ path: string; file: RolloutFileName }>): Entry[] => fs.map((f) => ({ ...f, primary: f.file.stamp }));
    if (archived) {
      for (const e of sorted(asEntries(await rolloutFilesIn(archivedDir(this.home))))) if (beyond(e)) yield e;
      return;
    }
    const fromDay = cursor ? String(cursor.primary).slice(0, 10) : null;
    for await (const dir of dayDirs(this.home, direction, fromDay)) {
      for (const e of sorted(asEntries(await rolloutFilesIn(dir)))) if (beyond(e)) yield e;
    }
  }

  private encodeCursor(e: Entry, byUpdated: boolean): string {
    if (byUpdated) return `${new Date(e.primary as number).toISOString()}|${e.file.threadId}`;
    const s = e.file.stamp;
    return `${s.slice(0, 10)}T${s.slice(11).replace(/-/g, ":")}Z|${e.file.threadId}`;
  }

  private decodeCursor(cursor: string, byUpdated: boolean): Entry {
    const invalid = (): ThreadStoreRequestError => new ThreadStoreRequestError("invalidCursor", `invalid cursor: ${cursor}`);
    if (byUpdated) {
      const m = UPDATED_CURSOR.exec(cursor);
      const ms = m ? Date.parse(m[1] as string) : NaN;
      if (!m || !Number.isFinite(ms)) throw invalid();
      return { path: "", primary: ms, file: { stamp: "", year: "", month: "", day: "", threadId: (m[2] as string).toLowerCase() } };
    }
    const m = CREATED_CURSOR.exec(cursor);
    if (!m) throw invalid();
    // Every group is mandatory, so a match has them all; the defaults only satisfy the index type.
    const [, day = "", hh = "", mm = "", ss = "", id = ""] = m;
    const stamp = `${day}T${hh}-${mm}-${ss}`;
    return { path: "", primary: stamp, file: { stamp, year: day.slice(0, 4), month: day.slice(5, 7), day: day.slice(8, 10), threadId: id.toLowerCase() } };
  }
}
