// shell_command (a script for the user's shell) and shell (an argv array): the command tools of the
// model families that do not use unified exec. Both run to completion and
// answer with the exit code, the wall time and the output. Every shell tool (exec_command too) hands
// its command to `shellApplyPatch` first: a patch sent through the shell is applied, not run.
import { homedir } from "node:os";
import { resolve } from "node:path";
import { detectApplyPatchInvocation } from "../patch/invocation.js";
import { applyPatch, type ApplyPatchOutcome } from "./applyPatchTool.js";
import { loadBashParser } from "./bashParse.js";
import { startCommand } from "./commandRunner.js";
import { functionOutput, parseToolArgs, type Tool, type ToolCall, type ToolContext, type ToolOutput } from "./toolTypes.js";
import { truncateForModel } from "./modelOutput.js";
import { defaultShell } from "./defaultShell.js";

const DEFAULT_TIMEOUT_MS = 10 * 60_000;
const MODEL_OUTPUT_TOKENS = 10_000;

/**
 * How the model's answer to an intercepted patch is shaped: as exec_command's (0.169, observed
 * 2026-12 with the conformance harness, exec_command under gpt-5.5) or as the shell/shell_command
 * JSON (0.80, observed the same way with gpt-5.1-codex and o3; 0.169 offers neither tool).
 */
export type ShellPatchAnswer = "unifiedExec" | "json";

/** `cd DIR` as bash would take it: `~` is the home folder, anything else is relative to the command's cwd. */
function cdTarget(cwd: string, dir: string): string {
  if (dir === "~" || dir.startsWith("~/")) return resolve(homedir(), `.${dir.slice(1)}`);
  return resolve(cwd, dir);
}

/** Rust's `{}` of an f32 rounded to one decimal, as 0.169 prints the apply's wall time: 0, 0.1, 12.3. */
function oneDecimal(ms: number): number {
  return Math.round(ms / 100) / 10;
}

/** The model's answer to an intercepted patch, in the shape the tool's reference gives it. */
export function renderShellPatchAnswer(outcome: ApplyPatchOutcome, answer: ShellPatchAnswer): string {
  // Never written (verification failed, declined): the reason alone, in both references.
  if (outcome.kind === "rejected") return outcome.text;
  const exitCode = outcome.kind === "applied" ? 0 : 1;
  const output = outcome.text.endsWith("\n") ? outcome.text : `${outcome.text}\n`;
  const seconds = oneDecimal(outcome.durationMs);
  // 0.80 prints duration_seconds with one decimal even when whole (0.0), which JSON.stringify would not.
  if (answer === "json") return `{"output":${JSON.stringify(output)},"metadata":{"exit_code":${exitCode},"duration_seconds":${seconds.toFixed(1)}}}`;
  const inner = `Exit code: ${exitCode}\nWall time: ${seconds} seconds\nOutput:\n${output}`;
  // 0.169 wraps a success in exec_command's frame with a zero wall time and no chunk id, exit line or
  // token count; a failed apply comes back bare, as its error.
  return outcome.kind === "applied" ? `Wall time: 0.0000 seconds\nOutput:\n${inner}` : inner;
}

/**
 * A shell tool's command that is really apply_patch (`apply_patch <<'EOF' … EOF`, optionally after
 * `cd DIR &&`, or `["apply_patch", patch]`, as the reference intercepts them) goes through the apply_patch
 * path: verification, the file-change approval, a fileChange item whose id is the call id, confined
 * writes. No commandExecution item is started and no process runs. Returns the model's answer, or
 * null when the command is not apply_patch and must run as a command. Anything more than the
 * patch (`apply_patch … && echo done`, `cd a; apply_patch`, two `cd`s) runs as a command, where
 * apply_patch is not found, exactly as in 0.169.
 */
export async function shellApplyPatch(
  argv: readonly string[],
  cwd: string,
  callId: string,
  ctx: ToolContext,
  answer: ShellPatchAnswer,
): Promise<string | null> {
  if (!argv.some((a) => /apply_?patch|\*\*\* Begin Patch/.test(a))) return null; // most commands: no parse
  try {
    await loadBashParser();
  } catch (error) {
    ctx.log.warn({ err: error }, "bash parser unavailable; a shell apply_patch runs as a command");
    return null;
  }
  const invocation = detectApplyPatchInvocation(argv);
  if (invocation === null) return null;
  // A bare patch as the command: 0.169 refuses it as a failed verification, with no item.
  if (invocation.type === "implicit") return `apply_patch verification failed: ${invocation.message}`;
  // A `cd` into a folder that does not exist is not checked: the patch's paths resolve under it and
  // an Add creates it, as 0.169 does (observed: `cd nowhere && apply_patch` adding nowhere/m.txt).
  const dir = invocation.workdir === null ? cwd : cdTarget(cwd, invocation.workdir);
  return renderShellPatchAnswer(await applyPatch(invocation.patch, callId, dir, ctx), answer);
}

async function runToEnd(call: ToolCall, ctx: ToolContext, argv: string[], a: Record<string, unknown>, json: boolean): Promise<ToolOutput> {
  const cwd = typeof a["workdir"] === "string" && a["workdir"] ? resolve(ctx.settings.cwd, a["workdir"]) : ctx.settings.cwd;
  const patched = await shellApplyPatch(argv, cwd, call.callId, ctx, "json");
  if (patched !== null) return functionOutput(call, patched);
  const timeoutMs = typeof a["timeout_ms"] === "number" && a["timeout_ms"] > 0 ? a["timeout_ms"] : DEFAULT_TIMEOUT_MS;
  const escalated = a["sandbox_permissions"] === "require_escalated" || a["with_escalated_permissions"] === true;
  const running = await startCommand(
    {
      itemId: call.callId,
      argv,
      cwd,
      escalated,
      justification: typeof a["justification"] === "string" ? a["justification"] : null,
      timeoutMs,
      source: "agent",
    },
    ctx,
  );
  const outcome = await running.outcome;
  if (outcome.kind !== "ran") return functionOutput(call, outcome.message);
  const seconds = outcome.durationMs / 1000;
  const output = truncateForModel(outcome.output, MODEL_OUTPUT_TOKENS).text;
  if (json)
    return functionOutput(call, JSON.stringify({ output, metadata: { exit_code: outcome.result.exitCode, duration_seconds: Math.round(seconds * 10) / 10 } }));
  return functionOutput(call, `Exit code: ${outcome.result.exitCode}\nWall time: ${seconds.toFixed(1)} seconds\nOutput:\n${output}`);
}

const COMMON_PROPS = {
  workdir: { type: "string", description: "The working directory to execute the command in" },
  timeout_ms: { type: "number", description: "The timeout for the command in milliseconds" },
  sandbox_permissions: {
    type: "string",
    description: 'Sandbox permissions for the command. Set to "require_escalated" to request running without sandbox restrictions; defaults to "use_default".',
  },
  justification: {
    type: "string",
    description: 'Only set if sandbox_permissions is "require_escalated". One sentence asking the user to approve running the command outside the sandbox.',
  },
};

export const shellCommandTool: Tool = {
  name: "shell_command",
  supportsParallel: true,
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
  supportsParallel: true,
  spec: {
    type: "function",
    name: "shell",
    description: 'Runs a shell command and returns its output. The arguments are passed to execvp(); most commands should be prefixed with ["bash", "-lc"].',
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
    if (!Array.isArray(command) || command.length === 0 || !command.every((c) => typeof c === "string"))
      return functionOutput(call, "failed to parse function arguments: `command` must be a non-empty array of strings");
    return runToEnd(call, ctx, command as string[], a, true);
  },
};
