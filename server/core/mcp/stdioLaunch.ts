// How a stdio MCP server is launched, and its process from the launch until an MCP client takes it
// over. Nothing here loads the MCP SDK: a thread's servers are launched while thread/start is still
// being answered, and the SDK (tens of milliseconds of module loading) is loaded meanwhile. A
// server's own start-up (a Node server: a quarter of a second) is the longest part of a thread's
// first tool list, so every millisecond its launch waits is one the first turn waits too.
//
// Invariants:
//  - One description of a launch (stdioLaunchOf) serves the early launch and the client's own, and
//    a client adopts an early process only when its launch is the same (sameLaunch): a config or
//    policy that changed in between gets a fresh process, and the early one is stopped.
//  - A process nobody adopts is stopped (McpEarlyLaunches.dispose).
//  - What a process writes before it is adopted is held, up to HELD_LIMIT bytes; past that it is
//    stopped (a server has no reason to write before its client's `initialize`).
import type { Logger } from "../../log.js";
import type { DaemonPaths } from "../../sandbox/bwrapPlan.js";
import type { LaunchOptions, SandboxLauncher } from "../../sandbox/launcherTypes.js";
import type { SandboxPolicy } from "../../sandbox/sandboxPolicy.js";
import { startExec, type ExecHandle } from "../../sandbox/spawn.js";
import { commandEnvironment } from "../commandSetup/commandEnv.js";
import { daemonPathsFor } from "../commandSetup/daemonPaths.js";
import type { EffectiveConfig } from "../config/effective.js";
import { readMcpServers, type McpServerConfig, type McpStdioTransportConfig } from "./mcpConfig.js";

/** Bytes startExec keeps per stream for the run's result; the protocol stream itself is read as it comes. */
const OUTPUT_CAP = 16 * 1024;
/** What a process may write before a client adopts it. */
const HELD_LIMIT = 4 * 1024 * 1024;

/** How a stdio server is launched: the thread's sandbox and environment. */
export interface McpStdioEnvironment {
  readonly launcher: SandboxLauncher;
  /** Read at each (re)start: a running server keeps the policy it was started with. */
  readonly sandboxPolicy: () => SandboxPolicy;
  /** The thread's cwd: the server's cwd when it sets none, and what the policy's cwd-relative roots resolve against. */
  readonly cwd: string;
  /** The daemon's command environment (commandEnvironment(config)); env_vars and the server's env go on top. */
  readonly baseEnv: Readonly<Record<string, string>>;
  /** Where env_vars are copied from; the daemon's own environment by default. */
  readonly sourceEnv?: Readonly<Record<string, string | undefined>>;
  readonly daemonPaths?: DaemonPaths;
  /** A process launched for `server` before its client existed, when its launch is `launch` (see McpEarlyLaunches). */
  readonly earlyProcess?: (server: string, launch: StdioLaunch) => Promise<StdioServerProcess> | null;
}

/**
 * The stdio launch environment of a thread's servers, built as command/exec and the turn's commands
 * build theirs: shell_environment_policy applied to the daemon's environment (the server's env_vars
 * and env go on top), and the daemon's home hidden from a sandboxed server (daemonPaths.ts).
 */
export function mcpStdioEnvironment(
  config: EffectiveConfig,
  thread: { readonly launcher: SandboxLauncher; readonly sandboxPolicy: () => SandboxPolicy; readonly cwd: string },
  daemonEnv: Readonly<Record<string, string | undefined>> = process.env,
): McpStdioEnvironment {
  return {
    launcher: thread.launcher,
    sandboxPolicy: thread.sandboxPolicy,
    cwd: thread.cwd,
    baseEnv: commandEnvironment(config, daemonEnv),
    sourceEnv: daemonEnv,
    daemonPaths: daemonPathsFor(config.home, config.userConfigFile, thread.cwd),
  };
}

export interface StdioLaunch {
  readonly launcher: SandboxLauncher;
  /** The server's command and arguments. */
  readonly argv: readonly string[];
  readonly policy: SandboxPolicy;
  readonly cwd: string;
  /** env (already complete: the daemon's command environment, env_vars, the server's env), daemonPaths, policyCwd. */
  readonly launchOptions: LaunchOptions;
}

/** The launch of `config`'s stdio server in `stdio`: its sandbox (or none, `sandbox = false`), cwd and complete environment. */
export function stdioLaunchOf(config: McpServerConfig, transport: McpStdioTransportConfig, stdio: McpStdioEnvironment): StdioLaunch {
  const source = stdio.sourceEnv ?? process.env;
  const copied: Record<string, string> = {};
  for (const { name } of transport.envVars) {
    const value = source[name];
    if (value !== undefined) copied[name] = value;
  }
  const policy: SandboxPolicy = config.sandbox ? stdio.sandboxPolicy() : { type: "dangerFullAccess" };
  return {
    launcher: stdio.launcher,
    argv: [transport.command, ...transport.args],
    policy,
    cwd: transport.cwd ?? stdio.cwd,
    launchOptions: {
      env: { ...stdio.baseEnv, ...copied, ...transport.env },
      policyCwd: stdio.cwd,
      ...(stdio.daemonPaths ? { daemonPaths: stdio.daemonPaths } : {}),
    },
  };
}

