// One MCP server per connection, against real servers: npm's server-everything (stdio, inside the real
// bubblewrap sandbox; and streamable HTTP, hosted here on loopback) for tools, progress, resources and
// elicitation, and the faulty fixture for every way a server can fail. Waits are bounded polls or the
// requests themselves; nothing asserts on timing.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { SandboxPolicy } from "../../sandbox/sandboxPolicy.js";
import type { JsonObject } from "../config/json.js";
import { readMcpServer } from "./mcpConfig.js";
import { McpConnection, type McpConnectionStatus, type McpElicitationRequest, type McpProgress } from "./mcpConnection.js";
import { McpServerError } from "./mcpErrors.js";
import {
  everythingServer,
  faultyServer,
  hasBwrap,
  hostEverythingOverHttp,
  removeTempDirs,
  silentLog,
  stdioEnvironment,
  tempDir,
} from "./mcpServers.testutil.js";

afterAll(removeTempDirs);

const open: McpConnection[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

function connection(
  name: string,
  table: JsonObject,
  extra: {
    elicit?: (r: McpElicitationRequest) => Promise<{ action: "accept" | "decline" | "cancel"; content?: Record<string, string | number | boolean | string[]> }>;
    httpEnv?: Record<string, string>;
    cwd?: string;
    policy?: SandboxPolicy;
  } = {},
): { c: McpConnection; states: McpConnectionStatus[] } {
  const states: McpConnectionStatus[] = [];
  const c = new McpConnection(readMcpServer(name, table), {
    log: silentLog,
    stdio: stdioEnvironment(extra.cwd ?? tempDir(), extra.policy),
    onStatus: (s) => states.push(s),
    ...(extra.elicit ? { elicit: extra.elicit } : {}),
    ...(extra.httpEnv ? { httpEnv: extra.httpEnv } : {}),
  });
  open.push(c);
  return { c, states };
}

async function rejection(work: Promise<unknown>): Promise<McpServerError> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(McpServerError);
  return error as McpServerError;
}

const text = (result: { content: unknown[] }): string =>
  result.content.map((c) => (typeof c === "object" && c !== null && "text" in c ? String((c as { text: unknown }).text) : "")).join("\n");

/** Tools, progress, resources and elicitation: the same checks over stdio and over HTTP. */
function everythingChecks(make: (extra?: Parameters<typeof connection>[2]) => McpConnection): void {
  it("connects: server info, capabilities, tools", async () => {
    const c = make();
    await c.start();
    expect(c.status.state).toBe("connected");
    expect(c.status.serverInfo?.name).toBe("mcp-servers/everything");
    expect(c.status.capabilities?.resources).toBeDefined();
    expect(c.tools.map((t) => t.name)).toEqual(expect.arrayContaining(["echo", "trigger-long-running-operation", "trigger-elicitation-request"]));
  });

  it("calls a tool", async () => {
    const c = make();
    expect(text(await c.callTool("echo", { message: "hello there" }))).toBe("Echo: hello there");
  });

  it("reports the server's progress notifications for a call", async () => {
    const c = make();
    const progress: McpProgress[] = [];
    const result = await c.callTool("trigger-long-running-operation", { duration: 0.3, steps: 3 }, { onProgress: (p) => progress.push(p) });
    expect(text(result)).toContain("Long running operation completed");
    expect(progress).toEqual([
      { progress: 1, total: 3, message: null },
      { progress: 2, total: 3, message: null },
      { progress: 3, total: 3, message: null },
    ]);
  });

  it("lists resources (one page with its cursor, or every page) and templates, and reads one", async () => {
    const c = make();
    const page = await c.listResources();
    const all = await c.listAllResources();
    expect(all.length).toBeGreaterThan(0);
    expect(all.slice(0, page.resources.length)).toEqual(page.resources);
    const templates = await c.listAllResourceTemplates();
    expect(templates.map((t) => t.uriTemplate)).toContain("demo://resource/dynamic/text/{resourceId}");
    const first = all[0];
    if (first === undefined) throw new Error("no resource");
    const read = await c.readResource(first.uri);
    expect(read.contents[0]?.uri).toBe(first.uri);
  });

  it("hands the server's elicitation to the owner and returns the answer", async () => {
    const asked: McpElicitationRequest[] = [];
    const c = make({
      elicit: (request) => {
        asked.push(request);
        return Promise.resolve({ action: "accept", content: { name: "Ada Lovelace", check: true } });
      },
    });
    const result = await c.callTool("trigger-elicitation-request", {});
    expect(asked).toHaveLength(1);
    expect(asked[0]?.server).toBe("everything");
    expect(asked[0]?.params).toMatchObject({
      message: "Please provide inputs for the following fields:",
      requestedSchema: { type: "object", required: ["name"] },
    });
    expect(text(result)).toContain("- Name: Ada Lovelace");
  });

  it("declines an elicitation when the owner gave no callback", async () => {
    const c = make();
    expect(text(await c.callTool("trigger-elicitation-request", {}))).toContain("declined");
  });
}

