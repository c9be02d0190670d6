// A thread's MCP servers together, as real processes under real bubblewrap: healthy and faulty servers
// side by side (each failure stays with its server), the status snapshot, model-visible names,
// resources across servers, reload, close, and server-filesystem confined by the sandbox rather
// than by its own allowed directories.
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { SandboxPolicy } from "../../sandbox/sandboxPolicy.js";
import type { JsonObject } from "../config/json.js";
import { InvalidInputError } from "../errors.js";
import { McpServerError } from "./mcpErrors.js";
import {
  FILESYSTEM_SERVER,
  NODE,
  everythingServer,
  faultyServer,
  hasBwrap,
  removeTempDirs,
  silentLog,
  stdioEnvironment,
  tempDir,
} from "./mcpServers.testutil.js";
import { livePidsWith } from "../../../test/helpers/processes.js";
import { buildEffectiveConfig } from "../config/effective.js";
import { selectLauncher } from "../../sandbox/launcher.js";
import { mcpStdioEnvironment } from "./stdioLaunch.js";
import { ThreadMcpServers, type McpServerStatusUpdate } from "./threadMcp.js";

afterAll(removeTempDirs);

const managers: ThreadMcpServers[] = [];
afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.close()));
});

/** workspace-write with the thread's cwd as the only writable root (the temp folders are under /tmp). */
const workspacePolicy: SandboxPolicy = { type: "workspaceWrite", networkAccess: false, excludeSlashTmp: true, excludeTmpdirEnvVar: true };

function manager(servers: Record<string, JsonObject>, cwd = tempDir()): { m: ThreadMcpServers; updates: McpServerStatusUpdate[]; toolChanges: () => number } {
  const updates: McpServerStatusUpdate[] = [];
  let toolChanges = 0;
  const m = new ThreadMcpServers(servers, {
    log: silentLog,
    stdio: stdioEnvironment(cwd, workspacePolicy),
    onStatus: (u) => updates.push(u),
    onToolsChanged: () => toolChanges++,
  });
  managers.push(m);
  return { m, updates, toolChanges: () => toolChanges };
}

const text = (result: { content: unknown[] }): string =>
  result.content.map((c) => (typeof c === "object" && c !== null && "text" in c ? String((c as { text: unknown }).text) : "")).join("\n");

async function rejection(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => null,
    (e: unknown) => e,
  );
}

