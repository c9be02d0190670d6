// A loopback stand-in for a Chat Completions server (Ollama, LM Studio, vLLM, the OpenAI chat API):
// each POST to /v1/chat/completions (or /chat/completions) takes the next scripted action; every
// request is recorded with its headers and parsed body. Chunks go out as bare `data:` lines (no
// `event:`), ended by `data: [DONE]`, as those servers send them.
import http from "node:http";
import { listenOnLoopback } from "../../server/core/model/loopback.js";

export type ChatChunk = Record<string, unknown>;

export type ChatAction =
  /** 200 with these chunks; `done: false` leaves out the final `data: [DONE]`. */
  | { kind: "sse"; chunks: ChatChunk[]; done?: boolean }
  | { kind: "status"; status: number; body?: unknown }
  /** 200, these chunks, then the socket is destroyed mid-body. */
  | { kind: "drop"; chunks: ChatChunk[] };

export interface ChatRecordedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown> | null;
}

export interface MockChat {
  /** `http://127.0.0.1:PORT/v1` */
  readonly baseUrl: string;
  readonly requests: ChatRecordedRequest[];
  enqueue(...actions: ChatAction[]): void;
  close(): Promise<void>;
}

const base = (delta: Record<string, unknown>, finish: string | null = null): ChatChunk => ({
  id: "chatcmpl-mock",
  object: "chat.completion.chunk",
  created: 1,
  model: "mock",
  choices: [{ index: 0, delta, finish_reason: finish }],
});

/** Content deltas, one per piece. The first carries the role, as the OpenAI server sends it. */
export function chatText(...pieces: string[]): ChatChunk[] {
  return pieces.map((content, i) => base(i === 0 ? { role: "assistant", content } : { content }));
}

/** Raw reasoning deltas in Ollama's `reasoning` field. */
export function chatReasoning(...pieces: string[]): ChatChunk[] {
  return pieces.map((reasoning) => base({ reasoning }));
}

/** One tool call at `index`, its arguments split across `parts` fragments (id and name only on the first). */
export function chatToolCall(index: number, id: string, name: string, args: string, parts = 3): ChatChunk[] {
  const size = Math.max(1, Math.ceil(args.length / parts));
  const out: ChatChunk[] = [];
  for (let i = 0; i === 0 || i < args.length; i += size) {
    const fragment = args.slice(i, i + size);
    const call = i === 0 ? { index, id, type: "function", function: { name, arguments: fragment } } : { index, function: { arguments: fragment } };
    out.push(base({ tool_calls: [call] }));
  }
  return out;
}

export function chatFinish(reason: "stop" | "tool_calls" | "length"): ChatChunk {
  return base({}, reason);
}

/** The usage-only chunk `stream_options.include_usage` asks for (empty choices). */
export function chatUsage(prompt: number, completion: number, cached = 0): ChatChunk {
  return {
    id: "chatcmpl-mock",
    object: "chat.completion.chunk",
    choices: [],
    usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion, prompt_tokens_details: { cached_tokens: cached } },
  };
}

export function chatSse(...chunks: (ChatChunk | ChatChunk[])[]): ChatAction {
  return { kind: "sse", chunks: chunks.flat() };
}

export async function startMockChat(script: ChatAction[] = []): Promise<MockChat> {
  const queue = [...script];
  const requests: ChatRecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const url = new URL(req.url ?? "/", "http://x");
      let body: Record<string, unknown> | null = null;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
      } catch {
        body = null;
      }
      requests.push({ path: url.pathname, headers: req.headers, body });
      if (req.method !== "POST" || !/^(\/v1)?\/chat\/completions$/.test(url.pathname)) {
        res.writeHead(404, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: `mock: nothing at ${req.method} ${url.pathname}` } }));
        return;
      }
      const action = queue.shift() ?? chatSse(chatText("mock: no more scripted responses"), chatFinish("stop"));
      if (action.kind === "status") {
        res.writeHead(action.status, { "content-type": "application/json" });
        res.end(JSON.stringify(action.body ?? { error: { message: "mock error" } }));
        return;
      }
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      for (const c of action.chunks) res.write(`data: ${JSON.stringify(c)}\n\n`);
      if (action.kind === "drop") {
        res.write("", () => req.socket.destroy());
        return;
      }
      if (action.done !== false) res.write("data: [DONE]\n\n");
      res.end();
    })();
  });
  const listener = await listenOnLoopback(server);
  return {
    baseUrl: `http://127.0.0.1:${listener.port}/v1`,
    requests,
    enqueue: (...actions) => void queue.push(...actions),
    close: () => listener.close(),
  };
}
