// The two retry layers share one backoff curve, as in the reference. Layer 1 lives inside
// ResponsesClient (HTTP 5xx and connect errors, request_max_retries); layer 2 is ActiveTurn's
// sampling loop (every retryable ModelError, stream_max_retries), which uses the pure helpers here to
// build its `error` notifications and the final TurnError. Keeping them pure keeps the wire text testable
// without a model or a clock.
import type { CodexErrorInfo, TurnError } from "../../../protocol/v2/shared.js";
import { ModelError } from "./errors.js";

const BASE_DELAY_MS = 200;

/** Delay before retry `attempt` (1-based): 200 ms · 2^(attempt-1) · U(0.9, 1.1). */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const exp = Math.min(Math.max(0, attempt - 1), 30);
  return Math.round(BASE_DELAY_MS * 2 ** exp * (0.9 + 0.2 * random()));
}

/** The server's requested delay when it gave one, else the backoff. */
export function retryDelayMs(err: unknown, attempt: number, random: () => number = Math.random): number {
  if (err instanceof ModelError && err.retryAfterMs !== undefined) return err.retryAfterMs;
  return backoffMs(attempt, random);
}

export function isRetryable(err: unknown): err is ModelError {
  return err instanceof ModelError && err.retryable;
}

/** True when the sampling loop should try retry number `attempt` (1-based) given stream_max_retries. */
export function shouldRetry(err: unknown, attempt: number, maxRetries: number): err is ModelError {
  return isRetryable(err) && attempt <= maxRetries;
}

/** The v2 `error` notification fields (threadId/turnId are the caller's) sent before a layer-2 retry. */
export interface RetryNotice {
  error: TurnError & { additionalDetails: string | null; codexErrorInfo: CodexErrorInfo };
  willRetry: true;
}

function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** "Reconnecting... n/N" with the underlying error as details, as 0.169 sends it. */
export function retryNotice(err: unknown, attempt: number, maxRetries: number): RetryNotice {
  const httpStatusCode = err instanceof ModelError ? (err.httpStatus ?? null) : null;
  return {
    error: {
      message: `Reconnecting... ${attempt}/${maxRetries}`,
      codexErrorInfo: { responseStreamDisconnected: { httpStatusCode } },
      additionalDetails: messageOf(err),
      misalignment: null,
    },
    willRetry: true,
  };
}

/**
 * The TurnError of a failed turn (sent as the final `error` with willRetry:false and in turn/completed).
 * When the last failure was a stream disconnect, codexErrorInfo says `responseStreamDisconnected` (on
 * purpose) where the reference says `other`. `lastWasStreamDisconnect` defaults to what the error itself says;
 * pass false to get the reference's `other` for a stream error.
 */
export function finalTurnError(
  err: unknown,
  lastWasStreamDisconnect?: boolean,
): TurnError & { additionalDetails: string | null; codexErrorInfo: CodexErrorInfo } {
  if (!(err instanceof ModelError)) {
    return { message: messageOf(err), codexErrorInfo: "other", additionalDetails: null, misalignment: null };
  }
  const disconnect = lastWasStreamDisconnect ?? err.kind === "streamDisconnected";
  let codexErrorInfo: CodexErrorInfo = err.codexErrorInfo;
  if (disconnect) codexErrorInfo = { responseStreamDisconnected: { httpStatusCode: err.httpStatus ?? null } };
  else if (err.kind === "streamDisconnected") codexErrorInfo = "other";
  return { message: err.message, codexErrorInfo, additionalDetails: err.additionalDetails, misalignment: null };
}
