// Finding and probing bubblewrap. Everything here answers with data: either a
// usable `BwrapProbe` or a `SandboxUnavailableError` whose reason says what is wrong and whose remedy
// says what to do. A failed probe never means "run unwrapped"; the launcher refuses instead.
//
// Invariants:
//  - /usr/bin/bwrap is preferred (Ubuntu's AppArmor profile grants user namespaces to that path only).
//  - A `bwrap` found on PATH is used only when its realpath lies outside the cwd and every writable
//    root of the command about to run, and that check happens BEFORE the binary is ever executed, so a
//    shim planted in a workspace is never run (not even by the probe).
//  - Relative PATH entries are ignored.
//  - Probing runs bwrap only with fixed argv and a timeout; results are cached per bwrap realpath by
//    the launcher, so the cost is paid once per daemon.
import { execFile } from "node:child_process";
import * as nodeFs from "node:fs";
import type { BwrapFeatures } from "./bwrap.js";
import type { FsView } from "./fsView.js";
import type { SandboxWarning } from "./resolvedFileSystemPolicy.js";
import { SandboxUnavailableError } from "./errors.js";
import { isUnderOrEqual, joinPath } from "./paths.js";

export const SYSTEM_BWRAP = "/usr/bin/bwrap";

/** Read-only platform roots exposed under a restricted-read policy when `minimal` is on. */
export const LINUX_PLATFORM_DEFAULTS = ["/bin", "/sbin", "/usr", "/etc", "/lib", "/lib64", "/nix/store", "/run/current-system/sw"] as const;

export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: SandboxUnavailableError };

export interface BwrapLocation {
  readonly path: string;
  readonly system: boolean;
  readonly warnings: readonly SandboxWarning[];
}

export interface FindBwrapInput {
  readonly pathEnv: string | undefined;
  /** Paths a bwrap found on PATH must not live under: the cwd and every writable root, canonical. */
  readonly forbiddenRoots: readonly string[];
  readonly fs: FsView;
  readonly isExecutable: (path: string) => boolean;
  readonly systemPath?: string;
}

const INSTALL_REMEDY = "install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap) or use dangerFullAccess";

export function findBwrap(input: FindBwrapInput): Outcome<BwrapLocation> {
  const system = input.systemPath ?? SYSTEM_BWRAP;
  const sysReal = input.fs.realpath(system);
  if (sysReal !== null && input.fs.lstat(sysReal)?.type === "file" && input.isExecutable(sysReal)) {
    return { ok: true, value: { path: system, system: true, warnings: [] } };
  }
  const skipped: string[] = [];
  for (const dir of (input.pathEnv ?? "").split(":")) {
    if (!dir.startsWith("/")) continue;
    const candidate = joinPath(dir, "bwrap");
    const real = input.fs.realpath(candidate);
    if (real === null || input.fs.lstat(real)?.type !== "file" || !input.isExecutable(real)) continue;
    if (input.forbiddenRoots.some((r) => isUnderOrEqual(real, r))) {
      skipped.push(candidate);
      continue;
    }
    return {
      ok: true,
      value: {
        path: real,
        system: false,
        warnings: [{ code: "bwrap-not-system", message: `could not find system bubblewrap at ${system}; using ${real}` }],
      },
    };
  }
  const reason =
    skipped.length > 0
      ? `bubblewrap (bwrap) not found; ignored ${skipped.join(", ")} because it lies inside the workspace or a writable root`
      : "bubblewrap (bwrap) not found";
  return { ok: false, error: new SandboxUnavailableError("bwrap-not-found", reason, INSTALL_REMEDY) };
}

export interface BwrapProbe {
  readonly path: string;
  readonly features: BwrapFeatures;
  /** "mask" when `--proc /proc` is refused (Docker-style masked /proc): /proc becomes an empty tmpfs. */
  readonly proc: "mount" | "mask";
  /** What the host said (AppArmor userns restriction, kernel), for `gatehouse doctor`. */
  readonly facts: HostFacts;
  readonly warnings: readonly SandboxWarning[];
  /**
   * Why `--disable-userns` (which every run uses unless nested user namespaces are allowed) fails
   * here, or null when it works or this bubblewrap lacks it. The usual cause is a container runtime's
   * read-only /proc/sys: bubblewrap must write /proc/sys/user/max_user_namespaces in its namespace.
   */
  readonly disableUsernsError?: SandboxUnavailableError | null;
}

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

