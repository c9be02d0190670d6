// The searchable entries of one root, kept between requests and revalidated before every reuse.
//
// Why a cache: a fresh walk of a 10,000-file tree is ~2,000 readdir calls through libuv's thread
// pool, which cost more than 0.169's whole answer; a stat of every walked folder is several times
// cheaper than reading it, and reading only the folders that changed keeps a changed tree cheap too.
//
// Why it is never stale: a folder's listing can only change together with its ctime/mtime (adding,
// removing or renaming an entry updates them; chmod updates ctime), and a .gitignore's rules only
// with its own stamp or its folder's. Every search stats every folder it walked and every
// .gitignore it read and compares the full stamp; any difference rebuilds, re-reading only the
// folders whose stamp changed. Timestamps are coarse (a jiffy on Linux, seconds on some file
// systems), so a second change within the same tick as our read would leave the stamp equal:
// a folder or .gitignore changed less than RACY_MS before it was read is not trusted and is read
// again next time (git's "racily clean" rule).
//
// Why synchronous fs calls: they are several times faster than their promise versions here (no
// thread-pool round trip per folder), and the work is cut into slices of at most SLICE_MS with a
// yield to the event loop between them, so the daemon keeps answering other requests.
//
// Why the snapshot keeps names, not prepared entries: a first search pays for everything kept per
// path, and most paths never match. A walk records each folder's children (a group: the folder's
// path prefix and its children's names); a search filters the groups with queryFilter.ts and
// prepares for fuzzysort only the paths that can match, once per snapshot (a rebuilt snapshot takes
// over the previous one's prepared paths). .gitignore rules are asked only about paths that contain
// one of their literals (gitignoreLiterals.ts).
import { readFileSync, readdirSync, statSync, type Dirent, type Stats } from "node:fs";
import { normalize } from "node:path";
import { performance } from "node:perf_hooks";
import fuzzysort, { type Prepared } from "fuzzysort";
import ignore, { type Ignore } from "ignore";
import { literalPattern } from "./gitignoreLiterals.js";
import { advance, QueryFilter, UNDECIDED } from "./queryFilter.js";

/** A walk stops collecting beyond this many entries per root, so a huge tree cannot exhaust memory. */
export const MAX_ENTRIES_PER_ROOT = 200_000;
/** Longest stretch of synchronous work before the event loop gets a turn. */
const SLICE_MS = 4;
/** A stamp this close to the time it was read may still change without changing (see header). */
export const RACY_MS = 3_000;

/** A path prepared for fuzzysort, what a search ranks. */
export interface Target {
  readonly path: string;
  readonly directory: boolean;
  readonly prepared: Prepared;
}

interface Stamp {
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
}

const OTHER = 0;
const FILE = 1;
const DIRECTORY = 2;

interface DirNode {
  readonly stamp: Stamp;
  /** False when the stamp cannot vouch for the listing (too recent, or the read failed for a passing reason). */
  readonly trusted: boolean;
  /** Children in name order, with their kinds (OTHER, FILE, DIRECTORY) at the same positions. */
  readonly names: readonly string[];
  readonly kinds: readonly number[];
}

interface IgnoreNode {
  readonly stamp: Stamp;
  readonly trusted: boolean;
  readonly matcher: Ignore | null;
  readonly literals: RegExp | null;
}

interface Rules {
  /** Folder the .gitignore sits in, relative to the root ("" for the root itself). */
  readonly base: string;
  readonly matcher: Ignore;
  /** Paths below `base` none of whose segments this matches cannot be ignored; null: ask about every path. */
  readonly literals: RegExp | null;
}

/** One walked folder's listed children: entries [start, end) of the snapshot, each path `prefix + name`. */
interface Group {
  readonly prefix: string;
  readonly start: number;
  readonly end: number;
  /** The entry of the folder itself (its name ends the prefix), -1 for the root. */
  readonly folder: number;
  /** The group holding that entry, -1 for the root; always an earlier group. */
  readonly parent: number;
}

