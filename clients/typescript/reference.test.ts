// The client against the reference server (codex app-server 0.169.0) on all three transports, because
// our own daemon is still being written and the reference is the protocol's ground truth.
//
// Each test starts its own reference process with a fresh CODEX_HOME and a separate fresh TMPDIR (the
// reference refuses to create its sandbox helper aliases when the home lies under TMPDIR), and a
// config.toml equal to shared/conformance/config/default.json rendered to TOML. The model provider
// points at a loopback mock; only the server-request test makes it answer.
//
// What the reference does on each transport (observed, and pinned below where it matters):
// - stdio: one JSON per line; it exits when stdin closes; it answers out of order (a slow request's
//   response can follow later ones).
// - unix://PATH: WebSocket over the unix socket (a bare JSON line is a failed HTTP upgrade and the
//   socket is closed); PATH becomes a symlink to /tmp/codex-daemon-<uid>/<hash>.
// - ws://127.0.0.1:PORT: no auth needed on loopback; any Origin header is refused with 403; /readyz
//   and /healthz answer 200; it drops the TCP connection on close without a close frame (code 1006).
// - After the initialize response it sends `remoteControl/status/changed` (not in our table).
// - Unknown method and "Not initialized" are both -32600 (we answer -32601 for the former, by design).
//
// The tests wait for events under a deadline (so a hang fails with a message) but assert no timings.
import { spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createServer as createNetServer } from "node:net";
import { homedir, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { RpcError } from "../../protocol/errors.js";
import { ConnectionClosedError } from "./client.js";
import type { ClientOptions, GatehouseClient } from "./client.js";
import { connectStdio } from "./stdioTransport.js";
import { connectUnixSocket } from "./unixSocketTransport.js";
import { connectWebSocket } from "./webSocketTransport.js";
import { wireCheckTraffic } from "../../test/helpers/wireCheck.js";
import { within } from "../../test/helpers/within.js";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const SHARED = resolve(REPO, "../shared");
const REF_DIR = process.env["REF_DIR"] || join(homedir(), ".cache/app-server-reference");
const REF_VERSION = "0.169.0";
const REF_BIN = join(REF_DIR, REF_VERSION, "bin/codex");

function ensureReference(): string | undefined {
  if (existsSync(REF_BIN)) return undefined;
  const script = join(SHARED, "tools/reference.sh");
  if (!existsSync(script)) return `the reference is not installed at ${REF_BIN} and ${script} is missing`;
  const run = spawnSync("bash", [script, REF_VERSION], { encoding: "utf8", timeout: 600_000 });
  if (existsSync(REF_BIN)) return undefined;
  return `the reference could not be installed (${script} ${REF_VERSION}: ${run.error?.message ?? run.stderr.trim().slice(-300)})`;
}
const notInstalled = ensureReference();
const referenceAvailable = notInstalled === undefined;
const because = notInstalled ? ` [skipped: ${notInstalled}]` : "";
if (notInstalled) process.stderr.write(`reference.test.ts: ${notInstalled}\n`);

const CONFIG = (modelBaseUrl: string): string => `model = "gpt-5.5"
model_provider = "mock"
approval_policy = "never"
sandbox_mode = "read-only"
check_for_update_on_startup = false

[features]
plugins = false
remote_plugin = false
apps = false
in_app_updates = false

[analytics]
enabled = false

[otel]
metrics_exporter = "none"

[model_providers.mock]
name = "conformance mock"
base_url = "${modelBaseUrl}"
wire_api = "responses"
request_max_retries = 0
stream_max_retries = 0
`;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Scratch {
  home: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

function scratch(modelBaseUrl = "http://127.0.0.1:9/v1"): Scratch {
  const base = mkdtempSync(join(tmpdir(), "gatehouse-client-"));
  const home = join(base, "home");
  const tmp = join(base, "tmpdir");
  const cwd = join(base, "cwd");
  for (const d of [home, tmp, cwd]) mkdirSync(d);
  writeFileSync(join(home, "config.toml"), CONFIG(modelBaseUrl));
  cleanups.push(() => rmSync(base, { recursive: true, force: true }));
  return { home, cwd, env: { ...process.env, CODEX_HOME: home, TMPDIR: tmp, NO_PROXY: "127.0.0.1,localhost,::1" } };
}

/** A reference daemon listening on a socket (the stdio case goes through connectStdio). */
function spawnListener(s: Scratch, listen: string): ChildProcess {
  const child = spawn(REF_BIN, ["app-server", "--listen", listen], { cwd: s.cwd, env: s.env, stdio: ["ignore", "ignore", "pipe"], detached: true });
  child.stderr?.resume();
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      process.kill(-child.pid, "SIGTERM");
      const timer = setTimeout(() => child.pid !== undefined && process.kill(-child.pid, "SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    }
  });
  return child;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createNetServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolvePort(port));
    });
  });
}

