// Newline-delimited JSON over a byte stream (stdio, unix sockets): one line is one message.
//
// Invariants:
// - Lines are split on 0x0A at the byte level, before any decoding, so a multi-byte UTF-8 character cut
//   across chunks is reassembled intact, and U+2028/U+2029 (legal raw inside JSON strings) never split.
// - One trailing 0x0D is stripped (CRLF accepted); lines of only spaces, tabs and CRs are skipped.
// - A line is decoded with a fatal UTF-8 decoder; undecodable or unparseable lines are reported through
//   fireError(FrameParseError) and reading continues with the next line.
// - Memory per connection is bounded by maxLineBytes: a longer line is dropped as soon as it crosses the
//   limit (one FrameParseError "line too long"), the rest of it is skipped up to its newline, and the
//   next line is read normally. Pieces of a line are kept as a list and joined once, so building a
//   64 MiB line costs linear time.
// - A final line without a trailing newline is still delivered when the stream ends.
// - No data is consumed before listen(): the stream stays paused until a callback exists.
// - Shape is not validated here: every parsed JSON value goes to the callback and the rpc layer
//   classifies it.
import type { Readable } from "node:stream";
import { AbstractMessageReader, Disposable } from "vscode-jsonrpc";
import type { DataCallback, Message, MessageReader } from "vscode-jsonrpc";
import { FrameParseError, decodeBytes } from "./framing.js";

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

export interface JsonLineReaderOptions {
  /** Longest accepted line in bytes, excluding the "\n". Default 64 MiB. */
  maxLineBytes?: number;
}

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;

export class JsonLineMessageReader extends AbstractMessageReader implements MessageReader {
  private readonly maxLineBytes: number;
  private callback: DataCallback | undefined;
  private pieces: Buffer[] = [];
  private pendingBytes = 0;
  private discarding = false;
  private closed = false;
  private readonly onData = (chunk: Buffer | string): void => {
    this.push(typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk);
  };
  private readonly onEnd = (): void => {
    this.flushFinalLine();
    this.close();
  };
  private readonly onStreamClose = (): void => {
    this.close();
  };
  private readonly onStreamError = (err: Error): void => {
    this.fireError(err);
    this.close();
  };

  constructor(
    private readonly readable: Readable,
    options: JsonLineReaderOptions = {},
  ) {
    super();
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    if (!(this.maxLineBytes > 0)) {
      throw new RangeError(`maxLineBytes must be positive, got ${this.maxLineBytes}`);
    }
    readable.on("error", this.onStreamError);
    readable.on("end", this.onEnd);
    readable.on("close", this.onStreamClose);
  }

  listen(callback: DataCallback): Disposable {
    if (this.callback !== undefined) {
      throw new Error("JsonLineMessageReader.listen may be called only once");
    }
    this.callback = callback;
    this.readable.on("data", this.onData);
    this.readable.resume();
    return Disposable.create(() => {
      this.callback = undefined;
      this.readable.off("data", this.onData);
      this.readable.pause();
    });
  }

  override dispose(): void {
    this.readable.off("data", this.onData);
    this.readable.off("error", this.onStreamError);
    this.readable.off("end", this.onEnd);
    this.readable.off("close", this.onStreamClose);
    this.callback = undefined;
    this.pieces = [];
    this.pendingBytes = 0;
    super.dispose();
  }

  private push(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length && this.callback !== undefined) {
      const newline = chunk.indexOf(LF, start);
      if (newline === -1) {
        this.accumulate(chunk.subarray(start));
        return;
      }
      const tail = chunk.subarray(start, newline);
      start = newline + 1;
      if (this.discarding) {
        this.discarding = false;
        continue;
      }
      if (this.pendingBytes + tail.length > this.maxLineBytes) {
        this.dropLongLine();
        this.discarding = false;
        continue;
      }
      let line: Buffer;
      if (this.pieces.length === 0) {
        line = tail;
      } else {
        this.pieces.push(tail);
        line = Buffer.concat(this.pieces, this.pendingBytes + tail.length);
        this.pieces = [];
        this.pendingBytes = 0;
      }
      this.deliver(line);
    }
  }

  private accumulate(rest: Buffer): void {
    if (this.discarding || rest.length === 0) {
      return;
    }
    if (this.pendingBytes + rest.length > this.maxLineBytes) {
      this.dropLongLine();
      return;
    }
    this.pieces.push(rest);
    this.pendingBytes += rest.length;
  }

  private dropLongLine(): void {
    this.pieces = [];
    this.pendingBytes = 0;
    this.discarding = true;
    this.fireError(new FrameParseError(`line too long: more than ${this.maxLineBytes} bytes before the newline`));
  }

  private flushFinalLine(): void {
    if (this.discarding || this.pieces.length === 0) {
      this.pieces = [];
      this.pendingBytes = 0;
      return;
    }
    const line = Buffer.concat(this.pieces, this.pendingBytes);
    this.pieces = [];
    this.pendingBytes = 0;
    this.deliver(line);
  }

  private deliver(raw: Buffer): void {
    const line = raw.length > 0 && raw[raw.length - 1] === CR ? raw.subarray(0, raw.length - 1) : raw;
    if (isBlank(line)) {
      return;
    }
    const decoded = decodeBytes(line, `line of ${line.length} bytes`);
    if (!decoded.ok) {
      this.fireError(new FrameParseError(decoded.error));
      return;
    }
    this.callback?.(decoded.value as Message);
  }

  private close(): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    this.fireClose();
  }
}

function isBlank(line: Buffer): boolean {
  for (const byte of line) {
    if (byte !== SPACE && byte !== TAB && byte !== CR) {
      return false;
    }
  }
  return true;
}
