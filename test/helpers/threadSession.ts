// A daemon session for thread-history e2e tests: the daemon on a loopback Responses mock, every
// request it is sent recorded (so the transcript can be checked with wire-check), and helpers for
// the steps those tests repeat (start a thread, run a turn to its end).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startDaemon, type Json, type RawDaemon } from "./daemon.js";
import type { TempHome } from "./home.js";
import type { MockResponses } from "./mockResponses.js";
import {
  asResponse,
  isNotification,
  resultOf,
  type Method,
  type Notification,
  type NotificationParams,
  type ParamsArg,
  type Response,
  type Result,
  type ServerNotificationMethod,
} from "./protocol.js";

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
  async request<M extends Method>(method: M, ...[params]: ParamsArg<M>): Promise<Response<M>> {
    const id = this.next++;
    const msg = params === undefined ? { id, method } : { id, method, params };
    this.sent.push(msg);
    this.daemon.sendJson(msg);
    return asResponse(method, await this.daemon.response(id, 20_000));
  }

  /** The result; throws on an error response. */
  async call<M extends Method>(method: M, ...params: ParamsArg<M>): Promise<Result<M>> {
    return resultOf(method, await this.request(method, ...params));
  }

  async startThread(): Promise<string> {
    const r = await this.call("thread/start", { cwd: this.daemon.home.base });
    return r.thread.id;
  }

  /** Runs a turn to turn/completed; returns the completed turn. */
  async turn(threadId: string, text: string): Promise<NotificationParams<"turn/completed">["turn"]> {
    const from = this.daemon.messages.length;
    const r = await this.call("turn/start", { threadId, input: [{ type: "text", text }] });
    const done = await this.notification("turn/completed", from, (p) => p.turn.id === r.turn.id);
    return done.params.turn;
  }

  /** Waits for a notification emitted after message index `from`. */
  notification<M extends ServerNotificationMethod>(method: M, from = 0, where?: (p: NotificationParams<M>) => boolean): Promise<Notification<M>> {
    return this.daemon.waitFor(isNotification(method, where), 20_000, from);
  }

  transcript(file = join(this.daemon.home.base, "transcript.jsonl")): string {
    const lines = [...this.sent.map((msg) => ({ dir: "in", msg })), ...this.daemon.messages.map((msg) => ({ dir: "out", msg }))];
    writeFileSync(file, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
    return file;
  }
}
