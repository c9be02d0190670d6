// The path half of the session cache: one canonical form shared with the sandbox, and protected
// names recognised on it, so that a link cannot hide a protected folder from the approval.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { canonicalize, nodeFsView } from "../../sandbox/fsView.js";
import { PROTECTED_NAMES } from "../../sandbox/protectedSubpaths.js";
import { isProtectedPath } from "./sessionApprovals.js";

let root: string;
beforeEach(() => {
  root = realpathSync(mkdtempSync(path.join(tmpdir(), "session-cache-")));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe("isProtectedPath", () => {
  it("exposes a protected folder reached through a link", () => {
    mkdirSync(path.join(root, ".git"));
    symlinkSync(path.join(root, ".git"), path.join(root, "innocent"));
    expect(isProtectedPath(path.join(root, "innocent", "config"))).toBe(false);
    expect(isProtectedPath(canonicalize(path.join(root, "innocent/config"), nodeFsView))).toBe(true);
  });

  it("protects every sandbox-protected name and the daemon's home folder, at any depth", () => {
    for (const name of [...PROTECTED_NAMES, ".gatehouse"]) expect(isProtectedPath(path.join(root, "a", name, "f"))).toBe(true);
    expect(isProtectedPath(path.join(root, "a", "git", "f"))).toBe(false);
  });
});
