// ResponsesClient against a real loopback HTTP server streaming SSE (test/helpers/mockResponses.ts):
// headers and body as sent, event mapping, both error families, layer-1 retries (with the sleep and
// jitter seams instead of real waits), idle timeout and cancellation.
import { createServer, type AddressInfo, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  dropAfter,
  evCompleted,
  evCreated,
  evCustomToolCall,
  evFailed,
  evFunctionCall,
  evIncomplete,
  evMessage,
  evMessageDone,
  evReasoning,
  hang,
  httpError,
  resetConnection,
  sse,
  startMockResponses,
  turn,
  type MockResponses,
  type ScriptEntry,
} from "../../../test/helpers/mockResponses.js";
import { providerFromToml, type ModelProviderInfo } from "../config/providers.js";
import { ModelError } from "./errors.js";
import { httpPost, type HttpPost } from "./httpPost.js";
import { requestBody, requestBodyPieces, ResponsesClient, type ResponsesClientOptions } from "./responsesClient.js";
import type { ModelEvent, ModelRequest } from "./types.js";

let mock: MockResponses | null = null;
afterEach(async () => {
  await mock?.close();
  mock = null;
});

async function start(...script: ScriptEntry[]): Promise<MockResponses> {
  mock = await startMockResponses({ script });
  return mock;
}

function provider(m: MockResponses, extra: Record<string, unknown> = {}): ModelProviderInfo {
  return providerFromToml("mock", { name: "mock", base_url: m.baseUrl, ...extra } as never);
}

const REQUEST: ModelRequest = {
  model: "gpt-5.5",
  instructions: "",
  input: [{ type: "message", role: "user", content: [{ type: "input_text", text: "hi" }] }],
  tools: [{ type: "function", name: "exec_command", parameters: { type: "object", properties: {} } }],
  parallelToolCalls: true,
  reasoning: { effort: "medium" },
  include: ["reasoning.encrypted_content"],
  promptCacheKey: "thread-1",
  text: { verbosity: "low" },
  threadId: "thread-1",
  turnId: "turn-1",
};

interface Recorded {
  sleeps: number[];
}

function client(p: ModelProviderInfo, opts: Partial<ResponsesClientOptions> = {}, rec: Recorded = { sleeps: [] }): ResponsesClient {
  return new ResponsesClient(p, {
    env: {},
    userAgent: "gatehouse-test/1.0",
    originator: "conformance",
    random: () => 0.5,
    sleep: async (ms) => {
      rec.sleeps.push(ms);
    },
    ...opts,
  });
}

async function collect(c: ResponsesClient, signal = new AbortController().signal, request = REQUEST): Promise<ModelEvent[]> {
  const out: ModelEvent[] = [];
  for await (const ev of c.stream(request, signal)) out.push(ev);
  return out;
}

async function failure(c: ResponsesClient, signal?: AbortSignal): Promise<{ error: unknown; events: ModelEvent[] }> {
  const events: ModelEvent[] = [];
  try {
    for await (const ev of c.stream(REQUEST, signal ?? new AbortController().signal)) events.push(ev);
  } catch (error) {
    return { error, events };
  }
  throw new Error("expected the stream to fail");
}

function modelError(e: unknown): ModelError {
  expect(e).toBeInstanceOf(ModelError);
  return e as ModelError;
}

