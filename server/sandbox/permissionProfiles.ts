// Named permission profiles (config.toml `[permissions.<id>]` and the built-ins), as plain data, and
// their resolution into the split policy every launcher consumes.
import { SandboxPolicyError } from "./errors.js";
import { parseFileSystemAccess, type FileSystemAccess } from "./fileSystemAccess.js";
import { joinPath, normalizeAbsolute } from "./paths.js";
import {
  sandboxEntry,
  specialPath,
  type FileSystemSandboxEntry,
  type FileSystemSandboxPolicy,
  type NetworkSandboxPolicy,
  type SplitSandboxPolicy,
} from "./splitSandboxPolicy.js";

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

function isGlob(s: string): boolean {
  return /[*?[]/.test(s);
}

interface FlatProfile {
  unrestricted: boolean;
  fs: Map<string, FileSystemAccess>; // key: top-level key, or ":workspace_roots\0<sub>"
  roots: Map<string, boolean>;
  network: boolean | undefined;
  domains: Map<string, "allow" | "deny">;
  globScanMaxDepth: number | undefined;
}

function flatten(id: string, profiles: Readonly<Record<string, PermissionProfileConfig>>, seen: readonly string[]): FlatProfile {
  if (seen.includes(id)) throw new SandboxPolicyError(`permission profile cycle: ${[...seen, id].join(" → ")}`);
  const cfg = profiles[id] ?? BUILTIN_PROFILES[id];
  if (cfg === undefined) throw new SandboxPolicyError(`unknown permission profile "${id}"`);
  const out: FlatProfile =
    cfg.extends !== undefined
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
  if (flat.unrestricted && flat.fs.size > 0) entries.push(sandboxEntry(specialPath({ kind: "root" }), "write"));
  for (const [key, access] of flat.fs) {
    const [top, sub] = key.split("\0") as [string, string | undefined];
    if (top === ":workspace_roots") {
      for (const root of roots) {
        if (sub === undefined || sub === ".") entries.push(sandboxEntry({ type: "path", path: root }, access));
        else if (isGlob(sub)) entries.push(sandboxEntry({ type: "glob_pattern", pattern: joinPath(root, sub) }, access));
        else entries.push(sandboxEntry({ type: "path", path: normalizeAbsolute(sub, root) }, access));
      }
      continue;
    }
    switch (top) {
      case ":root":
        entries.push(sandboxEntry(specialPath({ kind: "root" }), access));
        break;
      case ":minimal":
        entries.push(sandboxEntry(specialPath({ kind: "minimal" }), access));
        break;
      case ":tmpdir":
        entries.push(sandboxEntry(specialPath({ kind: "tmpdir" }), access));
        break;
      case ":slash_tmp":
        entries.push(sandboxEntry(specialPath({ kind: "slash_tmp" }), access));
        break;
      default: {
        if (top.startsWith(":")) throw new SandboxPolicyError(`permission profile "${id}": unknown filesystem root "${top}"`);
        const abs = expandUser(top, ctx, id);
        entries.push(isGlob(top) ? sandboxEntry({ type: "glob_pattern", pattern: abs }, access) : sandboxEntry({ type: "path", path: abs }, access));
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
