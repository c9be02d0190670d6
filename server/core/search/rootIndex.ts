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
// Why a root's first walk takes its stamps after answering: the stats were a third of a first
// search (Node 20 builds four Dates per Stats), and nothing needs them until the next search. A
// stamp taken after the read vouches for the listing by the same rule: a change after the read
// leaves a stamp newer than RACY_MS before the read, so the folder is not trusted and is read
// again; a stamp older than that says nothing changed from then until the stat, the read included.
// The next search waits for these stamps first (settle). A rebuild still stats before reading:
// it needs the stamp to decide whether the listing it has can be kept.
//
// Why synchronous fs calls: they are several times faster than their promise versions here (no
// thread-pool round trip per folder), and the work is cut into slices (slicer.ts) with a yield to
// the event loop between them, so the daemon keeps answering other requests.
//
// What a first walk costs beyond its readdir and stat calls is per entry, and runs as unoptimised
// code, so it does as little per entry as it can: listings are kept as names and kinds, the
// snapshot gets names and folder prefixes (snapshot.ts prepares only the paths a query can match),
// .gitignore rules are asked only about names holding one of their literals
// (gitignoreLiterals.ts), and the by-path lookup of listings a rebuild needs is built by the
// rebuild.
import { readFileSync, readdirSync, statSync, type Dirent, type Stats } from "node:fs";
import { normalize } from "node:path";
import ignore, { type Ignore } from "ignore";
import { literalPattern } from "./gitignoreLiterals.js";
import { SLICE_MS, sliced, yieldToLoop } from "./slicer.js";
import { Snapshot, type Group } from "./snapshot.js";

export { Snapshot, type Target } from "./snapshot.js";

/** A walk stops collecting beyond this many entries per root, so a huge tree cannot exhaust memory. */
export const MAX_ENTRIES_PER_ROOT = 200_000;
/** A stamp this close to the time it was read may still change without changing (see header). */
export const RACY_MS = 3_000;

interface Stamp {
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
}

// stamp and trusted are written once more by a first walk's stamping (Walk.stampNext), before any search reads them.
interface DirNode {
  stamp: Stamp;
  /** False when the stamp cannot vouch for the listing (too recent, or the read failed for a passing reason). */
  trusted: boolean;
  /** The children's names in name order, and which of them are folders (FOLDER) or files (FILE). */
  readonly names: readonly string[];
  readonly kinds: readonly number[];
}

interface IgnoreNode {
  stamp: Stamp;
  trusted: boolean;
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

/** A walk's result and what revalidating it needs. */
interface Walked {
  readonly snapshot: Snapshot;
  /** False if a stamp the walk relied on was untrusted or is missing: the next search must walk again. */
  readonly reusable: boolean;
  /** Every stamp the walk relied on, at the same positions as the paths stat'ed for them. */
  readonly checkPaths: readonly string[];
  readonly checkStamps: readonly Stamp[];
  /** The folders read (their paths and listings), which a rebuild re-reads only if changed. */
  readonly folders: readonly string[];
  readonly nodes: readonly DirNode[];
  readonly ignores: ReadonlyMap<string, IgnoreNode>;
}

/** A first walk's stamp until it is taken; equal to no real stamp. */
const UNSTAMPED: Stamp = Object.freeze({ ino: -1, size: -1, mtimeMs: Number.NaN, ctimeMs: Number.NaN });
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
const OTHER = 0;
const FILE = 1;
const FOLDER = 2;

function readDir(dir: string, stamp: Stamp, trustable: boolean): DirNode {
  try {
    // Sorted so the entry order, and with it the choice among equal scores, does not depend on the file system.
    const listed = readdirSync(dir, { withFileTypes: true }).sort(byName);
    // Names and kinds rather than the Dirents, which take three times the memory an index keeps.
    const names: string[] = [];
    const kinds: number[] = [];
    for (let i = 0; i < listed.length; i++) {
      const e = listed[i] as Dirent;
      names.push(e.name);
      kinds.push(e.isDirectory() ? FOLDER : e.isFile() ? FILE : OTHER);
    }
    return { stamp, trusted: trustable, names, kinds };
  } catch (err) {
    return { stamp, trusted: lasting(err) && trustable, names: [], kinds: [] };
  }
}

/** The listed .gitignore file, found by bisection (the names are in order). */
function hasIgnoreFile(node: DirNode): boolean {
  let lo = 0;
  let hi = node.names.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const name = node.names[mid] as string;
    if (name === ".gitignore") return node.kinds[mid] === FILE;
    if (name < ".gitignore") lo = mid + 1;
    else hi = mid;
  }
  return false;
}

