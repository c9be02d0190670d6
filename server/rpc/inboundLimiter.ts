// Bounded intake. vscode-jsonrpc queues every incoming message without limit, so the admission
// decision is made here, before it sees them: a request beyond `limit` in-flight requests is answered
// -32001 "Server overloaded; retry later." at once. Responses and notifications are never refused
// (dropping a response would strand a server→client request).
import type { RequestId } from "../../protocol/jsonrpc.js";

export class InboundLimiter {
  private inFlight = 0;
  private readonly admitted = new Map<string, number>();
  private idleWaiters: (() => void)[] = [];

  constructor(readonly limit: number) {}

  get size(): number {
    return this.inFlight;
  }

  tryAdmit(id: RequestId): boolean {
    if (this.inFlight >= this.limit) return false;
    const key = JSON.stringify(id);
    this.admitted.set(key, (this.admitted.get(key) ?? 0) + 1);
    this.inFlight++;
    return true;
  }

  /** Called when a response for `id` leaves; ignores ids it never admitted (e.g. overload answers). */
  release(id: RequestId | null): void {
    if (id === null) return;
    const key = JSON.stringify(id);
    const n = this.admitted.get(key);
    if (!n) return;
    if (n === 1) this.admitted.delete(key);
    else this.admitted.set(key, n - 1);
    this.inFlight--;
    if (this.inFlight === 0) for (const w of this.idleWaiters.splice(0)) w();
  }

  /** Resolves once no admitted request is waiting for its response. */
  whenIdle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