/** Whether two launches start the same program the same way (same launcher, argv, policy, cwd, environment). */
export function sameLaunch(a: StdioLaunch, b: StdioLaunch): boolean {
  const key = (l: StdioLaunch): string =>
    JSON.stringify([
      l.argv,
      l.policy,
      l.cwd,
      Object.entries(l.launchOptions.env ?? {}).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)),
      l.launchOptions.policyCwd ?? null,
      l.launchOptions.daemonPaths ?? null,
    ]);
  return a.launcher === b.launcher && key(a) === key(b);
}

/** Where a process's output goes once it is adopted. */
export interface StdioOutput {
  stdout(chunk: Buffer): void;
  stderr(chunk: Buffer): void;
}

/** A launched stdio server: its handle, and its output, held until `adopt` names where it goes. */
export class StdioServerProcess {
  private output: StdioOutput | null = null;
  private held: { readonly stream: "stdout" | "stderr"; readonly chunk: Buffer }[] = [];
  private heldBytes = 0;
  private handleValue: ExecHandle | null = null;

  private constructor(private readonly log: Logger) {}

  /** Transforms and spawns; rejects when the launcher refuses (SandboxUnavailableError) or spawn throws. */
  static async launch(launch: StdioLaunch, log: Logger): Promise<StdioServerProcess> {
    const { launcher, argv, policy, cwd, launchOptions } = launch;
    const request = await launcher.transform(argv, policy, cwd, launchOptions);
    for (const w of request.warnings) log.warn({ warning: w.message }, "MCP server sandbox warning");
    const launched = new StdioServerProcess(log);
    launched.handleValue = startExec(request, {
      stdin: "pipe",
      outputCap: OUTPUT_CAP,
      onStdout: (chunk) => launched.write("stdout", chunk),
      onStderr: (chunk) => launched.write("stderr", chunk),
    });
    log.debug({ pid: launched.handleValue.pid, sandbox: request.sandbox }, "MCP server started");
    return launched;
  }

  get handle(): ExecHandle {
    return this.handleValue as ExecHandle;
  }

  /** Output chunks waiting for `adopt`, per stream. */
  get heldChunks(): { readonly stdout: number; readonly stderr: number } {
    return { stdout: this.held.filter((h) => h.stream === "stdout").length, stderr: this.held.filter((h) => h.stream === "stderr").length };
  }

  /** From now on output goes to `output`, starting with what was held. */
  adopt(output: StdioOutput): void {
    const held = this.held;
    this.held = [];
    this.heldBytes = 0;
    this.output = output;
    for (const { stream, chunk } of held) output[stream](chunk);
  }

  private write(stream: "stdout" | "stderr", chunk: Buffer): void {
    if (this.output !== null) return this.output[stream](chunk);
    if (this.heldBytes > HELD_LIMIT) return;
    this.heldBytes += chunk.length;
    this.held.push({ stream, chunk });
    if (this.heldBytes > HELD_LIMIT) {
      this.log.warn({ limit: HELD_LIMIT }, "MCP server wrote too much before its client connected; stopping it");
      this.handle.terminate();
    }
  }
}

/**
 * A thread's stdio servers launched before its MCP client code is loaded (ThreadManager starts them
 * with thread/start); each server's client takes its process through `earlyProcess` when the launch
 * it would make is the same, and `dispose` stops whatever was not taken.
 */
export class McpEarlyLaunches {
  private readonly launches = new Map<string, { readonly launch: StdioLaunch; readonly process: Promise<StdioServerProcess> }>();

  /** Launches every enabled, usable stdio server of `config` the way its client would. */
  constructor(config: EffectiveConfig, stdio: McpStdioEnvironment, log: Logger) {
    for (const entry of readMcpServers(config.mcpServers)) {
      if (!entry.ok || !entry.config.enabled || entry.config.transport.kind !== "stdio") continue;
      const launch = stdioLaunchOf(entry.config, entry.config.transport, stdio);
      const launched = StdioServerProcess.launch(launch, log.child({ mcpServer: entry.name }));
      // A refused launch is reported by the client that takes it (its own start-up error path).
      launched.catch(() => undefined);
      this.launches.set(entry.name, { launch, process: launched });
    }
  }

  get size(): number {
    return this.launches.size;
  }

  /** `server`'s process if it was launched as `launch` (once); a different launch stops it and gets null. */
  take(server: string, launch: StdioLaunch): Promise<StdioServerProcess> | null {
    const early = this.launches.get(server);
    if (early === undefined) return null;
    this.launches.delete(server);
    if (sameLaunch(early.launch, launch)) return early.process;
    void stop(early.process);
    return null;
  }

  /** Stops every process not taken; resolves once they are gone. */
  async dispose(): Promise<void> {
    const left = [...this.launches.values()];
    this.launches.clear();
    await Promise.all(left.map((early) => stop(early.process)));
  }
}

async function stop(early: Promise<StdioServerProcess>): Promise<void> {
  const launched = await early.catch(() => null);
  if (launched === null) return;
  launched.handle.closeStdin();
  launched.handle.terminate();
  await launched.handle.result;
}
