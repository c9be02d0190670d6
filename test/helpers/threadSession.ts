// A daemon session for thread-history e2e tests: the daemon on a loopback Responses mock, every
// request it is sent recorded (so the transcript can be checked with wire-check), and helpers for
// the steps those tests repeat (start a thread, run a turn to its end).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startDaemon, type Json, type RawDaemon } from "./daemon.js";
import type { TempHome } from "./home.js";
import type { MockResponses } from "./mockResponses.js";

export function mockConfig(mock: MockResponses, extra = ""): string {
  return `model = "gpt-5.5"
model_provider = "mock"
approval_policy = "never"
sandbox_mode = "read-only"
${extra}

[model_providers.mock]
name = "mock"
base_url = "${mock.baseUrl}"
wire_api = "responses"
request_max_retries = 0
stream_max_retries = 0
`;
}

export class ThreadSession {
  readonly sent: Json[] = [];
  private next = 1;

  constructor(readonly daemon: RawDaemon) {}

  static async start(mock: MockResponses, opts: { home?: TempHome; extraConfig?: string } = {}): Promise<ThreadSession> {
    const daemon = startDaemon({ config: mockConfig(mock, opts.extraConfig), ...(opts.home ? { home: opts.home } : {}) });
    const s = new ThreadSession(daemon);
    await s.call("initialize", { clientInfo: { name: "gatehouse-test", version: "0.0.1" }, capabilities: { experimentalApi: true } });
    s.notify("initialized");
    return s;
  }

  notify(method: string, params?: unknown): void {
    const msg = params === undefined ? { method } : { method, params };
    this.sent.push(msg);
    this.daemon.sendJson(msg);
  }

  /** The whole response (result or error). */
  async raw(method: string, params?: unknown): Promise<Json> {
    const id = this.next++;
    const msg = params === undefined ? { id, method } : { id, method, params };
    this.sent.push(msg);
    this.daemon.sendJson(msg);
    return this.daemon.response(id, 20_000);
  }

  /** The result; throws on an error response. */
  async call<T = Json>(method: string, params?: unknown): Promise<T> {
    const res = await this.raw(method, params);
    if ("error" in res) throw new Error(`${method}: ${JSON.stringify(res["error"])}`);
    return res["result"] as T;
  }

  async startThread(): Promise<string> {
    const r = await this.call<{ thread: { id: string } }>("thread/start", { cwd: this.daemon.home.base });
    return r.thread.id;
  }

  /** Runs a turn to turn/completed; returns the completed turn. */
  async turn(threadId: string, text: string): Promise<{ id: string; status: string }> {
    const from = this.daemon.messages.length;
    const r = await this.call<{ turn: { id: string } }>("turn/start", { threadId, input: [{ type: "text", text }] });
    const done = await this.daemon.waitFor((m) => m["method"] === "turn/completed" && (m["params"] as { turn: { id: string } }).turn.id === r.turn.id, 20_000, from);
    return (done["params"] as { turn: { id: string; status: string } }).turn;
  }

  /** Waits for a notification emitted after message index `from`. */
  notification(method: string, from = 0, where: (p: Json) => boolean = () => true): Promise<Json> {
    return this.daemon.waitFor((m) => m["method"] === method && where(m["params"] as Json), 20_000, from);
  }

  transcript(file = join(this.daemon.home.base, "transcript.jsonl")): string {
    const lines = [...this.sent.map((msg) => ({ dir: "in", msg })), ...this.daemon.messages.map((msg) => ({ dir: "out", msg }))];
    writeFileSync(file, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
    return file;
  }
}
