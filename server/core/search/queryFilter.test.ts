// The filter may only drop paths fuzzysort would not match: checked against fuzzysort itself over
// queries and paths with capitals, spaces, punctuation, accents and the characters it remaps.
import fuzzysort from "fuzzysort";
import { describe, expect, it } from "vitest";
import { advance, QueryFilter, UNDECIDED } from "./queryFilter.js";

const queryParts = (query: string): readonly string[] | null => QueryFilter.of(query)?.parts ?? null;

/** The filter's verdict on a whole path, its folder prefix matched as a walk group's and the name after it. */
function mayMatch(filter: QueryFilter | null, path: string): boolean {
  if (filter === null) return true;
  const cut = path.lastIndexOf("/") + 1;
  return filter.parts.every((part, p) => {
    const k = advance(part, 0, path.slice(0, cut));
    return k === UNDECIDED || k === part.length || filter.completes(p, k, path.slice(cut));
  });
}

describe("queryParts", () => {
  it("lowercases, splits on spaces and drops repeats; refuses what is not plain printable ASCII", () => {
    expect(queryParts("  Src/Hooks  ")).toEqual(["src/hooks"]);
    expect(queryParts("user MODAL user")).toEqual(["user", "modal"]);
    expect(queryParts("ünï")).toBeNull();
    expect(queryParts("a\tb")).toBeNull();
    expect(queryParts('quote"d')).toBeNull();
    expect(queryParts("back\\slash")).toBeNull();
    expect(queryParts("tick`d")).toBeNull();
  });
});

describe("completes", () => {
  it("finds the rest of a part in order in a name, ASCII letters of either case, regex characters literally", () => {
    const filter = QueryFilter.of("a.b*c ui/x") as QueryFilter;
    expect(filter.completes(0, 0, "A-.-B-*-C")).toBe(true);
    expect(filter.completes(0, 0, "a-x-b-*-c")).toBe(false);
    expect(filter.completes(0, 3, "**c")).toBe(true);
    expect(filter.completes(1, 2, "ux")).toBe(false);
    expect(filter.completes(1, 2, "/x")).toBe(true);
  });

  it("keeps a name it cannot decide", () => {
    const filter = QueryFilter.of("ub") as QueryFilter;
    expect(filter.completes(0, 0, "Über")).toBe(true);
    expect(filter.completes(0, 0, "zz`")).toBe(true);
    expect(filter.completes(0, 0, "zz")).toBe(false);
  });
});

describe("advance", () => {
  it("matches greedily in order, folding ASCII capitals, and resumes where it stopped", () => {
    expect(advance("btx", 0, "src/Button.tsx")).toBe(3);
    expect(advance("btx", 0, "src/")).toBe(0);
    expect(advance("btx", 1, "utils.ts")).toBe(2);
    expect(advance("abc", 0, "cba")).toBe(1);
  });

  it("is undecided on a character fuzzysort folds or remaps, unless the part was already matched", () => {
    expect(advance("ab", 0, "Ärger-b")).toBe(UNDECIDED);
    expect(advance("ab", 0, 'x"b')).toBe(UNDECIDED);
    expect(advance("ab", 0, "ab-Ä")).toBe(2);
  });
});

describe("the filter against fuzzysort", () => {
  const SEGMENTS = ["src", "Button.tsx", "user-modal.ts", "ÜberSicht.md", "back\\slash.ts", 'quote"d', "tick`d", "a b", "øre", "ﬁle", "İstanbul", "K-kelvin", "x.y", "README", "hooks", "useThing.ts", "ab", "ba"];
  const QUERIES = ["btx", "BUTTON", "user modal", "modal user", "src/hooks/use", "ub", "uber", "ore", "file", "back/slash", "quote'd", "tick'd", "ist", "k", "kk", "a b", "xy", "readme", "qqzz", "s/b", "ab ba", "/"];

  it("never drops a path fuzzysort matches, and drops the paths that cannot match", () => {
    const paths: string[] = [];
    for (const a of SEGMENTS) for (const b of SEGMENTS) for (const c of SEGMENTS) paths.push(`${a}/${b}/${c}`);
    let dropped = 0;
    for (const query of QUERIES) {
      const filter = QueryFilter.of(query);
      for (const path of paths) {
        const keep = mayMatch(filter, path);
        if (!keep) dropped++;
        if (fuzzysort.single(query, path) !== null) expect(keep, `${query} in ${path}`).toBe(true);
      }
    }
    // The check above is only worth something if the filter drops plenty of paths.
    expect(dropped).toBeGreaterThan(paths.length * 3);
  });
});
