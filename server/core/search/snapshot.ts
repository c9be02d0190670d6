// What one walk of a root found, and the paths of it a query can match.
//
// Why names, not prepared entries: a first search pays for everything kept per path, and most
// paths never match. A walk records each folder's listed children as a group (the folder's path
// prefix and its children's names); a search prepares for fuzzysort only the paths queryFilter.ts
// lets through, each once per snapshot, and a rebuilt snapshot takes over the prepared paths of the
// one it replaces. The filter runs as regular expressions over one text of every path, each after
// a NUL (which no file name holds), built by the first search: native code finds the few paths
// that can match, where a loop over every entry would run unoptimised in a first search.
import fuzzysort, { type Prepared } from "fuzzysort";
import { QueryFilter, undecidableScanner } from "./queryFilter.js";
import { sliced } from "./slicer.js";

/** Query parts whose candidates a snapshot keeps, and how many of them in all, per entry. */
const PARTS_KEPT = 16;
const KEPT_PER_ENTRY = 2;

/** A path prepared for fuzzysort, what a search ranks. */
export interface Target {
  readonly path: string;
  readonly directory: boolean;
  readonly prepared: Prepared;
}

/** One walked folder's listed children: entries [start, end), each path `prefix + name`. */
export interface Group {
  readonly prefix: string;
  readonly start: number;
  readonly end: number;
}

/** The text of every path and where each group's paths sit in it. */
interface PathText {
  readonly text: string;
  /** Group g's paths run from `from[g]` (the NUL before its first) to `from[g + 1]`. */
  readonly from: Int32Array;
  /** Entries a scan cannot decide (their paths hold characters fuzzysort folds), ascending. */
  readonly undecidable: readonly number[];
}

export class Snapshot {
  private readonly targets: Array<Target | undefined>;
  /** This snapshot's prepared paths by path, for the snapshot that replaces it. */
  readonly prepared = new Map<string, Target>();
  private pathText: PathText | undefined;
  /** Candidates per query part, least recently used first. */
  private readonly byPart = new Map<string, readonly Target[]>();
  private kept = 0;

