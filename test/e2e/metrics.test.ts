// GET /metrics on the WebSocket listener, scraped after real work (a turn whose command asks for
// approval and runs in bubblewrap, an MCP server started with the thread, an unknown method) and
// read with an independent parser (parse-prometheus-text-format, prom2json's output): every series
// the issue names is there with the counts that work produced; the same bearer auth as the socket
// unless --metrics-public; a stdio daemon serves no metrics at all.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import parsePrometheusTextFormat, { type ParsedFamily } from "parse-prometheus-text-format";
import { afterEach, describe, expect, it } from "vitest";
import { EVERYTHING_SERVER } from "../../server/core/mcp/mcpServers.testutil.js";
import { DAEMON, spawnListening } from "../helpers/daemon.js";
import { tempHome, type TempHome } from "../helpers/home.js";
import { evFunctionCall, evMessage, mockDaemonConfig, startMockResponses, turn, type MockResponses } from "../helpers/mockResponses.js";
import { isServerRequest } from "../helpers/protocol.js";
import { SocketClient } from "../helpers/socketClient.js";
import { startUpstream } from "../helpers/upstreams.js";

const TOKEN = "metrics-test-token-0123456789abcdef";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function listening(home: TempHome, extra: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const tokenFile = join(home.base, "token");
  writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
  const daemon = spawnListening(home, ["--listen", "ws://127.0.0.1:0", "--ws-auth", "capability-token", "--ws-token-file", tokenFile, ...extra], env);
  cleanups.push(async () => {
    daemon.child.kill("SIGTERM");
    await daemon.exited;
  });
  return daemon.url;
}

