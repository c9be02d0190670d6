// Append-only writer for one rollout file, with one FIFO queue per file.
//
// Invariants:
// - Lines reach the file in append() call order; a line's timestamp and JSON are taken when
//   append() is called, so later mutation of the caller's objects cannot change what is written.
// - append() resolves once write(2) has returned for all its bytes (page cache, not disk). The
//   engine awaits it before sending the notification that completes an item, so a notification
//   is never ahead of the file; sync() (fsync) at turn boundaries makes it durable. A new file's
//   directory entry is made durable by its first sync() (or close()), not by create(): nothing in
//   the file is durable before then anyway, and the directory fsync was a tenth of a first thread/start.
// - A batch (append([...])) is one write, so a crash tears at most the last line.
// - A failed write (ENOSPC, EIO, …) rejects its append, and its lines are never retried: the caller
//   was told they are not on disk and acts on that (the engine fails the turn and keeps the model
//   history to what was written). Whatever part of them reached the file is cut off at once, back to
//   the end of the last complete write, so the file ends on a line boundary; if that truncation
//   fails too, it is retried before the next write. Later appends are written as usual, so a thread
//   goes on once the disk has room again. The file is opened O_APPEND: after a truncation a write
//   at the descriptor's old offset would leave a run of NUL bytes.
// - A failure episode runs from a failed write to the next complete one; the `watchFailures`
//   callback hears the first failure of each episode (the thread tells its clients once).
// - One writer per file per process (RolloutWriterBusyError otherwise), as 0.169 refuses a
//   second writer on a thread.
import { mkdir, open, stat, type FileHandle } from "node:fs/promises";
import { join, resolve } from "node:path";
import { RolloutNotFoundError, RolloutWriteError, RolloutWriterBusyError, RolloutUnreadableError } from "./errors.js";
import { rolloutFileName, sessionDayDir, localStamp } from "./paths.js";
import type { RolloutItem, SessionMetaPayload } from "./rolloutTypes.js";

export interface RolloutWriterOptions {
  /** Clock for line timestamps (tests). */
  now?: () => Date;
  /** Makes a new file's directory entry durable (fsyncDir; tests observe when it runs). */
  syncDirectory?: (dir: string) => Promise<void>;
}

export interface CreateRolloutParams {
  threadId: string;
  createdAt: Date;
  /** session_meta without id and timestamp, which come from threadId and createdAt. */
  meta: Omit<SessionMetaPayload, "id" | "timestamp">;
}

const active = new Set<string>();

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function isErrno(e: unknown, code: string): boolean {
  return (e as NodeJS.ErrnoException | null)?.code === code;
}

async function fsyncDir(dir: string): Promise<void> {
  // Makes the new directory entry durable; some file systems refuse fsync on a directory.
  try {
    const h = await open(dir, "r");
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  } catch {
    /* best effort */
  }
}

async function writeAll(fh: FileHandle, buf: Buffer): Promise<void> {
  let off = 0;
  while (off < buf.length) {
    const { bytesWritten } = await fh.write(buf, off, buf.length - off);
    off += bytesWritten;
  }
}

/**
 * Makes the file end at a line boundary: a complete JSON object missing its newline gets one, a
 * torn fragment is cut off. Returns true if the file changed.
 */
async function repairTail(fh: FileHandle, path: string): Promise<boolean> {
  const { size } = await fh.stat();
  if (size === 0) return false;
  const last = Buffer.alloc(1);
  await fh.read(last, 0, 1, size - 1);
  if (last[0] === 0x0a) return false;
  // Scan backwards for the previous newline; the torn line can be long (a big tool output).
  const chunk = 64 * 1024;
  let end = size;
  let lineStart = 0;
  const parts: Buffer[] = [];
  while (end > 0) {
    const start = Math.max(0, end - chunk);
    const buf = Buffer.alloc(end - start);
    await fh.read(buf, 0, buf.length, start);
    const nl = buf.lastIndexOf(0x0a);
    if (nl >= 0) {
      parts.unshift(buf.subarray(nl + 1));
      lineStart = start + nl + 1;
      break;
    }
    parts.unshift(buf);
    end = start;
  }
  const fragment = Buffer.concat(parts).toString("utf8");
  let complete = false;
  try {
    complete = typeof JSON.parse(fragment) === "object";
  } catch {
    complete = false;
  }
  try {
    if (complete) await fh.write(Buffer.from("\n"), 0, 1, size);
    else await fh.truncate(lineStart);
    await fh.sync();
  } catch (e) {
    throw new RolloutUnreadableError(path, `cannot repair the last line: ${errText(e)}`);
  }
  return true;
}