  constructor(
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
  async candidates(query: string, signal?: AbortSignal): Promise<readonly Target[] | undefined> {
    if (signal?.aborted) return undefined;
    const filter = QueryFilter.of(query);
    if (filter === null) {
      const out: Target[] = [];
      let g = 0;
      const step = (until: number): boolean => {
        while (g < this.groups.length) {
          const group = this.groups[g++] as Group;
          for (let i = group.start; i < group.end; i++) out.push(this.targetAt(i, group.prefix));
          if (Date.now() >= until) return g < this.groups.length;
        }
        return false;
      };
      return (await sliced(signal, step)) ? out : undefined;
    }
    // The longest part picks the paths out (it matches fewest); the others are tested on those.
    let lead = 0;
    filter.parts.forEach((part, p) => {
      if (part.length > (filter.parts[lead] as string).length) lead = p;
    });
    const picked = await this.holding(filter, lead, signal);
    if (picked === undefined || filter.parts.length === 1) return picked;
    const others = filter.parts.map((_, p) => p).filter((p) => p !== lead);
    return keep(picked, signal, (t) => others.every((p) => filter.completes(p, t.path)));
  }

  /**
   * The entries that may hold part `p` of `filter`, in entry order. Kept per part: a repeated part
   * costs nothing, and one typed further (`but` after `bu`) is picked from the shorter one's, which
   * hold all of its paths.
   */
  private async holding(filter: QueryFilter, p: number, signal: AbortSignal | undefined): Promise<readonly Target[] | undefined> {
    const part = filter.parts[p] as string;
    let found = this.byPart.get(part);
    if (found === undefined) {
      let shorter: string | undefined;
      for (const key of this.byPart.keys()) if (part.startsWith(key) && key.length > (shorter?.length ?? -1)) shorter = key;
      found = await (shorter !== undefined
        ? keep(this.byPart.get(shorter) as readonly Target[], signal, (t) => filter.completes(p, t.path))
        : this.scan(filter, p, signal));
      if (found === undefined) return undefined;
    }
    // Most recently used last; the oldest go while more than PARTS_KEPT parts, or more than
    // KEPT_PER_ENTRY targets per entry in all, are kept (short parts pick most of the tree).
    const had = this.byPart.get(part);
    if (had !== undefined) this.kept -= had.length;
    this.byPart.delete(part);
    this.byPart.set(part, found);
    this.kept += found.length;
    for (const [key, targets] of this.byPart) {
      if (key === part || (this.byPart.size <= PARTS_KEPT && this.kept <= KEPT_PER_ENTRY * this.names.length)) break;
      this.byPart.delete(key);
      this.kept -= targets.length;
    }
    return found;
  }

  /** Every entry that may hold part `p`, by one pass of its scanner over the text of paths. */
  private async scan(filter: QueryFilter, p: number, signal: AbortSignal | undefined): Promise<Target[] | undefined> {
    const { text, from, undecidable } = (this.pathText ??= this.buildPathText());
    const out: Target[] = [];
    const scanner = filter.scanner(p);
    scanner.lastIndex = 0;
    let m = scanner.exec(text);
    let u = 0;
    let g = 0;
    let i = 0;
    let pos = 0;
    const step = (until: number): boolean => {
      while (m !== null) {
        // Matches come in text order: the entry is found by walking groups and names up to it.
        while ((from[g + 1] as number) <= m.index) g++;
        const group = this.groups[g] as Group;
        if (i < group.start) {
          i = group.start;
          pos = from[g] as number;
        }
        while (pos < m.index) pos += 1 + group.prefix.length + (this.names[i++] as string).length;
        // Undecidable entries (candidates whatever the filter says) join in entry order.
        while (u < undecidable.length && (undecidable[u] as number) < i) out.push(this.targetOf(undecidable[u++] as number));
        if (undecidable[u] === i) u++;
        out.push(this.targetAt(i, group.prefix));
        scanner.lastIndex = pos + 1;
        m = scanner.exec(text);
        if (Date.now() >= until) return true;
      }
      while (u < undecidable.length) out.push(this.targetOf(undecidable[u++] as number));
      return false;
    };
    return (await sliced(signal, step)) ? out : undefined;
  }

  private buildPathText(): PathText {
    const pieces: string[] = [];
    const from = new Int32Array(this.groups.length + 1);
    let at = 0;
    for (let g = 0; g < this.groups.length; g++) {
      const group = this.groups[g] as Group;
      const sep = `\0${group.prefix}`;
      // Native joins per folder rather than a concatenation per entry.
      const piece = sep + this.names.slice(group.start, group.end).join(sep);
      pieces.push(piece);
      from[g] = at;
      at += piece.length;
    }
    from[this.groups.length] = at;
    const text = pieces.join("");
    const undecidable: number[] = [];
    const scanner = undecidableScanner();
    let g = 0;
    let i = 0;
    let pos = 0;
    for (let m = scanner.exec(text); m !== null; m = scanner.exec(text)) {
      while ((from[g + 1] as number) <= m.index) g++;
      const group = this.groups[g] as Group;
      if (i < group.start) {
        i = group.start;
        pos = from[g] as number;
      }
      // The entry whose path holds the match: the last one starting before it.
      const length = (k: number): number => 1 + group.prefix.length + (this.names[k] as string).length;
      while (pos + length(i) <= m.index) pos += length(i++);
      undecidable.push(i);
      // The rest of this path cannot add anything.
      scanner.lastIndex = pos + length(i);
    }
    return { text, from, undecidable };
  }

  private targetOf(i: number): Target {
    const had = this.targets[i];
    if (had !== undefined) return had;
    // Rare (undecidable paths only): the group is found by bisection.
    let lo = 0;
    let hi = this.groups.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.groups[mid] as Group).start <= i) lo = mid;
      else hi = mid - 1;
    }
    return this.targetAt(i, (this.groups[lo] as Group).prefix);
  }

  private targetAt(i: number, prefix: string): Target {
    const had = this.targets[i];
    if (had !== undefined) return had;
    const path = prefix + this.names[i];
    const directory = this.directories[i] as boolean;
    const old = this.inherited.get(path);
    const target = old !== undefined && old.directory === directory ? old : { path, directory, prepared: fuzzysort.prepare(path) };
    this.targets[i] = target;
    this.prepared.set(path, target);
    return target;
  }
}

/** The targets `test` accepts, in order; undefined if cancelled. */
async function keep(targets: readonly Target[], signal: AbortSignal | undefined, test: (t: Target) => boolean): Promise<Target[] | undefined> {
  const out: Target[] = [];
  let i = 0;
  const step = (until: number): boolean => {
    while (i < targets.length) {
      const t = targets[i++] as Target;
      if (test(t)) out.push(t);
      if (Date.now() >= until) return i < targets.length;
    }
    return false;
  };
  return (await sliced(signal, step)) ? out : undefined;
}
