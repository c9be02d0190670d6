// A raw JSON-RPC client over a unix socket (one JSON per line) or a WebSocket (one JSON per text
// frame), for e2e tests with several clients on one listening daemon, or a client that drops and
// comes back. Every message received is kept in `messages`; waits are for a message, bounded only so
// that a hang fails the test.
import type { ChildProcess } from "node:child_process";
import { createConnection, type Socket } from "node:net";
import WebSocket from "ws";
import {
  asResponse,
  isNotification,
  isResponse,
  isServerRequest,
  resultOf,
  type Json,
  type Method,
  type Notification,
  type NotificationParams,
  type ParamsArg,
  type Response,
  type Result,
  type ServerNotificationMethod,
  type ServerRequest,
  type ServerRequestMethod,
  type ServerRequestParams,
  type ServerRequestResult,
} from "./protocol.js";

export class SocketClient {
  readonly messages: Json[] = [];
  private readonly waiters = new Set<() => void>();
  private nextId = 1;

  /**
   * Settles when the connection has closed: with the WebSocket close code (1006 when no close frame
   * came), or null on a unix socket.
   */
  readonly closed: Promise<number | null>;
  private markClosed!: (code: number | null) => void;

  private constructor(
    private readonly write: (text: string) => void,
    /** Drops the connection without a goodbye, as a network failure would. */
    readonly drop: () => void,
    /** Ends the connection politely (a WebSocket close frame, a FIN). */
    readonly close: () => void,
  ) {
    this.closed = new Promise((resolve) => (this.markClosed = resolve));
  }

  /** One JSON per line over the unix socket at `path`. */
  static unix(path: string): Promise<SocketClient> {
    return new Promise((resolve, reject) => {
      const socket: Socket = createConnection(path, () => resolve(client));
      const client = new SocketClient(
        (text) => socket.write(`${text}\n`),
        () => socket.destroy(),
        () => socket.end(),
      );
      let buf = "";
      socket.setEncoding("utf8");
      socket.on("data", (chunk: string) => {
        buf += chunk;
        let nl: number;
        while ((nl = buf.indexOf("\n")) >= 0) {
          client.received(JSON.parse(buf.slice(0, nl)) as Json);
          buf = buf.slice(nl + 1);
        }
      });
      socket.once("error", reject);
      socket.once("close", () => client.markClosed(null));
    });
  }

  /** One JSON per text frame over a WebSocket at `url` (with `headers` on the upgrade, e.g. a bearer token). */
  static ws(url: string, headers: Record<string, string> = {}): Promise<SocketClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      const client = new SocketClient(
        (text) => ws.send(text),
        () => ws.terminate(),
        () => ws.close(),
      );
      ws.on("message", (data) => client.received(JSON.parse(String(data)) as Json));
      ws.once("open", () => resolve(client));
      ws.once("error", reject);
      ws.once("close", (code) => client.markClosed(code));
    });
  }

  private received(message: Json): void {
    this.messages.push(message);
    for (const w of [...this.waiters]) w();
  }

  send(msg: Json): void {
    this.write(JSON.stringify(msg));
  }

  waitFor<T extends Json>(match: (m: Json) => m is T, timeoutMs?: number): Promise<T>;
  waitFor(match: (m: Json) => boolean, timeoutMs?: number): Promise<Json>;
  waitFor(match: (m: Json) => boolean, timeoutMs = 15_000): Promise<Json> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const found = this.messages.find(match);
        if (!found) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out; last: ${JSON.stringify(this.messages.slice(-3))}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  /** The whole response (result or error). */
  async request<M extends Method>(method: M, ...[params]: ParamsArg<M>): Promise<Response<M>> {
    const id = this.nextId++;
    this.send({ id, method, params });
    return asResponse(method, await this.waitFor((m) => isResponse(m, id)));
  }

  /** The result of a request that must succeed. */
  async result<M extends Method>(method: M, ...params: ParamsArg<M>): Promise<Result<M>> {
    return resultOf(method, await this.request(method, ...params));
  }

  /** The first notification with this method whose params pass `where`. */
  notification<M extends ServerNotificationMethod>(method: M, where?: (params: NotificationParams<M>) => boolean): Promise<Notification<M>> {
    return this.waitFor(isNotification(method, where));
  }

  /** The first server request with this method whose params pass `where`. */
  serverRequest<M extends ServerRequestMethod>(method: M, where?: (params: ServerRequestParams<M>) => boolean): Promise<ServerRequest<M>> {
    return this.waitFor(isServerRequest(method, where));
  }

  /** Answers a server request with a result its method allows. */
  respond<M extends ServerRequestMethod>(req: ServerRequest<M>, result: ServerRequestResult<M>): void {
    this.send({ id: req.id, result });
  }

  async init(): Promise<void> {
    await this.request("initialize", { clientInfo: { name: "t", version: "1" } });
    this.send({ method: "initialized" });
  }
}

/**
 * Watches a spawned daemon's stderr (its log): the returned function resolves once the log contains
 * `text`, for waiting on something only the daemon sees (e.g. that a client's drop has reached it).
 */
export function logWatcher(child: ChildProcess): (text: string) => Promise<void> {
  let log = "";
  const checks = new Set<() => void>();
  child.stderr?.on("data", (chunk: Buffer | string) => {
    log += String(chunk);
    for (const check of [...checks]) check();
  });
  return (text) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        checks.delete(check);
        reject(new Error(`the daemon never logged ${JSON.stringify(text)}`));
      }, 15_000);
      const check = (): void => {
        if (!log.includes(text)) return;
        checks.delete(check);
        clearTimeout(timer);
        resolve();
      };
      checks.add(check);
      check();
    });
}
