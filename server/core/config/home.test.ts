import { mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ensureHome, resolveHome, userConfigPath } from "./home.js";

describe("resolveHome", () => {
  it("prefers GATEHOUSE_HOME, then CODEX_HOME, then ~/.gatehouse", () => {
    expect(resolveHome({ GATEHOUSE_HOME: "/g", CODEX_HOME: "/c" }, "/home/u")).toBe("/g");
    expect(resolveHome({ CODEX_HOME: "/c" }, "/home/u")).toBe("/c");
    expect(resolveHome({}, "/home/u")).toBe("/home/u/.gatehouse");
  });

  it("ignores empty values and resolves relative ones against cwd", () => {
    expect(resolveHome({ GATEHOUSE_HOME: "  ", CODEX_HOME: "rel/home" }, "/home/u", "/work")).toBe("/work/rel/home");
    expect(resolveHome({ GATEHOUSE_HOME: "" }, "/home/u")).toBe("/home/u/.gatehouse");
  });

  it("puts config.toml directly in the home", () => {
    expect(userConfigPath("/h")).toBe("/h/config.toml");
  });
});

describe("ensureHome", () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("creates missing directories owner-only and leaves an existing one alone", async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "gh-home-"));
    const home = path.join(dir, "a", "b");
    await ensureHome(home);
    expect((await stat(home)).isDirectory()).toBe(true);
    expect((await stat(home)).mode & 0o777).toBe(0o700);
    await ensureHome(home); // idempotent
    expect((await stat(home)).mode & 0o777).toBe(0o700);
  });
});
