// Turns a resolved filesystem policy into the canonical, fully decided mount plan that the pure argv
// builder (bwrap.ts) consumes. This is where the host filesystem is consulted (through FsView):
// existence, file vs directory, protected names, glob matches, symlinks.
//
// Invariants:
//  - Only narrowings are added on top of the policy: protected names (.git, .codex, .agents, .aws, a
//    worktree's gitdir), the daemon's read-only files and its denied state dir, and glob matches can
//    turn write into read or anything into none, never the other way round.
//  - A read-only or denied path whose spelling runs through a symlink inside a writable root refuses
//    the launch (SandboxUnavailableError "unenforceable-path"): the sandboxed process could swap the
//    link, and bwrap follows links when mounting over them.
//  - A path mount is emitted only where its access differs from what its parent already has, so the
//    plan is minimal and every emitted mount changes something.
//  - A missing read-only or denied path is given a placeholder only where it could otherwise be
//    created (its parent is writable); the host paths bwrap will create for it are returned so the
//    caller can remove them after the run.
import type { BwrapFds, BwrapInput, PathMount, PlatformRoot, ReopenedPath } from "./bwrap.js";
import type { BwrapProbe } from "./bwrapProbe.js";
import type { FsView } from "./fsView.js";
import type { FileSystemAccess } from "./fileSystemAccess.js";
import type { ResolvedFileSystemPolicy, SandboxWarning } from "./resolvedFileSystemPolicy.js";
import type { SplitSandboxPolicy } from "./splitSandboxPolicy.js";
import { SandboxUnavailableError } from "./errors.js";
import { expandGlob } from "./globs.js";
import { byDepthThenPath, isStrictlyUnder, isUnderOrEqual, parentOf } from "./paths.js";
import { LINUX_PLATFORM_DEFAULTS } from "./bwrapProbe.js";
import { accessForPath, narrower } from "./fileSystemAccess.js";
import { canonicalize } from "./fsView.js";
import { findWritableSymlinkCrossing } from "./symlinkCrossing.js";
import { protectedSubpaths } from "./protectedSubpaths.js";

/** Daemon-owned paths that must stay out of reach of the commands it runs. */
export interface DaemonPaths {
  /** Made unreadable (e.g. the daemon's state/home directory). */
  readonly deny?: readonly string[];
  /** Kept read-only where a writable root covers them (e.g. config.toml). */
  readonly readOnly?: readonly string[];
}

export interface PlanInput {
  readonly policy: SplitSandboxPolicy;
  readonly resolved: ResolvedFileSystemPolicy;
  readonly cwd: string;
  readonly command: readonly string[];
  readonly tty: boolean;
  readonly probe: BwrapProbe;
  readonly disableUserns: boolean;
  readonly fs: FsView;
  readonly fds: BwrapFds;
  readonly daemonPaths?: DaemonPaths;
  readonly platformDefaults?: readonly string[];
  readonly isLivePlaceholder?: (path: string) => boolean;
  /**
   * Managed networking: the network is isolated even though the policy
   * enables it, and these files (the node binary and the relay script, canonical) must be readable
   * inside: each is bound read-only where the plan would not show it, or over it where a writable
   * root would let the command rewrite it. One under a denied path refuses the launch.
   */
  readonly relayFiles?: readonly string[];
}

export interface PlannedRule {
  readonly path: string;
  readonly access: FileSystemAccess;
  readonly reason: string;
}

export interface BwrapPlan {
  readonly input: BwrapInput;
  /** Host paths bwrap creates for placeholders, shallowest first; remove them after the run. */
  readonly placeholders: readonly string[];
  /** Missing `.git` paths left without a placeholder (inside a repository); check them after the run. */
  readonly watch: readonly string[];
  readonly warnings: readonly SandboxWarning[];
  /** Every effective rule (policy plus narrowings), for denial messages. */
  readonly rules: readonly PlannedRule[];
  readonly writableRoots: readonly string[];
}

interface Rule {
  access: FileSystemAccess;
  logical: Set<string>;
  reason: string;
  platform: boolean;
}

function unenforceable(logical: string, access: FileSystemAccess, link: string): SandboxUnavailableError {
  const what = access === "none" ? "denied" : "read-only";
  return new SandboxUnavailableError(
    "unenforceable-path",
    `cannot enforce sandbox ${what} path ${logical}: it crosses writable symlink ${link}`,
    `replace the symlink ${link} with the file or directory it points to, or run the command with dangerFullAccess`,
  );
}

/** Entries a hard-link search may visit before it gives up and refuses the launch. */
export const HARD_LINK_SEARCH_BUDGET = 20_000;

