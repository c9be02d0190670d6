// Watching one path the way 0.169's fs/watch does (observed): not recursive; a folder reports its
// direct children and itself; a file reports itself, also when an editor replaces it by rename; a
// path that does not exist yet is reported once it appears, however many of its parents are missing;
// a folder deleted and created again is followed. Paths are reported under the spelling the client
// gave (a watch on a symlink reports `link/child`, not the target).
//
// Built on node's fs.watch (inotify on Linux, FSEvents on macOS, ReadDirectoryChangesW on Windows),
// which is enough because nothing here is recursive; chokidar would add a dependency for features
// (recursion, polling, globbing) the protocol does not have.
//
// How: the nearest existing ancestor is always watched (the parent, once it exists), filtered to the
// one name on the way to the target; the target is watched too when it is a folder. Whenever the
// shape may have changed (the target or a parent appeared or vanished, a watcher errored) the set of
// watchers is rebuilt. Events are coalesced, never dropped: changed paths accumulate in a set and are
// flushed as one sorted list `windowMs` after the first of a burst (0.169 batches the same way, ~200 ms).
import { watch, type FSWatcher } from "node:fs";
import { lstat, stat } from "node:fs/promises";
import path from "node:path";

export interface PathWatcherOptions {
  /** Coalescing window after the first event of a burst. */
  readonly windowMs?: number;
  readonly onError?: (err: unknown) => void;
}

export const DEFAULT_WINDOW_MS = 200;

async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch {
    return false;
  }
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

export class PathWatcher {
  private watchers: FSWatcher[] = [];
  private pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Serializes rebuilds; a rebuild requested while one runs runs once more afterwards. */
  private rebuilding: Promise<void> | null = null;
  private rebuildAgain = false;
  private readonly windowMs: number;

  private constructor(
    readonly target: string,
    private readonly onChange: (paths: string[]) => void,
    private readonly options: PathWatcherOptions,
  ) {
    this.windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
  }

  /** Resolves once the watchers are in place, so changes made after it are seen; rejects if none can be. */
  static async start(target: string, onChange: (paths: string[]) => void, options: PathWatcherOptions = {}): Promise<PathWatcher> {
    const w = new PathWatcher(path.normalize(target), onChange, options);
    await w.arm();
    return w;
  }

  /** How many OS watches this holds (for tests and diagnostics). */
  get handles(): number {
    return this.watchers.length;
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
    this.disarm();
  }

  private disarm(): void {
    for (const w of this.watchers.splice(0)) w.close();
  }

  private report(p: string): void {
    if (this.closed) return;
    this.pending.add(p);
    this.timer ??= setTimeout(() => this.flush(), this.windowMs);
  }

  private flush(): void {
    this.timer = undefined;
    if (this.closed || this.pending.size === 0) return;
    const paths = [...this.pending].sort();
    this.pending.clear();
    this.onChange(paths);
  }

  private rebuild(): void {
    if (this.closed) return;
    if (this.rebuilding) {
      this.rebuildAgain = true;
      return;
    }
    this.rebuilding = this.arm()
      .catch((err: unknown) => this.options.onError?.(err))
      .finally(() => {
        this.rebuilding = null;
        if (this.rebuildAgain) {
          this.rebuildAgain = false;
          this.rebuild();
        }
      });
  }

  private open(dir: string, listener: (name: string | null) => void): void {
    const w = watch(dir, { persistent: false }, (_event, name) => listener(name === null ? null : String(name)));
    w.on("error", () => this.rebuild());
    this.watchers.push(w);
  }

  /** Whether the target existed at the last (re)build; a change between builds is reported. */
  private existed: boolean | undefined;

  private async arm(): Promise<void> {
    // A folder can vanish between finding it and watching it; look for the anchor again then.
    for (let attempt = 0; ; attempt++) {
      try {
        await this.armOnce();
        break;
      } catch (err) {
        this.disarm();
        if ((err as NodeJS.ErrnoException).code !== "ENOENT" || attempt >= 5) throw err;
      }
    }
    const now = await exists(this.target);
    if (this.existed !== undefined && now !== this.existed) this.report(this.target);
    this.existed = now;
  }

  private async armOnce(): Promise<void> {
    this.disarm();
    const target = this.target;
    const parent = path.dirname(target);

    // The nearest existing ancestor of the parent, and the child name that leads toward the target.
    let anchor = parent;
    let toward = path.basename(target);
    while (!(await exists(anchor)) && path.dirname(anchor) !== anchor) {
      toward = path.basename(anchor);
      anchor = path.dirname(anchor);
    }
    if (this.closed) return;

    if (anchor === parent && parent !== target) {
      const name = path.basename(target);
      this.open(parent, (n) => {
        if (n === name) {
          this.report(target);
          this.rebuild();
        } else if (n === path.basename(parent)) {
          // The parent itself changed (libuv names a self event after the watched folder): maybe gone.
          this.rebuild();
        }
      });
    } else if (parent !== target) {
      this.open(anchor, (n) => {
        if (n === toward || n === path.basename(anchor)) this.rebuild();
      });
      return;
    }

    if (await isDirectory(target)) {
      if (this.closed) return;
      const self = path.basename(target);
      this.open(target, (n) => {
        if (n === null) return this.report(target);
        const child = path.join(target, n);
        // A self event (touch, chmod of the folder) carries the folder's own name; a child of that name
        // would carry it too, so ask the file system which one it is.
        if (n === self) {
          void exists(child).then((is) => this.report(is ? child : target));
          return;
        }
        this.report(child);
      });
    }
  }
}
