// The Chat Completions client (`wire_api = "chat"`) for providers that only speak
// it (Ollama, LM Studio, vLLM). It yields the same ModelEvents as ResponsesClient, so the turn engine
// does not know which wire it is on; the HTTP side, layer-1 retries, idle timeout and abort handling
// are ResponsesClient's SseTransport.
//
// Observed against 0.80 (the last reference with this wire; 0.169 refuses it at config load) and
// where Gatehouse differs on purpose:
// - Body keys: `model, messages, stream, tools` [obs]. We add `stream_options.include_usage`, which
//   0.80 did not send (so it never reported token usage on chat): without usage there is no
//   thread/tokenUsage/updated and no auto-compaction. Every server named above accepts it.
// - Tools: only function tools, each `{type, name, function:{name, description, strict, parameters}}`
//   [obs: 0.80 keeps `name` at the top level too].
// - History: 0.80 sent an assistant's tool calls *before* the text that preceded them and as separate
//   messages, which the OpenAI chat API rejects once a tool result follows. We send one assistant
//   message per model turn: its text as `content` and its calls as `tool_calls`.
// - `developer` messages (0.169's leading instructions) go out as `system`: local chat templates
//   know system/user/assistant/tool only.
// - Stream end: `[DONE]` completes the round. A body that ends without `[DONE]` still completes when a
//   `finish_reason` was seen (some servers close without it); otherwise it is a disconnect, retried
//   like the Responses wire's "stream closed before response.completed".
import { v7 as uuidv7 } from "uuid";
import type { Logger } from "../../log.js";
import { isDemoProvider, type ModelProviderInfo } from "../config/providers.js";
import { ModelError, streamDisconnected } from "./errors.js";
import { jsonPieces } from "./httpPost.js";
import { classifyFailedEvent, endpointUrl, requestHeaders, SseTransport, type ResponsesClientOptions, type SseDecoder } from "./responsesClient.js";
import type { ModelEvent, ModelRequest, ResponseItem, TokenUsageBreakdown } from "./types.js";

export type ChatClientOptions = ResponsesClientOptions;

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** `{base_url}/chat/completions` plus the provider's query params. */
export function chatUrl(provider: ModelProviderInfo): string {
  if (!provider.baseUrl) {
    const message = isDemoProvider(provider) ? "the demo provider speaks the Responses wire only" : `model provider \`${provider.id}\` has no base_url`;
    throw new ModelError({ kind: "httpStatus", message, codexErrorInfo: "other", retryable: false });
  }
  return endpointUrl(provider, provider.baseUrl, "/chat/completions");
}

function textOf(output: unknown): string {
  if (typeof output === "string") return output;
  if (!Array.isArray(output)) return "";
  return output.map((p) => (isObject(p) && typeof p["text"] === "string" ? p["text"] : "")).join("");
}

/** A message's parts as chat content: a string, or parts when an image has to go along. */
function messageContent(content: readonly Json[]): string | Json[] {
  if (!content.some((c) => c["type"] === "input_image")) return content.map((c) => (typeof c["text"] === "string" ? c["text"] : "")).join("");
  return content.flatMap((c): Json[] => {
    if (c["type"] === "input_image") return [{ type: "image_url", image_url: { url: c["image_url"] } }];
    return typeof c["text"] === "string" ? [{ type: "text", text: c["text"] }] : [];
  });
}

/** The history (Responses items) as chat `messages`, per the rules at the top of this file. */
export function chatMessages(request: Pick<ModelRequest, "instructions" | "input">): Json[] {
  const messages: Json[] = [];
  if (request.instructions !== "") messages.push({ role: "system", content: request.instructions });
  // The assistant message of the current model turn, so its tool calls join its text.
  let assistant: Json | null = null;
  const addCall = (id: string, name: string, args: string): void => {
    if (!assistant) {
      assistant = { role: "assistant", content: null };
      messages.push(assistant);
    }
    const calls = (assistant["tool_calls"] as Json[] | undefined) ?? [];
    calls.push({ id, type: "function", function: { name, arguments: args } });
    assistant["tool_calls"] = calls;
  };
  for (const raw of request.input) {
    switch (raw["type"]) {
      case "message": {
        const role = raw["role"] === "developer" ? "system" : (raw["role"] as string);
        const content = messageContent((raw["content"] as Json[] | undefined) ?? []);
        const message: Json = { role, content };
        messages.push(message);
        assistant = role === "assistant" ? message : null;
        break;
      }
      case "function_call":
        addCall(raw["call_id"] as string, raw["name"] as string, raw["arguments"] as string);
        break;
      // Custom calls exist only in a history written on the Responses wire (a thread whose provider
      // changed); their input travels as the function variant's `{input}` so the pairing survives.
      case "custom_tool_call":
        addCall(raw["call_id"] as string, raw["name"] as string, JSON.stringify({ input: raw["input"] }));
        break;
      case "local_shell_call": {
        const id = (raw["call_id"] ?? raw["id"] ?? "") as string;
        addCall(id, "local_shell", JSON.stringify((raw["action"] as Json | undefined) ?? {}));
        break;
      }
      case "function_call_output":
      case "custom_tool_call_output":
        messages.push({ role: "tool", tool_call_id: raw["call_id"], content: textOf(raw["output"]) });
        assistant = null;
        break;
      // No chat form [obs: 0.80 drops reasoning]; tool_search is a Responses-only tool (never offered on chat).
      case "reasoning":
      case "web_search_call":
      case "tool_search_call":
      case "tool_search_output":
        break;
    }
  }
  return messages;
}

