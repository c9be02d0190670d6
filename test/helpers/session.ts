// An e2e session: the real daemon configured against a loopback mock model, with what the test sent
// kept so the transcript can be validated against the reference schema (wire-check traffic).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { startDaemon, type Json, type RawDaemon } from "./daemon.js";
import { REF_DIR } from "./globalSetup.js";
import type { TempHome } from "./home.js";
import { startMockResponses, type MockResponses, type ScriptEntry } from "./mockResponses.js";
import {
  asResponse,
  isNotification,
  isServerRequest,
  resultOf,
  type Method,
  type Notification,
  type NotificationParams,
  type ParamsArg,
  type Response,
  type Result,
  type ServerNotificationMethod,
  type ServerRequest,
  type ServerRequestMethod,
  type ServerRequestParams,
  type ServerRequestResult,
} from "./protocol.js";
import { wireCheckTraffic } from "./wireCheck.js";

export const REF_SCHEMA = join(REF_DIR, "0.169.0/schema-json");

export interface Session {
  readonly daemon: RawDaemon;
  readonly mock: MockResponses;
  readonly sent: Json[];
  /** The whole response (result or error). */
  request<M extends Method>(method: M, ...params: ParamsArg<M>): Promise<Response<M>>;
  /** The result of a request that must succeed. */
  result<M extends Method>(method: M, ...params: ParamsArg<M>): Promise<Result<M>>;
  /** For callers that name the result's type themselves: unchecked beyond being some result of the table's. */
  result<T extends Result<M>, M extends Method = Method>(method: M, ...params: ParamsArg<M>): Promise<T>;
  /** Sends what the protocol does not allow (an unknown method, params of the wrong shape) on purpose. */
  requestRaw(method: string, params?: unknown): Promise<Json>;
  /** A notification with this method (and matching params), searching from message index `from`. */
  notification<M extends ServerNotificationMethod>(method: M, match?: (params: NotificationParams<M>) => boolean, from?: number): Promise<Notification<M>>;
  /** A server request with this method (and matching params), searching from message index `from`. */
  serverRequest<M extends ServerRequestMethod>(method: M, match?: (params: ServerRequestParams<M>) => boolean, from?: number): Promise<ServerRequest<M>>;
  /** Answers a server request (kept in `sent` with the rest). */
  respond<M extends ServerRequestMethod>(req: ServerRequest<M>, result: ServerRequestResult<M>): void;
  /** Writes the transcript and asserts that wire-check finds every message valid under 0.169. */
  checkWire(): void;
  stop(): Promise<void>;
}

let nextId = 1;

export function mockConfig(baseUrl: string, extra = ""): string {
  return `model = "gpt-5.5"
model_provider = "mock"
approval_policy = "never"
sandbox_mode = "read-only"

[model_providers.mock]
name = "mock"
base_url = "${baseUrl}"
wire_api = "responses"
request_max_retries = 0
stream_max_retries = 0
${extra}`;
}

export async function startSession(
  opts: { script?: ScriptEntry[]; home?: TempHome; config?: (baseUrl: string) => string; env?: NodeJS.ProcessEnv } = {},
): Promise<Session> {
  const mock = await startMockResponses({ script: opts.script ?? [] });
  const config = (opts.config ?? mockConfig)(mock.baseUrl);
  const daemon = startDaemon({ config, ...(opts.home ? { home: opts.home } : {}), ...(opts.env ? { env: opts.env } : {}) });
  const sent: Json[] = [];
  const session: Session = {
    daemon,
    mock,
    sent,
    requestRaw(method, params) {
      const id = nextId++;
      const msg: Json = params === undefined ? { id, method } : { id, method, params };
      sent.push(msg);
      daemon.sendJson(msg);
      return daemon.response(id, 30_000);
    },
    async request<M extends Method>(method: M, ...[params]: ParamsArg<M>) {
      return asResponse(method, await session.requestRaw(method, params));
    },
    async result(method: Method, params?: unknown) {
      return resultOf(method, asResponse(method, await session.requestRaw(method, params)));
    },
    notification(method, match, from = 0) {
      return daemon.waitFor(isNotification(method, match), 30_000, from);
    },
    serverRequest(method, match, from = 0) {
      return daemon.waitFor(isServerRequest(method, match), 30_000, from);
    },
    respond(req, result) {
      const msg: Json = { id: req.id, result };
      sent.push(msg);
      daemon.sendJson(msg);
    },
    checkWire() {
      const file = join(daemon.home.base, "transcript.jsonl");
      const lines = [...sent.map((msg) => ({ dir: "in", msg })), ...daemon.messages.map((msg) => ({ dir: "out", msg }))];
      writeFileSync(file, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
      const check = wireCheckTraffic(REF_SCHEMA, file);
      expect(check.stdout).toMatch(/server messages valid/);
      expect(check.stdout).not.toMatch(/INVALID/);
      expect(check.status, check.stdout + check.stderr).toBe(0);
    },
    async stop() {
      await daemon.stop();
      await mock.close();
    },
  };
  const init: Json = {
    id: nextId++,
    method: "initialize",
    params: { clientInfo: { name: "gatehouse-test", title: null, version: "0.0.1" }, capabilities: { experimentalApi: true } },
  };
  sent.push(init);
  daemon.sendJson(init);
  await daemon.response(init["id"], 30_000);
  sent.push({ method: "initialized" });
  daemon.sendJson({ method: "initialized" });
  return session;
}