/** Retries `attempt` until it succeeds; the last error is reported if the deadline passes. */
async function retry<T>(attempt: () => Promise<T>, ms: number, what: string): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (Date.now() > end) throw new Error(`${what} not ready within ${ms} ms: ${String(err)}`);
      await sleep(50);
    }
  }
}

type Transport = "stdio" | "unix" | "ws";

async function open(transport: Transport, s: Scratch, options: ClientOptions = {}): Promise<GatehouseClient> {
  let client: GatehouseClient;
  if (transport === "stdio") {
    client = await connectStdio({ command: REF_BIN, args: ["app-server"], env: s.env, cwd: s.cwd, ...options });
  } else if (transport === "unix") {
    const path = join(s.home, "app.sock");
    spawnListener(s, `unix://${path}`);
    client = await retry(() => connectUnixSocket(path, options), 20_000, "unix socket");
  } else {
    const port = await freePort();
    spawnListener(s, `ws://127.0.0.1:${port}`);
    await retry(
      async () => {
        const res = await fetch(`http://127.0.0.1:${port}/readyz`);
        if (res.status !== 200) throw new Error(`readyz ${res.status}`);
      },
      20_000,
      "WebSocket listener",
    );
    client = await connectWebSocket(`ws://127.0.0.1:${port}`, options);
  }
  cleanups.push(() => client.close());
  return client;
}

const CLIENT_INFO = { name: "gatehouse_client_test", title: null, version: "0.1.0" };

describe.each<Transport>(["stdio", "unix", "ws"])("reference %s", (transport) => {
  it.runIf(referenceAvailable)(
    `initialize returns a userAgent and the server's notifications arrive${because}`,
    async () => {
      const client = await open(transport, scratch());
      const seen: Array<{ method: string; params: unknown }> = [];
      const remoteControl = new Promise<unknown>((r) =>
        client.onAnyNotification((method, params) => {
          seen.push({ method, params });
          if (method === "remoteControl/status/changed") r(params);
        }),
      );
      const result = await within(client.initialize(CLIENT_INFO), 20_000, "initialize response");
      expect(result.userAgent).toMatch(/^gatehouse_client_test\/0\.169\.0 /);
      expect(result.codexHome).toBeTypeOf("string");
      expect(await within(remoteControl, 10_000, "remoteControl/status/changed")).toMatchObject({ status: "disabled" });
    },
    30_000,
  );

  it.runIf(referenceAvailable)(
    `configRequirements/read works, with results validated against our schema${because}`,
    async () => {
      const client = await open(transport, scratch(), { validateResults: true });
      await within(client.initialize(CLIENT_INFO), 20_000, "initialize response");
      const result = await within(client.request("configRequirements/read"), 10_000, "configRequirements/read response");
      expect(result).toEqual({ requirements: null, supportsIndependentSpeedModes: true });
    },
    30_000,
  );

  it.runIf(referenceAvailable)(
    `an unknown method and thread/start before initialize come back as RpcError${because}`,
    async () => {
      const client = await open(transport, scratch());
      const early = await within(
        client.request("thread/start", {}).catch((e: unknown) => e),
        20_000,
        "thread/start response",
      );
      expect(early).toBeInstanceOf(RpcError);
      expect(early).toMatchObject({ code: -32600, message: "Not initialized" });
      await within(client.initialize(CLIENT_INFO), 10_000, "initialize response");
      const unknown = await within(
        client.requestUntyped("nope/x", {}).catch((e: unknown) => e),
        10_000,
        "nope/x response",
      );
      expect(unknown).toBeInstanceOf(RpcError);
      expect((unknown as RpcError).code).toBe(-32600);
      expect((unknown as RpcError).message).toContain("unknown variant `nope/x`");
      // The connection still serves after the errors.
      await expect(within(client.request("configRequirements/read"), 10_000, "configRequirements/read response")).resolves.toHaveProperty("requirements");
    },
    30_000,
  );

  it.runIf(referenceAvailable)(
    `close() rejects pending requests and later calls${because}`,
    async () => {
      const client = await open(transport, scratch());
      await within(client.initialize(CLIENT_INFO), 20_000, "initialize response");
      const pending = client.request("configRequirements/read").catch((e: unknown) => e);
      await within(client.close(), 10_000, "close");
      expect(await within(pending, 5_000, "rejection of the pending request")).toBeInstanceOf(ConnectionClosedError);
      await expect(client.request("configRequirements/read")).rejects.toBeInstanceOf(ConnectionClosedError);
      expect(client.isClosed).toBe(true);
    },
    30_000,
  );
});