/** Function tools in the chat shape; custom (freeform) tools have none and are left out. */
export function chatTools(tools: readonly unknown[]): Json[] {
  return tools
    .filter((t): t is Json => isObject(t) && t["type"] === "function")
    .map((t) => {
      const { type: _type, ...fn } = t;
      return { type: "function", name: t["name"], function: fn };
    });
}

export function chatRequestBody(request: ModelRequest): Json {
  return {
    model: request.model,
    messages: chatMessages(request),
    stream: true,
    stream_options: { include_usage: true },
    tools: chatTools(request.tools),
  };
}

function count(v: unknown): number {
  return typeof v === "number" && Number.isFinite(v) ? v : 0;
}

/** Chat `usage` → TokenUsageBreakdown; missing details count as 0. */
export function mapChatUsage(usage: unknown): TokenUsageBreakdown | null {
  if (!isObject(usage)) return null;
  const inDetails = isObject(usage["prompt_tokens_details"]) ? usage["prompt_tokens_details"] : {};
  const outDetails = isObject(usage["completion_tokens_details"]) ? usage["completion_tokens_details"] : {};
  const input = count(usage["prompt_tokens"]);
  const output = count(usage["completion_tokens"]);
  return {
    totalTokens: usage["total_tokens"] === undefined ? input + output : count(usage["total_tokens"]),
    inputTokens: input,
    cachedInputTokens: count(inDetails["cached_tokens"]),
    outputTokens: output,
    reasoningOutputTokens: count(outDetails["reasoning_tokens"]),
  };
}

/** `delta.reasoning` (Ollama, a string or `{text|content}`) or `delta.reasoning_content` (vLLM, DeepSeek). */
function reasoningDelta(delta: Json): string {
  for (const key of ["reasoning", "reasoning_content"]) {
    const v = delta[key];
    if (typeof v === "string") return v;
    if (isObject(v)) {
      if (typeof v["text"] === "string") return v["text"];
      if (typeof v["content"] === "string") return v["content"];
    }
  }
  return "";
}

interface PendingCall {
  id: string;
  name: string;
  args: string;
}

/**
 * The stateful half of the chat wire: chunks accumulate into a reasoning item, a message and tool
 * calls, which are flushed as Responses-shaped `outputItemDone` items in that order.
 */
export class ChatStreamDecoder implements SseDecoder {
  private started = false;
  private finished = false;
  private reasoning: { id: string; text: string } | null = null;
  private message: { id: string; text: string } | null = null;
  private readonly calls = new Map<number, PendingCall>();
  private usage: TokenUsageBreakdown | null = null;
  private responseId = "";

  constructor(private readonly log?: Logger) {}

