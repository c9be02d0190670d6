import { describe, expect, it } from "vitest";
import { ErrorNotification } from "../../../protocol/v2/misc.js";
import { TurnError } from "../../../protocol/v2/shared.js";
import {
  badRequest,
  connectFailed,
  contextWindowExceeded,
  internalServerError,
  missingEnvVar,
  parseRetryAfter,
  parseTryAgainIn,
  streamDisconnected,
  tooManyRequests,
  unexpectedStatus,
} from "./errors.js";
import { backoffMs, finalTurnError, isRetryable, retryDelayMs, retryNotice, shouldRetry } from "./samplingRetry.js";

describe("backoff", () => {
  it("is 200ms·2^(n-1) scaled by U(0.9, 1.1)", () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, () => 0.5))).toEqual([200, 400, 800, 1600]);
    expect(backoffMs(1, () => 0)).toBe(180);
    expect(backoffMs(1, () => 1)).toBe(220);
    expect(backoffMs(3, () => 0)).toBe(720);
  });

  it("prefers the server's delay", () => {
    expect(retryDelayMs(tooManyRequests(429, 1500, null), 3, () => 0.5)).toBe(1500);
    expect(retryDelayMs(streamDisconnected("x"), 3, () => 0.5)).toBe(800);
    expect(retryDelayMs(new Error("not a model error"), 1, () => 0.5)).toBe(200);
  });

  it("retries only retryable model errors, up to the limit", () => {
    expect(shouldRetry(streamDisconnected("x"), 5, 5)).toBe(true);
    expect(shouldRetry(streamDisconnected("x"), 6, 5)).toBe(false);
    expect(shouldRetry(streamDisconnected("x"), 1, 0)).toBe(false);
    expect(shouldRetry(contextWindowExceeded(), 1, 5)).toBe(false);
    expect(isRetryable(new Error("plain"))).toBe(false);
    expect(isRetryable(internalServerError(500))).toBe(true);
  });
});

describe("retryNotice", () => {
  it("is the 0.169 'Reconnecting... n/N' error with the underlying error as details", () => {
    const notice = retryNotice(streamDisconnected("stream closed before response.completed"), 1, 5);
    expect(notice).toEqual({
      error: {
        message: "Reconnecting... 1/5",
        codexErrorInfo: { responseStreamDisconnected: { httpStatusCode: null } },
        additionalDetails: "stream disconnected before completion: stream closed before response.completed",
        misalignment: null,
      },
      willRetry: true,
    });
    expect(ErrorNotification.safeParse({ ...notice, threadId: "t", turnId: "u" }).success).toBe(true);
  });

  it("carries the HTTP status when there was one", () => {
    expect(retryNotice(internalServerError(500), 2, 3).error.codexErrorInfo).toEqual({ responseStreamDisconnected: { httpStatusCode: 500 } });
    expect(retryNotice(tooManyRequests(429, undefined, null), 1, 3).error).toMatchObject({
      codexErrorInfo: { responseStreamDisconnected: { httpStatusCode: 429 } },
      additionalDetails: "exceeded retry limit, last status: 429 Too Many Requests",
    });
  });
});

describe("finalTurnError", () => {
  it.each([
    [
      "context window",
      contextWindowExceeded(),
      "Codex ran out of room in the model's context window. Start a new thread or clear earlier history before retrying.",
      "contextWindowExceeded",
    ],
    ["5xx", internalServerError(500), "We\u2019re currently experiencing high demand, which may cause temporary errors.", "internalServerError"],
    [
      "429",
      tooManyRequests(429, undefined, null),
      "exceeded retry limit, last status: 429 Too Many Requests",
      { responseTooManyFailedAttempts: { httpStatusCode: 429 } },
    ],
    [
      "401",
      unexpectedStatus(401, "Incorrect API key provided", "http://127.0.0.1:1/v1/responses", null),
      "unexpected status 401 Unauthorized: Incorrect API key provided, url: http://127.0.0.1:1/v1/responses",
      { httpConnectionFailed: { httpStatusCode: 401 } },
    ],
    ["400", badRequest('{"error":{"message":"bad"}}'), '{"error":{"message":"bad"}}', "other"],
    ["missing key", missingEnvVar("K", null), "Missing environment variable: `K`.", "other"],
    [
      "stream disconnect",
      streamDisconnected("stream closed before response.completed"),
      "stream disconnected before completion: stream closed before response.completed",
      { responseStreamDisconnected: { httpStatusCode: null } },
    ],
  ])("%s", (_name, err, message, codexErrorInfo) => {
    const out = finalTurnError(err);
    expect(out).toEqual({ message, codexErrorInfo, additionalDetails: null, misalignment: null });
    expect(TurnError.safeParse(out).success).toBe(true);
  });

  it("says responseStreamDisconnected when told the last failure was a disconnect, and `other` (reference parity) when told it was not", () => {
    expect(finalTurnError(connectFailed("http://x/responses", "refused"), true).codexErrorInfo).toEqual({
      responseStreamDisconnected: { httpStatusCode: null },
    });
    expect(finalTurnError(internalServerError(502), true).codexErrorInfo).toEqual({ responseStreamDisconnected: { httpStatusCode: 502 } });
    expect(finalTurnError(streamDisconnected("idle timeout waiting for SSE"), false).codexErrorInfo).toBe("other");
  });

  it("maps anything else to `other` with its message", () => {
    expect(finalTurnError(new TypeError("oops"))).toEqual({ message: "oops", codexErrorInfo: "other", additionalDetails: null, misalignment: null });
  });
});

describe("delay hints", () => {
  it("parses 'try again in N(s|ms|seconds)'", () => {
    expect(parseTryAgainIn("Please try again in 1.5s.")).toBe(1500);
    expect(parseTryAgainIn("Please TRY AGAIN IN 250ms")).toBe(250);
    expect(parseTryAgainIn("try again in 2 seconds")).toBe(2000);
    expect(parseTryAgainIn("try again in 1 second")).toBe(1000);
    expect(parseTryAgainIn("try again later")).toBeUndefined();
    expect(parseTryAgainIn(undefined)).toBeUndefined();
  });

  it("parses Retry-After (seconds or HTTP date) and retry-after-ms", () => {
    expect(parseRetryAfter(new Headers({ "retry-after": "3" }))).toBe(3000);
    expect(parseRetryAfter(new Headers({ "retry-after": "0.5" }))).toBe(500);
    expect(parseRetryAfter(new Headers({ "retry-after-ms": "120", "retry-after": "9" }))).toBe(120);
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(parseRetryAfter(new Headers({ "retry-after": "Wed, 01 Jan 2025 00:00:04 GMT" }), now)).toBe(4000);
    expect(parseRetryAfter(new Headers({ "retry-after": "soon" }))).toBeUndefined();
    expect(parseRetryAfter(new Headers())).toBeUndefined();
  });
});
