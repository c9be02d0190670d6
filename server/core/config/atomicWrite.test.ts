import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeFileAtomic } from "./atomicWrite.js";

describe("writeFileAtomic", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "gh-atomic-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("creates the file with mode 0600 and leaves no temporary file", async () => {
    const target = path.join(dir, "config.toml");
    await writeFileAtomic(target, 'model = "o3"\n');
    expect(await readFile(target, "utf8")).toBe('model = "o3"\n');
    expect((await stat(target)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(["config.toml"]);
  });

  it("replaces an existing 0644 file and makes it 0600", async () => {
    const target = path.join(dir, "config.toml");
    await writeFile(target, "old = 1\n");
    await chmod(target, 0o644);
    await writeFileAtomic(target, "new = 2\n");
    expect(await readFile(target, "utf8")).toBe("new = 2\n");
    expect((await stat(target)).mode & 0o777).toBe(0o600);
  });

  it("keeps the old file and removes the temporary file when the write fails before the rename", async () => {
    const target = path.join(dir, "config.toml");
    await writeFile(target, "old = 1\n");
    let seen = "";
    await expect(
      writeFileAtomic(target, "new = 2\n", {
        beforeRename: async (temp) => {
          seen = await readFile(temp, "utf8"); // the new content was fully written before the failure
          throw new Error("disk full");
        },
      }),
    ).rejects.toThrow("disk full");
    expect(seen).toBe("new = 2\n");
    expect(await readFile(target, "utf8")).toBe("old = 1\n");
    expect(await readdir(dir)).toEqual(["config.toml"]);
  });

  it("fails without touching anything when the directory does not exist", async () => {
    await expect(writeFileAtomic(path.join(dir, "missing", "config.toml"), "x = 1\n")).rejects.toMatchObject({ code: "ENOENT" });
    expect(await readdir(dir)).toEqual([]);
  });
});