  data(raw: string): { events: ModelEvent[]; done?: boolean } {
    if (raw.trim() === "[DONE]") return { events: this.complete(), done: true };
    let chunk: unknown;
    try {
      chunk = JSON.parse(raw);
    } catch {
      this.log?.debug({ data: raw.slice(0, 200) }, "skipping non-JSON chat SSE data");
      return { events: [] };
    }
    if (!isObject(chunk)) return { events: [] };
    // vLLM and Ollama report failures inside a 200 stream as `{"error": {...}}`.
    if (chunk["error"] !== undefined) throw classifyFailedEvent(isObject(chunk["error"]) ? chunk["error"] : { message: String(chunk["error"]) });
    const events: ModelEvent[] = [];
    if (!this.started) {
      this.started = true;
      events.push({ type: "created" });
    }
    if (typeof chunk["id"] === "string" && this.responseId === "") this.responseId = chunk["id"];
    const usage = mapChatUsage(chunk["usage"]);
    if (usage) this.usage = usage;
    const choice = Array.isArray(chunk["choices"]) ? (chunk["choices"] as unknown[])[0] : undefined;
    if (!isObject(choice)) return { events };
    const delta = isObject(choice["delta"]) ? choice["delta"] : {};
    const thinking = reasoningDelta(delta);
    if (thinking !== "") {
      if (!this.reasoning) {
        this.reasoning = { id: `rs_${uuidv7()}`, text: "" };
        events.push({ type: "outputItemAdded", item: { type: "reasoning", id: this.reasoning.id, summary: [], content: [] } });
      }
      this.reasoning.text += thinking;
      events.push({ type: "reasoningTextDelta", itemId: this.reasoning.id, contentIndex: 0, delta: thinking });
    }
    if (typeof delta["content"] === "string" && delta["content"] !== "") {
      if (!this.message) {
        this.message = { id: `msg_${uuidv7()}`, text: "" };
        events.push({ type: "outputItemAdded", item: { type: "message", role: "assistant", id: this.message.id, content: [] } });
      }
      this.message.text += delta["content"];
      events.push({ type: "outputTextDelta", itemId: this.message.id, delta: delta["content"] });
    }
    if (Array.isArray(delta["tool_calls"])) {
      for (const [position, fragment] of (delta["tool_calls"] as unknown[]).entries()) {
        if (!isObject(fragment)) continue;
        const index = typeof fragment["index"] === "number" ? fragment["index"] : position;
        const call = this.calls.get(index) ?? { id: "", name: "", args: "" };
        if (typeof fragment["id"] === "string" && call.id === "") call.id = fragment["id"];
        const fn = isObject(fragment["function"]) ? fragment["function"] : {};
        if (typeof fn["name"] === "string" && call.name === "") call.name = fn["name"];
        if (typeof fn["arguments"] === "string") call.args += fn["arguments"];
        this.calls.set(index, call);
      }
    }
    if (typeof choice["finish_reason"] === "string") {
      this.finished = true;
      events.push(...this.flush());
    }
    return { events };
  }

  eof(): ModelEvent[] {
    if (!this.finished) throw streamDisconnected("stream closed before [DONE]");
    return this.complete();
  }

  /** The items gathered so far, final; a later finish_reason or [DONE] flushes only what came after. */
  private flush(): ModelEvent[] {
    const out: ModelEvent[] = [];
    if (this.reasoning) {
      const { id, text } = this.reasoning;
      out.push({ type: "outputItemDone", item: { type: "reasoning", id, summary: [], content: [{ type: "reasoning_text", text }], encrypted_content: null } });
      this.reasoning = null;
    }
    if (this.message) {
      const { id, text } = this.message;
      out.push({ type: "outputItemDone", item: { type: "message", role: "assistant", id, content: [{ type: "output_text", text }] } });
      this.message = null;
    }
    for (const index of [...this.calls.keys()].sort((a, b) => a - b)) {
      const call = this.calls.get(index) as PendingCall;
      // Some local servers stream calls without ids; the engine and the next request need one.
      const item: ResponseItem = { type: "function_call", name: call.name, arguments: call.args, call_id: call.id || `call_${uuidv7()}` };
      out.push({ type: "outputItemDone", item });
    }
    this.calls.clear();
    return out;
  }

  private complete(): ModelEvent[] {
    const events = this.flush();
    if (!this.started) events.unshift({ type: "created" });
    this.started = true;
    events.push({ type: "completed", responseId: this.responseId, usage: this.usage });
    return events;
  }
}

export class ChatClient {
  private readonly transport: SseTransport;

  constructor(
    readonly provider: ModelProviderInfo,
    private readonly opts: ChatClientOptions,
  ) {
    this.transport = new SseTransport(provider, opts);
  }

  /** One sampling round, with ResponsesClient.stream's contract. */
  async *stream(request: ModelRequest, signal: AbortSignal): AsyncGenerator<ModelEvent, void, undefined> {
    const headers = requestHeaders(this.provider, request, this.opts);
    const url = chatUrl(this.provider);
    const body = jsonPieces(chatRequestBody(request), "messages");
    yield* this.transport.stream(url, headers, body, signal, new ChatStreamDecoder(this.opts.log));
  }
}
