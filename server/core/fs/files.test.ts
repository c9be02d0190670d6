import { chmodSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { copyPath } from "./copy.js";
import { FsError } from "./errors.js";
import { decodeBase64, readFileCapped } from "./files.js";

let dir: string;
beforeEach(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), "gh-fs-unit-")));
});
afterEach(() => {
  chmodSync(dir, 0o700);
  rmSync(dir, { recursive: true, force: true });
});

describe("decodeBase64", () => {
  it("accepts strict padded base64 only, as 0.169 does", () => {
    expect(decodeBase64("aGk=")).toEqual(Buffer.from("hi"));
    expect(decodeBase64("")).toEqual(Buffer.alloc(0));
    expect(decodeBase64("aGk")).toBe("invalid padding");
    expect(decodeBase64("a=Gk")).toBe("invalid padding");
    expect(decodeBase64("!!!!")).toMatch(/invalid symbol "!" at offset 0/);
    expect(decodeBase64("aGk=\n")).toMatch(/invalid symbol/);
    expect(decodeBase64("aGl=")).toMatch(/trailing bits/);
  });
});

describe("readFileCapped", () => {
  it("refuses a file over the cap before reading it, naming the path and size", async () => {
    const p = join(dir, "big");
    writeFileSync(p, Buffer.alloc(101));
    const err = await readFileCapped(p, 100).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FsError);
    expect(err).toMatchObject({ kind: "invalidInput", data: { path: p, size: 101, limit: 100 } });
    expect((await readFileCapped(p, 101)).length).toBe(101);
  });

  // Needs Linux: /proc.
  it.runIf(process.platform === "linux")("reads files whose size says 0 (procfs) up to the cap", async () => {
    expect((await readFileCapped("/proc/self/status", 1 << 20)).toString()).toContain("Pid:");
    await expect(readFileCapped("/proc/self/status", 10)).rejects.toMatchObject({ data: { path: "/proc/self/status", limit: 10 } });
  });
});

describe("copyPath", () => {
  // A failure root cannot bypass (a mode-000 file would not stop root): the deepest file's path fits
  // PATH_MAX under the source but not under the longer staging folder, so its copy fails with
  // ENAMETOOLONG after the files before it were copied.
  it("a tree copy that fails halfway leaves no destination and no staging folder", async () => {
    mkdirSync(join(dir, "src/a"), { recursive: true });
    writeFileSync(join(dir, "src/a/1.txt"), "1");
    let deep = join(dir, "src");
    while (deep.length < 4000) deep = join(deep, "d".repeat(Math.min(200, 4000 - deep.length)));
    mkdirSync(deep, { recursive: true });
    const last = join(deep, "z".repeat(4090 - deep.length));
    writeFileSync(last, "deep");
    await expect(copyPath(join(dir, "src"), join(dir, "dst"), true)).rejects.toMatchObject({ data: { errno: "ENAMETOOLONG" } });
    expect(readdirSync(dir)).toEqual(["src"]);
  });

  it("a copy into a folder that is not a folder fails without leaving anything", async () => {
    mkdirSync(join(dir, "src"));
    writeFileSync(join(dir, "src/x"), "x");
    writeFileSync(join(dir, "file"), "f");
    await expect(copyPath(join(dir, "src"), join(dir, "file/dst"), true)).rejects.toBeInstanceOf(FsError);
    expect(readdirSync(dir).sort()).toEqual(["file", "src"]);
  });
});
