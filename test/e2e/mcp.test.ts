// MCP end to end on the real daemon, against real MCP servers this project did not write
// (@modelcontextprotocol/server-everything, server-filesystem, run inside the thread's sandbox) and a
// faulty one written for the tests: start-up announced per server, mcpServerStatus/list, a turn whose
// scripted model finds a tool through tool_search and calls it (the result reaches the next request),
// the resource tools, an approval asked through mcpServer/elicitation/request, a server's own
// elicitation forwarded, a crashing server reported in the item while the turn goes on, and the
// mcpServer/* methods. Every transcript is checked against 0.169's schema.
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { EVERYTHING_SERVER, FAULTY_SERVER, FILESYSTEM_SERVER, hostEverythingOverHttp } from "../../server/core/mcp/mcpServers.testutil.js";
import { evMessage, evNamespacedFunctionCall, evToolSearchCall, turn, type ScriptEntry } from "../helpers/mockResponses.js";
import { mockConfig, startSession, type Session } from "../helpers/session.js";

let session: Session | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await session?.stop();
  session = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const toml = (s: string) => JSON.stringify(s);

function config(servers: string, policy = "never") {
  return (baseUrl: string) => mockConfig(baseUrl).replace('approval_policy = "never"', `approval_policy = "${policy}"`) + servers;
}

const everything = `
[mcp_servers.everything]
command = ${toml(process.execPath)}
args = [${toml(EVERYTHING_SERVER)}, "stdio"]
`;

async function openThread(s: Session, extra: Record<string, unknown> = {}): Promise<string> {
  const cwd = join(s.daemon.home.base, "work");
  mkdirSync(cwd, { recursive: true });
  const { thread } = await s.result("thread/start", { cwd, approvalPolicy: "never", sandbox: "workspace-write", ...extra });
  return thread.id;
}

async function runTurn(s: Session, threadId: string, text: string) {
  const from = s.daemon.messages.length;
  await s.result("turn/start", { threadId, input: [{ type: "text", text, text_elements: [] }] });
  return s.notification("turn/completed", (p) => p.threadId === threadId, from);
}

const inputOf = (s: Session, i: number) => JSON.stringify((s.mock.requests[i]!.body as { input: unknown }).input);

