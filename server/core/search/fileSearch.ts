// fuzzyFileSearch: files and folders under the given roots whose relative path matches the query,
// best first, capped. What 0.169 does (observed with the conformance harness, `git init`-ed cwd):
// - paths are relative to their root, `indices` are positions in that path, `file_name` its last
//   segment; folders come back too (`match_type: "directory"`);
// - `.gitignore` rules leave files out (an ignored folder's contents and `*.log` matches);
// - an empty query answers `{files: []}`;
// - scores are nucleo's (uint32, larger is better); ours are fuzzysort's 0..1 scaled to 0..100000,
//   so the order of equal-quality matches may differ from 0.169, and the numbers always will.
// One deliberate difference: 0.169 also returned files inside `.git/` (hooks samples); we never
// descend into `.git`, whose contents are repository internals rather than workspace files.
// A newer request with the same `cancellationToken` cancels the older one, which answers empty.
import { readFile, readdir } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import fuzzysort from "fuzzysort";
import ignore, { type Ignore } from "ignore";
import type { FuzzyFileSearchResult } from "../../../protocol/v2/index.js";

/** Results returned per request (0.169's cap for this method). */
export const FUZZY_SEARCH_LIMIT = 50;
/** A walk stops collecting beyond this many entries per root, so a huge tree cannot exhaust memory. */
const MAX_ENTRIES_PER_ROOT = 200_000;

interface Entry {
  readonly path: string;
  readonly directory: boolean;
}

interface Rules {
  /** Folder the .gitignore sits in, relative to the root ("" for the root itself). */
  readonly base: string;
  readonly matcher: Ignore;
}

function toPosix(p: string): string {
  return sep === "/" ? p : p.split(sep).join("/");
}

function ignored(rules: readonly Rules[], rel: string, directory: boolean): boolean {
  for (const r of rules) {
    const sub = r.base === "" ? rel : rel.slice(r.base.length + 1);
    if (r.matcher.ignores(directory ? `${sub}/` : sub)) return true;
  }
  return false;
}

/** Folders read at once: the walk is bound by readdir latency, not CPU. */
const WALK_CONCURRENCY = 16;

/** Every file and folder under `root` that .gitignore files along the way do not exclude. */
export async function walkRoot(root: string, signal?: AbortSignal): Promise<Entry[]> {
  const out: Entry[] = [];
  const queue: Array<{ dir: string; rules: readonly Rules[] }> = [{ dir: root, rules: [] }];
  let active = 0;
  return new Promise<Entry[]>((resolve) => {
    const visit = async (dir: string, inherited: readonly Rules[]): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      let rules = inherited;
      if (entries.some((e) => e.name === ".gitignore" && e.isFile())) {
        const text = await readFile(join(dir, ".gitignore"), "utf8").catch(() => "");
        if (text) rules = [...inherited, { base: toPosix(relative(root, dir)), matcher: ignore().add(text) }];
      }
      const prefix = dir === root ? "" : `${toPosix(relative(root, dir))}/`;
      for (const e of entries) {
        if (e.name === ".git") continue;
        const rel = prefix + e.name;
        // Symlinked folders are listed but not followed, so a link cycle cannot trap the walk.
        const directory = e.isDirectory();
        if (rules.length > 0 && ignored(rules, rel, directory)) continue;
        out.push({ path: rel, directory });
        if (directory) queue.push({ dir: join(dir, e.name), rules });
      }
    };
    const pump = (): void => {
      while (active < WALK_CONCURRENCY && queue.length > 0 && out.length < MAX_ENTRIES_PER_ROOT && !signal?.aborted) {
        const next = queue.pop() as { dir: string; rules: readonly Rules[] };
        active++;
        void visit(next.dir, next.rules).finally(() => {
          active--;
          pump();
        });
      }
      if (active === 0) resolve(out);
    };
    pump();
  });
}

export class FileSearch {
  private readonly byToken = new Map<string, AbortController>();

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
        const entries = await walkRoot(root, controller.signal);
        if (controller.signal.aborted) return [];
        const hits = fuzzysort.go(query, entries, { key: "path", limit: FUZZY_SEARCH_LIMIT, threshold: 0 });
        for (const h of hits) {
          const e = h.obj;
          const slash = e.path.lastIndexOf("/");
          scored.push({ root, path: e.path, match_type: e.directory ? "directory" : "file", file_name: e.path.slice(slash + 1), score: Math.round(h.score * 100_000), indices: [...h.indexes].sort((a, b) => a - b), raw: h.score });
        }
      }
      scored.sort((a, b) => b.raw - a.raw || a.path.length - b.path.length || a.path.localeCompare(b.path));
      return scored.slice(0, FUZZY_SEARCH_LIMIT).map(({ raw: _raw, ...r }) => r);
    } finally {
      if (cancellationToken !== null && this.byToken.get(cancellationToken) === controller) this.byToken.delete(cancellationToken);
    }
  }
}
