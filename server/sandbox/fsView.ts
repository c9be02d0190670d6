// The read-only view of the host filesystem that policy resolution and mount planning use. Keeping it
// an interface lets the planners stay deterministic functions of (policy, filesystem state) and lets
// unit tests describe a filesystem without creating it. Every method answers `null` for "does not
// exist / cannot be read" instead of throwing: a missing path is an ordinary planning input.
import * as fs from "node:fs";
import { components, joinPath, parentOf } from "./paths.js";

export type FsEntryType = "file" | "dir" | "symlink" | "other";

export interface FsStat {
  readonly type: FsEntryType;
  readonly dev: number;
  readonly ino: number;
  readonly nlink: number;
  readonly size: number;
}

export interface FsView {
  /** Canonical path (all symlinks resolved), or null when the path or a link target is missing. */
  realpath(path: string): string | null;
  /** Like lstat(2): does not follow a final symlink. */
  lstat(path: string): FsStat | null;
  readlink(path: string): string | null;
  /** Small text files only (a `.git` pointer file, `commondir`). */
  readText(path: string): string | null;
  /** Directory entries, or null when not a readable directory. */
  readdir(path: string): readonly string[] | null;
}

function typeOf(st: fs.Stats): FsEntryType {
  if (st.isSymbolicLink()) return "symlink";
  if (st.isDirectory()) return "dir";
  if (st.isFile()) return "file";
  return "other";
}

export const nodeFsView: FsView = {
  realpath(path) {
    try {
      return fs.realpathSync.native(path);
    } catch {
      return null;
    }
  },
  lstat(path) {
    try {
      const st = fs.lstatSync(path);
      return { type: typeOf(st), dev: st.dev, ino: st.ino, nlink: st.nlink, size: st.size };
    } catch {
      return null;
    }
  },
  readlink(path) {
    try {
      return fs.readlinkSync(path);
    } catch {
      return null;
    }
  },
  readText(path) {
    try {
      const st = fs.statSync(path);
      if (!st.isFile() || st.size > 64 * 1024) return null;
      return fs.readFileSync(path, "utf8");
    } catch {
      return null;
    }
  },
  readdir(path) {
    try {
      return fs.readdirSync(path);
    } catch {
      return null;
    }
  },
};

/** realpath of the longest existing ancestor, with the missing tail re-appended. */
export function canonicalize(p: string, fs: FsView): string {
  let head = p;
  const tail: string[] = [];
  for (;;) {
    const real = fs.realpath(head);
    if (real !== null) return tail.length === 0 ? real : joinPath(real, ...tail.reverse());
    if (head === "/") return p;
    const parts = components(head);
    tail.push(parts[parts.length - 1] ?? "");
    head = parentOf(head);
  }
}