export type ProbeRunner = (file: string, args: readonly string[], timeoutMs: number) => Promise<RunResult>;

export const execFileRunner: ProbeRunner = (file, args, timeoutMs) =>
  new Promise((resolve) => {
    execFile(file, [...args], { timeout: timeoutMs, killSignal: "SIGKILL", encoding: "utf8", env: {} }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: unknown; killed?: boolean }) | null;
      const code = e === null ? 0 : typeof e.code === "number" ? e.code : null;
      resolve({ code, stdout, stderr: stderr || (e !== null && typeof e.code === "string" ? `${e.code}: ${e.message}` : ""), timedOut: e?.killed === true });
    });
  });

/** Flags this layer always emits; a bwrap without any of them cannot enforce the policy. */
export const REQUIRED_FLAGS = [
  "--unshare-user",
  "--unshare-pid",
  "--unshare-ipc",
  "--unshare-net",
  "--cap-drop",
  "--die-with-parent",
  "--new-session",
  "--seccomp",
  "--json-status-fd",
  "--ro-bind-data",
  "--remount-ro",
  "--tmpfs",
  "--dev",
  "--proc",
  "--dir",
  "--symlink",
  "--chdir",
] as const;

export function parseBwrapHelp(help: string): { flags: Set<string>; features: BwrapFeatures; missing: string[] } {
  const flags = new Set<string>();
  for (const m of help.matchAll(/^\s*(--[a-z0-9-]+)/gm)) if (m[1]) flags.add(m[1]);
  return {
    flags,
    features: { perms: flags.has("--perms"), disableUserns: flags.has("--disable-userns") },
    missing: REQUIRED_FLAGS.filter((f) => !flags.has(f)),
  };
}

export function parseBwrapVersion(text: string): string | null {
  return /bubblewrap\s+(\d+(?:\.\d+)*)/.exec(text)?.[1] ?? null;
}

/** `bwrap --version`, for messages (`gatehouse doctor`, a too-old bubblewrap); null when it says none. */
export async function bwrapVersion(bwrapPath: string, run: ProbeRunner = execFileRunner, timeoutMs = 10_000): Promise<string | null> {
  const r = await run(bwrapPath, ["--version"], timeoutMs);
  return parseBwrapVersion(r.stdout + r.stderr);
}

export interface HostFacts {
  /** Contents of /proc/version. */
  readonly procVersion: string | null;
  /** Contents of /proc/sys/kernel/apparmor_restrict_unprivileged_userns. */
  readonly apparmorRestrictUserns: string | null;
}

export function readHostFacts(): HostFacts {
  const read = (p: string): string | null => {
    try {
      return nodeFs.readFileSync(p, "utf8").trim();
    } catch {
      return null;
    }
  };
  return { procVersion: read("/proc/version"), apparmorRestrictUserns: read("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") };
}

const USERNS_PATTERNS = [
  /setting up uid map: Permission denied/i,
  /No permissions to create a? ?new namespace/i,
  /loopback: Failed RTM_NEW(ADDR|LINK)/i,
  /Creating new namespace failed/i,
];

const PROC_REFUSED = /Can't mount proc on \/newroot\/proc: (Operation not permitted|Permission denied|Invalid argument)/;

/** Why `bwrap --disable-userns` failed where plain user namespaces work, and what to do. */
function disableUsernsFailure(result: RunResult): SandboxUnavailableError {
  const said = result.timedOut ? "it did not finish" : (result.stderr.trim().split("\n").at(-1) ?? `exit ${result.code}`);
  if (/max_user_namespaces/.test(result.stderr) && /read-only/i.test(result.stderr)) {
    return new SandboxUnavailableError(
      "bwrap-failed",
      `bubblewrap cannot keep sandboxed commands from making their own user namespaces: /proc/sys is read-only here (a container runtime's default; bwrap: ${said})`,
      "run the container with /proc/sys writable (docker or podman run --security-opt systempaths=unconfined), or, where the container itself is the sandbox, use the externalSandbox policy",
    );
  }
  return new SandboxUnavailableError(
    "bwrap-failed",
    `bubblewrap's --disable-userns does not work here (bwrap: ${said})`,
    "run `gatehouse sandbox -- /bin/true` for the full error; check that /proc/sys is mounted read-write in the daemon's environment",
  );
}

