import { describe, expect, it } from "vitest";
import { DEFAULT_STARTUP_TIMEOUT_MS, DEFAULT_TOOL_TIMEOUT_MS, readMcpServer, readMcpServers, sameServerConfig, toolAllowed } from "./mcpConfig.js";

const error = (table: Parameters<typeof readMcpServer>[1]): string => {
  const entry = readMcpServer("s", table);
  if (entry.ok) throw new Error("expected an unusable table");
  return entry.error;
};

describe("readMcpServer", () => {
  it("reads a stdio server with 0.169's defaults and Gatehouse's sandbox default", () => {
    expect(readMcpServer("docs", { command: "docs-mcp" })).toEqual({
      name: "docs",
      ok: true,
      config: {
        name: "docs",
        transport: { kind: "stdio", command: "docs-mcp", args: [], env: {}, envVars: [], cwd: null },
        enabled: true,
        startupTimeoutMs: DEFAULT_STARTUP_TIMEOUT_MS,
        toolTimeoutMs: DEFAULT_TOOL_TIMEOUT_MS,
        enabledTools: null,
        disabledTools: [],
        sandbox: true,
        defaultToolsApprovalMode: null,
        toolApprovalModes: {},
        supportsParallelToolCalls: false,
      },
    });
    expect([DEFAULT_STARTUP_TIMEOUT_MS, DEFAULT_TOOL_TIMEOUT_MS]).toEqual([30_000, 300_000]);
  });

  it("reads every stdio key", () => {
    const entry = readMcpServer("s", {
      command: "srv",
      args: ["--stdio"],
      env: { A: "1" },
      env_vars: ["TOKEN", { name: "OTHER", source: "local" }],
      cwd: "/work",
      enabled: false,
      startup_timeout_sec: 2.5,
      startup_timeout_ms: 99,
      tool_timeout_sec: 7,
      enabled_tools: ["a", "b"],
      disabled_tools: ["b"],
      sandbox: false,
      default_tools_approval_mode: "prompt",
      tools: { a: { approval_mode: "approve" } },
      supports_parallel_tool_calls: true,
      scopes: ["ignored"],
      required: true,
    });
    expect(entry.ok && entry.config).toMatchObject({
      transport: { kind: "stdio", command: "srv", args: ["--stdio"], env: { A: "1" }, envVars: [{ name: "TOKEN" }, { name: "OTHER" }], cwd: "/work" },
      enabled: false,
      startupTimeoutMs: 2500, // startup_timeout_sec wins over startup_timeout_ms, as in 0.169
      toolTimeoutMs: 7000,
      enabledTools: ["a", "b"],
      disabledTools: ["b"],
      sandbox: false,
      defaultToolsApprovalMode: "prompt",
      toolApprovalModes: { a: "approve" },
      supportsParallelToolCalls: true,
    });
    expect(readMcpServer("s", { command: "srv", startup_timeout_ms: 1500 })).toMatchObject({ config: { startupTimeoutMs: 1500 } });
  });

  it("reads a streamable HTTP server; sandbox does not apply to it", () => {
    const entry = readMcpServer("web", {
      url: "https://mcp.example.com/mcp",
      bearer_token_env_var: "WEB_TOKEN",
      http_headers: { "X-A": "a" },
      env_http_headers: { "X-B": "B_VAR" },
    });
    expect(entry.ok && entry.config).toMatchObject({
      transport: {
        kind: "streamableHttp",
        url: "https://mcp.example.com/mcp",
        bearerTokenEnvVar: "WEB_TOKEN",
        httpHeaders: { "X-A": "a" },
        envHttpHeaders: { "X-B": "B_VAR" },
      },
      sandbox: false,
    });
    expect(error({ url: "https://x/mcp", sandbox: true })).toMatch(/`sandbox` applies to stdio servers only/);
  });

  it("refuses keys of the other transport in 0.169's words", () => {
    expect(error({ command: "x", url: "http://h/" })).toBe("invalid [mcp_servers.s]: url is not supported for stdio");
    expect(error({ command: "x", http_headers: {} })).toBe("invalid [mcp_servers.s]: http_headers is not supported for stdio");
    expect(error({ url: "http://h/", args: [] })).toBe("invalid [mcp_servers.s]: args is not supported for streamable_http");
    expect(error({ url: "http://h/", env_vars: [] })).toBe("invalid [mcp_servers.s]: env_vars is not supported for streamable_http");
  });

  it("says what is missing or wrong, naming the key", () => {
    expect(error({})).toBe("invalid [mcp_servers.s]: invalid transport: set `command` (a stdio server) or `url` (a streamable HTTP server)");
    expect(error({ command: 5 })).toBe("invalid [mcp_servers.s]: `command` must be a string, not number 5");
    expect(error({ command: "x", args: "--stdio" })).toBe('invalid [mcp_servers.s]: `args` must be a list of strings, not string "--stdio"');
    expect(error({ command: "x", env: { A: 1 } })).toBe("invalid [mcp_servers.s]: `env.A` must be a string, not number 1");
    expect(error({ command: "x", startup_timeout_sec: -1 })).toBe(
      "invalid [mcp_servers.s]: `startup_timeout_sec` must be a positive number of seconds, not number -1",
    );
    expect(error({ command: "x", tool_timeout_sec: "10" })).toBe(
      'invalid [mcp_servers.s]: `tool_timeout_sec` must be a positive number of seconds, not string "10"',
    );
    expect(error({ command: "x", enabled: "yes" })).toBe('invalid [mcp_servers.s]: `enabled` must be true or false, not string "yes"');
    expect(error({ command: "x", default_tools_approval_mode: "sometimes" })).toMatch(
      /`default_tools_approval_mode` must be one of "auto", "prompt", "writes", "approve"/,
    );
    expect(error({ url: "ftp://h/" })).toBe('invalid [mcp_servers.s]: `url` must be an http:// or https:// URL, not "ftp://h/"');
    expect(error({ url: "not a url" })).toBe('invalid [mcp_servers.s]: `url` is not a valid URL: "not a url"');
  });

  it("fails a server whose configured input Gatehouse cannot honour, rather than start it without", () => {
    expect(error({ command: "x", env_vars: [{ name: "T", source: "remote" }] })).toMatch(/source `remote`, which needs a remote MCP environment/);
    expect(error({ command: "x", env_vars: [{ name: "T", source: "vault" }] })).toBe(
      "invalid [mcp_servers.s]: unsupported env_vars source `vault`; expected `local` or `remote`",
    );
    expect(error({ command: "x", environment_id: "remote-box" })).toMatch(/`environment_id = "remote-box"` is not supported/);
    expect(error({ url: "http://h/", http_headers_helper: "print-headers" })).toMatch(/`http_headers_helper` is not supported by Gatehouse/);
    expect(error({ bearer_token: "t" })).toMatch(/`bearer_token` is not supported: put the token in an environment variable and set `bearer_token_env_var`/);
  });

  it("an unusable table that says enabled = false is disabled, not failed", () => {
    expect(readMcpServer("s", { command: 5, enabled: false })).toMatchObject({ ok: false, enabled: false });
    expect(readMcpServer("s", { command: 5 })).toMatchObject({ ok: false, enabled: true });
  });
});