describe("request", () => {
  it("POSTs {base_url}/responses with the provider's headers, auth and query params", async () => {
    const m = await start(turn(evMessage("m1", "ok")));
    const p = provider(m, {
      env_key: "MOCK_KEY",
      http_headers: { "x-static": "s" },
      env_http_headers: { "x-from-env": "MOCK_HEADER", "x-blank": "MOCK_BLANK", "x-unset": "MOCK_UNSET" },
      query_params: { "api-version": "2025-01-01" },
    });
    await collect(client(p, { env: { MOCK_KEY: "sk-test", MOCK_HEADER: "h", MOCK_BLANK: "  " } }));
    const [req] = m.responsesRequests();
    expect(req?.path).toBe("/v1/responses");
    expect(req?.query).toBe("?api-version=2025-01-01");
    expect(req?.headers).toMatchObject({
      authorization: "Bearer sk-test",
      accept: "text/event-stream",
      "content-type": "application/json",
      "user-agent": "gatehouse-test/1.0",
      originator: "conformance",
      "session-id": "thread-1",
      "thread-id": "thread-1",
      "x-client-request-id": "thread-1",
      "x-static": "s",
      "x-from-env": "h",
    });
    expect(req?.headers["x-blank"]).toBeUndefined();
    expect(req?.headers["x-unset"]).toBeUndefined();
  });

  it("sends the body keys in the reference's order, omitting empty instructions and absent options", async () => {
    const m = await start(turn(evMessage("m1", "ok")));
    await collect(client(provider(m)));
    const body = m.responsesRequests()[0]?.body;
    expect(Object.keys(body ?? {})).toEqual([
      "model",
      "input",
      "tools",
      "tool_choice",
      "parallel_tool_calls",
      "reasoning",
      "store",
      "stream",
      "include",
      "prompt_cache_key",
      "text",
    ]);
    expect(body).toMatchObject({
      model: "gpt-5.5",
      tool_choice: "auto",
      parallel_tool_calls: true,
      reasoning: { effort: "medium" },
      store: false,
      stream: true,
      prompt_cache_key: "thread-1",
    });
    expect(body?.["input"]).toEqual(REQUEST.input);

    const bare = requestBody({ ...REQUEST, instructions: "base prompt", reasoning: null, text: undefined, reasoning_summary: undefined } as ModelRequest);
    expect(Object.keys(bare)).toEqual([
      "model",
      "instructions",
      "input",
      "tools",
      "tool_choice",
      "parallel_tool_calls",
      "store",
      "stream",
      "include",
      "prompt_cache_key",
    ]);
    expect(requestBody({ ...REQUEST, reasoning: { effort: null, summary: "auto" } })["reasoning"]).toEqual({ summary: "auto" });
  });

  it("serialises the body as pieces that join to exactly its JSON, one piece per input item", () => {
    const many = Array.from({ length: 50 }, (_, i) => ({
      type: "message",
      role: i % 2 ? "assistant" : "user",
      content: [{ type: "input_text", text: `ü😀 ${i}` }],
    }));
    const variants: ModelRequest[] = [
      REQUEST,
      { ...REQUEST, instructions: "base prompt", reasoning: null, text: undefined } as ModelRequest,
      { ...REQUEST, input: [] },
      { ...REQUEST, input: many as ModelRequest["input"] },
    ];
    for (const request of variants) {
      const pieces = requestBodyPieces(request);
      expect(pieces.join("")).toBe(JSON.stringify(requestBody(request)));
      expect(pieces).toHaveLength(request.input.length + 2);
    }
  });

  it("uses experimental_bearer_token, or the caller's token, when there is no env_key", async () => {
    const m = await start(turn(evMessage("m1", "a")), turn(evMessage("m2", "b")), turn(evMessage("m3", "c")));
    await collect(client(provider(m, { experimental_bearer_token: "literal" }), { bearerToken: "ignored" }));
    await collect(client(provider(m), { bearerToken: "from-auth" }));
    await collect(client(provider(m)));
    const auth = m.responsesRequests().map((r) => r.headers.authorization);
    expect(auth).toEqual(["Bearer literal", "Bearer from-auth", undefined]);
  });

  it("fails with the reference's message when the env_key variable is unset or blank, before any request", async () => {
    const m = await start();
    const p = provider(m, { env_key: "MY_KEY", env_key_instructions: "Create a key at https://example.test and export it." });
    for (const env of [{}, { MY_KEY: "   " }]) {
      const err = modelError((await failure(client(p, { env }))).error);
      expect(err.message).toBe("Missing environment variable: `MY_KEY`. Create a key at https://example.test and export it.");
      expect(err.retryable).toBe(false);
    }
    const noInstructions = modelError((await failure(client(provider(m, { env_key: "MY_KEY" })))).error);
    expect(noInstructions.message).toBe("Missing environment variable: `MY_KEY`.");
    expect(m.requests).toHaveLength(0);
  });

  it("refuses a base_url that is no http(s) URL, before any request", async () => {
    const m = await start();
    for (const base_url of ["ftp://127.0.0.1/v1", "not a url"]) {
      const err = modelError((await failure(client(provider(m, { base_url })))).error);
      expect(err.message).toBe(`model provider \`mock\` has base_url \`${base_url}\`, which is not an http or https URL`);
      expect(err.retryable).toBe(false);
    }
    expect(m.requests).toHaveLength(0);
  });

  it("refuses a header no HTTP request may carry, before any request and without retrying", async () => {
    const m = await start();
    for (const http_headers of [{ "x-bad": "line\nbreak" }, { "bad name": "v" }]) {
      const err = modelError((await failure(client(provider(m, { http_headers })))).error);
      expect(err.message).toMatch(/^model provider `\w+` has an invalid HTTP header `(x-bad|bad name)`/);
      expect(err.retryable).toBe(false);
    }
    expect(m.requests).toHaveLength(0);
  });
});

