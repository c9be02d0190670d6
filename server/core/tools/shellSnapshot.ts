// The user's login environment, captured once per thread and reused by every `<shell> -lc` command.
//
// Why: a login shell sources the user's profile on every command, which costs 0.1–0.5 s on a
// typical machine (pyenv, nvm, conda…), more than most commands themselves. codex 0.169 has the
// same feature (`[features] shell_snapshot`, stable, on by default) and runs `-lc` commands as
// `<shell> -c`, with the environment its login shell exported [obs: the command sees
// `shopt login_shell` off, the profile's exported variables, none of its functions or aliases,
// because the reference execs the original shell after sourcing its snapshot]. We keep the
// observable result and drop the mechanism: 0.169 writes the snapshot as a script under the home
// and sources it before each command; here the environment is captured once into memory and handed
// to the command's spawn. Nothing is sourced from disk, so no file exists that a sandboxed command
// could rewrite for a later unsandboxed one, and the daemon home stays hidden from commands.
//
// Deliberate differences from 0.169:
// - The capture runs under the thread's sandbox policy (0.169 runs it unsandboxed): the user's
//   profile is a program like any other, and its side effects get the same limits as the command's.
// - shell_environment_policy is applied again after the capture (default excludes, `exclude`,
//   `set`, `include_only`), so a profile that exports `GITHUB_TOKEN` does not bring it back and
//   `set` wins over the profile.
// - A command that comes while the capture runs waits for it (shellSnapshotSlot.ts, SNAPSHOT_WAIT_MS)
//   instead of logging in beside it.
import { randomBytes } from "node:crypto";
import { setPriority } from "node:os";
import { basename } from "node:path";
import type { Logger } from "../../log.js";
import type { DaemonPaths } from "../../sandbox/bwrapPlan.js";
import { buildShellEnvironment, type ShellEnvironmentPolicy } from "../../sandbox/env.js";
import type { SandboxLauncher } from "../../sandbox/launcherTypes.js";
import type { SandboxPolicy } from "../../sandbox/sandboxPolicy.js";
import { startExec } from "../../sandbox/spawn.js";

/** As 0.169: a profile that takes longer than this is not snapshotted (commands then log in each time). */
export const SNAPSHOT_TIMEOUT_MS = 10_000;

/** The login shell's own values would be wrong in the command (its SHLVL is one deeper): these keep
 * the values the command would have started with. */
const NOT_CAPTURED = new Set(["PWD", "OLDPWD", "SHLVL", "_"]);
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const POSIX_SHELLS = new Set(["bash", "zsh", "sh", "dash", "ksh"]);
const CAPTURE_NICENESS = 10;
/** An environment is a few KiB; a profile that prints more than this is not snapshotted. */
const MAX_CAPTURE_BYTES = 8 * 1024 * 1024;

export interface ShellSnapshot {
  /** The environment a `-lc` command would have had after its profile ran. */
  readonly env: Readonly<Record<string, string>>;
}

export interface CaptureInput {
  /** The user's shell (absolute), run as a login shell. */
  readonly shell: string;
  readonly cwd: string;
  /** shell_environment_policy over the daemon's environment: what the login shell starts from. */
  readonly env: Readonly<Record<string, string>>;
  /** Applied again to what the profile exported. */
  readonly envPolicy: ShellEnvironmentPolicy;
  readonly launcher: SandboxLauncher;
  readonly sandboxPolicy: SandboxPolicy;
  readonly daemonPaths?: DaemonPaths;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly log: Logger;
}

/** What the login shell runs: the rc file 0.169 also sources, then the environment after a marker line. */
function captureScript(shell: string, marker: string): string {
  const name = basename(shell);
  const rc =
    name === "bash"
      ? 'if [ -z "$BASH_ENV" ] && [ -r "$HOME/.bashrc" ]; then . "$HOME/.bashrc"; fi\n'
      : name === "zsh"
        ? 'rc="${ZDOTDIR:-$HOME}/.zshrc"; if [ -r "$rc" ]; then . "$rc"; fi\n'
        : "";
  // A profile may print; the marker separates its noise from the environment. `env -0` keeps values
  // with newlines whole.
  return `${rc}printf '\\n%s\\n' '${marker}'\nexec env -0\n`;
}

/** The `NAME=value` records after the marker, or null when the marker never came. */
export function parseCapturedEnvironment(stdout: Buffer, marker: string): Record<string, string> | null {
  const tag = Buffer.from(`\n${marker}\n`);
  const at = stdout.lastIndexOf(tag);
  if (at < 0) return null;
  const env: Record<string, string> = {};
  for (const record of stdout
    .subarray(at + tag.length)
    .toString("utf8")
    .split("\0")) {
    const eq = record.indexOf("=");
    if (eq <= 0) continue;
    const name = record.slice(0, eq);
    // Exported shell functions (BASH_FUNC_x%%) and other odd names are not carried, as in 0.169.
    if (!ENV_NAME.test(name) || NOT_CAPTURED.has(name)) continue;
    env[name] = record.slice(eq + 1);
  }
  return env;
}