describe("readMcpServers", () => {
  it("reads every table, in name order, and never throws", () => {
    const entries = readMcpServers({ zeta: { command: "z" }, alpha: { url: 3 }, mid: { command: "m" } });
    expect(entries.map((e) => [e.name, e.ok])).toEqual([
      ["alpha", false],
      ["mid", true],
      ["zeta", true],
    ]);
  });

  it("tells a changed table from an unchanged one", () => {
    const [a, b, c] = [
      readMcpServer("s", { command: "x", args: ["1"] }),
      readMcpServer("s", { command: "x", args: ["1"] }),
      readMcpServer("s", { command: "x", args: ["2"] }),
    ];
    expect(sameServerConfig(a, b)).toBe(true);
    expect(sameServerConfig(a, c)).toBe(false);
  });
});

describe("toolAllowed", () => {
  it("applies enabled_tools (when set), then disabled_tools", () => {
    expect(toolAllowed({ enabledTools: null, disabledTools: [] }, "a")).toBe(true);
    expect(toolAllowed({ enabledTools: ["a"], disabledTools: [] }, "b")).toBe(false);
    expect(toolAllowed({ enabledTools: ["a"], disabledTools: ["a"] }, "a")).toBe(false);
    expect(toolAllowed({ enabledTools: null, disabledTools: ["b"] }, "b")).toBe(false);
  });
});
