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
// A path is a folder's prefix and a name: the prefix is matched once per folder (`advance`, which
// also says how far it got), the names with one anchored regular expression per remaining suffix
// of the query (`rest`), native code instead of a per-character loop in a first, unoptimised run.

/** `advance`'s answer when `text` holds a character whose folded form this cannot tell. */
export const UNDECIDED = -1;

/** Characters fuzzysort folds or remaps: anything past ASCII, and `\` `"` and backquote. */
const UNDECIDABLE = /[\\"`\x7f-\uffff]/;

export class QueryFilter {
  private readonly suffixes: Array<Array<RegExp | undefined>>;

  private constructor(
    /** The parts fuzzysort requires, each in order, in a matching path (lowercase, no repeats). */
    readonly parts: readonly string[],
  ) {
    this.suffixes = parts.map(() => []);
  }

  /** The filter for `query`, or null when the query is not plain printable ASCII (nothing is filtered then). */
  static of(query: string): QueryFilter | null {
    for (let i = 0; i < query.length; i++) {
      const c = query.charCodeAt(i);
      if (c < 0x20 || c > 0x7e || c === 0x5c || c === 0x22 || c === 0x60) return null;
    }
    // A query with spaces is matched by fuzzysort part by part, each part anywhere in the path.
    const parts = query.trim().toLowerCase().split(" ").filter((p) => p !== "");
    return parts.length === 0 ? null : new QueryFilter([...new Set(parts)]);
  }

  /**
   * Whether `name` may complete part `p` of which its folder's prefix matched the first `matched`
   * characters (false only when it certainly cannot).
   */
  completes(p: number, matched: number, name: string): boolean {
    return this.rest(p, matched).test(name) || UNDECIDABLE.test(name);
  }

  /** Matches a text holding part `p` from its character `from` on, in order, ASCII letters of either case. */
  private rest(p: number, from: number): RegExp {
    const cache = this.suffixes[p] as Array<RegExp | undefined>;
    let re = cache[from];
    if (re === undefined) {
      let source = "^";
      // `[^c]*c` takes the first `c` and cannot backtrack past it, so a miss costs one pass over the name.
      for (const ch of (this.parts[p] as string).slice(from)) {
        const lit = /[a-z0-9]/.test(ch) ? ch : `\\${ch}`;
        source += `[^${lit}]*${lit}`;
      }
      re = new RegExp(source, "i");
      cache[from] = re;
    }
    return re;
  }
}

/**
 * How many characters of `part` are matched in order once `text` follows the `matched` first ones
 * (greedy, which finds a subsequence whenever one exists); UNDECIDED if `text` holds a character
 * outside ASCII or one fuzzysort remaps before all of `part` was matched.
 */
export function advance(part: string, matched: number, text: string): number {
  let k = matched;
  for (let i = 0; i < text.length && k < part.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    else if (c > 0x7e || c === 0x5c || c === 0x22 || c === 0x60) return UNDECIDED;
    if (c === part.charCodeAt(k)) k++;
  }
  return k;
}
