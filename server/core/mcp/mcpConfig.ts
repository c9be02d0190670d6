// `[mcp_servers.<name>]` tables as 0.169 reads them, turned into one typed entry per server. The raw
// tables come from EffectiveConfig.mcpServers; config/configSchema.ts only names the keys (so a typo
// is an "is ignored" warning, as in 0.169) and leaves every value to this module.
//
// Why values are checked here and not by the config schema: the config layer drops a bad value and
// keeps the rest, which for an MCP server would start a different program than the one configured
// (`args` dropped, `env` dropped). 0.169 refuses the whole config.toml instead (thread/start fails).
// Here a bad table fails that one server, with a message that names the key, and every other server
// and the rest of the config still work. Reading never throws.
//
// 0.169 facts this module follows (codex-rs/config/src/mcp_types.rs `RawMcpServerConfig` and its
// `TryFrom`; codex-mcp's connection manager for the defaults; checked against the 0.169 binary):
//  - `command` makes a stdio server, else `url` a streamable HTTP one, else "invalid transport".
//  - A key of the other transport is refused: "<key> is not supported for stdio" / "… for streamable_http".
//  - `startup_timeout_sec` (seconds, fractional allowed) wins over `startup_timeout_ms`; default 30 s (observed).
//    It bounds `initialize` and the first `tools/list`.
//  - `tool_timeout_sec` bounds each tools/call; default 300 s (observed; the source read says 120 s).
//  - `enabled` defaults to true; `enabled_tools` (allow-list, when set) then `disabled_tools` (deny-list).
//  - `env_vars` entries are names (or `{name, source}` with source "local" | "remote") copied from the
//    daemon's environment into the server's.
//  - Keys 0.169 reads that Gatehouse has no use for (OAuth, `scopes`, `required`, …) are accepted and
//    ignored; the ones whose absence would change what the server receives (`http_headers_helper`,
//    `bearer_token`, a remote `environment_id` or `env_vars` source) fail the server instead.
// Gatehouse's own key: `sandbox` (stdio only, default true) runs the server inside the thread's sandbox;
// `sandbox = false` runs it unsandboxed, as 0.169 runs every stdio server.
import { isPlainObject, type JsonObject, type JsonValue } from "../config/json.js";

/** 0.169's default for `startup_timeout_sec`: `initialize` plus the first `tools/list`. */
export const DEFAULT_STARTUP_TIMEOUT_MS = 30_000;
/** 0.169's default for `tool_timeout_sec` (observed on 0.169.0: "timed out awaiting tools/call after 300s"). */
export const DEFAULT_TOOL_TIMEOUT_MS = 300_000;

/** `default_tools_approval_mode` and `tools.<name>.approval_mode` (0.169's AppToolApproval). */
export type McpToolApprovalMode = "auto" | "prompt" | "writes" | "approve";
const APPROVAL_MODES: readonly McpToolApprovalMode[] = ["auto", "prompt", "writes", "approve"];

/** One `env_vars` entry: a variable copied from the daemon's environment. */
export interface McpEnvVar {
  readonly name: string;
}

export interface McpStdioTransportConfig {
  readonly kind: "stdio";
  readonly command: string;
  readonly args: readonly string[];
  /** Set on top of the daemon's command environment and `envVars`. */
  readonly env: Readonly<Record<string, string>>;
  readonly envVars: readonly McpEnvVar[];
  /** Absent: the thread's cwd. */
  readonly cwd: string | null;
}

export interface McpHttpTransportConfig {
  readonly kind: "streamableHttp";
  readonly url: string;
  /** The variable whose value is sent as `Authorization: Bearer <value>`. */
  readonly bearerTokenEnvVar: string | null;
  readonly httpHeaders: Readonly<Record<string, string>>;
  /** Header name → the variable its value is read from. */
  readonly envHttpHeaders: Readonly<Record<string, string>>;
}

export type McpTransportConfig = McpStdioTransportConfig | McpHttpTransportConfig;

export interface McpServerConfig {
  readonly name: string;
  readonly transport: McpTransportConfig;
  readonly enabled: boolean;
  readonly startupTimeoutMs: number;
  readonly toolTimeoutMs: number;
  /** Allow-list; null: every tool the server lists. */
  readonly enabledTools: readonly string[] | null;
  readonly disabledTools: readonly string[];
  /** Stdio only: run inside the thread's sandbox (Gatehouse's `sandbox`, default true). Always false for HTTP. */
  readonly sandbox: boolean;
  /** 0.169's `default_tools_approval_mode`, for the approval policy; null when unset. */
  readonly defaultToolsApprovalMode: McpToolApprovalMode | null;
  /** 0.169's `tools.<name>.approval_mode`, per raw tool name. */
  readonly toolApprovalModes: Readonly<Record<string, McpToolApprovalMode>>;
  /** 0.169's `supports_parallel_tool_calls` (default false). */
  readonly supportsParallelToolCalls: boolean;
}

