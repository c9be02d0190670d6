// `ResolvedFileSystemPolicy`: the filesystem part of a split policy resolved against a cwd and the
// host filesystem: canonical paths, writable roots, readable roots, unreadable roots.
//
// Invariants:
//  - Entries that name one canonical path combine by the tie rule (fileSystemAccess.ts), except that
//    a legacy `additive` read entry never narrows another entry's access.
//  - Resolution never widens access: a missing writable root is dropped with a warning (nothing can
//    be written where nothing is bound), and protected subpaths are only ever narrowings.
//  - Paths are canonical after resolution (realpath of the longest existing ancestor plus the missing
//    tail); the logical spellings are kept beside them so the planner can detect symlinks that a
//    sandboxed process could swap.
import { accessForPath, conflictWinner, type FileSystemAccess } from "./fileSystemAccess.js";
import { canonicalize, type FsView } from "./fsView.js";
import { byDepthThenPath, isStrictlyUnder, joinPath, normalizeAbsolute } from "./paths.js";
import type { FileSystemPath, FileSystemPolicyKind, FileSystemSandboxPolicy } from "./splitSandboxPolicy.js";

export interface ResolveContext {
  /** The policy's cwd: absolute. */
  readonly cwd: string;
  /** Roots that `project_roots` entries expand over; defaults to [cwd]. */
  readonly projectRoots?: readonly string[];
  /** The value of TMPDIR for the command; used only when set and absolute. */
  readonly tmpdir?: string | undefined;
  readonly fs: FsView;
}

export interface ResolvedRule {
  /** Canonical path. */
  readonly path: string;
  readonly access: FileSystemAccess;
  /** Absolute spellings before canonicalisation (the planner checks them for swappable symlinks). */
  readonly logical: readonly string[];
}

export interface ResolvedGlob {
  /** Absolute glob pattern. */
  readonly pattern: string;
  readonly access: FileSystemAccess;
}

export interface WritableRoot {
  readonly root: string;
  /** Narrower `read` rules below the root (protected names are added by the planner). */
  readonly readOnlySubpaths: readonly string[];
  /** Narrower `none` rules below the root. */
  readonly unreadableSubpaths: readonly string[];
}

export interface SandboxWarning {
  readonly code: "missing-writable-root" | "bwrap-not-system" | "proc-masked" | "glob-truncated";
  readonly message: string;
}

export interface ResolvedFileSystemPolicy {
  readonly kind: FileSystemPolicyKind;
  /** One rule per canonical path, shallowest first; "/" appears only when an entry names it. */
  readonly rules: readonly ResolvedRule[];
  readonly globs: readonly ResolvedGlob[];
  readonly globScanMaxDepth?: number;
  readonly includePlatformDefaults: boolean;
  readonly fullRead: boolean;
  readonly fullWrite: boolean;
  readonly writableRoots: readonly WritableRoot[];
  readonly readableRoots: readonly string[];
  readonly unreadableRoots: readonly string[];
  readonly warnings: readonly SandboxWarning[];
}

/** Logical absolute paths an entry stands for; "minimal", "unknown" and unusable specials give []. */
function entryPaths(p: FileSystemPath, ctx: ResolveContext): string[] {
  if (p.type === "path") return [normalizeAbsolute(p.path, ctx.cwd)];
  if (p.type === "glob_pattern") return [];
  const v = p.value;
  switch (v.kind) {
    case "root":
      return ["/"];
    case "minimal":
    case "unknown":
      return [];
    case "current_working_directory":
      return [normalizeAbsolute(ctx.cwd, "/")];
    case "project_roots": {
      const roots = ctx.projectRoots && ctx.projectRoots.length > 0 ? ctx.projectRoots : [ctx.cwd];
      return roots.map((r) => {
        const root = normalizeAbsolute(r, ctx.cwd);
        return v.subpath ? normalizeAbsolute(joinPath(root, v.subpath), "/") : root;
      });
    }
    case "tmpdir":
      return ctx.tmpdir !== undefined && ctx.tmpdir.startsWith("/") ? [normalizeAbsolute(ctx.tmpdir, "/")] : [];
    case "slash_tmp": {
      const real = ctx.fs.realpath("/tmp");
      return real !== null && ctx.fs.lstat(real)?.type === "dir" ? ["/tmp"] : [];
    }
  }
}

