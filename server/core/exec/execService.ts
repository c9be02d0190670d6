// command/exec sessions: one standalone command per request, run through the sandbox launcher under
// the request's policy (or permission profile), else the configured default.
//
// Invariants:
//  - Sessions are keyed by (connection, processId). A processId is only known to its own connection;
//    it is free again once the command has exited. When a connection closes, every session it started
//    is terminated (whole process tree, via spawn.ts) and forgotten.
//  - Output is either buffered into the response or streamed as `command/exec/outputDelta` (tty
//    implies streaming); streamed bytes are not repeated in the response. Every delta of a session is
//    emitted before its response.
//  - The wire has no reason field, so what the sandbox refused (spawn's denial report), a timeout and
//    a protected path removed after the run are appended to the output as one line each.
//  - Nothing runs unconfined because the sandbox is unavailable: that is a JSON-RPC error with the
//    reason and remedy, and a `warning` notification the first time it happens in this daemon.
//  - The command's environment is built from shell_environment_policy (never the daemon's env as
//    is), then the request's `env` overrides, then the launcher's sandbox markers.
import { commandEnvironment } from "../commandSetup/commandEnv.js";
import { daemonPathsFor } from "../commandSetup/daemonPaths.js";
import { statSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute } from "node:path";
import type {
  CommandExecOutputDeltaNotification,
  CommandExecParams,
  CommandExecResizeParams,
  CommandExecResponse,
  CommandExecTerminateParams,
  CommandExecWriteParams,
} from "../../../protocol/v2/commandExec.js";
import { applyEnvOverrides } from "../../sandbox/env.js";
import { SandboxPolicyError, SandboxUnavailableError } from "../../sandbox/errors.js";
import type { ExecRequest, LaunchOptions, SandboxLauncher } from "../../sandbox/launcherTypes.js";
import type { PermissionProfileConfig } from "../../sandbox/permissionProfiles.js";
import type { SandboxPolicy } from "../../sandbox/sandboxPolicy.js";
import type { SandboxWarning } from "../../sandbox/resolvedFileSystemPolicy.js";
import type { SplitSandboxPolicy } from "../../sandbox/splitSandboxPolicy.js";
import { resolvePermissionProfile } from "../../sandbox/permissionProfiles.js";
import { DEFAULT_TERMINAL_SIZE, createPtySpawner, type TerminalSize } from "../../sandbox/pty.js";
import type { ExecResult } from "../../sandbox/execResult.js";
import type { ProcessSpawner } from "../../sandbox/processSpawner.js";
import { DEFAULT_OUTPUT_CAP, startExec, type ExecHandle } from "../../sandbox/spawn.js";
import type { EffectiveConfig } from "../config/effective.js";
import type { ClientSink } from "../ports.js";
import type { Logger } from "../../log.js";
import { sandboxPolicyFromConfig, sandboxPolicyFromWire } from "../commandSetup/sandboxFromWire.js";
import { ExecRequestError, ExecSandboxUnavailableError } from "./errors.js";
import { OutputDeltas } from "./outputDeltas.js";

/** 0.169's default for command/exec without timeoutMs. */
export const DEFAULT_EXEC_TIMEOUT_MS = 10_000;
/** 0.169 reports a timed-out command with the exit code of timeout(1). */
export const TIMEOUT_EXIT_CODE = 124;
/** What a streamed session keeps in memory for denial detection (its output goes to the client). */
const STREAMED_CAPTURE_CAP = 64 * 1024;

export interface ExecServiceOptions {
  readonly launcher: SandboxLauncher;
  /** The current configuration (re-read per command: environment policy, permission profiles). */
  readonly config: () => EffectiveConfig;
  /**
   * The configuration the daemon started with; its sandbox_mode and sandbox_workspace_write give the
   * default policy. 0.169 keeps its start-up policy for command/exec and applies a written one to the
   * next thread/start only, so a client's config write cannot widen the sandbox of the next command.
   */
  readonly startupConfig: EffectiveConfig;
  readonly log: Logger;
  /** Default cwd for requests without one: the daemon's cwd. */
  readonly serverCwd?: string;
  /** The environment shell_environment_policy starts from; the daemon's by default. */
  readonly baseEnv?: Readonly<Record<string, string | undefined>>;
  readonly defaultTimeoutMs?: number;
  readonly defaultOutputCap?: number;
  /** Test seam: the spawner for tty sessions. */
  readonly ptySpawner?: (size: TerminalSize) => ProcessSpawner;
}