function readIgnore(path: string, stamp: Stamp, trustable: boolean): IgnoreNode {
  try {
    const text = readFileSync(path, "utf8");
    return { stamp, trusted: trustable, matcher: text ? ignore().add(text) : null, literals: text ? literalPattern(text) : null };
  } catch (err) {
    return { stamp, trusted: lasting(err) && trustable, matcher: null, literals: null };
  }
}

const NONE: readonly Rules[] = [];

/**
 * null if some rules ignore `prefix + name`; otherwise the rules, not yet hot, whose literal the name
 * holds (they were asked about it, and must be asked about everything below it).
 */
function screen(rules: readonly Rules[], hot: readonly Rules[], prefix: string, name: string, directory: boolean): readonly Rules[] | null {
  let matched = NONE;
  // Indexed loops here and in the walk: `for…of` allocates an iterator result per step until optimised.
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i] as Rules;
    const always = r.literals === null || (hot.length > 0 && hot.includes(r));
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
  readonly rules: readonly Rules[];
  /** Rules with a literal in a segment between their base and `rel`: every path below is asked about. */
  readonly hot: readonly Rules[];
}

export class RootIndex {
  private last: Walked | undefined;
  /** The last walk and its result if its stamps are still to be taken (a first walk), and their taking once begun. */
  private unstamped: { readonly walk: Walk; readonly walked: Walked } | undefined;
  private stamping: Promise<void> | undefined;
  private readonly rootDir: string;

  /** racyMs: RACY_MS, sliceMs: SLICE_MS; tests lower them to exercise reuse on a tree they have just written, and slicing. */
  constructor(
    readonly root: string,
    private readonly racyMs: number = RACY_MS,
    private readonly sliceMs: number = SLICE_MS,
  ) {
    // path.join per folder was a tenth of a walk; names never hold "/" or dot segments, so joining
    // onto a normalised root by hand gives the same paths.
    const normal = normalize(root);
    this.rootDir = normal.length > 1 && normal.endsWith("/") ? normal.slice(0, -1) : normal;
  }

  /** The root's entries as they are on disk now; undefined if cancelled. */
  async current(signal?: AbortSignal): Promise<Snapshot | undefined> {
    await this.settle();
    const last = this.last;
    if (last?.reusable) {
      const still = await this.unchanged(last, signal);
      if (still === undefined) return undefined;
      if (still) return last.snapshot;
    }
    return this.walk(signal);
  }

  /**
   * Takes the stamps a first walk left for later (see header), in slices; resolves once they are
   * taken, and at once if none are left. Whether the last walk can be reused is known after it.
   */
  settle(): Promise<void> {
    if (this.unstamped === undefined) return this.stamping ?? Promise.resolve();
    const { walk, walked } = this.unstamped;
    this.unstamped = undefined;
    const stamping = sliced(
      undefined,
      (until) => {
        while (walk.stampNext()) if (Date.now() >= until) return true;
        return false;
      },
      this.sliceMs,
    ).then(() => {
      if (this.last === walked) this.last = { ...walked, reusable: walk.reusable };
      if (this.stamping === stamping) this.stamping = undefined;
    });
    this.stamping = stamping;
    return stamping;
  }

  /** Starts settle() once the event loop has had a turn: after the answer that the walk was for has gone out. */
  settleSoon(): void {
    if (this.unstamped !== undefined) void yieldToLoop().then(() => this.settle());
  }

  /** Whether the next search may answer from the last walk if nothing changed; false before any walk. */
  async reusable(): Promise<boolean> {
    await this.settle();
    return this.last?.reusable ?? false;
  }