export function resolveFileSystemPolicy(policy: FileSystemSandboxPolicy, ctx: ResolveContext): ResolvedFileSystemPolicy {
  const base = {
    globs: [] as ResolvedGlob[],
    includePlatformDefaults: false,
    writableRoots: [] as WritableRoot[],
    readableRoots: [] as string[],
    unreadableRoots: [] as string[],
    warnings: [] as SandboxWarning[],
  };
  if (policy.kind !== "restricted") {
    return { ...base, kind: policy.kind, rules: [], fullRead: true, fullWrite: true };
  }

  // `additive` tracks whether every entry seen for the path so far was a legacy readable root.
  const byPath = new Map<string, { access: FileSystemAccess; additive: boolean; logical: Set<string> }>();
  const globs: ResolvedGlob[] = [];
  let minimal = false;
  for (const e of policy.entries) {
    if (e.path.type === "special" && e.path.value.kind === "minimal") {
      if (e.access !== "none") minimal = true;
      continue;
    }
    if (e.path.type === "glob_pattern") {
      globs.push({ pattern: normalizeAbsolute(e.path.pattern, ctx.cwd), access: e.access });
      continue;
    }
    for (const logical of entryPaths(e.path, ctx)) {
      const canonical = canonicalize(logical, ctx.fs);
      const additive = e.additive === true && e.access === "read";
      const cur = byPath.get(canonical);
      if (cur === undefined) byPath.set(canonical, { access: e.access, additive, logical: new Set([logical]) });
      else {
        // A legacy readable root never narrows: against it, any other entry's access stands.
        if (cur.additive && !additive) cur.access = e.access;
        else if (cur.additive === additive) cur.access = conflictWinner(cur.access, e.access);
        cur.additive &&= additive;
        cur.logical.add(logical);
      }
    }
  }

  const warnings: SandboxWarning[] = [];
  const rules: ResolvedRule[] = [];
  for (const [path, v] of byPath) {
    if (v.access === "write" && path !== "/" && ctx.fs.lstat(path) === null) {
      // Dropping the rule falls back to the ancestors' access, which is never wider than write here.
      warnings.push({
        code: "missing-writable-root",
        message: `writable root ${path} does not exist; skipped (nothing can be written there)`,
      });
      continue;
    }
    rules.push({ path, access: v.access, logical: [...v.logical].sort() });
  }
  rules.sort((a, b) => byDepthThenPath(a.path, b.path));

  const rootAccess = accessForPath(rules, "/");
  const anyNone = rules.some((r) => r.access === "none") || globs.some((g) => g.access === "none");
  const fullRead = rootAccess !== "none" && !anyNone;
  const fullWrite = rootAccess === "write" && rules.every((r) => r.access === "write") && globs.every((g) => g.access === "write");

  const writableRoots: WritableRoot[] = rules
    .filter((r) => r.access === "write")
    .map((w) => ({
      root: w.path,
      readOnlySubpaths: rules.filter((r) => r.access === "read" && isStrictlyUnder(r.path, w.path)).map((r) => r.path),
      unreadableSubpaths: rules.filter((r) => r.access === "none" && isStrictlyUnder(r.path, w.path)).map((r) => r.path),
    }));

  const out: ResolvedFileSystemPolicy = {
    kind: "restricted",
    rules,
    globs,
    includePlatformDefaults: !fullRead && minimal,
    fullRead,
    fullWrite,
    writableRoots,
    readableRoots: fullRead ? [] : rules.filter((r) => r.access !== "none").map((r) => r.path),
    unreadableRoots: rules.filter((r) => r.access === "none" && r.path !== "/").map((r) => r.path),
    warnings,
  };
  return policy.globScanMaxDepth === undefined ? out : { ...out, globScanMaxDepth: policy.globScanMaxDepth };
}
