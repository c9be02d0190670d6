// The Responses API client: one POST `{base_url}/responses` per sampling
// round, streamed back as server-sent events and turned into ModelEvents. The HTTP and SSE half
// (SseTransport) is shared with the Chat Completions client (chatClient.ts); only the framing differs.
//
// Invariants:
// - Layer-1 retries happen here and only before any event was yielded: 5xx and connect errors, up to
//   request_max_retries, after `Retry-After` or the backoff. 429 is not retried here (0.169 hands it to
//   the sampling loop). Once a stream has started, every failure is a ModelError for layer 2, which
//   re-sends the whole request, so a retry never duplicates half a stream.
// - Events are dispatched on the `type` inside `data:`, never on `event:`; non-JSON data and unknown
//   types are skipped, as the reference does.
// - `completed` is yielded as soon as `response.completed` arrives and the body is then released:
//   waiting for EOF would add the provider's connection linger to every round.
// - The idle timeout only runs while we wait on the network, never while the consumer handles an
//   event, so a slow consumer (rollout fsync, a busy client) cannot make a healthy stream time out.
// - Abort (the caller's signal, the idle timer, or the consumer leaving the loop) cancels the request
//   and its body at once; a caller abort surfaces as the signal's reason, not as a ModelError.
import { validateHeaderName, validateHeaderValue } from "node:http";
import { createParser, type EventSourceMessage } from "eventsource-parser";
import type { Logger } from "../../log.js";
import { isDemoProvider, type ModelProviderInfo } from "../config/providers.js";
import {
  badRequest,
  connectFailed,
  contextWindowExceeded,
  internalServerError,
  missingEnvVar,
  ModelError,
  parseRetryAfter,
  parseTryAgainIn,
  QUOTA_EXCEEDED_MESSAGE,
  streamDisconnected,
  tooManyRequests,
  unexpectedStatus,
  USAGE_LIMIT_REACHED_MESSAGE,
  USAGE_NOT_INCLUDED_MESSAGE,
  usageLimit,
} from "./errors.js";
import { httpPost, jsonPieces, type HeaderLookup, type HttpAnswer, type HttpBody, type HttpPost } from "./httpPost.js";
import { backoffMs } from "./samplingRetry.js";
import { ResponseItem, type ModelEvent, type ModelRequest, type TokenUsageBreakdown } from "./types.js";

export type Env = Readonly<Record<string, string | undefined>>;

export interface ResponsesClientOptions {
  /** Where env_key and env_http_headers are looked up; process.env by default. */
  env?: Env;
  userAgent: string;
  /** Sent as the `originator` header (0.169 sends the client's clientInfo.name); omitted when unset. */
  originator?: string;
  /** The HTTP seam; httpPost (node:http) unless a test wraps it. */
  post?: HttpPost;
  /**
   * The credential for providers that name neither env_key nor experimental_bearer_token (the built-in
   * openai provider's login or OPENAI_API_KEY); the caller resolves it.
   */
  bearerToken?: string | null;
  /** Seams for tests: the wait between layer-1 attempts and the jitter source. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  random?: () => number;
  log?: Logger;
}

/** `{base_url}/responses` plus the provider's query params. */
export function responsesUrl(provider: ModelProviderInfo): string {
  if (!provider.baseUrl) {
    const message = isDemoProvider(provider)
      ? "the demo provider's base_url is only known once its server runs: resolve the provider with DemoProviderHost first"
      : `model provider \`${provider.id}\` has no base_url`;
    throw new ModelError({ kind: "httpStatus", message, codexErrorInfo: "other", retryable: false });
  }
  return endpointUrl(provider, provider.baseUrl, "/responses");
}

/** `{base_url}{path}` plus the provider's query params; a base_url that is no http(s) URL is a config error, never retried. */
export function endpointUrl(provider: ModelProviderInfo, baseUrl: string, path: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl.replace(/\/+$/, "") + path);
  } catch {
    url = new URL("invalid:");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    const message = `model provider \`${provider.id}\` has base_url \`${baseUrl}\`, which is not an http or https URL`;
    throw new ModelError({ kind: "httpStatus", message, codexErrorInfo: "other", retryable: false });
  }
  for (const [k, v] of Object.entries(provider.queryParams)) url.searchParams.append(k, v);
  return url.toString();
}