  private async unchanged(last: Walked, signal: AbortSignal | undefined): Promise<boolean | undefined> {
    let i = 0;
    let changed = false;
    const done = await sliced(
      signal,
      (until) => {
        while (i < last.checkPaths.length) {
          const st = statOrNull(last.checkPaths[i] as string);
          if (st === undefined || !sameStamp(last.checkStamps[i] as Stamp, stampOf(st))) {
            changed = true;
            return false;
          }
          i++;
          if (Date.now() >= until) return i < last.checkPaths.length;
        }
        return false;
      },
      this.sliceMs,
    );
    return done ? !changed : undefined;
  }

  private async walk(signal: AbortSignal | undefined): Promise<Snapshot | undefined> {
    const last = this.last;
    const walk = new Walk(this.rootDir, this.racyMs, last);
    const done = await sliced(
      signal,
      (until) => {
        while (walk.more()) {
          // Read before the stat: a later read would make a change just before it look older than it is.
          walk.visitNext(Date.now());
          if (Date.now() >= until) return walk.more();
        }
        return false;
      },
      this.sliceMs,
    );
    if (!done) return undefined;
    // Folders and .gitignore files no longer reached are dropped with the old lists.
    const snapshot = new Snapshot(walk.groups, walk.names, walk.directories, last?.snapshot.prepared ?? new Map());
    const stampsLeft = walk.stampsLeft();
    const walked: Walked = {
      snapshot,
      reusable: walk.reusable && !stampsLeft,
      checkPaths: walk.checkPaths,
      checkStamps: walk.checkStamps,
      folders: walk.folders,
      nodes: walk.nodes,
      ignores: walk.ignores,
    };
    this.last = walked;
    if (stampsLeft) this.unstamped = { walk, walked };
    return snapshot;
  }
}

/** One walk's state, one folder at a time: depth first, children in name order, so the same tree always yields the same entry order. */
class Walk {
  readonly folders: string[] = [];
  readonly nodes: DirNode[] = [];
  readonly ignores = new Map<string, IgnoreNode>();
  readonly checkPaths: string[] = [];
  readonly checkStamps: Stamp[] = [];
  readonly groups: Group[] = [];
  readonly names: string[] = [];
  readonly directories: boolean[] = [];
  reusable = true;
  /** A first walk's reads whose stamps are taken later: what was read, where its stamp goes, and when. */
  private readonly unstamped: Array<{ readonly node: DirNode | IgnoreNode; readonly check: number; readonly readAt: number; readonly folder: boolean }> = [];
  private stamped = 0;
  private readonly deferStamps: boolean;
  private readonly known = new Map<string, DirNode>();
  private readonly knownIgnores: ReadonlyMap<string, IgnoreNode>;
  private readonly stack: Pending[];
  private readonly sep: string;

  constructor(
    rootDir: string,
    private readonly racyMs: number,
    last: Walked | undefined,
  ) {
    if (last !== undefined) for (let i = 0; i < last.folders.length; i++) this.known.set(last.folders[i] as string, last.nodes[i] as DirNode);
    this.knownIgnores = last?.ignores ?? new Map<string, IgnoreNode>();
    this.deferStamps = last === undefined;
    this.stack = [{ dir: rootDir, rel: "", rules: NONE, hot: NONE }];
    this.sep = rootDir === "/" ? "" : "/";
  }

  more(): boolean {
    return this.stack.length > 0 && this.names.length < MAX_ENTRIES_PER_ROOT;
  }

  private racy(s: Stamp, readAt: number): boolean {
    return Math.max(s.mtimeMs, s.ctimeMs) > readAt - this.racyMs;
  }

  visitNext(readAt: number): void {
    const { dir, rel, rules: inherited, hot } = this.stack.pop() as Pending;
    // A first walk stamps its reads later (see header), but not the root: whether it is a folder decides what to read.
    const later = this.deferStamps && rel !== "";
    const node = later ? this.readLater(dir, readAt) : this.readStamped(dir, readAt);
    if (node === undefined) {
      // The root itself may be missing; a folder that vanished mid-walk changed its parent's stamp.
      if (rel === "") this.reusable = false;
      return;
    }
    this.folders.push(dir);
    this.nodes.push(node);
    this.reusable &&= node.trusted;

    let rules = inherited;
    if (hasIgnoreFile(node)) {
      const path = `${dir}${this.sep}.gitignore`;
      const ig = later ? this.ignoreLater(path, readAt) : this.ignoreStamped(path, readAt);
      // Gone since the listing: the folder's stamp changed, so the next search walks again.
      if (ig === undefined) this.reusable = false;
      else {
        this.ignores.set(path, ig);
        this.reusable &&= ig.trusted;
        if (ig.matcher) rules = [...inherited, { base: rel, matcher: ig.matcher, literals: ig.literals }];
      }
    }
    this.list(dir, rel, node, rules, hot);
  }