/** What one walk saw: every stamp it relied on, and what it produced from them. */
export class Snapshot {
  private readonly targets: Array<Target | undefined>;
  /** This snapshot's prepared paths by path, for the snapshot that replaces it. */
  readonly prepared = new Map<string, Target>();

  constructor(
    readonly checks: ReadonlyArray<{ readonly path: string; readonly stamp: Stamp }>,
    /** False if any stamp was untrusted: the next search must walk again. */
    readonly reusable: boolean,
    private readonly groups: readonly Group[],
    private readonly names: readonly string[],
    private readonly directories: readonly boolean[],
    /** The replaced snapshot's prepared paths, taken over instead of preparing them again. */
    private readonly inherited: ReadonlyMap<string, Target>,
  ) {
    this.targets = new Array<Target | undefined>(names.length);
  }

  get size(): number {
    return this.names.length;
  }

  /** Every entry's path, in walk order. */
  paths(): string[] {
    const out: string[] = [];
    for (const g of this.groups) for (let i = g.start; i < g.end; i++) out.push(g.prefix + this.names[i]);
    return out;
  }

  /**
   * The entries fuzzysort may match `query` against, prepared, in walk order (so ties rank as they
   * would over every entry); undefined if cancelled.
   */
  async candidates(query: string, signal?: AbortSignal): Promise<Target[] | undefined> {
    if (signal?.aborted) return undefined;
    const filter = QueryFilter.of(query);
    const parts = filter?.parts ?? [];
    const n = parts.length;
    // reached[g * n + p]: characters of part p the prefix of group g matches in order (or UNDECIDED),
    // from its parent group's count and the folder's own name.
    const reached = new Int32Array(this.groups.length * n);
    const out: Target[] = [];
    const slicer = new Slicer(signal);
    for (let g = 0; g < this.groups.length; g++) {
      if (slicer.due() && !(await slicer.pause())) return undefined;
      const group = this.groups[g] as Group;
      let all = true;
      for (let p = 0; p < n; p++) {
        const part = parts[p] as string;
        let k = 0;
        if (group.parent >= 0) {
          k = reached[group.parent * n + p] as number;
          if (k !== UNDECIDED) k = advance(part, k, this.names[group.folder] as string);
          if (k !== UNDECIDED) k = advance(part, k, "/");
        }
        reached[g * n + p] = k;
        if (k !== UNDECIDED && k < part.length) all = false;
      }
      for (let i = group.start; i < group.end; i++) {
        if (!all && !this.mayComplete(filter as QueryFilter, reached, g * n, this.names[i] as string)) continue;
        out.push(this.targets[i] ?? this.prepare(i, group.prefix));
      }
    }
    return out;
  }

  private mayComplete(filter: QueryFilter, reached: Int32Array, at: number, name: string): boolean {
    for (let p = 0; p < filter.parts.length; p++) {
      const k = reached[at + p] as number;
      if (k !== UNDECIDED && k < (filter.parts[p] as string).length && !filter.completes(p, k, name)) return false;
    }
    return true;
  }

  private prepare(i: number, prefix: string): Target {
    const path = prefix + this.names[i];
    const directory = this.directories[i] as boolean;
    const old = this.inherited.get(path);
    const target = old !== undefined && old.directory === directory ? old : { path, directory, prepared: fuzzysort.prepare(path) };
    this.targets[i] = target;
    this.prepared.set(path, target);
    return target;
  }
}

