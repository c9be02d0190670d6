// The sandbox policy model, independent of any OS. Three layers:
//
//  1. `SandboxPolicy`: the legacy v2 wire shape (tag `type`, camelCase fields, every field but `type`
//     optional with the wire's defaults), mirrored field for field so the handler's mapping is trivial.
//  2. `SplitSandboxPolicy`: a `FileSystemSandboxPolicy` (entries of path / glob / special → read,
//     write or none) plus a `NetworkSandboxPolicy`. Legacy policies and named permission profiles
//     both convert into it; launchers only ever see this form.
//  3. `ResolvedFileSystemPolicy`: the split policy resolved against a cwd and the host filesystem:
//     canonical paths, writable roots, readable roots, unreadable roots.
//
// Invariants:
//  - Access for a path comes from the most specific entry that covers it (component-wise prefix).
//    Equally specific entries go to the more restrictive access, none > read > write (issue 9): two
//    spellings of one directory, one read and one write, must not hand out write. The legacy
//    conversion is the one place where a read entry is not meant to narrow: a legacy readable root
//    only ever adds read access, so its entries are marked `additive` and lose a tie against write
//    (workspaceWrite with restricted read lists the cwd as read AND as write). No entry covering a
//    path means `none`.
//  - Resolution never widens access: a missing writable root is dropped with a warning (nothing can
//    be written where nothing is bound), and protected subpaths are only ever narrowings.
//  - Paths are canonical after resolution (realpath of the longest existing ancestor plus the missing
//    tail); the logical spellings are kept beside them so the planner can detect symlinks that a
//    sandboxed process could swap (sandbox.md §2.4).
import type { FsView } from "./fsView.js";
import { SandboxPolicyError } from "./errors.js";
import {
  byDepthThenPath,
  components,
  depth,
  isStrictlyUnder,
  isUnderOrEqual,
  joinPath,
  normalizeAbsolute,
  parentOf,
} from "./paths.js";

// ---------------------------------------------------------------------------------------------
// Legacy wire-shaped policy

export type NetworkAccess = "restricted" | "enabled";

export type ReadOnlyAccess =
  | { readonly type: "fullAccess" }
  | {
      readonly type: "restricted";
      readonly includePlatformDefaults?: boolean;
      readonly readableRoots?: readonly string[];
    };

export type SandboxPolicy =
  | { readonly type: "dangerFullAccess" }
  | { readonly type: "readOnly"; readonly networkAccess?: boolean; readonly access?: ReadOnlyAccess }
  | {
      readonly type: "workspaceWrite";
      readonly writableRoots?: readonly string[];
      readonly networkAccess?: boolean;
      readonly excludeTmpdirEnvVar?: boolean;
      readonly excludeSlashTmp?: boolean;
      readonly readOnlyAccess?: ReadOnlyAccess;
    }
  | { readonly type: "externalSandbox"; readonly networkAccess?: NetworkAccess };

/** `sandbox_mode` in config.toml and `--sandbox` on the CLI. */
export type SandboxMode = "read-only" | "workspace-write" | "danger-full-access";

/** `[sandbox_workspace_write]` in config.toml. */
export interface SandboxWorkspaceWriteConfig {
  readonly writable_roots?: readonly string[];
  readonly network_access?: boolean;
  readonly exclude_tmpdir_env_var?: boolean;
  readonly exclude_slash_tmp?: boolean;
}

export function sandboxPolicyForMode(mode: SandboxMode, ww: SandboxWorkspaceWriteConfig = {}): SandboxPolicy {
  switch (mode) {
    case "read-only":
      return { type: "readOnly" };
    case "danger-full-access":
      return { type: "dangerFullAccess" };
    case "workspace-write":
      return {
        type: "workspaceWrite",
        writableRoots: ww.writable_roots ?? [],
        networkAccess: ww.network_access ?? false,
        excludeTmpdirEnvVar: ww.exclude_tmpdir_env_var ?? false,
        excludeSlashTmp: ww.exclude_slash_tmp ?? false,
      };
  }
}

// ---------------------------------------------------------------------------------------------
// Split policy

export type FileSystemAccess = "read" | "write" | "none";

export type FileSystemSpecialPath =
  | { readonly kind: "root" }
  | { readonly kind: "minimal" }
  | { readonly kind: "current_working_directory" }
  | { readonly kind: "project_roots"; readonly subpath?: string | null }
  | { readonly kind: "tmpdir" }
  | { readonly kind: "slash_tmp" }
  /** Sent by newer peers; kept for round-tripping and otherwise ignored. */
  | { readonly kind: "unknown"; readonly path: string; readonly subpath?: string | null };

