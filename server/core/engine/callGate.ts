// Not Promise.all over the calls: 0.169 runs a tool without parallel support alone, behind a fair
// RwLock, so the calls around it keep their order.

/**
 * A fair read/write gate for one response's calls: shared entries run together, an exclusive one
 * waits for everything before it and holds back everything after it. Entries are granted in the
 * order they were asked for (call order), as tokio's fair RwLock grants 0.169's.
 */
export class CallGate {
  private shared = 0;
  private exclusive = false;
  private readonly queue: { exclusive: boolean; grant: () => void }[] = [];

  enter(exclusive: boolean): Promise<() => void> {
    return new Promise((resolve) => {
      this.queue.push({ exclusive, grant: () => resolve(() => this.leave(exclusive)) });
      this.pump();
    });
  }

  private leave(exclusive: boolean): void {
    if (exclusive) this.exclusive = false;
    else this.shared--;
    this.pump();
  }

  private pump(): void {
    for (;;) {
      const next = this.queue[0];
      if (!next || this.exclusive || (next.exclusive && this.shared > 0)) return;
      this.queue.shift();
      if (next.exclusive) this.exclusive = true;
      else this.shared++;
      next.grant();
    }
  }
}