describe.runIf(hasBwrap)("server-everything over stdio, inside the sandbox", () => {
  everythingChecks((extra) => connection("everything", everythingServer(), extra).c);
});

describe("server-everything over streamable HTTP on loopback", () => {
  let url = "";
  let closeHttp: () => Promise<void> = () => Promise.resolve();
  const authorizations: (string | undefined)[] = [];

  beforeAll(async () => {
    const hosted = await hostEverythingOverHttp((authorization) => authorizations.push(authorization));
    url = hosted.url;
    closeHttp = hosted.close;
  });
  afterAll(() => closeHttp());

  everythingChecks(
    (extra) => connection("everything", { url, bearer_token_env_var: "EVERYTHING_TOKEN" }, { httpEnv: { EVERYTHING_TOKEN: "s3cret" }, ...extra }).c,
  );

  it("sends the bearer token from bearer_token_env_var", () => {
    expect(authorizations).toContain("Bearer s3cret");
  });

  it("fails to start, in 0.169's words, when the token variable is not set", async () => {
    const { c } = connection("everything", { url, bearer_token_env_var: "MISSING_TOKEN" }, { httpEnv: {} });
    await c.start();
    expect(c.status).toMatchObject({
      state: "failed",
      error: "MCP client for `everything` failed to start: Environment variable MISSING_TOKEN for MCP server 'everything' is not set",
    });
  });

  it("fails to start with the HTTP cause when nothing listens at the URL", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const { c } = connection("gone", { url: `http://127.0.0.1:${port}/mcp` });
    await c.start();
    expect(c.status.state).toBe("failed");
    expect(c.status.error).toMatch(/^MCP client for `gone` failed to start: .*ECONNREFUSED/);
  });
});

