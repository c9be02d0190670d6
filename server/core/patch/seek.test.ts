import { describe, expect, it } from "vitest";
import { normalizeLine, seekSequence } from "./seek.js";

describe("seekSequence", () => {
  const lines = ["a", "b  ", "  c", "x", "b", "c"];
  it("prefers an exact match anywhere over a fuzzy one earlier", () => {
    expect(seekSequence(lines, ["b", "c"], 0, false)).toBe(4);
  });
  it("falls back to trimEnd, then trim", () => {
    expect(seekSequence(["a", "b  ", "c"], ["b"], 0, false)).toBe(1);
    expect(seekSequence(["a", "  b  "], ["b"], 0, false)).toBe(1);
  });
  it("normalises Unicode dashes, quotes and spaces", () => {
    expect(seekSequence(["it's - dash", "end"], ["it\u2019s \u2014 dash  "], 0, false)).toBe(0);
    expect(seekSequence(['say "hi"'], ["say \u201chi\u201d"], 0, false)).toBe(0);
    expect(seekSequence(["a b"], ["a\u00a0b"], 0, false)).toBe(0);
    expect(normalizeLine(" \u2010\u2011\u2212\u2018\u201b\u201c\u201f\u3000x ")).toBe("---''\"\" x");
  });
  it("starts at the cursor; an empty pattern matches there; a too-long pattern never", () => {
    expect(seekSequence(["x", "y", "x"], ["x"], 1, false)).toBe(2);
    expect(seekSequence(["x"], [], 5, false)).toBe(5);
    expect(seekSequence(["x"], ["x", "y"], 0, false)).toBeNull();
  });
  it("anchors at the end of the file with eof", () => {
    expect(seekSequence(["x", "y", "x"], ["x"], 0, true)).toBe(2);
    expect(seekSequence(["x", "y"], ["x"], 0, true)).toBeNull();
  });
});