/**
 * Pre-existing hard links. A mount protects a path, not an inode: a second
 * name for a protected file, made before the run inside a writable root, would let the sandbox write
 * the protected inode through the writable bind. The sandbox itself cannot make such links (link(2)
 * across mounts is EXDEV), so only links that already exist matter. For every protected regular file
 * with more than one link (read-only or denied files of the plan, the config and hooks of a protected
 * `.git` directory), the writable roots are searched for its other names, and each one found gets the
 * protected file's access, i.e. its own read-only or masking mount. The search only runs when such a
 * file exists; if it cannot finish within HARD_LINK_SEARCH_BUDGET entries the launch is refused (fail
 * closed). Files outside every protected set are not covered: finding an arbitrary outside file's
 * other names would mean walking the writable roots on every command.
 */
function protectHardLinks(
  rules: Map<string, Rule>,
  requested: readonly { path: string; access: FileSystemAccess }[],
  list: () => { path: string; access: FileSystemAccess }[],
  narrow: (logical: string, access: FileSystemAccess, reason: string) => void,
  fs: FsView,
): void {
  const targets = new Map<string, { path: string; access: FileSystemAccess; unknown: number }>();
  const seen = new Set<string>();
  const consider = (p: string, access: FileSystemAccess): void => {
    if (seen.has(p)) return;
    seen.add(p);
    const st = fs.lstat(p);
    if (st?.type !== "file" || st.nlink < 2) return;
    const key = `${st.dev}:${st.ino}`;
    const t = targets.get(key);
    if (t === undefined) targets.set(key, { path: p, access, unknown: st.nlink - 1 });
    else {
      t.access = narrower(t.access, access);
      t.unknown--;
    }
  };
  // Requested narrowings count even where they changed nothing: a daemon file outside the writable
  // roots is read-only by the base mount, but a second name of it inside a root would not be.
  const protectedPaths = [...[...rules].filter(([, r]) => r.access !== "write" && !r.platform).map(([path, r]) => ({ path, access: r.access })), ...requested];
  for (const { path: p, access } of protectedPaths) {
    if (access === "write") continue;
    const st = fs.lstat(p);
    if (st?.type === "file") consider(p, access);
    else if (st?.type === "dir" && p.endsWith("/.git")) {
      consider(`${p}/config`, access);
      for (const h of fs.readdir(`${p}/hooks`) ?? []) consider(`${p}/hooks/${h}`, access);
    }
  }
  if (targets.size === 0) return;

  const all = list();
  const roots = all
    .filter((r) => r.access === "write")
    .map((r) => r.path)
    .sort(byDepthThenPath);
  const found: { path: string; target: { path: string; access: FileSystemAccess } }[] = [];
  let budget = HARD_LINK_SEARCH_BUDGET;
  const pending = (): boolean => [...targets.values()].some((t) => t.unknown > 0);
  const walk = (dir: string): void => {
    for (const name of fs.readdir(dir) ?? []) {
      if (!pending()) return;
      if (--budget < 0) {
        const t = [...targets.values()].find((x) => x.unknown > 0);
        throw new SandboxUnavailableError(
          "unenforceable-path",
          `cannot enforce sandbox ${t?.access === "none" ? "denied" : "read-only"} path ${t?.path ?? "?"}: it has more hard links, and the writable roots are too large (over ${HARD_LINK_SEARCH_BUDGET} entries) to find them all`,
          `remove the extra hard links (find ${roots.join(" ")} -samefile ${t?.path ?? "FILE"} -delete), or run the command with dangerFullAccess`,
        );
      }
      const p = dir === "/" ? `/${name}` : `${dir}/${name}`;
      // Paths that are not writable are mounted read-only or masked already, and nested writable
      // roots are walked on their own.
      if (accessForPath(all, p) !== "write" || (p !== dir && roots.includes(p))) continue;
      const st = fs.lstat(p);
      if (st === null) continue;
      if (st.type === "dir") walk(p);
      else if (st.type === "file" && st.nlink > 1) {
        const t = targets.get(`${st.dev}:${st.ino}`);
        if (t !== undefined && t.path !== p) {
          found.push({ path: p, target: t });
          t.unknown--;
        }
      }
    }
  };
  for (const root of roots) {
    if (!pending()) break;
    walk(root);
  }
  for (const f of found) narrow(f.path, f.target.access, `hard link to protected ${f.target.path}`);
}

