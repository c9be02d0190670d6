// Typed-by-table notifications and server→client requests toward one client. Notifications the
// client opted out of (initialize's optOutNotificationMethods) are dropped here; every notification
// carries `emittedAtMs` beside `params`, as 0.169 sends it.
import type { MessageConnection } from "vscode-jsonrpc/node";
import { ServerRequestAbandoned, type ClientSink, type ServerRequestOptions, type Session } from "../core/ports.js";
import type { Logger } from "../log.js";

export class ClientChannel implements ClientSink {
  private isClosed = false;
  private readonly closeListeners: Array<() => void> = [];
  private readonly pending = new Set<(reason: string) => void>();
  /** Mirrors vscode-jsonrpc's per-connection request counter (it does not expose the id it assigns);
   * every server→client request on this connection goes through `request`, so the two stay equal. */
  private nextRequestId = 0;

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
      const abandon = (reason: string): void => {
        settle();
        reject(new ServerRequestAbandoned(method, reason));
      };
      const onAbort = (): void => abandon("it was cancelled");
      if (options.signal?.aborted) return abandon("it was cancelled");
      options.signal?.addEventListener("abort", onAbort, { once: true });
      if (options.timeoutMs) timer = setTimeout(() => abandon(`no answer within ${options.timeoutMs} ms`), options.timeoutMs);
      this.pending.add(abandon);
      options.onSent?.(this.nextRequestId++);
      this.connection.sendRequest(method, params).then(
        (value) => {
          settle();
          resolve(value);
        },
        (error: unknown) => {
          settle();
          reject(error);
        },
      );
    });
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
