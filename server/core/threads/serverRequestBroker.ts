// Server requests toward a thread's clients (approvals, network prompts, request_user_input, dynamic
// tool calls), and the lifecycle that always resolves them, so that no turn waits on a request nobody
// will answer. One request goes to one subscribed client at a time; it resolves on:
//   - the client's answer (any result: the caller reads it; an error response is "failed");
//   - the turn's abort (turn/interrupt, shutdown, the end of the disconnect grace) → "aborted";
//   - the optional timeout, which keeps running while the request is parked      → "timedOut".
// When the asked client's connection closes, the request goes to another live subscriber under a new
// id; with none left it is parked, not resolved: the first client that subscribes afterwards (a
// reconnect's thread/resume) gets it again under a new id on its connection, after its thread/resume
// answer. ThreadManager bounds the wait: a thread left without subscribers keeps its turn
// for `disconnect_grace_ms`, then interrupts it, which aborts every parked request. "disconnected" is
// left for a thread that cannot gain subscribers (no `onSubscribe`).
// While at least one request of a thread is pending the thread is `active` with `waitingOnApproval` (by default);
// every resolution is followed by `serverRequest/resolved {threadId, requestId}` to the client asked
// last (the closed connection of an abandoned request hears nothing). The first answer wins; a late
// answer (after abort, timeout or a resend) lands on a settled promise and changes nothing.
// The same lifecycle serves the tools' server requests (request_user_input: `waitingOnUserInput`;
// a dynamic tool call: no flag and, as 0.169 does [obs], no serverRequest/resolved), hence AskOptions.
import type { ThreadActiveFlag } from "../../../protocol/v2/index.js";
import type { Logger } from "../../log.js";
import { answeredOutcome, NO_METRICS, type DaemonMetrics } from "../metrics/daemonMetrics.js";
import { ServerRequestAbandoned, type ServerRequestThread, type ClientSink } from "../ports.js";

export type BrokerResult =
  | { readonly kind: "answered"; readonly result: unknown }
  | { readonly kind: "failed"; readonly message: string }
  | { readonly kind: "aborted" }
  | { readonly kind: "disconnected" }
  | { readonly kind: "timedOut"; readonly timeoutMs: number };

export interface BrokerOptions {
  readonly log: Logger;
  /** Null: wait for ever (the turn can still be interrupted). */
  readonly timeoutMs: () => number | null;
  /** Counts each request while pending and how it settled. */
  readonly metrics?: DaemonMetrics;
}

export interface AskOptions {
  /** The thread status flag while pending; null sets none. Default `waitingOnApproval`. */
  readonly waitingFlag?: ThreadActiveFlag | null;
  /** Whether each resolution is announced with serverRequest/resolved. Default true. */
  readonly announceResolved?: boolean;
}

export class ServerRequestBroker {
  private readonly pending = new Map<ThreadActiveFlag, WeakMap<ServerRequestThread, number>>();

  constructor(private readonly options: BrokerOptions) {}

  async ask(thread: ServerRequestThread, method: string, params: unknown, signal: AbortSignal, askOptions: AskOptions = {}): Promise<BrokerResult> {
    if (signal.aborted) return { kind: "aborted" };
    const metrics = this.options.metrics ?? NO_METRICS;
    metrics.serverRequestAsked(method);
    const result = await this.askClients(thread, method, params, signal, askOptions).catch((error: unknown) => {
      metrics.serverRequestSettled(method, "failed");
      throw error;
    });
    metrics.serverRequestSettled(method, result.kind === "answered" ? answeredOutcome(result.result) : result.kind);
    return result;
  }

