// The disconnect grace period: when the connection of a thread's last subscriber closes
// while a turn runs, the thread stays loaded, its turn running and its server requests parked (the
// approval broker re-sends them to the next subscriber), for `disconnect_grace_ms`. A client that
// subscribes meanwhile cancels the period; when it ends with nobody subscribed, ThreadManager unloads
// the thread (interrupt, then thread/closed). An explicit thread/unsubscribe never starts one.
//
// Invariant: at most one timer per thread; timers never keep the daemon alive (unref), and shutdown
// clears them all (the unload of every thread interrupts what they were waiting for).
export class DisconnectGrace {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  /** Starts (or restarts) the period of `threadId`; `expire` runs at its end unless `cancel` comes first. */
  start(threadId: string, ms: number, expire: () => void): void {
    this.cancel(threadId);
    const timer = setTimeout(() => {
      if (this.timers.get(threadId) !== timer) return;
      this.timers.delete(threadId);
      expire();
    }, ms);
    timer.unref();
    this.timers.set(threadId, timer);
  }

  cancel(threadId: string): void {
    const timer = this.timers.get(threadId);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.timers.delete(threadId);
  }

  clear(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
