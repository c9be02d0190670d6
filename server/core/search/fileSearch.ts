// fuzzyFileSearch: files and folders under the given roots whose relative path matches the query,
// best first, capped. What 0.169 does (observed with the conformance harness, `git init`-ed cwd):
// - paths are relative to their root, `indices` are positions in that path, `file_name` its last
//   segment; folders come back too (`match_type: "directory"`);
// - `.gitignore` rules leave files out (an ignored folder's contents and `*.log` matches);
// - an empty query answers `{files: []}`;
// - scores are nucleo's (uint32, larger is better); ours are fuzzysort's 0..1 scaled to 0..100000,
//   so the order of equal-quality matches may differ from 0.169, and the numbers always will;
// - equal scores rank the shorter path first, then in code-unit order: not the locale's collation,
//   so the answer does not depend on the daemon's locale (and ICU's collator, several ms to load,
//   stays out of the first search).
// One deliberate difference: 0.169 also returned files inside `.git/` (hooks samples); we never
// descend into `.git`, whose contents are repository internals rather than workspace files.
// A newer request with the same `cancellationToken` cancels the older one, which answers empty.
// Each root's entries are kept between requests and revalidated against the disk before reuse
// (rootIndex.ts says why that is never stale).
import fuzzysort from "fuzzysort";
import type { FuzzyFileSearchResult } from "../../../protocol/v2/index.js";
import { RootIndex } from "./rootIndex.js";

/** Results returned per request (0.169's cap for this method). */
export const FUZZY_SEARCH_LIMIT = 50;
/** Roots whose index is kept; the least recently searched goes first, so memory stays bounded. */
const MAX_INDEXED_ROOTS = 8;

export class FileSearch {
  private readonly byToken = new Map<string, AbortController>();
  private readonly indexes = new Map<string, RootIndex>();

  private indexOf(root: string): RootIndex {
    let index = this.indexes.get(root);
    if (index !== undefined) this.indexes.delete(root);
    else index = new RootIndex(root);
    this.indexes.set(root, index);
    for (const oldest of this.indexes.keys()) {
      if (this.indexes.size <= MAX_INDEXED_ROOTS) break;
      this.indexes.delete(oldest);
    }
    return index;
  }

  async search(query: string, roots: readonly string[], cancellationToken: string | null): Promise<FuzzyFileSearchResult[]> {
    const controller = new AbortController();
    if (cancellationToken !== null) {
      this.byToken.get(cancellationToken)?.abort();
      this.byToken.set(cancellationToken, controller);
    }
    try {
      if (query.trim() === "") return [];
      const scored: Array<FuzzyFileSearchResult & { raw: number }> = [];
      for (const root of roots) {
        const snap = await this.indexOf(root).current(controller.signal);
        if (snap === undefined || controller.signal.aborted) return [];
        const targets = await snap.candidates(query, controller.signal);
        if (targets === undefined || controller.signal.aborted) return [];
        const hits = fuzzysort.go(query, targets, { key: "prepared", limit: FUZZY_SEARCH_LIMIT, threshold: 0 });
        for (const h of hits) {
          const e = h.obj;
          const slash = e.path.lastIndexOf("/");
          scored.push({
            root,
            path: e.path,
            match_type: e.directory ? "directory" : "file",
            file_name: e.path.slice(slash + 1),
            score: Math.round(h.score * 100_000),
            indices: [...h.indexes].sort((a, b) => a - b),
            raw: h.score,
          });
        }
      }
      scored.sort((a, b) => b.raw - a.raw || a.path.length - b.path.length || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      return scored.slice(0, FUZZY_SEARCH_LIMIT).map(({ raw: _raw, ...r }) => r);
    } finally {
      // A first walk's stamps are taken once this answer is out (rootIndex.ts says why that is safe).
      for (const root of roots) this.indexes.get(root)?.settleSoon();
      if (cancellationToken !== null && this.byToken.get(cancellationToken) === controller) this.byToken.delete(cancellationToken);
    }
  }
}
