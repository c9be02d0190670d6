// GatehouseClient: a typed JSON-RPC client for the app-server wire, derived from the protocol tables.
//
// Why a small own JSON-RPC layer instead of vscode-jsonrpc: the app-server wire has no "jsonrpc" member,
// no `$/cancelRequest`, and answers unknown server requests with -32601 by our rule; vscode-jsonrpc would
// need a custom reader, writer, id scheme and cancellation strategy to match, which is more code than
// the request matching below.
//
// Invariants:
// - Method names, params and results are typed from the merged v2 + v1 tables:
//   a method exists for the client exactly when it has a row. `requestUntyped` is the escape hatch.
// - Request ids are integers counting up from 1 per client; responses are matched by id, in any order.
// - Every request settles exactly once: with its result, an `RpcError` (the server's error object), a
//   local abort/timeout (`signal.reason` / a "TimeoutError" DOMException), or a `ConnectionClosedError`
//   when the connection ends. A late response to an abandoned id is dropped. The wire has no
//   cancellation message, so an aborted request may still run on the server.
// - Results are not checked at runtime unless `validateResults` is set; then they are parsed with the
//   row's zod schema (unknown keys stripped, defaults applied) and a mismatch rejects the request.
// - Every server request is answered: by its handler's value, by the error its handler threw (an
//   `RpcError` keeps its code, anything else is -32603), or with -32601 when no handler is registered.
// - Traffic hooks see each message as it crosses the wire, with the harness's direction names:
//   "in" = sent to the server, "out" = sent by the server (wire-check.mjs `traffic` reads these).
// - Problems the caller did not ask about (undecodable lines, malformed messages, throwing handlers)
//   go to `onError` listeners, or to `process.emitWarning` when there are none: never silently dropped.
import type * as z from "zod";
import { RpcError, RpcErrorCode, classify, v1, v2 } from "../../protocol/index.js";
import type {
  NotificationMessage,
  ParamsOf,
  ParsedParamsOf,
  RequestId,
  RequestMessage,
  RequestSpec,
  ResponseMessage,
  ResultOf,
  WireMessage,
} from "../../protocol/index.js";

/** The methods this client speaks: v2 (0.169) merged with the legacy v1 (0.80) table. */
export const clientTable = {
  clientRequests: { ...v1.v1Table.clientRequests, ...v2.v2Table.clientRequests },
  serverRequests: { ...v1.v1Table.serverRequests, ...v2.v2Table.serverRequests },
  serverNotifications: { ...v1.v1Table.serverNotifications, ...v2.v2Table.serverNotifications },
  clientNotifications: { ...v1.v1Table.clientNotifications, ...v2.v2Table.clientNotifications },
};

type Table = typeof clientTable;
export type ClientRequestMethod = keyof Table["clientRequests"] & string;
export type ServerRequestMethod = keyof Table["serverRequests"] & string;
export type ServerNotificationMethod = keyof Table["serverNotifications"] & string;
export type ClientNotificationMethod = keyof Table["clientNotifications"] & string;

/** What the client passes for a request (defaults not applied). */
export type RequestParams<M extends ClientRequestMethod> = ParamsOf<Table["clientRequests"], M>;
/** What a request resolves to. */
export type RequestResult<M extends ClientRequestMethod> = ResultOf<Table["clientRequests"], M>;
export type ServerNotificationParams<M extends ServerNotificationMethod> = ParsedParamsOf<Table["serverNotifications"], M>;
export type ClientNotificationParams<M extends ClientNotificationMethod> = ParamsOf<Table["clientNotifications"], M>;
export type ServerRequestParams<M extends ServerRequestMethod> = ParsedParamsOf<Table["serverRequests"], M>;
/** What a server request handler returns (the client sends it, so defaults need not be filled in). */
export type ServerRequestResult<M extends ServerRequestMethod> = z.input<Table["serverRequests"][M]["result"]>;

export interface RequestOptions {
  /** Aborting rejects the request with `signal.reason`; the server is not told (the wire has no cancel message). */
  signal?: AbortSignal;
  /** Rejects with a DOMException named "TimeoutError" when no response arrived in time. */
  timeoutMs?: number;
}

/** Params are optional exactly when the table allows `undefined` (methods without params). */
type RequestArgs<P> = undefined extends P ? [params?: P, options?: RequestOptions] : [params: P, options?: RequestOptions];
type NotifyArgs<P> = undefined extends P ? [params?: P] : [params: P];