export class RolloutWriter {
  private tail: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly now: () => Date;
  /** The file's size after the last complete write: where the next line must start. */
  private end: number;
  /** A failed write may have left part of its bytes past `end`; cut them before writing again. */
  private tornTail = false;
  /** Inside a failure episode: from a failed write or sync until the next complete write. */
  private failing = false;
  private lost = 0;
  private onFailure: ((error: RolloutWriteError) => void) | null = null;
  /** The folder of a file this writer created, until the first sync makes its entry durable. */
  private unsyncedDir: string | null;
  private readonly syncDirectory: (dir: string) => Promise<void>;

  private constructor(
    readonly path: string,
    private readonly fh: FileHandle,
    size: number,
    options: RolloutWriterOptions,
    createdIn: string | null = null,
  ) {
    this.end = size;
    this.now = options.now ?? (() => new Date());
    this.unsyncedDir = createdIn;
    this.syncDirectory = options.syncDirectory ?? fsyncDir;
  }

  /** Lines whose write failed; they are not in the file and are never retried. */
  get unwrittenLines(): number {
    return this.lost;
  }

  /** `onFailure` is called with the first failure of each failure episode (see the header). */
  watchFailures(onFailure: (error: RolloutWriteError) => void): void {
    this.onFailure = onFailure;
  }

  /** Creates sessions/YYYY/MM/DD/rollout-…-<id>.jsonl (local time) and writes session_meta first. */
  static async create(home: string, params: CreateRolloutParams, options: RolloutWriterOptions = {}): Promise<RolloutWriter> {
    const stamp = localStamp(params.createdAt);
    const dir = sessionDayDir(home, { year: stamp.slice(0, 4), month: stamp.slice(5, 7), day: stamp.slice(8, 10) });
    const path = join(dir, rolloutFileName(params.createdAt, params.threadId));
    const key = resolve(path);
    if (active.has(key)) throw new RolloutWriterBusyError(path);
    active.add(key);
    try {
      await mkdir(dir, { recursive: true });
      // "ax" (O_APPEND|O_CREAT|O_EXCL): a second thread with the same id and second must not share
      // (and corrupt) a file, and every write lands at the end, also after a truncation.
      const fh = await open(path, "ax");
      const writer = new RolloutWriter(path, fh, 0, options, dir);
      const meta: SessionMetaPayload = { id: params.threadId, timestamp: params.createdAt.toISOString(), ...params.meta };
      try {
        await writer.append({ type: "session_meta", payload: meta });
      } catch (e) {
        await fh.close().catch(() => undefined);
        throw e;
      }
      return writer;
    } catch (e) {
      active.delete(key);
      if (e instanceof RolloutWriteError) throw e;
      throw new RolloutWriteError(path, errText(e));
    }
  }

  /** Opens an existing rollout for appending (resume), first repairing a torn last line. */
  static async open(path: string, options: RolloutWriterOptions = {}): Promise<RolloutWriter> {
    const key = resolve(path);
    if (active.has(key)) throw new RolloutWriterBusyError(path);
    active.add(key);
    try {
      let st;
      try {
        st = await stat(path);
      } catch (e) {
        if (isErrno(e, "ENOENT") || isErrno(e, "ENOTDIR")) throw new RolloutNotFoundError(null, path);
        throw new RolloutUnreadableError(path, errText(e));
      }
      if (!st.isFile()) throw new RolloutUnreadableError(path, "not a regular file");
      const repair = await open(path, "r+").catch((e: unknown) => {
        throw new RolloutUnreadableError(path, errText(e));
      });
      try {
        await repairTail(repair, path);
      } finally {
        await repair.close();
      }
      const fh = await open(path, "a").catch((e: unknown) => {
        throw new RolloutUnreadableError(path, errText(e));
      });
      try {
        return new RolloutWriter(path, fh, (await fh.stat()).size, options);
      } catch (e) {
        await fh.close().catch(() => undefined);
        throw new RolloutUnreadableError(path, errText(e));
      }
    } catch (e) {
      active.delete(key);
      throw e;
    }
  }

