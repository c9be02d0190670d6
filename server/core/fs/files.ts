// Reading and atomically replacing one file.
//
// Reads open first and check the open descriptor (fstat), so a path swapped for a FIFO or a device
// between a check and the read cannot block the daemon or stream forever; O_NONBLOCK makes the open
// itself safe on a FIFO. The read stops at the cap even when the size said 0 (/proc files do).
//
// Writes never leave a half-written file (atomicWrite.ts): the target is the end of the symlink chain
// at the path, the temporary file is synced before the rename, and the target keeps its permission
// bits and, where the OS lets us, its owner. Two cases write in place instead, because a rename would
// do harm or cannot work where 0.169's in-place write does: a target that is not a regular file
// (renaming over /dev/null would replace the device node), and a folder we may not create files in
// while the file itself is writable.
import { constants as bufferConsts } from "node:buffer";
import { constants, type Stats } from "node:fs";
import { copyFile, open, stat, writeFile, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { createWith, reopenCreated, replaceAtomically } from "./atomicWrite.js";
import { invalid, io, ioError } from "./errors.js";
import { writeTarget } from "./paths.js";

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

/** What replaces the file: these bytes, or a copy of the file at `copyOf` (fs/copy). */
export type NewContent = { readonly data: Uint8Array } | { readonly copyOf: string };

/**
 * Replaces the file at `p` (through symlinks) with `content`; errors are FsErrors naming `p`. Only a
 * refusal to create the temporary file falls back to writing in place.
 */
export async function replaceFile(p: string, content: NewContent, options: ReplaceOptions = {}): Promise<void> {
  const inPlace = "data" in content ? (target: string) => writeFile(target, content.data) : (target: string) => copyFile(content.copyOf, target);
  const target = await writeTarget(p);
  const existing = await statOrNull(target, p);
  if (existing?.isDirectory()) throw ioError(Object.assign(new Error("EISDIR"), { code: "EISDIR" }), p);
  if (existing !== null && !existing.isFile()) {
    await io(p, () => inPlace(target));
    return;
  }
  let created = false;
  const create = async (temp: string): Promise<FileHandle> => {
    if ("data" in content) {
      const handle = await createWith(content.data, 0o666)(temp);
      created = true;
      return handle;
    }
    await copyFile(content.copyOf, temp, constants.COPYFILE_EXCL);
    created = true;
    return reopenCreated(temp);
  };
  try {
    await replaceAtomically({
      dir: path.dirname(target),
      name: path.basename(target),
      create,
      mode: existing !== null ? existing.mode & 0o7777 : options.mode,
      // Keeps the owner when root edits someone else's file; an unprivileged daemon cannot and need not.
      owner: existing,
      sync: "file",
      beforeRename: options.beforeRename,
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (!created && existing !== null && (code === "EACCES" || code === "EPERM")) {
      await io(p, () => inPlace(target));
      return;
    }
    throw ioError(err, p);
  }
}
