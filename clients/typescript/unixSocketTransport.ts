// The unix socket transport, for a daemon started with `app-server --listen unix://PATH`.
//
// The reference (codex 0.169) speaks WebSocket on its unix socket, not bare lines: a JSON line sent
// there is refused as a failed HTTP upgrade. So the default framing is "websocket" (an upgrade over
// the socket, then one message per text frame), which works with the reference and with Gatehouse.
// Gatehouse also accepts newline-delimited JSON on the same socket (it tells the two apart by the
// first byte), which `framing: "lines"` selects.
//
// Invariants of the "lines" framing: as for stdio (lineFraming.ts); close() ends the socket and
// destroys it if the peer has not closed its side within `closeTimeoutMs`.
import { connect } from "node:net";
import type { Socket } from "node:net";
import type { WireMessage } from "../../protocol/index.js";
import { GatehouseClient } from "./client.js";
import type { ClientOptions, ClientTransport, TransportEvents } from "./client.js";
import { readJsonLines, writeJsonLine } from "./lineFraming.js";
import { WebSocketTransport } from "./webSocketTransport.js";
import type { WebSocketOptions } from "./webSocketTransport.js";

export class SocketLineTransport implements ClientTransport {
  private events: TransportEvents | undefined;
  private endedBeforeStart: { error?: Error } | undefined;
  private lastError: Error | undefined;
  private closing: Promise<void> | undefined;
  private readonly socketClosed: Promise<void>;

  private constructor(
    readonly socket: Socket,
    private readonly closeTimeoutMs: number,
  ) {
    socket.on("error", (err) => (this.lastError = err));
    this.socketClosed = new Promise((resolve) =>
      socket.once("close", () => {
        resolve();
        const error = this.closing ? undefined : (this.lastError ?? new Error("the server closed the socket"));
        if (this.events) this.events.close(error);
        else this.endedBeforeStart = error ? { error } : {};
      }),
    );
  }

  static open(path: string, closeTimeoutMs = 1000): Promise<SocketLineTransport> {
    const socket = connect(path);
    const transport = new SocketLineTransport(socket, closeTimeoutMs);
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(new Error(`cannot connect to ${path}: ${err.message}`, { cause: err }));
      socket.once("error", onError);
      socket.once("connect", () => {
        socket.off("error", onError);
        resolve(transport);
      });
    });
  }

  start(events: TransportEvents): void {
    this.events = events;
    readJsonLines(this.socket, events.message, events.invalid);
    if (this.endedBeforeStart) events.close(this.endedBeforeStart.error);
  }

  send(message: WireMessage): Promise<void> {
    return writeJsonLine(this.socket, message);
  }

  close(): Promise<void> {
    return (this.closing ??= this.shutdown());
  }

  private async shutdown(): Promise<void> {
    if (this.socket.closed) return;
    this.socket.end();
    const timer = setTimeout(() => this.socket.destroy(), this.closeTimeoutMs);
    await this.socketClosed;
    clearTimeout(timer);
  }
}

export interface UnixSocketOptions extends WebSocketOptions {
  /** "websocket" (default; what the reference speaks) or "lines" (Gatehouse only). */
  framing?: "websocket" | "lines";
}

/** Connects to the daemon's unix socket. */
export function connectUnixSocket(
  path: string,
  options?: UnixSocketOptions & ClientOptions & { framing?: "websocket" },
): Promise<GatehouseClient<WebSocketTransport>>;
export function connectUnixSocket(
  path: string,
  options: UnixSocketOptions & ClientOptions & { framing: "lines" },
): Promise<GatehouseClient<SocketLineTransport>>;
export async function connectUnixSocket(
  path: string,
  options: UnixSocketOptions & ClientOptions = {},
): Promise<GatehouseClient<WebSocketTransport | SocketLineTransport>> {
  if (options.framing === "lines") {
    return new GatehouseClient(await SocketLineTransport.open(path, options.closeTimeoutMs), options);
  }
  // The host in the URL only fills the Host header; the bytes go to the unix socket.
  const transport = await WebSocketTransport.open("ws://localhost/", options, () => connect(path), path);
  return new GatehouseClient(transport, options);
}
