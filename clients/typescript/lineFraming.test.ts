// Line framing on the client side: "\n" ends a message, "\r\n" is tolerated, chunks may split a line
// or a UTF-8 character anywhere, and a bad line is reported without stopping the reader.
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { readJsonLines, writeJsonLine } from "./lineFraming.js";

function collect(chunks: Array<string | Buffer>): Promise<{ values: unknown[]; invalid: string[] }> {
  const input = new PassThrough();
  const values: unknown[] = [];
  const invalid: string[] = [];
  readJsonLines(
    input,
    (v) => values.push(v),
    (raw) => invalid.push(raw),
  );
  return new Promise((resolve) => {
    input.on("end", () => resolve({ values, invalid }));
    for (const c of chunks) input.write(c);
    input.end();
  });
}

describe("readJsonLines", () => {
  it("splits on \\n, tolerates \\r\\n, skips blank lines, and keeps going after a bad line", async () => {
    const out = await collect(['{"id":1,"result":{}}\r\n\n{"method":"a"}\n', "not json\n", '{"method":"b","params":{"x":"a\\r"}}\n']);
    expect(out.values).toEqual([{ id: 1, result: {} }, { method: "a" }, { method: "b", params: { x: "a\r" } }]);
    expect(out.invalid).toEqual(["not json"]);
  });

  it("joins a message split across chunks, even inside a UTF-8 character", async () => {
    const bytes = Buffer.from('{"method":"warning","params":{"message":"€ ok"}}\n', "utf8");
    const cut = bytes.indexOf(0xe2) + 1; // the middle of "€"
    const out = await collect([bytes.subarray(0, 5), bytes.subarray(5, cut), bytes.subarray(cut)]);
    expect(out.values).toEqual([{ method: "warning", params: { message: "€ ok" } }]);
  });

  it("does not split on a bare \\r and delivers a final line without \\n", async () => {
    const out = await collect(['{"a":1}\r{"b":2}\n{"c":3}']);
    expect(out.invalid).toEqual(['{"a":1}\r{"b":2}']);
    expect(out.values).toEqual([{ c: 3 }]);
  });
});

describe("writeJsonLine", () => {
  it("writes one JSON text and one \\n per message, without a jsonrpc member", async () => {
    const output = new PassThrough();
    let text = "";
    output.on("data", (c: Buffer) => (text += c.toString("utf8")));
    await writeJsonLine(output, { id: 1, method: "initialize", params: { clientInfo: { name: "n\nx", version: "1" } } });
    await writeJsonLine(output, { method: "initialized" });
    expect(text).toBe('{"id":1,"method":"initialize","params":{"clientInfo":{"name":"n\\nx","version":"1"}}}\n{"method":"initialized"}\n');
  });

  it("rejects once the stream has ended", async () => {
    const output = new PassThrough();
    output.end();
    await expect(writeJsonLine(output, { method: "initialized" })).rejects.toThrow("closed");
  });
});