/**
 * One `[mcp_servers.<name>]` table: usable, or the reason it is not. An unusable table whose
 * `enabled = false` is readable counts as disabled (nothing would start it), not as failed.
 */
export type McpServerEntry =
  | { readonly name: string; readonly ok: true; readonly config: McpServerConfig }
  | { readonly name: string; readonly ok: false; readonly enabled: boolean; readonly error: string };

/** Every server of `mcpServers` (EffectiveConfig.mcpServers), in name order. */
export function readMcpServers(mcpServers: Readonly<Record<string, JsonObject>>): McpServerEntry[] {
  return Object.keys(mcpServers)
    .sort()
    .map((name) => readMcpServer(name, mcpServers[name] ?? {}));
}

class InvalidEntry extends Error {}

function describe(value: JsonValue | undefined): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a table";
  return `${typeof value} ${JSON.stringify(value)}`;
}

function fail(message: string): never {
  throw new InvalidEntry(message);
}

function optionalString(table: JsonObject, key: string): string | null {
  const v = table[key];
  if (v === undefined) return null;
  if (typeof v !== "string") fail(`\`${key}\` must be a string, not ${describe(v)}`);
  return v;
}

function optionalBoolean(table: JsonObject, key: string): boolean | null {
  const v = table[key];
  if (v === undefined) return null;
  if (typeof v !== "boolean") fail(`\`${key}\` must be true or false, not ${describe(v)}`);
  return v;
}

function optionalStringList(table: JsonObject, key: string): string[] | null {
  const v = table[key];
  if (v === undefined) return null;
  if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) fail(`\`${key}\` must be a list of strings, not ${describe(v)}`);
  return v as string[];
}

function optionalStringMap(table: JsonObject, key: string): Record<string, string> | null {
  const v = table[key];
  if (v === undefined) return null;
  if (!isPlainObject(v)) fail(`\`${key}\` must be a table of strings, not ${describe(v)}`);
  for (const [k, x] of Object.entries(v)) if (typeof x !== "string") fail(`\`${key}.${k}\` must be a string, not ${describe(x)}`);
  return v as Record<string, string>;
}

/** A positive duration in seconds (0.169 takes fractions) → milliseconds. */
function optionalSeconds(table: JsonObject, key: string): number | null {
  const v = table[key];
  if (v === undefined) return null;
  if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) fail(`\`${key}\` must be a positive number of seconds, not ${describe(v)}`);
  return v * 1000;
}

function optionalMillis(table: JsonObject, key: string): number | null {
  const v = table[key];
  if (v === undefined) return null;
  if (typeof v !== "number" || !Number.isInteger(v) || v <= 0) fail(`\`${key}\` must be a positive whole number of milliseconds, not ${describe(v)}`);
  return v;
}

function approvalMode(value: JsonValue | undefined, key: string): McpToolApprovalMode | null {
  if (value === undefined) return null;
  if (typeof value === "string" && (APPROVAL_MODES as readonly string[]).includes(value)) return value as McpToolApprovalMode;
  return fail(`\`${key}\` must be one of ${APPROVAL_MODES.map((m) => `"${m}"`).join(", ")}, not ${describe(value)}`);
}

function toolApprovalModes(table: JsonObject): Record<string, McpToolApprovalMode> {
  const tools = table["tools"];
  if (tools === undefined) return {};
  if (!isPlainObject(tools)) fail(`\`tools\` must be a table of per-tool tables, not ${describe(tools)}`);
  const out: Record<string, McpToolApprovalMode> = {};
  for (const [tool, settings] of Object.entries(tools)) {
    if (!isPlainObject(settings)) fail(`\`tools.${tool}\` must be a table, not ${describe(settings)}`);
    const mode = approvalMode(settings["approval_mode"], `tools.${tool}.approval_mode`);
    if (mode !== null) out[tool] = mode;
  }
  return out;
}

function envVars(table: JsonObject): McpEnvVar[] {
  const v = table["env_vars"];
  if (v === undefined) return [];
  if (!Array.isArray(v)) fail(`\`env_vars\` must be a list of variable names, not ${describe(v)}`);
  return v.map((entry) => {
    if (typeof entry === "string") return { name: entry };
    if (isPlainObject(entry) && typeof entry["name"] === "string") {
      const source = entry["source"];
      if (source === undefined || source === "local") return { name: entry["name"] };
      if (source === "remote")
        fail(`\`env_vars\` entry \`${entry["name"]}\` has source \`remote\`, which needs a remote MCP environment; Gatehouse runs MCP servers locally`);
      fail(`unsupported env_vars source \`${String(source)}\`; expected \`local\` or \`remote\``);
    }
    return fail(`\`env_vars\` entries must be variable names or {name, source} tables, not ${describe(entry)}`);
  });
}

