// Pure bubblewrap argv builder: a fully decided, canonical mount plan in, an argv array out. No
// filesystem access, no environment, no clock: everything that depends on the host (realpath,
// existence, probe results) is decided by the planner (bwrapPlan.ts) and the probe (bwrapProbe.ts).
//
// Later mounts shadow earlier ones and bwrap creates mount points as it goes, so the ORDER of the
// arguments is part of the security contract. The emitted order is:
//
//  | row | arguments                                                        | why                                                   |
//  |-----|------------------------------------------------------------------|-------------------------------------------------------|
//  | 1   | [--new-session] --die-with-parent                                | setsid blocks TIOCSTI; tty runs drop it and rely on   |
//  |     |                                                                  | the seccomp ioctl rule instead. SIGKILL if we die.    |
//  | 2a  | --ro-bind / /  (full read)  or  --bind / /  (full write)         | base                                                  |
//  | 2b  | --tmpfs /, then --ro-bind R R / --symlink T L per platform root  | restricted read; made read-only by row 7              |
//  | 3   | --dev /dev                                                       | before any /dev/* bind, or that bind is hidden        |
//  | 3b  | --proc /proc  (or --tmpfs /proc when the probe refused procfs)   | a mount point: must precede row 7                     |
//  | 4-6 | path mounts, shallowest first, then by path (see below)          | a deeper mount always lands after its ancestors       |
//  | 7   | --remount-ro /   (restricted read only)                          | after every mount point: it makes / unwritable, and   |
//  |     |                                                                  | without it writes land silently on the tmpfs          |
//  | 8   | --unshare-user --unshare-pid --unshare-ipc [--unshare-net]       | --unshare-user is explicit: bwrap omits it for uid 0, |
//  |     | --cap-drop ALL [--disable-userns]                                | and without --cap-drop ALL root can umount or remount |
//  | 9   | --chdir <cwd> --seccomp <fd> --json-status-fd <fd>               | canonical cwd, or a symlinked cwd runs in the tmpfs;  |
//  |     |                                                                  | filter on every run; status doc                       |
//  | 10  | -- <command…>                                                    |                                                       |
//
// Rows 4-6 (unreadable ancestors of writable roots, writable roots with their protected subpaths,
// unrelated unreadable paths) are emitted as ONE sequence sorted by path depth.
// That realises each ordering constraint at once: an unreadable ancestor precedes the writable
// root it re-opens, a root's `--bind` precedes its read-only subpaths, and a nested writable child of a
// read-only parent is bound after the parent. Per path kind:
//
//   bind         --bind P P                                     writable root
//   ro-bind      --ro-bind P P                                  existing read-only file or directory
//   placeholder  --perms 555 --tmpfs P --remount-ro P           missing protected name inside a writable
//                                                               root: blocks `mkdir P`; bwrap
//                                                               creates P on the host (cleaned up after)
//   mask-dir     --perms 000 --tmpfs P --remount-ro P           unreadable directory
//                --perms 111 --tmpfs P --dir D… [file leaf      …with re-opened descendants: the mount
//                mounts] --remount-ro P                         points are created before the remount
//   mask-file    --perms 000 --ro-bind-data <devnull fd> P      unreadable file
//
// `--perms` is dropped when the probe found a bwrap without it; the empty tmpfs still hides content.
// Invariants checked here: absolute normalised paths, no path mounted twice, a non-empty command.

export interface BwrapFeatures {
  readonly perms: boolean;
  readonly disableUserns: boolean;
}

export type PlatformRoot = { readonly kind: "ro-bind"; readonly path: string } | { readonly kind: "symlink"; readonly path: string; readonly target: string };

export interface ReopenedPath {
  readonly path: string;
  readonly type: "dir" | "file";
}

export type PathMount =
  | { readonly kind: "bind"; readonly path: string }
  | { readonly kind: "ro-bind"; readonly path: string }
  | { readonly kind: "placeholder"; readonly path: string }
  | { readonly kind: "mask-dir"; readonly path: string; readonly reopen: readonly ReopenedPath[] }
  | { readonly kind: "mask-file"; readonly path: string };

export interface BwrapFds {
  /** /dev/null opened read-only, for --ro-bind-data. */
  readonly devNull: number;
  /** Read end of a pipe carrying the classic-BPF program. */
  readonly seccomp: number;
  /** Write end of a pipe for --json-status-fd. */
  readonly status: number;
}

export interface BwrapInput {
  readonly bwrapPath: string;
  readonly command: readonly string[];
  /** Canonical working directory. */
  readonly cwd: string;
  readonly base: "tmpfs" | "ro-bind" | "bind";
  /** Only used with base "tmpfs". */
  readonly platformRoots: readonly PlatformRoot[];
  readonly proc: "mount" | "mask";
  readonly mounts: readonly PathMount[];
  readonly network: "isolated" | "host";
  /** PTY runs keep the controlling terminal: no --new-session (the seccomp filter blocks TIOCSTI). */
  readonly tty: boolean;
  readonly disableUserns: boolean;
  readonly features: BwrapFeatures;
  readonly fds: BwrapFds;
}