interface Session {
  readonly processId: string;
  readonly handle: ExecHandle;
  readonly tty: boolean;
  readonly streamStdin: boolean;
  stdinClosed: boolean;
}

/** The launcher's policy argument and options for one request. */
interface ResolvedPolicy {
  readonly policy: SandboxPolicy | SplitSandboxPolicy;
  readonly projectRoots?: readonly string[];
}

function decode(deltaBase64: string): Buffer {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(deltaBase64.replace(/\s+/g, ""))) {
    throw new ExecRequestError("command/exec/write deltaBase64 is not valid base64", "invalidParams");
  }
  return Buffer.from(deltaBase64, "base64");
}

export interface PrepareInput {
  readonly command: readonly string[];
  /** Absolute. */
  readonly cwd: string;
  /** Explicit policy; else `permissionProfile`; else the configured default. */
  readonly policy?: SandboxPolicy | SplitSandboxPolicy;
  readonly permissionProfile?: string;
  /** Overrides on top of shell_environment_policy: a string sets, null unsets. */
  readonly env?: Readonly<Record<string, string | null>>;
  readonly tty?: boolean;
}

function launchError(e: unknown): Error {
  if (e instanceof SandboxUnavailableError) return new ExecSandboxUnavailableError(e);
  if (e instanceof SandboxPolicyError) return new ExecRequestError(`command/exec sandbox policy: ${e.message}`);
  return e instanceof Error ? e : new Error(String(e));
}

export class ExecService {
  private readonly sessions = new Map<number, Map<string, Session>>();
  private readonly watched = new Set<number>();
  private readonly warned = new Set<string>();
  private readonly all = new Set<ExecHandle>();
  private shuttingDown = false;

  constructor(private readonly options: ExecServiceOptions) {}

  /** command/exec: resolves when the process has exited (after all its output deltas). */
  async exec(client: ClientSink, params: CommandExecParams): Promise<CommandExecResponse> {
    const command = params.command;
    if (command.length === 0) throw new ExecRequestError("command must not be empty");
    if (command[0] === "") throw new ExecRequestError("command[0] must name a program, got an empty string");
    const tty = params.tty === true;
    const streamOutput = tty || params.streamStdoutStderr === true;
    const streamStdin = tty || params.streamStdin === true;
    const processId = params.processId ?? null;
    if ((tty || streamOutput || streamStdin) && (processId === null || processId === "")) {
      throw new ExecRequestError("command/exec tty or streaming requires a client-supplied processId");
    }
    if (params.timeoutMs != null && params.disableTimeout === true) {
      throw new ExecRequestError("command/exec cannot set both timeoutMs and disableTimeout", "invalidParams");
    }
    if (params.outputBytesCap != null && params.disableOutputCap === true) {
      throw new ExecRequestError("command/exec cannot set both outputBytesCap and disableOutputCap", "invalidParams");
    }
    if (params.size != null && !tty) throw new ExecRequestError("command/exec size requires tty: true", "invalidParams");
    if (params.size != null && (params.size.rows === 0 || params.size.cols === 0)) {
      throw new ExecRequestError("command/exec size needs rows and cols of at least 1", "invalidParams");
    }
    if (params.timeoutMs != null && params.timeoutMs < 0) {
      throw new ExecRequestError(`command/exec timeoutMs must be non-negative, got ${params.timeoutMs}`, "invalidParams");
    }
    if (params.sandboxPolicy != null && params.permissionProfile != null) {
      throw new ExecRequestError("command/exec cannot set both sandboxPolicy and permissionProfile", "invalidParams");
    }
    const cwd = this.checkCwd(params.cwd ?? this.options.serverCwd ?? process.cwd());
    const sessions = this.sessionsOf(client);
    if (processId !== null && sessions.has(processId)) {
      throw new ExecRequestError(`duplicate active command/exec process id: ${JSON.stringify(processId)}`);
    }

    let request: ExecRequest;
    try {
      request = await this.prepare({
        command,
        cwd,
        tty,
        ...(params.sandboxPolicy != null ? { policy: sandboxPolicyFromWire(params.sandboxPolicy) } : {}),
        ...(params.permissionProfile != null ? { permissionProfile: params.permissionProfile } : {}),
        ...(params.env != null ? { env: params.env } : {}),
      });
    } catch (e) {
      if (e instanceof ExecSandboxUnavailableError) this.warnOnceText(client, `sandbox-unavailable:${e.unavailable.code}`, e.message);
      throw e;
    }
    // The connection may have closed (its sessions already terminated) while the launcher worked.
    if (client.closed || this.shuttingDown) {
      request.finalize();
      throw new ExecRequestError("command/exec: the connection closed before the command started");
    }
    this.warnOnce(client, request.warnings);
    // The id may have been taken while the launcher was probing.
    if (processId !== null && sessions.has(processId)) {
      request.finalize();
      throw new ExecRequestError(`duplicate active command/exec process id: ${JSON.stringify(processId)}`);
    }

    const cap = params.disableOutputCap === true ? null : (params.outputBytesCap ?? this.options.defaultOutputCap ?? DEFAULT_OUTPUT_CAP);
    const timeoutMs = params.disableTimeout === true ? null : (params.timeoutMs ?? this.options.defaultTimeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS);
    const deltas =
      streamOutput && processId !== null
        ? new OutputDeltas(processId, cap, (d: CommandExecOutputDeltaNotification) => client.notify("command/exec/outputDelta", d))
        : null;
    const spawner = tty ? (this.options.ptySpawner ?? createPtySpawner)(params.size ?? DEFAULT_TERMINAL_SIZE) : undefined;

    const handle = startExec(request, {
      timeoutMs,
      outputCap: deltas === null ? cap : cap === null ? STREAMED_CAPTURE_CAP : Math.min(cap, STREAMED_CAPTURE_CAP),
      stdin: streamStdin ? "pipe" : "ignore",
      ...(deltas === null ? {} : { onStdout: (d: Buffer) => deltas.push("stdout", d), onStderr: (d: Buffer) => deltas.push("stderr", d) }),
      ...(spawner ? { spawner } : {}),
    });
    this.all.add(handle);
    const session: Session = { processId: processId ?? "", handle, tty, streamStdin, stdinClosed: !streamStdin };
    if (processId !== null) sessions.set(processId, session);
    this.options.log.debug({ processId, command, sandbox: request.sandbox, tty }, "command/exec started");

    let result: ExecResult;
    try {
      result = await handle.result;
    } finally {
      this.all.delete(handle);
      if (processId !== null && sessions.get(processId) === session) sessions.delete(processId);
    }
    return this.response(result, timeoutMs, deltas, tty);
  }