/** The request body with its keys in the order the reference sends them. */
export function requestBody(request: ModelRequest): Record<string, unknown> {
  const body: Record<string, unknown> = { model: request.model };
  if (request.instructions !== "") body["instructions"] = request.instructions;
  body["input"] = request.input;
  body["tools"] = request.tools;
  body["tool_choice"] = request.toolChoice ?? "auto";
  body["parallel_tool_calls"] = request.parallelToolCalls;
  if (request.reasoning) {
    const reasoning: Record<string, string> = {};
    if (request.reasoning.effort != null) reasoning["effort"] = request.reasoning.effort;
    if (request.reasoning.summary != null) reasoning["summary"] = request.reasoning.summary;
    body["reasoning"] = reasoning;
  }
  body["store"] = false;
  body["stream"] = true;
  body["include"] = request.include;
  body["prompt_cache_key"] = request.promptCacheKey;
  if (request.text !== undefined && request.text !== null) body["text"] = request.text;
  return body;
}

/** requestBody(request) as pieces, one per history item (see jsonPieces). */
export function requestBodyPieces(request: ModelRequest): string[] {
  return jsonPieces(requestBody(request), "input");
}

function nonBlank(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== "";
}

/**
 * Headers as the reference sends them, names lower-cased (a provider's `http_headers` replace ours whatever
 * their case); throws the fatal missing-env-var error before any I/O.
 */
export function requestHeaders(provider: ModelProviderInfo, request: Pick<ModelRequest, "threadId">, opts: ResponsesClientOptions): Record<string, string> {
  const env = opts.env ?? process.env;
  let token: string | null = null;
  if (provider.envKey) {
    const value = env[provider.envKey];
    if (!nonBlank(value)) throw missingEnvVar(provider.envKey, provider.envKeyInstructions);
    token = value.trim();
  } else if (provider.experimentalBearerToken) {
    token = provider.experimentalBearerToken;
  } else if (opts.bearerToken) {
    token = opts.bearerToken;
  }
  const headers: Record<string, string> = { accept: "text/event-stream", "content-type": "application/json", "user-agent": opts.userAgent };
  const set = (name: string, value: string) => {
    try {
      validateHeaderName(name);
      validateHeaderValue(name, value);
    } catch (e) {
      // Caught here, not by the HTTP layer, so that a config mistake is not retried as a network failure.
      const message = `model provider \`${provider.id}\` has an invalid HTTP header \`${name}\`: ${e instanceof Error ? e.message : String(e)}`;
      throw new ModelError({ kind: "httpStatus", message, codexErrorInfo: "other", retryable: false });
    }
    headers[name.toLowerCase()] = value;
  };
  if (opts.originator) set("originator", opts.originator);
  for (const [k, v] of Object.entries(provider.httpHeaders)) set(k, v);
  for (const [k, name] of Object.entries(provider.envHttpHeaders)) {
    const value = env[name];
    if (nonBlank(value)) set(k, value);
  }
  set("session-id", request.threadId);
  set("thread-id", request.threadId);
  set("x-client-request-id", request.threadId);
  if (token) set("authorization", `Bearer ${token}`);
  return headers;
}

function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function describeHttpError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = (e as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === "string" && !cause.message.includes(code) ? `${cause.message} (${code})` : cause.message;
  }
  return e.message;
}

function requestIdOf(headers: HeaderLookup): string | null {
  return headers.get("cf-ray") ?? headers.get("x-request-id") ?? headers.get("x-oai-request-id");
}

interface ApiErrorBody {
  type?: string;
  code?: string;
  message?: string;
}

function apiErrorOf(value: unknown): ApiErrorBody | null {
  if (!isObject(value)) return null;
  const str = (k: string) => (typeof value[k] === "string" ? (value[k] as string) : undefined);
  const out: ApiErrorBody = {};
  const type = str("type");
  const code = str("code");
  const message = str("message");
  if (type !== undefined) out.type = type;
  if (code !== undefined) out.code = code;
  if (message !== undefined) out.message = message;
  return out;
}