  /** Appends one line or a batch (one write). Resolves when write(2) has taken every byte. */
  append(items: RolloutItem | readonly RolloutItem[]): Promise<void> {
    const list: readonly RolloutItem[] = Array.isArray(items) ? items : [items as RolloutItem];
    if (this.closed) return Promise.reject(new RolloutWriteError(this.path, "writer is closed"));
    const timestamp = this.now().toISOString();
    // Serialize now: the caller may keep mutating its objects after append() returns.
    const text = list.map((item) => JSON.stringify({ timestamp, type: item.type, payload: item.payload }) + "\n").join("");
    return this.writeLines(Buffer.from(text, "utf8"), list.length);
  }

  /**
   * Appends lines copied from another rollout (a fork) as one write, keeping their timestamps: the
   * rebuild derives implicit turn ids from them, and the copy should read back like the source.
   */
  appendCopied(lines: readonly { timestamp: string | null; type: string; payload: unknown }[]): Promise<void> {
    if (this.closed) return Promise.reject(new RolloutWriteError(this.path, "writer is closed"));
    const now = this.now().toISOString();
    const text = lines.map((l) => JSON.stringify({ timestamp: l.timestamp ?? now, type: l.type, payload: l.payload }) + "\n").join("");
    return this.writeLines(Buffer.from(text, "utf8"), lines.length);
  }

  /** fsync after everything appended so far; the engine calls it before turn/completed. */
  sync(): Promise<void> {
    if (this.closed) return Promise.reject(new RolloutWriteError(this.path, "writer is closed"));
    return this.enqueue(() => this.syncAll());
  }

  private async syncAll(): Promise<void> {
    await this.fh.sync();
    const dir = this.unsyncedDir;
    if (dir === null) return;
    await this.syncDirectory(dir);
    this.unsyncedDir = null;
  }

  /**
   * Drains the queue, fsyncs and closes. Idempotent. Rejects only if that last fsync fails; earlier
   * failures were reported to their own appends (`unwrittenLines` counts what they lost).
   */
  async close(): Promise<void> {
    if (this.closed) return this.tail;
    this.closed = true;
    const done = this.enqueue(() => this.syncAll());
    try {
      await done;
    } finally {
      await this.fh.close().catch(() => undefined);
      active.delete(resolve(this.path));
    }
  }

  /** One write of whole lines, all or nothing as far as the file's readers can tell. */
  private writeLines(buf: Buffer, lines: number): Promise<void> {
    return this.enqueue(async () => {
      try {
        if (this.tornTail) await this.cutTornTail();
        await writeAll(this.fh, buf);
      } catch (e) {
        this.lost += lines;
        this.tornTail = true;
        await this.cutTornTail().catch(() => undefined);
        throw e;
      }
      this.end += buf.length;
      this.failing = false;
    });
  }

  private async cutTornTail(): Promise<void> {
    await this.fh.truncate(this.end);
    this.tornTail = false;
  }

  private enqueue(op: () => Promise<void>): Promise<void> {
    const run = this.tail.then(async () => {
      try {
        await op();
      } catch (e) {
        throw this.failed(e);
      }
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  private failed(e: unknown): RolloutWriteError {
    const error = e instanceof RolloutWriteError ? e : new RolloutWriteError(this.path, errText(e));
    if (!this.failing) {
      this.failing = true;
      try {
        this.onFailure?.(error);
      } catch {
        /* a listener's fault is not the file's */
      }
    }
    return error;
  }
}
