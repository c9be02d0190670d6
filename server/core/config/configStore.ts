// config.toml: load, `-c key=value` overrides, the effective config, and atomic writes.
//
// Invariants:
// - User config never stops the daemon. A file that does not parse, or keys we do not know, become
//   warnings (shape of ConfigWarningNotification) and the daemon runs on what was good.
// - A layer's version is "sha256:" over the JSON of its parsed table (what 0.169 answers: the empty
//   layer is sha256("{}")), so `expectedVersion` detects a change made since the client last read.
// - Writes go to a temp file in the same folder, are fsynced, then renamed over config.toml, so a
//   reader sees the old file or the new one, never half of one.
import { createHash, randomBytes } from "node:crypto";
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { parse as parseToml, stringify as stringifyToml, TomlError } from "smol-toml";

export type Table = Record<string, unknown>;

export interface ConfigWarning {
  summary: string;
  details: string | null;
  path?: string | null;
}

export interface DeprecationNotice {
  summary: string;
  details: string | null;
}

/** Top-level keys the reference reads (0.169 config/read lists these and more); anything else warns. */
const KNOWN_KEYS = new Set([
  "model", "review_model", "model_provider", "model_providers", "model_context_window", "model_auto_compact_token_limit",
  "model_auto_compact_token_limit_scope", "model_reasoning_effort", "model_reasoning_summary", "model_verbosity",
  "model_supports_reasoning_summaries", "model_max_output_tokens", "plan_mode_reasoning_effort", "service_tier",
  "approval_policy", "approvals_reviewer", "sandbox_mode", "sandbox_workspace_write", "shell_environment_policy",
  "features", "profile", "profiles", "check_for_update_on_startup", "analytics", "otel", "notify", "mcp_servers",
  "project_doc_max_bytes", "project_doc_fallback_filenames", "projects", "tools", "history", "file_opener",
  "hide_agent_reasoning", "show_raw_agent_reasoning", "instructions", "developer_instructions", "compact_prompt",
  "experimental_compact_prompt_file", "forced_chatgpt_workspace_id", "forced_login_method", "web_search", "tui",
  "chatgpt_base_url", "cli_auth_credentials_store", "skills", "include_environment_context", "thread_unload_delay_secs",
  "apps", "plugins", "permissions", "default_permissions", "windows_wsl_setup_acknowledged", "disable_paste_burst",
  "preferred_auth_method", "model_catalog_json", "notice", "sandbox", "rules", "experimental_use_exec_command_tool",
  "experimental_use_unified_exec_tool", "experimental_use_freeform_apply_patch", "experimental_instructions_file",
  "include_apply_patch_tool", "include_plan_tool", "use_experimental_streamable_shell_tool", "mcp_oauth_credentials_store",
  "browser_use", "computer_use", "desktop", "client_search_provider", "memories", "hooks", "agents", "ghost_snapshot",
]);

const DEPRECATED: Record<string, string> = {
  experimental_use_exec_command_tool: "use `features.unified_exec` instead",
  experimental_use_unified_exec_tool: "use `features.unified_exec` instead",
  experimental_use_freeform_apply_patch: "use `features.apply_patch_freeform` instead",
  experimental_instructions_file: "use `model_instructions_file` instead",
  include_plan_tool: "the plan tool is always offered to models that support it",
  include_apply_patch_tool: "use `features.apply_patch_freeform` instead",
};

export function layerVersion(table: Table): string {
  return `sha256:${createHash("sha256").update(JSON.stringify(table)).digest("hex")}`;
}

/** `key.path=value`: the value is TOML when it parses as TOML, else the raw string (as the reference). */
export function parseOverride(spec: string): { keyPath: string[]; value: unknown } {
  const eq = spec.indexOf("=");
  if (eq <= 0) throw new Error(`invalid -c override ${JSON.stringify(spec)}: expected key=value`);
  const keyPath = spec.slice(0, eq).trim().split(".").map((k) => k.trim());
  if (keyPath.some((k) => k === "")) throw new Error(`invalid -c override ${JSON.stringify(spec)}: empty key segment`);
  const raw = spec.slice(eq + 1).trim();
  let value: unknown = raw;
  try {
    value = (parseToml(`v = ${raw}`) as Table)["v"];
  } catch {
    value = raw;
  }
  return { keyPath, value };
}

export function getPath(table: Table, keyPath: readonly string[]): unknown {
  let node: unknown = table;
  for (const k of keyPath) {
    if (!node || typeof node !== "object" || Array.isArray(node)) return undefined;
    node = (node as Table)[k];
  }
  return node;
}

export function setPath(table: Table, keyPath: readonly string[], value: unknown, merge = false): void {
  let node = table;
  for (const k of keyPath.slice(0, -1)) {
    const next = node[k];
    if (!next || typeof next !== "object" || Array.isArray(next)) node[k] = {};
    node = node[k] as Table;
  }
  const last = keyPath[keyPath.length - 1] as string;
  if (value === null || value === undefined) delete node[last];
  else if (merge && isTable(value) && isTable(node[last])) node[last] = deepMerge(node[last] as Table, value);
  else node[last] = value;
}

