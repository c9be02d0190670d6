// fd hygiene: a child sees stdio plus exactly the extra fds its request lists. Inherited fds of the
// daemon that lack O_CLOEXEC would otherwise leak into every command, sandboxed or not.
import * as fs from "node:fs";

const O_CLOEXEC = 0o2000000;

/** fds > 2 of this process that would be inherited by children (no O_CLOEXEC). */
export function findInheritableFds(): number[] {
  const out: number[] = [];
  let names: string[];
  try {
    names = fs.readdirSync("/proc/self/fdinfo");
  } catch {
    return out;
  }
  const keep = new Set<number>([0, 1, 2]);
  const ipc = Number(process.env["NODE_CHANNEL_FD"]);
  if (Number.isInteger(ipc)) keep.add(ipc);
  for (const n of names) {
    const fd = Number(n);
    if (!Number.isInteger(fd) || keep.has(fd)) continue;
    try {
      const m = /flags:\s+([0-7]+)/.exec(fs.readFileSync(`/proc/self/fdinfo/${fd}`, "utf8"));
      if (m?.[1] !== undefined && (parseInt(m[1], 8) & O_CLOEXEC) === 0) out.push(fd);
    } catch {
      // closed meanwhile
    }
  }
  return out;
}

/**
 * Closes fds inherited from the daemon's parent that would leak into every child. Everything
 * Node and libuv open themselves is O_CLOEXEC, so only foreign fds are affected. Call at startup;
 * the runner also calls it once before its first spawn. Returns the fds closed.
 */
export function closeInheritedFds(): number[] {
  const fds = findInheritableFds();
  for (const fd of fds) {
    try {
      fs.closeSync(fd);
    } catch {
      // already gone
    }
  }
  return fds;
}

let inheritedClosed = false;
/** closeInheritedFds, once per daemon: the runner calls it before its first spawn. */
export function ensureInheritedFdsClosed(): void {
  if (inheritedClosed) return;
  inheritedClosed = true;
  closeInheritedFds();
}
