import * as fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileUpdateChange } from "../../../protocol/v2/shared.js";
import { applyVerified, defaultFs, fileChangesForItem, verificationFailureOutput, verifyPatch } from "./apply.js";
import type { PatchFs } from "./patchFs.js";
import type { VerifiedPatch } from "./apply.js";

const P = (body: string) => `*** Begin Patch\n${body}\n*** End Patch`;
let dir: string;
const at = (p: string) => path.join(dir, p);
const write = (p: string, s: string) => {
  fs.mkdirSync(path.dirname(at(p)), { recursive: true });
  fs.writeFileSync(at(p), s);
};
const readF = (p: string) => fs.readFileSync(at(p), "utf8");

beforeEach(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "patch-")));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

async function verified(patch: string): Promise<VerifiedPatch> {
  const r = await verifyPatch(patch, dir);
  if (!r.ok) throw new Error(r.error);
  return r.patch;
}
async function failure(patch: string): Promise<string> {
  const r = await verifyPatch(patch, dir);
  if (r.ok) throw new Error("verified");
  return verificationFailureOutput(r).replaceAll(dir, "$CWD");
}

describe("verify + apply: fixtures observed on 0.169", () => {
  it("add, update, move, delete: disk, summary, item changes", async () => {
    write("a.txt", Array.from({ length: 10 }, (_, i) => `line${i + 1}\n`).join(""));
    write("m.txt", "m0\nm1\nm2\n");
    write("d.txt", "gone\n");
    const v = await verified(
      P(
        "*** Add File: p/new.txt\n+one\n+two\n*** Update File: a.txt\n@@\n-line2\n+LINE2\n*** Update File: m.txt\n*** Move to: moved/m2.txt\n@@\n-m1\n+m1x\n*** Delete File: d.txt",
      ),
    );
    expect(fs.existsSync(at("p/new.txt"))).toBe(false);
    const items = fileChangesForItem(v);
    expect(items).toEqual([
      { path: at("a.txt"), kind: { type: "update", move_path: null }, diff: "@@ -1,3 +1,3 @@\n line1\n-line2\n+LINE2\n line3\n" },
      { path: at("d.txt"), kind: { type: "delete" }, diff: "gone\n" },
      {
        path: at("m.txt"),
        kind: { type: "update", move_path: at("moved/m2.txt") },
        diff: `@@ -1,3 +1,3 @@\n m0\n-m1\n+m1x\n m2\n\n\nMoved to: ${at("moved/m2.txt")}`,
      },
      { path: at("p/new.txt"), kind: { type: "add" }, diff: "one\ntwo\n" },
    ]);
    for (const c of items) FileUpdateChange.parse(c);
    const r = await applyVerified(v);
    expect(r).toEqual({ ok: true, output: "Success. Updated the following files:\nA p/new.txt\nM a.txt\nM moved/m2.txt\nD d.txt\n" });
    expect(readF("p/new.txt")).toBe("one\ntwo\n");
    expect(readF("a.txt").split("\n").slice(0, 3)).toEqual(["line1", "LINE2", "line3"]);
    expect(readF("moved/m2.txt")).toBe("m0\nm1x\nm2\n");
    expect(fs.existsSync(at("m.txt"))).toBe(false);
    expect(fs.existsSync(at("d.txt"))).toBe(false);
    expect((fs.readdirSync(dir, { recursive: true }) as string[]).sort()).toEqual(["a.txt", "moved", "moved/m2.txt", "p", "p/new.txt"]);
  });

  it("@@ ctx seeks forward; several files; add over an existing file stays an add", async () => {
    write("a.txt", Array.from({ length: 10 }, (_, i) => `line${i + 1}\n`).join(""));
    write("q.txt", "a\nx\n");
    const v = await verified(
      P("*** Update File: a.txt\n@@ line5\n-line6\n+line six\n*** Update File: q.txt\n-x\n+y\n*** End of File\n*** Add File: z.txt\n+z"),
    );
    expect(fileChangesForItem(v).map((c) => c.diff)).toEqual(["@@ -5,3 +5,3 @@\n line5\n-line6\n+line six\n line7\n", "@@ -1,2 +1,2 @@\n a\n-x\n+y\n", "z\n"]);
    expect((await applyVerified(v)).ok && readF("q.txt")).toBe("a\ny\n");
    write("e.txt", "old\n");
    const add = await verified(P("*** Add File: e.txt\n+replaced"));
    expect(add.changes[0]).toMatchObject({ kind: "add", oldContent: "old\n", newContent: "replaced\n" });
    expect(fileChangesForItem(add)).toEqual([{ path: at("e.txt"), kind: { type: "add" }, diff: "replaced\n" }]);
  });

  it("*** End of File anchors at the end", async () => {
    write("e.txt", "x\ny\nx\n");
    const v = await verified(P("*** Update File: e.txt\n@@\n-x\n+X\n*** End of File"));
    expect(fileChangesForItem(v)[0]?.diff).toBe("@@ -2,2 +2,2 @@\n y\n-x\n+X\n");
    await applyVerified(v);
    expect(readF("e.txt")).toBe("x\ny\nX\n");
  });

  it("a file without a final newline gets one, and the diff says so", async () => {
    write("n.txt", "first\nlast");
    const v = await verified(P("*** Update File: n.txt\n@@\n-last\n+LAST"));
    expect(fileChangesForItem(v)[0]?.diff).toBe("@@ -1,2 +1,2 @@\n first\n-last\n\\ No newline at end of file\n+LAST\n");
    await applyVerified(v);
    expect(readF("n.txt")).toBe("first\nLAST\n");
  });

  it("fuzzy seek: trailing whitespace, Unicode dashes and quotes", async () => {
    write("u.txt", "it's - dash\nend\n");
    const v = await verified(P("*** Update File: u.txt\n-it\u2019s \u2014 dash  \n+fixed"));
    expect(fileChangesForItem(v)[0]?.diff).toBe("@@ -1,2 +1,2 @@\n-it's - dash\n+fixed\n end\n");
    write("t.txt", "keep  \nx\n");
    await applyVerified(await verified(P("*** Update File: t.txt\n@@\n keep\n-x\n+y")));
    // Context lines are rewritten as the patch has them, as in the reference.
    expect(readF("t.txt")).toBe("keep\ny\n");
  });

  it("two chunks in one file, blank line between", async () => {
    write("c.txt", "c1\nc2\nc3\nc4\nc5\n");
    const v = await verified(P("*** Update File: c.txt\n-c2\n+C2\n\n@@\n-c4\n+C4"));
    expect(fileChangesForItem(v)[0]?.diff).toBe("@@ -1,5 +1,5 @@\n c1\n-c2\n+C2\n c3\n-c4\n+C4\n c5\n");
  });

  it("a chunk with only + lines appends; a trailing empty context line may stand for the final newline", async () => {
    write("a.txt", "a\n");
    await applyVerified(await verified(P("*** Update File: a.txt\n@@\n+b")));
    expect(readF("a.txt")).toBe("a\nb\n");
    await applyVerified(await verified(P("*** Update File: a.txt\n@@\n-b\n+B\n ")));
    expect(readF("a.txt")).toBe("a\nB\n");
  });
});

