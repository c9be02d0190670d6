// The paths under a writable root that stay read-only whatever the policy says: the repository, the
// agent's own configuration and cloud credentials, which a sandboxed command could otherwise use to
// run code or reach accounts outside the sandbox. Launchers add them as narrowings only.
import type { FsView } from "./fsView.js";
import { joinPath, normalizeAbsolute, parentOf } from "./paths.js";

/** Names that stay read-only under every writable root. Linux compares them case-sensitively. */
export const PROTECTED_NAMES = [".git", ".codex", ".agents", ".aws"] as const;

export type ProtectedState = "dir" | "file" | "symlink" | "other" | "missing";

export interface ProtectedSubpath {
  /** Absolute path (the writable root is canonical, so only the last component may be a link). */
  readonly path: string;
  readonly state: ProtectedState;
  /** Why it is protected, for error messages. */
  readonly reason: string;
  /**
   * A missing `.git` below a directory that already belongs to a repository: a placeholder would break
   * repository discovery, so the path is checked after the run instead (created → removed, run fails).
   */
  readonly watchOnly: boolean;
}

function stateOf(fs: FsView, p: string): ProtectedState {
  const st = fs.lstat(p);
  if (st === null) return "missing";
  return st.type;
}

/**
 * Whether an ancestor of `root` holds a repository. An empty `.git` directory does not count: it is
 * what a placeholder leaves behind when a daemon dies mid-run, and must not switch every workspace
 * below it from a placeholder to the weaker after-the-run check.
 */
function insideRepository(root: string, fs: FsView): boolean {
  for (let dir = parentOf(root); ; dir = parentOf(dir)) {
    const git = joinPath(dir, ".git");
    const st = fs.lstat(git);
    if (st !== null && (st.type !== "dir" || (fs.readdir(git)?.length ?? 0) > 0)) return true;
    if (dir === "/") return false;
  }
}

/** Parses a `.git` pointer file ("gitdir: X") and returns X made absolute. */
export function parseGitdirPointer(text: string, fileDir: string): string | null {
  const m = /^gitdir:\s*(.+?)\s*$/m.exec(text);
  if (!m?.[1]) return null;
  return normalizeAbsolute(m[1], fileDir);
}

/**
 * The protected paths under one writable root. For a `.git` file (worktree or submodule) the gitdir
 * it points at and that gitdir's `commondir` are protected too; they are returned even when they lie
 * outside the root, and the planner only narrows what is actually writable.
 */
export function protectedSubpaths(root: string, fs: FsView): ProtectedSubpath[] {
  const out: ProtectedSubpath[] = [];
  for (const name of PROTECTED_NAMES) {
    const p = joinPath(root, name);
    const state = stateOf(fs, p);
    out.push({
      path: p,
      state,
      reason: `${name} under writable root ${root} stays read-only`,
      watchOnly: name === ".git" && state === "missing" && insideRepository(root, fs),
    });
    if (name !== ".git" || state !== "file") continue;
    const pointer = fs.readText(p);
    const gitdir = pointer === null ? null : parseGitdirPointer(pointer, root);
    if (gitdir === null) continue;
    out.push({ path: gitdir, state: stateOf(fs, gitdir), reason: `gitdir of ${p} stays read-only`, watchOnly: false });
    const common = fs.readText(joinPath(gitdir, "commondir"));
    if (common !== null && common.trim() !== "") {
      const commonDir = normalizeAbsolute(common.trim(), gitdir);
      out.push({ path: commonDir, state: stateOf(fs, commonDir), reason: `commondir of ${gitdir} stays read-only`, watchOnly: false });
    }
  }
  return out;
}