describe("reference stdio process", () => {
  it.runIf(referenceAvailable)(
    `close() kills the child, and its stderr is exposed line by line${because}`,
    async () => {
      const s = scratch();
      const lines: string[] = [];
      let gotLine!: () => void;
      const sawLine = new Promise<void>((r) => (gotLine = r));
      const client = await connectStdio({
        command: REF_BIN,
        args: ["app-server"],
        env: { ...s.env, RUST_LOG: "info" },
        cwd: s.cwd,
        onStderrLine: (l) => (lines.push(l), gotLine()),
      });
      cleanups.push(() => client.close());
      await within(client.initialize(CLIENT_INFO), 20_000, "initialize response");
      await within(sawLine, 10_000, "stderr line");
      expect(lines.join("\n")).toMatch(/INFO/);
      const pid = client.transport.pid;
      expect(pid).toBeTypeOf("number");
      await within(client.close(), 10_000, "close");
      const exit = await client.transport.exited;
      expect(exit.code !== null || exit.signal !== null).toBe(true);
      expect(() => process.kill(pid as number, 0)).toThrow(/ESRCH/);
    },
    30_000,
  );

  it.runIf(referenceAvailable)(
    `a server that dies rejects later requests with ConnectionClosedError naming the exit${because}`,
    async () => {
      const s = scratch();
      const client = await connectStdio({ command: REF_BIN, args: ["app-server"], env: s.env, cwd: s.cwd });
      cleanups.push(() => client.close());
      await within(client.initialize(CLIENT_INFO), 20_000, "initialize response");
      process.kill(client.transport.pid as number, "SIGKILL");
      await within(client.closed, 10_000, "connection end");
      const err = await client.request("configRequirements/read").catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConnectionClosedError);
      expect((err as Error).message).toContain("SIGKILL");
    },
    30_000,
  );

  it(`connectStdio rejects when the command cannot be started`, async () => {
    await expect(connectStdio({ command: join(tmpdir(), "no-such-gatehouse-binary") })).rejects.toThrow(/ENOENT/);
  });
});

describe("reference ws handshake", () => {
  it.runIf(referenceAvailable)(
    `an Origin header is refused with 403 and the connect call rejects${because}`,
    async () => {
      const s = scratch();
      const port = await freePort();
      spawnListener(s, `ws://127.0.0.1:${port}`);
      await retry(
        async () => {
          const res = await fetch(`http://127.0.0.1:${port}/readyz`);
          if (res.status !== 200) throw new Error(`readyz ${res.status}`);
        },
        20_000,
        "WebSocket listener",
      );
      await expect(connectWebSocket(`ws://127.0.0.1:${port}`, { origin: "http://localhost" })).rejects.toThrow(/403/);
      // Without Origin the same listener accepts.
      const client = await connectWebSocket(`ws://127.0.0.1:${port}`);
      cleanups.push(() => client.close());
      await expect(within(client.initialize(CLIENT_INFO), 20_000, "initialize response")).resolves.toHaveProperty("userAgent");
    },
    30_000,
  );
});

