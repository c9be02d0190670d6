// The tunnel relay on real loopback sockets: bytes arrive intact both ways, through lent read buffers
// and through default reads; the source stops reading while the destination is full; an upstream
// that speaks first loses nothing; half-close holds. ReadBuffers' sizing is checked on its own.
import { createHash, randomBytes } from "node:crypto";
import { connect, createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { MAX_READ_BYTES, MIN_READ_BYTES, ReadBuffers, relayBytes } from "./byteRelay.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function listen(onConnection: (socket: Socket) => void): Promise<{ server: Server; port: number }> {
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    socket.on("error", () => undefined); // the cleanup resets whatever is still open
    onConnection(socket);
  });
  cleanups.push(() => server.close());
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, port: (server.address() as { port: number }).port })));
}

function connected(socket: Socket): Promise<Socket> {
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("error", reject);
  });
}

function sha(buffers: Buffer[]): string {
  const h = createHash("sha256");
  for (const b of buffers) h.update(b);
  return h.digest("hex");
}

function readToEnd(socket: Socket): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    socket.on("data", (c: Buffer) => chunks.push(Buffer.from(c)));
    socket.once("end", () => resolve(chunks));
    socket.once("error", reject);
  });
}

/**
 * client ⇄ [proxy side: accepted ⇄ dialled] ⇄ upstream, all on 127.0.0.1. `onUpstream` gets the
 * upstream server's end; the test gets the client's end and the relay's sockets.
 */
async function tunnel(options: { lentReads: boolean; onUpstream: (socket: Socket) => void; attachDelayMs?: number }) {
  const upstream = await listen(options.onUpstream);
  const reads = options.lentReads ? new ReadBuffers() : null;
  const relayed: Socket[] = [];
  const front = await listen((accepted) => {
    const dialled = connect({ host: "127.0.0.1", port: upstream.port, allowHalfOpen: true, ...(reads ? { onread: reads.options } : {}) });
    relayed.push(accepted, dialled);
    // As the proxy's #track does: a reset is routine, never an unhandled 'error'.
    for (const s of [accepted, dialled]) s.on("error", () => undefined);
    dialled.once("connect", () => setTimeout(() => relayBytes(accepted, dialled, reads), options.attachDelayMs ?? 0));
  });
  const client = await connected(connect({ host: "127.0.0.1", port: front.port, allowHalfOpen: true }));
  cleanups.push(() => {
    client.destroy();
    for (const s of relayed) s.destroy();
  });
  return { client, reads, relayed };
}

describe("ReadBuffers", () => {
  it("doubles the next buffer after a full read, up to 1 MiB, and halves it after a small one, down to 16 KiB", () => {
    const reads = new ReadBuffers();
    reads.attach(() => true);
    const buffer = reads.options.buffer as () => Buffer;
    const callback = reads.options.callback;
    expect(reads.size).toBe(MIN_READ_BYTES);
    const sizes: number[] = [];
    for (let i = 0; i < 8; i++) {
      const b = buffer();
      callback(b.length, b);
      sizes.push(reads.size);
    }
    expect(sizes).toEqual([32, 64, 128, 256, 512, 1024, 1024, 1024].map((k) => k * 1024));
    expect(reads.size).toBe(MAX_READ_BYTES);
    const big = buffer();
    callback(100, big);
    expect(reads.size).toBe(MAX_READ_BYTES / 2);
    // A read between an eighth and all of the buffer keeps the size.
    const mid = buffer();
    callback(mid.length / 2, mid);
    expect(reads.size).toBe(MAX_READ_BYTES / 2);
    for (let i = 0; i < 10; i++) {
      const b = buffer();
      callback(1, b);
    }
    expect(reads.size).toBe(MIN_READ_BYTES);
  });

  it("lends a buffer again only once its chunk is released", () => {
    const reads = new ReadBuffers();
    const releases: (() => void)[] = [];
    reads.attach((_chunk, release) => {
      releases.push(release);
      return true;
    });
    const buffer = reads.options.buffer as () => Buffer;
    const first = buffer();
    reads.options.callback(first.length / 2, first);
    expect(buffer()).not.toBe(first); // still held by its write
    releases[0]!();
    expect(buffer()).toBe(first);
  });

  it("holds what is read before a sink is attached, stops reading, and hands it over in order", () => {
    const reads = new ReadBuffers();
    const buffer = reads.options.buffer as () => Buffer;
    const a = buffer();
    a.write("first ");
    expect(reads.options.callback(6, a)).toBe(false);
    const b = buffer();
    b.write("second");
    expect(reads.options.callback(6, b)).toBe(false);
    const got: string[] = [];
    expect(reads.attach((chunk) => got.push(chunk.toString()) > 0)).toBe(true);
    expect(got).toEqual(["first ", "second"]);
    expect(reads.attach(() => false)).toBe(true); // nothing held any more
  });
});

