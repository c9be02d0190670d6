// The test run's HOME is an empty folder of its own (test/helpers/globalSetup.ts), so daemons and the
// login shells they start never read the host's dotfiles, and REF_DIR still points at the reference.
import { existsSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REF_DIR } from "../helpers/globalSetup.js";

describe("test isolation", () => {
  it("runs with a HOME of its own and REF_DIR pinned to the reference", () => {
    expect(process.env["GATEHOUSE_TEST_HOME"]).toBeTruthy();
    expect(homedir()).toBe(process.env["GATEHOUSE_TEST_HOME"]);
    expect(readdirSync(homedir()).filter((f) => f.startsWith(".bash") || f === ".profile")).toEqual([]);
    expect(process.env["REF_DIR"]).toBe(REF_DIR);
    expect(REF_DIR.startsWith(homedir())).toBe(false);
    expect(existsSync(join(REF_DIR, "0.169.0/bin/codex")) || !existsSync(join(REF_DIR))).toBe(true);
  });
});