function parseErrorBody(text: string): ApiErrorBody | null {
  try {
    const json: unknown = JSON.parse(text);
    return isObject(json) ? apiErrorOf(json["error"]) : null;
  } catch {
    return null;
  }
}

/** A non-2xx answer that layer 1 will not (or no longer) retry → the ModelError for the turn. */
export function classifyHttpError(status: number, body: string, headers: HeaderLookup, url: string): ModelError {
  const err = parseErrorBody(body);
  if (status === 400) {
    if (err?.code === "context_length_exceeded") return contextWindowExceeded();
    return badRequest(body);
  }
  if (status === 429) {
    const kind = err?.type ?? err?.code;
    if (kind === "usage_limit_reached") return usageLimit(USAGE_LIMIT_REACHED_MESSAGE, status);
    if (kind === "usage_not_included") return usageLimit(USAGE_NOT_INCLUDED_MESSAGE, status);
    if (err?.code === "insufficient_quota" || err?.type === "insufficient_quota") return usageLimit(QUOTA_EXCEEDED_MESSAGE, status);
    return tooManyRequests(status, parseRetryAfter(headers) ?? parseTryAgainIn(err?.message), requestIdOf(headers));
  }
  if (status >= 500) return internalServerError(status);
  return unexpectedStatus(status, err?.message ?? body, url, requestIdOf(headers));
}

/** `response.failed` and top-level `error` events. */
export function classifyFailedEvent(error: unknown): ModelError {
  const err = apiErrorOf(error);
  if (!err) return streamDisconnected("response.failed event received");
  if (err.code === "context_length_exceeded") return contextWindowExceeded();
  if (err.code === "insufficient_quota") return usageLimit(QUOTA_EXCEEDED_MESSAGE);
  if (err.code === "usage_not_included") return usageLimit(USAGE_NOT_INCLUDED_MESSAGE);
  const retryAfterMs = err.code === "rate_limit_exceeded" ? parseTryAgainIn(err.message) : undefined;
  return streamDisconnected(err.message ?? "", retryAfterMs !== undefined ? { retryAfterMs } : {});
}

function count(v: unknown): number {
  return typeof v === "number" && Number.isFinite(v) ? v : 0;
}

/** Responses `usage` → TokenUsageBreakdown; missing details count as 0. */
export function mapUsage(usage: unknown): TokenUsageBreakdown | null {
  if (!isObject(usage)) return null;
  const inDetails = isObject(usage["input_tokens_details"]) ? usage["input_tokens_details"] : {};
  const outDetails = isObject(usage["output_tokens_details"]) ? usage["output_tokens_details"] : {};
  return {
    totalTokens: count(usage["total_tokens"]),
    inputTokens: count(usage["input_tokens"]),
    cachedInputTokens: count(inDetails["cached_tokens"]),
    outputTokens: count(usage["output_tokens"]),
    reasoningOutputTokens: count(outDetails["reasoning_tokens"]),
  };
}

type Mapped = { event: ModelEvent } | { error: ModelError } | null;

