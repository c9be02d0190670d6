// fs/copy with 0.169's semantics and without its partial results.
//
// Semantics kept from 0.169 (observed): a symlink source is copied as a link (its target text
// verbatim); a file overwrites an existing file and keeps the source's permission bits; a directory
// needs `recursive: true` and merges into an existing destination directory; links inside a tree stay
// links; FIFOs, sockets and devices inside a tree are skipped, and refused as the source itself.
//
// What is better than 0.169:
// - Copying a file onto itself is a no-op (0.169 truncates the file to 0 bytes).
// - Nothing partial is left behind. A file is copied to a hidden sibling and renamed into place. A tree
//   is copied in full into a hidden staging folder first (beside a new destination, or inside an
//   existing one so the moves stay on one file system); only then does it move into place, by renames.
//   A new destination appears in one rename. A merge checks every file/folder clash before its first
//   move, and if a move still fails, the entries it created are removed again. The only thing a merge
//   cannot undo is a file it already replaced, and each replacement is itself atomic.
import { access, copyFile, lstat, mkdir, readdir, readlink, realpath, rename, rm, rmdir, stat, symlink, chmod, unlink } from "node:fs/promises";
import { constants, type Stats } from "node:fs";
import path from "node:path";
import type { Logger } from "../../log.js";
import { invalid, io, ioError } from "./errors.js";
import { replaceFile } from "./files.js";
import { stagingName } from "./atomicWrite.js";
import { isSameOrUnder } from "./paths.js";

const UNSUPPORTED = "fs/copy only supports regular files, directories, and symlinks";

async function statOrNull(p: string, original: string, follow = true): Promise<Stats | null> {
  try {
    return follow ? await stat(p) : await lstat(p);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw ioError(err, original);
  }
}

/** realpath of the longest existing ancestor plus the rest: where `p` would be once created. */
async function canonical(p: string): Promise<string> {
  const tail: string[] = [];
  let head = p;
  for (;;) {
    try {
      return path.join(await realpath(head), ...tail.reverse());
    } catch {
      const parent = path.dirname(head);
      if (parent === head) return p;
      tail.push(path.basename(head));
      head = parent;
    }
  }
}

export async function copyPath(source: string, destination: string, recursive: boolean, log?: Logger): Promise<void> {
  const src = await io(source, () => lstat(source));
  if (src.isSymbolicLink()) return copyLink(source, destination);
  if (src.isFile()) return copyOneFile(source, src, destination);
  if (!src.isDirectory()) throw invalid(`${UNSUPPORTED}: ${source}`, { path: source });
  if (!recursive) throw invalid(`fs/copy requires recursive: true when sourcePath is a directory: ${source}`, { path: source });

  const [srcReal, dstCanon] = await Promise.all([io(source, () => realpath(source)), canonical(destination)]);
  if (isSameOrUnder(dstCanon, srcReal)) {
    throw invalid(`fs/copy cannot copy a directory to itself or one of its descendants: ${source} → ${destination}`, {
      path: source,
      destinationPath: destination,
    });
  }
  const dst = await statOrNull(destination, destination);
  if (dst === null) return copyTreeNew(source, src, destination, log);
  if (!dst.isDirectory()) throw ioError(Object.assign(new Error("ENOTDIR"), { code: "ENOTDIR" }), destination);
  return copyTreeMerge(source, src, destination, log);
}

async function copyLink(source: string, destination: string): Promise<void> {
  const text = await io(source, () => readlink(source));
  const temp = path.join(path.dirname(destination), stagingName(path.basename(destination), "copy"));
  await io(destination, () => symlink(text, temp));
  try {
    await rename(temp, destination);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw ioError(err, destination);
  }
}

async function copyOneFile(source: string, src: Stats, destination: string): Promise<void> {
  const dst = await statOrNull(destination, destination);
  if (dst !== null && dst.dev === src.dev && dst.ino === src.ino) return;
  // Checked first so that a failure below can be blamed on the destination.
  await io(source, () => access(source, constants.R_OK));
  await replaceFile(destination, { copyOf: source }, { mode: src.mode & 0o7777 });
}

