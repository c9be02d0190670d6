// Builders for Responses SSE events, in the shapes the reference was observed against
// (../shared/conformance/mock-model.mjs): the demo provider serves them, and the test mock
// (test/helpers/mockResponses.ts) re-exports them so tests script the same wire.

export interface SseEvent {
  type: string;
  [key: string]: unknown;
}

/** One SSE frame; `event:` mirrors the type, though clients must dispatch on `data.type`. */
export function sseFrame(ev: SseEvent): string {
  return `event: ${ev.type}\ndata: ${JSON.stringify(ev)}\n\n`;
}

export function evCreated(id = "resp_mock"): SseEvent {
  return { type: "response.created", response: { id } };
}

/** Splits text into `n` roughly equal pieces, as mock-model.mjs does. */
export function pieces(text: string, n = 3): string[] {
  if (!text) return [""];
  const size = Math.max(1, Math.ceil(text.length / n));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** An assistant message streamed in `chunks` deltas (a number of pieces, or the pieces themselves). */
export function evMessage(id: string, text: string, chunks: number | string[] = 3): SseEvent[] {
  const parts = Array.isArray(chunks) ? chunks : pieces(text, chunks);
  return [
    { type: "response.output_item.added", item: { type: "message", role: "assistant", id, status: "in_progress", content: [] } },
    { type: "response.content_part.added", item_id: id, content_index: 0, part: { type: "output_text", text: "", annotations: [] } },
    ...parts.map((delta) => ({ type: "response.output_text.delta", item_id: id, content_index: 0, delta })),
    { type: "response.output_text.done", item_id: id, content_index: 0, text },
    evMessageDone(id, text),
  ];
}

/** Only the final item, with no `.added` and no deltas (a legal non-streamed message). */
export function evMessageDone(id: string, text: string): SseEvent {
  return {
    type: "response.output_item.done",
    item: { type: "message", role: "assistant", id, status: "completed", content: [{ type: "output_text", text, annotations: [] }] },
  };
}

export function evReasoning(id: string, summary: string[], opts: { encryptedContent?: string | null; raw?: string[] } = {}): SseEvent[] {
  const events: SseEvent[] = [{ type: "response.output_item.added", item: { type: "reasoning", id, summary: [] } }];
  summary.forEach((text, i) => {
    events.push({ type: "response.reasoning_summary_part.added", item_id: id, summary_index: i });
    events.push({ type: "response.reasoning_summary_text.delta", item_id: id, summary_index: i, delta: text });
  });
  (opts.raw ?? []).forEach((text, i) => events.push({ type: "response.reasoning_text.delta", item_id: id, content_index: i, delta: text }));
  events.push({
    type: "response.output_item.done",
    item: {
      type: "reasoning",
      id,
      summary: summary.map((text) => ({ type: "summary_text", text })),
      ...(opts.raw ? { content: opts.raw.map((text) => ({ type: "reasoning_text", text })) } : {}),
      encrypted_content: opts.encryptedContent ?? null,
    },
  });
  return events;
}

export function evFunctionCall(callId: string, name: string, args: string | Record<string, unknown>, id = `fc_${callId}`): SseEvent[] {
  const item = { type: "function_call", id, status: "completed", name, arguments: typeof args === "string" ? args : JSON.stringify(args), call_id: callId };
  return [
    { type: "response.output_item.added", item: { ...item, status: "in_progress" } },
    { type: "response.output_item.done", item },
  ];
}

export function evCustomToolCall(callId: string, name: string, input: string, id = `ctc_${callId}`): SseEvent[] {
  const item = { type: "custom_tool_call", id, status: "completed", name, input, call_id: callId };
  return [
    { type: "response.output_item.added", item: { ...item, status: "in_progress" } },
    { type: "response.output_item.done", item },
  ];
}

export interface MockUsage {
  input_tokens: number;
  input_tokens_details?: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details?: { reasoning_tokens: number };
  total_tokens: number;
}

export const DEFAULT_USAGE: MockUsage = {
  input_tokens: 100,
  input_tokens_details: { cached_tokens: 0 },
  output_tokens: 10,
  output_tokens_details: { reasoning_tokens: 0 },
  total_tokens: 110,
};

export function evCompleted(usage: MockUsage | null = DEFAULT_USAGE, id = "resp_mock"): SseEvent {
  return { type: "response.completed", response: usage ? { id, usage } : { id } };
}

export function evFailed(code: string, message: string, id = "resp_mock"): SseEvent {
  return { type: "response.failed", response: { id, error: { code, message } } };
}

export function evIncomplete(reason: string, id = "resp_mock"): SseEvent {
  return { type: "response.incomplete", response: { id, incomplete_details: { reason } } };
}

/** A tool_search call as 0.169 accepts it: `arguments` an object, `execution` "client". */
export function evToolSearchCall(callId: string, args: Record<string, unknown>, id = `tsc_${callId}`): SseEvent[] {
  const item = { type: "tool_search_call", id, call_id: callId, status: "completed", execution: "client", arguments: args };
  return [
    { type: "response.output_item.added", item: { ...item, status: "in_progress" } },
    { type: "response.output_item.done", item },
  ];
}

/** A call of a namespaced tool (an MCP server's, or a client's namespace): `namespace` beside `name`. */
export function evNamespacedFunctionCall(
  callId: string,
  namespace: string,
  name: string,
  args: string | Record<string, unknown>,
  id = `fc_${callId}`,
): SseEvent[] {
  const item = {
    type: "function_call",
    id,
    status: "completed",
    namespace,
    name,
    arguments: typeof args === "string" ? args : JSON.stringify(args),
    call_id: callId,
  };
  return [
    { type: "response.output_item.added", item: { ...item, status: "in_progress" } },
    { type: "response.output_item.done", item },
  ];
}
