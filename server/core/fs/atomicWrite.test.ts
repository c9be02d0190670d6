// The one atomic replace, through each of its three writers: config-style files (writeFileAtomic:
// config.toml, auth.json, rules), fs/writeFile and fs/copy (replaceFile), and a patch's confined
// write (createConfinedFs). Each keeps its own rules for mode, sync and symlinks; what they share
// (a reader sees old or new, never a mix; nothing left behind on failure) is checked on all three.
import * as fs from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createConfinedFs } from "../patch/confinedFs.js";
import { createWith, replaceAtomically, writeFileAtomic } from "./atomicWrite.js";
import { FsError } from "./errors.js";
import { replaceFile } from "./files.js";

let dir: string;
const at = (p: string) => path.join(dir, p);
const read = (p: string) => fs.readFileSync(p, "utf8");
const modeOf = (p: string) => fs.statSync(p).mode & 0o7777;

beforeEach(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "gh-atomic-")));
});
afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A patch write confined below `dir`, as a sandboxed patch's is (the /proc walk on Linux). */
const patchWrite = (target: string, data: string) => createConfinedFs({ rootFor: () => dir }).writeFileAtomic(target, data);

type Writer = (target: string, data: string) => Promise<void>;
const WRITERS: ReadonlyArray<[string, Writer]> = [
  ["config (writeFileAtomic)", (t, d) => writeFileAtomic(t, d)],
  ["fs/writeFile (replaceFile)", (t, d) => replaceFile(t, { data: Buffer.from(d) })],
  ["patch (confined)", patchWrite],
];

/**
 * Runs `write` while reading `target` on every turn of the event loop; returns what was read. A big
 * content makes the write take several turns (Node writes it in chunks).
 */
async function readWhileWriting(target: string, write: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  let done = false;
  const poll = (): void => {
    seen.push(fs.readFileSync(target, "latin1"));
    if (!done) setImmediate(poll);
  };
  setImmediate(poll);
  await write();
  done = true;
  await new Promise((resolve) => setImmediate(resolve));
  return seen;
}

const BIG = 8 * 1024 * 1024;

describe("a reader sees the old content or the new, never a mix", () => {
  it("the harness sees a torn file when a file is written in place", async () => {
    const target = at("f.txt");
    fs.writeFileSync(target, "a".repeat(BIG));
    const seen = await readWhileWriting(target, () => fs.promises.writeFile(target, "b".repeat(BIG)));
    expect(seen.some((s) => s !== "a".repeat(BIG) && s !== "b".repeat(BIG))).toBe(true);
  });

  it.each(WRITERS)("%s", async (_name, write) => {
    const target = at("f.txt");
    const [before, after] = ["a".repeat(BIG), "b".repeat(BIG)];
    fs.writeFileSync(target, before);
    const seen = await readWhileWriting(target, () => write(target, after));
    expect(seen.length).toBeGreaterThan(3);
    expect(seen.filter((s) => s !== before && s !== after).map((s) => s.length)).toEqual([]);
    expect(seen.at(-1)).toBe(after);
    expect(fs.readdirSync(dir)).toEqual(["f.txt"]);
  });

  it("the temporary file is a hidden sibling, complete before the rename, while the target is still the old file", async () => {
    const target = at("config.toml");
    fs.writeFileSync(target, "old = 1\n");
    const seen: Array<[string, string, string]> = [];
    await writeFileAtomic(target, "new = 2\n", { beforeRename: (temp) => void seen.push([path.dirname(temp), path.basename(temp), read(temp)]) });
    await replaceFile(
      target,
      { data: Buffer.from("new = 3\n") },
      { beforeRename: (temp) => void seen.push([path.dirname(temp), path.basename(temp), read(temp)]) },
    );
    expect(seen).toEqual([
      [dir, expect.stringMatching(/^\.config\.toml\.gatehouse-write-/), "new = 2\n"],
      [dir, expect.stringMatching(/^\.config\.toml\.gatehouse-write-/), "new = 3\n"],
    ]);
    expect(seen[0]?.[1]).not.toBe(seen[1]?.[1]);
    expect(read(target)).toBe("new = 3\n");
  });
});

describe("long names", () => {
  it.each(WRITERS)("%s: a target whose name has the longest length a file name may have can be written", async (_name, write) => {
    for (const name of ["n".repeat(255), "é".repeat(127)]) {
      await write(at(name), "x");
      expect(read(at(name))).toBe("x");
    }
    expect(fs.readdirSync(dir).sort()).toEqual(["n".repeat(255), "é".repeat(127)].sort());
  });
});

