// Typed-by-table notifications and server→client requests toward one client. Notifications the
// client opted out of (initialize's optOutNotificationMethods) are dropped here; every notification
// carries `emittedAtMs` beside `params`, as 0.169 sends it.
import type { MessageConnection } from "vscode-jsonrpc/node";
import { ServerRequestAbandoned, type ClientSink, type ServerRequestOptions, type Session } from "../core/ports.js";
import type { Logger } from "../log.js";

type SentState = { readonly state: "pending" } | { readonly state: "abandoned"; readonly reason: string } | { readonly state: "answered" };

interface Sent {
  readonly method: string;
  /** The thread the request was about (approval requests carry one), for the warning. */
  readonly threadId: string | null;
  status: SentState;
}

/** Settled requests remembered per connection so that a late or repeated answer is recognised. */
const SETTLED_KEPT = 256;

export class ClientChannel implements ClientSink {
  private isClosed = false;
  private readonly closeListeners: Array<() => void> = [];
  private readonly pending = new Set<(reason: string) => void>();
  /** Mirrors vscode-jsonrpc's per-connection request counter (it does not expose the id it assigns);
   * every server→client request on this connection goes through `request`, so the two stay equal. */
  private nextRequestId = 0;
  /** Every server→client request by the id it went out with; settled ones are kept (bounded) because
   * vscode-jsonrpc silently drops an answer it no longer waits for and the client must hear of it. */
  private readonly sent = new Map<number | string, Sent>();
  private settledCount = 0;

  constructor(
    readonly session: Session,
    private readonly connection: MessageConnection,
    private readonly writeRaw: (msg: object) => void,
    private readonly log: Logger,
  ) {}

  get closed(): boolean {
    return this.isClosed;
  }

  notify(method: string, params: unknown): void {
    if (this.isClosed || this.session.optOutNotificationMethods.has(method)) return;
    this.writeRaw({ jsonrpc: "2.0", method, params, emittedAtMs: Date.now() });
  }

  /**
   * A server→client request as a promise keyed by id (vscode-jsonrpc assigns integer ids from 0 per
   * connection, as the reference does). Abort, timeout and disconnect reject it locally; no
   * `$/cancelRequest` is sent because the app-server protocol has none.
   */
  request(method: string, params: unknown, options: ServerRequestOptions = {}): Promise<unknown> {
    if (this.isClosed) return Promise.reject(new ServerRequestAbandoned(method, "the connection is closed"));
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const settle = (): void => {
        if (timer) clearTimeout(timer);
        options.signal?.removeEventListener("abort", onAbort);
        this.pending.delete(abandon);
      };
      const entry: Sent = { method, threadId: threadIdOf(params), status: { state: "pending" } };
      let sent = false;
      const abandon = (reason: string): void => {
        settle();
        if (sent) this.settle(entry, { state: "abandoned", reason });
        reject(new ServerRequestAbandoned(method, reason));
      };
      const onAbort = (): void => abandon("it was cancelled");
      if (options.signal?.aborted) return abandon("it was cancelled");
      options.signal?.addEventListener("abort", onAbort, { once: true });
      if (options.timeoutMs) timer = setTimeout(() => abandon(`no answer within ${options.timeoutMs} ms`), options.timeoutMs);
      this.pending.add(abandon);
      const id = this.nextRequestId++;
      this.sent.set(id, entry);
      sent = true;
      options.onSent?.(id);
      const answered = (): void => {
        settle();
        if (entry.status.state === "pending") this.settle(entry, { state: "answered" });
      };
      this.connection.sendRequest(method, params).then(
        (value) => {
          answered();
          resolve(value);
        },
        (error: unknown) => {
          answered();
          reject(error);
        },
      );
    });
  }

  /**
   * Sees every response the client sends before vscode-jsonrpc does. Returns whether to pass it on:
   * an answer to a request still awaited, or to one given up locally (vscode-jsonrpc still holds its
   * slot and must release it). A late, repeated or unmatched answer changes nothing; it is logged
   * and the client gets a `warning`, since a JSON-RPC response cannot itself be refused.
   */
  observeResponse(id: number | string | null): boolean {
    const entry = id === null ? undefined : this.sent.get(id);
    if (entry === undefined) {
      this.warnClient(null, `an answer to server request id ${JSON.stringify(id)} was ignored: no such request is pending`, { id });
      return false;
    }
    const { status } = entry;
    this.settle(entry, { state: "answered" });
    if (status.state === "pending") return true;
    const why = status.state === "abandoned" ? `it was already resolved (${status.reason})` : "it was already answered";
    this.warnClient(entry.threadId, `a late or duplicate answer to ${entry.method} (id ${JSON.stringify(id)}) was ignored: ${why}`, {
      id,
      method: entry.method,
      state: status.state,
    });
    return status.state === "abandoned";
  }

  private settle(entry: Sent, status: SentState): void {
    if (entry.status.state === "pending") this.settledCount++;
    entry.status = status;
    // Map order is sending order: the oldest settled requests go first.
    for (const [id, e] of this.sent) {
      if (this.settledCount <= SETTLED_KEPT) break;
      if (e.status.state === "pending") continue;
      this.sent.delete(id);
      this.settledCount--;
    }
  }

  private warnClient(threadId: string | null, message: string, fields: Record<string, unknown>): void {
    this.log.warn(fields, message);
    this.notify("warning", { threadId, message });
  }

  onClose(listener: () => void): void {
    if (this.isClosed) listener();
    else this.closeListeners.push(listener);
  }

  /** The client can no longer answer (its input ended): pending server requests give up now. */
  abandonPending(reason: string): void {
    for (const abandon of [...this.pending]) abandon(reason);
  }

  /** Called once by the connection: pending server requests are cancelled, then listeners run. */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const abandon of [...this.pending]) abandon("the connection closed");
    for (const l of this.closeListeners.splice(0)) {
      try {
        l();
      } catch (error) {
        this.log.error({ err: error }, "close listener failed");
      }
    }
  }
}

function threadIdOf(params: unknown): string | null {
  const t = typeof params === "object" && params !== null ? (params as { threadId?: unknown }).threadId : undefined;
  return typeof t === "string" ? t : null;
}