  private async askClients(thread: ServerRequestThread, method: string, params: unknown, signal: AbortSignal, askOptions: AskOptions): Promise<BrokerResult> {
    const flag = askOptions.waitingFlag === undefined ? "waitingOnApproval" : askOptions.waitingFlag;
    const announce = askOptions.announceResolved ?? true;
    if (flag) this.enter(thread, flag);
    const timeoutMs = this.options.timeoutMs();
    const deadline = timeoutMs === null ? null : Date.now() + timeoutMs;
    const tried = new Set<ClientSink>();
    try {
      for (;;) {
        const client = [...thread.subscribers].find((c) => !c.closed && !tried.has(c));
        if (!client) {
          const parked = await this.park(thread, method, signal, deadline);
          if (parked === "subscribed") continue;
          if (parked === "timedOut") return { kind: "timedOut", timeoutMs: timeoutMs ?? 0 };
          return { kind: parked };
        }
        tried.add(client);
        let requestId: number | string | null = null;
        const remaining = deadline === null ? undefined : Math.max(1, deadline - Date.now());
        try {
          const result = await client.request(method, params, {
            signal,
            ...(remaining !== undefined ? { timeoutMs: remaining } : {}),
            onSent: (id) => (requestId = id),
          });
          if (announce) this.resolved(thread, client, requestId);
          return { kind: "answered", result };
        } catch (error) {
          if (announce) this.resolved(thread, client, requestId);
          if (signal.aborted) return { kind: "aborted" };
          if (error instanceof ServerRequestAbandoned) {
            if (client.closed) {
              this.options.log.info({ threadId: thread.id, method }, "approval client disconnected; asking another subscriber or waiting for one");
              continue;
            }
            if (deadline !== null && Date.now() >= deadline - 1) return { kind: "timedOut", timeoutMs: timeoutMs ?? 0 };
            return { kind: "failed", message: error.message };
          }
          // A JSON-RPC error response from the client.
          return { kind: "failed", message: error instanceof Error ? error.message : String(error) };
        }
      }
    } finally {
      if (flag) this.leave(thread, flag);
    }
  }

  /** Waits for a client to subscribe to the thread, the abort, or the deadline. */
  private park(
    thread: ServerRequestThread,
    method: string,
    signal: AbortSignal,
    deadline: number | null,
  ): Promise<"subscribed" | "aborted" | "timedOut" | "disconnected"> {
    if (signal.aborted) return Promise.resolve("aborted");
    if (!thread.onSubscribe) return Promise.resolve("disconnected");
    if (deadline !== null && Date.now() >= deadline) return Promise.resolve("timedOut");
    this.options.log.info({ threadId: thread.id, method }, "no subscribed client; request parked until one subscribes");
    const subscribe = thread.onSubscribe.bind(thread);
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (why: "subscribed" | "aborted" | "timedOut"): void => {
        off();
        signal.removeEventListener("abort", onAbort);
        if (timer) clearTimeout(timer);
        resolve(why);
      };
      const onAbort = (): void => done("aborted");
      const off = subscribe(() => done("subscribed"));
      signal.addEventListener("abort", onAbort);
      if (deadline !== null) timer = setTimeout(() => done("timedOut"), Math.max(0, deadline - Date.now()));
    });
  }

  private resolved(thread: ServerRequestThread, client: ClientSink, requestId: number | string | null): void {
    if (requestId === null || client.closed) return;
    client.notify("serverRequest/resolved", { threadId: thread.id, requestId });
  }

  private counts(flag: ThreadActiveFlag): WeakMap<ServerRequestThread, number> {
    let map = this.pending.get(flag);
    if (!map) this.pending.set(flag, (map = new WeakMap()));
    return map;
  }

  private enter(thread: ServerRequestThread, flag: ThreadActiveFlag): void {
    const counts = this.counts(flag);
    const n = (counts.get(thread) ?? 0) + 1;
    counts.set(thread, n);
    if (n === 1) this.setWaiting(thread, flag, true);
  }

  private leave(thread: ServerRequestThread, flag: ThreadActiveFlag): void {
    const counts = this.counts(flag);
    const n = Math.max(0, (counts.get(thread) ?? 1) - 1);
    counts.set(thread, n);
    if (n === 0) this.setWaiting(thread, flag, false);
  }

  /** Only touches an `active` status: a turn that already ended owns the status now. */
  private setWaiting(thread: ServerRequestThread, flag: ThreadActiveFlag, waiting: boolean): void {
    const status = thread.status;
    if (status.type !== "active") return;
    const others = status.activeFlags.filter((f) => f !== flag);
    thread.setStatus({ type: "active", activeFlags: waiting ? [...others, flag] : others });
  }
}