describe("mode: set or kept as each writer needs", () => {
  it("config: 0600 whatever the old file had, or the mode asked for, whatever the umask", async () => {
    const target = at("config.toml");
    await writeFileAtomic(target, "a = 1\n");
    expect(modeOf(target)).toBe(0o600);
    fs.chmodSync(target, 0o644);
    await writeFileAtomic(target, "a = 2\n");
    expect(modeOf(target)).toBe(0o600);
    const old = process.umask(0o077);
    try {
      await writeFileAtomic(target, "a = 3\n", { mode: 0o640 });
    } finally {
      process.umask(old);
    }
    expect(modeOf(target)).toBe(0o640);
    expect(read(target)).toBe("a = 3\n");
  });

  it("fs/writeFile and fs/copy: an existing file keeps its mode; a new file gets 0666 less the umask, or the copy's source mode", async () => {
    const old = process.umask(0o022);
    try {
      fs.writeFileSync(at("kept"), "x");
      fs.chmodSync(at("kept"), 0o604);
      await replaceFile(at("kept"), { data: Buffer.from("y") });
      expect([read(at("kept")), modeOf(at("kept"))]).toEqual(["y", 0o604]);

      await replaceFile(at("new"), { data: Buffer.from("n") });
      expect(modeOf(at("new"))).toBe(0o644);

      fs.writeFileSync(at("src"), "s");
      fs.chmodSync(at("src"), 0o751);
      await replaceFile(at("copied"), { copyOf: at("src") }, { mode: 0o751 });
      expect([read(at("copied")), modeOf(at("copied"))]).toEqual(["s", 0o751]);
      await replaceFile(at("kept"), { copyOf: at("src") }, { mode: 0o751 });
      expect([read(at("kept")), modeOf(at("kept"))]).toEqual(["s", 0o604]);
    } finally {
      process.umask(old);
    }
  });

  it("patch: an existing file keeps its mode (a script stays executable) even under a narrow umask; a new file gets 0666 less the umask", async () => {
    fs.writeFileSync(at("run.sh"), "echo a\n", { mode: 0o755 });
    fs.chmodSync(at("run.sh"), 0o755);
    const old = process.umask(0o077);
    try {
      await patchWrite(at("run.sh"), "echo b\n");
      await patchWrite(at("new.txt"), "n\n");
    } finally {
      process.umask(old);
    }
    expect([read(at("run.sh")), modeOf(at("run.sh"))]).toEqual(["echo b\n", 0o755]);
    expect(modeOf(at("new.txt"))).toBe(0o600);
  });
});

