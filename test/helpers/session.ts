// An e2e session: the real daemon configured against a loopback mock model, with what the test sent
// kept so the transcript can be validated against the reference schema (wire-check traffic).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { startDaemon, type Json, type RawDaemon } from "./daemon.js";
import { REF_DIR } from "./globalSetup.js";
import type { TempHome } from "./home.js";
import { startMockResponses, type MockResponses, type ScriptEntry } from "./mockResponses.js";
import { wireCheckTraffic } from "./wireCheck.js";

export const REF_SCHEMA = join(REF_DIR, "0.169.0/schema-json");

export interface Session {
  readonly daemon: RawDaemon;
  readonly mock: MockResponses;
  readonly sent: Json[];
  request(method: string, params?: unknown): Promise<Json>;
  /** The result of a request that must succeed. */
  result<T = Json>(method: string, params?: unknown): Promise<T>;
  /** A notification with this method (and matching params), searching from message index `from`. */
  notification(method: string, match?: (params: Json) => boolean, from?: number): Promise<Json>;
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

export async function startSession(opts: { script?: ScriptEntry[]; home?: TempHome; config?: (baseUrl: string) => string; env?: NodeJS.ProcessEnv } = {}): Promise<Session> {
  const mock = await startMockResponses({ script: opts.script ?? [] });
  const config = (opts.config ?? mockConfig)(mock.baseUrl);
  const daemon = startDaemon({ config, ...(opts.home ? { home: opts.home } : {}), ...(opts.env ? { env: opts.env } : {}) });
  const sent: Json[] = [];
  const session: Session = {
    daemon,
    mock,
    sent,
    request(method, params) {
      const id = nextId++;
      const msg: Json = params === undefined ? { id, method } : { id, method, params };
      sent.push(msg);
      daemon.sendJson(msg);
      return daemon.response(id, 30_000);
    },
    async result<T>(method: string, params?: unknown): Promise<T> {
      const r = await session.request(method, params);
      if (!("result" in r)) throw new Error(`${method} failed: ${JSON.stringify(r["error"])}`);
      return r["result"] as T;
    },
    notification(method, match = () => true, from = 0) {
      return daemon.waitFor((m) => m["method"] === method && !("id" in m) && match((m["params"] ?? {}) as Json), 30_000, from);
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
  const init: Json = { id: nextId++, method: "initialize", params: { clientInfo: { name: "gatehouse-test", title: null, version: "0.0.1" }, capabilities: { experimentalApi: true } } };
  sent.push(init);
  daemon.sendJson(init);
  await daemon.response(init["id"], 30_000);
  sent.push({ method: "initialized" });
  daemon.sendJson({ method: "initialized" });
  return session;
}