export type FileSystemPath =
  | { readonly type: "path"; readonly path: string }
  | { readonly type: "glob_pattern"; readonly pattern: string }
  | { readonly type: "special"; readonly value: FileSystemSpecialPath };

export interface FileSystemSandboxEntry {
  readonly path: FileSystemPath;
  readonly access: FileSystemAccess;
  /**
   * Legacy read part only: the entry adds read access and never narrows, so an equally specific
   * write entry wins over it. Entries from profiles and the wire never set it.
   */
  readonly additive?: true;
}

export type FileSystemPolicyKind = "restricted" | "unrestricted" | "external-sandbox";

export interface FileSystemSandboxPolicy {
  readonly kind: FileSystemPolicyKind;
  /** Ignored unless kind is "restricted". */
  readonly entries: readonly FileSystemSandboxEntry[];
  readonly globScanMaxDepth?: number;
}

export type NetworkSandboxPolicy = "restricted" | "enabled";

export interface SplitSandboxPolicy {
  readonly fileSystem: FileSystemSandboxPolicy;
  readonly network: NetworkSandboxPolicy;
  /** Human name used in denial messages: "workspace-write", a profile id, … */
  readonly label: string;
}

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

const special = (value: FileSystemSpecialPath): FileSystemPath => ({ type: "special", value });
const entry = (path: FileSystemPath, access: FileSystemAccess): FileSystemSandboxEntry => ({ path, access });

function readPart(access: ReadOnlyAccess | undefined): FileSystemSandboxEntry[] {
  const add = (path: FileSystemPath): FileSystemSandboxEntry => ({ path, access: "read", additive: true });
  if (access === undefined || access.type === "fullAccess") return [add(special({ kind: "root" }))];
  const out = [add(special({ kind: "current_working_directory" }))];
  if (access.includePlatformDefaults ?? true) out.push(add(special({ kind: "minimal" })));
  for (const root of access.readableRoots ?? []) out.push(add({ type: "path", path: root }));
  return out;
}

export function policyLabel(policy: SandboxPolicy): string {
  switch (policy.type) {
    case "dangerFullAccess":
      return "danger-full-access";
    case "readOnly":
      return "read-only";
    case "workspaceWrite":
      return "workspace-write";
    case "externalSandbox":
      return "external-sandbox";
  }
}

/** Legacy → split, following the reference's conversion (sandbox.md §1.2). Needs no filesystem. */
export function toSplitPolicy(policy: SandboxPolicy): SplitSandboxPolicy {
  const label = policyLabel(policy);
  switch (policy.type) {
    case "dangerFullAccess":
      return { fileSystem: { kind: "unrestricted", entries: [] }, network: "enabled", label };
    case "externalSandbox":
      return {
        fileSystem: { kind: "external-sandbox", entries: [] },
        network: policy.networkAccess ?? "restricted",
        label,
      };
    case "readOnly":
      return {
        fileSystem: { kind: "restricted", entries: readPart(policy.access) },
        network: policy.networkAccess === true ? "enabled" : "restricted",
        label,
      };
    case "workspaceWrite": {
      const writable = policy.writableRoots ?? [];
      // A legacy readable root under a writable root would otherwise narrow it to read-only.
      const under = (p: string): boolean =>
        p.startsWith("/") && writable.some((w) => w.startsWith("/") && isUnderOrEqual(normalizeAbsolute(p, "/"), normalizeAbsolute(w, "/")));
      const read = readPart(policy.readOnlyAccess).filter((e) => !(e.path.type === "path" && under(e.path.path)));
      const entries = [
        ...read,
        entry(special({ kind: "current_working_directory" }), "write"),
        ...writable.map((p) => entry({ type: "path", path: p }, "write")),
      ];
      if (!(policy.excludeSlashTmp ?? false)) entries.push(entry(special({ kind: "slash_tmp" }), "write"));
      if (!(policy.excludeTmpdirEnvVar ?? false)) entries.push(entry(special({ kind: "tmpdir" }), "write"));
      return {
        fileSystem: { kind: "restricted", entries },
        network: policy.networkAccess === true ? "enabled" : "restricted",
        label,
      };
    }
  }
}

export function isSplitPolicy(p: SandboxPolicy | SplitSandboxPolicy): p is SplitSandboxPolicy {
  return "fileSystem" in p;
}

// ---------------------------------------------------------------------------------------------
// Resolution

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

/** The winner of two equally specific entries: the more restrictive one (none > read > write). */
export function conflictWinner(a: FileSystemAccess, b: FileSystemAccess): FileSystemAccess {
  return narrower(a, b);
}

