// The filter may only drop paths fuzzysort would not match: checked against fuzzysort itself over
// queries and paths with capitals, spaces, punctuation, accents and the characters it remaps.
import fuzzysort from "fuzzysort";
import { describe, expect, it } from "vitest";
import { QueryFilter, undecidableScanner } from "./queryFilter.js";

/** The paths of `paths` the filter keeps for `query`, found the way a snapshot finds them: a scan for one part, a test for the rest. */
function kept(query: string, paths: readonly string[]): Set<string> {
  const filter = QueryFilter.of(query);
  if (filter === null) return new Set(paths);
  const text = paths.map((p) => `\0${p}`).join("");
  const starts = new Map<number, string>();
  let at = 0;
  for (const p of paths) {
    starts.set(at, p);
    at += 1 + p.length;
  }
  const out = new Set<string>();
  const scanner = filter.scanner(0);
  scanner.lastIndex = 0;
  for (let m = scanner.exec(text); m !== null; m = scanner.exec(text)) {
    const path = starts.get(m.index) as string;
    if (filter.parts.every((_, p) => p === 0 || filter.completes(p, path))) out.add(path);
    scanner.lastIndex = m.index + 1;
  }
  const undecidable = undecidableScanner();
  for (const p of paths) {
    undecidable.lastIndex = 0;
    if (undecidable.test(p)) out.add(p);
  }
  return out;
}

describe("QueryFilter.of", () => {
  it("lowercases, splits on spaces and drops repeats; refuses what is not plain printable ASCII", () => {
    expect(QueryFilter.of("  Src/Hooks  ")?.parts).toEqual(["src/hooks"]);
    expect(QueryFilter.of("user MODAL user")?.parts).toEqual(["user", "modal"]);
    for (const q of ["ünï", "a\tb", 'quote"d', "back\\slash", "tick`d", "   "]) expect(QueryFilter.of(q), JSON.stringify(q)).toBeNull();
  });
});

describe("scanner and completes", () => {
  it("find a part's characters in order, ASCII letters of either case, regex characters literally, within one path", () => {
    const filter = QueryFilter.of("a.b*c ui/x") as QueryFilter;
    expect(filter.completes(0, "A-.-B-*-C")).toBe(true);
    expect(filter.completes(0, "a-x-b-*-c")).toBe(false);
    expect(filter.completes(1, "src/ui/b/x.ts")).toBe(true);
    expect(filter.completes(1, "src/ux/i")).toBe(false);
    expect([...kept("abc", ["xa", "bc", "aXbYc", "cba"])]).toEqual(["aXbYc"]);
  });

  it("keep a path they cannot decide", () => {
    const filter = QueryFilter.of("ub") as QueryFilter;
    expect(filter.completes(0, "Über")).toBe(true);
    expect(filter.completes(0, "zz`")).toBe(true);
    expect(filter.completes(0, "zz")).toBe(false);
  });
});

describe("the filter against fuzzysort", () => {
  const SEGMENTS = [
    "src",
    "Button.tsx",
    "user-modal.ts",
    "ÜberSicht.md",
    "back\\slash.ts",
    'quote"d',
    "tick`d",
    "a b",
    "øre",
    "ﬁle",
    "İstanbul",
    "K-kelvin",
    "x.y",
    "README",
    "hooks",
    "useThing.ts",
    "ab",
    "ba",
  ];
  const QUERIES = [
    "btx",
    "BUTTON",
    "user modal",
    "modal user",
    "src/hooks/use",
    "ub",
    "uber",
    "ore",
    "file",
    "back/slash",
    "quote'd",
    "tick'd",
    "ist",
    "k",
    "kk",
    "a b",
    "xy",
    "readme",
    "qqzz",
    "s/b",
    "ab ba",
    "/",
  ];

  it("never drops a path fuzzysort matches, and drops the paths that cannot match", () => {
    const paths: string[] = [];
    for (const a of SEGMENTS) for (const b of SEGMENTS) for (const c of SEGMENTS) paths.push(`${a}/${b}/${c}`);
    let dropped = 0;
    for (const query of QUERIES) {
      const keep = kept(query, paths);
      dropped += paths.length - keep.size;
      for (const path of paths) if (fuzzysort.single(query, path) !== null) expect(keep.has(path), `${query} in ${path}`).toBe(true);
    }
    // The check above is only worth something if the filter drops plenty of paths.
    expect(dropped).toBeGreaterThan(paths.length * 3);
  });
});
