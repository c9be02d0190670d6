// A thread's login-shell snapshot, held between commands: its own module, apart from the capture
// (shellSnapshot.ts), because a loaded thread owns one from the start and the capture's process
// code loads only when a snapshot is first taken.
import type { ShellSnapshot } from "./shellSnapshot.js";

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
