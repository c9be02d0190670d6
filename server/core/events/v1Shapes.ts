// 0.80's shapes of things the engine has in v2 form: parsed commands, file changes, error kinds and
// review decisions. Shared by the v1 projection (v1Projector.ts) and the v1 approval requests.
import type { CommandAction, CommandExecutionApprovalDecision, FileUpdateChange, TurnError, UserInput } from "../../../protocol/v2/index.js";

export type V1FileChange =
  { type: "add"; content: string } | { type: "delete"; content: string } | { type: "update"; unified_diff: string; move_path: string | null };

/** 0.80's CodexErrorInfo strings; any other 0.169 kind is "other" there. */
const V1_ERROR_KINDS: ReadonlySet<string> = new Set([
  "context_window_exceeded",
  "usage_limit_exceeded",
  "internal_server_error",
  "unauthorized",
  "bad_request",
  "sandbox_error",
  "thread_rollback_failed",
  "other",
]);
const V1_ERROR_OBJECTS: ReadonlySet<string> = new Set([
  "http_connection_failed",
  "response_stream_connection_failed",
  "response_stream_disconnected",
  "response_too_many_failed_attempts",
]);

export const snake = (s: string): string => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export function v1ErrorInfo(info: TurnError["codexErrorInfo"] | undefined): unknown {
  if (info === null || info === undefined) return null;
  if (typeof info === "string") {
    const kind = snake(info);
    return V1_ERROR_KINDS.has(kind) ? kind : "other";
  }
  const [key, value] = Object.entries(info as Record<string, unknown>)[0] ?? [];
  if (key === undefined) return "other";
  const kind = snake(key);
  if (!V1_ERROR_OBJECTS.has(kind)) return "other";
  const status = (value as { httpStatusCode?: unknown } | null)?.httpStatusCode;
  return { [kind]: { http_status_code: typeof status === "number" ? status : null } };
}

/** 0.80's user_message event for a userMessage item's content: its texts joined, its image URLs. */
export function userMessageEvent(content: readonly UserInput[]): { type: "user_message"; message: string; images: string[] } {
  const message = content
    .filter((c): c is Extract<UserInput, { type: "text" }> => c.type === "text")
    .map((c) => c.text)
    .join("\n");
  const images = content.flatMap((c) => (c.type === "image" && "url" in c ? [c.url] : []));
  return { type: "user_message", message, images };
}

/** v2 commandActions as 0.80's parsed_cmd. */
export function parsedCmdOf(actions: readonly CommandAction[]): unknown[] {
  return actions.map((a) => {
    switch (a.type) {
      case "read":
        return { type: "read", cmd: a.command, name: a.name, path: a.path };
      case "listFiles":
        return { type: "list_files", cmd: a.command, path: a.path ?? null };
      case "search":
        return { type: "search", cmd: a.command, query: a.query ?? null, path: a.path ?? null };
      case "unknown":
        return { type: "unknown", cmd: a.command };
    }
  });
}

const MOVED_TO = /\n\nMoved to: [^\n]*$/;

/** A fileChange item's changes as 0.80's map from absolute path to FileChange. */
export function v1FileChanges(changes: readonly FileUpdateChange[]): Record<string, V1FileChange> {
  const out: Record<string, V1FileChange> = {};
  for (const c of changes) {
    if (c.kind.type === "add") out[c.path] = { type: "add", content: c.diff };
    else if (c.kind.type === "delete") out[c.path] = { type: "delete", content: c.diff };
    else out[c.path] = { type: "update", unified_diff: c.diff.replace(MOVED_TO, ""), move_path: c.kind.move_path ?? null };
  }
  return out;
}

/**
 * A v1 ReviewDecision as the v2 decision it stands for (null for anything else): approved = accept,
 * approved_for_session = acceptForSession, approved_execpolicy_amendment = acceptWithExecpolicyAmendment,
 * denied = decline, abort = cancel.
 */
export function decisionFromReview(value: unknown): CommandExecutionApprovalDecision | null {
  if (value === "approved") return "accept";
  if (value === "approved_for_session") return "acceptForSession";
  if (value === "denied") return "decline";
  if (value === "abort") return "cancel";
  if (typeof value !== "object" || value === null) return null;
  const amendment = (value as { approved_execpolicy_amendment?: { proposed_execpolicy_amendment?: unknown } }).approved_execpolicy_amendment
    ?.proposed_execpolicy_amendment;
  if (Array.isArray(amendment) && amendment.length > 0 && amendment.every((w) => typeof w === "string"))
    return { acceptWithExecpolicyAmendment: { execpolicy_amendment: amendment as string[] } };
  return null;
}
