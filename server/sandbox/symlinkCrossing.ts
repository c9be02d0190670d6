import type { FsView } from "./fsView.js";
import { components, isUnderOrEqual, joinPath } from "./paths.js";

/**
 * The first symlink on `logical` that lies inside a writable root, or null. Such a link can be replaced
 * by the sandboxed process (`rm link && mkdir link`), so a read-only or denied path through it cannot be
 * enforced by mounting its current target. Links outside writable roots
 * (`/bin → usr/bin`) are followed.
 */
export function findWritableSymlinkCrossing(logical: string, writableRoots: readonly string[], fs: FsView): string | null {
  let current = "/";
  const parts = components(logical);
  for (let i = 0; i < parts.length; i++) {
    const candidate = joinPath(current, parts[i] ?? "");
    const st = fs.lstat(candidate);
    if (st === null) return null;
    if (st.type === "symlink") {
      if (writableRoots.some((w) => isUnderOrEqual(candidate, w))) return candidate;
      const target = fs.realpath(candidate);
      if (target === null) return null;
      current = target;
      continue;
    }
    current = candidate;
  }
  return null;
}
