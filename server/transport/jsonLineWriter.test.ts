import { PassThrough, Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { Message } from "vscode-jsonrpc";
import { JsonLineMessageWriter } from "./jsonLineWriter.js";

const msg = (value: object): Message => value as Message;

/** A Writable that holds each chunk until the test releases it, so backpressure is under test control. */
class GatedWritable extends Writable {
  readonly received: string[] = [];
  private pending: (() => void)[] = [];

  constructor(highWaterMark: number) {
    super({ highWaterMark, decodeStrings: false });
  }

  override _write(chunk: string | Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.received.push(chunk.toString());
    this.pending.push(() => callback());
  }

  get waiting(): number {
    return this.pending.length;
  }

  release(): void {
    const next = this.pending.shift();
    next?.();
  }
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe("JsonLineMessageWriter", () => {
  it("writes one JSON line per message without the jsonrpc member", async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on("data", (c: Buffer) => chunks.push(c));
    const writer = new JsonLineMessageWriter(out);
    await writer.write(msg({ jsonrpc: "2.0", id: 1, result: { text: "a\nb" } }));
    await writer.write(msg({ jsonrpc: "2.0", method: "n", params: { jsonrpc: "nested" } }));
    expect(Buffer.concat(chunks).toString("utf8")).toBe('{"id":1,"result":{"text":"a\\nb"}}\n{"method":"n","params":{"jsonrpc":"nested"}}\n');
  });

  it("waits for drain before resolving and before handing over the next line", async () => {
    const sink = new GatedWritable(1);
    const writer = new JsonLineMessageWriter(sink);
    const settled: number[] = [];
    const first = writer.write(msg({ id: 1 })).then(() => settled.push(1));
    const second = writer.write(msg({ id: 2 })).then(() => settled.push(2));
    await turn();
    await turn();
    expect(sink.received).toEqual(['{"id":1}\n']);
    expect(settled).toEqual([]);

    sink.release();
    await first;
    expect(settled).toEqual([1]);
    await turn();
    expect(sink.received).toEqual(['{"id":1}\n', '{"id":2}\n']);
    expect(settled).toEqual([1]);

    sink.release();
    await second;
    expect(settled).toEqual([1, 2]);
  });

  it("keeps order for many concurrent writes under backpressure", async () => {
    const sink = new GatedWritable(8);
    const writer = new JsonLineMessageWriter(sink);
    const writes = Array.from({ length: 50 }, (_, i) => writer.write(msg({ id: i, pad: "p".repeat(i % 7) })));
    let done = false;
    const all = Promise.all(writes).then(() => {
      done = true;
    });
    for (let guard = 0; !done && guard < 1000; guard++) {
      await turn();
      while (sink.waiting > 0) {
        sink.release();
      }
    }
    await all;
    expect(sink.received.map((line) => (JSON.parse(line) as { id: number }).id)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(sink.received.every((line) => line.endsWith("\n") && !line.includes("jsonrpc"))).toBe(true);
  });

  it("rejects and reports a message that cannot be serialized, then keeps writing", async () => {
    const out = new PassThrough();
    const writer = new JsonLineMessageWriter(out);
    const errors: string[] = [];
    writer.onError(([err]) => errors.push(err.message));
    await expect(writer.write(msg({ id: 1n }))).rejects.toThrow();
    await writer.write(msg({ id: 2 }));
    expect(errors).toHaveLength(1);
    expect((out.read() as Buffer).toString()).toBe('{"id":2}\n');
  });

  it("rejects writes after the stream is destroyed and reports the error", async () => {
    const out = new PassThrough();
    const writer = new JsonLineMessageWriter(out);
    const errors: Error[] = [];
    writer.onError(([err]) => errors.push(err));
    let closed = false;
    writer.onClose(() => {
      closed = true;
    });
    out.destroy();
    await new Promise((resolve) => out.once("close", resolve));
    await expect(writer.write(msg({ id: 1 }))).rejects.toThrow(/destroyed/);
    expect(errors.length).toBeGreaterThan(0);
    expect(closed).toBe(true);
  });

  it("rejects a write waiting for drain when the stream fails", async () => {
    const sink = new GatedWritable(1);
    const writer = new JsonLineMessageWriter(sink);
    const reported: string[] = [];
    writer.onError(([err]) => reported.push(err.message));
    const pending = writer.write(msg({ id: 1 }));
    await turn();
    sink.destroy(new Error("pipe broke"));
    await expect(pending).rejects.toThrow();
    expect(reported).toContain("pipe broke");
  });

  it("end() ends the stream after queued lines", async () => {
    const sink = new GatedWritable(1);
    const writer = new JsonLineMessageWriter(sink);
    const first = writer.write(msg({ id: 1 }));
    const second = writer.write(msg({ id: 2 }));
    writer.end();
    const finished = new Promise((resolve) => sink.once("finish", resolve));
    for (let guard = 0; sink.received.length < 2 && guard < 100; guard++) {
      await turn();
      sink.release();
    }
    sink.release();
    await Promise.all([first, second, finished]);
    expect(sink.received).toEqual(['{"id":1}\n', '{"id":2}\n']);
  });

  it("end() leaves the stream open when endStream is false", async () => {
    const out = new PassThrough();
    const writer = new JsonLineMessageWriter(out, { endStream: false });
    await writer.write(msg({ id: 1 }));
    writer.end();
    await turn();
    expect(out.writableEnded).toBe(false);
  });
});