/** A loopback stand-in for the Responses API: each POST answers with the next scripted output items. */
async function mockModel(script: Array<Array<Record<string, unknown>>>): Promise<{ baseUrl: string; bodies: unknown[] }> {
  const bodies: unknown[] = [];
  const server = createServer((req, res) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (raw += c));
    req.on("end", () => {
      if (req.method !== "POST" || !/\/responses$/.test(req.url ?? "")) {
        res.writeHead(404).end();
        return;
      }
      bodies.push(JSON.parse(raw));
      const n = bodies.length;
      const items = script[n - 1] ?? [
        { type: "message", role: "assistant", id: `msg_${n}`, status: "completed", content: [{ type: "output_text", text: "done", annotations: [] }] },
      ];
      res.writeHead(200, { "content-type": "text/event-stream" });
      const send = (ev: Record<string, unknown>): boolean => res.write(`event: ${String(ev["type"])}\ndata: ${JSON.stringify(ev)}\n\n`);
      send({ type: "response.created", response: { id: `resp_${n}` } });
      items.forEach((item, i) => {
        send({ type: "response.output_item.added", output_index: i, item: { ...item, status: "in_progress" } });
        send({ type: "response.output_item.done", output_index: i, item });
      });
      const usage = {
        input_tokens: 10,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: 1,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: 11,
      };
      send({ type: "response.completed", response: { id: `resp_${n}`, usage } });
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  server.unref();
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, bodies };
}

/** One model turn that asks to run `command` through the exec_command tool. */
const shellCall = (command: string, callId: string): Array<Record<string, unknown>> => [
  {
    type: "function_call",
    id: `fc_${callId}`,
    status: "completed",
    name: "exec_command",
    call_id: callId,
    arguments: JSON.stringify({ cmd: command, yield_time_ms: 10_000 }),
  },
];

describe("reference server requests", () => {
  async function runApprovalTurn(register: (client: GatehouseClient) => void) {
    const model = await mockModel([shellCall("touch marker.txt", "call_marker_1")]);
    const s = scratch(model.baseUrl);
    const client = await connectStdio({ command: REF_BIN, args: ["app-server"], env: s.env, cwd: s.cwd, validateInbound: true });
    cleanups.push(() => client.close());
    const traffic: Array<{ dir: string; msg: unknown }> = [];
    client.onTraffic((dir, msg) => traffic.push({ dir, msg }));
    register(client);
    const resolved: unknown[] = [];
    client.onNotification("serverRequest/resolved", (p) => resolved.push(p));
    await within(client.initialize(CLIENT_INFO), 20_000, "initialize response");
    const { thread } = await within(
      client.request("thread/start", { cwd: s.cwd, approvalPolicy: "untrusted", sandbox: "workspace-write" }),
      20_000,
      "thread/start response",
    );
    const completed = new Promise<string>((r) => client.onNotification("turn/completed", (p) => p.threadId === thread.id && r(p.turn.status)));
    await within(client.request("turn/start", { threadId: thread.id, input: [{ type: "text", text: "touch the marker" }] }), 20_000, "turn/start response");
    const status = await within(completed, 30_000, "turn/completed");
    return { s, thread, status, traffic, resolved, model };
  }

  it.runIf(referenceAvailable)(
    `a handler's value answers the server's approval request${because}`,
    async () => {
      const asked: Array<{ threadId: string; itemId: string; id: unknown }> = [];
      const run = await runApprovalTurn((client) =>
        client.onServerRequest("item/commandExecution/requestApproval", (params, ctx) => {
          asked.push({ threadId: params.threadId, itemId: params.itemId, id: ctx.id });
          return { decision: "decline" };
        }),
      );
      expect(run.status).toBe("completed");
      expect(asked).toEqual([{ threadId: run.thread.id, itemId: "call_marker_1", id: expect.anything() }]);
      expect(run.traffic).toContainEqual({ dir: "in", msg: { id: asked[0]?.id, result: { decision: "decline" } } });
      expect(run.resolved).toEqual([expect.objectContaining({ threadId: run.thread.id, requestId: asked[0]?.id })]);
      // Declined, so the command never ran.
      expect(existsSync(join(run.s.cwd, "marker.txt"))).toBe(false);
    },
    60_000,
  );

  it.runIf(referenceAvailable)(
    `without a handler the client answers -32601 and the command does not run${because}`,
    async () => {
      const run = await runApprovalTurn(() => {});
      const request = run.traffic.find((t) => t.dir === "out" && (t.msg as { method?: string }).method === "item/commandExecution/requestApproval");
      expect(request).toBeDefined();
      const id = (request?.msg as { id: unknown }).id;
      expect(run.traffic).toContainEqual({
        dir: "in",
        msg: { id, error: { code: -32601, message: "Method not found: item/commandExecution/requestApproval" } },
      });
      expect(existsSync(join(run.s.cwd, "marker.txt"))).toBe(false);
    },
    60_000,
  );
});

describe("reference transcript", () => {
  it.runIf(referenceAvailable)(
    `onTraffic writes a transcript that wire-check traffic validates against the reference schema${because}`,
    async () => {
      const s = scratch();
      const transcript = join(s.home, "..", "transcript.jsonl");
      const client = await connectStdio({ command: REF_BIN, args: ["app-server"], env: s.env, cwd: s.cwd });
      cleanups.push(() => client.close());
      client.onTraffic((dir, msg) => appendFileSync(transcript, `${JSON.stringify({ dir, msg })}\n`));
      const notified = new Promise<void>((r) => client.onAnyNotification((m) => m === "remoteControl/status/changed" && r()));
      await within(client.initialize(CLIENT_INFO), 20_000, "initialize response");
      await within(client.request("configRequirements/read"), 10_000, "configRequirements/read response");
      await within(client.request("thread/start", { cwd: s.cwd }), 20_000, "thread/start response");
      await within(notified, 10_000, "remoteControl/status/changed");
      await client.close();
      const check = wireCheckTraffic(join(REF_DIR, REF_VERSION, "schema-json"), transcript);
      expect(check.stdout).toMatch(/ok\s+response initialize: 1 valid, 0 invalid/);
      expect(check.stdout).toMatch(/ok\s+response thread\/start: 1 valid, 0 invalid/);
      expect(check.stdout).toMatch(/ok\s+notification remoteControl\/status\/changed: 1 valid, 0 invalid/);
      expect(check.status, check.stdout + check.stderr).toBe(0);
    },
    30_000,
  );
});
