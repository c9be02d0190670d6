// method → table row → zod validation → gates → scope queue → handler.
// The order mirrors the reference, which deserializes the whole request before it checks the
// initialize gate: an unknown method or malformed params are reported as such even before
// `initialize`, and only a well-formed request meets "Not initialized".
import type { ZodType } from "zod";
import { NoParams, type RequestHead } from "../../protocol/define.js";
import { RpcError, RpcErrorCode } from "../../protocol/errors.js";
import { NO_METRICS, type DaemonMetrics } from "../core/metrics/daemonMetrics.js";
import type { RequestContext } from "../core/ports.js";
import type { ClientRequestMethod, HandlerMap } from "../handlers/handlerMap.js";
import { loadedRequestTable, loadRequestTable, preloadRequestTable, type RequestRows } from "../handlers/lazyTable.js";
import type { ScopeQueues } from "./scopeQueues.js";

/** How long after `initialized` a client counts as idle (see Dispatcher.initialized). */
const IDLE_AFTER_HANDSHAKE_MS = 100;

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** What the App prepares when a client finishes its handshake (`initialized`). */
export interface HandshakeHooks {
  /** At once: only what the client's first request will wait for anyway, and little of it. */
  readonly handshake?: () => void;
  /** When the client is idle after its handshake (IDLE_AFTER_HANDSHAKE_MS): what it will likely need later. */
  readonly idle?: () => void;
}

export class Dispatcher {
  constructor(
    private readonly handlers: HandlerMap,
    private readonly scopes: ScopeQueues,
    private readonly metrics: DaemonMetrics = NO_METRICS,
    private readonly hooks: HandshakeHooks = {},
  ) {}

  private accepting = true;

  /**
   * The daemon's shutdown has begun (App.close): every later request is refused, so nothing new
   * (a thread, a turn, a command) starts while the running work is being ended and flushed.
   */
  stopAccepting(): void {
    this.accepting = false;
  }

  /** Requests still waiting for their rows (see handleRequest); a later request waits behind them. */
  private waitingForRows = 0;
  private rowsQueue: Promise<unknown> = Promise.resolve();

  /**
   * The client finished its handshake. A moment later the thread and turn heads load (handlers/lazyTable.ts) and
   * the App's warm-up runs: a client that opens a thread later finds them ready, and one that sends its
   * first request at once pays only for that request's own code, not for the rest as well (module
   * evaluation holds the event loop).
   */
  initialized(): void {
    const { handshake, idle } = this.hooks;
    if (handshake) setImmediate(handshake);
    setTimeout(() => {
      preloadRequestTable();
      idle?.();
    }, IDLE_AFTER_HANDSHAKE_MS).unref();
  }

  /** Routes one request and counts it: by method (unknown ones as "unknown") and outcome. */
  async handleRequest(method: string, rawParams: unknown, ctx: RequestContext): Promise<unknown> {
    const started = performance.now();
    try {
      if (!this.accepting) throw RpcError.shuttingDown();
      const result = await this.route(method, rawParams, ctx);
      this.metrics.requestFinished(method, "ok", (performance.now() - started) / 1000);
      return result;
    } catch (error) {
      const unknown = error instanceof RpcError && error.code === RpcErrorCode.MethodNotFound;
      this.metrics.requestFinished(unknown ? "unknown" : method, ctx.signal.aborted ? "cancelled" : "error", (performance.now() - started) / 1000);
      throw error;
    }
  }

  private async route(method: string, rawParams: unknown, ctx: RequestContext): Promise<unknown> {
    const rows = this.waitingForRows === 0 ? loadedRequestTable(method) : undefined;
    if (rows) return this.dispatch(rows, method, rawParams, ctx);
    // Wait in line behind every request still waiting for its rows, and enter the scope queue
    // before letting the next one go: requests reach their queues in arrival order even while
    // their modules load (once loaded there is no await before the queue at all).
    this.waitingForRows++;
    const entered = this.rowsQueue.then(async () => {
      try {
        const loaded = loadedRequestTable(method) ?? (await loadRequestTable(method));
        const answer = this.dispatch(loaded, method, rawParams, ctx);
        // Handled by the caller, which awaits it as soon as this line settles.
        answer.catch(() => undefined);
        return { answer };
      } finally {
        this.waitingForRows--;
      }
    });
    this.rowsQueue = entered.catch(() => undefined);
    return (await entered).answer;
  }

  /** Validation, gates and the scope queue; runs synchronously up to the queue. */
  private async dispatch(rows: RequestRows, method: string, rawParams: unknown, ctx: RequestContext): Promise<unknown> {
    if (!hasOwn(rows, method)) throw RpcError.methodNotFound(method);
    const m = method as ClientRequestMethod;
    const spec = rows[m] as RequestHead;
    const params = parseParams(spec.params, rawParams);
    const session = ctx.client.session;
    if (m === "initialize") {
      if (session.initialized) throw RpcError.invalidRequest("Already initialized");
    } else if (!session.initialized) {
      throw RpcError.invalidRequest("Not initialized");
    }
    if (spec.experimental && !session.experimentalApi) {
      throw RpcError.invalidRequest(`${method} is experimental: set capabilities.experimentalApi = true in initialize to use it`);
    }
    // Marked before the handler runs so that a second initialize racing the first is refused.
    if (m === "initialize") session.initialized = true;
    const scope = spec.scope ? spec.scope(params) : null;
    const handler = this.handlers[m] as (p: unknown, c: RequestContext) => unknown;
    let result: unknown;
    try {
      result = await this.scopes.run(scope, async () => handler(params, ctx));
    } catch (error) {
      if (m === "initialize") session.initialized = false;
      throw error;
    }
    // vscode-jsonrpc turns `undefined` into `null`; every result on this wire is an object.
    return result === undefined ? {} : result;
  }
}

function parseParams(schema: ZodType, raw: unknown): unknown {
  // Methods whose params are `null` in the reference accept a missing, null or empty-object params.
  if (schema === NoParams) return undefined;
  const parsed = schema.safeParse(raw === undefined || raw === null ? {} : raw);
  if (!parsed.success) throw RpcError.fromZodError(parsed.error);
  return parsed.data;
}
