// A thread's login-shell snapshot, held between commands: its own module, apart from the capture
// (shellSnapshot.ts), because a loaded thread owns one from the start and the capture's process
// code loads only when a snapshot is first taken.
import type { ShellSnapshot } from "./shellSnapshot.js";

/**
 * How long a command waits for a capture in flight before it logs in itself. 0.169 never waits: a
 * command that comes while the capture runs logs in, so in a thread's first second both run the
 * profile at once and slow each other down (a profile that costs 107 ms alone, pyenv and cargo, took
 * 140-170 ms per command and held the capture back past a second command in the network-denied
 * conformance scenario). The capture has a head start on any login the command would begin, so waiting
 * for it costs less; the cap bounds what a capture stuck on something only its sandbox does can cost.
 */
export const SNAPSHOT_WAIT_MS = 1_000;

export interface Capture {
  /** Inputs that decide the result; a different key means the snapshot is stale. */
  readonly key: string;
  run(signal: AbortSignal): Promise<ShellSnapshot | null>;
}

/**
 * One thread's snapshot: captured once, again when the environment it started from changes
 * (config.toml's shell_environment_policy was edited), never twice at the same time.
 */
export class ShellSnapshotSlot {
  private key: string | null = null;
  private pending: Promise<ShellSnapshot | null> | null = null;
  private ready: ShellSnapshot | null = null;
  private readonly abort = new AbortController();

  /** `plan` answers null when snapshots are off (`[features] shell_snapshot = false`). */
  constructor(private readonly plan: () => Capture | null) {}

  /** The snapshot if captured for the current inputs; starts (or restarts) the capture otherwise. */
  peek(): ShellSnapshot | null {
    const capture = this.abort.signal.aborted ? null : this.plan();
    if (capture === null) return null;
    if (this.key !== capture.key) {
      this.key = capture.key;
      this.ready = null;
      const run = capture.run(this.abort.signal).then((s) => {
        if (this.pending === run) this.ready = s;
        return s;
      });
      this.pending = run;
    }
    return this.ready;
  }

  /**
   * The snapshot, waiting up to `maxWaitMs` for a capture in flight (started if needed); null when
   * snapshots are off, the capture failed, or it is still running when the wait ends or `signal` aborts.
   */
  async whenReady(maxWaitMs: number = SNAPSHOT_WAIT_MS, signal?: AbortSignal): Promise<ShellSnapshot | null> {
    const ready = this.peek();
    const pending = this.pending;
    if (ready !== null || pending === null || this.abort.signal.aborted || signal?.aborted) return ready;
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const waited = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), maxWaitMs);
      onAbort = () => resolve(null);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
    try {
      const snapshot = await Promise.race([pending.catch(() => null), waited]);
      // A capture superseded while we waited (its inputs changed) does not answer for the new ones.
      return this.pending === pending ? snapshot : null;
    } finally {
      clearTimeout(timer);
      if (onAbort) signal?.removeEventListener("abort", onAbort);
    }
  }

  /** The snapshot once the capture in flight (started if needed) has ended; for tests. */
  async settled(): Promise<ShellSnapshot | null> {
    this.peek();
    return (await this.pending) ?? null;
  }

  /** Kills a capture in flight (thread unload, daemon shutdown). */
  close(): void {
    this.abort.abort();
  }
}