const stampOf = (st: Stats): Stamp => ({ ino: st.ino, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs });
const sameStamp = (a: Stamp, b: Stamp): boolean => a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs;
const statOrNull = (p: string): Stats | undefined => {
  try {
    return statSync(p, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
};
/** Permission errors last until a chmod, which changes ctime; anything else may pass by itself. */
const lasting = (err: unknown): boolean => {
  const code = (err as NodeJS.ErrnoException).code;
  return code === "EACCES" || code === "EPERM" || code === "ENOTDIR";
};

const byName = (a: Dirent, b: Dirent): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function readDir(dir: string, stamp: Stamp, trustable: boolean): DirNode {
  try {
    // Sorted so the entry order, and with it the choice among equal scores, does not depend on the file system.
    const listed = readdirSync(dir, { withFileTypes: true }).sort(byName);
    const names: string[] = [];
    const kinds: number[] = [];
    for (const e of listed) {
      names.push(e.name);
      kinds.push(e.isDirectory() ? DIRECTORY : e.isFile() ? FILE : OTHER);
    }
    return { stamp, trusted: trustable, names, kinds };
  } catch (err) {
    return { stamp, trusted: lasting(err) && trustable, names: [], kinds: [] };
  }
}

function readIgnore(path: string, stamp: Stamp, trustable: boolean): IgnoreNode {
  try {
    const text = readFileSync(path, "utf8");
    return { stamp, trusted: trustable, matcher: text ? ignore().add(text) : null, literals: text ? literalPattern(text) : null };
  } catch (err) {
    return { stamp, trusted: lasting(err) && trustable, matcher: null, literals: null };
  }
}

/** Resolves after other pending I/O callbacks and timers have run. */
const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Cuts a loop into slices: `if (slicer.due() && !(await slicer.pause())) stop`, once per step. */
class Slicer {
  private start = performance.now();
  constructor(private readonly signal: AbortSignal | undefined) {}
  /** Whether the slice is used up; a plain check, since awaiting at every step costs a microtask turn each. */
  due(): boolean {
    return performance.now() - this.start >= SLICE_MS;
  }
  /** Gives the event loop a turn; false once the search was cancelled (which only a turn can do). */
  async pause(): Promise<boolean> {
    await yieldToLoop();
    this.start = performance.now();
    return !this.signal?.aborted;
  }
}

const NONE: readonly Rules[] = [];

/**
 * null if some rules ignore `prefix + name`; otherwise the rules, not yet hot, whose literal the name
 * contains (they were asked about it, and must be asked about everything below it).
 */
function screen(rules: readonly Rules[], hot: readonly Rules[], prefix: string, name: string, directory: boolean): readonly Rules[] | null {
  let matched = NONE;
  for (const r of rules) {
    const always = r.literals === null || hot.includes(r);
    if (!always && !(r.literals as RegExp).test(name)) continue;
    const path = prefix + name;
    const sub = r.base === "" ? path : path.slice(r.base.length + 1);
    if (r.matcher.ignores(directory ? `${sub}/` : sub)) return null;
    if (!always) matched = [...matched, r];
  }
  return matched;
}

interface Pending {
  /** The folder's path on disk: the root, then `/`-joined names (the root is normalised once). */
  readonly dir: string;
  readonly rel: string;
  /** Its entry and that entry's group in the snapshot, -1 for the root. */
  readonly entry: number;
  readonly group: number;
  readonly rules: readonly Rules[];
  /** Rules with a literal in a segment between their base and `rel`: every path below is asked about. */
  readonly hot: readonly Rules[];
}

export class RootIndex {
  private dirs = new Map<string, DirNode>();
  private ignores = new Map<string, IgnoreNode>();
  private snapshot: Snapshot | undefined;

  /** racyMs: RACY_MS; tests lower it to exercise reuse on a tree they have just written. */
  private readonly rootDir: string;

  constructor(
    readonly root: string,
    private readonly racyMs: number = RACY_MS,
  ) {
    // path.join per folder was a tenth of a walk; names never hold "/" or dot segments, so joining
    // onto a normalised root by hand gives the same paths.
    const normal = normalize(root);
    this.rootDir = normal.length > 1 && normal.endsWith("/") ? normal.slice(0, -1) : normal;
  }

  private racy(s: Stamp, readAt: number): boolean {
    return Math.max(s.mtimeMs, s.ctimeMs) > readAt - this.racyMs;
  }

  /** The root's entries as they are on disk now; undefined if cancelled. */
  async current(signal?: AbortSignal): Promise<Snapshot | undefined> {
    const prev = this.snapshot;
    if (prev?.reusable) {
      const still = await this.unchanged(prev, signal);
      if (still === undefined) return undefined;
      if (still) return prev;
    }
    return this.walk(signal);
  }

  private async unchanged(snap: Snapshot, signal: AbortSignal | undefined): Promise<boolean | undefined> {
    if (signal?.aborted) return undefined;
    const slicer = new Slicer(signal);
    for (const c of snap.checks) {
      if (slicer.due() && !(await slicer.pause())) return undefined;
      const st = statOrNull(c.path);
      if (st === undefined || !sameStamp(c.stamp, stampOf(st))) return false;
    }
    return true;
  }

  private async walk(signal: AbortSignal | undefined): Promise<Snapshot | undefined> {
    const dirs = new Map<string, DirNode>();
    const ignores = new Map<string, IgnoreNode>();
    const checks: Array<{ path: string; stamp: Stamp }> = [];
    const groups: Group[] = [];
    const names: string[] = [];
    const directories: boolean[] = [];
    let reusable = true;
    if (signal?.aborted) return undefined;
    const slicer = new Slicer(signal);
    const sep = this.rootDir === "/" ? "" : "/";
    // Depth first, children in name order: the same tree always yields the same entry order.
    const stack: Pending[] = [{ dir: this.rootDir, rel: "", entry: -1, group: -1, rules: [], hot: [] }];
    while (stack.length > 0 && names.length < MAX_ENTRIES_PER_ROOT) {
      if (slicer.due() && !(await slicer.pause())) return undefined;
      const { dir, rel, entry, group, rules: inherited, hot } = stack.pop() as Pending;
      const readAt = Date.now();
      const st = statOrNull(dir);
      if (st === undefined || !st.isDirectory()) {
        // The root itself may be missing; a folder that vanished mid-walk changed its parent's stamp.
        if (entry === -1) reusable = false;
        continue;
      }
      const stamp = stampOf(st);
      let node = this.dirs.get(dir);
      if (node === undefined || !node.trusted || !sameStamp(node.stamp, stamp)) node = readDir(dir, stamp, !this.racy(stamp, readAt));
      dirs.set(dir, node);
      checks.push({ path: dir, stamp });
      reusable &&= node.trusted;

      let rules = inherited;
      const at = node.names.indexOf(".gitignore");
      if (at >= 0 && node.kinds[at] === FILE) {
        const path = `${dir}${sep}.gitignore`;
        const gst = statOrNull(path);
        if (gst !== undefined) {
          const gstamp = stampOf(gst);
          let ig = this.ignores.get(path);
          if (ig === undefined || !ig.trusted || !sameStamp(ig.stamp, gstamp)) ig = readIgnore(path, gstamp, !this.racy(gstamp, readAt));
          ignores.set(path, ig);
          checks.push({ path, stamp: gstamp });
          reusable &&= ig.trusted;
          if (ig.matcher) rules = [...inherited, { base: rel, matcher: ig.matcher, literals: ig.literals }];
        }
        // Gone since the listing: the folder's stamp changed, so the next search walks again.
        else reusable = false;
      }

      const prefix = rel === "" ? "" : `${rel}/`;
      const start = names.length;
      const here = groups.length;
      const subdirs: Pending[] = [];
      for (let i = 0; i < node.names.length; i++) {
        const name = node.names[i] as string;
        if (name === ".git") continue;
        const directory = node.kinds[i] === DIRECTORY;
        let childHot = hot;
        if (rules.length > 0) {
          const matched = screen(rules, hot, prefix, name, directory);
          if (matched === null) continue;
          if (directory && matched.length > 0) childHot = [...hot, ...matched];
        }
        // Only the walk's fields are written here; a path is built and prepared when a search needs it.
        names.push(name);
        directories.push(directory);
        // Symlinked folders are listed but not followed, so a link cycle cannot trap the walk.
        if (directory) subdirs.push({ dir: `${dir}${sep}${name}`, rel: prefix + name, entry: names.length - 1, group: here, rules, hot: childHot });
      }
      if (names.length > start) groups.push({ prefix, start, end: names.length, folder: entry, parent: group });
      for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i] as Pending);
    }
    // Folders and .gitignore files no longer reached are dropped with the old maps.
    this.dirs = dirs;
    this.ignores = ignores;
    const snap = new Snapshot(checks, reusable, groups, names, directories, this.snapshot?.prepared ?? new Map());
    this.snapshot = snap;
    return snap;

  }
}