describe("relayBytes", () => {
  for (const lentReads of [true, false]) {
    it(`carries 24 MiB each way intact (${lentReads ? "lent read buffers" : "default reads"})`, async () => {
      const down = randomBytes(24 * 1024 * 1024);
      const up = randomBytes(24 * 1024 * 1024);
      let upstreamGot: Promise<Buffer[]> | undefined;
      const t = await tunnel({
        lentReads,
        onUpstream: (s) => {
          upstreamGot = readToEnd(s);
          s.end(down);
        },
      });
      const clientGot = readToEnd(t.client);
      t.client.end(up);
      expect(sha(await clientGot)).toBe(sha([down]));
      await expect.poll(() => upstreamGot).toBeDefined();
      expect(sha(await upstreamGot!)).toBe(sha([up]));
      // The lent buffers were used, and grew under load.
      if (t.reads) expect(t.reads.size).toBeGreaterThan(MIN_READ_BYTES);
      // Both directions ended: both relayed sockets are gone.
      await expect.poll(() => t.relayed.every((s) => s.destroyed)).toBe(true);
    });
  }

  it("stops reading the upstream while the client reads nothing", async () => {
    let upstreamSide: Socket | undefined;
    const total = 256 * 1024 * 1024;
    const chunk = Buffer.alloc(1024 * 1024, 7);
    const t = await tunnel({
      lentReads: true,
      onUpstream: (s) => {
        upstreamSide = s;
        let sent = 0;
        const pump = (): void => {
          while (sent < total) {
            sent += chunk.length;
            if (!s.write(chunk)) return void s.once("drain", pump);
          }
        };
        pump();
      },
    });
    t.client.pause();
    // Let the kernel buffers on both hops fill, then check that the upstream stays stuck.
    let last = -1;
    await expect
      .poll(
        async () => {
          await new Promise((r) => setTimeout(r, 100));
          const now = upstreamSide?.bytesWritten ?? 0;
          const settled = now === last && now > 0;
          last = now;
          return settled;
        },
        { timeout: 10_000, interval: 1 },
      )
      .toBe(true);
    // Kernel socket buffers plus one lent buffer and the client socket's queue: far under the total.
    const accepted = t.relayed[0]!;
    expect(upstreamSide!.bytesWritten - upstreamSide!.writableLength).toBeLessThan(64 * 1024 * 1024);
    expect(accepted.writableLength).toBeLessThanOrEqual(MAX_READ_BYTES + accepted.writableHighWaterMark);
    // And the relay resumes once the client reads.
    let got = 0;
    t.client.on("data", (c: Buffer) => (got += c.length));
    t.client.resume();
    await expect.poll(() => got, { timeout: 20_000 }).toBeGreaterThan(128 * 1024 * 1024);
  });

  it("passes on what an upstream says before the relay is attached", async () => {
    const t = await tunnel({
      lentReads: true,
      attachDelayMs: 50,
      onUpstream: (s) => {
        s.write("220 banner\r\n");
        s.on("data", (c: Buffer) => s.end(`echo ${c.toString()}`));
      },
    });
    const got = readToEnd(t.client);
    await new Promise((r) => setTimeout(r, 100));
    t.client.write("hello");
    expect(Buffer.concat(await got).toString()).toBe("220 banner\r\necho hello");
  });

  it("keeps the half-close: a client done writing still gets the rest of the answer", async () => {
    const t = await tunnel({
      lentReads: true,
      onUpstream: (s) => {
        const got: Buffer[] = [];
        s.on("data", (c: Buffer) => got.push(Buffer.from(c)));
        // Answers only after the client's end arrived.
        s.once("end", () => setTimeout(() => s.end(`got ${Buffer.concat(got).toString()}`), 50));
      },
    });
    const answer = readToEnd(t.client);
    t.client.end("question");
    expect(Buffer.concat(await answer).toString()).toBe("got question");
  });

  it("destroys both sides when the upstream resets", async () => {
    const t = await tunnel({ lentReads: true, onUpstream: (s) => setTimeout(() => s.resetAndDestroy(), 50) });
    t.client.on("error", () => undefined);
    t.client.resume();
    // The client allows half-open connections: the relay's close reaches it as an end (or a reset).
    await new Promise<void>((resolve) => {
      t.client.once("end", () => resolve());
      t.client.once("close", () => resolve());
    });
    await expect.poll(() => t.relayed.every((s) => s.destroyed)).toBe(true);
  });
});