describe("a failed write leaves the target as it was and no temporary file", () => {
  it("config: a failure before the rename (the new content was complete)", async () => {
    const target = at("config.toml");
    fs.writeFileSync(target, "old = 1\n");
    let seen = "";
    const write = writeFileAtomic(target, "new = 2\n", {
      beforeRename: (temp) => {
        seen = read(temp);
        throw Object.assign(new Error("disk full"), { code: "ENOSPC" });
      },
    });
    await expect(write).rejects.toMatchObject({ code: "ENOSPC", message: "disk full" });
    expect(seen).toBe("new = 2\n");
    expect(read(target)).toBe("old = 1\n");
    expect(fs.readdirSync(dir)).toEqual(["config.toml"]);
  });

  it("config: a missing folder fails with node's ENOENT and creates nothing", async () => {
    await expect(writeFileAtomic(at("missing/config.toml"), "x = 1\n")).rejects.toMatchObject({ code: "ENOENT" });
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it("fs/writeFile: the failure is an FsError naming the path, and the old mode stays for the next write", async () => {
    const target = at("f.txt");
    fs.writeFileSync(target, "old");
    fs.chmodSync(target, 0o604);
    const err = await replaceFile(
      target,
      { data: Buffer.from("new") },
      {
        beforeRename: () => {
          throw Object.assign(new Error("disk gone"), { code: "EIO" });
        },
      },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FsError);
    expect(err).toMatchObject({ kind: "failed", message: `Input/output error (os error 5): ${target}`, data: { path: target, errno: "EIO" } });
    expect([read(target), modeOf(target)]).toEqual(["old", 0o604]);
    expect(fs.readdirSync(dir)).toEqual(["f.txt"]);
  });

  it.each(WRITERS)("%s: a rename that fails (a folder holds the name) removes the temporary file", async (_name, write) => {
    fs.mkdirSync(at("d/inner"), { recursive: true });
    const err = (await write(at("d"), "x").catch((e: unknown) => e)) as { code?: string; data?: { errno?: string } };
    expect(err.code ?? err.data?.errno).toBe("EISDIR");
    expect(fs.readdirSync(dir)).toEqual(["d"]);
    expect(fs.readdirSync(at("d"))).toEqual(["inner"]);
  });

  it("a create step that fails after creating the file (a partial write) leaves nothing behind", async () => {
    fs.writeFileSync(at("f"), "old");
    const failing = async (temp: string): Promise<FileHandle> => {
      const handle = await createWith("part", 0o600)(temp);
      await handle.close();
      throw Object.assign(new Error("no space"), { code: "ENOSPC" });
    };
    await expect(replaceAtomically({ dir, name: "f", create: failing, sync: "file" })).rejects.toMatchObject({ code: "ENOSPC" });
    expect(fs.readdirSync(dir)).toEqual(["f"]);
    expect(read(at("f"))).toBe("old");
  });
});

describe("fsync, as each writer did", () => {
  /** What each FileHandle.sync call synced, in order, with the rename seam marked. */
  async function syncs(write: (mark: () => void) => Promise<void>): Promise<string[]> {
    const probe = await open(dir, "r");
    const proto = Object.getPrototypeOf(probe) as FileHandle;
    await probe.close();
    const events: string[] = [];
    const original = proto.sync;
    vi.spyOn(proto, "sync").mockImplementation(async function (this: FileHandle) {
      events.push((await this.stat()).isDirectory() ? "folder" : "file");
      return original.call(this);
    });
    await write(() => void events.push("rename"));
    return events;
  }

  it("config: the file before the rename, then its folder", async () => {
    expect(await syncs((mark) => writeFileAtomic(at("config.toml"), "a = 1\n", { beforeRename: mark }))).toEqual(["file", "rename", "folder"]);
  });

  it("fs/writeFile: the file before the rename", async () => {
    expect(await syncs((mark) => replaceFile(at("f"), { data: Buffer.from("x") }, { beforeRename: mark }))).toEqual(["file", "rename"]);
  });

  it("patch: none (0.169 does not sync a patch)", async () => {
    expect(await syncs(() => patchWrite(at("f"), "x"))).toEqual([]);
    expect(read(at("f"))).toBe("x");
  });
});

describe("symlinks, as each writer treats them", () => {
  beforeEach(() => {
    fs.mkdirSync(at("elsewhere"));
    fs.writeFileSync(at("elsewhere/real"), "real\n");
    fs.chmodSync(at("elsewhere/real"), 0o640);
  });

  it("config: a symlinked config.toml is replaced by the written file; the link's destination is untouched", async () => {
    fs.symlinkSync(at("elsewhere/real"), at("config.toml"));
    await writeFileAtomic(at("config.toml"), "a = 1\n");
    expect(fs.lstatSync(at("config.toml")).isFile()).toBe(true);
    expect([read(at("config.toml")), modeOf(at("config.toml"))]).toEqual(["a = 1\n", 0o600]);
    expect([read(at("elsewhere/real")), modeOf(at("elsewhere/real"))]).toEqual(["real\n", 0o640]);
  });

  it("fs/writeFile: writes through a chain of links to its end, keeping the links and the destination's mode; a dangling link creates its target", async () => {
    fs.symlinkSync("elsewhere/real", at("link1"));
    fs.symlinkSync("link1", at("link2"));
    await replaceFile(at("link2"), { data: Buffer.from("new\n") });
    expect([fs.lstatSync(at("link2")).isSymbolicLink(), fs.lstatSync(at("link1")).isSymbolicLink()]).toEqual([true, true]);
    expect([read(at("elsewhere/real")), modeOf(at("elsewhere/real"))]).toEqual(["new\n", 0o640]);
    expect(fs.readdirSync(at("elsewhere"))).toEqual(["real"]);

    fs.symlinkSync("elsewhere/made", at("dangling"));
    await replaceFile(at("dangling"), { data: Buffer.from("made\n") });
    expect(read(at("elsewhere/made"))).toBe("made\n");
    expect(fs.readlinkSync(at("dangling"))).toBe("elsewhere/made");
  });

  it("patch: a link at the (canonical) target's name is replaced, never written through", async () => {
    fs.symlinkSync(at("elsewhere/real"), at("target.txt"));
    await patchWrite(at("target.txt"), "patched\n");
    expect(fs.lstatSync(at("target.txt")).isFile()).toBe(true);
    expect(read(at("target.txt"))).toBe("patched\n");
    expect([read(at("elsewhere/real")), modeOf(at("elsewhere/real"))]).toEqual(["real\n", 0o640]);
  });

  it("patch: a folder on the way that became a link fails the write (the no-follow walk stays in front)", async () => {
    fs.symlinkSync(at("elsewhere"), at("sub"));
    await expect(patchWrite(at("sub/real"), "pwned\n")).rejects.toThrow(`refusing to follow a symbolic link at ${at("sub")}`);
    expect(read(at("elsewhere/real"))).toBe("real\n");
    expect(fs.readdirSync(at("elsewhere"))).toEqual(["real"]);
  });
});

it("fs/writeFile writes a target that is not a regular file in place, so the node stays what it is", async () => {
  await replaceFile("/dev/null", { data: Buffer.from("discarded") });
  expect(fs.lstatSync("/dev/null").isCharacterDevice()).toBe(true);
});
