import * as fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyVerified, verifyPatch } from "./apply.js";
import { TurnDiffTracker, gitBlobSha1 } from "./turnDiff.js";

const P = (body: string) => `*** Begin Patch\n${body}\n*** End Patch`;
let dir: string;
const at = (p: string) => path.join(dir, p);

beforeEach(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "turndiff-")));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

async function run(tracker: TurnDiffTracker, patch: string): Promise<void> {
  const v = await verifyPatch(patch, dir);
  if (!v.ok) throw new Error(v.error);
  const r = await applyVerified(v.patch);
  if (!r.ok) throw new Error(r.error);
  tracker.record(v.patch);
}

describe("TurnDiffTracker", () => {
  it("gitBlobSha1 is git's blob id", () => {
    expect(gitBlobSha1("")).toBe("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
    expect(gitBlobSha1("one\ntwo\n")).toBe("814f4a422927b82f5f8a43f8fab6d3839e3983f2");
  });

  it("matches the turn diff 0.169 sent after add, update, move and delete (git root = cwd)", async () => {
    fs.mkdirSync(at(".git"));
    fs.writeFileSync(at("a.txt"), Array.from({ length: 10 }, (_, i) => `line${i + 1}\n`).join(""));
    fs.writeFileSync(at("m.txt"), "m0\nm1\nm2\n");
    fs.writeFileSync(at("d.txt"), "gone\n");
    const t = new TurnDiffTracker({ cwd: dir });
    expect(t.diff()).toBeNull();
    await run(t, P("*** Add File: p/new.txt\n+one\n+two"));
    expect(t.diff()).toBe(
      "diff --git a/p/new.txt b/p/new.txt\nnew file mode 100644\nindex 0000000000000000000000000000000000000000..814f4a422927b82f5f8a43f8fab6d3839e3983f2\n--- /dev/null\n+++ b/p/new.txt\n@@ -0,0 +1,2 @@\n+one\n+two\n",
    );
    await run(t, P("*** Update File: a.txt\n@@\n-line2\n+LINE2"));
    await run(t, P("*** Update File: m.txt\n*** Move to: moved/m2.txt\n@@\n-m1\n+m1x"));
    await run(t, P("*** Delete File: d.txt"));
    expect(t.diff()).toBe(
      "diff --git a/a.txt b/a.txt\nindex 4083766a98b7d3e5e8e276f0f09c27ba1efe4d5c..ca1762220d73e3ddd985598c96f2493292a66395\n--- a/a.txt\n+++ b/a.txt\n@@ -1,5 +1,5 @@\n line1\n-line2\n+LINE2\n line3\n line4\n line5\n" +
        "diff --git a/d.txt b/d.txt\ndeleted file mode 100644\nindex 286c5f5776916d7d7d5849988ca9d83e722cf9c2..0000000000000000000000000000000000000000\n--- a/d.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-gone\n" +
        "diff --git a/m.txt b/moved/m2.txt\nindex 69ae0057d892dbcb92626d27bf1ca9aee32bfec9..fe8b1abffec50dbd148a88c8524babffa8f8119c\n--- a/m.txt\n+++ b/moved/m2.txt\n@@ -1,3 +1,3 @@\n m0\n-m1\n+m1x\n m2\n" +
        "diff --git a/p/new.txt b/p/new.txt\nnew file mode 100644\nindex 0000000000000000000000000000000000000000..814f4a422927b82f5f8a43f8fab6d3839e3983f2\n--- /dev/null\n+++ b/p/new.txt\n@@ -0,0 +1,2 @@\n+one\n+two\n",
    );
    // A later patch on the same file diffs against the first baseline.
    await run(t, P("*** Update File: a.txt\n@@ line5\n-line6\n+line six"));
    expect(t.diff()).toContain(
      "index 4083766a98b7d3e5e8e276f0f09c27ba1efe4d5c..2614d03372962452e3357c1584d4a74a6441aa68\n--- a/a.txt\n+++ b/a.txt\n@@ -1,9 +1,9 @@\n line1\n-line2\n+LINE2\n line3\n line4\n line5\n-line6\n+line six\n line7\n line8\n line9\n",
    );
  });

  it("skips net no-ops and follows chains of renames", async () => {
    fs.writeFileSync(at("a.txt"), "a\n");
    const t = new TurnDiffTracker({ cwd: dir, gitRoot: () => null });
    await run(t, P("*** Update File: a.txt\n@@\n-a\n+b"));
    await run(t, P("*** Update File: a.txt\n@@\n-b\n+a"));
    expect(t.diff()).toBeNull();
    await run(t, P("*** Add File: tmp.txt\n+x"));
    await run(t, P("*** Delete File: tmp.txt"));
    expect(t.diff()).toBeNull();
    await run(t, P("*** Update File: a.txt\n*** Move to: b.txt\n@@\n-a\n+a2"));
    await run(t, P("*** Update File: b.txt\n*** Move to: c/d.txt\n@@\n-a2\n+a3"));
    expect(t.diff()).toBe(
      `diff --git a/a.txt b/c/d.txt\nindex ${gitBlobSha1("a\n")}..${gitBlobSha1("a3\n")}\n--- a/a.txt\n+++ b/c/d.txt\n@@ -1 +1 @@\n-a\n+a3\n`,
    );
  });

  it("display paths: git root, else cwd, else absolute", async () => {
    fs.mkdirSync(at("repo/.git"), { recursive: true });
    fs.mkdirSync(at("work"));
    const t = new TurnDiffTracker({ cwd: at("work") });
    await run(t, P("*** Add File: repo/src/x.txt\n+x\n*** Add File: work/y.txt\n+y\n*** Add File: other/z.txt\n+z"));
    const heads = (t.diff() ?? "").split("\n").filter((l) => l.startsWith("diff --git"));
    // No .git above `other/` or `work/` (the test's temp dir is outside any repo).
    if (fs.existsSync(path.join(path.dirname(dir), ".git"))) return;
    expect(heads).toEqual([`diff --git a/${at("other/z.txt")} b/${at("other/z.txt")}`, "diff --git a/src/x.txt b/src/x.txt", "diff --git a/y.txt b/y.txt"]);
  });

  it("diffIfChanged returns a diff only when it changed", async () => {
    const t = new TurnDiffTracker({ cwd: dir, gitRoot: () => null });
    expect(t.diffIfChanged()).toBeNull();
    await run(t, P("*** Add File: a.txt\n+a"));
    const first = t.diffIfChanged();
    expect(first).toContain("+++ b/a.txt");
    expect(t.diffIfChanged()).toBeNull();
    expect(t.diff()).toBe(first);
    await run(t, P("*** Update File: a.txt\n@@\n-a\n+b"));
    expect(t.diffIfChanged()).toContain("+b");
  });

  it("an add over an existing file diffs against the old content", async () => {
    fs.writeFileSync(at("a.txt"), "old\n");
    const t = new TurnDiffTracker({ cwd: dir, gitRoot: () => null });
    await run(t, P("*** Add File: a.txt\n+new"));
    expect(t.diff()).toBe(
      `diff --git a/a.txt b/a.txt\nindex ${gitBlobSha1("old\n")}..${gitBlobSha1("new\n")}\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-old\n+new\n`,
    );
  });
});