/** One SSE `data:` payload → the ModelEvent it stands for, the error it reports, or nothing. */
export function mapSseData(raw: string, log?: Logger): Mapped {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    log?.debug({ data: raw.slice(0, 200) }, "skipping non-JSON SSE data");
    return null;
  }
  if (!isObject(data) || typeof data["type"] !== "string") return null;
  const itemId = typeof data["item_id"] === "string" ? data["item_id"] : "";
  const delta = data["delta"];
  const response = isObject(data["response"]) ? data["response"] : null;
  switch (data["type"]) {
    case "response.created":
      return { event: { type: "created" } };
    case "response.output_item.added":
    case "response.output_item.done": {
      const parsed = ResponseItem.safeParse(data["item"]);
      if (!parsed.success) {
        log?.debug({ event: data["type"], itemType: isObject(data["item"]) ? data["item"]["type"] : undefined }, "skipping an output item we do not model");
        return null;
      }
      return { event: { type: data["type"] === "response.output_item.added" ? "outputItemAdded" : "outputItemDone", item: parsed.data } };
    }
    case "response.output_text.delta":
      return typeof delta === "string" ? { event: { type: "outputTextDelta", itemId, delta } } : null;
    case "response.reasoning_summary_part.added":
      return typeof data["summary_index"] === "number" ? { event: { type: "reasoningSummaryPartAdded", itemId, summaryIndex: data["summary_index"] } } : null;
    case "response.reasoning_summary_text.delta":
      return typeof delta === "string" && typeof data["summary_index"] === "number"
        ? { event: { type: "reasoningSummaryTextDelta", itemId, summaryIndex: data["summary_index"], delta } }
        : null;
    case "response.reasoning_text.delta":
      return typeof delta === "string" && typeof data["content_index"] === "number"
        ? { event: { type: "reasoningTextDelta", itemId, contentIndex: data["content_index"], delta } }
        : null;
    case "response.completed":
      return { event: { type: "completed", responseId: typeof response?.["id"] === "string" ? response["id"] : "", usage: mapUsage(response?.["usage"]) } };
    case "response.failed":
      return { error: classifyFailedEvent(response?.["error"]) };
    case "error":
      return { error: classifyFailedEvent(isObject(data["error"]) ? data["error"] : data) };
    case "response.incomplete": {
      const details = isObject(response?.["incomplete_details"]) ? (response["incomplete_details"] as Record<string, unknown>) : {};
      const reason = typeof details["reason"] === "string" ? details["reason"] : "unknown";
      return { error: streamDisconnected(`Incomplete response returned, reason: ${reason}`) };
    }
    default:
      return null;
  }
}

class IdleTimeout extends Error {
  constructor() {
    super("idle timeout waiting for SSE");
  }
}

/**
 * How one wire's `data:` payloads become ModelEvents. `data` returns the events of one payload (and
 * whether the round is over) or throws the ModelError it reports; `eof` is asked when the body ends
 * before `done` and either flushes what the framing allows or throws the disconnect.
 */
export interface SseDecoder {
  data(raw: string): { events: ModelEvent[]; done?: boolean };
  eof(): ModelEvent[];
}

/**
 * The HTTP side both wires share: the POST with its layer-1 retries, the SSE read loop with the idle
 * timeout, abort handling and release of the connection. Only the framing differs (SseDecoder).
 */
export class SseTransport {
  private readonly post: HttpPost;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private readonly random: () => number;

  constructor(
    private readonly provider: ModelProviderInfo,
    private readonly opts: ResponsesClientOptions,
  ) {
    this.post = opts.post ?? httpPost;
    this.sleep = opts.sleep ?? defaultSleep;
    this.random = opts.random ?? Math.random;
  }

