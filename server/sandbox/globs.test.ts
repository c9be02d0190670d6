import { describe, expect, it } from "vitest";
import { fakeFs } from "./fakeFs.testutil.js";
import { componentRegExp, expandGlob } from "./globs.js";

const fs = fakeFs({
  "/ws/.env": { file: "" },
  "/ws/a/b/c.env": { file: "" },
  "/ws/a/x.txt": { file: "" },
  "/ws/link": { link: "/elsewhere" },
  "/elsewhere/deep.env": { file: "" },
  "/ws/k1.pem": { file: "" },
  "/ws/k2.pem": { file: "" },
});

describe("expandGlob", () => {
  it("** matches zero or more directories and * matches dotfiles; symlinked dirs are not entered", () => {
    expect(expandGlob("/ws/**/*.env", fs).matches).toEqual(["/ws/.env", "/ws/a/b/c.env"]);
  });
  it("handles ?, classes, and literal paths", () => {
    expect(expandGlob("/ws/k?.pem", fs).matches).toEqual(["/ws/k1.pem", "/ws/k2.pem"]);
    expect(expandGlob("/ws/k[!1].pem", fs).matches).toEqual(["/ws/k2.pem"]);
    expect(expandGlob("/ws/a/x.txt", fs).matches).toEqual(["/ws/a/x.txt"]);
    expect(expandGlob("/ws/missing/*.txt", fs).matches).toEqual([]);
  });
  it("reports truncation by match count and by depth", () => {
    expect(expandGlob("/ws/*", fs, { maxMatches: 2 })).toMatchObject({ truncated: true });
    expect(expandGlob("/ws/**/*.env", fs, { maxDepth: 1 })).toMatchObject({ truncated: true });
  });
  it("treats an unclosed [ as a literal", () => {
    expect(componentRegExp("a[b").test("a[b")).toBe(true);
  });
});