/** Turns bwrap's stderr from a failed probe into what is wrong and what to do. */
export function classifyBwrapFailure(stderr: string, facts: HostFacts, bwrapPath: string): SandboxUnavailableError {
  const text = stderr.trim();
  const wsl1 = facts.procVersion !== null && /Microsoft/.test(facts.procVersion) && !/WSL2/i.test(facts.procVersion);
  if (wsl1) {
    return new SandboxUnavailableError(
      "wsl1",
      "WSL1 cannot create the user namespaces bubblewrap needs",
      "convert the distribution to WSL2 (wsl --set-version <distro> 2), or use externalSandbox or dangerFullAccess",
    );
  }
  if (/Transport endpoint is not connected/.test(text)) {
    return new SandboxUnavailableError(
      "proc-sys-disconnected",
      `bubblewrap could not read /proc/sys (${text})`,
      "restart the container or host session so that /proc/sys is mounted again, then retry",
    );
  }
  if (USERNS_PATTERNS.some((re) => re.test(text))) {
    if (facts.apparmorRestrictUserns === "1") {
      return new SandboxUnavailableError(
        "apparmor-userns",
        `AppArmor refuses unprivileged user namespaces to ${bwrapPath} (${text})`,
        bwrapPath === SYSTEM_BWRAP
          ? "install the distribution's bubblewrap package so its AppArmor profile (bwrap-userns-restrict) applies, or set sysctl kernel.apparmor_restrict_unprivileged_userns=0"
          : `use the distribution's ${SYSTEM_BWRAP} (the AppArmor profile only covers that path), or set sysctl kernel.apparmor_restrict_unprivileged_userns=0`,
      );
    }
    return new SandboxUnavailableError(
      "userns-unavailable",
      `user namespaces are not available to bubblewrap (${text})`,
      "enable unprivileged user namespaces (sysctl user.max_user_namespaces=15000, and kernel.unprivileged_userns_clone=1 where it exists); in a container, allow the unshare/clone syscalls (e.g. docker --security-opt seccomp=unconfined)",
    );
  }
  return new SandboxUnavailableError(
    "bwrap-failed",
    `bubblewrap failed its self-test: ${text || "no error output"}`,
    "run `gatehouse doctor` for details; fix the bubblewrap installation or use dangerFullAccess",
  );
}

function trueBinary(fs: FsView): string | null {
  for (const p of ["/usr/bin/true", "/bin/true"]) if (fs.realpath(p) !== null) return p;
  return null;
}

export interface ProbeOptions {
  readonly run?: ProbeRunner;
  readonly fs: FsView;
  readonly facts?: HostFacts;
  readonly timeoutMs?: number;
  readonly platformDefaults?: readonly string[];
}

/**
 * Flags, and beside them one preflight in the restricted form the real runs use: a fresh /proc, user,
 * pid, ipc and network namespaces, and `--disable-userns`. On a healthy host that is all: two bwrap
 * runs. Each run costs the daemon a fork of itself (a few milliseconds of its event loop, during a
 * thread's first turn) and a wait, before the first sandboxed command (or a thread's first MCP server)
 * can start. The version is read only for a too-old bubblewrap's message (`gatehouse doctor` asks
 * for it itself: bwrapVersion).
 *
 * When the preflight fails, the runs that tell why: the preflight without `--disable-userns`, and
 * `--disable-userns` alone (when --help lists it); if that preflight fails too, a plain user-namespace
 * self-test says whether it was no namespaces (an error) or a refused procfs mount (degraded to a
 * masked /proc, with a warning). Every other failure is an error.
 */
