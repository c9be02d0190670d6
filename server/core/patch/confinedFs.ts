// The writes of an approved patch, unable to be redirected by a symbolic link.
//
// The approval decided on canonical paths (verifyPatch resolves every target before anything is shown
// or asked). Between that decision and the write, anything in the workspace may change: a sandboxed
// command, or the user, can replace a directory on the way with a symlink to somewhere else. A write
// by path would follow it. So a write here never follows a link: it walks from `/` to the target's
// parent one component at a time, opening each directory with O_DIRECTORY | O_NOFOLLOW through
// `/proc/self/fd/<parent>/<name>` (Node 20 has neither openat nor openat2, and the magic link
// resolves to the opened directory itself, wherever it has moved since), then hands the opened
// directory's /proc/self/fd path to the shared atomic replace (fs/atomicWrite.ts), which creates the
// temporary file with O_CREAT | O_EXCL | O_NOFOLLOW inside it and renames it within it. A component
// that is now a symlink fails the write; a directory swapped out after it was opened keeps receiving
// the write, wherever it now lives, and never the link's target.
//
// Invariants: a target must be canonical (no `.`/`..`, no symlink component at decision time), and
// lie strictly below the root `rootFor` gives it (the writable root for a sandboxed patch, `/` for one
// approved to run outside the sandbox); no directory at or above that root is ever created.
//
// Off Linux there is no /proc/self/fd: the walk lstat()s each component right before the write and
// refuses a symlink. That stops a link that is in place when the write starts, but not one swapped in
// between the check and the write (a narrow race this module cannot close without openat), which is
// why sandboxed patches there are written by sandboxedFs.ts instead and only a write approved to run
// outside the sandbox comes here. On Windows every write is refused: the paths here are POSIX and
// nothing there confines them.
import { constants as C, existsSync } from "node:fs";
import * as fsp from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import path from "node:path";
import { canonicalize, nodeFsView } from "../../sandbox/fsView.js";
import { components, isStrictlyUnder } from "../../sandbox/paths.js";
import { createWith, replaceAtomically } from "../fs/atomicWrite.js";
import type { PatchFs } from "./patchFs.js";

export interface ConfinedFsOptions {
  /** The directory a canonical target must lie below, or null when the target may not be written at all. */
  rootFor(target: string): string | null;
  /** "proc" (Linux, the default there) or "lstat" (elsewhere; tests force it to cover that path). */
  walk?: "proc" | "lstat";
  /** Test seam: runs after the target's parent directory is open, before anything is written in it. */
  afterParentOpened?(target: string): Promise<void> | void;
}

/** Why a write was refused; its message is what the model reads after "Failed to write file …:". */
export class ConfinementError extends Error {}

const DIR_FLAGS = C.O_RDONLY | C.O_DIRECTORY | C.O_NOFOLLOW;

export function createConfinedFs(options: ConfinedFsOptions): PatchFs {
  const walk = options.walk ?? (process.platform === "linux" ? "proc" : "lstat");
  const rootOf = (target: string): string => {
    // The walk and the targets are POSIX paths; a Windows path would be refused below anyway, but
    // this way the model reads why.
    if (process.platform === "win32")
      throw new ConfinementError("refusing to write: patch writes cannot be confined against symlinks on Windows by this server");
    const root = options.rootFor(target);
    if (root === null || !isStrictlyUnder(target, root) || path.resolve(target) !== target) {
      throw new ConfinementError(`refusing to write outside the approved location (${target})`);
    }
    return root;
  };
  return {
    readFile: (p) => fsp.readFile(p, "utf8"),
    canonicalize: (p) => canonicalize(p, nodeFsView),
    async writeFileAtomic(target, data) {
      const root = rootOf(target);
      if (walk === "lstat") return lstatWalkWrite(target, root, data, options);
      const dir = await openParent(target, root, true);
      try {
        await options.afterParentOpened?.(target);
        await writeIn(`/proc/self/fd/${dir.fd}`, path.basename(target), data);
      } finally {
        await dir.close();
      }
    },
    async unlink(target) {
      const root = rootOf(target);
      if (walk === "lstat") {
        await lstatWalk(path.dirname(target), root, false);
        await options.afterParentOpened?.(target);
        return fsp.unlink(target);
      }
      const dir = await openParent(target, root, false);
      try {
        await options.afterParentOpened?.(target);
        // unlink(2) never follows the final component: a link there is removed, not its target.
        await fsp.unlink(`/proc/self/fd/${dir.fd}/${path.basename(target)}`);
      } finally {
        await dir.close();
      }
    },
  };
}

