// Host residue left by placeholders (sandbox.md §2.5, E10). When bwrap mounts over a path that does
// not exist inside a writable bind, it creates that path ON THE HOST, and it stays after exit. Each
// such path is recorded here with a reference count shared by every sandbox this daemon runs; when the
// last user releases it, it is removed, but only if it is still an empty directory or an empty file.
// Anything else (a host process wrote into it meanwhile) is left alone. Symlinks are never followed.
//
// Scope: one daemon. Several daemons sharing a workspace may remove each other's placeholders early;
// the placeholder then still exists inside the running sandbox's own mount namespace, so protection
// holds, only the host-side view changes.
import * as fs from "node:fs";

export class PlaceholderRegistry {
  private readonly counts = new Map<string, number>();

  isLive(path: string): boolean {
    return (this.counts.get(path) ?? 0) > 0;
  }

  acquire(paths: readonly string[]): void {
    for (const p of paths) this.counts.set(p, (this.counts.get(p) ?? 0) + 1);
  }

  /** Decrements each path; returns the ones no sandbox holds any more, deepest first. */
  release(paths: readonly string[]): string[] {
    const free: string[] = [];
    for (const p of paths) {
      const n = (this.counts.get(p) ?? 0) - 1;
      if (n > 0) this.counts.set(p, n);
      else {
        this.counts.delete(p);
        free.push(p);
      }
    }
    return free.sort((a, b) => b.length - a.length);
  }
}

export const defaultPlaceholderRegistry = new PlaceholderRegistry();

/** Removes `path` if it is an empty directory or an empty regular file. */
export function removeIfEmpty(path: string): boolean {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(path);
  } catch {
    return false;
  }
  try {
    if (st.isDirectory()) {
      fs.rmdirSync(path);
      return true;
    }
    if (st.isFile() && st.size === 0) {
      fs.unlinkSync(path);
      return true;
    }
  } catch {
    return false;
  }
  return false;
}

/** Removes whatever a sandboxed command created at a watched protected path (e.g. `git init`'s .git). */
export function removeCreated(path: string): boolean {
  try {
    fs.lstatSync(path);
  } catch {
    return false;
  }
  fs.rmSync(path, { recursive: true, force: true });
  return true;
}
