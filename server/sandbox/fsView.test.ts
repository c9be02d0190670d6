import { describe, expect, it } from "vitest";
import { fakeFs } from "./fakeFs.testutil.js";
import { canonicalize } from "./fsView.js";

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

describe("canonicalize", () => {
  it("canonicalises through the longest existing ancestor and keeps the missing tail", () => {
    expect(canonicalize("/home/u/link-ws/new/file", host)).toBe("/ws/new/file");
    expect(canonicalize("/bin/sh", host)).toBe("/usr/bin/sh");
    expect(canonicalize("/nope/x", host)).toBe("/nope/x");
  });
});
