// Model errors as the turn engine consumes them: every failure of a sampling request is one
// ModelError that already knows its final wire form (message and v2 `codexErrorInfo`)
// and whether the sampling loop may try again. Messages are the reference's, character for character,
// because clients show them verbatim and tests compare them.
import { STATUS_CODES } from "node:http";
import type { CodexErrorInfo } from "../../../protocol/v2/shared.js";
import type { HeaderLookup } from "./httpPost.js";

export type ModelErrorKind =
  | "missingEnvVar"
  | "contextWindowExceeded"
  | "usageLimit"
  | "badRequest"
  | "httpStatus"
  | "internalServerError"
  | "tooManyRequests"
  | "connectFailed"
  | "streamDisconnected";

export interface ModelErrorInit {
  kind: ModelErrorKind;
  message: string;
  codexErrorInfo: CodexErrorInfo;
  additionalDetails?: string | null;
  retryable: boolean;
  retryAfterMs?: number;
  httpStatus?: number;
}

export class ModelError extends Error {
  readonly kind: ModelErrorKind;
  readonly codexErrorInfo: CodexErrorInfo;
  readonly additionalDetails: string | null;
  readonly retryable: boolean;
  /** The provider's requested delay (Retry-After, or "try again in N s" in the error text). */
  readonly retryAfterMs?: number;
  readonly httpStatus?: number;

  constructor(init: ModelErrorInit) {
    super(init.message);
    this.name = "ModelError";
    this.kind = init.kind;
    this.codexErrorInfo = init.codexErrorInfo;
    this.additionalDetails = init.additionalDetails ?? null;
    this.retryable = init.retryable;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.httpStatus !== undefined) this.httpStatus = init.httpStatus;
  }
}

export const CONTEXT_WINDOW_MESSAGE = "Codex ran out of room in the model's context window. Start a new thread or clear earlier history before retrying.";
/** 0.169 writes this with a curly apostrophe (0.80 had a straight one). */
export const INTERNAL_SERVER_ERROR_MESSAGE = "We\u2019re currently experiencing high demand, which may cause temporary errors.";
export const QUOTA_EXCEEDED_MESSAGE = "Quota exceeded. Check your plan and billing details.";
export const USAGE_NOT_INCLUDED_MESSAGE = "To use Codex with your ChatGPT plan, upgrade to Plus: https://openai.com/chatgpt/pricing.";
export const USAGE_LIMIT_REACHED_MESSAGE = "You've hit your usage limit. Try again later.";
export const STREAM_DISCONNECTED_PREFIX = "stream disconnected before completion: ";

/** "401 Unauthorized", as Rust's StatusCode prints it. */
export function statusLine(status: number): string {
  const reason = STATUS_CODES[status];
  return reason ? `${status} ${reason}` : String(status);
}

export function missingEnvVar(name: string, instructions: string | null): ModelError {
  const message = `Missing environment variable: \`${name}\`.` + (instructions ? ` ${instructions}` : "");
  return new ModelError({ kind: "missingEnvVar", message, codexErrorInfo: "other", retryable: false });
}

export function contextWindowExceeded(): ModelError {
  return new ModelError({ kind: "contextWindowExceeded", message: CONTEXT_WINDOW_MESSAGE, codexErrorInfo: "contextWindowExceeded", retryable: false });
}

export function usageLimit(message: string, httpStatus?: number): ModelError {
  return new ModelError({ kind: "usageLimit", message, codexErrorInfo: "usageLimitExceeded", retryable: false, ...(httpStatus ? { httpStatus } : {}) });
}

/** A 400: the reference shows the provider's body as is. */
export function badRequest(body: string): ModelError {
  return new ModelError({ kind: "badRequest", message: body, codexErrorInfo: "other", retryable: false, httpStatus: 400 });
}

/** Any other refused status (401, 403, 404, …): fatal, named with the URL so a wrong base_url is obvious. */
export function unexpectedStatus(status: number, detail: string, url: string, requestId: string | null): ModelError {
  const message = `unexpected status ${statusLine(status)}: ${detail}, url: ${url}` + (requestId ? `, request id: ${requestId}` : "");
  return new ModelError({
    kind: "httpStatus",
    message,
    codexErrorInfo: { httpConnectionFailed: { httpStatusCode: status } },
    retryable: false,
    httpStatus: status,
  });
}

export function internalServerError(status: number): ModelError {
  return new ModelError({
    kind: "internalServerError",
    message: INTERNAL_SERVER_ERROR_MESSAGE,
    codexErrorInfo: "internalServerError",
    retryable: true,
    httpStatus: status,
  });
}

export function tooManyRequests(status: number, retryAfterMs: number | undefined, requestId: string | null): ModelError {
  const message = `exceeded retry limit, last status: ${statusLine(status)}` + (requestId ? `, request id: ${requestId}` : "");
  return new ModelError({
    kind: "tooManyRequests",
    message,
    codexErrorInfo: { responseTooManyFailedAttempts: { httpStatusCode: status } },
    retryable: true,
    httpStatus: status,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
}

/** The request never got a response (refused, reset, DNS) after the HTTP-level retries. */
export function connectFailed(url: string, cause: string): ModelError {
  return new ModelError({
    kind: "connectFailed",
    message: `${STREAM_DISCONNECTED_PREFIX}error sending request for url (${url}): ${cause}`,
    codexErrorInfo: { httpConnectionFailed: { httpStatusCode: null } },
    retryable: true,
  });
}

/** The stream ended, stalled or failed after a 200: the sampling loop re-sends the same input. */
export function streamDisconnected(detail: string, opts: { retryAfterMs?: number; httpStatus?: number } = {}): ModelError {
  return new ModelError({
    kind: "streamDisconnected",
    message: STREAM_DISCONNECTED_PREFIX + detail,
    codexErrorInfo: { responseStreamDisconnected: { httpStatusCode: opts.httpStatus ?? null } },
    retryable: true,
    ...opts,
  });
}

/** "try again in 1.5s" / "in 20ms" / "in 2 seconds" (the Responses rate-limit wording). */
export function parseTryAgainIn(message: string | null | undefined): number | undefined {
  if (!message) return undefined;
  const m = /try again in\s*(\d+(?:\.\d+)?)\s*(ms|s|seconds?)\b/i.exec(message);
  if (!m) return undefined;
  const value = Number(m[1]);
  if (!Number.isFinite(value)) return undefined;
  return (m[2] as string).toLowerCase() === "ms" ? Math.round(value) : Math.round(value * 1000);
}

/** `retry-after-ms`, else `Retry-After` as seconds or an HTTP date. */
export function parseRetryAfter(headers: HeaderLookup, now: number = Date.now()): number | undefined {
  const ms = headers.get("retry-after-ms");
  if (ms !== null && ms.trim() !== "" && Number.isFinite(Number(ms))) return Math.max(0, Math.round(Number(ms)));
  const value = headers.get("retry-after");
  if (value === null || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