export async function probeBwrap(bwrapPath: string, opts: ProbeOptions): Promise<Outcome<BwrapProbe>> {
  const run = opts.run ?? execFileRunner;
  const timeout = opts.timeoutMs ?? 10_000;
  const facts = opts.facts ?? readHostFacts();
  const fail = (error: SandboxUnavailableError): Outcome<BwrapProbe> => ({ ok: false, error });
  const timedOut = (what: string) =>
    fail(
      new SandboxUnavailableError(
        "bwrap-failed",
        `bubblewrap ${what} did not finish within ${timeout} ms`,
        "check the system load and the bubblewrap installation, then retry",
      ),
    );

  const truePath = trueBinary(opts.fs);
  if (truePath === null) {
    return fail(new SandboxUnavailableError("bwrap-failed", "neither /usr/bin/true nor /bin/true exists for the bubblewrap self-test", "install coreutils"));
  }
  const binds: string[] = [];
  for (const p of opts.platformDefaults ?? LINUX_PLATFORM_DEFAULTS) {
    if (opts.fs.lstat(p) !== null) binds.push("--ro-bind", p, p);
  }
  const preflight = (disableUserns: boolean): string[] => [
    "--new-session",
    "--die-with-parent",
    "--tmpfs",
    "/",
    "--dev",
    "/dev",
    ...binds,
    "--proc",
    "/proc",
    "--unshare-user",
    ...(disableUserns ? ["--disable-userns"] : []),
    "--unshare-pid",
    "--unshare-ipc",
    "--unshare-net",
    "--cap-drop",
    "ALL",
    "--",
    truePath,
  ];
  // The preflight runs beside --help; its result is read only once the flags say this bubblewrap is
  // new enough (one without --disable-userns fails it on the flag, and takes the slow path below).
  const [help, whole] = await Promise.all([run(bwrapPath, ["--help"], timeout), run(bwrapPath, preflight(true), timeout)]);
  const parsed = parseBwrapHelp(help.stdout + help.stderr);
  if (parsed.missing.length > 0) {
    const version = await bwrapVersion(bwrapPath, run, timeout);
    return fail(
      new SandboxUnavailableError(
        "bwrap-too-old",
        `${bwrapPath}${version ? ` ${version}` : ""} lacks ${parsed.missing.join(", ")}`,
        "install bubblewrap 0.8.0 or newer",
      ),
    );
  }
  if (whole.code === 0 && parsed.features.disableUserns) {
    return { ok: true, value: { path: bwrapPath, features: parsed.features, proc: "mount", facts, warnings: [], disableUsernsError: null } };
  }

  const [proc, nested] = await Promise.all([
    run(bwrapPath, preflight(false), timeout),
    parsed.features.disableUserns
      ? run(bwrapPath, ["--unshare-user", "--disable-userns", "--ro-bind", "/", "/", "--cap-drop", "ALL", "--", truePath], timeout)
      : null,
  ]);
  const warnings: SandboxWarning[] = [];
  let procMode: "mount" | "mask" = "mount";
  if (proc.code !== 0) {
    const userns = await run(bwrapPath, ["--unshare-user", "--unshare-net", "--ro-bind", "/", "/", "--cap-drop", "ALL", "--", truePath], timeout);
    if (userns.timedOut) return timedOut("self-test");
    if (userns.code !== 0) return fail(classifyBwrapFailure(userns.stderr, facts, bwrapPath));
    if (proc.timedOut) return timedOut("/proc preflight");
    if (!PROC_REFUSED.test(proc.stderr)) return fail(classifyBwrapFailure(proc.stderr, facts, bwrapPath));
    procMode = "mask";
    warnings.push({
      code: "proc-masked",
      message:
        "bubblewrap cannot mount a fresh /proc here (masked /proc, e.g. inside Docker); sandboxed commands get an empty /proc: ps fails, host processes stay hidden",
    });
  }
  const disableUsernsError = nested !== null && nested.code !== 0 ? disableUsernsFailure(nested) : null;
  return { ok: true, value: { path: bwrapPath, features: parsed.features, proc: procMode, facts, warnings, disableUsernsError } };
}

export function isExecutableFile(path: string): boolean {
  try {
    nodeFs.accessSync(path, nodeFs.constants.X_OK);
    return nodeFs.statSync(path).isFile();
  } catch {
    return false;
  }
}
