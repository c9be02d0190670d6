// The second half of the known-safe contract (commandSafety.ts has the first): the program a
// known-safe command runs must be the system's, not a file the model could have written. A table
// entry matches only when the program that would run — a bare name looked up on the command's PATH
// as bash and execvp look it up, or an absolute path — lies outside every writable root, and so does
// every directory on the way to it: a symlink inside a root could be swapped for another target, and
// a PATH directory inside a root that the lookup passes through could gain a file of that name
// between this check and the run. A relative program (`./cat`, `bin/cat`), a relative or empty PATH
// entry (found relative to a cwd that `cd` may change), no PATH, or a name not found, is never trusted.
//
// Which roots count: those the thread's sandbox policy resolves to, with permissions granted through
// request_permissions, as the launcher resolves them (the command's cwd is the policy cwd, TMPDIR is
// the command's); plus the command's cwd under every policy, because the project is not the
// system's tools even where the sandbox is read-only. Under danger-full-access (or an external
// sandbox) every path is writable in effect; there the roots are those workspace-write would give
// (cwd, /tmp, $TMPDIR): the places where the checked-out project, the model's earlier output and
// scratch files live. A system tool the user's own approved commands replaced is not caught there.
//
// This is the I/O the gate gathers for approvalPlan.ts, which stays pure.
import { isExecutableFile } from "../../sandbox/bwrapProbe.js";
import { canonicalize, nodeFsView, type FsView } from "../../sandbox/fsView.js";
import { components, isUnderOrEqual, joinPath, normalizeAbsolute } from "../../sandbox/paths.js";
import { isSplitPolicy, toSplitPolicy, type SplitSandboxPolicy } from "../../sandbox/splitSandboxPolicy.js";
import { resolveFileSystemPolicy } from "../../sandbox/resolvedFileSystemPolicy.js";
import type { SandboxPolicy } from "../../sandbox/sandboxPolicy.js";

export interface ProgramContext {
  /** The command's cwd (absolute). */
  readonly cwd: string;
  /** The PATH the command is launched with; null when it has none. */
  readonly pathEnv: string | null;
  /** Canonical directories a program must not lie in (untrustedRoots). */
  readonly roots: readonly string[];
  readonly fs?: FsView;
  readonly isExecutable?: (path: string) => boolean;
}

/** The roots a trusted program must lie outside of (see the module comment). */
export function untrustedRoots(policy: SandboxPolicy | SplitSandboxPolicy, cwd: string, tmpdir: string | null, fs: FsView = nodeFsView): string[] {
  const split = isSplitPolicy(policy) ? policy : toSplitPolicy(policy);
  const fileSystem = split.fileSystem.kind === "restricted" ? split.fileSystem : toSplitPolicy({ type: "workspaceWrite" }).fileSystem;
  const policyCwd = canonicalize(normalizeAbsolute(cwd, "/"), fs);
  const resolved = resolveFileSystemPolicy(fileSystem, { cwd: policyCwd, fs, ...(tmpdir !== null ? { tmpdir } : {}) });
  if (resolved.fullWrite) return ["/"];
  return [...new Set([policyCwd, ...resolved.writableRoots.map((r) => r.root)])];
}

/** The first root that `p`, or a directory on the way to it (each resolved as it is now), lies in. */
function rootOnTheWay(p: string, roots: readonly string[], fs: FsView): string | null {
  const parts = components(p);
  for (let i = 0; i <= parts.length; i++) {
    const prefix = `/${parts.slice(0, i).join("/")}`;
    const real = canonicalize(prefix, fs);
    for (const root of roots) if (isUnderOrEqual(prefix, root) || isUnderOrEqual(real, root)) return root;
  }
  return null;
}

/** Why `word` is not the system's program, or null when it is. */
export function untrustedProgramReason(word: string, ctx: ProgramContext): string | null {
  const fs = ctx.fs ?? nodeFsView;
  const isExecutable = ctx.isExecutable ?? isExecutableFile;
  if (word.startsWith("/")) {
    const candidate = normalizeAbsolute(word, "/");
    if (!isExecutable(candidate)) return `${word} is not an executable file`;
    const root = rootOnTheWay(candidate, ctx.roots, fs);
    if (root === null) return null;
    const real = canonicalize(candidate, fs);
    return `${word}${real !== candidate ? ` (${real})` : ""} is inside the writable root ${root}`;
  }
  if (word.includes("/")) return `${word} is a relative path`;
  if (ctx.pathEnv === null) return `${word}: the command has no PATH`;
  for (const dir of ctx.pathEnv.split(":")) {
    if (!dir.startsWith("/")) return `${word}: PATH entry "${dir}" is relative, so the lookup depends on the directory the command is in`;
    const candidate = joinPath(normalizeAbsolute(dir, "/"), word);
    // A directory the lookup passes through counts even without the file: one could appear there before the run.
    const root = rootOnTheWay(candidate, ctx.roots, fs);
    if (root !== null) return `${word}: PATH directory ${dir} is inside the writable root ${root}`;
    if (isExecutable(candidate)) return null;
  }
  return `${word} is not found on PATH`;
}

/** Why one of `programs` is not the system's, or null when every one is. */
export function untrustedProgram(programs: readonly string[], ctx: ProgramContext): string | null {
  for (const p of programs) {
    const reason = untrustedProgramReason(p, ctx);
    if (reason !== null) return reason;
  }
  return null;
}
