// exec_command + write_stdin, the tools 0.169 offers its model families.
// A command that outlives `yield_time_ms` keeps running as a session the model polls or writes to
// with write_stdin; its commandExecution item completes when the process ends. Sessions belong to the
// thread: an interrupt kills the ones its turn started, closing the thread kills them all.
import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import { functionOutput, parseToolArgs, type Tool, type ToolContext, type ToolOutput } from "./toolTypes.js";
import { startCommand } from "./commandRunner.js";
import { defaultShell } from "./defaultShell.js";
import { shellApplyPatch } from "./shellTools.js";
import { approxTokens, truncateForModel } from "./modelOutput.js";
import type { UnifiedExecSession, UnifiedExecSessions } from "./unifiedExecSessions.js";

const DEFAULT_YIELD_MS = 10_000;
const MIN_YIELD_MS = 250;
const MAX_YIELD_MS = 30_000;
const DEFAULT_WRITE_YIELD_MS = 250;
const DEFAULT_POLL_YIELD_MS = 5_000;
const MAX_POLL_YIELD_MS = 300_000;
const DEFAULT_MAX_OUTPUT_TOKENS = 10_000;

function clamp(v: unknown, dflt: number, min: number, max: number): number {
  const n = typeof v === "number" && Number.isFinite(v) ? v : dflt;
  return Math.min(max, Math.max(min, n));
}

function render(output: string, wallMs: number, status: string, maxTokens: number): string {
  const original = approxTokens(output);
  const { text, truncated } = truncateForModel(output, maxTokens);
  const lines = [
    `Chunk ID: ${randomBytes(3).toString("hex")}`,
    `Wall time: ${(wallMs / 1000).toFixed(4)} seconds`,
    status,
    `Original token count: ${original}`,
  ];
  if (truncated) lines.push(`Warning: truncated output (original token count: ${original})`, `Total output lines: ${output.split("\n").length}`);
  return `${lines.join("\n")}\nOutput:\n${text}`;
}

function waitFor(promise: Promise<unknown>, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolvePromise) => {
    const timer = setTimeout(finish, ms);
    const onAbort = (): void => finish();
    signal.addEventListener("abort", onAbort, { once: true });
    void promise.then(finish, finish);
    function finish(): void {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      resolvePromise();
    }
  });
}

async function yieldResult(
  session: UnifiedExecSession,
  yieldMs: number,
  started: number,
  maxTokens: number,
  ctx: ToolContext,
  sessions: UnifiedExecSessions,
): Promise<string> {
  await waitFor(session.command.outcome, yieldMs, ctx.signal);
  // Let an exit that raced the timer settle, so its status is reported rather than "running".
  await new Promise((r) => setImmediate(r));
  const outcome = session.exited;
  const output = session.command.takeUnread();
  if (outcome === null) return render(output, Date.now() - started, `Process running with session ID ${session.id}`, maxTokens);
  sessions.drop(session.id);
  if (outcome.kind !== "ran") return outcome.message;
  return render(
    outcome.output.endsWith(output) ? output : outcome.output,
    Date.now() - started,
    `Process exited with code ${outcome.result.exitCode}`,
    maxTokens,
  );
}

