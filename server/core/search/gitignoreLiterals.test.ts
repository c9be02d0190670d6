// A path the `ignore` package ignores always contains one of the literals requiredLiterals found
// (else the walk would keep an ignored path); rules it cannot read give no literals at all.
import ignore from "ignore";
import { describe, expect, it } from "vitest";
import { literalPattern, requiredLiterals } from "./gitignoreLiterals.js";

describe("requiredLiterals", () => {
  it("takes the longest literal run of each ignoring rule, lowercased, and skips comments, blanks and negations", () => {
    expect(requiredLiterals("dist/\n*.log\n# note\n\n!keep.log\nNode_Modules/\nsrc/**/Gen-*.ts  \r\n/build\n")).toEqual([
      "dist",
      ".log",
      "node_modules",
      "gen-",
      "build",
    ]);
  });

  it("gives up (null) on a rule it cannot read with certainty or one without a literal", () => {
    for (const text of ["*.[oa]\n", "dist/\n\\#x\n", "a b\n", "*\n", "**/\n", "/\n", "dist/\nÜber\n", "x\ty\n", "{a,b}\n"]) {
      expect(requiredLiterals(text), JSON.stringify(text)).toBeNull();
    }
  });

  it("drops a leading byte-order mark", () => {
    expect(requiredLiterals("\ufeffdist/\n")).toEqual(["dist"]);
  });

  it("compiles them into one pattern, matching them literally and ASCII letters of either case", () => {
    const pattern = literalPattern("*.log\nNode_Modules/\n!x\n") as RegExp;
    expect(["a.LOG", "node_modules", "NODE_MODULES"].map((s) => pattern.test(s))).toEqual([true, true, true]);
    expect(["alog", "node-modules"].map((s) => pattern.test(s))).toEqual([false, false]);
    // The Kelvin sign is not `k` to `ignore` (no `u` flag), so it is not to the pattern either.
    expect(literalPattern("kelvin\n")?.test("\u212aelvin")).toBe(false);
    expect(literalPattern("# only a comment\n!keep\n")?.test("anything")).toBe(false);
    expect(literalPattern("*\n")).toBeNull();
  });

  const RULES = [
    "dist/\n*.log\nnode_modules/\n",
    "/build\nlogs/**/debug\ndoc/*.txt\n*.TMP\nfoo/bar/\n",
    "*.log\n!keep.log\n",
    "src/**/Gen-*.ts\na?c\n**/cache/\nout\n",
    "target  \r\nvendor/bundle/\n***/x.y\n",
  ];
  const SEGMENTS = [
    "dist",
    "DIST",
    "distro",
    "a.log",
    "keep.log",
    "node_modules",
    "build",
    "Build",
    "logs",
    "debug",
    "doc",
    "a.txt",
    "x.tmp",
    "foo",
    "bar",
    "src",
    "gen-1.ts",
    "GEN-2.TS",
    "abc",
    "aXc",
    "cache",
    "out",
    "outer",
    "target",
    "vendor",
    "bundle",
    "x.y",
    "z",
    "ÿ.log",
    "Ｂuild",
  ];

  it("never misses a path `ignore` ignores (every 1-3 segment path over a vocabulary, as file and as folder)", () => {
    const paths: string[] = [];
    for (const a of SEGMENTS) {
      paths.push(a);
      for (const b of SEGMENTS) {
        paths.push(`${a}/${b}`);
        for (const c of ["a.log", "debug", "x.tmp", "gen-1.ts", "z"]) paths.push(`${a}/${b}/${c}`);
      }
    }
    let ignoredSeen = 0;
    for (const text of RULES) {
      const literals = literalPattern(text);
      expect(literals, text).not.toBeNull();
      const matcher = ignore().add(text);
      for (const p of paths) {
        for (const tested of [p, `${p}/`]) {
          if (!matcher.ignores(tested)) continue;
          ignoredSeen++;
          const segments = p.split("/");
          expect(
            segments.some((segment) => (literals as RegExp).test(segment)),
            `${JSON.stringify(text)} ignores ${tested}`,
          ).toBe(true);
        }
      }
    }
    // The check above is only worth something if the rules ignore plenty of these paths.
    expect(ignoredSeen).toBeGreaterThan(1000);
  });
});
