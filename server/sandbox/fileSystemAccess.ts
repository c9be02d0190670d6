// What a filesystem entry grants, and how entries combine. Access for a path comes from the most
// specific entry that covers it (component-wise prefix). Equally specific entries go to the more
// restrictive access, none > read > write: two spellings of one directory, one read and one write,
// must not hand out write. No entry covering a path means `none`.
import { SandboxPolicyError } from "./errors.js";
import { depth, isUnderOrEqual } from "./paths.js";

export type FileSystemAccess = "read" | "write" | "none";

/** Accepts the 0.169 spelling "deny" and the older "none"; both are stored as "none". */
export function parseFileSystemAccess(value: string): FileSystemAccess {
  switch (value) {
    case "read":
    case "write":
    case "none":
      return value;
    case "deny":
      return "none";
    default:
      throw new SandboxPolicyError(`invalid filesystem access "${value}" (expected read, write or deny)`);
  }
}

/** The winner of two equally specific entries: the more restrictive one (none > read > write). */
export function conflictWinner(a: FileSystemAccess, b: FileSystemAccess): FileSystemAccess {
  return narrower(a, b);
}

/** The more restrictive of two accesses (none < read < write in capability). */
export function narrower(a: FileSystemAccess, b: FileSystemAccess): FileSystemAccess {
  const cap: Record<FileSystemAccess, number> = { none: 0, read: 1, write: 2 };
  return cap[a] <= cap[b] ? a : b;
}

/** Access at `p` from rules (any order): the deepest covering rule, "none" when nothing covers it. */
export function accessForPath(rules: readonly { path: string; access: FileSystemAccess }[], p: string): FileSystemAccess {
  let best: { d: number; access: FileSystemAccess } | undefined;
  for (const r of rules) {
    if (!isUnderOrEqual(p, r.path)) continue;
    const d = depth(r.path);
    if (best === undefined || d > best.d) best = { d, access: r.access };
    else if (d === best.d) best = { d, access: conflictWinner(best.access, r.access) };
  }
  return best?.access ?? "none";
}