describe("events", () => {
  it("maps a streamed response to ModelEvents and stops at response.completed", async () => {
    const m = await start(
      sse(
        evCreated("resp_1"),
        { type: "response.in_progress", response: { id: "resp_1" } },
        evReasoning("rs_1", ["Looking", "Deciding"], { encryptedContent: "enc", raw: ["raw thought"] }),
        evMessage("msg_1", "Hello world", ["Hel", "lo ", "world"]),
        evFunctionCall("call_1", "exec_command", { cmd: "ls" }),
        evCustomToolCall("call_2", "apply_patch", "*** Begin Patch\n*** End Patch"),
        evCompleted(
          { input_tokens: 10, input_tokens_details: { cached_tokens: 4 }, output_tokens: 7, output_tokens_details: { reasoning_tokens: 3 }, total_tokens: 17 },
          "resp_1",
        ),
        // Anything after completed is never read.
        evMessageDone("late", "never seen"),
      ),
    );
    const events = await collect(client(provider(m)));
    const types = events.map((e) => e.type);
    expect(types[0]).toBe("created");
    expect(events.filter((e) => e.type === "reasoningSummaryPartAdded")).toEqual([
      { type: "reasoningSummaryPartAdded", itemId: "rs_1", summaryIndex: 0 },
      { type: "reasoningSummaryPartAdded", itemId: "rs_1", summaryIndex: 1 },
    ]);
    expect(
      events.filter((e) => e.type === "reasoningSummaryTextDelta").map((e) => (e.type === "reasoningSummaryTextDelta" ? [e.summaryIndex, e.delta] : null)),
    ).toEqual([
      [0, "Looking"],
      [1, "Deciding"],
    ]);
    expect(events).toContainEqual({ type: "reasoningTextDelta", itemId: "rs_1", contentIndex: 0, delta: "raw thought" });
    const deltas = events.flatMap((e) => (e.type === "outputTextDelta" ? [e] : []));
    expect(deltas.map((d) => d.delta).join("")).toBe("Hello world");
    expect(deltas.every((d) => d.itemId === "msg_1")).toBe(true);
    const done = events.flatMap((e) => (e.type === "outputItemDone" ? [e.item] : []));
    expect(done.map((i) => i.type)).toEqual(["reasoning", "message", "function_call", "custom_tool_call"]);
    expect(done[0]).toMatchObject({
      type: "reasoning",
      id: "rs_1",
      encrypted_content: "enc",
      summary: [
        { type: "summary_text", text: "Looking" },
        { type: "summary_text", text: "Deciding" },
      ],
    });
    expect(done[2]).toMatchObject({ type: "function_call", call_id: "call_1", name: "exec_command", arguments: '{"cmd":"ls"}' });
    expect(done[3]).toMatchObject({ type: "custom_tool_call", call_id: "call_2", input: "*** Begin Patch\n*** End Patch" });
    // Fields we do not model survive (they are echoed back to the model).
    expect(done[1]).toMatchObject({ status: "completed", content: [{ type: "output_text", text: "Hello world", annotations: [] }] });
    expect(events.at(-1)).toEqual({
      type: "completed",
      responseId: "resp_1",
      usage: { totalTokens: 17, inputTokens: 10, cachedInputTokens: 4, outputTokens: 7, reasoningOutputTokens: 3 },
    });
    expect(events.filter((e) => e.type === "outputItemAdded")).toHaveLength(4);
  });

  it("skips non-JSON data, unknown types and unmodelled items; maps missing usage to null and missing details to 0", async () => {
    const m = await start(
      sse(
        { type: "response.created" },
        { type: "response.output_item.done", item: { type: "mystery_call", id: "x" } },
        evMessageDone("m1", "whole"),
        evCompleted(null),
      ),
      sse(evCreated(), evCompleted({ input_tokens: 5, output_tokens: 2, total_tokens: 7 })),
    );
    // A raw garbage frame first, ahead of the real body from the same answer.
    const garbagePost: HttpPost = async (url, headers, body, signal) => {
      const res = await httpPost(url, headers, body, signal);
      let prefix: Uint8Array | null = new TextEncoder().encode('data: not json\n\n: a comment\n\nevent: x\ndata: {"no":"type"}\n\n');
      return {
        ...res,
        body: {
          next: async () => {
            if (!prefix) return res.body.next();
            const value = prefix;
            prefix = null;
            return { done: false, value };
          },
        },
      };
    };
    const events = await collect(client(provider(m), { post: garbagePost }));
    expect(events).toEqual([
      { type: "created" },
      {
        type: "outputItemDone",
        item: { type: "message", role: "assistant", id: "m1", status: "completed", content: [{ type: "output_text", text: "whole", annotations: [] }] },
      },
      { type: "completed", responseId: "resp_mock", usage: null },
    ]);
    const second = await collect(client(provider(m)));
    expect(second.at(-1)).toEqual({
      type: "completed",
      responseId: "resp_mock",
      usage: { totalTokens: 7, inputTokens: 5, cachedInputTokens: 0, outputTokens: 2, reasoningOutputTokens: 0 },
    });
  });
});