export interface ClientOptions {
  /** Parse every result with its row's zod schema; a mismatch rejects with `ResultValidationError`. Default false. */
  validateResults?: boolean;
  /**
   * Parse the params of server notifications and server requests that have a row. A notification that
   * does not match goes to `onError` and reaches no typed handler (catch-all handlers still see it);
   * a server request that does not match is answered -32602. Default false.
   */
  validateInbound?: boolean;
}

export type TrafficDirection = "in" | "out";
/** One transcript line as wire-check.mjs `traffic` reads it: `{"dir":"in"|"out","msg":{…}}`. */
export interface TrafficRecord {
  dir: TrafficDirection;
  msg: WireMessage;
}

export interface ServerRequestContext {
  id: RequestId;
  method: string;
  /** Aborted when the connection closes before the handler has answered. */
  signal: AbortSignal;
}

/** The events a transport delivers to the client, in arrival order. */
export interface TransportEvents {
  /** One decoded JSON value (a line or a text frame). */
  message(value: unknown): void;
  /** A line or frame that could not be decoded; the transport keeps going. */
  invalid(raw: string, error: Error): void;
  /** The connection has ended; called at most once, and nothing arrives after it. */
  close(error?: Error): void;
}

/** Framing only: bytes ⇄ JSON values; the client above owns everything else. */
export interface ClientTransport {
  /** Called once by the client; the transport holds back messages until then. */
  start(events: TransportEvents): void;
  /** Writes one message; resolves when the transport has taken it. */
  send(message: WireMessage): Promise<void>;
  /** Ends the connection and releases what the transport owns (for stdio: the child process). Idempotent. */
  close(): Promise<void>;
}

export class ConnectionClosedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ConnectionClosedError";
  }
}

export class ResultValidationError extends Error {
  constructor(
    readonly method: string,
    readonly result: unknown,
    readonly issues: readonly z.core.$ZodIssue[],
  ) {
    super(`${method}: the result does not match the schema: ${issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`);
    this.name = "ResultValidationError";
  }
}

interface Pending {
  method: string;
  spec: RequestSpec | undefined;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

type NotificationHandler = (params: unknown, message: NotificationMessage) => void;
type ServerRequestHandler = (params: unknown, context: ServerRequestContext) => unknown;

const lookup = <T>(table: Record<string, T>, method: string): T | undefined => (Object.hasOwn(table, method) ? table[method] : undefined);
const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

export class GatehouseClient<T extends ClientTransport = ClientTransport> {
  /** Resolves once the connection has ended, for whatever reason. */
  readonly closed: Promise<void>;
  private nextId = 1;
  private readonly pending = new Map<RequestId, Pending>();
  private readonly notificationHandlers = new Map<string, Set<NotificationHandler>>();
  private readonly anyNotificationHandlers = new Set<(method: string, params: unknown, message: NotificationMessage) => void>();
  private readonly serverRequestHandlers = new Map<string, ServerRequestHandler>();
  private readonly trafficHandlers = new Set<(dir: TrafficDirection, msg: WireMessage) => void>();
  private readonly errorHandlers = new Set<(error: Error) => void>();
  private readonly lifetime = new AbortController();
  private closeReason: ConnectionClosedError | undefined;
  private closing: Promise<void> | undefined;
  private markClosed!: () => void;

  constructor(
    readonly transport: T,
    private readonly options: ClientOptions = {},
  ) {
    this.closed = new Promise((resolve) => (this.markClosed = resolve));
    transport.start({
      message: (value) => this.receive(value),
      invalid: (raw, error) => this.reportError(new Error(`undecodable message from the server: ${error.message}: ${raw.slice(0, 200)}`)),
      close: (error) =>
        this.shutdown(new ConnectionClosedError(error ? `connection closed: ${error.message}` : "connection closed by the server", { cause: error })),
    });
  }

  get isClosed(): boolean {
    return this.closeReason !== undefined;
  }

  /** Sends a request from the method tables and resolves with its result. */
  request<M extends ClientRequestMethod>(method: M, ...args: RequestArgs<RequestParams<M>>): Promise<RequestResult<M>> {
    const [params, options] = args;
    return this.requestUntyped(method, params, options) as Promise<RequestResult<M>>;
  }

