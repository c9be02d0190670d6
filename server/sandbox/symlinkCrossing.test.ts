import { describe, expect, it } from "vitest";
import { fakeFs } from "./fakeFs.testutil.js";
import { findWritableSymlinkCrossing } from "./symlinkCrossing.js";

const host = fakeFs({
  "/ws/src/a.txt": { file: "a" },
  "/ws/.git": "dir",
  "/extra": "dir",
  "/tmp": "dir",
  "/var/tmp": "dir",
  "/usr/bin": "dir",
  "/bin": { link: "usr/bin" },
  "/home/u/link-ws": { link: "/ws" },
});

describe("writable symlink crossing", () => {
  const fs2 = fakeFs({ "/ws/.codex": { link: "decoy" }, "/ws/decoy": "dir", "/ws/docs": { link: "/outside/docs" }, "/outside/docs/x": { file: "" } });
  it("finds links inside writable roots and follows links outside them", () => {
    expect(findWritableSymlinkCrossing("/ws/.codex", ["/ws"], fs2)).toBe("/ws/.codex");
    expect(findWritableSymlinkCrossing("/ws/docs/x", ["/ws"], fs2)).toBe("/ws/docs");
    expect(findWritableSymlinkCrossing("/ws/docs/x", ["/tmp"], fs2)).toBeNull();
    expect(findWritableSymlinkCrossing("/bin/sh", ["/ws"], host)).toBeNull();
  });
});
