import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { FrameParseError } from "./framing.js";
import { JsonLineMessageReader } from "./jsonLineReader.js";
import type { JsonLineReaderOptions } from "./jsonLineReader.js";

type Event = { message: unknown } | { error: string; parse: boolean } | { close: true };

/** Feeds the chunks through a real stream, ends it, and returns every reader event in order. */
async function read(chunks: (string | Buffer)[], options?: JsonLineReaderOptions): Promise<Event[]> {
  const stream = new PassThrough();
  const reader = new JsonLineMessageReader(stream, options);
  const events: Event[] = [];
  const closed = new Promise<void>((resolve) =>
    reader.onClose(() => {
      events.push({ close: true });
      resolve();
    }),
  );
  reader.onError((err) => events.push({ error: err.message, parse: err instanceof FrameParseError && err.code === -32700 }));
  reader.listen((message) => events.push({ message }));
  for (const chunk of chunks) {
    stream.write(typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk);
  }
  stream.end();
  await closed;
  return events;
}

const messages = (events: Event[]): unknown[] => events.flatMap((e) => ("message" in e ? [e.message] : []));

describe("JsonLineMessageReader", () => {
  it("delivers one message per line, in order, then closes", async () => {
    const events = await read(['{"id":1,"method":"a"}\n{"id":2,"method":"b"}\n']);
    expect(events).toEqual([{ message: { id: 1, method: "a" } }, { message: { id: 2, method: "b" } }, { close: true }]);
  });

  it("accepts CRLF line endings", async () => {
    expect(messages(await read(['{"a":1}\r\n{"b":2}\r\n']))).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it("reassembles a line fed one byte at a time", async () => {
    const bytes = Buffer.from('{"method":"x","params":{"t":"h\u00e9llo \u{1F600}"}}\r\n{"id":3}\n', "utf8");
    const chunks = [...bytes].map((b) => Buffer.from([b]));
    expect(messages(await read(chunks))).toEqual([{ method: "x", params: { t: "h\u00e9llo \u{1F600}" } }, { id: 3 }]);
  });

  it("reassembles a multi-byte character split across chunks", async () => {
    const line = Buffer.from('{"t":"\u20AC\u{1F680}"}\n', "utf8");
    const euro = line.indexOf(0xe2);
    const rocket = line.indexOf(0xf0);
    const events = await read([line.subarray(0, euro + 1), line.subarray(euro + 1, rocket + 2), line.subarray(rocket + 2)]);
    expect(events).toEqual([{ message: { t: "\u20AC\u{1F680}" } }, { close: true }]);
  });

  it("does not split on U+2028 or U+2029", async () => {
    const events = await read(['{"t":"a\u2028b\u2029c"}\n']);
    expect(events).toEqual([{ message: { t: "a\u2028b\u2029c" } }, { close: true }]);
  });

  it("skips empty and whitespace-only lines", async () => {
    const events = await read(["\n\r\n   \n\t \r\n", '{"a":1}\n', "\n\n"]);
    expect(events).toEqual([{ message: { a: 1 } }, { close: true }]);
  });

  it("reports an unparseable line as a FrameParseError and keeps reading", async () => {
    const events = await read(['{"a":1}\n', "{not json\n", '{"b":2}\n']);
    expect(events).toEqual([{ message: { a: 1 } }, { error: expect.any(String), parse: true }, { message: { b: 2 } }, { close: true }]);
  });

  it("reports invalid UTF-8 as a FrameParseError and keeps reading", async () => {
    const bad = Buffer.concat([Buffer.from('{"t":"', "utf8"), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}\n', "utf8")]);
    const events = await read([bad, '{"after":true}\n']);
    expect(events).toEqual([{ error: expect.stringContaining("invalid UTF-8"), parse: true }, { message: { after: true } }, { close: true }]);
  });

  it("refuses a line that starts with a byte order mark", async () => {
    const events = await read([Buffer.from([0xef, 0xbb, 0xbf]), '{"a":1}\n{"b":2}\n']);
    expect(events).toEqual([{ error: expect.stringContaining("byte order mark"), parse: true }, { message: { b: 2 } }, { close: true }]);
  });

  it("passes every JSON value through without shape checks", async () => {
    expect(messages(await read(["[1,2]\n", "3\n", '"x"\n', "null\n"]))).toEqual([[1, 2], 3, "x", null]);
  });

  it("delivers a final line that has no trailing newline", async () => {
    expect(messages(await read(['{"a":1}\n{"last":true}']))).toEqual([{ a: 1 }, { last: true }]);
  });

  it("reads a 16 MiB line delivered in 64 KiB chunks", async () => {
    const payload = "x".repeat(16 * 1024 * 1024);
    const line = Buffer.from(`{"id":1,"params":{"blob":"${payload}"}}\n{"id":2}\n`, "utf8");
    const chunks: Buffer[] = [];
    for (let i = 0; i < line.length; i += 65536) {
      chunks.push(line.subarray(i, i + 65536));
    }
    const got = messages(await read(chunks)) as { id: number; params?: { blob: string } }[];
    expect(got).toHaveLength(2);
    expect(got[0]?.id).toBe(1);
    expect(got[0]?.params?.blob.length).toBe(payload.length);
    expect(got[1]).toEqual({ id: 2 });
  });

  it("drops an over-limit line with one error and parses the next line", async () => {
    const long = `{"blob":"${"y".repeat(200)}"}`;
    const events = await read([long.slice(0, 50), long.slice(50, 120), long.slice(120) + '\n{"next":1}\n'], { maxLineBytes: 100 });
    expect(events).toEqual([{ error: expect.stringContaining("line too long"), parse: true }, { message: { next: 1 } }, { close: true }]);
  });

  it("drops an over-limit line that arrives in a single chunk", async () => {
    const events = await read([`{"blob":"${"z".repeat(300)}"}\n{"next":2}\n`], { maxLineBytes: 100 });
    expect(events).toEqual([{ error: expect.stringContaining("line too long"), parse: true }, { message: { next: 2 } }, { close: true }]);
  });

  it("accepts a line of exactly maxLineBytes and refuses one byte more", async () => {
    const exact = `{"s":"${"a".repeat(100 - 8)}"}`;
    expect(Buffer.byteLength(exact)).toBe(100);
    const over = `{"s":"${"a".repeat(101 - 8)}"}`;
    const events = await read([`${exact}\n${over}\n`], { maxLineBytes: 100 });
    expect(events).toEqual([{ message: { s: "a".repeat(92) } }, { error: expect.stringContaining("line too long"), parse: true }, { close: true }]);
  });

  it("does not consume the stream before listen()", async () => {
    const stream = new PassThrough();
    const reader = new JsonLineMessageReader(stream);
    stream.write('{"early":true}\n');
    await new Promise((resolve) => setImmediate(resolve));
    const got: unknown[] = [];
    const closed = new Promise<void>((resolve) => reader.onClose(() => resolve()));
    reader.listen((m) => got.push(m));
    stream.end('{"late":true}\n');
    await closed;
    expect(got).toEqual([{ early: true }, { late: true }]);
  });

  it("reports a stream error and then closes", async () => {
    const stream = new PassThrough();
    const reader = new JsonLineMessageReader(stream);
    const events: string[] = [];
    const closed = new Promise<void>((resolve) =>
      reader.onClose(() => {
        events.push("close");
        resolve();
      }),
    );
    reader.onError((err) => events.push(`error:${err.message}`));
    reader.listen(() => events.push("message"));
    stream.destroy(new Error("boom"));
    await closed;
    expect(events).toEqual(["error:boom", "close"]);
  });

  it("refuses a second listen()", () => {
    const reader = new JsonLineMessageReader(new PassThrough());
    reader.listen(() => undefined);
    expect(() => reader.listen(() => undefined)).toThrow(/only once/);
  });
});
