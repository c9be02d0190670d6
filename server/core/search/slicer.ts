// Runs a long synchronous job in slices with a turn of the event loop between them, so the daemon
// keeps answering other requests while a search walks or filters a big tree.
//
// Why the work is a plain function called per slice rather than a loop that awaits now and then:
// V8 does not optimise a loop inside an async function while it runs, so the work per folder or per
// path would stay in the interpreter for a whole first search; a plain function is optimised as
// soon as it is hot.

/** Longest stretch of synchronous work before the event loop gets a turn. */
export const SLICE_MS = 4;

/** Resolves after other pending I/O callbacks and timers have run. */
export const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Calls `step(until)` until it answers false (done); `step` does at least one unit of work, goes
 * on while `Date.now() < until`, and answers true if work is left. Resolves false once `signal` is
 * aborted (which only a turn of the event loop can do), true when done.
 */
export async function sliced(signal: AbortSignal | undefined, step: (until: number) => boolean, sliceMs = SLICE_MS): Promise<boolean> {
  if (signal?.aborted) return false;
  while (step(Date.now() + sliceMs)) {
    await yieldToLoop();
    if (signal?.aborted) return false;
  }
  return true;
}
