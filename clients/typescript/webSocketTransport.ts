// The WebSocket transport: one JSON message per text frame, over TCP or (for unix://) a unix socket.
//
// Invariants:
// - Each text frame is exactly one message; a binary frame is reported as undecodable and skipped.
// - Frames that arrive before the client starts the transport are held and delivered in order.
// - close() sends a normal close (1000) and waits for the peer's close; after `closeTimeoutMs` it
//   drops the socket instead (the reference ends the TCP connection without a close frame, and ws
//   would otherwise wait 30 s).
// - A failed handshake (refused connection, 401/403 from auth or Origin checks) rejects the connect
//   call with the reason; no client is created.
import type { Socket } from "node:net";
import { WebSocket } from "ws";
import type { ClientOptions as WsClientOptions, RawData } from "ws";
import type { WireMessage } from "../../protocol/index.js";
import { GatehouseClient } from "./client.js";
import type { ClientOptions, ClientTransport, TransportEvents } from "./client.js";

export interface WebSocketOptions {
  /** Extra headers on the upgrade request, e.g. `{Authorization: "Bearer …"}` for --ws-auth. */
  headers?: Record<string, string>;
  /** Sent as the Origin header. The reference refuses any upgrade that carries an Origin (403). */
  origin?: string;
  /** Default 10000 ms. */
  handshakeTimeoutMs?: number;
  /** How long close() waits for the peer's close frame before dropping the socket. Default 1000 ms. */
  closeTimeoutMs?: number;
}

type Buffered = { kind: "message"; value: unknown } | { kind: "invalid"; raw: string; error: Error };

export class WebSocketTransport implements ClientTransport {
  private events: TransportEvents | undefined;
  private readonly backlog: Buffered[] = [];
  private endedBeforeStart: { error?: Error } | undefined;
  private lastError: Error | undefined;
  private closing: Promise<void> | undefined;
  private readonly socketClosed: Promise<void>;

  private constructor(
    readonly socket: WebSocket,
    private readonly closeTimeoutMs: number,
  ) {
    socket.on("error", (err) => (this.lastError = err));
    socket.on("message", (data, isBinary) => this.frame(data, isBinary));
    this.socketClosed = new Promise((resolve) =>
      socket.once("close", (code, reason) => {
        resolve();
        const normal = code === 1000 || this.closing !== undefined;
        const text = reason.toString();
        this.ended(normal ? undefined : (this.lastError ?? new Error(`WebSocket closed with code ${code}${text ? `: ${text}` : ""}`)));
      }),
    );
  }

  /** Opens a WebSocket and resolves once the upgrade has succeeded. */
  static open(url: string, options: WebSocketOptions = {}, createConnection?: () => Socket, label = url): Promise<WebSocketTransport> {
    const wsOptions: WsClientOptions = { handshakeTimeout: options.handshakeTimeoutMs ?? 10_000, perMessageDeflate: false };
    if (options.headers) wsOptions.headers = options.headers;
    if (options.origin !== undefined) wsOptions.origin = options.origin;
    if (createConnection) wsOptions.createConnection = createConnection;
    const socket = new WebSocket(url, wsOptions);
    const transport = new WebSocketTransport(socket, options.closeTimeoutMs ?? 1000);
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(new Error(`cannot connect to ${label}: ${err.message}`, { cause: err }));
      socket.once("error", onError);
      socket.once("open", () => {
        socket.off("error", onError);
        resolve(transport);
      });
    });
  }

  start(events: TransportEvents): void {
    this.events = events;
    for (const item of this.backlog.splice(0)) {
      if (item.kind === "message") events.message(item.value);
      else events.invalid(item.raw, item.error);
    }
    if (this.endedBeforeStart) events.close(this.endedBeforeStart.error);
  }

  send(message: WireMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.socket.readyState !== WebSocket.OPEN) {
        reject(new Error("the connection is closed"));
        return;
      }
      this.socket.send(JSON.stringify(message), (err) => (err ? reject(err) : resolve()));
    });
  }

  close(): Promise<void> {
    return (this.closing ??= this.shutdown());
  }

  private async shutdown(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    if (this.socket.readyState === WebSocket.CONNECTING) this.socket.terminate();
    else this.socket.close(1000);
    const timer = setTimeout(() => this.socket.terminate(), this.closeTimeoutMs);
    await this.socketClosed;
    clearTimeout(timer);
  }

  private frame(data: RawData, isBinary: boolean): void {
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    let item: Buffered;
    if (isBinary) {
      item = { kind: "invalid", raw: `<binary frame, ${bytes.length} bytes>`, error: new Error("binary frames are not part of the protocol") };
    } else {
      const raw = bytes.toString("utf8");
      try {
        item = { kind: "message", value: JSON.parse(raw) as unknown };
      } catch (err) {
        item = { kind: "invalid", raw, error: err instanceof Error ? err : new Error(String(err)) };
      }
    }
    if (!this.events) this.backlog.push(item);
    else if (item.kind === "message") this.events.message(item.value);
    else this.events.invalid(item.raw, item.error);
  }

  private ended(error: Error | undefined): void {
    if (this.events) this.events.close(error);
    else this.endedBeforeStart = error ? { error } : {};
  }
}

/** Connects to `ws://host:port` (e.g. a daemon started with `app-server --listen ws://127.0.0.1:PORT`). */
export async function connectWebSocket(url: string, options: WebSocketOptions & ClientOptions = {}): Promise<GatehouseClient<WebSocketTransport>> {
  const transport = await WebSocketTransport.open(url, options);
  return new GatehouseClient(transport, options);
}
