// Cuts a long synchronous loop into slices with a turn of the event loop between them, so the
// daemon keeps answering other requests while a search walks or filters a big tree.

/** Longest stretch of synchronous work before the event loop gets a turn. */
export const SLICE_MS = 4;

/** Resolves after other pending I/O callbacks and timers have run. */
const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Use: `if (slicer.due(Date.now()) && !(await slicer.pause())) stop;` once per step. The check is
 * a plain comparison, since awaiting at every step costs a microtask turn each; the caller passes
 * the clock so a step that reads it anyway (the walk's racy check) reads it once.
 */
export class Slicer {
  private start = Date.now();
  constructor(private readonly signal: AbortSignal | undefined) {}

  due(now: number): boolean {
    return now - this.start >= SLICE_MS;
  }

  /** Gives the event loop a turn; false once the search was cancelled (which only such a turn can do). */
  async pause(): Promise<boolean> {
    await yieldToLoop();
    this.start = Date.now();
    return !this.signal?.aborted;
  }
}
