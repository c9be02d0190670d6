import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { compileCacheDir, enableCompileCache } from "./compileCache.js";

describe("enableCompileCache", () => {
  const roots: string[] = [];
  const scratch = () => {
    const root = mkdtempSync(path.join(tmpdir(), "gh-compile-cache-"));
    roots.push(root);
    return root;
  };
  afterEach(() => {
    for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
  });

  it("asks Node for the cache under the home, creating a missing home owner-only first", () => {
    const home = path.join(scratch(), "new-home");
    const asked: string[] = [];
    expect(enableCompileCache(home, {}, (dir) => asked.push(dir))).toBe(compileCacheDir(home));
    expect(asked).toEqual([path.join(home, "cache", "compile")]);
    expect(statSync(home).mode & 0o777).toBe(0o700);
  });

  it("does nothing on a Node without the cache (Node 20)", () => {
    const home = path.join(scratch(), "home");
    expect(enableCompileCache(home, {}, undefined)).toBeNull();
    expect(() => statSync(home)).toThrow();
  });

  it("leaves the user's own choice alone", () => {
    const home = scratch();
    const asked: string[] = [];
    expect(enableCompileCache(home, { NODE_COMPILE_CACHE: "/elsewhere" }, (dir) => asked.push(dir))).toBeNull();
    expect(enableCompileCache(home, { NODE_DISABLE_COMPILE_CACHE: "1" }, (dir) => asked.push(dir))).toBeNull();
    expect(asked).toEqual([]);
  });

  it("is no error when the home cannot be created", () => {
    const file = path.join(scratch(), "a-file");
    writeFileSync(file, "");
    expect(enableCompileCache(path.join(file, "home"), {}, () => undefined)).toBeNull();
  });
});
