import { describe, expect, it } from "vitest";
import { parsePatch } from "./parser.js";
import type { ParseResult } from "./parser.js";

const P = (body: string) => `*** Begin Patch\n${body}\n*** End Patch`;
const ok = (r: ParseResult) => {
  if (!r.ok) throw new Error(r.error);
  return r.value.hunks;
};
const err = (r: ParseResult) => (r.ok ? "parsed" : r.error);

describe("parsePatch", () => {
  it("parses add, delete, update with move and chunks", () => {
    expect(
      ok(parsePatch(P("*** Add File: p/new.txt\n+one\n+two\n*** Delete File: d.txt\n*** Update File: m.txt\n*** Move to: moved/m2.txt\n@@\n m0\n-m1\n+m1x"))),
    ).toEqual([
      { type: "add", path: "p/new.txt", contents: "one\ntwo\n" },
      { type: "delete", path: "d.txt" },
      {
        type: "update",
        path: "m.txt",
        movePath: "moved/m2.txt",
        chunks: [{ changeContext: null, oldLines: ["m0", "m1"], newLines: ["m0", "m1x"], isEndOfFile: false }],
      },
    ]);
  });

  it("reads @@ ctx, a first chunk without @@, blank lines between chunks, empty lines as context, End of File", () => {
    const hunks = ok(parsePatch(P("*** Update File: a\n-x\n+y\n\n@@ def f():\n a\n\n-b\n+c\n*** End of File")));
    expect(hunks[0]).toEqual({
      type: "update",
      path: "a",
      movePath: null,
      chunks: [
        // The blank line belongs to the first chunk as an empty context line (the reference does the same).
        { changeContext: null, oldLines: ["x", ""], newLines: ["y", ""], isEndOfFile: false },
        { changeContext: "def f():", oldLines: ["a", "", "b"], newLines: ["a", "", "c"], isEndOfFile: true },
      ],
    });
  });

  it("is lenient about whitespace around the markers and the text", () => {
    expect(ok(parsePatch("\n  *** Begin Patch  \n  *** Add File: w.txt  \n+w\n  *** End Patch  \n\n"))).toEqual([
      { type: "add", path: "w.txt", contents: "w\n" },
    ]);
    expect(ok(parsePatch("*** Begin Patch\r\n*** Add File: w\r\n+w\r\n*** End Patch\r\n"))).toEqual([{ type: "add", path: "w", contents: "w\n" }]);
  });

  it("accepts a heredoc wrapper", () => {
    for (const open of ["<<EOF", "<<'EOF'", '<<"EOF"']) {
      expect(ok(parsePatch(`${open}\n${P("*** Add File: h.txt\n+h")}\nEOF\n`))).toEqual([{ type: "add", path: "h.txt", contents: "h\n" }]);
    }
    expect(err(parsePatch(`<<EOF\n${P("x")}\nEOF`))).toMatch(/^invalid hunk at line 2/);
  });

  it("an empty patch parses to no hunks", () => {
    expect(ok(parsePatch("*** Begin Patch\n*** End Patch"))).toEqual([]);
  });

  it("reports errors with the reference's texts (observed on 0.169)", () => {
    expect(err(parsePatch("hello\n*** End Patch"))).toBe("invalid patch: The first line of the patch must be '*** Begin Patch'");
    expect(err(parsePatch("*** Begin Patch\n*** Add File: x\n+1"))).toBe("invalid patch: The last line of the patch must be '*** End Patch'");
    expect(err(parsePatch(P("*** Frob File: x")))).toBe(
      "invalid hunk at line 2, '*** Frob File: x' is not a valid hunk header. Valid hunk headers: '*** Add File: {path}', '*** Delete File: {path}', '*** Update File: {path}'",
    );
    expect(err(parsePatch(P("*** Update File: a.txt")))).toBe("invalid hunk at line 2, Update file hunk for path 'a.txt' is empty");
    expect(err(parsePatch(P("*** Update File: a.txt\n@@\nfoo")))).toBe(
      "invalid hunk at line 4, Unexpected line found in update hunk: 'foo'. Every line should start with ' ' (context line), '+' (added line), or '-' (removed line)",
    );
    expect(err(parsePatch(P("*** Add File: a\n+a\n*** Delete File: b\nbogus")))).toMatch(/^invalid hunk at line 5, 'bogus' is not a valid hunk header/);
  });

  it("a non-diff line later in a chunk ends it, and must then open a new chunk with @@", () => {
    expect(err(parsePatch(P("*** Update File: a\n@@\n-a\n+b\ntrailing")))).toBe(
      "invalid hunk at line 6, Expected update hunk to start with a @@ context marker, got: 'trailing'",
    );
  });
});