export interface BwrapArgv {
  /** argv[0] is the bwrap binary. */
  readonly argv: readonly string[];
}

function checkPath(p: string): void {
  if (!p.startsWith("/") || (p !== "/" && p.endsWith("/")) || p.includes("//") || /(^|\/)\.\.?(\/|$)/.test(p)) {
    throw new Error(`bwrap argv builder needs canonical absolute paths, got "${p}"`);
  }
}

function depthOf(p: string): number {
  return p.split("/").filter((c) => c.length > 0).length;
}

function order(a: string, b: string): number {
  const d = depthOf(a) - depthOf(b);
  if (d !== 0) return d;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Directories from just below `top` down to `leaf` (leaf included), shallowest first. */
function chainBelow(top: string, leaf: string): string[] {
  const rest = leaf.slice(top === "/" ? 1 : top.length + 1).split("/");
  const out: string[] = [];
  let cur = top === "/" ? "" : top;
  for (const c of rest) {
    cur = `${cur}/${c}`;
    out.push(cur);
  }
  return out;
}

export function buildBwrapArgv(input: BwrapInput): BwrapArgv {
  if (input.command.length === 0) throw new Error("bwrap argv builder needs a non-empty command");
  checkPath(input.cwd);
  const perms = (mode: string): string[] => (input.features.perms ? ["--perms", mode] : []);
  const a: string[] = [input.bwrapPath];

  // Row 1
  if (!input.tty) a.push("--new-session");
  a.push("--die-with-parent");

  // Row 2
  if (input.base === "tmpfs") {
    a.push("--tmpfs", "/");
    for (const r of input.platformRoots) {
      checkPath(r.path);
      if (r.kind === "ro-bind") a.push("--ro-bind", r.path, r.path);
      else a.push("--symlink", r.target, r.path);
    }
  } else if (input.base === "ro-bind") {
    a.push("--ro-bind", "/", "/");
  } else {
    a.push("--bind", "/", "/");
  }

  // Rows 3, 3b
  a.push("--dev", "/dev");
  if (input.proc === "mount") a.push("--proc", "/proc");
  else a.push("--tmpfs", "/proc");

  // Rows 4-6
  const byPath = new Map<string, PathMount>();
  for (const m of input.mounts) {
    checkPath(m.path);
    if (m.path === "/") throw new Error("bwrap argv builder: the root is set by `base`, not by a path mount");
    if (byPath.has(m.path)) throw new Error(`bwrap argv builder: ${m.path} is mounted twice`);
    byPath.set(m.path, m);
  }
  const emitted = new Set<string>();
  const emit = (m: PathMount): void => {
    emitted.add(m.path);
    switch (m.kind) {
      case "bind":
        a.push("--bind", m.path, m.path);
        return;
      case "ro-bind":
        a.push("--ro-bind", m.path, m.path);
        return;
      case "placeholder":
        a.push(...perms("555"), "--tmpfs", m.path, "--remount-ro", m.path);
        return;
      case "mask-file":
        a.push(...perms("000"), "--ro-bind-data", String(input.fds.devNull), m.path);
        return;
      case "mask-dir": {
        if (m.reopen.length === 0) {
          a.push(...perms("000"), "--tmpfs", m.path, "--remount-ro", m.path);
          return;
        }
        a.push(...perms("111"), "--tmpfs", m.path);
        const dirs = new Set<string>();
        const files: PathMount[] = [];
        for (const r of m.reopen) {
          checkPath(r.path);
          if (!r.path.startsWith(`${m.path}/`)) throw new Error(`bwrap argv builder: ${r.path} is not below ${m.path}`);
          const chain = chainBelow(m.path, r.path);
          if (r.type === "file") {
            chain.pop();
            const leaf = byPath.get(r.path);
            if (leaf === undefined || (leaf.kind !== "bind" && leaf.kind !== "ro-bind")) {
              throw new Error(`bwrap argv builder: re-opened file ${r.path} has no bind`);
            }
            files.push(leaf);
          }
          for (const d of chain) dirs.add(d);
        }
        for (const d of [...dirs].sort(order)) a.push("--dir", d);
        // A file mount point cannot be made with --dir: bind the file while the tmpfs is writable.
        for (const f of files.sort((x, y) => order(x.path, y.path))) emit(f);
        a.push("--remount-ro", m.path);
        return;
      }
    }
  };
  for (const m of [...input.mounts].sort((x, y) => order(x.path, y.path))) {
    if (!emitted.has(m.path)) emit(m);
  }

  // Row 7
  if (input.base === "tmpfs") a.push("--remount-ro", "/");

  // Row 8
  a.push("--unshare-user", "--unshare-pid", "--unshare-ipc");
  if (input.network === "isolated") a.push("--unshare-net");
  a.push("--cap-drop", "ALL");
  if (input.disableUserns && input.features.disableUserns) a.push("--disable-userns");

  // Row 9
  a.push("--chdir", input.cwd, "--seccomp", String(input.fds.seccomp), "--json-status-fd", String(input.fds.status));

  // Row 10
  a.push("--", ...input.command);
  return { argv: a };
}
