// The messages that open a thread's history and the environment_context updates (agent-loop.md §1.3):
// 0.169 sends `instructions: ""` and puts the base prompt in a leading developer message, then a user
// message with <environment_context>; when cwd, approval or sandbox change later, only the changed
// fields are sent again before the next user message.
import { basename } from "node:path";
import type { SandboxPolicy as WireSandboxPolicy } from "../../../protocol/v2/index.js";
import type { ThreadSettings } from "../threads/loadedThread.js";

export const BASE_INSTRUCTIONS = `You are a coding agent running in Gatehouse, an app server that hosts agent conversations for editors.
You and the user share one workspace. Work until the user's request is handled: inspect the code, make the change, and check it.

# Tools
- Run shell commands with the command tool you are given. Commands run in a sandbox; if one is refused by the sandbox, the output says so. Do not retry the same thing blindly.
- Edit files with apply_patch when it is available; keep edits small and precise.
- Prefer rg for searching and read files before changing them.

# Style
- Be concise. Say what you changed and how you checked it.
- Do not invent results of commands you did not run.`;

function sandboxMode(p: WireSandboxPolicy): { mode: string; network: string } {
  switch (p.type) {
    case "dangerFullAccess":
      return { mode: "danger-full-access", network: "enabled" };
    case "readOnly":
      return { mode: "read-only", network: p.networkAccess ? "enabled" : "restricted" };
    case "workspaceWrite":
      return { mode: "workspace-write", network: p.networkAccess ? "enabled" : "restricted" };
    case "externalSandbox":
      return { mode: "danger-full-access", network: p.networkAccess === "enabled" ? "enabled" : "restricted" };
  }
}

function approvalName(p: ThreadSettings["approvalPolicy"]): string {
  return typeof p === "string" ? p : "granular";
}

export function userShellName(): string {
  return basename(process.env["SHELL"] || "/bin/bash");
}

/** The <environment_context> text; `previous` limits it to what changed. Null when nothing did. */
export function environmentContext(settings: ThreadSettings, previous: ThreadSettings | null, now = new Date()): string | null {
  const lines: string[] = [];
  const cur = sandboxMode(settings.sandboxWire);
  const prev = previous ? sandboxMode(previous.sandboxWire) : null;
  if (!previous || previous.cwd !== settings.cwd) lines.push(`  <cwd>${settings.cwd}</cwd>`);
  if (!previous || approvalName(previous.approvalPolicy) !== approvalName(settings.approvalPolicy)) lines.push(`  <approval_policy>${approvalName(settings.approvalPolicy)}</approval_policy>`);
  if (!prev || prev.mode !== cur.mode) lines.push(`  <sandbox_mode>${cur.mode}</sandbox_mode>`);
  if (!prev || prev.network !== cur.network) lines.push(`  <network_access>${cur.network}</network_access>`);
  if (!previous) {
    lines.push(`  <shell>${userShellName()}</shell>`);
    lines.push(`  <current_date>${now.toISOString().slice(0, 10)}</current_date>`);
    lines.push(`  <timezone>${Intl.DateTimeFormat().resolvedOptions().timeZone}</timezone>`);
  }
  if (lines.length === 0) return null;
  return `<environment_context>\n${lines.join("\n")}\n</environment_context>`;
}

export function developerMessage(text: string): Record<string, unknown> {
  return { type: "message", role: "developer", content: [{ type: "input_text", text }] };
}

export function userTextMessage(text: string): Record<string, unknown> {
  return { type: "message", role: "user", content: [{ type: "input_text", text }] };
}

/** Items that open a new thread's history. */
export function initialContext(settings: ThreadSettings): Record<string, unknown>[] {
  const items = [developerMessage(settings.baseInstructions ?? BASE_INSTRUCTIONS)];
  if (settings.developerInstructions) items.push(developerMessage(settings.developerInstructions));
  return items;
}