describe.runIf(hasBwrap)("ThreadMcpServers", () => {
  it("serves the healthy servers while the faulty ones fail, each failure reported with its server", async () => {
    const cwd = tempDir();
    const { m, updates } = manager(
      {
        everything: everythingServer(),
        crash: faultyServer(["--state", join(cwd, "crashed")]),
        hang: faultyServer(["--hang-at-startup"], { startup_timeout_sec: 0.5 }),
        garbage: faultyServer(["--garbage"], { tool_timeout_sec: 0.5 }),
        broken: { command: NODE, url: "http://127.0.0.1:1/" },
        off: { command: NODE, enabled: false },
      },
      cwd,
    );
    await m.start();
    const last = (name: string): McpServerStatusUpdate | undefined => updates.filter((u) => u.name === name).at(-1);
    expect(last("everything")).toMatchObject({ state: "connected", startupStatus: "ready", error: null });
    expect(last("hang")).toMatchObject({
      state: "failed",
      startupStatus: "failed",
      error: expect.stringMatching(/^MCP client for `hang` timed out after 0.5 seconds/),
    });
    expect(last("broken")).toEqual({
      name: "broken",
      state: "failed",
      startupStatus: "failed",
      error: "invalid [mcp_servers.broken]: url is not supported for stdio",
    });
    expect(last("off")).toBeUndefined();
    expect(updates.filter((u) => u.name === "everything").map((u) => u.startupStatus)).toEqual(["starting", "ready"]);

    const echo = async (): Promise<string> => text(await m.callTool("everything", "echo", { message: "still serving" }));
    expect(((await rejection(m.callTool("crash", "crash_once", {}))) as McpServerError).reason).toBe("serverExited");
    expect(await echo()).toBe("Echo: still serving");
    expect(((await rejection(m.callTool("garbage", "garbage", {}))) as McpServerError).reason).toBe("timeout");
    expect(await echo()).toBe("Echo: still serving");
    expect(((await rejection(m.callTool("crash", "malformed", {}))) as McpServerError).reason).toBe("malformedResult");
    expect(text(await m.callTool("crash", "crash_once", {}))).toBe("alive again");
    expect(updates.filter((u) => u.name === "crash").map((u) => u.startupStatus)).toEqual(["starting", "ready", "failed", "starting", "ready"]);

    const unknown = (await rejection(m.callTool("nosuch", "echo", {}))) as McpServerError;
    expect(unknown).toBeInstanceOf(McpServerError);
    expect([unknown.reason, unknown.message]).toEqual(["unknownServer", "unknown MCP server 'nosuch'"]);
  });

  it("gives a status snapshot per server, in name order, shaped like mcpServerStatus/list", async () => {
    const { m } = manager({
      everything: everythingServer(),
      hang: faultyServer(["--hang-at-startup"], { startup_timeout_sec: 0.5 }),
      off: { command: NODE, enabled: false },
    });
    const full = await m.statuses();
    expect(full.map((s) => [s.name, s.state])).toEqual([
      ["everything", "connected"],
      ["hang", "failed"],
      ["off", "disabled"],
    ]);
    const [everything, hang, off] = full;
    expect(everything).toMatchObject({
      serverInfo: { name: "mcp-servers/everything" },
      authStatus: "unsupported",
      httpOrigin: null,
      transport: "stdio",
      toolsError: null,
    });
    expect(everything?.tools["echo"]).toMatchObject({ name: "echo", inputSchema: { type: "object" } });
    expect(everything?.resources.length).toBeGreaterThan(0);
    expect(everything?.resourceTemplates.length).toBeGreaterThan(0);
    expect(hang).toMatchObject({ tools: {}, toolsError: "MCP startup failed: timed out handshaking with MCP server after 0.5s" });
    expect(off).toMatchObject({ state: "disabled", error: null, toolsError: null });
    const light = await m.statuses({ detail: "toolsAndAuthOnly", serverName: "everything" });
    expect(light.map((s) => [s.name, s.resources.length, Object.keys(s.tools).length > 0])).toEqual([["everything", 0, true]]);
  });

  it("lists a server's tools by their raw names, without the ones disabled_tools filters out, and calls one by its raw name", async () => {
    const { m } = manager({ "dot.ted": faultyServer(["--colliding-tools"], { disabled_tools: ["slow"] }) });
    await m.start();
    const [snap] = m.servers();
    expect(Object.keys(snap?.tools ?? {})).toContain("weird.name/with space");
    expect(Object.keys(snap?.tools ?? {})).not.toContain("slow");
    expect(snap?.tools["weird.name/with space"]?.description).toBe("A name the model may not see as is");
    expect((await m.statuses())[0]?.toolListMeta).toBeNull();
    expect(text(await m.callTool("dot.ted", "weird.name/with space", {}))).toBe("called weird.name/with space");
  });

  it("lists resources as list_mcp_resources does: one server's page with its cursor, or every server's", async () => {
    const { m, updates } = manager({
      everything: everythingServer(),
      faulty: faultyServer(),
      hang: faultyServer(["--hang-at-startup"], { startup_timeout_sec: 0.5 }),
    });
    const all = await m.listResources();
    expect(updates.filter((u) => u.name === "hang").map((u) => u.startupStatus)).toEqual(["starting", "failed"]); // not started again by the listing
    expect(all.nextCursor).toBeNull();
    expect(all.resources.length).toBeGreaterThan(0);
    expect(new Set(all.resources.map((r) => r.server))).toEqual(new Set(["everything"]));
    const page = await m.listResources("everything");
    expect(page.resources.every((r) => r.server === "everything")).toBe(true);
    expect(await rejection(m.listResources(null, "abc"))).toBeInstanceOf(InvalidInputError);
    const templates = await m.listResourceTemplates();
    expect(templates.resourceTemplates.map((t) => t.uriTemplate)).toContain("demo://resource/dynamic/text/{resourceId}");
    const first = all.resources[0];
    if (first === undefined) throw new Error("no resource");
    expect((await m.readResource("everything", first.uri)).contents[0]?.uri).toBe(first.uri);
  });

  it("reload restarts what changed, stops what went, starts what came, and leaves the rest running", async () => {
    const [keep, change] = [`keep-${randomUUID()}`, `change-${randomUUID()}`];
    const { m, updates } = manager({ keep: faultyServer([keep]), change: faultyServer([change]), gone: faultyServer() });
    await m.start();
    const keepPids = livePidsWith(keep);
    expect(keepPids.length).toBeGreaterThan(0);
    updates.length = 0;
    await m.reload({ keep: faultyServer([keep]), change: faultyServer([change], { tool_timeout_sec: 5 }), added: everythingServer() });
    expect(m.names).toEqual(["added", "change", "keep"]);
    expect(livePidsWith(keep)).toEqual(keepPids);
    expect(updates.map((u) => `${u.name}:${u.startupStatus}`).sort()).toEqual(["added:ready", "added:starting", "change:ready", "change:starting"]);
    expect(text(await m.callTool("added", "echo", { message: "new" }))).toBe("Echo: new");
    expect(((await rejection(m.callTool("gone", "echo", {}))) as McpServerError).reason).toBe("unknownServer");
  });

  it("close() stops every server and leaves no process behind", async () => {
    const markers = [`a-${randomUUID()}`, `b-${randomUUID()}`];
    const { m } = manager({ a: faultyServer([markers[0] as string]), b: faultyServer([markers[1] as string], { sandbox: false }) });
    await m.start();
    for (const marker of markers) expect(livePidsWith(marker).length).toBeGreaterThan(0);
    await m.close();
    for (const marker of markers) expect(livePidsWith(marker)).toEqual([]);
  });
});