/** 0.169's wording for a key of the other transport. */
function refuse(table: JsonObject, transport: "stdio" | "streamable_http", keys: readonly string[]): void {
  for (const key of keys) if (table[key] !== undefined) fail(`${key} is not supported for ${transport}`);
}

function readTransport(table: JsonObject): McpTransportConfig {
  const command = optionalString(table, "command");
  const url = optionalString(table, "url");
  if (command !== null) {
    refuse(table, "stdio", [
      "url",
      "bearer_token_env_var",
      "bearer_token",
      "http_headers_helper",
      "http_headers",
      "env_http_headers",
      "oauth",
      "oauth_resource",
      "auth",
    ]);
    if (command === "") fail("`command` must not be empty");
    return {
      kind: "stdio",
      command,
      args: optionalStringList(table, "args") ?? [],
      env: optionalStringMap(table, "env") ?? {},
      envVars: envVars(table),
      cwd: optionalString(table, "cwd"),
    };
  }
  if (url !== null) {
    refuse(table, "streamable_http", ["args", "env", "env_vars", "cwd", "bearer_token"]);
    if (table["sandbox"] !== undefined) fail("`sandbox` applies to stdio servers only: Gatehouse does not run a streamable HTTP server, it connects to it");
    if (table["http_headers_helper"] !== undefined)
      fail("`http_headers_helper` is not supported by Gatehouse; give the headers with `http_headers`, `env_http_headers` or `bearer_token_env_var`");
    try {
      const parsed = new URL(url);
      if (parsed.protocol !== "http:" && parsed.protocol !== "https:") fail(`\`url\` must be an http:// or https:// URL, not ${JSON.stringify(url)}`);
    } catch (e) {
      if (e instanceof InvalidEntry) throw e;
      fail(`\`url\` is not a valid URL: ${JSON.stringify(url)}`);
    }
    return {
      kind: "streamableHttp",
      url,
      bearerTokenEnvVar: optionalString(table, "bearer_token_env_var"),
      httpHeaders: optionalStringMap(table, "http_headers") ?? {},
      envHttpHeaders: optionalStringMap(table, "env_http_headers") ?? {},
    };
  }
  if (table["bearer_token"] !== undefined) fail("`bearer_token` is not supported: put the token in an environment variable and set `bearer_token_env_var`");
  return fail("invalid transport: set `command` (a stdio server) or `url` (a streamable HTTP server)");
}

function readConfig(name: string, table: JsonObject): McpServerConfig {
  const environmentId = optionalString(table, "environment_id");
  if (environmentId !== null && environmentId !== "local")
    fail(`\`environment_id = ${JSON.stringify(environmentId)}\` is not supported: Gatehouse runs MCP servers locally`);
  const transport = readTransport(table);
  const startupSec = optionalSeconds(table, "startup_timeout_sec");
  const startupMs = optionalMillis(table, "startup_timeout_ms");
  return {
    name,
    transport,
    enabled: optionalBoolean(table, "enabled") ?? true,
    startupTimeoutMs: startupSec ?? startupMs ?? DEFAULT_STARTUP_TIMEOUT_MS,
    toolTimeoutMs: optionalSeconds(table, "tool_timeout_sec") ?? DEFAULT_TOOL_TIMEOUT_MS,
    enabledTools: optionalStringList(table, "enabled_tools"),
    disabledTools: optionalStringList(table, "disabled_tools") ?? [],
    sandbox: transport.kind === "stdio" ? (optionalBoolean(table, "sandbox") ?? true) : false,
    defaultToolsApprovalMode: approvalMode(table["default_tools_approval_mode"], "default_tools_approval_mode"),
    toolApprovalModes: toolApprovalModes(table),
    supportsParallelToolCalls: optionalBoolean(table, "supports_parallel_tool_calls") ?? false,
  };
}

/** One server's table; never throws. */
export function readMcpServer(name: string, table: JsonObject): McpServerEntry {
  try {
    return { name, ok: true, config: readConfig(name, table) };
  } catch (e) {
    if (!(e instanceof InvalidEntry)) throw e;
    return { name, ok: false, enabled: table["enabled"] !== false, error: `invalid [mcp_servers.${name}]: ${e.message}` };
  }
}

/** Whether the tool filter lets `tool` through: in `enabled_tools` when that is set, and not in `disabled_tools`. */
export function toolAllowed(config: Pick<McpServerConfig, "enabledTools" | "disabledTools">, tool: string): boolean {
  return (config.enabledTools === null || config.enabledTools.includes(tool)) && !config.disabledTools.includes(tool);
}

/** Same server as far as a running connection is concerned (reload restarts only what changed). */
export function sameServerConfig(a: McpServerEntry, b: McpServerEntry): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