describe("stream errors", () => {
  it("a stream that ends before response.completed is retryable, after the events it carried", async () => {
    const m = await start(sse(evCreated(), evMessage("m1", "partial")));
    const { error, events } = await failure(client(provider(m)));
    const err = modelError(error);
    expect(err.message).toBe("stream disconnected before completion: stream closed before response.completed");
    expect(err.retryable).toBe(true);
    expect(err.codexErrorInfo).toEqual({ responseStreamDisconnected: { httpStatusCode: null } });
    expect(events.some((e) => e.type === "outputItemDone")).toBe(true);
  });

  it("a connection dropped mid-stream is a retryable stream error and is not retried at the HTTP layer", async () => {
    const m = await start(dropAfter(evCreated(), evMessage("m1", "part").slice(0, 3)));
    const { error, events } = await failure(client(provider(m, { request_max_retries: 3 })));
    const err = modelError(error);
    expect(err.kind).toBe("streamDisconnected");
    expect(err.retryable).toBe(true);
    expect(err.message.startsWith("stream disconnected before completion: ")).toBe(true);
    expect(events[0]).toEqual({ type: "created" });
    expect(m.responsesRequests()).toHaveLength(1);
  });

  it.each([
    [
      "context_length_exceeded",
      "Your input exceeds the context window of this model.",
      "contextWindowExceeded",
      false,
      "Codex ran out of room in the model's context window. Start a new thread or clear earlier history before retrying.",
    ],
    ["insufficient_quota", "You exceeded your current quota.", "usageLimitExceeded", false, "Quota exceeded. Check your plan and billing details."],
    ["usage_not_included", "nope", "usageLimitExceeded", false, "To use Codex with your ChatGPT plan, upgrade to Plus: https://openai.com/chatgpt/pricing."],
    ["server_error", "boom", { responseStreamDisconnected: { httpStatusCode: null } }, true, "stream disconnected before completion: boom"],
  ])("response.failed %s", async (code, message, info, retryable, expected) => {
    const m = await start(sse(evCreated(), evFailed(code, message)));
    const err = modelError((await failure(client(provider(m)))).error);
    expect(err.message).toBe(expected);
    expect(err.codexErrorInfo).toEqual(info);
    expect(err.retryable).toBe(retryable);
    expect(err.retryAfterMs).toBeUndefined();
  });

  it("response.failed rate_limit_exceeded carries the hinted delay", async () => {
    const m = await start(
      sse(evCreated(), evFailed("rate_limit_exceeded", "Rate limit reached for gpt-5.5. Please try again in 1.5s.")),
      sse(evCreated(), evFailed("rate_limit_exceeded", "Please try again in 20ms")),
      sse(evCreated(), evFailed("rate_limit_exceeded", "Please try again in 2 seconds")),
    );
    const delays: (number | undefined)[] = [];
    for (let i = 0; i < 3; i++) delays.push(modelError((await failure(client(provider(m)))).error).retryAfterMs);
    expect(delays).toEqual([1500, 20, 2000]);
  });

  it("response.incomplete and a top-level error event are retryable stream errors", async () => {
    const m = await start(
      sse(evCreated(), evIncomplete("max_output_tokens")),
      sse(evCreated(), { type: "error", code: "server_error", message: "upstream broke" }),
      sse(evCreated(), { type: "error", error: { code: "context_length_exceeded", message: "too long" } }),
    );
    const a = modelError((await failure(client(provider(m)))).error);
    expect(a.message).toBe("stream disconnected before completion: Incomplete response returned, reason: max_output_tokens");
    expect(a.retryable).toBe(true);
    const b = modelError((await failure(client(provider(m)))).error);
    expect(b.message).toBe("stream disconnected before completion: upstream broke");
    const c = modelError((await failure(client(provider(m)))).error);
    expect(c.kind).toBe("contextWindowExceeded");
  });

  it("a silent stream fails with the idle timeout", async () => {
    const m = await start(hang(evCreated()));
    // Only the outcome is asserted: on a loaded machine the timer may fire before the first event.
    const { error } = await failure(client(provider(m, { stream_idle_timeout_ms: 50 })));
    const err = modelError(error);
    expect(err.message).toBe("stream disconnected before completion: idle timeout waiting for SSE");
    expect(err.retryable).toBe(true);
    await m.responsesRequests()[0]?.closed;
  });

  it("a provider that accepts the connection and never answers times out too", async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((s) => void sockets.add(s));
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", () => r()));
    try {
      const { port } = silent.address() as AddressInfo;
      const p = providerFromToml("silent", { name: "silent", base_url: `http://127.0.0.1:${port}/v1`, stream_idle_timeout_ms: 50 } as never);
      const err = modelError((await failure(client(p))).error);
      expect(err.message).toBe("stream disconnected before completion: idle timeout waiting for SSE");
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  it("delivers a long stream of deltas in order", async () => {
    const n = 10_000;
    const deltas = Array.from({ length: n }, (_, i) => `${i % 10}`);
    const m = await start(turn(evMessage("m1", deltas.join(""), deltas)));
    let count = 0;
    let joined = "";
    for await (const ev of client(provider(m)).stream(REQUEST, new AbortController().signal)) {
      if (ev.type === "outputTextDelta") {
        count++;
        joined += ev.delta;
      }
    }
    expect(count).toBe(n);
    expect(joined).toBe(deltas.join(""));
  });
});

describe("HTTP errors and layer-1 retries", () => {
  it("retries a 500 and then streams (request_max_retries=1: two requests, one backoff)", async () => {
    const m = await start(httpError(500), turn(evMessage("m1", "ok")));
    const rec = { sleeps: [] as number[] };
    const events = await collect(client(provider(m, { request_max_retries: 1 }), {}, rec));
    expect(events.at(-1)?.type).toBe("completed");
    expect(m.responsesRequests()).toHaveLength(2);
    expect(rec.sleeps).toEqual([200]);
    expect(m.responsesRequests()[1]?.rawBody).toBe(m.responsesRequests()[0]?.rawBody);
  });

  it("gives up on 5xx after request_max_retries with the high-demand error, retryable at the turn level", async () => {
    const m = await start(httpError(500), httpError(503), httpError(502, "bad gateway", { "retry-after": "2" }));
    const rec = { sleeps: [] as number[] };
    const err = modelError((await failure(client(provider(m, { request_max_retries: 2 }), {}, rec))).error);
    expect(m.responsesRequests()).toHaveLength(3);
    expect(rec.sleeps).toEqual([200, 400]);
    expect(err.message).toBe("We\u2019re currently experiencing high demand, which may cause temporary errors.");
    expect(err.codexErrorInfo).toBe("internalServerError");
    expect(err.retryable).toBe(true);
    expect(err.httpStatus).toBe(502);
  });

  it("waits for Retry-After between 5xx attempts", async () => {
    const m = await start(httpError(503, undefined, { "retry-after": "3" }), turn(evMessage("m1", "ok")));
    const rec = { sleeps: [] as number[] };
    await collect(client(provider(m, { request_max_retries: 1 }), {}, rec));
    expect(rec.sleeps).toEqual([3000]);
  });

  it("does not retry a 429 at the HTTP layer; the error carries the hinted delay for the sampling loop", async () => {
    const m = await start(
      httpError(429, { error: { message: "Rate limit reached. Please try again in 1.5s.", type: "requests", code: "rate_limit_exceeded" } }),
      httpError(429, { error: { message: "slow down" } }, { "retry-after": "7" }),
    );
    const rec = { sleeps: [] as number[] };
    const err = modelError((await failure(client(provider(m, { request_max_retries: 4 }), {}, rec))).error);
    expect(m.responsesRequests()).toHaveLength(1);
    expect(rec.sleeps).toEqual([]);
    expect(err.message).toBe("exceeded retry limit, last status: 429 Too Many Requests");
    expect(err.codexErrorInfo).toEqual({ responseTooManyFailedAttempts: { httpStatusCode: 429 } });
    expect(err.retryable).toBe(true);
    expect(err.retryAfterMs).toBe(1500);
    const second = modelError((await failure(client(provider(m)))).error);
    expect(second.retryAfterMs).toBe(7000);
  });

  it("maps a 429 usage or quota body to a fatal usage-limit error", async () => {
    const m = await start(
      httpError(429, { error: { type: "usage_limit_reached", message: "limit" } }),
      httpError(429, { error: { type: "insufficient_quota", code: "insufficient_quota", message: "quota" } }),
    );
    const a = modelError((await failure(client(provider(m)))).error);
    expect([a.message, a.codexErrorInfo, a.retryable]).toEqual(["You've hit your usage limit. Try again later.", "usageLimitExceeded", false]);
    const b = modelError((await failure(client(provider(m)))).error);
    expect([b.message, b.codexErrorInfo, b.retryable]).toEqual(["Quota exceeded. Check your plan and billing details.", "usageLimitExceeded", false]);
  });

  it("401 is fatal and names the status, the provider's message and the URL", async () => {
    const m = await start(
      httpError(401, { error: { message: "Incorrect API key provided: sk-bad.", type: "invalid_request_error", code: "invalid_api_key" } }),
    );
    const err = modelError((await failure(client(provider(m, { request_max_retries: 3 })))).error);
    expect(err.message).toBe(`unexpected status 401 Unauthorized: Incorrect API key provided: sk-bad., url: ${m.baseUrl}/responses`);
    expect(err.codexErrorInfo).toEqual({ httpConnectionFailed: { httpStatusCode: 401 } });
    expect(err.retryable).toBe(false);
    expect(m.responsesRequests()).toHaveLength(1);
  });

  it("400 is fatal with the raw body, except a context-window code", async () => {
    const raw = JSON.stringify({ error: { message: "Invalid 'input[0]'.", type: "invalid_request_error", param: "input", code: null } });
    const m = await start(httpError(400, raw), httpError(400, { error: { message: "too long", code: "context_length_exceeded" } }));
    const err = modelError((await failure(client(provider(m)))).error);
    expect([err.message, err.codexErrorInfo, err.retryable, err.httpStatus]).toEqual([raw, "other", false, 400]);
    expect(modelError((await failure(client(provider(m)))).error).codexErrorInfo).toBe("contextWindowExceeded");
  });

  it("retries connection failures and then reports them as retryable", async () => {
    const m = await start(resetConnection(), resetConnection());
    const rec = { sleeps: [] as number[] };
    const err = modelError((await failure(client(provider(m, { request_max_retries: 1 }), {}, rec))).error);
    expect(m.responsesRequests()).toHaveLength(2);
    expect(rec.sleeps).toEqual([200]);
    expect(err.kind).toBe("connectFailed");
    expect(err.retryable).toBe(true);
    expect(err.message).toContain(`stream disconnected before completion: error sending request for url (${m.baseUrl}/responses)`);
    expect(err.codexErrorInfo).toEqual({ httpConnectionFailed: { httpStatusCode: null } });
  });

  it("a refused connection (nothing listening) is a connect failure", async () => {
    const m = await start();
    const p = provider(m, { request_max_retries: 0 });
    await m.close();
    mock = null;
    const err = modelError((await failure(client(p))).error);
    expect(err.kind).toBe("connectFailed");
    expect(err.message).toMatch(/ECONNREFUSED/);
  });

  it("spaces retries with 200ms·2^(n-1)·U(0.9,1.1)", async () => {
    const m = await start(httpError(500), httpError(500), httpError(500), turn(evMessage("m", "x")));
    const lows = { sleeps: [] as number[] };
    await collect(client(provider(m, { request_max_retries: 3 }), { random: () => 0 }, lows));
    expect(lows.sleeps).toEqual([180, 360, 720]);
  });
});

describe("cancellation", () => {
  it("an abort while streaming rejects with the signal's reason and closes the connection", async () => {
    const m = await start(hang(evCreated()));
    const ac = new AbortController();
    const events: ModelEvent[] = [];
    let error: unknown;
    try {
      for await (const ev of client(provider(m)).stream(REQUEST, ac.signal)) {
        events.push(ev);
        ac.abort(new Error("interrupted"));
      }
    } catch (e) {
      error = e;
    }
    expect(events).toEqual([{ type: "created" }]);
    expect(error).toEqual(new Error("interrupted"));
    await m.responsesRequests()[0]?.closed;
  });

  it("an abort while waiting for the next event cancels the pending read", async () => {
    const m = await start(hang(evCreated()));
    const ac = new AbortController();
    const iter = client(provider(m)).stream(REQUEST, ac.signal)[Symbol.asyncIterator]();
    expect((await iter.next()).value).toEqual({ type: "created" });
    const pending = iter.next();
    await m.waitForRequests(1);
    ac.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    await m.responsesRequests()[0]?.closed;
  });

  it("an abort during the layer-1 backoff stops retrying", async () => {
    const m = await start(httpError(500), turn(evMessage("m", "x")));
    const ac = new AbortController();
    const c = client(provider(m, { request_max_retries: 1 }), {
      sleep: (_ms, signal) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener("abort", () => reject(signal.reason as Error), { once: true });
          ac.abort(new Error("stop"));
        }),
    });
    const { error } = await failure(c, ac.signal);
    expect(error).toEqual(new Error("stop"));
    expect(m.responsesRequests()).toHaveLength(1);
  });

  it("leaving the loop early releases the request", async () => {
    const m = await start(hang(evCreated(), ...evMessage("m1", "abc")));
    for await (const ev of client(provider(m)).stream(REQUEST, new AbortController().signal)) {
      if (ev.type === "outputItemAdded") break;
    }
    await m.responsesRequests()[0]?.closed;
  });

  it("an already-aborted signal sends nothing", async () => {
    const m = await start();
    const ac = new AbortController();
    ac.abort(new Error("early"));
    const { error } = await failure(client(provider(m)), ac.signal);
    expect(error).toEqual(new Error("early"));
    expect(m.requests).toHaveLength(0);
  });
});
