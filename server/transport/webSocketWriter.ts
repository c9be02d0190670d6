// One message is one WebSocket text frame, without the "jsonrpc" member.
//
// Invariants:
// - Frames go out in write() order (ws.send is ordered and called synchronously).
// - Memory is bounded: ws.bufferedAmount (the socket's write queue plus ws's own) is checked after each
//   send; past maxBufferedBytes the peer is a slow consumer and the socket is closed with 1008
//   "slow consumer" (Codex transport.rs disconnects slow WebSocket clients the same way). A close frame
//   queues behind the unread data, so ws's close timeout then destroys the socket if the peer never
//   reads it; either way no further frames are queued.
// - A write on a socket that is not open rejects and is reported through onError. When a socket dies with
//   frames still queued, ws fails each of their callbacks; only the first such failure is reported.
import type { WebSocket } from "ws";
import { AbstractMessageWriter } from "vscode-jsonrpc";
import type { Message, MessageWriter } from "vscode-jsonrpc";
import { encodeMessage } from "./framing.js";

export const DEFAULT_MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
export const SLOW_CONSUMER_CLOSE_CODE = 1008;
export const SLOW_CONSUMER_REASON = "slow consumer";

export interface WebSocketWriterOptions {
  /** Outbound bytes queued for this peer beyond which it is disconnected. Default 16 MiB. */
  maxBufferedBytes?: number;
}

const OPEN = 1;

export class SlowConsumerError extends Error {
  constructor(
    readonly bufferedBytes: number,
    readonly limit: number,
  ) {
    super(`peer is not reading: ${bufferedBytes} bytes queued (limit ${limit}); closed with 1008 "${SLOW_CONSUMER_REASON}"`);
    this.name = "SlowConsumerError";
  }
}

export class WebSocketMessageWriter extends AbstractMessageWriter implements MessageWriter {
  private readonly maxBufferedBytes: number;
  private errorCount = 0;
  private closed = false;
  private sendFailed = false;
  private readonly onSocketClose = (): void => {
    if (!this.closed) {
      this.closed = true;
      this.fireClose();
    }
  };

  constructor(
    private readonly socket: WebSocket,
    options: WebSocketWriterOptions = {},
  ) {
    super();
    this.maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
    if (!(this.maxBufferedBytes > 0)) {
      throw new RangeError(`maxBufferedBytes must be positive, got ${this.maxBufferedBytes}`);
    }
    socket.on("close", this.onSocketClose);
  }

  write(msg: Message): Promise<void> {
    let text: string;
    try {
      text = encodeMessage(msg);
    } catch (err) {
      return this.fail(err instanceof Error ? err : new Error(String(err)), msg);
    }
    if (this.socket.readyState !== OPEN) {
      return this.fail(new Error(`cannot write: WebSocket is not open (readyState ${this.socket.readyState})`), msg);
    }
    this.socket.send(text, { binary: false }, (err) => {
      if (err && !this.sendFailed) {
        this.sendFailed = true;
        this.reportError(err, msg);
      }
    });
    const buffered = this.socket.bufferedAmount;
    if (buffered > this.maxBufferedBytes) {
      this.socket.close(SLOW_CONSUMER_CLOSE_CODE, SLOW_CONSUMER_REASON);
      return this.fail(new SlowConsumerError(buffered, this.maxBufferedBytes), msg);
    }
    return Promise.resolve();
  }

  end(): void {
    if (this.socket.readyState === OPEN) {
      this.socket.close(1000);
    }
  }

  override dispose(): void {
    this.socket.off("close", this.onSocketClose);
    super.dispose();
  }

  private fail(error: Error, msg: Message): Promise<void> {
    this.reportError(error, msg);
    return Promise.reject(error);
  }

  private reportError(error: Error, msg?: Message): void {
    this.errorCount++;
    this.fireError(error, msg, this.errorCount);
  }
}