describe("MCP servers from config", () => {
  it("starts the thread's servers, lists them, and lets a turn find a tool with tool_search and call it", async () => {
    const script: ScriptEntry[] = [
      turn(...evToolSearchCall("call_ts", { query: "echo", limit: 3 })),
      turn(...evNamespacedFunctionCall("call_echo", "mcp__everything", "echo", { message: "hi mcp" })),
      turn(...evNamespacedFunctionCall("call_lr", "", "list_mcp_resources", {})),
      turn(evMessage("m_done", "done")),
    ];
    session = await startSession({ script, config: config(everything) });
    const s = session;
    const threadId = await openThread(s);
    const ready = await s.notification("mcpServer/startupStatus/updated", (p) => p.name === "everything" && p.status === "ready");
    expect(ready.params.threadId).toBe(threadId);
    expect(
      s.daemon.messages.some((m) => (m as { method?: string }).method === "mcpServer/startupStatus/updated" && JSON.stringify(m).includes('"starting"')),
    ).toBe(true);

    const listed = await s.result("mcpServerStatus/list", { threadId });
    expect(listed.data.map((d) => d.name)).toEqual(["everything"]);
    expect(Object.keys(listed.data[0]!.tools)).toContain("echo");
    expect(listed.data[0]!.resources.length).toBeGreaterThan(0);
    expect(listed.data[0]!).toMatchObject({ authStatus: "unsupported", httpOrigin: null, serverInfo: { name: "mcp-servers/everything" } });

    const done = await runTurn(s, threadId, "use mcp");
    expect(done.params.turn.status).toBe("completed");
    // tool_search is offered instead of the servers' tools, beside the resource tools
    const tools = (s.mock.requests[0]!.body as { tools: { type: string; name?: string }[] }).tools;
    expect(tools.map((t) => t.name ?? t.type)).toEqual(
      expect.arrayContaining(["list_mcp_resources", "list_mcp_resource_templates", "read_mcp_resource", "tool_search"]),
    );
    expect(tools.some((t) => t.name?.startsWith("mcp__"))).toBe(false);
    // the search's answer exposes the tool; the call's result reaches the next request
    expect(inputOf(s, 1)).toContain('"type":"tool_search_output"');
    expect(inputOf(s, 1)).toContain('"name":"mcp__everything"');
    expect(inputOf(s, 2)).toContain("Echo: hi mcp");
    expect(inputOf(s, 3)).toContain("demo://resource/static/document/architecture.md");
    const items = s.daemon.messages
      .filter((m) => (m as { method?: string }).method === "item/completed")
      .map((m) => (m as { params: { item: Record<string, unknown> } }).params.item);
    expect(items.find((i) => i["id"] === "call_echo")).toMatchObject({
      type: "mcpToolCall",
      server: "everything",
      tool: "echo",
      status: "completed",
      arguments: { message: "hi mcp" },
      result: { content: [{ type: "text", text: "Echo: hi mcp" }] },
      error: null,
    });
    expect(items.find((i) => i["id"] === "call_lr")).toMatchObject({ type: "mcpToolCall", server: "codex", tool: "list_mcp_resources", status: "completed" });

    // the methods outside a turn
    expect(await s.result("mcpServer/tool/call", { threadId, server: "everything", tool: "echo", arguments: { message: "direct" } })).toMatchObject({
      content: [{ type: "text", text: "Echo: direct" }],
    });
    const read = await s.result("mcpServer/resource/read", { threadId, server: "everything", uri: "demo://resource/static/document/architecture.md" });
    expect(JSON.stringify(read.contents)).toContain("Architecture");
    expect(await s.result("config/mcpServer/reload", undefined)).toEqual({});
    s.checkWire();
  });

  it("an 'always' answer runs the tool unasked for the rest of the thread and writes approval_mode = \"approve\" to config.toml, as 0.169 does", async () => {
    const script: ScriptEntry[] = [
      turn(...evNamespacedFunctionCall("call_gz1", "mcp__everything", "gzip_file_as_resource", { name: "one.gz", data: "data:text/plain,one" })),
      turn(...evNamespacedFunctionCall("call_gz2", "mcp__everything", "gzip_file_as_resource", { name: "two.gz", data: "data:text/plain,two" })),
      turn(evMessage("m_done", "done")),
    ];
    session = await startSession({ script, config: config(everything, "on-request") });
    const s = session;
    const threadId = await openThread(s, { approvalPolicy: "on-request" });
    await s.notification("mcpServer/startupStatus/updated", (p) => p.status === "ready");
    const from = s.daemon.messages.length;
    await s.result("turn/start", { threadId, input: [{ type: "text", text: "compress twice", text_elements: [] }] });
    const ask = await s.serverRequest("mcpServer/elicitation/request", undefined, from);
    // gzip-file-as-resource is open-world (it fetches its input), so "auto" asks, and offers to remember the answer.
    expect(JSON.stringify(ask.params)).toContain('"persist":["session","always"]');
    s.respond(ask, { action: "accept", content: null, _meta: { persist: "always" } });
    const done = await s.notification("turn/completed", (p) => p.threadId === threadId, from);
    expect(done.params.turn.status).toBe("completed");
    // Asked once: the second call ran unasked.
    expect(s.daemon.messages.slice(from).filter((m) => (m as { method?: string }).method === "mcpServer/elicitation/request")).toHaveLength(1);
    expect(inputOf(s, 2)).toContain("two.gz");
    const written = readFileSync(join(s.daemon.home.home, "config.toml"), "utf8");
    expect(written).toMatch(/\[mcp_servers\.everything\.tools\.gzip-file-as-resource\]\s*\napproval_mode = "approve"/);
    s.checkWire();
  });

  it("asks before a tool that may write, through mcpServer/elicitation/request, and honours the answer", async () => {
    const script: ScriptEntry[] = [
      turn(...evNamespacedFunctionCall("call_sum1", "mcp__everything", "get_sum", { a: 2, b: 3 })),
      turn(...evNamespacedFunctionCall("call_sum2", "mcp__everything", "get_sum", { a: 4, b: 5 })),
      turn(...evNamespacedFunctionCall("call_elicit", "mcp__everything", "trigger_elicitation_request", {})),
      turn(evMessage("m_done", "done")),
    ];
    // get-sum is read-only (never asked about under "auto"): "prompt" makes every call ask.
    const servers = `${everything}[mcp_servers.everything.tools."get-sum"]\napproval_mode = "prompt"\n`;
    session = await startSession({ script, config: config(servers, "on-request") });
    const s = session;
    const threadId = await openThread(s, { approvalPolicy: "on-request" });
    await s.notification("mcpServer/startupStatus/updated", (p) => p.status === "ready");
    const from = s.daemon.messages.length;
    await s.result("turn/start", { threadId, input: [{ type: "text", text: "add", text_elements: [] }] });
    const first = await s.serverRequest("mcpServer/elicitation/request", undefined, from);
    expect(first.params).toMatchObject({ threadId, serverName: "everything", mode: "form", message: 'Allow the everything MCP server to run tool "get-sum"?' });
    s.respond(first, { action: "decline" });
    const second = await s.serverRequest("mcpServer/elicitation/request", (p) => JSON.stringify(p).includes('"a":4'), from);
    s.respond(second, { action: "accept" });
    // the server's own elicitation reaches the client too, and its answer goes back to the server
    const own = await s.serverRequest("mcpServer/elicitation/request", (p) => p.serverName === "everything" && !("_meta" in p && p._meta), from);
    expect(own.params).toMatchObject({ threadId, mode: "form" });
    s.respond(own, { action: "decline" });
    const done = await s.notification("turn/completed", (p) => p.threadId === threadId, from);
    expect(done.params.turn.status).toBe("completed");
    expect(inputOf(s, 1)).toContain("user rejected MCP tool call");
    expect(inputOf(s, 2)).toContain("9");
    expect(inputOf(s, 3)).toMatch(/decline/i);
    s.checkWire();
  });

  it("keeps the thread's warm-up (login shell snapshot) from competing with its MCP servers' start-up: it runs once they have started or failed", async () => {
    const hung = `
[mcp_servers.slow]
command = ${toml(process.execPath)}
args = [${toml(FAULTY_SERVER)}, "--hang-at-startup"]
startup_timeout_sec = 3
`;
    session = await startSession({ script: [], config: config(hung) });
    const s = session;
    const from = s.daemon.messages.length;
    await openThread(s);
    const failed = s.notification("mcpServer/startupStatus/updated", (p) => p.name === "slow" && p.status === "failed", from);
    let settled = false;
    void failed.then(() => (settled = true));
    // Well past the warm-up's idle wait (100 ms) and the time a snapshot takes here.
    await new Promise((r) => setTimeout(r, 1500));
    if (!settled) expect(s.daemon.stderr()).not.toContain("shell snapshot captured");
    await failed;
    const deadline = Date.now() + 30_000;
    while (!s.daemon.stderr().includes("shell snapshot captured")) {
      if (Date.now() > deadline) throw new Error(`no snapshot after the MCP start-up failed; stderr tail:\n${s.daemon.stderr().slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  });

  it("launches each stdio server once: the process started with thread/start is the one its client talks to", async () => {
    const counted = `
[mcp_servers.counted]
command = ${toml(process.execPath)}
args = [${toml(FAULTY_SERVER)}]
default_tools_approval_mode = "approve"
`;
    session = await startSession({
      script: [turn(...evNamespacedFunctionCall("call_echo", "mcp__counted", "echo", { text: "once" })), turn(evMessage("m_done", "done"))],
      config: config(counted),
    });
    const s = session;
    const threadId = await openThread(s);
    await s.notification("mcpServer/startupStatus/updated", (p) => p.name === "counted" && p.status === "ready");
    const done = await runTurn(s, threadId, "echo once");
    expect(done.params.turn.status).toBe("completed");
    expect(inputOf(s, 1)).toContain("echo: once");
    // The daemon logs each launch (debug): one, not the early one plus the client's own.
    expect(s.daemon.stderr().match(/"msg":"MCP server started"/g)).toHaveLength(1);
    s.checkWire();
  });

  it("reports a crashing server in the failed item and goes on; a later call restarts it", async () => {
    const state = join("/tmp", `gh-mcp-crash-${process.pid}-${Date.now()}`);
    dirs.push(state);
    const faulty = `
[mcp_servers.faulty]
command = ${toml(process.execPath)}
args = [${toml(FAULTY_SERVER)}, "--state", ${toml(state)}]
sandbox = false
default_tools_approval_mode = "approve"
`;
    const script: ScriptEntry[] = [
      turn(...evNamespacedFunctionCall("call_crash", "mcp__faulty", "crash_once", {})),
      turn(...evNamespacedFunctionCall("call_again", "mcp__faulty", "crash_once", {})),
      turn(evMessage("m_done", "still here")),
    ];
    session = await startSession({ script, config: config(faulty) });
    const s = session;
    const threadId = await openThread(s);
    await s.notification("mcpServer/startupStatus/updated", (p) => p.name === "faulty" && p.status === "ready");
    const done = await runTurn(s, threadId, "crash it");
    expect(done.params.turn.status).toBe("completed");
    const items = s.daemon.messages
      .filter((m) => (m as { method?: string }).method === "item/completed")
      .map((m) => (m as { params: { item: Record<string, unknown> } }).params.item);
    const crashed = items.find((i) => i["id"] === "call_crash") as { status: string; error: { message: string } };
    expect(crashed.status).toBe("failed");
    expect(crashed.error.message).toMatch(/faulty/);
    expect(inputOf(s, 1)).toContain("tool call error: tool call failed for `faulty/crash_once`");
    expect(inputOf(s, 2)).toContain("alive again");
    s.checkWire();
  });

  it("reaches a streamable HTTP server too, with item/mcpToolCall/progress from the server's progress notifications", async () => {
    const { url, close: closeHttp } = await hostEverythingOverHttp();
    try {
      const script: ScriptEntry[] = [
        turn(...evNamespacedFunctionCall("call_long", "mcp__remote", "trigger_long_running_operation", { duration: 1, steps: 2 })),
        turn(evMessage("m_done", "done")),
      ];
      session = await startSession({ script, config: config(`\n[mcp_servers.remote]\nurl = ${toml(url)}\n`) });
      const s = session;
      const threadId = await openThread(s);
      await s.notification("mcpServer/startupStatus/updated", (p) => p.name === "remote" && p.status === "ready");
      const listed = await s.result("mcpServerStatus/list", { threadId, detail: "toolsAndAuthOnly" });
      expect(listed.data[0]).toMatchObject({ name: "remote", httpOrigin: new URL(url).origin, resources: [] });
      const done = await runTurn(s, threadId, "run long");
      expect(done.params.turn.status).toBe("completed");
      const progress = s.daemon.messages.filter((m) => (m as { method?: string }).method === "item/mcpToolCall/progress");
      expect(progress.length).toBeGreaterThan(0);
      expect((progress[0] as { params: Record<string, unknown> }).params).toMatchObject({ threadId, itemId: "call_long", message: expect.any(String) });
      expect(inputOf(s, 1)).toMatch(/Long running operation completed/i);
      s.checkWire();
    } finally {
      await session?.stop();
      session = undefined;
      await closeHttp();
    }
  });

  it("runs a stdio server inside the thread's sandbox: server-filesystem cannot write outside the writable roots", async () => {
    const base = join("/tmp", `gh-mcp-fs-${process.pid}-${Date.now()}`);
    dirs.push(base);
    const outside = join(base, "outside");
    mkdirSync(outside, { recursive: true });
    const fsServer = `
[mcp_servers.files]
command = ${toml(process.execPath)}
args = [${toml(FILESYSTEM_SERVER)}, ${toml(base)}]
default_tools_approval_mode = "approve"

[sandbox_workspace_write]
exclude_slash_tmp = true
exclude_tmpdir_env_var = true
`;
    let cwd = "";
    const script: ScriptEntry[] = [
      () => turn(...evNamespacedFunctionCall("call_in", "mcp__files", "write_file", { path: join(cwd, "in.txt"), content: "inside" })),
      turn(...evNamespacedFunctionCall("call_out", "mcp__files", "write_file", { path: join(outside, "out.txt"), content: "outside" })),
      turn(evMessage("m_done", "done")),
    ];
    session = await startSession({ script, config: config(fsServer) });
    const s = session;
    cwd = join(base, "work");
    mkdirSync(cwd, { recursive: true });
    const { thread } = await s.result("thread/start", {
      cwd,
      approvalPolicy: "never",
      sandbox: "workspace-write",
    });
    await s.result("turn/start", {
      threadId: thread.id,
      input: [{ type: "text", text: "write", text_elements: [] }],
      sandboxPolicy: { type: "workspaceWrite", writableRoots: [], networkAccess: false, excludeTmpdirEnvVar: true, excludeSlashTmp: true },
    });
    await s.notification("turn/completed", (p) => p.threadId === thread.id);
    expect(readFileSync(join(cwd, "in.txt"), "utf8")).toBe("inside");
    expect(existsSync(join(outside, "out.txt"))).toBe(false);
    const items = s.daemon.messages
      .filter((m) => (m as { method?: string }).method === "item/completed")
      .map((m) => (m as { params: { item: Record<string, unknown> } }).params.item);
    expect(items.find((i) => i["id"] === "call_out")).toMatchObject({ type: "mcpToolCall", status: "failed" });
  });
});
