// macOS launcher: `/usr/bin/sandbox-exec -p PROFILE -DNAME=path … -- argv`.
//
// Invariants:
// - Paths never enter the profile text. Every root and exclusion is a `(param "NAME")` in the
//   profile and a `-DNAME=path` argument, so a path with quotes, parentheses or newlines cannot
//   change the profile's meaning. The only text built from user input is the regex of a deny glob;
//   its metacharacters are escaped, and a glob with a character the regex literal cannot hold (`"`,
//   `\`, control characters) is refused (fail closed) rather than approximated.
// - The profile is base (seatbeltBase.sbpl) → read → write → deny globs → network, joined by
//   newlines. Exclusions use `require-not` instead of later rules overriding earlier ones, so the
//   order of sections does not decide access.
// - A writable root excludes its protected subpaths (.git, .codex, .agents, .aws, and a `.git`
//   file's gitdir and commondir) with both `literal` and `subpath`: `subpath` alone would still let
//   the first `mkdir .codex` through, because the folder does not exist yet.
// - Parameters are numbered in the policy's order (roots as the resolver sorts them) and passed
//   sorted by name; the same path under two names is passed twice, which sandbox-exec accepts.
// - generateSeatbeltArgs is a pure function of (policy, cwd, injected filesystem and confstr), so it
//   is snapshot-tested on Linux; only the real sandbox-exec run needs macOS.
//
// Shipping the profile: the fragments are `.sbpl` files imported as `./x.sbpl?raw` with
// `{ type: "text" }`. Vite (vitest) reads `?raw` natively; esbuild honours the text import attribute
// (and drops the query when resolving), so every bundle that reaches this module (scripts/build.mjs,
// the sandbox test driver) inlines the text without a plugin or a loader option, and nothing has to
// be copied next to dist/ or read from disk at run time.
import baseProfile from "./seatbeltBase.sbpl?raw" with { type: "text" };
import networkProfile from "./seatbeltNetwork.sbpl?raw" with { type: "text" };
import platformDefaultsProfile from "./seatbeltPlatformDefaults.sbpl?raw" with { type: "text" };
import { SandboxUnavailableError } from "./errors.js";
import type { FsView } from "./fsView.js";
import { isStrictlyUnder, isUnderOrEqual } from "./paths.js";
import { protectedSubpaths } from "./protectedSubpaths.js";
import { resolveFileSystemPolicy, type ResolvedFileSystemPolicy } from "./resolvedFileSystemPolicy.js";
import type { SplitSandboxPolicy } from "./splitSandboxPolicy.js";

export const SANDBOX_EXEC = "/usr/bin/sandbox-exec";

export interface SeatbeltDeps {
  readonly fs: FsView;
  /** `getconf NAME` on macOS (DARWIN_USER_CACHE_DIR); null when unknown. */
  readonly confstr?: (name: string) => string | null;
  /** Loopback ports of the approving proxy; when set, the network is reachable only through them. */
  readonly proxyPorts?: readonly number[];
  /**
   * With proxyPorts: the command may also bind and accept on localhost (its own servers). Outbound
   * stays limited to the proxy ports: unlike Linux, where the command's `lo` is its own namespace's,
   * localhost here is the host's, and `localhost:*` outbound would reach every host service around
   * the proxy. (Codex adds outbound `localhost:*` and `*:53`; not taken, fail closed.)
   */
  readonly allowLocalBinding?: boolean;
  /** The command's TMPDIR, for `tmpdir` entries. */
  readonly tmpdir?: string | undefined;
  readonly projectRoots?: readonly string[];
}

export interface SeatbeltArgs {
  readonly profile: string;
  /** NAME → canonical path, sorted by NAME. */
  readonly params: ReadonlyArray<readonly [string, string]>;
  /** `-p PROFILE -DNAME=path … --` (without sandbox-exec itself and without the command). */
  readonly args: readonly string[];
  readonly writableRoots: readonly string[];
}