/** Runs the user's login shell once under the thread's policy; null when it cannot be captured. */
export async function captureShellSnapshot(input: CaptureInput): Promise<ShellSnapshot | null> {
  const marker = `GATEHOUSE-LOGIN-ENV-${randomBytes(8).toString("hex")}`;
  const log = input.log;
  try {
    const request = await input.launcher.transform([input.shell, "-lc", captureScript(input.shell, marker)], input.sandboxPolicy, input.cwd, {
      env: input.env,
      ...(input.daemonPaths ? { daemonPaths: input.daemonPaths } : {}),
    });
    const chunks: Buffer[] = [];
    let size = 0;
    const handle = startExec(request, {
      timeoutMs: input.timeoutMs ?? SNAPSHOT_TIMEOUT_MS,
      ...(input.signal ? { signal: input.signal } : {}),
      onStdout: (d) => {
        size += d.length;
        if (size <= MAX_CAPTURE_BYTES) chunks.push(d);
      },
      outputCap: 64 * 1024,
    });
    // Background work: the profile must not take the CPU from the turn that is running meanwhile.
    if (handle.pid !== undefined) {
      try {
        setPriority(handle.pid, CAPTURE_NICENESS);
      } catch {
        // best effort
      }
    }
    const result = await handle.result;
    // The thread unloaded (or the daemon is stopping): nothing went wrong.
    if (input.signal?.aborted) return null;
    if (size > MAX_CAPTURE_BYTES) {
      log.warn({ shell: input.shell, bytes: size }, "shell snapshot: the login shell printed too much; commands log in each time");
      return null;
    }
    if (result.timedOut || result.aborted || result.exitCode !== 0) {
      log.warn(
        { shell: input.shell, exitCode: result.exitCode, timedOut: result.timedOut, stderr: result.stderr.slice(-2000) },
        "shell snapshot: the login shell failed; commands log in each time",
      );
      return null;
    }
    const captured = parseCapturedEnvironment(Buffer.concat(chunks), marker);
    if (captured === null) {
      log.warn({ shell: input.shell }, "shell snapshot: no environment after the profile ran; commands log in each time");
      return null;
    }
    for (const name of NOT_CAPTURED) if (input.env[name] !== undefined) captured[name] = input.env[name];
    log.info({ shell: input.shell, variables: Object.keys(captured).length }, "shell snapshot captured");
    return { env: buildShellEnvironment(captured, { ...input.envPolicy, inherit: "all" }) };
  } catch (e) {
    log.warn({ err: e, shell: input.shell }, "shell snapshot: could not run the login shell; commands log in each time");
    return null;
  }
}

/** `[shell, "-lc", script, …]` → `[shell, "-c", script, …]`, the form 0.169 runs; null for anything else. */
export function withoutLogin(argv: readonly string[]): string[] | null {
  const [shell, flag, ...rest] = argv;
  if (shell === undefined || flag !== "-lc" || rest.length === 0 || !POSIX_SHELLS.has(basename(shell))) return null;
  return [shell, "-c", ...rest];
}

/** How a thread's commands start: their environment, and the login snapshot when there is one. */
export interface CommandShell {
  /** shell_environment_policy over the daemon's environment. */
  readonly env: Readonly<Record<string, string>>;
  /**
   * This thread's login snapshot (starting the capture if needed), once ready; null when there is
   * none to be had within shellSnapshotSlot.ts's SNAPSHOT_WAIT_MS.
   */
  snapshot(signal?: AbortSignal): Promise<ShellSnapshot | null>;
}

/**
 * The argv and environment a command is launched with: a login command runs without logging in, in
 * the snapshot's environment, once the snapshot is ready (waiting for a capture in flight); it logs in
 * as before when snapshots are off, the capture failed, or the wait ran out.
 */
export async function commandLaunch(
  argv: readonly string[],
  shell: CommandShell | undefined,
  signal?: AbortSignal,
): Promise<{ argv: readonly string[]; env?: Readonly<Record<string, string>> }> {
  if (!shell) return { argv };
  const rewritten = withoutLogin(argv);
  const snapshot = rewritten === null ? null : await shell.snapshot(signal);
  return snapshot === null || rewritten === null ? { argv, env: shell.env } : { argv: rewritten, env: snapshot.env };
}
