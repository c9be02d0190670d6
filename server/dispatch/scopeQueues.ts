// Per-key serialization (scopes declared in the method tables): requests whose table row yields the same scope key run
// one after another in arrival order; different keys, and rows without a scope, run concurrently.
// The queues are process-wide because a thread is shared by every connection subscribed to it.
export class ScopeQueues {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string | null, task: () => Promise<T>): Promise<T> {
    if (key === null) return task();
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  get activeKeys(): number {
    return this.tails.size;
  }
}