export function unifiedExecTools(sessions: UnifiedExecSessions): Tool[] {
  const execCommand: Tool = {
    name: "exec_command",
    supportsParallel: true,
    spec: {
      type: "function",
      name: "exec_command",
      description: "Runs a command in a PTY, returning output or a session ID for ongoing interaction.",
      strict: false,
      parameters: {
        type: "object",
        properties: {
          cmd: { type: "string", description: "Shell command to execute." },
          justification: { type: "string", description: "User-facing approval question for `require_escalated`; omit otherwise." },
          login: { type: "boolean", description: "True runs the shell with -l/-i semantics; false disables them. Defaults to true." },
          max_output_tokens: { type: "number", description: "Output token budget. Defaults to 10000 tokens; larger requests may be capped by policy." },
          prefix_rule: {
            type: "array",
            description: 'Reusable approval prefix for `cmd`, only with `sandbox_permissions: "require_escalated"`; for example ["git", "pull"].',
            items: { type: "string" },
          },
          sandbox_permissions: {
            type: "string",
            description: "Per-command sandbox override. Defaults to `use_default`; use `require_escalated` for unsandboxed execution.",
            enum: ["use_default", "require_escalated"],
          },
          shell: { type: "string", description: "Shell binary to launch. Defaults to the user's default shell." },
          tty: { type: "boolean", description: "True allocates a PTY for the command; false or omitted uses plain pipes." },
          workdir: { type: "string", description: "Working directory for the command. Defaults to the turn cwd." },
          yield_time_ms: { type: "number", description: "Wait before yielding output. Defaults to 10000 ms; effective range is 250-30000 ms." },
        },
        required: ["cmd"],
        additionalProperties: false,
      },
    },
    async run(call, ctx): Promise<ToolOutput> {
      const args = parseToolArgs(call.input);
      if (typeof args === "string") return functionOutput(call, args);
      if (typeof args["cmd"] !== "string") return functionOutput(call, "failed to parse function arguments: missing field `cmd`");
      const shell = typeof args["shell"] === "string" && args["shell"] ? args["shell"] : defaultShell();
      const login = args["login"] !== false;
      const cwd = typeof args["workdir"] === "string" && args["workdir"] ? resolve(ctx.settings.cwd, args["workdir"]) : ctx.settings.cwd;
      const argv = [shell, login ? "-lc" : "-c", args["cmd"]];
      // A patch through the shell is applied, not run: no session, no commandExecution item.
      const patched = await shellApplyPatch(argv, cwd, call.callId, ctx, "unifiedExec");
      if (patched !== null) return functionOutput(call, patched);
      const started = Date.now();
      const command = await startCommand(
        {
          itemId: call.callId,
          argv,
          cwd,
          escalated: args["sandbox_permissions"] === "require_escalated",
          justification: typeof args["justification"] === "string" ? args["justification"] : null,
          timeoutMs: null,
          source: "unifiedExecStartup",
        },
        ctx,
      );
      const session = sessions.add(ctx.turnId, command);
      const text = await yieldResult(
        session,
        clamp(args["yield_time_ms"], DEFAULT_YIELD_MS, MIN_YIELD_MS, MAX_YIELD_MS),
        started,
        clamp(args["max_output_tokens"], DEFAULT_MAX_OUTPUT_TOKENS, 1, 1_000_000),
        ctx,
        sessions,
      );
      return functionOutput(call, text);
    },
  };
  const writeStdin: Tool = {
    name: "write_stdin",
    spec: {
      type: "function",
      name: "write_stdin",
      description: "Writes characters to an existing unified exec session and returns recent output.",
      strict: false,
      parameters: {
        type: "object",
        properties: {
          chars: { type: "string", description: "Bytes to write to stdin. Defaults to empty, which polls without writing." },
          max_output_tokens: { type: "number", description: "Output token budget. Defaults to 10000 tokens; larger requests may be capped by policy." },
          session_id: { type: "number", description: "Identifier of the running unified exec session." },
          yield_time_ms: {
            type: "number",
            description: "Wait before yielding output. Non-empty writes default to 250 ms and cap at 30000 ms; empty polls wait 5000-300000 ms by default.",
          },
        },
        required: ["session_id"],
        additionalProperties: false,
      },
    },
    async run(call, ctx): Promise<ToolOutput> {
      const args = parseToolArgs(call.input);
      if (typeof args === "string") return functionOutput(call, args);
      const id = args["session_id"];
      const session = typeof id === "number" ? sessions.get(id) : undefined;
      if (!session) return functionOutput(call, `write_stdin failed: Unknown process id ${String(id)}`);
      const chars = typeof args["chars"] === "string" ? args["chars"] : "";
      if (chars !== "") session.command.handle?.write(chars);
      const yieldMs =
        chars === ""
          ? clamp(args["yield_time_ms"], DEFAULT_POLL_YIELD_MS, MIN_YIELD_MS, MAX_POLL_YIELD_MS)
          : clamp(args["yield_time_ms"], DEFAULT_WRITE_YIELD_MS, MIN_YIELD_MS, MAX_YIELD_MS);
      const text = await yieldResult(session, yieldMs, Date.now(), clamp(args["max_output_tokens"], DEFAULT_MAX_OUTPUT_TOKENS, 1, 1_000_000), ctx, sessions);
      return functionOutput(call, text);
    },
  };
  return [execCommand, writeStdin];
}
