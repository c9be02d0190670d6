// The per-root index is reused only while the disk still matches it: every change between two
// searches (file created, deleted, renamed, a folder added, a .gitignore edited or created) is
// seen by the second one, while an untouched tree is answered from the same snapshot.
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fuzzysort, { type KeyResults } from "fuzzysort";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RootIndex, type Snapshot } from "./rootIndex.js";

let root: string;

function write(rel: string, text = ""): void {
  mkdirSync(join(root, rel, ".."), { recursive: true });
  writeFileSync(join(root, rel), text);
}

/** Moves every mtime an hour back, so any later change moves it forward whatever the clock's granularity. */
function backdate(dir = root): void {
  const past = new Date(Date.now() - 3_600_000);
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) backdate(join(dir, e.name));
    else utimesSync(join(dir, e.name), past, past);
  }
  utimesSync(dir, past, past);
}

/** An index that trusts every stamp, so the reuse path runs on a tree this test has just written. */
const trusting = (): RootIndex => new RootIndex(root, Number.NEGATIVE_INFINITY);

/** A search's paths; then, as the daemon does once the answer is out, the stamps a first walk left for later. */
async function paths(index: RootIndex): Promise<string[]> {
  const snap = await index.current();
  if (snap === undefined) throw new Error("not cancelled, yet no snapshot");
  await index.settle();
  return snap.paths();
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "gatehouse-rootindex-"));
  write(".gitignore", "*.log\nout/\n");
  write("src/app.ts");
  write("src/deep/er/leaf.ts");
  write("src/debug.log");
  write("out/bundle.js");
  write("lib/.gitignore", "gen/\n");
  write("lib/gen/made.ts");
  write("lib/keep.ts");
  mkdirSync(join(root, ".git/hooks"), { recursive: true });
  backdate();
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("RootIndex", () => {
  it("walks honouring nested .gitignore files, each folder listed in name order before its subfolders, and reuses the snapshot while nothing changed", async () => {
    const index = trusting();
    const first = await index.current();
    expect(first?.paths()).toEqual([
      ".gitignore",
      "lib",
      "src",
      "lib/.gitignore",
      "lib/keep.ts",
      "src/app.ts",
      "src/deep",
      "src/deep/er",
      "src/deep/er/leaf.ts",
    ]);
    expect(await index.reusable()).toBe(true);
    expect(await index.current()).toBe(first);
  });

  it("sees a file created deep in the tree", async () => {
    const index = trusting();
    await paths(index);
    write("src/deep/er/new.ts");
    expect(await paths(index)).toContain("src/deep/er/new.ts");
  });

  it("sees a new folder and its files", async () => {
    const index = trusting();
    await paths(index);
    write("src/fresh/one.ts");
    expect(await paths(index)).toEqual(expect.arrayContaining(["src/fresh", "src/fresh/one.ts"]));
  });

  it("sees a file deleted", async () => {
    const index = trusting();
    expect(await paths(index)).toContain("src/deep/er/leaf.ts");
    rmSync(join(root, "src/deep/er/leaf.ts"));
    expect(await paths(index)).not.toContain("src/deep/er/leaf.ts");
  });

  it("sees a file renamed, and a folder renamed", async () => {
    const index = trusting();
    await paths(index);
    renameSync(join(root, "src/app.ts"), join(root, "src/main.ts"));
    const after = await paths(index);
    expect(after).toContain("src/main.ts");
    expect(after).not.toContain("src/app.ts");
    renameSync(join(root, "src/deep"), join(root, "src/shallow"));
    const moved = await paths(index);
    expect(moved).toContain("src/shallow/er/leaf.ts");
    expect(moved).not.toContain("src/deep/er/leaf.ts");
  });

  it("sees a .gitignore edited in place, even to the same size", async () => {
    const index = trusting();
    expect(await paths(index)).not.toContain("src/debug.log");
    writeFileSync(join(root, ".gitignore"), "*.ts\nout/\n");
    const after = await paths(index);
    expect(after).toContain("src/debug.log");
    expect(after).not.toContain("src/app.ts");
  });

  it("sees a nested .gitignore edited, and one created", async () => {
    const index = trusting();
    expect(await paths(index)).not.toContain("lib/gen/made.ts");
    writeFileSync(join(root, "lib/.gitignore"), "keep.ts\n");
    const after = await paths(index);
    expect(after).toContain("lib/gen/made.ts");
    expect(after).not.toContain("lib/keep.ts");
    writeFileSync(join(root, "src/deep/.gitignore"), "er/\n");
    expect(await paths(index)).not.toContain("src/deep/er/leaf.ts");
  });

  it("sees a change made right after a search whose folder had just changed (not trusted yet)", async () => {
    const index = new RootIndex(root);
    write("src/now.ts");
    const first = await index.current();
    expect(await index.reusable()).toBe(false);
    write("src/later.ts");
    const second = await index.current();
    expect(second).not.toBe(first);
    expect(second?.paths()).toContain("src/later.ts");
  });

  it("sees a change made after a first walk read a folder and before it took the folder's stamp", async () => {
    // The stamp is taken after the change, so only the racy rule against the read's time can tell.
    const index = new RootIndex(root);
    const first = await index.current();
    write("src/deep/er/new.ts");
    const second = await index.current();
    expect(second).not.toBe(first);
    expect(second?.paths()).toContain("src/deep/er/new.ts");
  });

  it("sees a .gitignore edited after a first walk read it and before its stamp was taken", async () => {
    const index = new RootIndex(root);
    expect((await index.current())?.paths()).not.toContain("src/debug.log");
    writeFileSync(join(root, ".gitignore"), "out/\n");
    utimesSync(join(root, ".gitignore"), new Date(), new Date());
    expect((await index.current())?.paths()).toContain("src/debug.log");
  });

  it("walks again when a folder a first walk read is a file by the time its stamp is taken", async () => {
    const index = trusting();
    const first = await index.current();
    rmSync(join(root, "src/deep"), { recursive: true });
    writeFileSync(join(root, "src/deep"), "");
    // Backdated like the rest, so only the kind of what is there now says the listing is wrong.
    backdate();
    expect(await index.reusable()).toBe(false);
    const second = await index.current();
    expect(second).not.toBe(first);
    expect(second?.paths()).toContain("src/deep");
    expect(second?.paths()).not.toContain("src/deep/er/leaf.ts");
  });

  it("takes a first walk's stamps late: not during the walk, nor in settleSoon() itself, but after a turn of the event loop", async () => {
    // With every stamp trusted, a change made before the stamps are taken goes unseen: which shows
    // when they are taken, and why only the real rule (RACY_MS) makes late stamps safe.
    const index = trusting();
    await index.current();
    write("lib/during.ts");
    index.settleSoon();
    write("src/soon.ts");
    await new Promise((resolve) => setImmediate(resolve));
    await index.settle();
    write("src/deep/er/after.ts");
    const now = await paths(index);
    expect(now).not.toContain("lib/during.ts");
    expect(now).not.toContain("src/soon.ts");
    expect(now).toContain("src/deep/er/after.ts");
  });

  it("asks a .gitignore about everything below a folder whose name holds one of its literals", async () => {
    // `cache/stale` needs "cache" in some segment; `stale` itself has none, its folder has.
    write("tools/.gitignore", "cache/stale\n");
    write("tools/cache/stale");
    write("tools/cache/fresh");
    write("tools/stale");
    const after = await paths(trusting());
    expect(after).toEqual(expect.arrayContaining(["tools/cache/fresh", "tools/stale"]));
    expect(after).not.toContain("tools/cache/stale");
  });

  it("hands fuzzysort only candidates, yet it ranks them exactly as it ranks every entry", async () => {
    for (let i = 0; i < 40; i++) write(`src/Widgets/w${i}/${i % 3 ? "Button" : "modal"}-${i}.tsx`);
    write("src/Ünïcode.ts");
    write('src/quote"d.ts');
    const snap = (await trusting().current()) as Snapshot;
    const every = snap.paths().map((path) => ({ path, prepared: fuzzysort.prepare(path) }));
    const ranked = (hits: KeyResults<{ path: string }>): Array<[string, number]> => hits.map((h) => [h.obj.path, h.score]);
    for (const query of ["button", "BTN", "w1 tsx", "src/w", "modal", "uni", "ün", "quote'd", "keep", "zzz", "s"]) {
      const candidates = (await snap.candidates(query)) ?? [];
      expect(candidates.length).toBeLessThanOrEqual(every.length);
      expect(ranked(fuzzysort.go(query, candidates, { key: "prepared", limit: 10, threshold: 0 })), query).toEqual(
        ranked(fuzzysort.go(query, every, { key: "prepared", limit: 10, threshold: 0 })),
      );
    }
    // A miss prepares nothing but the paths whose accents or quotes only fuzzysort can fold.
    expect((await snap.candidates("zzz"))?.map((t) => t.path)).toEqual(['src/quote"d.ts', "src/Ünïcode.ts"]);
  });

  it("picks exactly the paths holding every query part in order (ASCII letters of either case), or a character fuzzysort folds", async () => {
    const words = ["Alpha", "beta", "gamma-Δ", "delta", "eps`ilon", "zeta"];
    for (let i = 0; i < 150; i++) write(`${words[i % 6]}/${words[(i >> 1) % 6]}${i % 4}/${words[(i * 5) % 6]}-${i}.ts`);
    const snap = (await trusting().current()) as Snapshot;
    const holds = (part: string, path: string): boolean => {
      let k = 0;
      for (const ch of path.toLowerCase()) if (ch === part[k]) k++;
      return k >= part.length;
    };
    const reference = (query: string, path: string): boolean =>
      /[^\x20-\x7e]|[\\"`]/.test(query) ||
      /[^\x00-\x7e]|[\\"`]/.test(path) ||
      [...new Set(query.trim().toLowerCase().split(" ").filter(Boolean))].every((part) => holds(part, path));
    // Typed on (each query picked from the one before it), repeated, and with more parts than are kept.
    const typed = ["b", "be", "bet", "BETA/z", "beta/ze", "b", "e", "ep", "eps", "eps`", "e-1", "e-12"];
    const others = ["alpha", "BETA/zeta", "a/b", "gad", "e-1", "ts", "z z", "lpha ta", "eps", "ilon", "qq", "Δ", "a-1 1.ts", "src/app"];
    for (const query of [...typed, ...others, ...others.map((q) => `${q}s`), ...typed]) {
      const picked = ((await snap.candidates(query)) ?? []).map((t) => t.path);
      expect(picked, query).toEqual(snap.paths().filter((p) => reference(query, p)));
    }
  });

  it("takes over the prepared paths of the snapshot it replaces", async () => {
    const index = trusting();
    const first = (await index.current()) as Snapshot;
    await index.settle();
    const before = (await first.candidates("app")) ?? [];
    expect(before.map((t) => t.path)).toEqual(["src/app.ts"]);
    write("src/apple.ts");
    const second = (await index.current()) as Snapshot;
    expect(second).not.toBe(first);
    const after = (await second.candidates("app")) ?? [];
    expect(after.map((t) => t.path)).toEqual(["src/app.ts", "src/apple.ts"]);
    expect(after[0]).toBe(before[0]);
  });

  it("gives the event loop a turn between slices of a walk, and stops when cancelled during one", async () => {
    // Slices of 0 ms: each folder is a slice of its own, so the turns do not depend on the machine's speed.
    let turns = 0;
    let counting = true;
    const count = (): void => {
      if (!counting) return;
      turns++;
      setImmediate(count);
    };
    setImmediate(count);
    const snap = await new RootIndex(root, Number.NEGATIVE_INFINITY, 0).current();
    counting = false;
    expect(snap?.paths()).toContain("src/deep/er/leaf.ts");
    // Five folders walked (root, lib, src, src/deep, src/deep/er): a turn after each but the last.
    expect(turns).toBeGreaterThanOrEqual(4);

    const controller = new AbortController();
    setImmediate(() => controller.abort());
    expect(await new RootIndex(root, Number.NEGATIVE_INFINITY, 0).current(controller.signal)).toBeUndefined();
  });

  it("answers undefined once cancelled", async () => {
    const controller = new AbortController();
    controller.abort();
    expect(await trusting().current(controller.signal)).toBeUndefined();
  });
});
