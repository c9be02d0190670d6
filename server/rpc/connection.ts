// One client connection: the guarded reader/writer, a vscode-jsonrpc MessageConnection whose star
// handlers feed the dispatcher, the session, and the channel toward the client. Closing the
// transport aborts in-flight handlers (their AbortSignal) and abandons pending server requests.
import { createMessageConnection, ResponseError, type MessageReader, type MessageWriter, type Message } from "vscode-jsonrpc/node";
import type { Session } from "../core/ports.js";
import type { Dispatcher } from "../dispatch/dispatcher.js";
import type { Logger } from "../log.js";
import { ClientChannel } from "./clientChannel.js";
import { InboundLimiter } from "./inboundLimiter.js";
import { GuardedReader, GuardedWriter } from "./messageGuard.js";
import { createSession } from "./session.js";
import { toResponseError } from "./toRpcError.js";

export interface ConnectionOptions {
  reader: MessageReader;
  writer: MessageWriter;
  transport: Session["transport"];
  dispatcher: Dispatcher;
  log: Logger;
  /** In-flight request limit before -32001 (default 1024). */
  maxInFlight?: number;
  onNotification?: (method: string, params: unknown, channel: ClientChannel) => void;
}

let nextConnectionId = 1;

/** How long a stdio connection whose input ended keeps answering what it already read. */
const STDIO_DRAIN_MS = 30_000;

export class RpcConnection {
  readonly id = nextConnectionId++;
  readonly session: Session;
  readonly channel: ClientChannel;
  readonly closed: Promise<void>;
  private readonly abort = new AbortController();
  private readonly log: Logger;

  constructor(options: ConnectionOptions) {
    this.log = options.log.child({ conn: this.id, transport: options.transport });
    this.session = createSession(this.id, options.transport);
    const limiter = new InboundLimiter(options.maxInFlight ?? 1024);
    const writer = new GuardedWriter(options.writer, limiter);
    // Assigned below; the reader only calls them after the channel exists.
    let onInputEnd = (): void => undefined;
    let onResponse = (_id: unknown): boolean => true;
    const drain = options.transport === "stdio" ? { onInputEnd: () => onInputEnd(), maxMs: STDIO_DRAIN_MS } : undefined;
    const reader = new GuardedReader(options.reader, options.writer, limiter, this.log, drain, (id) => onResponse(id));
    const connection = createMessageConnection(reader, writer, {
      error: (m) => this.log.error(m),
      warn: (m) => this.log.warn(m),
      info: (m) => this.log.debug(m),
      log: (m) => this.log.trace(m),
    });
    const writeRaw = (msg: object): void => {
      writer.write(msg as Message).catch((error: unknown) => this.log.debug({ err: error }, "write failed"));
    };
    this.channel = new ClientChannel(this.session, connection, writeRaw, this.log);
    onInputEnd = () => this.channel.abandonPending("the client closed its input");
    onResponse = (id) => this.channel.observeResponse(id as number | string | null);
    const ctxBase = { client: this.channel, log: this.log };

    connection.onRequest(async (method, params, token) => {
      const controller = new AbortController();
      const onAbort = (): void => controller.abort();
      this.abort.signal.addEventListener("abort", onAbort, { once: true });
      // A cancel read before its request was dispatched comes as an already-cancelled token whose
      // event never fires: check it, or the handler would never hear of it.
      if (token.isCancellationRequested) controller.abort();
      const sub = token.onCancellationRequested(onAbort);
      try {
        return await options.dispatcher.handleRequest(method, params, { ...ctxBase, signal: controller.signal });
      } catch (error) {
        throw error instanceof ResponseError ? error : toResponseError(error, this.log);
      } finally {
        sub.dispose();
        this.abort.signal.removeEventListener("abort", onAbort);
      }
    });
    connection.onNotification((method, params) => {
      if (method === "initialized") {
        this.log.debug("client sent initialized");
        options.dispatcher.initialized();
        return;
      }
      options.onNotification?.(method, params, this.channel);
    });

    this.closed = new Promise((resolve) => {
      connection.onClose(() => {
        this.abort.abort();
        this.channel.close();
        connection.dispose();
        this.log.debug("connection closed");
        resolve();
      });
    });
    connection.onError(([error]) => this.log.debug({ err: error }, "transport error"));
    connection.listen();
  }
}
