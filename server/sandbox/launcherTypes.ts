// The contract between the layers above and the platform launchers: `transform(command, policy, cwd,
// opts)` turns a command plus a policy into an `ExecRequest` (argv, env, cwd, extra fds to pass), and
// spawn.ts runs it. A transform never runs the command and never returns a shell string.
//
// Unwrapped runs still get the environment rules (CODEX_SANDBOX_NETWORK_DISABLED=1 whenever the
// network is restricted, Node IPC variables removed), and there is no code path from a restricted
// policy to an unwrapped ExecRequest: a launcher that cannot wrap throws SandboxUnavailableError.
import type { BwrapProbe, BwrapLocation } from "./bwrapProbe.js";
import type { DaemonPaths } from "./bwrapPlan.js";
import type { DenialContext, SandboxDenial } from "./denial.js";
import type { SandboxPolicy } from "./sandboxPolicy.js";
import type { SandboxWarning } from "./resolvedFileSystemPolicy.js";
import type { SplitSandboxPolicy } from "./splitSandboxPolicy.js";
import type { NetworkProxy } from "./networkProxy/index.js";
import type { ManagedProxyPorts } from "./proxyEnv.js";
import type { SandboxUnavailableError } from "./errors.js";
import { applySandboxEnv, buildShellEnvironment } from "./env.js";

export type SandboxKind = "none" | "bwrap" | "seatbelt";

/** A file descriptor the spawner must place at `fd` in the child, beyond stdio. */
export type ExtraFd =
  /** A pipe the spawner fills with `data` and closes (the seccomp program). */
  | { readonly fd: number; readonly kind: "data"; readonly data: Uint8Array }
  /** A pipe the spawner reads to EOF (bwrap's --json-status-fd). */
  | { readonly fd: number; readonly kind: "status" }
  /** /dev/null opened read-only (the empty source of --ro-bind-data masks). */
  | { readonly fd: number; readonly kind: "devNull" };

export interface FinalizeReport {
  /** Protected paths the command created despite the sandbox; they have been removed. */
  readonly denials: readonly SandboxDenial[];
}

export interface ExecRequest {
  /** argv[0] is the program: bwrap for wrapped runs, the command itself otherwise. */
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  /** Contiguous from fd 3, in order. */
  readonly extraFds: readonly ExtraFd[];
  readonly sandbox: SandboxKind;
  readonly tty: boolean;
  /** Things the user should know (a skipped writable root, a masked /proc…). Callers dedupe by code+message. */
  readonly warnings: readonly SandboxWarning[];
  readonly denialContext: DenialContext;
  /** Must run exactly once after the process has exited: removes placeholders, checks watched paths. */
  readonly finalize: () => FinalizeReport;
  /**
   * Set when the command runs under the network relay: the spawner opens a Node IPC channel to it and
   * attaches every socket the relay passes to `proxy` as `owner`'s. A run without the relay's "ready"
   * message is a sandbox set-up failure (the command never started).
   */
  readonly relay?: ManagedRelay;
}

export interface ManagedRelay {
  readonly proxy: NetworkProxy;
  readonly owner: string;
  readonly ports: ManagedProxyPorts;
}

/** Managed networking for one command (LaunchOptions.managedNetwork). */
export interface ManagedNetwork {
  readonly proxy: NetworkProxy;
  /**
   * Who the command's connections are attributed to. The caller owns its lifetime: once the command
   * is over (ExecHandle.result settled, or transform/startExec threw) it calls proxy.releaseOwner(owner).
   */
  readonly owner: string;
  /** Seatbelt only: the command may bind and accept on localhost (Linux: its namespace's lo is its own). */
  readonly allowLocalBinding: boolean;
}

export interface LaunchOptions {
  /** The command's environment, built with env.ts from shell_environment_policy; defaults to that
   * policy's defaults over process.env (all variables minus *KEY*, *SECRET*, *TOKEN*). */
  readonly env?: Readonly<Record<string, string>>;
  /** PTY session: no --new-session, TIOCSTI/TIOCLINUX blocked by seccomp instead. */
  readonly tty?: boolean;
  /** The cwd the policy's cwd-relative entries resolve against; defaults to the command cwd. */
  readonly policyCwd?: string;
  /** Roots for `project_roots` entries; defaults to [policy cwd]. */
  readonly projectRoots?: readonly string[];
  /** Nested user namespaces (Chromium, nested agents) need this; off by default (--disable-userns). */
  readonly allowNestedUserns?: boolean;
  readonly daemonPaths?: DaemonPaths;
  /** Managed networking for this command: its network goes through the daemon's proxy only. */
  readonly managedNetwork?: ManagedNetwork;
}

export interface SandboxReadiness {
  readonly ok: boolean;
  readonly launcher: string;
  readonly error?: SandboxUnavailableError;
  readonly bwrap?: BwrapLocation & { readonly probe?: BwrapProbe };
  readonly warnings: readonly SandboxWarning[];
}

export interface SandboxLauncher {
  readonly platform: string;
  transform(command: readonly string[], policy: SandboxPolicy | SplitSandboxPolicy, cwd: string, opts?: LaunchOptions): Promise<ExecRequest>;
  /** What `gatehouse doctor` and the startup warning report; never throws. */
  readiness(): Promise<SandboxReadiness>;
  /**
   * Starts the once-per-daemon work a wrapped run of `policy` needs (locating and probing bwrap) in
   * the background, so the first command of a turn does not wait for it. Never throws, never
   * decides anything: transform() still awaits the same cached probe and fails closed on its result.
   */
  prewarm?(policy: SandboxPolicy | SplitSandboxPolicy): void;
}

/**
 * When to wrap:
 *   filesystem external-sandbox                 → none (the caller is already confined)
 *   filesystem unrestricted, network enabled    → none (dangerFullAccess)
 *   filesystem unrestricted, network restricted → network-only: the filesystem stays, the network is cut
 *   filesystem restricted                       → full confinement
 */
export type WrapMode = "none" | "network-only" | "full";

export function wrapMode(policy: SplitSandboxPolicy): WrapMode {
  switch (policy.fileSystem.kind) {
    case "external-sandbox":
      return "none";
    case "unrestricted":
      return policy.network === "enabled" ? "none" : "network-only";
    case "restricted":
      return "full";
  }
}

/** The request for a policy that needs no local sandbox: the command as given, with the env rules. */
export function unwrapped(command: readonly string[], split: SplitSandboxPolicy, cwd: string, opts: LaunchOptions): ExecRequest {
  const env = applySandboxEnv(opts.env ?? buildShellEnvironment(process.env), { networkDisabled: split.network === "restricted" });
  return {
    argv: [...command],
    env,
    cwd,
    extraFds: [],
    sandbox: "none",
    tty: opts.tty ?? false,
    warnings: [],
    denialContext: { sandboxed: false, policyLabel: split.label, cwd, writableRoots: [], rules: [], networkIsolated: false },
    finalize: () => ({ denials: [] }),
  };
}

export function checkCommand(command: readonly string[]): void {
  if (command.length === 0 || command[0] === "") throw new Error("sandbox launcher: empty command");
}

/** The unwrapped path every platform launcher takes, so the env rules exist once. */
export function runUnwrapped(command: readonly string[], split: SplitSandboxPolicy, cwd: string, opts: LaunchOptions): Promise<ExecRequest> {
  checkCommand(command);
  return Promise.resolve(unwrapped(command, split, cwd, opts));
}
