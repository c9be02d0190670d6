// The stdio transport: spawns the daemon and speaks newline-delimited JSON over its stdin/stdout.
//
// Invariants:
// - The child runs in its own process group (detached), and close() signals the whole group: stdin is
//   ended, SIGTERM is sent at once, SIGKILL follows after `killTimeoutMs`; close() resolves when the
//   child has exited. Nothing outside that group is ever signalled.
// - stderr is always consumed (a full pipe would stall the daemon): split into lines, handed to the
//   `onStderrLine` listeners, and the last lines are kept for the message of an unexpected exit.
// - The connection ends (TransportEvents.close) when the child's stdio has closed after it exited.
// - `env` has Node's spawn meaning: the complete environment (default: this process's environment).
import { spawn } from "node:child_process";
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import type { Readable } from "node:stream";
import type { WireMessage } from "../../protocol/index.js";
import { GatehouseClient } from "./client.js";
import type { ClientOptions, ClientTransport, TransportEvents } from "./client.js";
import { readJsonLines, writeJsonLine } from "./lineFraming.js";

export interface StdioOptions {
  command: string;
  args?: readonly string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Registered before the spawn, so no early line is missed. */
  onStderrLine?: (line: string) => void;
  /** Grace period between SIGTERM and SIGKILL on close(). Default 3000 ms. */
  killTimeoutMs?: number;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const STDERR_TAIL_LINES = 50;

export class StdioTransport implements ClientTransport {
  /** The daemon's stderr (already flowing; add a "data" listener or use onStderrLine). */
  readonly stderr: Readable;
  /** Resolves when the child has exited. */
  readonly exited: Promise<ExitInfo>;
  private readonly stderrListeners = new Set<(line: string) => void>();
  private readonly stderrTail: string[] = [];
  private events: TransportEvents | undefined;
  private endedBeforeStart: { error?: Error } | undefined;
  private exit: ExitInfo | undefined;
  private closing: Promise<void> | undefined;

  private constructor(
    readonly child: ChildProcessWithoutNullStreams,
    private readonly killTimeoutMs: number,
  ) {
    this.stderr = child.stderr;
    this.exited = new Promise((resolve) =>
      child.once("exit", (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      }),
    );
    child.stdin.on("error", () => {
      // EPIPE after the child died: the pending write's callback reports it to the caller.
    });
    let partial = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      const lines = (partial + chunk).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) this.stderrLine(line.endsWith("\r") ? line.slice(0, -1) : line);
    });
    child.stderr.on("end", () => {
      if (partial !== "") this.stderrLine(partial);
      partial = "";
    });
    child.once("close", () => this.ended(this.closing ? undefined : this.unexpectedExitError()));
  }

  /** Spawns the daemon; rejects when it cannot be started (e.g. ENOENT). */
  static spawn(options: StdioOptions): Promise<StdioTransport> {
    const child = spawn(options.command, options.args ?? [], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["pipe", "pipe", "pipe"],
      detached: true,
    });
    const transport = new StdioTransport(child, options.killTimeoutMs ?? 3000);
    if (options.onStderrLine) transport.onStderrLine(options.onStderrLine);
    return new Promise((resolve, reject) => {
      child.once("spawn", () => resolve(transport));
      child.once("error", (err) => reject(new Error(`cannot start ${options.command}: ${err.message}`, { cause: err })));
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  onStderrLine(listener: (line: string) => void): () => void {
    this.stderrListeners.add(listener);
    return () => this.stderrListeners.delete(listener);
  }

  start(events: TransportEvents): void {
    this.events = events;
    readJsonLines(this.child.stdout, events.message, events.invalid);
    if (this.endedBeforeStart) events.close(this.endedBeforeStart.error);
  }

  send(message: WireMessage): Promise<void> {
    return writeJsonLine(this.child.stdin, message);
  }

  close(): Promise<void> {
    return (this.closing ??= this.terminate());
  }

  private async terminate(): Promise<void> {
    if (!this.exit && this.child.exitCode === null && this.child.signalCode === null) {
      this.child.stdin.end();
      this.signalGroup("SIGTERM");
      const timer = setTimeout(() => this.signalGroup("SIGKILL"), this.killTimeoutMs);
      await this.exited;
      clearTimeout(timer);
    }
    this.child.stdout.destroy();
    this.child.stderr.destroy();
  }

  private signalGroup(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // Group already gone (ESRCH); fall back to the child itself in case it left the group.
      this.child.kill(signal);
    }
  }

  private stderrLine(line: string): void {
    this.stderrTail.push(line);
    if (this.stderrTail.length > STDERR_TAIL_LINES) this.stderrTail.shift();
    for (const listener of this.stderrListeners) listener(line);
  }

  private unexpectedExitError(): Error {
    const how = this.exit ? (this.exit.signal ? `signal ${this.exit.signal}` : `code ${this.exit.code}`) : "closed stdio";
    const tail = this.stderrTail.slice(-5).join("\n");
    return new Error(`the server exited (${how})${tail ? `; last stderr lines:\n${tail}` : ""}`);
  }

  private ended(error: Error | undefined): void {
    if (this.events) this.events.close(error);
    else this.endedBeforeStart = error ? { error } : {};
  }
}

/** Spawns the daemon (e.g. `{command: "gatehouse", args: ["app-server"]}`) and returns a client on its stdio. */
export async function connectStdio(options: StdioOptions & ClientOptions): Promise<GatehouseClient<StdioTransport>> {
  const transport = await StdioTransport.spawn(options);
  return new GatehouseClient(transport, options);
}
