// Where a patch lands when symlinks are involved, on real files: verification fixes the canonical
// targets (what the approval decides on), and the confined write touches those and nothing else,
// even when a directory is swapped for a link after the decision or after it was opened.
import * as fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isUnderOrEqual } from "../../sandbox/paths.js";
import { applyVerified, defaultFs, patchTargets, verifyPatch, type VerifiedPatch } from "./apply.js";
import { createConfinedFs, type ConfinedFsOptions } from "./confinedFs.js";

const P = (body: string) => `*** Begin Patch\n${body}\n*** End Patch`;
let base: string;
let ws: string;
let outside: string;
const W = (p: string) => path.join(ws, p);
const O = (p: string) => path.join(outside, p);
const read = (p: string) => fs.readFileSync(p, "utf8");

beforeEach(() => {
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "confined-")));
  ws = path.join(base, "ws");
  outside = path.join(base, "outside", "dir");
  fs.mkdirSync(ws);
  fs.mkdirSync(outside, { recursive: true });
  fs.writeFileSync(O("victim.txt"), "secret\n");
});
afterEach(() => {
  fs.rmSync(base, { recursive: true, force: true });
});

async function verified(patch: string): Promise<VerifiedPatch> {
  const r = await verifyPatch(patch, ws);
  if (!r.ok) throw new Error(r.error);
  return r.patch;
}

/** Confined to the workspace, as a sandboxed patch is. */
const inWorkspace = (extra: Partial<ConfinedFsOptions> = {}) => createConfinedFs({ rootFor: (p) => (isUnderOrEqual(p, ws) ? ws : null), ...extra });

/** Every file under `outside`'s parent, with content: what must not change. */
function outsideState(): Record<string, string> {
  const out: Record<string, string> = {};
  const top = path.dirname(outside);
  for (const e of fs.readdirSync(top, { recursive: true, withFileTypes: true })) {
    const p = path.join(e.parentPath, e.name);
    out[path.relative(top, p)] = e.isFile() ? read(p) : "<dir>";
  }
  return out;
}

describe("canonical targets (what the approval decides on)", () => {
  it("a symlinked folder: update and add target the link's destination", async () => {
    fs.symlinkSync(outside, W("lnk"));
    const v = await verified(P("*** Update File: lnk/victim.txt\n@@\n-secret\n+pwned\n*** Add File: lnk/new.txt\n+x"));
    expect(v.changes.map((c) => c.path)).toEqual([W("lnk/victim.txt"), W("lnk/new.txt")]);
    expect(patchTargets(v)).toEqual([O("victim.txt"), O("new.txt")]);
  });

  it("a symlinked file targets its destination; deleting it targets the link itself", async () => {
    fs.symlinkSync(O("victim.txt"), W("lnk.txt"));
    expect(patchTargets(await verified(P("*** Update File: lnk.txt\n@@\n-secret\n+pwned")))).toEqual([O("victim.txt")]);
    expect(patchTargets(await verified(P("*** Delete File: lnk.txt")))).toEqual([W("lnk.txt")]);
  });

  it("`..` after a symlinked folder collapses as the item shows it: the target stays in the workspace", async () => {
    fs.symlinkSync(outside, W("lnk"));
    const v = await verified(P("*** Add File: lnk/../escape.txt\n+x"));
    expect(patchTargets(v)).toEqual([W("escape.txt")]);
    expect(await applyVerified(v, inWorkspace())).toMatchObject({ ok: true });
    expect(read(W("escape.txt"))).toBe("x\n");
    expect(fs.existsSync(path.join(path.dirname(outside), "escape.txt"))).toBe(false);
  });

  it("a Move to through a symlinked folder targets the link's destination; the source is the entry", async () => {
    fs.symlinkSync(outside, W("lnk"));
    fs.writeFileSync(W("a.txt"), "a\n");
    const v = await verified(P("*** Update File: a.txt\n*** Move to: lnk/moved.txt\n@@\n-a\n+b"));
    expect(v.changes[0]).toMatchObject({ target: W("a.txt"), moveTarget: O("moved.txt") });
  });

  it("a new file under missing folders resolves through the nearest existing ancestor", async () => {
    fs.symlinkSync(outside, W("lnk"));
    expect(patchTargets(await verified(P("*** Add File: lnk/x/y/new.txt\n+x")))).toEqual([O("x/y/new.txt")]);
  });
});

