// Path rules shared by the fs/* operations.
//
// - Paths must be absolute, as 0.169's AbsolutePathBuf requires; they are passed to the operating
//   system as given, not normalised, so that `a/link/../b` resolves the way the OS resolves it.
// - Writes go *through* a symlink at the final component (0.169 writes the link's target and keeps
//   the link), so the atomic replace must happen at the target, not at the link.
import { lstat, readlink } from "node:fs/promises";
import path from "node:path";
import { FsError, ioError } from "./errors.js";

/**
 * A path parameter the operating system can take: absolute (-32602 otherwise) and without a NUL byte,
 * which no OS path holds (-32600 with 0.169's text, since the reference refuses it on its merits; Node
 * would throw a TypeError that is not a system error, and that used to surface as -32603).
 */
export function requirePathParam(field: string, p: string): void {
  if (!path.isAbsolute(p)) {
    throw new FsError("invalidParams", `Invalid params: ${field} must be an absolute path, got ${JSON.stringify(p)}`, { path: p, field });
  }
  if (p.includes("\0")) throw new FsError("invalidInput", `file name contained an unexpected NUL byte (${field})`, { path: p, field });
}

/** Linux's limit on symlinks followed in one lookup (MAXSYMLINKS); past it the OS says ELOOP too. */
const MAX_LINKS = 40;

/**
 * The path a write to `p` lands on: `p` itself, or the end of the symlink chain at `p` (which may not
 * exist yet: a dangling link is written through, creating its target, as 0.169 does).
 */
export async function writeTarget(p: string): Promise<string> {
  let current = p;
  for (let i = 0; i <= MAX_LINKS; i++) {
    let st;
    try {
      st = await lstat(current);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return current;
      throw ioError(err, p);
    }
    if (!st.isSymbolicLink()) return current;
    current = path.resolve(path.dirname(current), await readlink(current));
  }
  throw ioError(Object.assign(new Error("ELOOP"), { code: "ELOOP" }), p);
}

/** True when `child` is `parent` or lies below it, comparing path components. */
export function isSameOrUnder(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}
