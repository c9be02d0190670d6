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
import { readFileSync, readdirSync, statSync, type Stats } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import fuzzysort, { type Prepared } from "fuzzysort";
import ignore, { type Ignore } from "ignore";

/** A walk stops collecting beyond this many entries per root, so a huge tree cannot exhaust memory. */
export const MAX_ENTRIES_PER_ROOT = 200_000;
/** Longest stretch of synchronous fs work before the event loop gets a turn. */
const SLICE_MS = 4;
/** A stamp this close to the time it was read may still change without changing (see header). */
export const RACY_MS = 3_000;

export interface Entry {
  readonly path: string;
  readonly directory: boolean;
  /** fuzzysort's form of `path`, carried over from the previous walk when the entry was already there. */
  readonly prepared: Prepared;
}

interface Stamp {
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
}

interface Child {
  readonly name: string;
  readonly directory: boolean;
  readonly file: boolean;
}

interface DirNode {
  readonly stamp: Stamp;
  /** False when the stamp cannot vouch for the listing (too recent, or the read failed for a passing reason). */
  readonly trusted: boolean;
  readonly children: readonly Child[];
}

interface IgnoreNode {
  readonly stamp: Stamp;
  readonly trusted: boolean;
  readonly matcher: Ignore | null;
}

interface Rules {
  /** Folder the .gitignore sits in, relative to the root ("" for the root itself). */
  readonly base: string;
  readonly matcher: Ignore;
}

/** What one walk saw: every stamp it relied on, and what it produced from them. */
export interface Snapshot {
  readonly checks: ReadonlyArray<{ readonly path: string; readonly stamp: Stamp }>;
  /** False if any stamp was untrusted: the next search must walk again. */
  readonly reusable: boolean;
  readonly entries: readonly Entry[];
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

function ignored(rules: readonly Rules[], rel: string, directory: boolean): boolean {
  for (const r of rules) {
    const sub = r.base === "" ? rel : rel.slice(r.base.length + 1);
    if (r.matcher.ignores(directory ? `${sub}/` : sub)) return true;
  }
  return false;
}

function readDir(dir: string, stamp: Stamp, trustable: boolean): DirNode {
  try {
    const children = readdirSync(dir, { withFileTypes: true })
      // Sorted so the entry order, and with it the choice among equal scores, does not depend on the file system.
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((e) => ({ name: e.name, directory: e.isDirectory(), file: e.isFile() }));
    return { stamp, trusted: trustable, children };
  } catch (err) {
    return { stamp, trusted: lasting(err) && trustable, children: [] };
  }
}

function readIgnore(path: string, stamp: Stamp, trustable: boolean): IgnoreNode {
  try {
    const text = readFileSync(path, "utf8");
    return { stamp, trusted: trustable, matcher: text ? ignore().add(text) : null };
  } catch (err) {
    return { stamp, trusted: lasting(err) && trustable, matcher: null };
  }
}

/** Resolves after other pending I/O callbacks and timers have run. */
const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

class Slicer {
  private start = performance.now();
  constructor(private readonly signal: AbortSignal | undefined) {}
  /** Yields when the slice is used up; false once the search was cancelled. */
  async tick(): Promise<boolean> {
    if (performance.now() - this.start >= SLICE_MS) {
      await yieldToLoop();
      this.start = performance.now();
    }
    return !this.signal?.aborted;
  }
}

export class RootIndex {
  private dirs = new Map<string, DirNode>();
  private ignores = new Map<string, IgnoreNode>();
  private snapshot: Snapshot | undefined;
  private byPath = new Map<string, Entry>();

  /** racyMs: RACY_MS; tests lower it to exercise reuse on a tree they have just written. */
  constructor(
    readonly root: string,
    private readonly racyMs: number = RACY_MS,
  ) {}

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
    const slicer = new Slicer(signal);
    for (const c of snap.checks) {
      if (!(await slicer.tick())) return undefined;
      const st = statOrNull(c.path);
      if (st === undefined || !sameStamp(c.stamp, stampOf(st))) return false;
    }
    return true;
  }

  private async walk(signal: AbortSignal | undefined): Promise<Snapshot | undefined> {
    const dirs = new Map<string, DirNode>();
    const ignores = new Map<string, IgnoreNode>();
    const checks: Array<{ path: string; stamp: Stamp }> = [];
    const entries: Entry[] = [];
    const byPath = this.byPath;
    let reusable = true;
    const slicer = new Slicer(signal);
    // Depth first, children in name order: the same tree always yields the same entry order.
    const stack: Array<{ dir: string; rel: string; rules: readonly Rules[] }> = [{ dir: this.root, rel: "", rules: [] }];
    while (stack.length > 0 && entries.length < MAX_ENTRIES_PER_ROOT) {
      if (!(await slicer.tick())) return undefined;
      const { dir, rel, rules: inherited } = stack.pop() as (typeof stack)[number];
      const readAt = Date.now();
      const st = statOrNull(dir);
      if (st === undefined || !st.isDirectory()) {
        // The root itself may be missing; a folder that vanished mid-walk changed its parent's stamp.
        if (dir === this.root) reusable = false;
        continue;
      }
      const stamp = stampOf(st);
      let node = this.dirs.get(dir);
      if (node === undefined || !node.trusted || !sameStamp(node.stamp, stamp)) node = readDir(dir, stamp, !this.racy(stamp, readAt));
      dirs.set(dir, node);
      checks.push({ path: dir, stamp });
      reusable &&= node.trusted;

      let rules = inherited;
      if (node.children.some((c) => c.name === ".gitignore" && c.file)) {
        const path = join(dir, ".gitignore");
        const gst = statOrNull(path);
        if (gst !== undefined) {
          const gstamp = stampOf(gst);
          let ig = this.ignores.get(path);
          if (ig === undefined || !ig.trusted || !sameStamp(ig.stamp, gstamp)) ig = readIgnore(path, gstamp, !this.racy(gstamp, readAt));
          ignores.set(path, ig);
          checks.push({ path, stamp: gstamp });
          reusable &&= ig.trusted;
          if (ig.matcher) rules = [...inherited, { base: rel, matcher: ig.matcher }];
        }
        // Gone since the listing: the folder's stamp changed, so the next search walks again.
        else reusable = false;
      }

      const prefix = rel === "" ? "" : `${rel}/`;
      const subdirs: Array<{ dir: string; rel: string; rules: readonly Rules[] }> = [];
      for (const c of node.children) {
        if (c.name === ".git") continue;
        const path = prefix + c.name;
        // Symlinked folders are listed but not followed, so a link cycle cannot trap the walk.
        if (rules.length > 0 && ignored(rules, path, c.directory)) continue;
        // Preparing is most of a cold walk's CPU: done once per path, and inside the walk's slices.
        const old = byPath.get(path);
        entries.push(old !== undefined && old.directory === c.directory ? old : { path, directory: c.directory, prepared: fuzzysort.prepare(path) });
        if (c.directory) subdirs.push({ dir: join(dir, c.name), rel: path, rules });
      }
      for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i] as (typeof subdirs)[number]);
    }
    // Folders and .gitignore files no longer reached are dropped with the old maps.
    this.dirs = dirs;
    this.ignores = ignores;
    this.byPath = new Map(entries.map((e) => [e.path, e]));
    const snap: Snapshot = { checks, reusable, entries };
    this.snapshot = snap;
    return snap;
  }
}
