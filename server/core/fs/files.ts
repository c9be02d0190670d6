// Reading and atomically replacing one file.
//
// Reads open first and check the open descriptor (fstat), so a path swapped for a FIFO or a device
// between a check and the read cannot block the daemon or stream forever; O_NONBLOCK makes the open
// itself safe on a FIFO. The read stops at the cap even when the size said 0 (/proc files do).
//
// Writes never leave a half-written file: the bytes go to a hidden temporary file in the target's
// own folder (same file system, so rename is atomic), which is synced and renamed over the target.
// The target keeps its permission bits and, where the OS lets us, its owner. Two cases write in
// place instead, because a rename would do harm or cannot work where 0.169's in-place write does:
// a target that is not a regular file (renaming over /dev/null would replace the device node), and a
// folder we may not create files in while the file itself is writable.
import { constants as bufferConsts } from "node:buffer";
import { constants, type Stats } from "node:fs";
import { open, rename, stat, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { invalid, io, ioError } from "./errors.js";
import { stagingName, writeTarget } from "./paths.js";

/** 0.169's limit. */
export const REFERENCE_READ_LIMIT = 512 * 1024 * 1024;

/**
 * The largest file whose base64 fits in one JSON line: V8 strings stop at MAX_STRING_LENGTH characters
 * (~512 Mi on 64-bit), base64 needs 4 characters per 3 bytes, and the response envelope needs a little
 * room. That is ~384 MiB, below the reference's 512 MiB, which Node cannot answer at all.
 */
export const DEFAULT_READ_LIMIT = Math.min(REFERENCE_READ_LIMIT, Math.floor((bufferConsts.MAX_STRING_LENGTH - 64 * 1024) / 4) * 3);

const CHUNK = 1024 * 1024;

function tooLarge(p: string, limit: number, size: number | null): never {
  const what = size === null ? `${p} is larger than that` : `${p} is ${size} bytes`;
  throw invalid(`file is too large to read: limit is ${limit} bytes; ${what}`, { path: p, limit, ...(size === null ? {} : { size }) });
}

export async function readFileCapped(p: string, limit: number): Promise<Buffer> {
  const handle = await io(p, () => open(p, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0)));
  try {
    const st = await io(p, () => handle.stat());
    if (!st.isFile()) throw invalid(`path \`${p}\` is not a file`, { path: p });
    if (st.size > limit) tooLarge(p, limit, st.size);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const want = Math.min(CHUNK, limit + 1 - total);
      const buf = Buffer.allocUnsafe(Math.max(want, 1));
      const { bytesRead } = await io(p, () => handle.read(buf, 0, buf.length, null));
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > limit) tooLarge(p, limit, null);
      chunks.push(bytesRead === buf.length ? buf : buf.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** Strict standard base64 with padding (0.169 refuses anything else); returns the bytes or a reason. */
export function decodeBase64(text: string): Buffer | string {
  const bad = /[^A-Za-z0-9+/=]/.exec(text);
  if (bad) return `invalid symbol ${JSON.stringify(bad[0])} at offset ${bad.index}`;
  if (text.length % 4 !== 0 || /=[^=]/.test(text) || /={3,}$/.test(text)) return "invalid padding";
  const bytes = Buffer.from(text, "base64");
  if (bytes.toString("base64") !== text) return "invalid trailing bits in the last symbol";
  return bytes;
}

async function statOrNull(p: string, original: string): Promise<Stats | null> {
  try {
    return await stat(p);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw ioError(err, original);
  }
}

export interface ReplaceOptions {
  /** Permission bits for a new file; an existing target keeps its own. Defaults to 0o666 (less the umask). */
  readonly mode?: number;
  /** Test seam: runs after the temporary file is synced, before the rename. */
  readonly beforeRename?: (temp: string) => Promise<void> | void;
}

/**
 * Replaces the file at `p` (through symlinks) with what `fill` writes into the temporary file `temp`.
 * `fill` writes the content (and may set the mode); this function handles staging, sync and rename.
 */
export async function replaceFile(
  p: string,
  fill: (temp: string) => Promise<void>,
  inPlace: (target: string) => Promise<void>,
  options: ReplaceOptions = {},
): Promise<void> {
  const target = await writeTarget(p);
  const existing = await statOrNull(target, p);
  if (existing?.isDirectory()) throw ioError(Object.assign(new Error("EISDIR"), { code: "EISDIR" }), p);
  if (existing !== null && !existing.isFile()) {
    await io(p, () => inPlace(target));
    return;
  }
  const temp = path.join(path.dirname(target), stagingName(path.basename(target), "write"));
  try {
    await fill(temp);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    const code = (err as NodeJS.ErrnoException).code;
    if (existing !== null && (code === "EACCES" || code === "EPERM")) {
      await io(p, () => inPlace(target));
      return;
    }
    throw ioError(err, p);
  }
  try {
    const handle = await open(temp, "r+");
    try {
      if (existing !== null) {
        await handle.chmod(existing.mode & 0o7777);
        // Keeps the owner when root edits someone else's file; an unprivileged daemon cannot and need not.
        await handle.chown(existing.uid, existing.gid).catch(() => undefined);
      } else if (options.mode !== undefined) {
        await handle.chmod(options.mode);
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await options.beforeRename?.(temp);
    await rename(temp, target);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw ioError(err, p);
  }
}

export async function writeFileAtomic(p: string, data: Uint8Array, options: ReplaceOptions = {}): Promise<void> {
  await replaceFile(
    p,
    (temp) => writeFile(temp, data, { flag: "wx", mode: 0o666 }),
    (target) => writeFile(target, data),
    options,
  );
}