async function scrapeText(url: string, headers: Record<string, string> = { Authorization: `Bearer ${TOKEN}` }): Promise<string> {
  const res = await fetch(`${url.replace("ws://", "http://")}/metrics`, { headers });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

async function scrape(url: string, headers?: Record<string, string>): Promise<ParsedFamily[]> {
  return parsePrometheusTextFormat(await scrapeText(url, headers));
}

function family(families: readonly ParsedFamily[], name: string): ParsedFamily {
  const found = families.find((f) => f.name === name);
  if (!found) throw new Error(`no ${name} in the scrape: ${families.map((f) => f.name).join(", ")}`);
  return found;
}

/** The value of the one sample of `name` whose labels include `labels` (a histogram's count). */
function value(families: readonly ParsedFamily[], name: string, labels: Record<string, string> = {}): number {
  const samples = family(families, name).metrics.filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  if (samples.length !== 1) throw new Error(`${samples.length} samples of ${name} match ${JSON.stringify(labels)}`);
  const sample = samples[0]!;
  return Number(sample.value ?? sample.count);
}

function wsClient(url: string): Promise<SocketClient> {
  return SocketClient.ws(url, { Authorization: `Bearer ${TOKEN}` });
}

describe("GET /metrics", () => {
  it("counts connections, requests, a turn, its approval and sandboxed launch, and the thread's MCP server", async () => {
    const mock: MockResponses = await startMockResponses({
      script: [turn(...evFunctionCall("c1", "exec_command", { cmd: "touch made-by-the-turn" })), turn(evMessage("m1", "done"))],
    });
    cleanups.push(() => mock.close());
    const home = tempHome();
    cleanups.push(() => home.cleanup());
    const everything = `[mcp_servers.everything]\ncommand = ${JSON.stringify(process.execPath)}\nargs = [${JSON.stringify(EVERYTHING_SERVER)}, "stdio"]\n`;
    home.writeConfig(mockDaemonConfig(mock.baseUrl, { approvalPolicy: "untrusted", sandboxMode: "workspace-write", tables: everything }));
    const url = await listening(home);

    const before = await scrape(url);
    expect(value(before, "gatehouse_connections", { transport: "ws" })).toBe(0);

    const client = await wsClient(url);
    await client.init();
    const { thread } = await client.result("thread/start", { cwd: home.base });
    await client.notification("mcpServer/startupStatus/updated", (p) => p.status === "ready");
    await client.result("turn/start", { threadId: thread.id, input: [{ type: "text", text: "make a file", text_elements: [] }] });
    const approval = await client.waitFor(isServerRequest("item/commandExecution/requestApproval"));
    client.respond(approval, { decision: "accept" });
    await client.notification("turn/completed");
    const unknown = await client.request("no/such/method" as "config/read", {});
    expect(unknown).toHaveProperty("error.code", -32601);

    const text = await scrapeText(url);
    const m = parsePrometheusTextFormat(text);
    expect(value(m, "gatehouse_connections", { transport: "ws" })).toBe(1);
    expect(value(m, "gatehouse_connections_total", { transport: "ws" })).toBe(1);
    expect(value(m, "gatehouse_requests_total", { method: "initialize", outcome: "ok" })).toBe(1);
    expect(value(m, "gatehouse_requests_total", { method: "thread/start", outcome: "ok" })).toBe(1);
    expect(value(m, "gatehouse_requests_total", { method: "turn/start", outcome: "ok" })).toBe(1);
    // The method a client made up is not a label of its own.
    expect(value(m, "gatehouse_requests_total", { method: "unknown", outcome: "error" })).toBe(1);
    expect(family(m, "gatehouse_requests_total").metrics.some((s) => s.labels?.["method"] === "no/such/method")).toBe(false);
    // The parser folds a labelled histogram's series into one; it still checks the family's shape.
    const latency = family(m, "gatehouse_request_duration_seconds");
    expect(latency.type).toBe("HISTOGRAM");
    expect(Object.keys(latency.metrics[0]?.buckets ?? {})).toContain("+Inf");
    expect(text).toMatch(/^gatehouse_request_duration_seconds_count\{method="turn\/start"\} 1$/m);
    expect(value(m, "gatehouse_turns_started_total")).toBe(1);
    expect(value(m, "gatehouse_turns_finished_total", { outcome: "completed" })).toBe(1);
    expect(value(m, "gatehouse_turns_finished_total", { outcome: "failed" })).toBe(0);
    expect(value(m, "gatehouse_turns_running")).toBe(0);
    expect(value(m, "gatehouse_approval_requests_total", { method: "item/commandExecution/requestApproval", decision: "accept" })).toBe(1);
    expect(value(m, "gatehouse_approval_requests_pending", { method: "item/commandExecution/requestApproval" })).toBe(0);
    // The approved command and the MCP server both went through bubblewrap.
    expect(value(m, "gatehouse_sandbox_launches_total", { sandbox: "bwrap", outcome: "launched" })).toBeGreaterThanOrEqual(2);
    expect(value(m, "gatehouse_mcp_servers", { state: "ready" })).toBe(1);
    expect(value(m, "gatehouse_mcp_servers", { state: "starting" })).toBe(0);
    expect(value(m, "process_resident_memory_bytes")).toBeGreaterThan(10 * 1024 * 1024);
    expect(family(m, "nodejs_eventloop_lag_seconds").type).toBe("GAUGE");

    // Unloading the thread stops its MCP server, and the gauge follows.
    await client.result("thread/unsubscribe", { threadId: thread.id });
    await client.notification("thread/closed");
    expect(value(await scrape(url), "gatehouse_mcp_servers", { state: "ready" })).toBe(0);
  });

  it("counts the managed network proxy's connections by outcome", async () => {
    const allowed = await startUpstream("127.0.0.4");
    const denied = await startUpstream("127.0.0.5");
    cleanups.push(
      () => allowed.close(),
      () => denied.close(),
    );
    const curl = (url: string) => `curl -sS -o /dev/null -w '%{http_code}' --max-time 20 ${url}`;
    const mock = await startMockResponses({
      script: [
        turn(...evFunctionCall("allow", "exec_command", { cmd: curl(allowed.url), yield_time_ms: 20_000 })),
        turn(...evFunctionCall("deny", "exec_command", { cmd: curl(denied.url), yield_time_ms: 20_000 })),
        turn(evMessage("m1", "done")),
      ],
    });
    cleanups.push(() => mock.close());
    const home = tempHome();
    cleanups.push(() => home.cleanup());
    const tables = `[sandbox_workspace_write]\nnetwork_access = true\n[features.network_proxy]\nenabled = true\nallow_local_binding = true\ndomains = { "127.0.0.4" = "allow", "127.0.0.5" = "deny" }\n`;
    home.writeConfig(mockDaemonConfig(mock.baseUrl, { approvalPolicy: "on-request", sandboxMode: "workspace-write", tables }));
    const requirements = join(home.base, "requirements.toml");
    writeFileSync(requirements, "[experimental_network]\nenabled = true\nallow_local_binding = true\n");
    const url = await listening(home, [], { GATEHOUSE_REQUIREMENTS_FILE: requirements });

    const client = await wsClient(url);
    await client.init();
    const { thread } = await client.result("thread/start", { cwd: home.base });
    await client.result("turn/start", { threadId: thread.id, input: [{ type: "text", text: "fetch both", text_elements: [] }] });
    await client.notification("turn/completed");
    expect(allowed.requests).toHaveLength(1);
    expect(denied.requests).toHaveLength(0);

    const m = await scrape(url);
    expect(value(m, "gatehouse_proxy_connections_total", { outcome: "allowed" })).toBe(1);
    expect(value(m, "gatehouse_proxy_connections_total", { outcome: "denied" })).toBe(1);
  });

  it("asks for the socket's token unless --metrics-public; a stdio daemon has no such flag", async () => {
    const home = tempHome();
    cleanups.push(() => home.cleanup());
    const url = await listening(home);
    const http = url.replace("ws://", "http://");
    expect((await fetch(`${http}/metrics`)).status).toBe(401);
    expect((await fetch(`${http}/metrics`, { headers: { Authorization: "Bearer wrong" } })).status).toBe(401);
    expect(family(await scrape(url), "gatehouse_turns_started_total").type).toBe("COUNTER");

    const open = tempHome();
    cleanups.push(() => open.cleanup());
    const publicUrl = await listening(open, ["--metrics-public"]);
    expect(family(await scrape(publicUrl, {}), "gatehouse_connections").type).toBe("GAUGE");

    const stdio = spawnSync(process.execPath, [DAEMON, "app-server", "--metrics-public"], {
      input: "",
      encoding: "utf8",
      env: { ...process.env, GATEHOUSE_HOME: home.home },
    });
    expect(stdio.status).not.toBe(0);
    expect(stdio.stderr).toContain("--metrics-public needs --listen ws://");
  });
});
