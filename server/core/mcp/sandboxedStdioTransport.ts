// The MCP SDK's `Transport` for a stdio server that Gatehouse launches itself: the command goes through
// the sandbox launcher (`transform`, so bwrap/Seatbelt wrap it under the given policy, or the
// unwrapped path for dangerFullAccess) and runs under spawn.ts's `startExec` (own process group, the
// whole tree killed on close), launched by stdioLaunch.ts (by start(), or earlier, with thread/start,
// and adopted here). The SDK's StdioClientTransport spawns the program directly, which would bypass
// the sandbox; only its framing helpers are used here.
//
// Invariants:
//  - Memory stays bounded whatever the server writes: startExec keeps at most OUTPUT_CAP bytes per
//    stream (stdioLaunch.ts; its head/tail capture exists for commands, not for a protocol stream),
//    what an early-launched server writes before start() adopts it is held up to HELD_LIMIT there, a
//    partial line may grow to MAX_MESSAGE_BYTES before the server is stopped, and stderr is kept as a
//    short tail plus at most STDERR_LOG_LINES log lines.
//  - A stdout line that is not JSON-RPC is skipped, counted and logged (0.169 also tolerates them;
//    many servers print a banner), and later failures mention it: it is the likely cause of a
//    request that never gets its answer.
//  - onclose fires exactly once, after the process tree is gone and every message read before has
//    been delivered; when the server exited on its own, onerror fires first with why (exit code,
//    signal, sandbox set-up failure, command not found).
//  - Messages are delivered one per event-loop turn, in order (deliver() says why).
import { ReadBuffer, serializeMessage } from "@modelcontextprotocol/sdk/shared/stdio.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import type { Logger } from "../../log.js";
import type { ExecResult } from "../../sandbox/execResult.js";
import type { ExecHandle } from "../../sandbox/spawn.js";
import { StdioServerProcess, type StdioLaunch } from "./stdioLaunch.js";

/** The longest message a server may send (a resource read carries whole files, base64 for binary). */
export const MAX_MESSAGE_BYTES = 32 * 1024 * 1024;
const STDERR_TAIL_CHARS = 2000;
const STDERR_LOG_LINES = 200;
const LOGGED_LINE_CHARS = 500;
/** After stdin closes, how long a server gets to exit on its own before its tree is killed. */
const EXIT_GRACE_MS = 1000;

function oneLine(text: string, max = LOGGED_LINE_CHARS): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

/** How a finished run is described in an error: "exited with code 3", "could not be started: …". */
export function describeExit(result: ExecResult): string {
  if (result.sandboxSetupFailed) return `could not be started: ${result.sandboxDenial?.message ?? "the sandbox could not be set up"}`;
  if (result.exitCode === 127 || result.exitCode === 126) {
    const reason = result.stderr.trim().split("\n").pop();
    return `could not be started (exit code ${result.exitCode}${reason ? `: ${oneLine(reason, 200)}` : ""})`;
  }
  if (result.signal !== null) return `was killed by ${result.signal}`;
  return `exited with code ${result.exitCode}`;
}