  /** Any method, any params: for methods outside the tables (and for testing how a server refuses them). */
  requestUntyped(method: string, params?: unknown, options: RequestOptions = {}): Promise<unknown> {
    if (this.closeReason) return Promise.reject(this.closeReason);
    const { signal, timeoutMs } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const id = this.nextId++;
    const message: RequestMessage = params === undefined ? { id, method } : { id, method, params };
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const onAbort = (): void => settle(() => reject(signal?.reason));
      const settle = (fn: () => void): void => {
        if (!this.pending.delete(id)) return;
        if (timer) clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        fn();
      };
      this.pending.set(id, {
        method,
        spec: lookup<RequestSpec>(clientTable.clientRequests, method),
        resolve: (value) => settle(() => resolve(value)),
        reject: (error) => settle(() => reject(error)),
      });
      signal?.addEventListener("abort", onAbort, { once: true });
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => settle(() => reject(new DOMException(`${method} (id ${id}) timed out after ${timeoutMs} ms`, "TimeoutError"))), timeoutMs);
      }
      this.send(message).catch((err: unknown) => settle(() => reject(this.closeReason ?? err)));
    });
  }

  /** Sends a client notification from the tables (e.g. "initialized"). */
  notify<M extends ClientNotificationMethod>(method: M, ...args: NotifyArgs<ClientNotificationParams<M>>): Promise<void> {
    return this.notifyUntyped(method, args[0]);
  }

  notifyUntyped(method: string, params?: unknown): Promise<void> {
    if (this.closeReason) return Promise.reject(this.closeReason);
    return this.send(params === undefined ? { method } : { method, params });
  }

  /** `initialize`, then the `initialized` notification; resolves with the initialize result. */
  async initialize(
    clientInfo: RequestParams<"initialize">["clientInfo"],
    capabilities?: RequestParams<"initialize">["capabilities"],
    options?: RequestOptions,
  ): Promise<RequestResult<"initialize">> {
    const result = await this.request("initialize", capabilities === undefined ? { clientInfo } : { clientInfo, capabilities }, options);
    await this.notify("initialized");
    return result;
  }

  /** Typed handler for one server notification; returns a function that removes it. */
  onNotification<M extends ServerNotificationMethod>(
    method: M,
    handler: (params: ServerNotificationParams<M>, message: NotificationMessage) => void,
  ): () => void {
    let set = this.notificationHandlers.get(method);
    if (!set) this.notificationHandlers.set(method, (set = new Set()));
    const h = handler as NotificationHandler;
    set.add(h);
    return () => set.delete(h);
  }

  /** Every notification, including `codex/event/*` and methods outside the tables. */
  onAnyNotification(handler: (method: string, params: unknown, message: NotificationMessage) => void): () => void {
    this.anyNotificationHandlers.add(handler);
    return () => this.anyNotificationHandlers.delete(handler);
  }

  /**
   * Answers one kind of server request: the returned value is the result, a thrown error the error
   * response. One handler per method; a later registration replaces an earlier one.
   */
  onServerRequest<M extends ServerRequestMethod>(
    method: M,
    handler: (params: ServerRequestParams<M>, context: ServerRequestContext) => ServerRequestResult<M> | Promise<ServerRequestResult<M>>,
  ): () => void {
    const h = handler as ServerRequestHandler;
    this.serverRequestHandlers.set(method, h);
    return () => {
      if (this.serverRequestHandlers.get(method) === h) this.serverRequestHandlers.delete(method);
    };
  }

  /** Sees every message on the wire: "in" = to the server, "out" = from the server. */
  onTraffic(handler: (dir: TrafficDirection, msg: WireMessage) => void): () => void {
    this.trafficHandlers.add(handler);
    return () => this.trafficHandlers.delete(handler);
  }

  /** Problems not tied to a request: undecodable or malformed messages, throwing handlers. */
  onError(handler: (error: Error) => void): () => void {
    this.errorHandlers.add(handler);
    return () => this.errorHandlers.delete(handler);
  }

  /** Rejects pending requests with `ConnectionClosedError` and closes the transport. Idempotent. */
  close(): Promise<void> {
    if (!this.closing) {
      // Set before shutdown() so that `closed` waits for the transport (e.g. the child's exit).
      this.closing = Promise.resolve()
        .then(() => this.transport.close())
        .finally(() => this.markClosed());
      this.shutdown(new ConnectionClosedError("client closed"));
    }
    return this.closing;
  }

  private shutdown(reason: ConnectionClosedError): void {
    if (this.closeReason) return;
    this.closeReason = reason;
    this.lifetime.abort(reason);
    for (const entry of [...this.pending.values()]) entry.reject(reason);
    if (!this.closing) this.markClosed();
  }

  private send(message: WireMessage): Promise<void> {
    for (const h of this.trafficHandlers) this.guard(() => h("in", message));
    return this.transport.send(message);
  }

  private receive(value: unknown): void {
    if (typeof value === "object" && value !== null) {
      for (const h of this.trafficHandlers) this.guard(() => h("out", value as WireMessage));
    }
    const c = classify(value);
    switch (c.kind) {
      case "response":
        this.onResponse(c.message);
        return;
      case "notification":
        this.onServerNotification(c.message);
        return;
      case "request":
        void this.onServerRequestMessage(c.message);
        return;
      case "invalid": {
        const entry = c.id !== null && !(typeof value === "object" && value !== null && "method" in value) ? this.pending.get(c.id) : undefined;
        const error = new RpcError(RpcErrorCode.InvalidRequest, `invalid message from the server: ${c.reason}`, value);
        if (entry) entry.reject(error);
        else this.reportError(error);
        return;
      }
    }
  }

  private onResponse(message: ResponseMessage): void {
    const entry = message.id === null ? undefined : this.pending.get(message.id);
    if (!entry) {
      // Ids below nextId were ours and were abandoned (timeout, abort): their late answers are expected.
      const ours = typeof message.id === "number" && message.id >= 1 && message.id < this.nextId;
      if (!ours) this.reportError(new Error(`response with an unknown id: ${JSON.stringify(message).slice(0, 200)}`));
      return;
    }
    if (message.error) {
      entry.reject(new RpcError(message.error.code, message.error.message, message.error.data));
      return;
    }
    if (!this.options.validateResults || !entry.spec) {
      entry.resolve(message.result);
      return;
    }
    const parsed = entry.spec.result.safeParse(message.result);
    if (parsed.success) entry.resolve(parsed.data);
    else entry.reject(new ResultValidationError(entry.method, message.result, parsed.error.issues));
  }

  private onServerNotification(message: NotificationMessage): void {
    for (const h of this.anyNotificationHandlers) this.guard(() => h(message.method, message.params, message));
    const handlers = this.notificationHandlers.get(message.method);
    if (!handlers || handlers.size === 0) return;
    let params = message.params;
    const spec = lookup(clientTable.serverNotifications, message.method);
    if (this.options.validateInbound && spec) {
      const parsed = spec.params.safeParse(params);
      if (!parsed.success) {
        this.reportError(new Error(`${message.method}: notification params do not match the schema: ${parsed.error.message}`));
        return;
      }
      params = parsed.data;
    }
    for (const h of [...handlers]) this.guard(() => h(params, message));
  }

  private async onServerRequestMessage(message: RequestMessage): Promise<void> {
    const { id, method } = message;
    const respond = (body: { result: unknown } | { error: RpcError }): Promise<void> =>
      this.closeReason
        ? Promise.resolve()
        : this.send("result" in body ? { id, result: body.result } : { id, error: body.error.toJSON() }).catch((err: unknown) =>
            this.reportError(new Error(`could not answer server request ${method} (id ${id}): ${asError(err).message}`)),
          );
    const handler = this.serverRequestHandlers.get(method);
    if (!handler) return respond({ error: RpcError.methodNotFound(method) });
    let params = message.params;
    const spec = lookup<RequestSpec>(clientTable.serverRequests, method);
    if (this.options.validateInbound && spec) {
      const parsed = spec.params.safeParse(params);
      if (!parsed.success) return respond({ error: RpcError.invalidParams(`Invalid params for ${method}`, parsed.error.issues) });
      params = parsed.data;
    }
    try {
      const result = await handler(params, { id, method, signal: this.lifetime.signal });
      return respond({ result: result ?? null });
    } catch (err) {
      return respond({ error: err instanceof RpcError ? err : RpcError.internal(asError(err).message) });
    }
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.reportError(asError(err));
    }
  }

  private reportError(error: Error): void {
    if (this.errorHandlers.size === 0) {
      process.emitWarning(error.message, { code: "GATEHOUSE_CLIENT" });
      return;
    }
    for (const h of this.errorHandlers) {
      try {
        h(error);
      } catch (err) {
        process.emitWarning(asError(err).message, { code: "GATEHOUSE_CLIENT" });
      }
    }
  }
}
