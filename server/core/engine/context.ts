// The messages that open a thread's history and the environment_context updates:
// 0.169 sends `instructions: ""` and puts the base prompt in a leading developer message, then a user
// message with <environment_context>; when cwd, approval or sandbox change later, only the changed
// fields are sent again before the next user message.
import { readFileSync, readlinkSync } from "node:fs";
import { basename } from "node:path";
import type { SandboxPolicy as WireSandboxPolicy } from "../../../protocol/v2/index.js";
import type { ThreadSettings } from "../threads/threadState.js";

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

/** The IANA name in a zoneinfo path (`/usr/share/zoneinfo/Etc/UTC` is `Etc/UTC`), or null when it is not one. */
export function zoneFromZoneinfoPath(path: string): string | null {
  const at = path.lastIndexOf("zoneinfo/");
  if (at < 0) return null;
  const zone = path.slice(at + "zoneinfo/".length);
  return /^[A-Za-z0-9_+-]+(\/[A-Za-z0-9_+-]+)*$/.test(zone) ? zone : null;
}

/** Where the zone is read from; tests replace the files. */
export interface TimeZoneSources {
  localtimeLink(): string;
  timezoneFile(): string;
}

const systemSources: TimeZoneSources = {
  localtimeLink: () => readlinkSync("/etc/localtime"),
  timezoneFile: () => readFileSync("/etc/timezone", "utf8"),
};

export function readTimeZone(sources: TimeZoneSources): string {
  try {
    const zone = zoneFromZoneinfoPath(sources.localtimeLink());
    if (zone) return zone;
  } catch {
    // Not a symlink, or absent: try the next source.
  }
  try {
    const zone = sources.timezoneFile().trim();
    if (zone) return zone;
  } catch {
    // Absent (macOS, Windows, minimal images).
  }
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

let systemTimeZoneCache: string | undefined;

/**
 * The system's time zone as 0.169 reports it: the IANA name `/etc/localtime` links to, then
 * `/etc/timezone` (0.169 ignores TZ here, observed: "Etc/UTC" with TZ=Asia/Tokyo). Why not Intl:
 * ICU's first use costs ~30 ms of CPU in the first turn, and it says "UTC" where 0.169 says "Etc/UTC".
 */
export function systemTimeZone(): string {
  return (systemTimeZoneCache ??= readTimeZone(systemSources));
}

/** The local calendar date (TZ honoured, as 0.169's current_date is). */
export function localDate(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The <environment_context> text; `previous` limits it to what changed. Null when nothing did. */
export function environmentContext(settings: ThreadSettings, previous: ThreadSettings | null, now = new Date()): string | null {
  const lines: string[] = [];
  const cur = sandboxMode(settings.sandboxWire);
  const prev = previous ? sandboxMode(previous.sandboxWire) : null;
  if (!previous || previous.cwd !== settings.cwd) lines.push(`  <cwd>${settings.cwd}</cwd>`);
  if (!previous || approvalName(previous.approvalPolicy) !== approvalName(settings.approvalPolicy))
    lines.push(`  <approval_policy>${approvalName(settings.approvalPolicy)}</approval_policy>`);
  if (!prev || prev.mode !== cur.mode) lines.push(`  <sandbox_mode>${cur.mode}</sandbox_mode>`);
  if (!prev || prev.network !== cur.network) lines.push(`  <network_access>${cur.network}</network_access>`);
  if (!previous) {
    lines.push(`  <shell>${userShellName()}</shell>`);
    lines.push(`  <current_date>${localDate(now)}</current_date>`);
    lines.push(`  <timezone>${systemTimeZone()}</timezone>`);
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