class Params {
  private readonly entries = new Map<string, string>();
  add(name: string, value: string): string {
    this.entries.set(name, value);
    return `(param "${name}")`;
  }
  sorted(): Array<readonly [string, string]> {
    return [...this.entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
}

/** A glob → an anchored regex: `*`/`?` within a component, `**​/` any folders, `[…]` a class. */
export function globToRegex(pattern: string): string {
  if (/["\\\u0000-\u001f]/.test(pattern)) {
    throw new SandboxUnavailableError(
      "unenforceable-path",
      `the deny glob ${JSON.stringify(pattern)} contains a character Seatbelt's regex literal cannot hold`,
      "remove quotes, backslashes and control characters from the pattern, or name the paths without a glob",
    );
  }
  let re = "";
  const hasGlob = /[*?[]/.test(pattern);
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === "*" && pattern[i + 1] === "*" && pattern[i + 2] === "/") {
      re += "(.*/)?";
      i += 2;
    } else if (ch === "*" && pattern[i + 1] === "*") {
      re += ".*";
      i += 1;
    } else if (ch === "*") re += "[^/]*";
    else if (ch === "?") re += "[^/]";
    else if (ch === "[") {
      const end = pattern.indexOf("]", i + 2);
      if (end === -1) re += "\\[";
      else {
        let body = pattern.slice(i + 1, end);
        if (body.startsWith("!")) body = `^${body.slice(1)}`;
        re += `[${body}]`;
        i = end;
      }
    } else re += /[.+^${}()|\]]/.test(ch) ? `\\${ch}` : ch;
  }
  // A plain path means the path itself or anything below it.
  return hasGlob ? `^${re}$` : `^${re}(/.*)?$`;
}

function readSection(resolved: ResolvedFileSystemPolicy, params: Params): string {
  const unreadable = resolved.unreadableRoots;
  if (resolved.fullRead && unreadable.length === 0) return "(allow file-read*)";
  const roots = resolved.fullRead ? ["/"] : [...resolved.readableRoots];
  const alternatives = roots.map((root, i) => {
    const name = `READABLE_ROOT_${i}`;
    const nots = unreadable.filter((u) => isStrictlyUnder(u, root)).map((u, j) => `(require-not (subpath ${params.add(`${name}_EXCLUDED_${j}`, u)}))`);
    const subpath = `(subpath ${params.add(name, root)})`;
    return nots.length === 0 ? subpath : `(require-all ${subpath} ${nots.join(" ")})`;
  });
  const lines = alternatives.length === 0 ? [] : [`(allow file-read*\n  ${alternatives.join("\n  ")})`];
  if (resolved.includePlatformDefaults) lines.push(platformDefaultsProfile.trimEnd());
  return lines.join("\n");
}

function writeSection(resolved: ResolvedFileSystemPolicy, fs: FsView, params: Params): string {
  if (resolved.fullWrite) return '(allow file-write* (regex #"^/"))';
  if (resolved.writableRoots.length === 0) return "";
  const alternatives = resolved.writableRoots.map((w, i) => {
    const name = `WRITABLE_ROOT_${i}`;
    const excluded: string[] = [];
    const exclude = (p: string): void => {
      if (isUnderOrEqual(p, w.root) && p !== w.root && !excluded.includes(p)) excluded.push(p);
    };
    for (const p of protectedSubpaths(w.root, fs)) exclude(p.path);
    for (const p of w.readOnlySubpaths) exclude(p);
    for (const p of w.unreadableSubpaths) exclude(p);
    const nots = excluded.flatMap((p, j) => {
      const ref = params.add(`${name}_EXCLUDED_${j}`, p);
      return [`(require-not (literal ${ref}))`, `(require-not (subpath ${ref}))`];
    });
    const subpath = `(subpath ${params.add(name, w.root)})`;
    return nots.length === 0 ? subpath : `(require-all ${subpath}\n    ${nots.join("\n    ")})`;
  });
  return `(allow file-write*\n  ${alternatives.join("\n  ")})`;
}

function denyGlobSection(resolved: ResolvedFileSystemPolicy): string {
  return resolved.globs
    .filter((g) => g.access === "none")
    .map((g) => {
      const re = globToRegex(g.pattern);
      return `(deny file-read* (regex #"${re}"))\n(deny file-write-unlink (regex #"${re}"))`;
    })
    .join("\n");
}

function networkSection(policy: SplitSandboxPolicy, deps: SeatbeltDeps, params: Params): string {
  if (policy.network !== "enabled") return "";
  const lines: string[] = [];
  if (deps.proxyPorts !== undefined) {
    const ports = deps.proxyPorts.filter((p) => Number.isInteger(p) && p > 0 && p < 65536);
    // A proxy was meant to carry the traffic but none is usable: no network rather than open network.
    if (ports.length === 0) return "";
    for (const port of [...new Set(ports)].sort((a, b) => a - b)) lines.push(`(allow network-outbound (remote ip "localhost:${port}"))`);
    if (deps.allowLocalBinding === true) lines.push('(allow network-bind (local ip "localhost:*"))', '(allow network-inbound (local ip "localhost:*"))');
  } else {
    lines.push("(allow network-outbound)", "(allow network-inbound)");
  }
  lines.push(networkProfile.trimEnd());
  const cacheDir = deps.confstr?.("DARWIN_USER_CACHE_DIR") ?? null;
  if (cacheDir !== null && cacheDir.startsWith("/")) {
    const canonical = deps.fs.realpath(cacheDir) ?? cacheDir;
    lines.push(`(allow file-write* (subpath ${params.add("DARWIN_USER_CACHE_DIR", canonical)}))`);
  }
  return lines.join("\n");
}

export function generateSeatbeltArgs(policy: SplitSandboxPolicy, cwd: string, deps: SeatbeltDeps): SeatbeltArgs {
  const resolved =
    policy.fileSystem.kind === "restricted"
      ? resolveFileSystemPolicy(policy.fileSystem, {
          cwd,
          fs: deps.fs,
          tmpdir: deps.tmpdir,
          ...(deps.projectRoots ? { projectRoots: deps.projectRoots } : {}),
        })
      : resolveFileSystemPolicy({ kind: "unrestricted", entries: [] }, { cwd, fs: deps.fs });
  const params = new Params();
  const sections = [
    baseProfile.trimEnd(),
    readSection(resolved, params),
    writeSection(resolved, deps.fs, params),
    denyGlobSection(resolved),
    networkSection(policy, deps, params),
  ].filter((s) => s !== "");
  const profile = `${sections.join("\n")}\n`;
  const sorted = params.sorted();
  return {
    profile,
    params: sorted,
    args: ["-p", profile, ...sorted.map(([k, v]) => `-D${k}=${v}`), "--"],
    writableRoots: resolved.fullWrite ? ["/"] : resolved.writableRoots.map((w) => w.root),
  };
}
