// One WebSocket text frame is one message (the browser MessagePort reader in vscode-jsonrpc is the model).
//
// Invariants:
// - Text frames are decoded with a fatal UTF-8 decoder and parsed with decodeBytes; a frame that does not
//   parse is reported through fireError(FrameParseError) and the socket stays open.
// - ws itself validates UTF-8 in text frames (skipUTF8Validation is left false) and closes the socket with
//   1007 on invalid UTF-8 before we see the frame. That is accepted here: a peer that sends broken
//   WebSocket text frames violates RFC 6455, not just JSON. The fatal decode below keeps the guarantee
//   if a socket is ever created with validation skipped.
// - Binary frames are refused with a FrameParseError that says what to do instead; the socket stays open.
// - Oversized messages are bounded by the server's maxPayload (ws closes with 1009).
// - Nothing is delivered before listen(): the socket is paused at construction and resumed by listen(),
//   and any frame ws had already parsed is queued and delivered first, in order.
import type { RawData, WebSocket } from "ws";
import { AbstractMessageReader, Disposable } from "vscode-jsonrpc";
import type { DataCallback, Message, MessageReader } from "vscode-jsonrpc";
import { FrameParseError, decodeBytes } from "./framing.js";

export const BINARY_FRAME_REFUSED = "binary frames are not supported; send JSON as text frames";

type Frame = { data: RawData; isBinary: boolean };

export class WebSocketMessageReader extends AbstractMessageReader implements MessageReader {
  private callback: DataCallback | undefined;
  private early: Frame[] | undefined = [];
  private closed = false;
  private readonly onMessage = (data: RawData, isBinary: boolean): void => {
    if (this.early !== undefined) {
      this.early.push({ data, isBinary });
      return;
    }
    this.handle(data, isBinary);
  };
  private readonly onSocketError = (err: Error): void => {
    this.fireError(err);
  };
  private readonly onSocketClose = (): void => {
    if (!this.closed) {
      this.closed = true;
      this.fireClose();
    }
  };

  constructor(private readonly socket: WebSocket) {
    super();
    socket.on("message", this.onMessage);
    socket.on("error", this.onSocketError);
    socket.on("close", this.onSocketClose);
    socket.pause();
  }

  listen(callback: DataCallback): Disposable {
    if (this.callback !== undefined) {
      throw new Error("WebSocketMessageReader.listen may be called only once");
    }
    this.callback = callback;
    const early = this.early ?? [];
    this.early = undefined;
    for (const frame of early) {
      this.handle(frame.data, frame.isBinary);
    }
    this.socket.resume();
    return Disposable.create(() => {
      this.callback = undefined;
      this.socket.off("message", this.onMessage);
    });
  }

  override dispose(): void {
    this.socket.off("message", this.onMessage);
    this.socket.off("error", this.onSocketError);
    this.socket.off("close", this.onSocketClose);
    this.callback = undefined;
    this.early = undefined;
    super.dispose();
  }

  private handle(data: RawData, isBinary: boolean): void {
    if (isBinary) {
      this.fireError(new FrameParseError(BINARY_FRAME_REFUSED));
      return;
    }
    const decoded = decodeBytes(toBytes(data), "text frame");
    if (!decoded.ok) {
      this.fireError(new FrameParseError(decoded.error));
      return;
    }
    this.callback?.(decoded.value as Message);
  }
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) {
    return Buffer.concat(data);
  }
  if (data instanceof ArrayBuffer) {
    return new Uint8Array(data);
  }
  return data;
}