export function planBwrap(inp: PlanInput): BwrapPlan {
  const { fs } = inp;
  const warnings: SandboxWarning[] = [...inp.resolved.warnings];
  const rules = new Map<string, Rule>();
  const watch: string[] = [];
  const restricted = inp.policy.fileSystem.kind === "restricted";

  if (!restricted) {
    // Unrestricted filesystem with restricted network: keep the whole filesystem, cut the net.
    rules.set("/", { access: "write", logical: new Set(["/"]), reason: "unrestricted filesystem", platform: false });
  } else {
    for (const r of inp.resolved.rules) {
      rules.set(r.path, { access: r.access, logical: new Set(r.logical), reason: `policy ${inp.policy.label}`, platform: false });
    }
  }

  const list = (): { path: string; access: FileSystemAccess }[] => [...rules].map(([path, r]) => ({ path, access: r.access }));
  const narrow = (logical: string, access: FileSystemAccess, reason: string): void => {
    const canonical = canonicalize(logical, fs);
    const current = accessForPath(list(), canonical);
    const next = narrower(current, access);
    if (next === current) return;
    const existing = rules.get(canonical);
    if (existing) {
      existing.access = narrower(existing.access, next);
      existing.logical.add(logical);
      existing.reason = reason;
    } else rules.set(canonical, { access: next, logical: new Set([logical]), reason, platform: false });
  };

  // Narrowings requested on top of the policy; each is checked for swappable symlinks even when it
  // turns out to change nothing (a symlinked `.codex` must refuse whatever its target's access is).
  const requests: { logical: string; access: FileSystemAccess; reason: string }[] = [];
  const policyWritable = [...rules].filter(([, r]) => r.access === "write").map(([p]) => p);
  if (restricted) {
    for (const w of policyWritable) {
      for (const p of protectedSubpaths(w, fs)) {
        if (p.watchOnly) {
          if (accessForPath(list(), p.path) === "write") watch.push(p.path);
          continue;
        }
        requests.push({ logical: p.path, access: "read", reason: p.reason });
      }
    }
    for (const g of inp.resolved.globs) {
      if (g.access === "write") continue; // a glob can only narrow on Linux
      const max = inp.resolved.globScanMaxDepth;
      const { matches, truncated } = expandGlob(g.pattern, fs, max === undefined ? {} : { maxDepth: max });
      if (truncated) {
        warnings.push({ code: "glob-truncated", message: `glob ${g.pattern} matched too many paths or went too deep; only the first matches are enforced` });
      }
      for (const m of matches) {
        if (fs.lstat(m)?.type === "symlink") {
          // The link itself cannot be mounted over (bwrap follows it); mask what it points at.
          const target = fs.realpath(m);
          if (target !== null) requests.push({ logical: target, access: g.access, reason: `matches ${g.pattern} (link target)` });
          continue;
        }
        requests.push({ logical: m, access: g.access, reason: `matches ${g.pattern}` });
      }
    }
  }
  if (restricted) {
    // An unrestricted filesystem (network-only wrapping) is kept whole, as the user chose.
    for (const p of inp.daemonPaths?.readOnly ?? []) requests.push({ logical: p, access: "read", reason: "daemon configuration stays read-only" });
    for (const p of inp.daemonPaths?.deny ?? []) requests.push({ logical: p, access: "none", reason: "daemon state directory is not accessible" });
  }

  // Swappable symlinks: refuse rather than protect a snapshot.
  for (const [, r] of rules) {
    if (r.access === "write") continue;
    for (const logical of r.logical) {
      const link = findWritableSymlinkCrossing(logical, policyWritable, fs);
      if (link !== null) throw unenforceable(logical, r.access, link);
    }
  }
  for (const q of requests) {
    const link = findWritableSymlinkCrossing(q.logical, policyWritable, fs);
    if (link !== null) throw unenforceable(q.logical, q.access, link);
    narrow(q.logical, q.access, q.reason);
  }
  protectHardLinks(
    rules,
    requests.map((q) => ({ path: canonicalize(q.logical, fs), access: q.access })),
    list,
    narrow,
    fs,
  );
  const writableRoots = [...rules]
    .filter(([, r]) => r.access === "write")
    .map(([p]) => p)
    .sort(byDepthThenPath);

  // Row 2: base and platform roots.
  const rootAccess = accessForPath(list(), "/");
  const base: BwrapInput["base"] = rootAccess === "write" ? "bind" : rootAccess === "read" ? "ro-bind" : "tmpfs";
  const platformRoots: PlatformRoot[] = [];
  if (base === "tmpfs" && inp.resolved.includePlatformDefaults) {
    const addPlatform = (p: string): void => {
      if (!rules.has(p)) rules.set(p, { access: "read", logical: new Set([p]), reason: "platform default", platform: true });
    };
    const defaults = inp.platformDefaults ?? LINUX_PLATFORM_DEFAULTS;
    const bound: string[] = [];
    for (const d of defaults) {
      const st = fs.lstat(d);
      if (st === null) continue;
      if (st.type === "symlink") continue;
      platformRoots.push({ kind: "ro-bind", path: d });
      bound.push(d);
      addPlatform(d);
    }
    for (const d of defaults) {
      if (fs.lstat(d)?.type !== "symlink") continue;
      const target = fs.readlink(d);
      const real = fs.realpath(d);
      if (target === null || real === null) continue;
      if (!bound.some((b) => isUnderOrEqual(real, b))) {
        platformRoots.push({ kind: "ro-bind", path: real });
        bound.push(real);
        addPlatform(real);
      }
      platformRoots.push({ kind: "symlink", path: d, target });
    }
  }

  // Rows 4-6: path mounts.
  const all = list();
  const accessAt = (p: string): FileSystemAccess => accessForPath(all, p);
  const mounts = new Map<string, PathMount>();
  const masks: string[] = [];
  const placeholderSet = new Set<string>();
  const live = inp.isLivePlaceholder ?? ((): boolean => false);
  const addResidue = (p: string, top: string): void => {
    // bwrap creates every missing component from just below the nearest existing ancestor.
    const chain: string[] = [];
    for (let cur = p; isStrictlyUnder(cur, top); cur = parentOf(cur)) {
      if (fs.lstat(cur) !== null && !live(cur)) break;
      chain.push(cur);
    }
    for (const c of chain) placeholderSet.add(c);
  };
  const nearestWritable = (p: string): string => writableRoots.filter((w) => isStrictlyUnder(p, w)).pop() ?? "/";

  for (const path of [...rules.keys()].sort(byDepthThenPath)) {
    const rule = rules.get(path);
    if (path === "/" || rule === undefined || rule.platform) continue;
    const parentAccess = accessAt(parentOf(path));
    if (rule.access === parentAccess) continue;
    const st = live(path) ? null : fs.lstat(path);
    switch (rule.access) {
      case "write":
        if (st !== null) mounts.set(path, { kind: "bind", path });
        break;
      case "read":
        if (st !== null && st.type !== "symlink") mounts.set(path, { kind: "ro-bind", path });
        else if (st === null && parentAccess === "write") {
          mounts.set(path, { kind: "placeholder", path });
          addResidue(path, nearestWritable(path));
        }
        break;
      case "none":
        if (st?.type === "dir") {
          mounts.set(path, { kind: "mask-dir", path, reopen: [] });
          masks.push(path);
        } else if (st !== null && st.type !== "symlink") mounts.set(path, { kind: "mask-file", path });
        else if (st === null && parentAccess === "write") {
          mounts.set(path, { kind: "mask-dir", path, reopen: [] });
          addResidue(path, nearestWritable(path));
        }
        break;
    }
  }

  for (const file of inp.relayFiles ?? []) {
    // The deepest rule covering the file decides: denied → refuse (never re-open a denied path);
    // readable → nothing to do; writable or uncovered (restricted read) → a read-only bind of its own.
    const covering = [...rules.keys()]
      .filter((p) => isUnderOrEqual(file, p))
      .sort(byDepthThenPath)
      .pop();
    const access = covering === undefined ? "none" : rules.get(covering)?.access;
    if (covering !== undefined && access === "none") {
      throw new SandboxUnavailableError(
        "managed-network-unavailable",
        `managed networking needs ${file} inside the sandbox, but the policy denies ${covering}`,
        "install node and gatehouse outside the denied paths, or turn managed networking off for this command",
      );
    }
    if (access === "read" || mounts.has(file)) continue;
    if (fs.lstat(file)?.type !== "file") {
      throw new SandboxUnavailableError(
        "managed-network-unavailable",
        `managed networking needs ${file} (the node binary or the network relay), which is not a regular file`,
        "rebuild gatehouse (npm run build writes dist/netRelay.mjs) and run it with a node binary that is a regular file",
      );
    }
    mounts.set(file, { kind: "ro-bind", path: file });
  }

  // Mount points that must be created inside a mask's tmpfs before it is remounted read-only.
  for (const m of masks) {
    const below = [...mounts.keys()].filter((p) => isStrictlyUnder(p, m));
    const nearest = below.filter((d) => !below.some((e) => isStrictlyUnder(d, e)));
    const reopen: ReopenedPath[] = nearest.map((d) => ({ path: d, type: fs.lstat(d)?.type === "dir" ? "dir" : "file" }));
    mounts.set(m, { kind: "mask-dir", path: m, reopen });
  }

  const input: BwrapInput = {
    bwrapPath: inp.probe.path,
    command: inp.command,
    cwd: canonicalize(inp.cwd, fs),
    base,
    platformRoots,
    proc: inp.probe.proc,
    mounts: [...mounts.values()],
    network: inp.policy.network === "enabled" && inp.relayFiles === undefined ? "host" : "isolated",
    tty: inp.tty,
    disableUserns: inp.disableUserns,
    features: inp.probe.features,
    fds: inp.fds,
  };
  return {
    input,
    placeholders: [...placeholderSet].sort(byDepthThenPath),
    watch,
    warnings,
    rules: [...rules].filter(([, r]) => !r.platform).map(([path, r]) => ({ path, access: r.access, reason: r.reason })),
    writableRoots,
  };
}