describe.runIf(hasBwrap)("a faulty server inside the sandbox", () => {
  it("crashes on its first call: the call fails naming the exit and stderr, the next call restarts it", async () => {
    // The fixture remembers its crash in a file: the workspace (its cwd) is the one place it may write.
    const workspace = tempDir();
    const policy: SandboxPolicy = { type: "workspaceWrite", networkAccess: false, excludeSlashTmp: true, excludeTmpdirEnvVar: true };
    const { c, states } = connection("faulty", faultyServer(["--state", `${workspace}/crashed`]), { cwd: workspace, policy });
    const error = await rejection(c.callTool("crash_once", {}));
    expect(error.reason).toBe("serverExited");
    expect(error.message).toBe(
      "tool call failed for `faulty/crash_once`: the server exited with code 3 during the request; stderr: faulty server: crashing on purpose; it is started again on the next call",
    );
    expect(c.status.state).toBe("failed");
    expect(c.tools.map((t) => t.name)).toContain("echo"); // the last list stays while the server is down
    expect(text(await c.callTool("crash_once", {}))).toBe("alive again");
    expect(states.map((s) => s.state)).toEqual(["starting", "connected", "failed", "starting", "connected"]);
  });

  it("hangs at start-up: failed after startup_timeout_sec, in 0.169's words", async () => {
    const { c } = connection("hang", faultyServer(["--hang-at-startup"], { startup_timeout_sec: 0.5 }));
    await c.start();
    expect(c.status.state).toBe("failed");
    expect(c.status.error).toBe(
      "MCP client for `hang` timed out after 0.5 seconds. Add or adjust `startup_timeout_sec` in your config.toml:\n[mcp_servers.hang]\nstartup_timeout_sec = XX",
    );
    const error = await rejection(c.callTool("echo", {}));
    expect(error.reason).toBe("startupTimeout");
  });

  it("hangs at start-up after writing garbage: the timeout says what it wrote", async () => {
    const { c } = connection("hang", faultyServer(["--hang-at-startup", "--garbage"], { startup_timeout_sec: 0.5 }));
    await c.start();
    expect(c.status.error).toMatch(
      /startup_timeout_sec = XX\n\(it wrote 2 lines to stdout that are not JSON-RPC \(last: a JSON value that is not a JSON-RPC message\)\)$/,
    );
    expect(c.status.cause).toMatch(/^timed out handshaking with MCP server after 0.5s; it wrote 2 lines to stdout/);
  });

  it("writes garbage to stdout: the lines are skipped, and a call left unanswered says so", async () => {
    const { c } = connection("garbage", faultyServer(["--garbage"], { tool_timeout_sec: 2 }));
    expect(text(await c.callTool("echo", { text: "still here" }))).toBe("echo: still here");
    const error = await rejection(c.callTool("garbage", {}));
    expect(error.reason).toBe("timeout");
    expect(error.message).toMatch(/^tool call failed for `garbage\/garbage`: timed out awaiting tools\/call after 2s/);
    expect(error.message).toMatch(/it wrote 3 lines to stdout that are not JSON-RPC/);
  });

  it("returns a malformed tool result", async () => {
    const { c } = connection("faulty", faultyServer());
    const error = await rejection(c.callTool("malformed", {}));
    expect(error.reason).toBe("malformedResult");
    expect(error.message).toMatch(/^tool call failed for `faulty\/malformed`: the server returned a malformed result: `content`: /);
    expect(text(await c.callTool("echo", { text: "fine" }))).toBe("echo: fine");
  });

  it("delivers a progress notification read in the same chunk as its call's answer", async () => {
    const { c } = connection("faulty", faultyServer());
    const progress: McpProgress[] = [];
    expect(text(await c.callTool("progress", {}, { onProgress: (p) => progress.push(p) }))).toBe("progressed");
    expect(progress).toEqual([{ progress: 1, total: 1, message: "all done" }]);
  });

  it("is slower than tool_timeout_sec", async () => {
    const { c } = connection("slow", faultyServer([], { tool_timeout_sec: 0.3 }));
    const error = await rejection(c.callTool("slow", { ms: 30_000 }));
    expect(error.reason).toBe("timeout");
    expect(error.message).toBe("tool call failed for `slow/slow`: timed out awaiting tools/call after 0.3s (tool_timeout_sec in [mcp_servers.slow])");
    expect(c.status.state).toBe("connected");
  });

  it("a call the caller aborts is cancelled, and the server goes on serving", async () => {
    const { c } = connection("faulty", faultyServer());
    await c.start();
    const abort = new AbortController();
    const call = c.callTool("slow", { ms: 30_000 }, { signal: abort.signal });
    abort.abort();
    expect((await rejection(call)).reason).toBe("aborted");
    expect(text(await c.callTool("echo", { text: "after" }))).toBe("echo: after");
  });

  it("lists every page of tools, and applies enabled_tools / disabled_tools", async () => {
    const { c } = connection("paged", faultyServer(["--page-size", "2"], { enabled_tools: ["echo", "slow", "getenv"], disabled_tools: ["slow"] }));
    await c.start();
    expect(c.tools.map((t) => t.name)).toEqual(["echo", "getenv"]);
    const error = await rejection(c.callTool("slow", {}));
    expect(error.reason).toBe("toolDisabled");
    expect(error.message).toBe("tool call failed for `paged/slow`: tool 'slow' is disabled for MCP server 'paged'");
  });

  it("a command that does not exist fails to start, saying so", async () => {
    const { c } = connection("missing", { command: "/nonexistent/mcp-server" });
    await c.start();
    expect(c.status.state).toBe("failed");
    expect(c.status.error).toMatch(/^MCP client for `missing` failed to start: the server could not be started \(exit code 127/);
  });

  it("gets the daemon's environment with env_vars and the server's env on top; sandbox = false runs it unwrapped", async () => {
    process.env["GH_MCP_TEST_PASSED"] = "from the daemon";
    try {
      const sandboxed = connection("boxed", faultyServer([], { env: { GH_MCP_OWN: "own value" }, env_vars: ["GH_MCP_TEST_PASSED"] })).c;
      expect(text(await sandboxed.callTool("getenv", { name: "GH_MCP_OWN" }))).toBe("own value");
      expect(text(await sandboxed.callTool("getenv", { name: "GH_MCP_TEST_PASSED" }))).toBe("from the daemon");
      expect(text(await sandboxed.callTool("getenv", { name: "LANG" }))).toBe("C");
      // The read-only policy cuts the network, which the launcher announces in the environment.
      expect(text(await sandboxed.callTool("getenv", { name: "CODEX_SANDBOX_NETWORK_DISABLED" }))).toBe("1");
      const unsandboxed = connection("free", faultyServer([], { sandbox: false })).c;
      expect(text(await unsandboxed.callTool("getenv", { name: "CODEX_SANDBOX_NETWORK_DISABLED" }))).toBe("(unset)");
    } finally {
      delete process.env["GH_MCP_TEST_PASSED"];
    }
  });

  it("close() during start-up ends it as cancelled", async () => {
    const { c } = connection("hang", faultyServer(["--hang-at-startup"], { startup_timeout_sec: 600 }));
    const starting = c.start();
    await c.close();
    await starting;
    expect(c.status).toMatchObject({ state: "cancelled", error: "MCP startup cancelled" });
    expect((await rejection(c.callTool("echo", {}))).reason).toBe("cancelled");
  });
});

describe("servers that cannot start", () => {
  it("an unusable table is failed with its message, a disabled one is disabled; neither starts anything", async () => {
    const bad = connection("bad", { command: "x", url: "http://127.0.0.1:1/" }).c;
    const off = connection("off", { command: "x", enabled: false }).c;
    await Promise.all([bad.start(), off.start()]);
    expect(bad.status).toMatchObject({ state: "failed", error: "invalid [mcp_servers.bad]: url is not supported for stdio" });
    expect(off.status).toMatchObject({ state: "disabled", error: null });
    expect((await rejection(bad.callTool("t", {}))).reason).toBe("invalidConfig");
    expect((await rejection(off.callTool("t", {}))).reason).toBe("disabled");
  });
});
