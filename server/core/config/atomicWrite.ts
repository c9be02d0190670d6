// Atomic file replacement: write a temporary file in the same directory (same file system, so the
// rename is atomic), fsync it, rename it over the target, then fsync the directory so the rename
// itself survives a crash. Readers see the old file or the new one, never a torn one. On any
// failure the temporary file is removed and the target is untouched. The file is created with the
// given mode (0600 for config: it may hold bearer tokens), whatever the old file's mode was.
import { randomBytes } from "node:crypto";
import { open, rename, unlink } from "node:fs/promises";
import path from "node:path";

export interface AtomicWriteOptions {
  mode?: number;
  /** Test seam: runs after the temporary file is synced and before the rename. */
  beforeRename?: (tempPath: string) => Promise<void> | void;
}

export async function writeFileAtomic(target: string, data: string, options: AtomicWriteOptions = {}): Promise<void> {
  const mode = options.mode ?? 0o600;
  const dir = path.dirname(target);
  const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  let handle = await open(temp, "wx", mode);
  try {
    try {
      await handle.writeFile(data, "utf8");
      await handle.chmod(mode); // the umask may have narrowed or the mode may need widening back to `mode`
      await handle.sync();
    } finally {
      await handle.close();
    }
    await options.beforeRename?.(temp);
    await rename(temp, target);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  // Persist the directory entry. Some file systems refuse fsync on a directory; the rename is done either way.
  try {
    handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort
  }
}
