// Replacing a file so that readers see the old content or the new, never a torn file: the new content
// goes to a hidden temporary file in the target's own folder (same file system, so the rename is
// atomic) and is renamed over the target. On any failure the temporary file is removed and the target
// is untouched.
//
// The temporary file is created with O_EXCL | O_NOFOLLOW, and its mode, owner and sync are applied
// through an open handle (the one that created it; for a copy, one opened with O_NOFOLLOW), so a link
// planted at the temporary name cannot redirect them. The folder is only ever named by `dir`: a write
// confined by an opened folder passes `/proc/self/fd/<fd>` and every step (create, rename, cleanup)
// resolves inside that folder without walking the path again (patch/confinedFs.ts).
import { randomBytes } from "node:crypto";
import { constants as C } from "node:fs";
import { open, rename, unlink, type FileHandle } from "node:fs/promises";
import path from "node:path";

/** The longest file name, in bytes, of the file systems we write (Linux, macOS). */
const NAME_MAX = 255;

let counter = 0;
/**
 * A hidden sibling name for staging writes and copies; unique within this process (the counter) and
 * unguessable by whoever else can write the folder (the random part), so nobody can plant an entry
 * there first. The target's name is shortened to fit, so that any name the target may have can be
 * staged.
 */
export function stagingName(base: string, purpose: string): string {
  counter = (counter + 1) % 1_000_000;
  const suffix = `.gatehouse-${purpose}-${process.pid}-${counter}-${randomBytes(6).toString("hex")}`;
  return `.${prefixWithin(base, NAME_MAX - 1 - suffix.length)}${suffix}`;
}

/** The longest prefix of `s` that is at most `bytes` long in UTF-8, cut between characters. */
function prefixWithin(s: string, bytes: number): string {
  if (Buffer.byteLength(s) <= bytes) return s;
  let out = "";
  let used = 0;
  for (const ch of s) {
    used += Buffer.byteLength(ch);
    if (used > bytes) break;
    out += ch;
  }
  return out;
}

// O_NOFOLLOW is redundant next to O_CREAT | O_EXCL (which never follow a final link) but says so;
// Windows has no such flag.
const CREATE_FLAGS = C.O_WRONLY | C.O_CREAT | C.O_EXCL | (C.O_NOFOLLOW ?? 0);

/** A `create` step for `replaceAtomically`: a new file with `mode` (less the umask) holding `data`. */
export function createWith(data: string | Uint8Array, mode: number): (temp: string) => Promise<FileHandle> {
  return async (temp) => {
    const handle = await open(temp, CREATE_FLAGS, mode);
    try {
      await handle.writeFile(data);
    } catch (err) {
      await handle.close().catch(() => undefined);
      throw err;
    }
    return handle;
  };
}

/** Opens a file a `create` step made by path (a copy), for the mode, owner and sync steps. */
export function reopenCreated(temp: string): Promise<FileHandle> {
  return open(temp, C.O_RDWR | (C.O_NOFOLLOW ?? 0));
}

/** How durable a write is when it returns: config files include the folder entry; a patch, as 0.169 writes it, is not synced. */
export type AtomicSync = "none" | "file" | "fileAndFolder";

export interface AtomicReplace {
  /** The folder holding the target, as the calls take it: a path, or `/proc/self/fd/<fd>` of an opened folder. */
  readonly dir: string;
  /** The entry replaced in `dir`; a link there is replaced, not followed. */
  readonly name: string;
  /** Makes the temporary file `temp` (it does not exist yet) with the new content and returns it open. */
  readonly create: (temp: string) => Promise<FileHandle>;
  /** Permission bits set on the open file before the rename, so the umask cannot narrow them; null: as created. */
  readonly mode?: number | null;
  /** Owner given to the file before the rename where the OS allows it (root editing someone else's file). */
  readonly owner?: { readonly uid: number; readonly gid: number } | null;
  readonly sync: AtomicSync;
  /** Test seam: runs after the temporary file is complete, before the rename. */
  readonly beforeRename?: (temp: string) => Promise<void> | void;
}

/** Replaces `dir/name` with what `create` makes, through a temporary sibling. */
export async function replaceAtomically(r: AtomicReplace): Promise<void> {
  const temp = path.join(r.dir, stagingName(r.name, "write"));
  try {
    const handle = await r.create(temp);
    try {
      if (r.mode !== undefined && r.mode !== null) await handle.chmod(r.mode);
      if (r.owner) await handle.chown(r.owner.uid, r.owner.gid).catch(() => undefined);
      if (r.sync !== "none") await handle.sync();
    } finally {
      await handle.close();
    }
    await r.beforeRename?.(temp);
    // rename(2) replaces the final component itself and never follows it.
    await rename(temp, path.join(r.dir, r.name));
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  if (r.sync === "fileAndFolder") await syncFolder(r.dir);
}

/** Persists the rename itself. Some file systems refuse fsync on a folder; the rename is done either way. */
async function syncFolder(dir: string): Promise<void> {
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort
  }
}

export interface AtomicWriteOptions {
  /** The file's permission bits, whatever the old file's were; 0600 unless given (config and auth may hold secrets). */
  readonly mode?: number;
  /** Test seam: runs after the temporary file is synced, before the rename. */
  readonly beforeRename?: (temp: string) => Promise<void> | void;
}

/**
 * Replaces `target` as named (a symlink there is replaced by the file, its destination untouched),
 * synced to disk with its folder entry. Errors are node's own (`code` = errno name).
 */
export async function writeFileAtomic(target: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const mode = options.mode ?? 0o600;
  await replaceAtomically({
    dir: path.dirname(target),
    name: path.basename(target),
    create: createWith(data, mode),
    mode,
    sync: "fileAndFolder",
    beforeRename: options.beforeRename,
  });
}
