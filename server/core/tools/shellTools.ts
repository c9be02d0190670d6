// shell_command (a script for the user's shell) and shell (an argv array): the command tools of the
// model families that do not use unified exec (agent-loop.md §2.1–2.3). Both run to completion and
// answer with the exit code, the wall time and the output.
import { resolve } from "node:path";
import { startCommand } from "./commandRunner.js";
import { functionOutput, parseToolArgs, type Tool, type ToolCall, type ToolContext, type ToolOutput } from "./toolTypes.js";
import { truncateForModel } from "./modelOutput.js";

const DEFAULT_TIMEOUT_MS = 10 * 60_000;
const MODEL_OUTPUT_TOKENS = 10_000;

export function defaultShell(): string {
  const shell = process.env["SHELL"];
  return shell && shell.startsWith("/") ? shell : "/bin/bash";
}

async function runToEnd(call: ToolCall, ctx: ToolContext, argv: string[], a: Record<string, unknown>, json: boolean): Promise<ToolOutput> {
  const cwd = typeof a["workdir"] === "string" && a["workdir"] ? resolve(ctx.settings.cwd, a["workdir"]) : ctx.settings.cwd;
  const timeoutMs = typeof a["timeout_ms"] === "number" && a["timeout_ms"] > 0 ? a["timeout_ms"] : DEFAULT_TIMEOUT_MS;
  const escalated = a["sandbox_permissions"] === "require_escalated" || a["with_escalated_permissions"] === true;
  const running = await startCommand({ itemId: call.callId, argv, cwd, escalated, justification: typeof a["justification"] === "string" ? a["justification"] : null, timeoutMs, source: "agent" }, ctx);
  const outcome = await running.outcome;
  if (outcome.kind !== "ran") return functionOutput(call, outcome.message);
  const seconds = outcome.durationMs / 1000;
  const output = truncateForModel(outcome.output, MODEL_OUTPUT_TOKENS).text;
  if (json) return functionOutput(call, JSON.stringify({ output, metadata: { exit_code: outcome.result.exitCode, duration_seconds: Math.round(seconds * 10) / 10 } }));
  return functionOutput(call, `Exit code: ${outcome.result.exitCode}\nWall time: ${seconds.toFixed(1)} seconds\nOutput:\n${output}`);
}

const COMMON_PROPS = {
  workdir: { type: "string", description: "The working directory to execute the command in" },
  timeout_ms: { type: "number", description: "The timeout for the command in milliseconds" },
  sandbox_permissions: { type: "string", description: "Sandbox permissions for the command. Set to \"require_escalated\" to request running without sandbox restrictions; defaults to \"use_default\"." },
  justification: { type: "string", description: "Only set if sandbox_permissions is \"require_escalated\". One sentence asking the user to approve running the command outside the sandbox." },
};

export const shellCommandTool: Tool = {
  name: "shell_command",
  spec: {
    type: "function",
    name: "shell_command",
    description: "Runs a shell command and returns its output.",
    strict: false,
    parameters: {
      type: "object",
      properties: {
        command: { type: "string", description: "The shell script to execute in the user's default shell" },
        login: { type: "boolean", description: "Whether to run the shell with login shell semantics. Defaults to true." },
        ...COMMON_PROPS,
      },
      required: ["command"],
      additionalProperties: false,
    },
  },
  async run(call, ctx) {
    const a = parseToolArgs(call.input);
    if (typeof a === "string") return functionOutput(call, a);
    if (typeof a["command"] !== "string") return functionOutput(call, "failed to parse function arguments: missing field `command`");
    return runToEnd(call, ctx, [defaultShell(), a["login"] === false ? "-c" : "-lc", a["command"]], a, false);
  },
};

export const shellTool: Tool = {
  name: "shell",
  spec: {
    type: "function",
    name: "shell",
    description: "Runs a shell command and returns its output. The arguments are passed to execvp(); most commands should be prefixed with [\"bash\", \"-lc\"].",
    strict: false,
    parameters: {
      type: "object",
      properties: { command: { type: "array", items: { type: "string" }, description: "The command to execute" }, ...COMMON_PROPS },
      required: ["command"],
      additionalProperties: false,
    },
  },
  async run(call, ctx) {
    const a = parseToolArgs(call.input);
    if (typeof a === "string") return functionOutput(call, a);
    const command = a["command"];
    if (!Array.isArray(command) || command.length === 0 || !command.every((c) => typeof c === "string")) return functionOutput(call, "failed to parse function arguments: `command` must be a non-empty array of strings");
    return runToEnd(call, ctx, command as string[], a, true);
  },
};
