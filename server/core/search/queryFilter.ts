// A necessary condition for fuzzysort to match a path, checked before the path is prepared.
//
// Why: preparing a path for fuzzysort (its lowercase character codes, bit flags, result object) was
// most of a first search's CPU and most of what the index kept alive, yet fuzzysort drops every
// path that does not contain the query's characters in order before scoring it. Testing that order
// on the raw path first lets a search prepare only the paths that can match, and a query that
// matches no path prepares nothing. The filter is exact about what it rejects: fuzzysort
// lowercases and remaps the query and the path (accents folded, `\` `"` and backquote replaced),
// so a query outside plain printable ASCII is not filtered at all, and a path holding a character
// the ASCII fold cannot decide stays a candidate.
//
// The test is a regular expression per part, native code where a per-character loop would run
// unoptimised in a first search: `scanner` finds the paths that hold a part in a text of paths each
// after a NUL (which no file name holds), `completes` tests one path.

/** Characters fuzzysort folds or remaps: anything past ASCII, and `\` `"` and backquote. */
const UNDECIDABLE = /[\\"`\x7f-\uffff]/;

/** Finds them in a text (flag `g`: run with `lastIndex` set). */
export const undecidableScanner = (): RegExp => /[\\"`\x7f-\uffff]/g;

export class QueryFilter {
  private readonly scanners: RegExp[];
  private readonly anchored: RegExp[];

  private constructor(
    /** The parts fuzzysort requires, each in order, in a matching path (lowercase, no repeats). */
    readonly parts: readonly string[],
  ) {
    this.scanners = parts.map((part) => subsequence(part, "\\x00", "\\x00", "gi"));
    this.anchored = parts.map((part) => subsequence(part, "^", "", "i"));
  }

  /** The filter for `query`, or null when the query is not plain printable ASCII (nothing is filtered then). */
  static of(query: string): QueryFilter | null {
    for (let i = 0; i < query.length; i++) {
      const c = query.charCodeAt(i);
      if (c < 0x20 || c > 0x7e || c === 0x5c || c === 0x22 || c === 0x60) return null;
    }
    // A query with spaces is matched by fuzzysort part by part, each part anywhere in the path.
    const parts = query
      .trim()
      .toLowerCase()
      .split(" ")
      .filter((p) => p !== "");
    return parts.length === 0 ? null : new QueryFilter([...new Set(parts)]);
  }

  /**
   * Matches, at the NUL before it, a path in a NUL-separated text that holds part `p` in order,
   * ASCII letters of either case (flag `g`: run with `lastIndex` set; the match's index is the NUL's).
   */
  scanner(p: number): RegExp {
    return this.scanners[p] as RegExp;
  }

  /** Whether `path` may hold part `p` in order (false only when it certainly does not). */
  completes(p: number, path: string): boolean {
    return (this.anchored[p] as RegExp).test(path) || UNDECIDABLE.test(path);
  }
}

/** `start`, then each character of `part` after any run of other characters (and of no `exclude`d one). */
function subsequence(part: string, start: string, exclude: string, flags: string): RegExp {
  let source = start;
  // `[^c]*c` takes the first `c` and cannot backtrack past it, so a miss costs one pass over the path.
  for (const ch of part) {
    const lit = /[a-z0-9]/.test(ch) ? ch : `\\${ch}`;
    source += `[^${lit}${exclude}]*${lit}`;
  }
  return new RegExp(source, flags);
}