  /**
   * The ExecRequest the daemon would run for this command: policy (explicit, a permission profile, or
   * the configured default), environment, daemon paths. `gatehouse sandbox` runs exactly this.
   * Throws ExecSandboxUnavailableError (nothing may run) or ExecRequestError (bad input).
   */
  async prepare(input: PrepareInput): Promise<ExecRequest> {
    const config = this.options.config();
    const resolved = this.resolvePolicy(input, config);
    const env = applyEnvOverrides(commandEnvironment(config, this.options.baseEnv ?? process.env), input.env);
    const launch: LaunchOptions = {
      env,
      tty: input.tty ?? false,
      ...(resolved.projectRoots ? { projectRoots: resolved.projectRoots } : {}),
      daemonPaths: this.daemonPaths(config, input.cwd),
    };
    try {
      return await this.options.launcher.transform(input.command, resolved.policy, input.cwd, launch);
    } catch (e) {
      throw launchError(e);
    }
  }

  /** command/exec/write */
  write(client: ClientSink, params: CommandExecWriteParams): Record<string, never> {
    const s = this.session(client, params.processId);
    if (!s.streamStdin) {
      throw new ExecRequestError(
        `stdin streaming is not enabled for this command/exec (process id ${JSON.stringify(params.processId)} was started without streamStdin or tty)`,
      );
    }
    const data = params.deltaBase64 != null ? decode(params.deltaBase64) : null;
    if (s.stdinClosed && data !== null && data.length > 0) {
      throw new ExecRequestError(`stdin of command/exec process id ${JSON.stringify(params.processId)} is already closed`);
    }
    if (data !== null && data.length > 0) s.handle.write(data);
    if (params.closeStdin === true && !s.stdinClosed) {
      s.stdinClosed = true;
      s.handle.closeStdin();
    }
    return {};
  }

  /** command/exec/resize */
  resize(client: ClientSink, params: CommandExecResizeParams): Record<string, never> {
    const s = this.session(client, params.processId);
    if (!s.tty || !s.handle.resizable) {
      throw new ExecRequestError(
        `failed to resize PTY: process is not attached to a PTY (process id ${JSON.stringify(params.processId)} was started without tty: true)`,
      );
    }
    if (params.size.rows === 0 || params.size.cols === 0) {
      throw new ExecRequestError("command/exec/resize size needs rows and cols of at least 1", "invalidParams");
    }
    s.handle.resize(params.size.cols, params.size.rows);
    return {};
  }

