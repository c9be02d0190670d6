// The byte relay behind a CONNECT or SOCKS5 tunnel, and the read buffers that make it fast.
//
// Why not pipeline(): a socket in Node's default mode reads at most 64 KiB per read(2) and hands
// every chunk through the stream machinery, which held a tunnel to about 0.9 GiB/s on this
// project's machines. An upstream socket the proxy dials itself can take net's `onread` option
// instead: reads land in buffers this module lends (ReadBuffers), up to 1 MiB each, so a busy tunnel
// makes a sixteenth of the reads and callbacks. In bench/cases/proxy.mjs that halved the proxy's CPU
// per MiB on a tunnel (0.91 -> 0.43 ms) and raised its throughput 1.3-1.5x, to or above a splice(2)
// relay in C. A buffer goes back to its pool once the write that carries it has completed, never
// earlier (the kernel may still be reading it).
//
// Sizes adapt per connection: a read that fills its buffer doubles the next one (to 1 MiB), a read
// under an eighth of it halves the next (to 16 KiB), so an idle tunnel holds one 16 KiB buffer and
// a thousand of them hold 16 MiB.
//
// A client socket the relay passed over IPC, or one a test's dialer made without `onread`, reads
// the default way; the relay handles both, so a dialer that ignores the option is slower, never
// stuck. Backpressure is the same either way: when the destination's write() says its buffer is
// full, the source stops reading until 'drain'.
//
// Each direction ends its destination when its source ends (half-close: a client that shuts down
// writing still gets the rest of the answer); both sockets are destroyed once both directions are
// done or either fails.
import type { OnReadOpts, Socket } from "node:net";

export const MIN_READ_BYTES = 16 * 1024;
export const MAX_READ_BYTES = 1024 * 1024;

/** Takes one chunk read into a lent buffer; `release` gives the buffer back. False: stop reading. */
type ChunkSink = (chunk: Buffer, release: () => void) => boolean;

/** Read buffers for one socket (pass `options` as net.connect's `onread`). */
export class ReadBuffers {
  #size = MIN_READ_BYTES;
  readonly #free: Buffer[] = [];
  #sink: ChunkSink | null = null;
  /** Chunks read before a sink was attached (an upstream that speaks first). */
  #held: { chunk: Buffer; buffer: Buffer }[] = [];

  readonly options: OnReadOpts = {
    buffer: () => this.#take(),
    callback: (bytes, buffer) => this.#onRead(bytes, buffer as Buffer),
  };

  /** The size the next read buffer will have. */
  get size(): number {
    return this.#size;
  }

  /** Hands every chunk read so far, then every later one, to `sink`. False from `sink`: stop reading. */
  attach(sink: ChunkSink): boolean {
    this.#sink = sink;
    const held = this.#held;
    this.#held = [];
    let more = true;
    for (const { chunk, buffer } of held) more = sink(chunk, () => this.#release(buffer)) && more;
    return more;
  }

  #take(): Buffer {
    return this.#free.pop() ?? Buffer.allocUnsafeSlow(this.#size);
  }

  #release(buffer: Buffer): void {
    // Buffers of a size since outgrown (or shrunk from) are left to the GC.
    if (buffer.length === this.#size && this.#free.length < 2) this.#free.push(buffer);
  }

  #onRead(bytes: number, buffer: Buffer): boolean {
    if (bytes === buffer.length && this.#size < MAX_READ_BYTES) this.#size *= 2;
    else if (bytes < buffer.length / 8 && this.#size > MIN_READ_BYTES) this.#size /= 2;
    if (this.#size !== buffer.length) this.#free.length = 0;
    const chunk = buffer.subarray(0, bytes);
    if (this.#sink === null) {
      this.#held.push({ chunk, buffer });
      return false; // net's cue to stop reading until the relay resumes the socket
    }
    return this.#sink(chunk, () => this.#release(buffer));
  }
}

/**
 * Relays bytes both ways with backpressure until both directions have ended, then destroys both
 * sockets. `upstreamReads` are the read buffers the upstream socket was dialled with, if any.
 */
export function relayBytes(client: Socket, upstream: Socket, upstreamReads: ReadBuffers | null = null): void {
  client.allowHalfOpen = true;
  upstream.allowHalfOpen = true;
  let open = 2;
  const done = (error?: Error): void => {
    open -= 1;
    if (error || open === 0) {
      client.destroy();
      upstream.destroy();
    }
  };
  pump(client, upstream, null, done);
  pump(upstream, client, upstreamReads, done);
}

function pump(source: Socket, destination: Socket, reads: ReadBuffers | null, done: (error?: Error) => void): void {
  let finished = false;
  const finish = (error?: Error): void => {
    if (finished) return;
    finished = true;
    destination.off("drain", onDrain);
    done(error);
  };
  const onDrain = (): void => {
    source.resume();
  };
  const write = (chunk: Buffer, release?: () => void): boolean => {
    if (destination.destroyed) return false;
    return destination.write(chunk, release);
  };
  destination.on("drain", onDrain);
  if (reads !== null && !reads.attach((chunk, release) => write(chunk, release))) source.pause();
  source.on("data", (chunk: Buffer) => {
    if (!write(chunk)) source.pause();
  });
  source.once("end", () => {
    destination.end();
  });
  destination.once("finish", () => finish());
  source.once("error", finish);
  destination.once("error", finish);
  source.once("close", () => {
    if (!source.readableEnded) finish(new Error("the source closed before it ended"));
  });
  destination.once("close", () => {
    if (!destination.writableFinished) finish(new Error("the destination closed before it finished"));
  });
}