describe.runIf(hasBwrap)("server-filesystem inside the sandbox", () => {
  it("may write inside the writable roots; outside them the sandbox refuses, though the server's own allowed directory is wider", async () => {
    const root = tempDir();
    const workspace = join(root, "workspace");
    const outside = join(root, "outside");
    mkdirSync(workspace);
    mkdirSync(outside);
    // The server is allowed all of `root`; the thread's policy lets it write only in `workspace`.
    const { m } = manager({ files: { command: NODE, args: [FILESYSTEM_SERVER, root] } }, workspace);
    const inside = await m.callTool("files", "write_file", { path: join(workspace, "in.txt"), content: "inside" });
    expect(inside.isError ?? false).toBe(false);
    expect(readFileSync(join(workspace, "in.txt"), "utf8")).toBe("inside");
    const refused = await m.callTool("files", "write_file", { path: join(outside, "out.txt"), content: "outside" });
    expect(refused.isError).toBe(true);
    expect(text(refused)).toMatch(/EROFS|read-only file system/i);
    expect(existsSync(join(outside, "out.txt"))).toBe(false);
  });
});

describe("mcpStdioEnvironment", () => {
  const config = (policy: JsonObject) =>
    buildEffectiveConfig({
      home: "/daemon-home",
      userConfigFile: "/daemon-home/config.toml",
      profile: null,
      env: {},
      merged: { shell_environment_policy: policy },
    }).config;
  const thread = { launcher: selectLauncher(), sandboxPolicy: () => workspacePolicy, cwd: "/work/project" };

  it("starts from the environment commands get (shell_environment_policy) and hides the daemon's home", () => {
    const env = mcpStdioEnvironment(config({ inherit: "none", set: { ONLY: "this" } }), thread, { PATH: "/bin", SECRET_TOKEN: "x" });
    expect(env.baseEnv).toEqual({ ONLY: "this" });
    expect(env.sourceEnv).toEqual({ PATH: "/bin", SECRET_TOKEN: "x" }); // env_vars still reach what the policy leaves out
    expect(env.daemonPaths).toEqual({ deny: ["/daemon-home"], readOnly: ["/daemon-home/config.toml"] });
    expect(env.cwd).toBe("/work/project");
  });

  it.runIf(hasBwrap)("a server sees the policy's environment, plus env_vars and env", async () => {
    const cwd = tempDir();
    const m = new ThreadMcpServers(
      { s: faultyServer([], { env_vars: ["GH_PASSED"], env: { GH_OWN: "own" } }) },
      {
        log: silentLog,
        stdio: mcpStdioEnvironment(
          config({ inherit: "none", set: { PATH: process.env["PATH"] ?? "/usr/bin:/bin" } }),
          { ...thread, cwd },
          { GH_PASSED: "passed", GH_DROPPED: "dropped" },
        ),
      },
    );
    managers.push(m);
    const get = async (name: string): Promise<string> => text(await m.callTool("s", "getenv", { name }));
    expect([await get("GH_PASSED"), await get("GH_OWN"), await get("GH_DROPPED")]).toEqual(["passed", "own", "(unset)"]);
  });
});