/** Copies the tree under `from` into the existing empty folder `to`; the folder's own mode is set last. */
async function fillTree(from: string, fromStat: Stats, to: string, log?: Logger): Promise<void> {
  const entries = await io(from, () => readdir(from, { withFileTypes: true }));
  for (const entry of entries) {
    const s = path.join(from, entry.name);
    const d = path.join(to, entry.name);
    if (entry.isSymbolicLink()) {
      const text = await io(s, () => readlink(s));
      await io(d, () => symlink(text, d));
    } else if (entry.isFile()) {
      await io(s, () => copyFile(s, d));
    } else if (entry.isDirectory()) {
      const st = await io(s, () => lstat(s));
      await io(d, () => mkdir(d));
      await fillTree(s, st, d, log);
    } else {
      log?.debug({ path: s }, "fs/copy skips a special file inside a tree, as 0.169 does");
    }
  }
  await io(to, () => chmod(to, fromStat.mode & 0o7777));
}

async function stageTree(source: string, src: Stats, stagingDir: string, destination: string, log?: Logger): Promise<string> {
  const stage = path.join(stagingDir, stagingName(path.basename(destination), "copy"));
  await io(destination, () => mkdir(stage, { mode: 0o700 }));
  try {
    await fillTree(source, src, stage, log);
  } catch (err) {
    await removeTree(stage);
    throw err;
  }
  return stage;
}

async function removeTree(p: string): Promise<void> {
  // A staged folder copied from a read-only source is read-only itself; make it removable first.
  await chmodTree(p).catch(() => undefined);
  await rm(p, { recursive: true, force: true }).catch(() => undefined);
}

async function chmodTree(p: string): Promise<void> {
  const st = await lstat(p);
  if (!st.isDirectory()) return;
  await chmod(p, 0o700);
  for (const name of await readdir(p)) await chmodTree(path.join(p, name));
}

async function copyTreeNew(source: string, src: Stats, destination: string, log?: Logger): Promise<void> {
  const stage = await stageTree(source, src, path.dirname(destination), destination, log);
  try {
    await rename(stage, destination);
  } catch (err) {
    await removeTree(stage);
    throw ioError(err, destination);
  }
}

async function copyTreeMerge(source: string, src: Stats, destination: string, log?: Logger): Promise<void> {
  const stage = await stageTree(source, src, destination, destination, log);
  const created: string[] = [];
  try {
    await checkClashes(stage, destination);
    await moveInto(stage, destination, created);
    await io(destination, () => chmod(destination, src.mode & 0o7777));
  } catch (err) {
    for (const p of created.reverse()) await removeTree(p);
    throw err;
  } finally {
    await removeTree(stage);
  }
}

/** A staged folder over an existing non-folder (or the reverse) would fail halfway; find it before any move. */
async function checkClashes(from: string, into: string): Promise<void> {
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const target = path.join(into, entry.name);
    const existing = await statOrNull(target, target, false);
    if (existing === null) continue;
    const existingIsDir = existing.isDirectory();
    if (entry.isDirectory() && existingIsDir) await checkClashes(path.join(from, entry.name), target);
    else if (entry.isDirectory() !== existingIsDir) {
      const code = existingIsDir ? "EISDIR" : "ENOTDIR";
      throw ioError(Object.assign(new Error(code), { code }), target);
    }
  }
}

async function moveInto(from: string, into: string, created: string[]): Promise<void> {
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const s = path.join(from, entry.name);
    const d = path.join(into, entry.name);
    const existing = await statOrNull(d, d, false);
    if (existing?.isDirectory() && entry.isDirectory()) {
      await moveInto(s, d, created);
      const st = await lstat(s);
      await io(d, () => chmod(d, st.mode & 0o7777));
      await rmdir(s).catch(() => undefined);
      continue;
    }
    await io(d, () => rename(s, d));
    if (existing === null) created.push(d);
  }
}