  /** The folder's listing, kept from the last walk if its stamp is unchanged; undefined if it is not a folder now. */
  private readStamped(dir: string, readAt: number): DirNode | undefined {
    const st = statOrNull(dir);
    if (st === undefined || !st.isDirectory()) return undefined;
    const stamp = stampOf(st);
    const known = this.known.get(dir);
    const node = known !== undefined && known.trusted && sameStamp(known.stamp, stamp) ? known : readDir(dir, stamp, !this.racy(stamp, readAt));
    this.checkPaths.push(dir);
    this.checkStamps.push(stamp);
    return node;
  }

  /** Listed as a folder by its parent; if it is not one any more, its stamping finds out. */
  private readLater(dir: string, readAt: number): DirNode {
    const node = readDir(dir, UNSTAMPED, true);
    this.later(node, dir, readAt, true);
    return node;
  }

  private ignoreStamped(path: string, readAt: number): IgnoreNode | undefined {
    const st = statOrNull(path);
    if (st === undefined) return undefined;
    const stamp = stampOf(st);
    const known = this.knownIgnores.get(path);
    const ig = known !== undefined && known.trusted && sameStamp(known.stamp, stamp) ? known : readIgnore(path, stamp, !this.racy(stamp, readAt));
    this.checkPaths.push(path);
    this.checkStamps.push(stamp);
    return ig;
  }

  private ignoreLater(path: string, readAt: number): IgnoreNode {
    const ig = readIgnore(path, UNSTAMPED, true);
    this.later(ig, path, readAt, false);
    return ig;
  }

  private later(node: DirNode | IgnoreNode, path: string, readAt: number, folder: boolean): void {
    this.unstamped.push({ node, check: this.checkPaths.length, readAt, folder });
    this.checkPaths.push(path);
    this.checkStamps.push(UNSTAMPED);
  }

  stampsLeft(): boolean {
    return this.stamped < this.unstamped.length;
  }

  /** Takes the next stamp left for later; false once none is left. */
  stampNext(): boolean {
    const u = this.unstamped[this.stamped];
    if (u === undefined) return false;
    this.stamped++;
    const st = statOrNull(this.checkPaths[u.check] as string);
    if (st === undefined || st.isDirectory() !== u.folder) {
      // Gone or replaced since the read: the next search walks again (the node's stamp matches nothing).
      u.node.trusted = false;
      this.reusable = false;
      return true;
    }
    const stamp = stampOf(st);
    this.checkStamps[u.check] = stamp;
    u.node.stamp = stamp;
    u.node.trusted &&= !this.racy(stamp, u.readAt);
    this.reusable &&= u.node.trusted;
    return true;
  }

  /** The folder's children that no rule ignores become entries; its subfolders go on the stack. */
  private list(dir: string, rel: string, node: DirNode, rules: readonly Rules[], hot: readonly Rules[]): void {
    const names = this.names;
    const directories = this.directories;
    const prefix = rel === "" ? "" : `${rel}/`;
    const start = names.length;
    const subdirs: Pending[] = [];
    for (let i = 0; i < node.names.length; i++) {
      const name = node.names[i] as string;
      if (name === ".git") continue;
      const directory = node.kinds[i] === FOLDER;
      let childHot = hot;
      if (rules.length > 0) {
        const matched = screen(rules, hot, prefix, name, directory);
        if (matched === null) continue;
        if (directory && matched.length > 0) childHot = [...hot, ...matched];
      }
      names.push(name);
      directories.push(directory);
      // Symlinked folders are listed but not followed, so a link cycle cannot trap the walk.
      if (directory) subdirs.push({ dir: `${dir}${this.sep}${name}`, rel: prefix + name, rules, hot: childHot });
    }
    if (names.length > start) this.groups.push({ prefix, start, end: names.length });
    for (let i = subdirs.length - 1; i >= 0; i--) this.stack.push(subdirs[i] as Pending);
  }
}
