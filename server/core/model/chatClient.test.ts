// ChatClient against a loopback Chat Completions server (test/helpers/mockChat.ts): the request
// conversion, the chunk reassembly into the ModelEvents the Responses client yields, usage, the end
// of stream rules and the shared layer-1 retries.
import { afterEach, describe, expect, it } from "vitest";
import {
  chatFinish,
  chatReasoning,
  chatSse,
  chatText,
  chatToolCall,
  chatUsage,
  startMockChat,
  type ChatAction,
  type MockChat,
} from "../../../test/helpers/mockChat.js";
import { providerFromToml, type ModelProviderInfo } from "../config/providers.js";
import { ChatClient, chatMessages, chatTools } from "./chatClient.js";
import { ModelError } from "./errors.js";
import type { ModelEvent, ModelRequest } from "./types.js";

let mock: MockChat | null = null;
afterEach(async () => {
  await mock?.close();
  mock = null;
});

async function start(...script: ChatAction[]): Promise<MockChat> {
  mock = await startMockChat(script);
  return mock;
}

function provider(m: MockChat, extra: Record<string, unknown> = {}): ModelProviderInfo {
  return providerFromToml("local", { name: "local", base_url: m.baseUrl, wire_api: "chat", request_max_retries: 0, ...extra } as never);
}

function client(p: ModelProviderInfo, bearerToken: string | null = null): ChatClient {
  return new ChatClient(p, { env: {}, userAgent: "gatehouse-test/1.0", bearerToken, random: () => 0.5, sleep: async () => {} });
}

const REQUEST: ModelRequest = {
  model: "qwen3",
  instructions: "",
  input: [
    { type: "message", role: "developer", content: [{ type: "input_text", text: "be brief" }] },
    {
      type: "message",
      role: "user",
      content: [
        { type: "input_text", text: "list " },
        { type: "input_text", text: "files" },
      ],
    },
  ],
  tools: [
    {
      type: "function",
      name: "shell_command",
      description: "run",
      strict: false,
      parameters: { type: "object", properties: { command: { type: "string" } }, required: ["command"], additionalProperties: false },
    },
    { type: "custom", name: "apply_patch", description: "freeform", format: { type: "grammar" } },
  ],
  parallelToolCalls: false,
  reasoning: null,
  include: [],
  promptCacheKey: "thread-1",
  threadId: "thread-1",
};

async function collect(c: ChatClient, request = REQUEST): Promise<ModelEvent[]> {
  const out: ModelEvent[] = [];
  for await (const ev of c.stream(request, new AbortController().signal)) out.push(ev);
  return out;
}

async function failure(c: ChatClient): Promise<unknown> {
  try {
    await collect(c);
  } catch (error) {
    return error;
  }
  throw new Error("expected the stream to fail");
}

describe("chat request", () => {
  it("posts {model, messages, stream, stream_options, tools} to /chat/completions with the bearer token", async () => {
    const m = await start(chatSse(chatText("hi"), chatFinish("stop")));
    await collect(client(provider(m), "sk-stored"));
    const req = m.requests[0];
    expect(req?.path).toBe("/v1/chat/completions");
    expect(req?.headers["authorization"]).toBe("Bearer sk-stored");
    expect(Object.keys(req?.body ?? {})).toEqual(["model", "messages", "stream", "stream_options", "tools"]);
    expect(req?.body?.["messages"]).toEqual([
      { role: "system", content: "be brief" },
      { role: "user", content: "list files" },
    ]);
    // The freeform tool has no chat form; the function keeps `name` at the top level too [obs 0.80].
    expect(req?.body?.["tools"]).toEqual([
      {
        type: "function",
        name: "shell_command",
        function: {
          name: "shell_command",
          description: "run",
          strict: false,
          parameters: { type: "object", properties: { command: { type: "string" } }, required: ["command"], additionalProperties: false },
        },
      },
    ]);
  });

  it("joins an assistant's text and its tool calls into one message, and answers each call with a tool message", () => {
    const messages = chatMessages({
      instructions: "base",
      input: [
        { type: "message", role: "user", content: [{ type: "input_text", text: "go" }] },
        { type: "reasoning", id: "rs_1", summary: [], content: [{ type: "reasoning_text", text: "hmm" }] },
        { type: "message", role: "assistant", content: [{ type: "output_text", text: "Looking." }] },
        { type: "function_call", name: "shell_command", arguments: '{"command":"ls"}', call_id: "c1" },
        { type: "custom_tool_call", name: "apply_patch", input: "*** Begin Patch", call_id: "c2" },
        { type: "function_call_output", call_id: "c1", output: "a.txt" },
        { type: "custom_tool_call_output", call_id: "c2", output: [{ type: "input_text", text: "Done" }] },
        { type: "function_call", name: "shell_command", arguments: "{}", call_id: "c3" },
        { type: "function_call_output", call_id: "c3", output: "x" },
      ],
    });
    expect(messages).toEqual([
      { role: "system", content: "base" },
      { role: "user", content: "go" },
      {
        role: "assistant",
        content: "Looking.",
        tool_calls: [
          { id: "c1", type: "function", function: { name: "shell_command", arguments: '{"command":"ls"}' } },
          { id: "c2", type: "function", function: { name: "apply_patch", arguments: '{"input":"*** Begin Patch"}' } },
        ],
      },
      { role: "tool", tool_call_id: "c1", content: "a.txt" },
      { role: "tool", tool_call_id: "c2", content: "Done" },
      { role: "assistant", content: null, tool_calls: [{ id: "c3", type: "function", function: { name: "shell_command", arguments: "{}" } }] },
      { role: "tool", tool_call_id: "c3", content: "x" },
    ]);
  });

  it("sends images as content parts", () => {
    const messages = chatMessages({
      instructions: "",
      input: [
        {
          type: "message",
          role: "user",
          content: [
            { type: "input_text", text: "see" },
            { type: "input_image", image_url: "data:image/png;base64,AA" },
          ],
        },
      ],
    });
    expect(messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "see" },
          { type: "image_url", image_url: { url: "data:image/png;base64,AA" } },
        ],
      },
    ]);
  });

  it("offers no custom tools", () => {
    expect(chatTools([{ type: "custom", name: "apply_patch" }, { type: "web_search" }])).toEqual([]);
  });
});

