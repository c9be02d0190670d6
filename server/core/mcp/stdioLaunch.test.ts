// Stdio servers launched before their client exists (McpEarlyLaunches), under real bubblewrap: a
// client adopts the process launched for its very launch, with what the server wrote meanwhile; a
// launch that changed in between gets a fresh process and the early one is stopped; what nobody takes
// is stopped by dispose(); a server that writes without limit before it is adopted is stopped.
import { randomUUID } from "node:crypto";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { buildEffectiveConfig } from "../config/effective.js";
import type { JsonObject } from "../config/json.js";
import { NODE, faultyServer, hasBwrap, removeTempDirs, silentLog, stdioEnvironment, tempDir, until } from "./mcpServers.testutil.js";
import { livePidsWith } from "../../../test/helpers/processes.js";
import { SandboxedStdioTransport } from "./sandboxedStdioTransport.js";
import { McpEarlyLaunches, sameLaunch, stdioLaunchOf, type McpStdioEnvironment, type StdioLaunch } from "./stdioLaunch.js";
import { readMcpServers, type McpServerConfig, type McpStdioTransportConfig } from "./mcpConfig.js";
import { ThreadMcpServers } from "./threadMcp.js";

afterAll(removeTempDirs);

const config = (servers: Record<string, JsonObject>) =>
  buildEffectiveConfig({ home: "/daemon-home", userConfigFile: "/daemon-home/config.toml", profile: null, env: {}, merged: { mcp_servers: servers } }).config;

/** The launch a client of `name` in `servers` would make in `stdio`. */
function launchOf(servers: Record<string, JsonObject>, name: string, stdio: McpStdioEnvironment): StdioLaunch {
  const entry = readMcpServers(servers).find((e) => e.name === name);
  if (!entry?.ok) throw new Error(`no usable server ${name}`);
  const server: McpServerConfig = entry.config;
  return stdioLaunchOf(server, server.transport as McpStdioTransportConfig, stdio);
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe("sameLaunch", () => {
  const stdio = stdioEnvironment("/work/project");
  const servers = { s: faultyServer(["--a"], { env: { ONE: "1", TWO: "2" } }) };

  it("is the same launch whatever the order of the environment, and not when argv, env or policy differ", () => {
    const base = launchOf(servers, "s", stdio);
    const reordered = { ...base, launchOptions: { ...base.launchOptions, env: Object.fromEntries(Object.entries(base.launchOptions.env ?? {}).reverse()) } };
    expect(sameLaunch(base, reordered)).toBe(true);
    expect(sameLaunch(base, launchOf({ s: faultyServer(["--b"], { env: { ONE: "1", TWO: "2" } }) }, "s", stdio))).toBe(false);
    expect(sameLaunch(base, launchOf({ s: faultyServer(["--a"], { env: { ONE: "1", TWO: "3" } }) }, "s", stdio))).toBe(false);
    expect(sameLaunch(base, launchOf(servers, "s", stdioEnvironment("/work/project", { type: "dangerFullAccess" })))).toBe(false);
    expect(sameLaunch(base, launchOf({ s: faultyServer(["--a"], { env: { ONE: "1", TWO: "2" }, sandbox: false }) }, "s", stdio))).toBe(false);
  });
});

describe.runIf(hasBwrap)("McpEarlyLaunches", () => {
  it("launches each enabled stdio server once, and its client adopts that process", async () => {
    const marker = `gh-early-${randomUUID()}`;
    const servers = { s: faultyServer([marker]), off: faultyServer([marker], { enabled: false }), web: { url: "http://127.0.0.1:9/mcp" } };
    const stdio = stdioEnvironment(tempDir());
    const early = new McpEarlyLaunches(config(servers), stdio, silentLog);
    expect(early.size).toBe(1);
    await until(() => livePidsWith(marker).length > 0, "the early launch");
    const launched = livePidsWith(marker);

    const m = new ThreadMcpServers(servers, { log: silentLog, stdio: { ...stdio, earlyProcess: early.take.bind(early) } });
    cleanups.push(() => m.close());
    expect((await m.callTool("s", "echo", { text: "hi" })).content).toEqual([{ type: "text", text: "echo: hi" }]);
    await early.dispose();
    expect(livePidsWith(marker)).toEqual(launched);
  });

  it("a client whose launch changed in between starts its own process, and the early one is stopped", async () => {
    const earlyMarker = `gh-early-${randomUUID()}`;
    const laterMarker = `gh-later-${randomUUID()}`;
    const stdio = stdioEnvironment(tempDir());
    const early = new McpEarlyLaunches(config({ s: faultyServer([earlyMarker]) }), stdio, silentLog);
    await until(() => livePidsWith(earlyMarker).length > 0, "the early launch");

    const m = new ThreadMcpServers({ s: faultyServer([laterMarker]) }, { log: silentLog, stdio: { ...stdio, earlyProcess: early.take.bind(early) } });
    cleanups.push(() => m.close());
    expect((await m.callTool("s", "echo", { text: "hi" })).content).toEqual([{ type: "text", text: "echo: hi" }]);
    expect(livePidsWith(laterMarker).length).toBeGreaterThan(0);
    await until(() => livePidsWith(earlyMarker).length === 0, "the early process to be stopped");
  });

  it("dispose() stops what no client took", async () => {
    const marker = `gh-early-${randomUUID()}`;
    const early = new McpEarlyLaunches(config({ a: faultyServer([marker]), b: faultyServer([marker]) }), stdioEnvironment(tempDir()), silentLog);
    await until(() => livePidsWith(marker).length >= 2, "both early launches");
    await early.dispose();
    expect(livePidsWith(marker)).toEqual([]);
    expect(early.size).toBe(0);
  });

  it("what the server wrote before it was adopted reaches the client", async () => {
    const note = JSON.stringify({ jsonrpc: "2.0", method: "notifications/message", params: { level: "info", data: "early" } });
    const servers = {
      chatty: { command: NODE, args: ["-e", `console.error("first words"); console.log(${JSON.stringify(note)}); setInterval(() => {}, 1000)`] },
    };
    const stdio = stdioEnvironment(tempDir());
    const launch = launchOf(servers, "chatty", stdio);
    const launched = new McpEarlyLaunches(config(servers), stdio, silentLog).take("chatty", launch);
    expect(launched).not.toBeNull();
    const early = await launched;
    await until(() => early !== null && early.heldChunks.stdout > 0 && early.heldChunks.stderr > 0, "both lines to be held");
    const t = new SandboxedStdioTransport(launch, silentLog, launched);
    const messages: JSONRPCMessage[] = [];
    t.onmessage = (message) => messages.push(message);
    cleanups.push(() => t.close());
    await t.start();
    await until(() => messages.length === 1 && t.stderrTail === "first words", "the held output");
    expect(messages).toEqual([JSON.parse(note)]);
  });

  it("stops a server that writes without limit before its client adopts it", async () => {
    const stdio = stdioEnvironment(tempDir());
    const flood = { flood: { command: NODE, args: ["-e", "const b = 'x'.repeat(1 << 20); (function w() { process.stdout.write(b, w); })()"] } };
    const launched = await new McpEarlyLaunches(config(flood), stdio, silentLog).take("flood", launchOf(flood, "flood", stdio));
    const result = await launched?.handle.result;
    expect(result?.exitCode).not.toBe(0);
    expect(result?.aborted).toBe(true);
  });
});
