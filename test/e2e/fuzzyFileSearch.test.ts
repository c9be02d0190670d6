// fuzzyFileSearch on the real daemon over a 10,000-file tree: .gitignore honoured (root and nested),
// results capped at 50 and ranked, indices pointing into the path, folders matched, empty query empty.
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { RACY_MS } from "../../server/core/search/rootIndex.js";
import { startSession, type Session } from "../helpers/session.js";

let session: Session | undefined;
afterEach(async () => {
  await session?.stop();
  session = undefined;
});

type Hit = { root: string; path: string; match_type: string; file_name: string; score: number; indices: number[] | null };

function tree(root: string): void {
  for (let i = 0; i < 10_000; i++) {
    const dir = join(root, `pkg${i % 20}`, `mod${Math.floor(i / 20) % 25}`, `sub${i % 7}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `file_${i}.ts`), "");
  }
  mkdirSync(join(root, "build"), { recursive: true });
  for (let i = 0; i < 300; i++) writeFileSync(join(root, "build", `needle_${i}.ts`), "");
  mkdirSync(join(root, "pkg3/vendor"), { recursive: true });
  writeFileSync(join(root, "pkg3/vendor/needle_vendored.ts"), "");
  writeFileSync(join(root, "pkg3/.gitignore"), "vendor/\n");
  writeFileSync(join(root, "needle.log"), "");
  writeFileSync(join(root, "needle_kept.ts"), "");
  mkdirSync(join(root, ".git/hooks"), { recursive: true });
  writeFileSync(join(root, ".git/hooks/needle.sample"), "");
  writeFileSync(join(root, ".gitignore"), "build/\n*.log\n");
}

describe("fuzzyFileSearch", () => {
  it("searches a 10,000-file tree honouring .gitignore, ranked and capped", async () => {
    session = await startSession();
    const s = session;
    const root = join(s.daemon.home.base, "tree");
    tree(root);

    const needle = (await s.result<{ files: Hit[] }>("fuzzyFileSearch", { query: "needle", roots: [root] })).files;
    // Ignored by the root .gitignore (build/, *.log), the nested one (pkg3/vendor/) and .git internals.
    expect(needle.map((h) => h.path)).toEqual(["needle_kept.ts"]);
    expect(needle[0]).toMatchObject({ root, match_type: "file", file_name: "needle_kept.ts", indices: [0, 1, 2, 3, 4, 5] });

    const many = (await s.result<{ files: Hit[] }>("fuzzyFileSearch", { query: "file_12", roots: [root] })).files;
    expect(many).toHaveLength(50);
    const scores = many.map((h) => h.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    // The best hits contain the query literally; every hit's indices spell the query in order.
    expect(many[0]?.file_name).toMatch(/^file_12/);
    for (const h of many) expect((h.indices ?? []).map((i) => h.path[i]).join("")).toBe("file_12");

    const dirs = (await s.result<{ files: Hit[] }>("fuzzyFileSearch", { query: "mod24", roots: [root] })).files;
    expect(dirs.some((h) => h.match_type === "directory" && h.path.endsWith("mod24"))).toBe(true);

    expect((await s.result<{ files: Hit[] }>("fuzzyFileSearch", { query: "", roots: [root] })).files).toEqual([]);
    s.checkWire();
  });

  it("answers from the disk as it is now: files created, deleted, renamed and .gitignore edits between searches", async () => {
    session = await startSession();
    const s = session;
    const root = join(s.daemon.home.base, "tree");
    tree(root);
    const search = async (query: string): Promise<string[]> =>
      (await s.result<{ files: Hit[] }>("fuzzyFileSearch", { query, roots: [root] })).files.map((h) => h.path);
    // Past the daemon's "racily changed" window (RACY_MS), so the first search's snapshot is one it
    // would reuse: each edit below has to be caught by revalidation, not by a folder being too new.
    await new Promise((resolve) => setTimeout(resolve, RACY_MS + 100));

    expect(await search("needle")).toEqual(["needle_kept.ts"]);
    writeFileSync(join(root, "pkg7/mod3/sub2/needle_new.ts"), "");
    expect(await search("needle")).toEqual(["needle_kept.ts", "pkg7/mod3/sub2/needle_new.ts"]);
    rmSync(join(root, "needle_kept.ts"));
    expect(await search("needle")).toEqual(["pkg7/mod3/sub2/needle_new.ts"]);
    renameSync(join(root, "pkg7/mod3/sub2/needle_new.ts"), join(root, "pkg7/mod3/sub2/needle_moved.ts"));
    expect(await search("needle")).toEqual(["pkg7/mod3/sub2/needle_moved.ts"]);
    // Un-ignoring build/ brings its 300 files in; ignoring pkg7/ takes the moved one out.
    writeFileSync(join(root, ".gitignore"), "pkg7/\n*.log\n");
    const after = await search("needle");
    expect(after).toHaveLength(50);
    expect(after.every((p) => p.startsWith("build/needle_"))).toBe(true);
    s.checkWire();
  });
});