  /** command/exec/terminate: kills the whole tree; the command/exec request then answers. */
  terminate(client: ClientSink, params: CommandExecTerminateParams): Record<string, never> {
    this.session(client, params.processId).handle.terminate();
    return {};
  }

  /** Active sessions of a connection with a client-supplied id (for tests and diagnostics). */
  activeProcessIds(client: ClientSink): string[] {
    return [...(this.sessions.get(client.session.connectionId)?.keys() ?? [])];
  }

  /** Terminates every running command of every connection and waits until all are gone. */
  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    const handles = [...this.all];
    for (const h of handles) h.terminate();
    await Promise.allSettled(handles.map((h) => h.result));
  }

  private session(client: ClientSink, processId: string): Session {
    const s = this.sessions.get(client.session.connectionId)?.get(processId);
    if (s === undefined) throw new ExecRequestError(`no active command/exec for process id ${JSON.stringify(processId)}`);
    return s;
  }

  private sessionsOf(client: ClientSink): Map<string, Session> {
    const id = client.session.connectionId;
    let map = this.sessions.get(id);
    if (map === undefined) {
      map = new Map();
      this.sessions.set(id, map);
    }
    if (!this.watched.has(id)) {
      this.watched.add(id);
      client.onClose(() => {
        const open = this.sessions.get(id);
        this.sessions.delete(id);
        this.watched.delete(id);
        for (const s of open?.values() ?? []) s.handle.terminate();
      });
    }
    return map;
  }

  private checkCwd(cwd: string): string {
    if (!isAbsolute(cwd)) throw new ExecRequestError(`command/exec cwd must be an absolute path, got ${JSON.stringify(cwd)}`, "invalidParams");
    let isDir = false;
    try {
      isDir = statSync(cwd).isDirectory();
    } catch {
      throw new ExecRequestError(`command/exec cwd ${cwd} does not exist`);
    }
    if (!isDir) throw new ExecRequestError(`command/exec cwd ${cwd} is not a directory`);
    return cwd;
  }

  private resolvePolicy(input: PrepareInput, config: EffectiveConfig): ResolvedPolicy {
    if (input.policy !== undefined) return { policy: input.policy };
    if (input.permissionProfile !== undefined) {
      const profiles = (config.toml["permissions"] ?? {}) as Readonly<Record<string, PermissionProfileConfig>>;
      try {
        const profile = resolvePermissionProfile(input.permissionProfile, profiles, { cwd: input.cwd, home: homedir() });
        return { policy: profile.policy, projectRoots: profile.workspaceRoots };
      } catch (e) {
        if (e instanceof SandboxPolicyError) throw new ExecRequestError(`command/exec permissionProfile: ${e.message}`);
        throw e;
      }
    }
    return { policy: sandboxPolicyFromConfig(this.options.startupConfig) };
  }

  private daemonPaths(config: EffectiveConfig, cwd: string): LaunchOptions["daemonPaths"] {
    return daemonPathsFor(config.home, config.userConfigFile, cwd);
  }

  private warnOnce(client: ClientSink, warnings: readonly SandboxWarning[]): void {
    for (const w of warnings) this.warnOnceText(client, `${w.code}:${w.message}`, w.message);
  }

  private warnOnceText(client: ClientSink, key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.options.log.warn({ key }, message);
    client.notify("warning", { message, threadId: null });
  }

  private response(result: ExecResult, timeoutMs: number | null, deltas: OutputDeltas | null, tty: boolean): CommandExecResponse {
    const notes: string[] = [];
    if (result.timedOut) notes.push(`command timed out after ${timeoutMs ?? 0} ms; its process tree was killed`);
    if (result.sandboxDenial) notes.push(result.sandboxDenial.message);
    for (const d of result.postRunDenials) notes.push(d.message);
    const exitCode = result.timedOut ? TIMEOUT_EXIT_CODE : result.exitCode;
    const lines = notes.map((n) => `${n}\n`).join("");
    if (deltas !== null) {
      // A PTY has one stream, which 0.169 labels stdout.
      if (lines !== "") deltas.note(tty ? "stdout" : "stderr", tty ? lines.replace(/\n/g, "\r\n") : lines);
      return { exitCode, stdout: "", stderr: "" };
    }
    const stderr = lines === "" ? result.stderr : `${result.stderr}${result.stderr === "" || result.stderr.endsWith("\n") ? "" : "\n"}${lines}`;
    return { exitCode, stdout: result.stdout, stderr };
  }
}