/** The more restrictive of two accesses (none < read < write in capability). */
export function narrower(a: FileSystemAccess, b: FileSystemAccess): FileSystemAccess {
  const cap: Record<FileSystemAccess, number> = { none: 0, read: 1, write: 2 };
  return cap[a] <= cap[b] ? a : b;
}

/** realpath of the longest existing ancestor, with the missing tail re-appended. */
export function canonicalize(p: string, fs: FsView): string {
  let head = p;
  const tail: string[] = [];
  for (;;) {
    const real = fs.realpath(head);
    if (real !== null) return tail.length === 0 ? real : joinPath(real, ...tail.reverse());
    if (head === "/") return p;
    const parts = components(head);
    tail.push(parts[parts.length - 1] ?? "");
    head = parentOf(head);
  }
}

function isGlob(s: string): boolean {
  return /[*?[]/.test(s);
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
  const fullWrite =
    rootAccess === "write" && rules.every((r) => r.access === "write") && globs.every((g) => g.access === "write");

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

// ---------------------------------------------------------------------------------------------
// Protected subpaths (sandbox.md §1.3)

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

/**
 * The first symlink on `logical` that lies inside a writable root, or null. Such a link can be replaced
 * by the sandboxed process (`rm link && mkdir link`), so a read-only or denied path through it cannot be
 * enforced by mounting its current target (sandbox.md §2.4, E9). Links outside writable roots
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

// ---------------------------------------------------------------------------------------------
// Named permission profiles (config.toml `[permissions.<id>]`), as plain data

export type ProfileAccessName = "read" | "write" | "deny" | "none";

export interface PermissionProfileConfig {
  readonly extends?: string;
  readonly description?: string;
  /** Extra workspace roots: path → enabled. `~/` is expanded, relative paths resolve against the cwd. */
  readonly workspace_roots?: Readonly<Record<string, boolean>>;
  /**
   * Keys: ":root", ":minimal", ":tmpdir", ":slash_tmp", ":workspace_roots" (an access, or a table of
   * subpath/glob → access applied under every workspace root), "/abs/path", "~/path", or globs.
   */
  readonly filesystem?: Readonly<Record<string, ProfileAccessName | Readonly<Record<string, ProfileAccessName>>>>;
  readonly glob_scan_max_depth?: number;
  readonly network?: {
    readonly enabled?: boolean;
    readonly domains?: Readonly<Record<string, "allow" | "deny">>;
  };
}

export interface ProfileContext {
  readonly cwd: string;
  readonly home?: string;
  /** Runtime workspace roots (e.g. `--add-dir`), added to the cwd and the profile's own roots. */
  readonly workspaceRoots?: readonly string[];
}

export interface ResolvedPermissionProfile {
  readonly id: string;
  readonly policy: SplitSandboxPolicy;
  /** cwd first, then profile roots, then runtime roots; absolute, deduplicated. */
  readonly workspaceRoots: readonly string[];
  readonly domains: { readonly allow: readonly string[]; readonly deny: readonly string[] };
}

export const BUILTIN_PROFILES: Readonly<Record<string, PermissionProfileConfig>> = {
  ":read-only": { description: "Commands can read, not write; no network", filesystem: { ":root": "read" } },
  ":workspace": {
    description: "Writes inside the workspace roots and temp dirs; no network",
    filesystem: { ":root": "read", ":workspace_roots": "write", ":tmpdir": "write", ":slash_tmp": "write" },
  },
  ":danger-full-access": {
    description: "No local sandbox restriction",
    network: { enabled: true },
  },
};

export function listPermissionProfiles(
  profiles: Readonly<Record<string, PermissionProfileConfig>>,
): { id: string; description: string | null }[] {
  const all = { ...BUILTIN_PROFILES, ...profiles };
  return Object.keys(all).map((id) => ({ id, description: all[id]?.description ?? null }));
}

interface FlatProfile {
  unrestricted: boolean;
  fs: Map<string, FileSystemAccess>; // key: top-level key, or ":workspace_roots\0<sub>"
  roots: Map<string, boolean>;
  network: boolean | undefined;
  domains: Map<string, "allow" | "deny">;
  globScanMaxDepth: number | undefined;
}

function flatten(
  id: string,
  profiles: Readonly<Record<string, PermissionProfileConfig>>,
  seen: readonly string[],
): FlatProfile {
  if (seen.includes(id)) throw new SandboxPolicyError(`permission profile cycle: ${[...seen, id].join(" → ")}`);
  const cfg = profiles[id] ?? BUILTIN_PROFILES[id];
  if (cfg === undefined) throw new SandboxPolicyError(`unknown permission profile "${id}"`);
  const out: FlatProfile = cfg.extends !== undefined
    ? flatten(cfg.extends, profiles, [...seen, id])
    : { unrestricted: false, fs: new Map(), roots: new Map(), network: undefined, domains: new Map(), globScanMaxDepth: undefined };
  if (id === ":danger-full-access" && profiles[id] === undefined) out.unrestricted = true;
  for (const [k, v] of Object.entries(cfg.filesystem ?? {})) {
    if (typeof v === "string") out.fs.set(k, parseFileSystemAccess(v));
    else if (k === ":workspace_roots") {
      for (const [sub, a] of Object.entries(v)) out.fs.set(`${k}\0${sub}`, parseFileSystemAccess(a));
    } else throw new SandboxPolicyError(`permission profile "${id}": only ":workspace_roots" takes a table, not "${k}"`);
  }
  for (const [k, v] of Object.entries(cfg.workspace_roots ?? {})) out.roots.set(k, v);
  if (cfg.network?.enabled !== undefined) out.network = cfg.network.enabled;
  for (const [k, v] of Object.entries(cfg.network?.domains ?? {})) out.domains.set(k.toLowerCase(), v);
  if (cfg.glob_scan_max_depth !== undefined) out.globScanMaxDepth = cfg.glob_scan_max_depth;
  return out;
}

function expandUser(p: string, ctx: ProfileContext, id: string): string {
  if (p === "~" || p.startsWith("~/")) {
    if (ctx.home === undefined) throw new SandboxPolicyError(`permission profile "${id}": cannot expand "${p}" without a home directory`);
    return normalizeAbsolute(joinPath(ctx.home, p.slice(1)), "/");
  }
  return normalizeAbsolute(p, ctx.cwd);
}

/** Resolves a named profile (built-in or from config) into the split policy every launcher consumes. */
export function resolvePermissionProfile(
  id: string,
  profiles: Readonly<Record<string, PermissionProfileConfig>>,
  ctx: ProfileContext,
): ResolvedPermissionProfile {
  const flat = flatten(id, profiles, []);
  const roots: string[] = [];
  const addRoot = (r: string): void => {
    if (!roots.includes(r)) roots.push(r);
  };
  addRoot(normalizeAbsolute(ctx.cwd, "/"));
  for (const [r, on] of flat.roots) if (on) addRoot(expandUser(r, ctx, id));
  for (const r of ctx.workspaceRoots ?? []) addRoot(expandUser(r, ctx, id));

  const entries: FileSystemSandboxEntry[] = [];
  if (flat.unrestricted && flat.fs.size > 0) entries.push(entry(special({ kind: "root" }), "write"));
  for (const [key, access] of flat.fs) {
    const [top, sub] = key.split("\0") as [string, string | undefined];
    if (top === ":workspace_roots") {
      for (const root of roots) {
        if (sub === undefined || sub === ".") entries.push(entry({ type: "path", path: root }, access));
        else if (isGlob(sub)) entries.push(entry({ type: "glob_pattern", pattern: joinPath(root, sub) }, access));
        else entries.push(entry({ type: "path", path: normalizeAbsolute(sub, root) }, access));
      }
      continue;
    }
    switch (top) {
      case ":root":
        entries.push(entry(special({ kind: "root" }), access));
        break;
      case ":minimal":
        entries.push(entry(special({ kind: "minimal" }), access));
        break;
      case ":tmpdir":
        entries.push(entry(special({ kind: "tmpdir" }), access));
        break;
      case ":slash_tmp":
        entries.push(entry(special({ kind: "slash_tmp" }), access));
        break;
      default: {
        if (top.startsWith(":")) throw new SandboxPolicyError(`permission profile "${id}": unknown filesystem root "${top}"`);
        const abs = expandUser(top, ctx, id);
        entries.push(isGlob(top) ? entry({ type: "glob_pattern", pattern: abs }, access) : entry({ type: "path", path: abs }, access));
      }
    }
  }
  const fileSystem: FileSystemSandboxPolicy =
    flat.unrestricted && flat.fs.size === 0
      ? { kind: "unrestricted", entries: [] }
      : flat.globScanMaxDepth === undefined
        ? { kind: "restricted", entries }
        : { kind: "restricted", entries, globScanMaxDepth: flat.globScanMaxDepth };
  const network: NetworkSandboxPolicy = (flat.network ?? flat.unrestricted) ? "enabled" : "restricted";
  const allow = [...flat.domains].filter(([, v]) => v === "allow").map(([k]) => k);
  const deny = [...flat.domains].filter(([, v]) => v === "deny").map(([k]) => k);
  return { id, policy: { fileSystem, network, label: id }, workspaceRoots: roots, domains: { allow, deny } };
}
