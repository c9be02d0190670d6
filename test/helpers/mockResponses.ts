// A loopback stand-in for the Responses API for unit and e2e tests. Each POST to /v1/responses (or
// /responses) takes the next scripted action; every request is recorded with its headers and parsed
// JSON body so tests can check what was sent to the model.
//
// The event builders (server/core/model/sseEvents.ts, re-exported here) produce the same shapes as ../shared/conformance/mock-model.mjs (which is what the
// reference binaries were observed against), so a test written here and a conformance scenario exercise
// the same wire. Unlike that mock, a script here is a list of raw actions: exact SSE events, HTTP errors,
// a stream dropped mid-way, a stream that hangs, a connection reset.
import http from "node:http";

import { evCompleted, evCreated, evMessage, sseFrame, type SseEvent } from "../../server/core/model/sseEvents.js";
import { listenOnLoopback } from "../../server/core/model/loopback.js";

export * from "../../server/core/model/sseEvents.js";

export type MockAction =
  /** 200 with these events, then a clean end of the body. */
  | { kind: "sse"; events: SseEvent[]; chunkDelayMs?: number; headers?: Record<string, string> }
  /** An HTTP error answer (JSON body unless `body` is a string). */
  | { kind: "status"; status: number; body?: unknown; headers?: Record<string, string> }
  /** 200, these events, then the socket is destroyed without finishing the body. */
  | { kind: "drop"; events: SseEvent[] }
  /** 200, these events, then nothing until the client goes away or the mock closes. */
  | { kind: "hang"; events: SseEvent[] }
  /** The socket is destroyed before any response: the client sees a connection error. */
  | { kind: "reset" };

export interface RecordedRequest {
  seq: number;
  method: string;
  path: string;
  query: string;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  /** The parsed JSON body, or null when it did not parse. */
  body: Record<string, unknown> | null;
  /** The action that answered it. */
  action: MockAction["kind"];
  /** Settles when the answer is finished or its connection is gone (a cancelled request lands here). */
  closed: Promise<void>;
}

export type ScriptEntry = MockAction | ((req: RecordedRequest) => MockAction);

type EvInput = SseEvent | SseEvent[];
const flat = (events: EvInput[]): SseEvent[] => events.flatMap((e) => (Array.isArray(e) ? e : [e]));

export function sse(...events: EvInput[]): MockAction {
  return { kind: "sse", events: flat(events) };
}
export function sseSlow(chunkDelayMs: number, ...events: EvInput[]): MockAction {
  return { kind: "sse", events: flat(events), chunkDelayMs };
}
export function httpError(status: number, body?: unknown, headers?: Record<string, string>): MockAction {
  return { kind: "status", status, ...(body !== undefined ? { body } : {}), ...(headers ? { headers } : {}) };
}
export function dropAfter(...events: EvInput[]): MockAction {
  return { kind: "drop", events: flat(events) };
}
export function hang(...events: EvInput[]): MockAction {
  return { kind: "hang", events: events.length ? flat(events) : [evCreated()] };
}
export function resetConnection(): MockAction {
  return { kind: "reset" };
}

/** A whole response: created, the given items, completed. */
/**
 * A daemon's config.toml against this mock: model and policies at the top, then `tables` (any TOML
 * tables the test needs), then the mock provider, which never retries (a failing answer fails at once).
 */
export function mockDaemonConfig(baseUrl: string, o: { model?: string; approvalPolicy?: string; sandboxMode?: string; tables?: string } = {}): string {
  return `model = "${o.model ?? "gpt-5.5"}"
model_provider = "mock"
approval_policy = "${o.approvalPolicy ?? "never"}"
sandbox_mode = "${o.sandboxMode ?? "read-only"}"
${o.tables ?? ""}
[model_providers.mock]
name = "mock"
base_url = "${baseUrl}"
wire_api = "responses"
request_max_retries = 0
stream_max_retries = 0
`;
}

export function turn(...items: EvInput[]): MockAction {
  return sse(evCreated(), ...items, evCompleted());
}

export interface MockResponses {
  /** `http://127.0.0.1:PORT/v1`, the value for a provider's base_url. */
  readonly baseUrl: string;
  readonly requests: RecordedRequest[];
  /** The recorded POSTs to …/responses. */
  responsesRequests(): RecordedRequest[];
  enqueue(...entries: ScriptEntry[]): void;
  remaining(): number;
  waitForRequests(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface MockResponsesOptions {
  script?: ScriptEntry[];
  /** Answers requests once the script is used up; by default a short assistant message. */
  fallback?: ScriptEntry;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function startMockResponses(opts: MockResponsesOptions = {}): Promise<MockResponses> {
  const queue: ScriptEntry[] = [...(opts.script ?? [])];
  const fallback: ScriptEntry = opts.fallback ?? turn(evMessage("msg_fallback", "mock: no more scripted responses"));
  const requests: RecordedRequest[] = [];
  const waiters = new Set<() => void>();
  let seq = 0;

  const server = http.createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const rawBody = Buffer.concat(chunks).toString("utf8");
      let body: Record<string, unknown> | null = null;
      try {
        const parsed: unknown = rawBody ? JSON.parse(rawBody) : null;
        body = typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
      } catch {
        body = null;
      }
      const url = new URL(req.url ?? "/", "http://x");
      const isResponses = req.method === "POST" && (url.pathname === "/v1/responses" || url.pathname === "/responses");
      const closed = new Promise<void>((resolve) => res.once("close", () => resolve()));
      const rec: RecordedRequest = {
        seq: ++seq,
        method: req.method ?? "",
        path: url.pathname,
        query: url.search,
        headers: req.headers,
        rawBody,
        body,
        action: "status",
        closed,
      };
      if (!isResponses) {
        requests.push(rec);
        for (const w of waiters) w();
        res.writeHead(404, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: `mock: nothing at ${req.method} ${url.pathname}` } }));
        return;
      }
      const entry = queue.shift() ?? fallback;
      const action = typeof entry === "function" ? entry(rec) : entry;
      rec.action = action.kind;
      requests.push(rec);
      for (const w of waiters) w();
      const send = (ev: SseEvent) => res.write(sseFrame(ev));
      switch (action.kind) {
        case "reset":
          req.socket.destroy();
          return;
        case "status": {
          const isText = typeof action.body === "string";
          res.writeHead(action.status, { "content-type": isText ? "text/plain" : "application/json", ...action.headers });
          res.end(isText ? (action.body as string) : JSON.stringify(action.body ?? { error: { message: "mock error", type: "server_error" } }));
          return;
        }
        case "sse":
        case "drop":
        case "hang": {
          res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", ...(action.kind === "sse" ? action.headers : {}) });
          for (const ev of action.events) {
            if (res.destroyed) return;
            send(ev);
            if (action.kind === "sse" && action.chunkDelayMs) await sleep(action.chunkDelayMs);
          }
          if (action.kind === "sse") res.end();
          // The events must reach the client before the socket goes: a destroy right after write can
          // discard what is still buffered.
          else if (action.kind === "drop") res.write("", () => req.socket.destroy());
          return;
        }
      }
    })();
  });
  const listener = await listenOnLoopback(server);
  const responsesRequests = () => requests.filter((r) => r.method === "POST" && r.path.endsWith("/responses"));

  return {
    baseUrl: `http://127.0.0.1:${listener.port}/v1`,
    requests,
    responsesRequests,
    enqueue: (...entries) => void queue.push(...entries),
    remaining: () => queue.length,
    waitForRequests(n, timeoutMs = 10_000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (responsesRequests().length < n) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${n} model requests (got ${responsesRequests().length})`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => listener.close(),
  };
}