describe("chat stream", () => {
  it("streams text as a message item and maps usage", async () => {
    const m = await start(chatSse(chatText("Hel", "lo"), chatFinish("stop"), chatUsage(40, 2, 8)));
    const events = await collect(client(provider(m)));
    expect(events.map((e) => e.type)).toEqual(["created", "outputItemAdded", "outputTextDelta", "outputTextDelta", "outputItemDone", "completed"]);
    const added = events[1] as Extract<ModelEvent, { type: "outputItemAdded" }>;
    const done = events[4] as Extract<ModelEvent, { type: "outputItemDone" }>;
    expect(done.item).toEqual({ type: "message", role: "assistant", id: (added.item as { id: string }).id, content: [{ type: "output_text", text: "Hello" }] });
    expect(events[5]).toEqual({
      type: "completed",
      responseId: "chatcmpl-mock",
      usage: { totalTokens: 42, inputTokens: 40, cachedInputTokens: 8, outputTokens: 2, reasoningOutputTokens: 0 },
    });
  });

  it("reassembles interleaved tool-call fragments by index, after the reasoning and the text", async () => {
    const a = chatToolCall(0, "call_a", "shell_command", '{"command":"ls -la"}');
    const b = chatToolCall(1, "call_b", "shell_command", '{"command":"pwd"}');
    const interleaved = a.flatMap((chunk, i) => [chunk, ...(b[i] ? [b[i]] : [])]);
    const m = await start(chatSse(chatReasoning("think", "ing"), chatText("Checking."), interleaved, chatFinish("tool_calls")));
    const events = await collect(client(provider(m)));
    const done = events.filter((e): e is Extract<ModelEvent, { type: "outputItemDone" }> => e.type === "outputItemDone").map((e) => e.item);
    expect(done.map((i) => i.type)).toEqual(["reasoning", "message", "function_call", "function_call"]);
    expect(done[0]).toMatchObject({ type: "reasoning", summary: [], content: [{ type: "reasoning_text", text: "thinking" }] });
    expect(done[2]).toEqual({ type: "function_call", name: "shell_command", arguments: '{"command":"ls -la"}', call_id: "call_a" });
    expect(done[3]).toEqual({ type: "function_call", name: "shell_command", arguments: '{"command":"pwd"}', call_id: "call_b" });
    expect(events.filter((e) => e.type === "reasoningTextDelta").map((e) => (e as { delta: string }).delta)).toEqual(["think", "ing"]);
    expect(events.at(-1)).toMatchObject({ type: "completed", usage: null });
  });

  it("gives a call without an id one, so its output can answer it", async () => {
    const fragment = chatToolCall(0, "", "shell_command", "{}", 1);
    const m = await start(chatSse(fragment, chatFinish("tool_calls")));
    const events = await collect(client(provider(m)));
    const call = events.find((e) => e.type === "outputItemDone") as Extract<ModelEvent, { type: "outputItemDone" }>;
    expect((call.item as { call_id: string }).call_id).toMatch(/^call_/);
  });

  it("completes on a body that ends after a finish_reason without [DONE]", async () => {
    const m = await start({ kind: "sse", chunks: [...chatText("ok"), chatFinish("stop")], done: false });
    const events = await collect(client(provider(m)));
    expect(events.map((e) => e.type)).toEqual(["created", "outputItemAdded", "outputTextDelta", "outputItemDone", "completed"]);
  });

  it("treats a body that ends before any finish_reason as a retryable disconnect", async () => {
    const m = await start({ kind: "sse", chunks: chatText("partial"), done: false });
    const error = await failure(client(provider(m)));
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).retryable).toBe(true);
    expect((error as ModelError).message).toBe("stream disconnected before completion: stream closed before [DONE]");
  });

  it("maps an error object inside the stream like response.failed", async () => {
    const m = await start(chatSse({ error: { code: "context_length_exceeded", message: "too long" } }));
    const error = await failure(client(provider(m)));
    expect((error as ModelError).kind).toBe("contextWindowExceeded");
  });

  it("retries a 5xx at the HTTP layer, then streams", async () => {
    const m = await start({ kind: "status", status: 503 }, chatSse(chatText("after retry"), chatFinish("stop")));
    const events = await collect(client(provider(m, { request_max_retries: 1 })));
    expect(m.requests).toHaveLength(2);
    expect(events.some((e) => e.type === "outputItemDone")).toBe(true);
  });

  it("reports a 401 with the chat URL", async () => {
    const m = await start({ kind: "status", status: 401, body: { error: { message: "bad key" } } });
    const error = await failure(client(provider(m)));
    expect((error as ModelError).message).toBe(`unexpected status 401 Unauthorized: bad key, url: ${m.baseUrl}/chat/completions`);
  });
});