export class SandboxedStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private handle: ExecHandle | null = null;
  // Lines are bounded by MAX_MESSAGE_BYTES before they get here; a batch may hold several whole ones.
  private readonly buffer = new ReadBuffer({ maxBufferSize: 2 * MAX_MESSAGE_BYTES });
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private readonly inbox: JSONRPCMessage[] = [];
  private delivering: Promise<void> | null = null;
  private oversized = false;
  private closing = false;
  private finished: Promise<void> | null = null;
  private exitText: string | null = null;
  private stderrTailText = "";
  private stderrPartial = "";
  private stderrLinesLogged = 0;
  private badLines = 0;
  private lastBadLine: string | null = null;

  private started = false;

  /** `early`: the same launch, already under way (stdioLaunch.ts's McpEarlyLaunches); start() adopts it instead of launching. */
  constructor(
    private readonly launch: StdioLaunch,
    private readonly log: Logger,
    private readonly early: Promise<StdioServerProcess> | null = null,
  ) {}

  /** Transforms and spawns (or adopts the early process); rejects when the launcher refuses (SandboxUnavailableError) or spawn throws. */
  async start(): Promise<void> {
    if (this.started) throw new Error("the MCP server transport was already started");
    this.started = true;
    const launched = await (this.early ?? StdioServerProcess.launch(this.launch, this.log));
    if (this.closing) {
      launched.handle.terminate();
      throw new Error("the MCP server transport was closed before it started");
    }
    launched.adopt({ stdout: (chunk) => this.readStdout(chunk), stderr: (chunk) => this.readStderr(chunk) });
    const handle = launched.handle;
    this.handle = handle;
    this.finished = handle.result.then(
      async (result) => this.exited(await this.delivered(result)),
      (error: unknown) => this.exited(null, error),
    );
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.handle === null || this.exitText !== null) throw new Error("the MCP server is not running");
    this.handle.write(serializeMessage(message));
    return Promise.resolve();
  }

  /** Closes the server's stdin, gives it EXIT_GRACE_MS to exit, then kills its tree; resolves once it is gone. */
  async close(): Promise<void> {
    this.closing = true;
    const handle = this.handle;
    const finished = this.finished;
    if (handle === null || finished === null) return;
    if (this.exitText === null) {
      handle.closeStdin();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([finished, new Promise<void>((resolve) => (timer = setTimeout(resolve, EXIT_GRACE_MS)))]);
      clearTimeout(timer);
      if (this.exitText === null) handle.terminate();
    }
    await finished;
  }

  /** Why the server stopped ("exited with code 3"), once it has; null while it runs. */
  get exitDescription(): string | null {
    return this.exitText;
  }

  /** The end of what the server wrote to stderr, on one line (empty when nothing). */
  get stderrTail(): string {
    return oneLine(this.stderrTailText + this.stderrPartial, STDERR_TAIL_CHARS);
  }

  /** stdout lines that were not JSON-RPC, and the parse error of the last one. */
  get unreadableOutput(): { readonly lines: number; readonly last: string | null } {
    return { lines: this.badLines, last: this.lastBadLine };
  }

  /**
   * Chunks without a newline wait in `pending` and reach the ReadBuffer together with the chunk that
   * ends their line: ReadBuffer concatenates on every append, which for a message of many chunks
   * (a large resource) would copy it once per chunk.
   */
  private readStdout(chunk: Buffer): void {
    if (this.oversized) return;
    if (!chunk.includes(0x0a)) {
      this.pendingBytes += chunk.length;
      if (this.pendingBytes > MAX_MESSAGE_BYTES) return this.oversize();
      this.pending.push(chunk);
      return;
    }
    const data = this.pending.length === 0 ? chunk : Buffer.concat([...this.pending, chunk]);
    this.pending = [];
    this.pendingBytes = 0;
    try {
      this.buffer.append(data);
    } catch {
      return this.oversize();
    }
    for (;;) {
      let message: JSONRPCMessage | null;
      try {
        message = this.buffer.readMessage();
      } catch (error) {
        this.unreadableLine(error);
        continue;
      }
      if (message === null) break;
      this.inbox.push(message);
    }
    if (this.delivering === null) {
      const run = this.deliver();
      this.delivering = run;
      void run.then(() => {
        if (this.delivering === run) this.delivering = null;
      });
    }
  }

  /**
   * Hands the messages to the client one per event-loop turn. The SDK's Protocol runs a notification's
   * handler a microtask later but settles a response at once, so a server's last progress
   * notification, read in the same chunk as the response it belongs to, would find its handler gone.
   */
  private async deliver(): Promise<void> {
    for (let message = this.inbox.shift(); message !== undefined; message = this.inbox.shift()) {
      this.onmessage?.(message);
      if (this.inbox.length > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** A line longer than MAX_MESSAGE_BYTES: the rest of the stream cannot be framed, so the server is stopped. */
  private oversize(): void {
    this.oversized = true;
    this.pending = [];
    this.buffer.clear();
    this.badLines += 1;
    this.lastBadLine = `a message longer than ${MAX_MESSAGE_BYTES} bytes`;
    this.log.warn({ limit: MAX_MESSAGE_BYTES }, "MCP server sent an oversized message; stopping it");
    this.handle?.terminate();
  }

  private unreadableLine(error: unknown): void {
    const text = error instanceof SyntaxError ? error.message : "a JSON value that is not a JSON-RPC message";
    this.badLines += 1;
    this.lastBadLine = oneLine(text, 200);
    if (this.badLines <= 3) this.log.warn({ error: this.lastBadLine }, "MCP server wrote a line to stdout that is not JSON-RPC; skipped");
    else this.log.debug({ error: this.lastBadLine, lines: this.badLines }, "MCP server wrote a line to stdout that is not JSON-RPC; skipped");
  }

  private readStderr(chunk: Buffer): void {
    const text = this.stderrPartial + chunk.toString("utf8");
    const lines = text.split("\n");
    this.stderrPartial = (lines.pop() ?? "").slice(-STDERR_TAIL_CHARS);
    for (const line of lines) {
      if (line.trim() === "") continue;
      this.stderrTailText = `${this.stderrTailText}\n${line}`.slice(-STDERR_TAIL_CHARS);
      if (this.stderrLinesLogged < STDERR_LOG_LINES) {
        this.stderrLinesLogged += 1;
        this.log.debug(
          { stderr: oneLine(line) },
          this.stderrLinesLogged === STDERR_LOG_LINES ? "MCP server stderr (further lines are not logged)" : "MCP server stderr",
        );
      }
    }
  }

  /** `value` once every message read before the exit has been handed over (a server's last answer precedes its exit). */
  private async delivered<T>(value: T): Promise<T> {
    while (this.delivering !== null) await this.delivering;
    return value;
  }

  private exited(result: ExecResult | null, error?: unknown): void {
    this.exitText = result === null ? `stopped: ${error instanceof Error ? error.message : String(error)}` : describeExit(result);
    this.log.debug({ exit: this.exitText, requested: this.closing }, "MCP server stopped");
    if (!this.closing) this.onerror?.(new Error(`the MCP server ${this.exitText}`));
    this.onclose?.();
  }
}