function symlinkRefused(at: string): ConfinementError {
  return new ConfinementError(`refusing to follow a symbolic link at ${at} (it changed after the patch was checked)`);
}

/** Opens a directory without following a link; a link there is reported as such (Linux says ENOTDIR or ELOOP). */
async function openDir(at: string, shown: string): Promise<FileHandle> {
  try {
    return await fsp.open(at, DIR_FLAGS);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (
      (code === "ENOTDIR" || code === "ELOOP") &&
      (await fsp.lstat(at).then(
        (s) => s.isSymbolicLink(),
        () => false,
      ))
    )
      throw symlinkRefused(shown);
    throw err;
  }
}

/** Opens the target's parent by walking from `/` without following any link; creates missing directories below `root`. */
async function openParent(target: string, root: string, create: boolean): Promise<FileHandle> {
  if (!existsSync("/proc/self/fd")) throw new ConfinementError("refusing to write: /proc is not mounted, so the write cannot be confined");
  const parts = components(path.dirname(target));
  const rootDepth = components(root).length;
  let dir = await fsp.open("/", DIR_FLAGS);
  try {
    for (let i = 0; i < parts.length; i++) {
      const name = parts[i] as string;
      const at = `/proc/self/fd/${dir.fd}/${name}`;
      const shown = `/${parts.slice(0, i + 1).join("/")}`;
      let next: FileHandle;
      try {
        next = await openDir(at, shown);
      } catch (err) {
        // Only below the root: the root itself and its ancestors exist, or the write fails.
        if (!create || (err as NodeJS.ErrnoException).code !== "ENOENT" || i < rootDepth) throw err;
        await fsp.mkdir(at).catch((e: NodeJS.ErrnoException) => {
          if (e.code !== "EEXIST") throw e;
        });
        next = await openDir(at, shown);
      }
      await dir.close();
      dir = next;
    }
    return dir;
  } catch (err) {
    await dir.close();
    throw err;
  }
}

/** Atomic replace of `name` inside the directory `dirPath` (a /proc/self/fd path or, off Linux, a checked path). */
async function writeIn(dirPath: string, name: string, data: string): Promise<void> {
  // Keep an existing file's permissions (an executable script stays executable). lstat: a link that
  // appeared at the name is replaced by the rename, not followed, so its target's mode is irrelevant.
  const mode = await fsp.lstat(`${dirPath}/${name}`).then(
    (s) => (s.isFile() ? s.mode & 0o7777 : null),
    () => null,
  );
  await replaceAtomically({ dir: dirPath, name, create: createWith(data, mode ?? 0o666), mode, sync: "none" });
}

/** Off Linux: checks each component of `dir` is a real directory (creating missing ones below `root`). */
async function lstatWalk(dir: string, root: string, create: boolean): Promise<void> {
  const parts = components(dir);
  const rootDepth = components(root).length;
  for (let i = 0; i < parts.length; i++) {
    const at = `/${parts.slice(0, i + 1).join("/")}`;
    let st = await fsp.lstat(at).catch((e: NodeJS.ErrnoException) => {
      if (e.code === "ENOENT" && create && i >= rootDepth) return null;
      throw e;
    });
    if (st === null) {
      await fsp.mkdir(at).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== "EEXIST") throw e;
      });
      st = await fsp.lstat(at);
    }
    if (st.isSymbolicLink()) throw symlinkRefused(at);
    if (!st.isDirectory()) throw Object.assign(new Error(`Not a directory: ${at}`), { code: "ENOTDIR" });
  }
}

async function lstatWalkWrite(target: string, root: string, data: string, options: ConfinedFsOptions): Promise<void> {
  await lstatWalk(path.dirname(target), root, true);
  await options.afterParentOpened?.(target);
  await writeIn(path.dirname(target), path.basename(target), data);
}
