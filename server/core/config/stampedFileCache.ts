// What was derived from a config file (parsed, validated, versioned), kept between requests and
// revalidated before every reuse.
//
// Why a cache: config/read used to read, parse (smol-toml) and validate (zod) every file on every
// call, which was most of its cost; a stat per file is a small fraction of that.
//
// Why it is never stale: every get() stats the file and compares the full stamp (device, inode,
// size, mtime, ctime) with the one taken just before the cached read. Editing in place changes
// mtime and ctime, replacing the file (an atomic rename) changes the inode, chmod changes ctime, so
// any writer, the daemon or another program, changes the stamp. Timestamps are coarse (a jiffy on
// Linux, seconds on some file systems), so a second change within the tick of the first would leave
// the stamp equal: a stamp less than RACY_MS older than the moment it was taken is not trusted, and
// the file is read again next time (git's "racily clean" rule, as in search/rootIndex.ts). An absent
// file has no timestamps to be racy about: the stat itself says it is absent. A failed read is never
// kept, so a passing error (EIO, a permission fixed meanwhile) is retried on the next call.
//
// Why a synchronous stat: it costs a few microseconds for a local file, where the promise version
// costs a thread-pool round trip, and it runs on every config/read.
import { statSync } from "node:fs";
import { readRawFile } from "./configToml.js";

/** A stamp this close to the time it was taken may still change without changing (see header). */
export const RACY_MS = 3_000;

interface Stamp {
  readonly dev: number;
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
}

interface Entry<T> {
  /** null: the file did not exist. */
  readonly stamp: Stamp | null;
  readonly trusted: boolean;
  readonly value: T;
}

const sameStamp = (a: Stamp | null, b: Stamp | null): boolean =>
  a === null || b === null ? a === b : a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs;

/** The file's stamp, null when it does not exist, undefined when stat itself failed otherwise (not cacheable). */
function stampOf(file: string): Stamp | null | undefined {
  try {
    const st = statSync(file, { throwIfNoEntry: false });
    if (st === undefined) return null;
    return { dev: st.dev, ino: st.ino, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs };
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ENOTDIR" ? null : undefined;
  }
}

export class StampedFileCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  /**
   * derive: the value for a file's text (null when the file does not exist); its result is shared
   * by every later get() until the file changes, so it must not be mutated by callers.
   * racyMs: RACY_MS; tests lower it to exercise reuse of a file they have just written.
   */
  constructor(
    private readonly derive: (file: string, text: string | null) => T,
    private readonly racyMs: number = RACY_MS,
  ) {}

  /** derive(file, text) for the file as it is now. Rejects with what reading the file threw. */
  async get(file: string): Promise<T> {
    const takenAt = Date.now();
    const stamp = stampOf(file);
    const cached = this.entries.get(file);
    if (cached !== undefined && cached.trusted && stamp !== undefined && sameStamp(cached.stamp, stamp)) return cached.value;
    this.entries.delete(file);
    if (stamp === undefined) return this.derive(file, (await readRawFile(file)).text);
    // The stamp is taken before the read, so a change during the read leaves a stamp that differs next time.
    const text = stamp === null ? null : (await readRawFile(file)).text;
    const value = this.derive(file, text);
    const trusted = stamp === null || Math.max(stamp.mtimeMs, stamp.ctimeMs) <= takenAt - this.racyMs;
    this.entries.set(file, { stamp, trusted, value });
    return value;
  }

  /** Drops what is kept for `file` (every file when omitted); the next get() reads it again. */
  forget(file?: string): void {
    if (file === undefined) this.entries.clear();
    else this.entries.delete(file);
  }
}
