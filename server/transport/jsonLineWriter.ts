// Newline-delimited JSON onto a byte stream: one message, one line, no "jsonrpc" member.
//
// Invariants:
// - Lines reach the stream in the order write() was called: writes are chained, and a write waits for
//   the previous one to be accepted.
// - Backpressure is honoured: when Writable.write returns false, the promise for that line resolves
//   only after 'drain', and the next line is not handed to the stream before then. Memory is therefore
//   bounded by the stream's highWaterMark plus one line, however fast messages are produced.
// - A line is "accepted" once the stream has taken it (write returned true, or drained). A failure the
//   stream reports later is surfaced once through onError (from the stream's 'error' event), and every
//   later write rejects and reports again.
// - JSON.stringify never emits a raw "\n" (it escapes control characters in strings), so a line is
//   always exactly one message.
import type { Writable } from "node:stream";
import { AbstractMessageWriter } from "vscode-jsonrpc";
import type { Message, MessageWriter } from "vscode-jsonrpc";
import { encodeMessage } from "./framing.js";

export interface JsonLineWriterOptions {
  /** Whether end() ends the underlying stream (false for process.stdout, which must stay usable). Default true. */
  endStream?: boolean;
}

export class JsonLineMessageWriter extends AbstractMessageWriter implements MessageWriter {
  private tail: Promise<void> = Promise.resolve();
  private errorCount = 0;
  private failure: Error | undefined;
  private closed = false;
  private readonly endStream: boolean;
  private readonly onStreamError = (err: Error): void => {
    this.failure ??= err;
    this.reportError(err);
  };
  private readonly onStreamClose = (): void => {
    if (!this.closed) {
      this.closed = true;
      this.fireClose();
    }
  };

  constructor(
    private readonly writable: Writable,
    options: JsonLineWriterOptions = {},
  ) {
    super();
    this.endStream = options.endStream ?? true;
    writable.on("error", this.onStreamError);
    writable.on("close", this.onStreamClose);
  }

  write(msg: Message): Promise<void> {
    const result = this.tail.then(() => this.writeNow(msg));
    this.tail = result.catch(() => undefined);
    return result;
  }

  end(): void {
    if (!this.endStream) {
      return;
    }
    void this.tail.then(() => {
      if (!this.writable.writableEnded && !this.writable.destroyed) {
        this.writable.end();
      }
    });
  }

  override dispose(): void {
    this.writable.off("error", this.onStreamError);
    this.writable.off("close", this.onStreamClose);
    super.dispose();
  }

  private writeNow(msg: Message): Promise<void> {
    let line: string;
    try {
      line = encodeMessage(msg) + "\n";
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      this.reportError(error, msg);
      return Promise.reject(error);
    }
    const unusable = this.failure ?? this.unusableReason();
    if (unusable !== undefined) {
      this.reportError(unusable, msg);
      return Promise.reject(unusable);
    }
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const cleanup = (): void => {
        this.writable.off("drain", onDrain);
        this.writable.off("close", onClose);
        this.writable.off("error", onError);
      };
      const settle = (error?: Error): void => {
        if (settled) {
          return;
        }
        settled = true;
        cleanup();
        if (error === undefined) {
          resolve();
        } else {
          reject(error);
        }
      };
      const onDrain = (): void => settle();
      const onClose = (): void => settle(this.failure ?? new Error("stream closed before the line was written"));
      const onError = (err: Error): void => settle(err);
      const accepted = this.writable.write(line, (err) => {
        if (err) {
          this.failure ??= err;
          settle(err);
        }
      });
      if (accepted) {
        settle();
        return;
      }
      if (!settled) {
        this.writable.on("drain", onDrain);
        this.writable.on("close", onClose);
        this.writable.on("error", onError);
      }
    });
  }

  private unusableReason(): Error | undefined {
    if (this.writable.destroyed) {
      return new Error("cannot write: the stream is destroyed");
    }
    if (this.writable.writableEnded) {
      return new Error("cannot write: the stream has ended");
    }
    return undefined;
  }

  private reportError(error: Error, msg?: Message): void {
    this.errorCount++;
    this.fireError(error, msg, this.errorCount);
  }
}