describe("verification failures (texts observed on 0.169)", () => {
  beforeEach(() => {
    write("a.txt", "line1\nline2\n");
    write("b.txt", "b1\nb2\n");
  });

  it("bad context lines", async () => {
    expect(await failure(P("*** Update File: a.txt\n@@\n-nope\n+x"))).toBe(
      "apply_patch verification failed: Failed to find expected lines in $CWD/a.txt:\nnope",
    );
    expect(await failure(P("*** Update File: a.txt\n@@ zzz\n-line1\n+x"))).toBe("apply_patch verification failed: Failed to find context 'zzz' in $CWD/a.txt");
  });

  it("missing files", async () => {
    expect(await failure(P("*** Update File: nope.txt\n@@\n-a\n+b"))).toBe(
      "apply_patch verification failed: Failed to read file to update $CWD/nope.txt: No such file or directory (os error 2)",
    );
    expect(await failure(P("*** Delete File: nope.txt"))).toBe(
      "apply_patch verification failed: Failed to read $CWD/nope.txt: No such file or directory (os error 2)",
    );
  });

  it("parse errors and two operations on one file", async () => {
    expect(await failure("hello\n*** End Patch")).toBe("apply_patch verification failed: invalid patch: The first line of the patch must be '*** Begin Patch'");
    expect(await failure(P("*** Update File: b.txt\n@@\n-b1\n+B1\n*** Update File: b.txt\n@@\n-B1\n+BB1"))).toBe(
      "apply_patch verification failed: invalid patch: multiple operations target $CWD/b.txt",
    );
    expect(await failure(P("*** Update File: a.txt\n*** Move to: b.txt\n@@\n-line1\n+x\n*** Delete File: b.txt"))).toMatch(
      /multiple operations target \$CWD\/b\.txt$/,
    );
  });

  it("an empty patch", async () => {
    const r = await verifyPatch("*** Begin Patch\n*** End Patch", dir);
    expect(r).toEqual({ ok: false, kind: "empty", error: "No files were modified." });
    expect(await failure("*** Begin Patch\n*** End Patch")).toBe("patch rejected: empty patch");
  });

  it("writes nothing when any hunk fails verification", async () => {
    expect(await failure(P("*** Add File: ok.txt\n+ok\n*** Delete File: a.txt\n*** Update File: b.txt\n@@\n-nothere\n+x"))).toMatch(
      /Failed to find expected lines/,
    );
    expect(fs.existsSync(at("ok.txt"))).toBe(false);
    expect(readF("a.txt")).toBe("line1\nline2\n");
    expect(readF("b.txt")).toBe("b1\nb2\n");
  });
});