const isTable = (v: unknown): v is Table => typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);

export function deepMerge(base: Table, over: Table): Table {
  const out: Table = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isTable(v) && isTable(out[k]) ? deepMerge(out[k] as Table, v) : v;
  return out;
}

/** TOML dates and bigints are not JSON: the wire and the version hash see strings and numbers. */
function toJsonSafe(v: unknown): unknown {
  if (typeof v === "bigint") return Number(v);
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(toJsonSafe);
  if (isTable(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJsonSafe(x)]));
  return v;
}

export interface LoadedConfig {
  path: string;
  /** The user layer as parsed (empty when missing or malformed). */
  user: Table;
  /** The -c overrides as a table (the sessionFlags layer). */
  sessionFlags: Table;
  /** user ⊕ selected profile ⊕ session flags. */
  effective: Table;
  warnings: ConfigWarning[];
  deprecations: DeprecationNotice[];
}

export function loadConfig(home: string, overrides: readonly string[]): LoadedConfig {
  const path = join(home, "config.toml");
  const warnings: ConfigWarning[] = [];
  const deprecations: DeprecationNotice[] = [];
  let user: Table = {};
  if (existsSync(path)) {
    try {
      user = toJsonSafe(parseToml(readFileSync(path, "utf8"))) as Table;
    } catch (error) {
      const where = error instanceof TomlError ? ` (line ${error.line}, column ${error.column})` : "";
      warnings.push({
        summary: `Gatehouse could not parse ${path}${where}; it runs on the default configuration until the file is fixed.`,
        details: error instanceof Error ? error.message : String(error),
        path,
      });
    }
  }
  const unknown = Object.keys(user).filter((k) => !KNOWN_KEYS.has(k));
  if (unknown.length) {
    const n = unknown.length;
    warnings.push({
      summary:
        `Gatehouse is ignoring ${n} unrecognized configuration setting${n === 1 ? "" : "s"}. Check for typos or deprecated settings.\n` +
        unknown.map((k) => `  user (${path}): \`${k}\` is ignored.`).join("\n"),
      details: null,
      path,
    });
  }
  for (const [key, advice] of Object.entries(DEPRECATED)) {
    if (key in user) deprecations.push({ summary: `\`${key}\` is deprecated`, details: advice });
  }
  const sessionFlags: Table = {};
  for (const spec of overrides) {
    try {
      const { keyPath, value } = parseOverride(spec);
      setPath(sessionFlags, keyPath, toJsonSafe(value));
    } catch (error) {
      warnings.push({ summary: error instanceof Error ? error.message : String(error), details: null });
    }
  }
  let effective = deepMerge(user, sessionFlags);
  const profileName = effective["profile"];
  if (typeof profileName === "string") {
    const profile = getPath(effective, ["profiles", profileName]);
    if (isTable(profile)) effective = deepMerge(deepMerge(user, profile), sessionFlags);
    else warnings.push({ summary: `config profile \`${profileName}\` not found`, details: null, path });
  }
  if (effective["approval_policy"] === "on-failure") {
    deprecations.push({
      summary: "`approval_policy = \"on-failure\"` is deprecated",
      details: "It is read as \"on-request\": commands run sandboxed and the model asks for escalation when it needs it.",
    });
    warnings.push({ summary: 'approval_policy "on-failure" is read as "on-request"', details: null, path });
  }
  return { path, user, sessionFlags, effective, warnings, deprecations };
}

export class ConfigVersionConflict extends Error {
  constructor() {
    super("Configuration was modified since last read. Fetch latest version and retry.");
    this.name = "ConfigVersionConflict";
  }
}

export interface ConfigEdit {
  keyPath: string;
  value: unknown;
  mergeStrategy: "replace" | "upsert";
}

/** Applies edits to the user layer and replaces config.toml atomically. Returns the new version. */
export function writeConfigEdits(path: string, edits: readonly ConfigEdit[], expectedVersion: string | null | undefined): { version: string; user: Table } {
  let current: Table = {};
  if (existsSync(path)) current = toJsonSafe(parseToml(readFileSync(path, "utf8"))) as Table;
  if (expectedVersion && expectedVersion !== layerVersion(current)) throw new ConfigVersionConflict();
  const next: Table = structuredClone(current);
  for (const edit of edits) {
    const keyPath = edit.keyPath.split(".");
    if (keyPath.some((k) => k === "")) throw new Error(`invalid keyPath ${JSON.stringify(edit.keyPath)}`);
    setPath(next, keyPath, edit.value, edit.mergeStrategy === "upsert");
  }
  const text = stringifyToml(next);
  const mode = existsSync(path) ? statSync(path).mode & 0o777 : 0o600;
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  const fd = openSync(tmp, "wx", mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(tmp, path);
  return { version: layerVersion(next), user: next };
}