  /** Streams one POST; see ResponsesClient.stream for the contract. */
  async *stream(
    url: string,
    headers: Readonly<Record<string, string>>,
    body: HttpBody,
    signal: AbortSignal,
    decoder: SseDecoder,
  ): AsyncGenerator<ModelEvent, void, undefined> {
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal.reason);
    if (signal.aborted) throw signal.reason;
    signal.addEventListener("abort", onAbort, { once: true });
    const idleMs = this.provider.streamIdleTimeoutMs;
    let idleTimer: NodeJS.Timeout | undefined;
    let idleFired = false;
    const armIdle = () => {
      idleTimer = setTimeout(() => {
        idleFired = true;
        controller.abort(new IdleTimeout());
      }, idleMs);
    };
    const disarmIdle = () => clearTimeout(idleTimer);
    // Any failure while the abort is ours (idle) or the caller's becomes the right error here.
    const translate = (e: unknown): unknown => {
      if (signal.aborted) return signal.reason;
      if (idleFired) return streamDisconnected("idle timeout waiting for SSE");
      return e;
    };
    try {
      let response: HttpAnswer;
      try {
        response = await this.send(url, headers, body, controller.signal, armIdle, disarmIdle);
      } catch (e) {
        throw translate(e);
      }
      const text = new TextDecoder();
      const pending: EventSourceMessage[] = [];
      const parser = createParser({ onEvent: (ev) => pending.push(ev) });
      for (;;) {
        let chunk: IteratorResult<Uint8Array, undefined>;
        armIdle();
        try {
          chunk = await response.body.next();
        } catch (e) {
          throw translate(e instanceof ModelError ? e : streamDisconnected(describeHttpError(e)));
        } finally {
          disarmIdle();
        }
        parser.feed(chunk.done ? text.decode() : text.decode(chunk.value, { stream: true }));
        while (pending.length > 0) {
          const ev = pending.shift() as EventSourceMessage;
          const { events, done } = decoder.data(ev.data);
          for (const event of events) {
            yield event;
            if (event.type === "completed") return;
            if (signal.aborted) throw signal.reason;
          }
          if (done) return;
        }
        if (chunk.done) {
          for (const event of decoder.eof()) {
            yield event;
            if (event.type === "completed") return;
            if (signal.aborted) throw signal.reason;
          }
          return;
        }
      }
    } finally {
      disarmIdle();
      signal.removeEventListener("abort", onAbort);
      // Releases the connection when we stop early (completed, error, consumer break); a no-op after EOF.
      controller.abort();
    }
  }

  /** Layer 1: POST with retries for 5xx and connect errors. Resolves with a 2xx response. */
  private async send(
    url: string,
    headers: Readonly<Record<string, string>>,
    body: HttpBody,
    signal: AbortSignal,
    armIdle: () => void,
    disarmIdle: () => void,
  ): Promise<HttpAnswer> {
    const max = this.provider.requestMaxRetries;
    for (let attempt = 0; ; attempt++) {
      let response: HttpAnswer;
      // The idle timeout also bounds the wait for response headers: a provider that accepts the
      // connection and never answers must not hang the turn.
      armIdle();
      try {
        response = await this.post(url, headers, body, signal);
      } catch (e) {
        disarmIdle();
        if (signal.aborted) throw e;
        if (attempt < max) {
          const delay = backoffMs(attempt + 1, this.random);
          this.opts.log?.debug({ url, attempt: attempt + 1, delay, error: describeHttpError(e) }, "model request failed to connect; retrying");
          await this.sleep(delay, signal);
          continue;
        }
        throw connectFailed(url, describeHttpError(e));
      }
      disarmIdle();
      if (response.status >= 200 && response.status < 300) return response;
      let text: string;
      armIdle();
      try {
        text = await response.text();
      } catch (e) {
        if (signal.aborted) throw e;
        text = "";
      } finally {
        disarmIdle();
      }
      if (response.status >= 500 && attempt < max) {
        const delay = parseRetryAfter(response.headers) ?? backoffMs(attempt + 1, this.random);
        this.opts.log?.debug({ url, status: response.status, attempt: attempt + 1, delay }, "model request got a server error; retrying");
        await this.sleep(delay, signal);
        continue;
      }
      throw classifyHttpError(response.status, text, response.headers, url);
    }
  }
}

/** Responses framing: every `data:` maps on its own; `response.completed` ends the round. */
function responsesDecoder(log: Logger | undefined): SseDecoder {
  return {
    data(raw) {
      const mapped = mapSseData(raw, log);
      if (mapped === null) return { events: [] };
      if ("error" in mapped) throw mapped.error;
      return { events: [mapped.event], done: mapped.event.type === "completed" };
    },
    eof() {
      throw streamDisconnected("stream closed before response.completed");
    },
  };
}

export class ResponsesClient {
  private readonly transport: SseTransport;

  constructor(
    readonly provider: ModelProviderInfo,
    private readonly opts: ResponsesClientOptions,
  ) {
    this.transport = new SseTransport(provider, opts);
  }

  /**
   * One sampling round. Yields events until `completed`; throws a ModelError on failure, or the
   * signal's reason when aborted. Leaving the loop early cancels the request.
   */
  async *stream(request: ModelRequest, signal: AbortSignal): AsyncGenerator<ModelEvent, void, undefined> {
    const headers = requestHeaders(this.provider, request, this.opts);
    const url = responsesUrl(this.provider);
    const body = requestBodyPieces(request);
    yield* this.transport.stream(url, headers, body, signal, responsesDecoder(this.opts.log));
  }
}
