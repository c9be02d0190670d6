// Ranking details FileSearch adds to fuzzysort: equal scores go shorter path first, then code-unit
// order (whatever the daemon's locale would collate), and a miss answers empty.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileSearch } from "./fileSearch.js";

let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "gatehouse-filesearch-"));
  mkdirSync(join(root, "src"));
  // Same letters, same length: fuzzysort scores these alike, so only the tie-break orders them.
  for (const name of ["aB.ts", "Ab.ts", "ab.ts", "AB.ts"]) writeFileSync(join(root, "src", name), "");
  writeFileSync(join(root, "ab-longer.ts"), "");
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("FileSearch", () => {
  it("ranks equal scores shorter path first, then in code-unit order", async () => {
    const files = await new FileSearch().search("ab", [root], null);
    const tied = files.filter((f) => f.path.startsWith("src/"));
    expect(new Set(tied.map((f) => f.score)).size).toBe(1);
    expect(tied.map((f) => f.path)).toEqual(["src/AB.ts", "src/Ab.ts", "src/aB.ts", "src/ab.ts"]);
  });

  it("answers a query no path can match with nothing", async () => {
    expect(await new FileSearch().search("zzq", [root], null)).toEqual([]);
  });
});