describe("confined writes", () => {
  it("cannot leave the root: a target outside it is refused and nothing outside changes", async () => {
    fs.symlinkSync(outside, W("lnk"));
    fs.writeFileSync(W("a.txt"), "a\n");
    const before = outsideState();
    for (const patch of [
      "*** Update File: lnk/victim.txt\n@@\n-secret\n+pwned",
      "*** Add File: lnk/new.txt\n+x",
      "*** Update File: a.txt\n*** Move to: lnk/moved.txt\n@@\n-a\n+b",
    ]) {
      const r = await applyVerified(await verified(P(patch)), inWorkspace());
      expect(r).toMatchObject({ ok: false, error: expect.stringContaining("refusing to write outside the approved location") });
    }
    expect(outsideState()).toEqual(before);
    expect(read(W("a.txt"))).toBe("a\n");
  });

  it("the swap race, after the decision: a folder replaced by a link fails the write instead of following it", async () => {
    fs.mkdirSync(W("sub"));
    fs.writeFileSync(W("sub/victim.txt"), "secret\n");
    const v = await verified(P("*** Update File: sub/victim.txt\n@@\n-secret\n+pwned\n*** Add File: sub/new.txt\n+x"));
    expect(patchTargets(v)).toEqual([W("sub/victim.txt"), W("sub/new.txt")]);
    fs.renameSync(W("sub"), W("sub.old"));
    fs.symlinkSync(outside, W("sub"));
    const before = outsideState();
    // Unconfined by a root (as a patch approved outside the sandbox), still not redirected.
    const r = await applyVerified(v, defaultFs);
    expect(r).toEqual({
      ok: false,
      error: `Failed to write file ${W("sub/victim.txt")}: refusing to follow a symbolic link at ${W("sub")} (it changed after the patch was checked)`,
      applied: [],
      cause: expect.any(Error),
    });
    expect(outsideState()).toEqual(before);
  });

  it("the swap race, after the folder was opened: the write lands in the opened folder, never the link's target", async () => {
    fs.mkdirSync(W("sub"));
    const v = await verified(P("*** Add File: sub/new.txt\n+x"));
    const before = outsideState();
    const swap = () => {
      fs.renameSync(W("sub"), W("sub.old"));
      fs.symlinkSync(outside, W("sub"));
    };
    expect(await applyVerified(v, inWorkspace({ afterParentOpened: swap }))).toMatchObject({ ok: true });
    expect(read(W("sub.old/new.txt"))).toBe("x\n");
    expect(outsideState()).toEqual(before);
  });

  it("a link planted at the file's own name is replaced, not written through", async () => {
    fs.mkdirSync(W("sub"));
    const v = await verified(P("*** Add File: sub/new.txt\n+x"));
    const plant = () => fs.symlinkSync(O("victim.txt"), W("sub/new.txt"));
    expect(await applyVerified(v, inWorkspace({ afterParentOpened: plant }))).toMatchObject({ ok: true });
    expect(fs.lstatSync(W("sub/new.txt")).isFile()).toBe(true);
    expect(read(O("victim.txt"))).toBe("secret\n");
  });

  it("deletes: a link is removed, not its target; a folder swapped for a link fails the delete", async () => {
    fs.symlinkSync(O("victim.txt"), W("lnk.txt"));
    expect(await applyVerified(await verified(P("*** Delete File: lnk.txt")), inWorkspace())).toMatchObject({ ok: true });
    expect(fs.existsSync(W("lnk.txt"))).toBe(false);
    expect(read(O("victim.txt"))).toBe("secret\n");

    fs.mkdirSync(W("sub"));
    fs.writeFileSync(W("sub/victim.txt"), "mine\n");
    const v = await verified(P("*** Delete File: sub/victim.txt"));
    fs.renameSync(W("sub"), W("sub.old"));
    fs.symlinkSync(outside, W("sub"));
    expect(await applyVerified(v, inWorkspace())).toMatchObject({ ok: false, error: expect.stringContaining("refusing to follow a symbolic link") });
    expect(read(O("victim.txt"))).toBe("secret\n");
  });

  it("creates missing folders below the root only, and keeps a file's mode", async () => {
    fs.writeFileSync(W("run.sh"), "echo a\n", { mode: 0o755 });
    expect(await applyVerified(await verified(P("*** Add File: x/y/new.txt\n+x\n*** Update File: run.sh\n@@\n-echo a\n+echo b")), inWorkspace())).toMatchObject(
      { ok: true },
    );
    expect(read(W("x/y/new.txt"))).toBe("x\n");
    expect(fs.statSync(W("run.sh")).mode & 0o777).toBe(0o755);
    expect((fs.readdirSync(ws, { recursive: true }) as string[]).sort()).toEqual(["run.sh", "x", "x/y", "x/y/new.txt"]);

    const root = W("gone");
    const confined = createConfinedFs({ rootFor: () => root });
    await expect(confined.writeFileAtomic(path.join(root, "a.txt"), "x")).rejects.toMatchObject({ code: "ENOENT" });
    expect(fs.existsSync(root)).toBe(false);
  });

  it("off Linux (the lstat walk): a link in place when the write starts is refused", async () => {
    fs.mkdirSync(W("sub"));
    const v = await verified(P("*** Add File: sub/new.txt\n+x\n*** Add File: x/y/z.txt\n+z"));
    fs.renameSync(W("sub"), W("sub.old"));
    fs.symlinkSync(outside, W("sub"));
    const before = outsideState();
    const r = await applyVerified(v, inWorkspace({ walk: "lstat" }));
    expect(r).toMatchObject({ ok: false, error: expect.stringContaining(`refusing to follow a symbolic link at ${W("sub")}`) });
    expect(outsideState()).toEqual(before);
    fs.rmSync(W("sub"));
    fs.renameSync(W("sub.old"), W("sub"));
    expect(await applyVerified(v, inWorkspace({ walk: "lstat" }))).toMatchObject({ ok: true });
    expect(read(W("x/y/z.txt"))).toBe("z\n");
  });
});
