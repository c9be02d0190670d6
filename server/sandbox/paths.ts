// POSIX path helpers shared by the policy resolver and the mount planner. All comparisons are
// component-wise ("/a/b" is under "/a", "/ab" is not), because a string prefix test would let a
// sibling directory inherit a root's access.
import * as path from "node:path";

export function normalizeAbsolute(p: string, base: string): string {
  return path.posix.resolve(base, p);
}

export function components(p: string): string[] {
  return p.split("/").filter((c) => c.length > 0);
}

export function depth(p: string): number {
  return components(p).length;
}

/** True when `p` equals `root` or lies below it. */
export function isUnderOrEqual(p: string, root: string): boolean {
  if (root === "/") return p.startsWith("/");
  return p === root || p.startsWith(root.endsWith("/") ? root : `${root}/`);
}

/** True when `p` lies strictly below `root`. */
export function isStrictlyUnder(p: string, root: string): boolean {
  return p !== root && isUnderOrEqual(p, root);
}

export function parentOf(p: string): string {
  return path.posix.dirname(p);
}

export function joinPath(...parts: string[]): string {
  return path.posix.join(...parts);
}

/** Sorts shallowest first, then by path, so the order of emitted mounts never depends on input order. */
export function byDepthThenPath(a: string, b: string): number {
  const d = depth(a) - depth(b);
  if (d !== 0) return d;
  return a < b ? -1 : a > b ? 1 : 0;
}