describe("applyVerified: writing", () => {
  it("keeps an existing file's mode and writes through symlinks", async () => {
    write("run.sh", "echo a\n");
    fs.chmodSync(at("run.sh"), 0o755);
    fs.symlinkSync("run.sh", at("link.sh"));
    await applyVerified(await verified(P("*** Update File: link.sh\n@@\n-echo a\n+echo b")));
    expect(fs.lstatSync(at("link.sh")).isSymbolicLink()).toBe(true);
    expect(readF("run.sh")).toBe("echo b\n");
    expect(fs.statSync(at("run.sh")).mode & 0o777).toBe(0o755);
  });

  it("reports a failed write with what was applied before it", async () => {
    write("a.txt", "a\n");
    fs.mkdirSync(at("ro"));
    const v = await verified(P("*** Update File: a.txt\n@@\n-a\n+b\n*** Add File: ro/x.txt\n+x"));
    // The failure is injected through the PatchFs seam: a mode-000 folder would not stop root.
    const refusing: PatchFs = {
      ...defaultFs,
      writeFileAtomic: (p, data) =>
        p.startsWith(at("ro")) ? Promise.reject(Object.assign(new Error("EACCES: permission denied"), { code: "EACCES" })) : defaultFs.writeFileAtomic(p, data),
    };
    const r = await applyVerified(v, refusing);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toBe(`Failed to write file ${at("ro/x.txt")}: Permission denied (os error 13)`);
      expect(r.applied.map((c) => c.pathAsWritten)).toEqual(["a.txt"]);
    }
    expect(readF("a.txt")).toBe("b\n");
    expect(fs.existsSync(at("ro/x.txt"))).toBe(false);
  });

  it("can run on an injected file system", async () => {
    const files = new Map([["/v/a.txt", "x\n"]]);
    const mem = {
      readFile: async (p: string) => {
        const s = files.get(p);
        if (s === undefined) throw Object.assign(new Error("nope"), { code: "ENOENT" });
        return s;
      },
      canonicalize: (p: string) => p,
      writeFileAtomic: async (p: string, s: string) => void files.set(p, s),
      unlink: async (p: string) => void files.delete(p),
    };
    const r = await verifyPatch(P("*** Update File: a.txt\n@@\n-x\n+y\n*** Add File: b.txt\n+b"), "/v", mem);
    if (!r.ok) throw new Error(r.error);
    expect(await applyVerified(r.patch, mem)).toMatchObject({ ok: true });
    expect([...files]).toEqual([
      ["/v/a.txt", "y\n"],
      ["/v/b.txt", "b\n"],
    ]);
  });
});
