// Best-effort conversions of what other writers persisted into v2 wire shapes. Everything here
// reads foreign JSON, so every field is checked and a shape we cannot use yields null (the
// reducer then skips it) rather than a half-filled item.
//
// 0.169 TurnItem shapes [obs]: UserMessage {id, content:[{type:"text",text,text_elements}]},
// AgentMessage {id, content:[{type:"Text",text}]}, Reasoning {id, summary_text[], raw_content[]},
// CommandExecution {id, process_id, command:[argv], cwd:"file:///…", parsed_cmd:[{type,cmd,…}],
// source:"unified_exec_startup", status, aggregated_output, exit_code, duration:{secs,nanos}}, with
// started_at_ms / completed_at_ms beside `item` in the event. The others (FileChange, McpToolCall,
// WebSearch, Plan, ContextCompaction) were not observed and follow the Rust field names.
import type { CodexErrorInfo, CommandAction, ThreadItem, UserInput } from "../../../protocol/v2/shared.js";
import { shellJoin } from "../tools/shellQuote.js";

type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
export function str(v: unknown): string | null {
  return typeof v === "string" ? v : null;
}
export function num(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}
function strArray(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

export function snakeToCamel(s: string): string {
  return s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** 0.169's snake_case CodexErrorInfo ("context_window_exceeded", {http_connection_failed:{http_status_code}}). */
export function errorInfoFromRollout(v: unknown): CodexErrorInfo | null {
  if (typeof v === "string") return snakeToCamel(v);
  if (!isObj(v)) return null;
  const out: Record<string, unknown> = {};
  for (const [k, inner] of Object.entries(v)) {
    out[snakeToCamel(k)] = isObj(inner) ? Object.fromEntries(Object.entries(inner).map(([ik, iv]) => [snakeToCamel(ik), iv])) : inner;
  }
  return out as CodexErrorInfo;
}

function stripFileUrl(p: string): string {
  if (!p.startsWith("file://")) return p;
  try {
    return decodeURIComponent(new URL(p).pathname);
  } catch {
    return p.slice("file://".length);
  }
}

function durationMs(v: unknown): number | null {
  if (typeof v === "number") return Math.round(v);
  if (isObj(v)) {
    const secs = num(v.secs) ?? 0;
    const nanos = num(v.nanos) ?? 0;
    return Math.round(secs * 1000 + nanos / 1e6);
  }
  return null;
}

function commandActions(v: unknown): CommandAction[] {
  if (!Array.isArray(v)) return [];
  const out: CommandAction[] = [];
  for (const a of v) {
    if (!isObj(a)) continue;
    const command = str(a.cmd) ?? str(a.command) ?? "";
    switch (a.type) {
      case "read":
        out.push({ type: "read", command, name: str(a.name) ?? "", path: str(a.path) ?? "" });
        break;
      case "list_files":
      case "listFiles":
        out.push({ type: "listFiles", command, path: str(a.path) });
        break;
      case "search":
        out.push({ type: "search", command, query: str(a.query), path: str(a.path) });
        break;
      default:
        out.push({ type: "unknown", command });
    }
  }
  return out;
}

function commandStatus(v: unknown, exitCode: number | null): "inProgress" | "completed" | "failed" | "declined" {
  const s = str(v);
  if (s === "in_progress" || s === "inProgress") return "inProgress";
  if (s === "failed" || s === "declined" || s === "completed") return s;
  return exitCode === null || exitCode === 0 ? "completed" : "failed";
}

function userInputs(v: unknown): UserInput[] {
  if (!Array.isArray(v)) return [];
  const out: UserInput[] = [];
  for (const c of v) {
    if (!isObj(c)) continue;
    if (c.type === "text" && typeof c.text === "string")
      out.push({ type: "text", text: c.text, text_elements: Array.isArray(c.text_elements) ? (c.text_elements as []) : [] });
    else if (c.type === "image" && typeof c.image_url === "string") out.push({ type: "image", url: c.image_url });
    else if (c.type === "image" && typeof c.url === "string") out.push({ type: "image", url: c.url });
    else if ((c.type === "local_image" || c.type === "localImage") && typeof c.path === "string") out.push({ type: "localImage", path: c.path });
    else if ((c.type === "skill" || c.type === "mention") && typeof c.name === "string" && typeof c.path === "string")
      out.push({ type: c.type, name: c.name, path: c.path });
  }
  return out;
}

function patchChanges(
  v: unknown,
): Array<{ path: string; kind: { type: "add" } | { type: "delete" } | { type: "update"; move_path: string | null }; diff: string }> {
  if (!isObj(v)) return [];
  const out = [];
  for (const [path, ch] of Object.entries(v)) {
    if (!isObj(ch)) continue;
    const type = str(ch.type) ?? Object.keys(ch)[0];
    const body = isObj(ch[type ?? ""]) ? (ch[type ?? ""] as Obj) : ch;
    if (type === "add") out.push({ path, kind: { type: "add" as const }, diff: str(body.content) ?? "" });
    else if (type === "delete") out.push({ path, kind: { type: "delete" as const }, diff: str(body.content) ?? "" });
    else if (type === "update") out.push({ path, kind: { type: "update" as const, move_path: str(body.move_path) }, diff: str(body.unified_diff) ?? "" });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** A 0.169 internal TurnItem → v2 ThreadItem, or null for kinds we do not convert. */
export function turnItemToThreadItem(item: Obj, startedAtMs: number | null, completedAtMs: number | null): ThreadItem | null {
  const id = str(item.id);
  if (id === null) return null;
  const times = { startedAtMs, completedAtMs };
  switch (item.type) {
    case "UserMessage":
      return { type: "userMessage", id, clientId: str(item.client_id), content: userInputs(item.content), ...times };
    case "AgentMessage": {
      const text = Array.isArray(item.content) ? item.content.map((c) => (isObj(c) ? (str(c.text) ?? "") : "")).join("") : "";
      return { type: "agentMessage", id, text, phase: null, memoryCitation: null, moderation: null, delivery: null, questions: null, ...times };
    }
    case "Reasoning":
      return { type: "reasoning", id, summary: strArray(item.summary_text), content: strArray(item.raw_content), ...times };
    case "CommandExecution": {
      const exitCode = num(item.exit_code);
      const argv = strArray(item.command);
      const source = str(item.source);
      return {
        type: "commandExecution",
        id,
        command: Array.isArray(item.command) ? shellJoin(argv) : (str(item.command) ?? ""),
        cwd: stripFileUrl(str(item.cwd) ?? ""),
        processId: str(item.process_id),
        source: source ? (snakeToCamel(source) as "agent") : "agent",
        status: commandStatus(item.status, exitCode),
        commandActions: commandActions(item.parsed_cmd),
        aggregatedOutput: str(item.aggregated_output) || null,
        exitCode,
        durationMs: durationMs(item.duration),
        pluginId: null,
        scriptPath: null,
        ...times,
      };
    }
    case "FileChange": {
      const s = str(item.status);
      return {
        type: "fileChange",
        id,
        changes: patchChanges(item.changes),
        status: s === "failed" || s === "declined" || s === "completed" ? s : s === "in_progress" ? "inProgress" : "completed",
        ...times,
      };
    }
    case "WebSearch":
      return { type: "webSearch", id, query: str(item.query) ?? "", action: null, ...times };
    case "Plan":
      return { type: "plan", id, text: str(item.text) ?? "", ...times };
    case "ContextCompaction":
      return { type: "contextCompaction", id, ...times };
    case "ImageView":
      return { type: "imageView", id, path: str(item.path) ?? "", ...times };
    default:
      return null;
  }
}

/** 0.80 user_message {message, images, local_images, text_elements} → UserInput[]. */
export function userMessageContent(p: Obj): UserInput[] {
  const content: UserInput[] = [];
  const message = str(p.message);
  if (message !== null && message !== "")
    content.push({ type: "text", text: message, text_elements: Array.isArray(p.text_elements) ? (p.text_elements as []) : [] });
  for (const url of strArray(p.images)) content.push({ type: "image", url });
  for (const path of strArray(p.local_images)) content.push({ type: "localImage", path });
  return content;
}

/** exec_command_begin / exec_command_end (0.80 and newer readers). */
export function execEventToItem(p: Obj, ended: boolean): ThreadItem | null {
  const id = str(p.call_id);
  if (id === null) return null;
  const exitCode = ended ? num(p.exit_code) : null;
  const status = ended ? commandStatus(p.status, exitCode) : "inProgress";
  return {
    type: "commandExecution",
    id,
    command: Array.isArray(p.command) ? shellJoin(strArray(p.command)) : (str(p.command) ?? ""),
    cwd: stripFileUrl(str(p.cwd) ?? ""),
    processId: str(p.process_id),
    source: "agent",
    status,
    commandActions: commandActions(p.parsed_cmd),
    aggregatedOutput: ended ? str(p.aggregated_output) || str(p.formatted_output) || null : null,
    exitCode,
    durationMs: ended ? durationMs(p.duration) : null,
    pluginId: null,
    scriptPath: null,
  };
}

export function patchEventToItem(p: Obj, ended: boolean): ThreadItem | null {
  const id = str(p.call_id);
  if (id === null) return null;
  const status = !ended ? "inProgress" : p.success === false ? "failed" : "completed";
  return { type: "fileChange", id, changes: patchChanges(p.changes), status };
}

export function mcpEventToItem(p: Obj, ended: boolean): ThreadItem | null {
  const id = str(p.call_id);
  if (id === null) return null;
  const inv = isObj(p.invocation) ? p.invocation : {};
  const result = isObj(p.result) ? p.result : null;
  const ok = result && isObj(result.Ok) ? result.Ok : null;
  const err = result ? str(result.Err) : null;
  return {
    type: "mcpToolCall",
    id,
    server: str(inv.server) ?? "",
    tool: str(inv.tool) ?? "",
    arguments: inv.arguments ?? null,
    status: !ended ? "inProgress" : err !== null ? "failed" : "completed",
    result: ok ? { content: Array.isArray(ok.content) ? ok.content : [], structuredContent: ok.structured_content ?? ok.structuredContent } : null,
    error: err !== null ? { message: err } : null,
    durationMs: ended ? durationMs(p.duration) : null,
  };
}
