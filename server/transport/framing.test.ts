import { describe, expect, it } from "vitest";
import { FrameParseError, PARSE_ERROR_CODE, decodeFrame, decodeUtf8, encodeMessage } from "./framing.js";

describe("decodeFrame", () => {
  it("accepts a JSON value of any type without checking its shape", () => {
    for (const [text, value] of [
      ['{"id":1,"method":"initialize"}', { id: 1, method: "initialize" }],
      ["[1,2]", [1, 2]],
      ['"s"', "s"],
      ["42", 42],
      ["true", true],
      ["null", null],
      ['  {"a":1}\t', { a: 1 }],
    ] as const) {
      expect(decodeFrame(text)).toEqual({ ok: true, value });
    }
  });

  it("reports unparseable text instead of throwing", () => {
    for (const text of ["", "{", "{'a':1}", '{"a":1}{"b":2}', "undefined", "\u0000"]) {
      const result = decodeFrame(text);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.length).toBeGreaterThan(0);
      }
    }
  });

  it("refuses a leading byte order mark", () => {
    const result = decodeFrame('\uFEFF{"a":1}');
    expect(result).toEqual({ ok: false, error: expect.stringContaining("byte order mark") });
  });

  it("keeps U+2028 and U+2029 inside strings", () => {
    expect(decodeFrame('{"t":"a\u2028b\u2029c"}')).toEqual({ ok: true, value: { t: "a\u2028b\u2029c" } });
  });
});

describe("decodeUtf8", () => {
  it("decodes valid UTF-8 including a leading BOM kept as text", () => {
    expect(decodeUtf8(Buffer.from("h\u00e9\u{1F600}", "utf8"))).toEqual({ ok: true, text: "h\u00e9\u{1F600}" });
    expect(decodeUtf8(Buffer.from([0xef, 0xbb, 0xbf, 0x31]))).toEqual({ ok: true, text: "\uFEFF1" });
  });

  it("fails on invalid UTF-8 instead of substituting U+FFFD", () => {
    for (const bytes of [[0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xc0, 0xaf]]) {
      expect(decodeUtf8(Uint8Array.from(bytes)).ok).toBe(false);
    }
  });
});

describe("encodeMessage", () => {
  it("omits the top-level jsonrpc member and keeps nested ones", () => {
    const text = encodeMessage({ jsonrpc: "2.0", id: 7, result: { jsonrpc: "kept", items: [1] } });
    expect(JSON.parse(text)).toEqual({ id: 7, result: { jsonrpc: "kept", items: [1] } });
    expect(text.startsWith('{"id":7')).toBe(true);
  });

  it("leaves messages without jsonrpc untouched and never emits a raw newline", () => {
    const msg = { method: "item/delta", params: { text: "line1\nline2\r\n\u2028" } };
    const text = encodeMessage(msg);
    expect(text).not.toContain("\n");
    expect(JSON.parse(text)).toEqual(msg);
  });

  it("throws on values JSON cannot represent", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic["self"] = cyclic;
    expect(() => encodeMessage(cyclic)).toThrow();
    expect(() => encodeMessage({ n: 1n })).toThrow();
  });
});

describe("FrameParseError", () => {
  it("carries -32700 and the reason", () => {
    const err = new FrameParseError("bad");
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe(PARSE_ERROR_CODE);
    expect(err.code).toBe(-32700);
    expect(err.message).toBe("bad");
    expect(err.name).toBe("FrameParseError");
  });
});
