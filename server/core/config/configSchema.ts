// The config.toml keys Gatehouse knows, as zod schemas. Strict tables (z.strictObject) report keys
// they do not know as `unrecognized_keys`, which become the unknown-key warning; loose ones accept
// anything (generous on purpose: a false "is ignored" warning is worse than a missed typo).
//
// Where the set of keys comes from: the top level is every key 0.169 echoes in config/read (its
// ConfigToml) plus `features`; strict nested tables are the ones whose fields 0.169 echoes and whose
// unknown keys it reports (checked with `codex app-server --strict-config`: sandbox_workspace_write,
// shell_environment_policy, model_providers.*, profiles.*, otel, history, analytics, tools). Value
// types are given for the keys the daemon uses; the rest are z.unknown().
import * as z from "zod";
import { knownFeatureKeys } from "../catalog/featureRegistry.js";
import { READ_DEFAULTS } from "./readDefaults.data.js";

const str = z.string();
const nonEmpty = z.string().min(1);
const bool = z.boolean();
const int = z.int();
const uint = z.int().nonnegative();
const strList = z.array(z.string());
const strMap = z.record(z.string(), z.string());
const any = z.unknown();

export const SANDBOX_MODES = ["read-only", "workspace-write", "danger-full-access"] as const;
export const SandboxModeToml = z.enum(SANDBOX_MODES);

/** 0.169 still accepts "on-failure" and reads it as "on-request" (see configToml.ts). */
export const AskForApprovalToml = z.union([
  z.enum(["untrusted", "on-failure", "on-request", "never"]),
  z.strictObject({
    granular: z.strictObject({
      sandbox_approval: bool,
      rules: bool,
      mcp_elicitations: bool,
      skill_approval: bool.optional(),
      request_permissions: bool.optional(),
    }),
  }),
]);
/** The variants 0.169 names in its "unknown variant" message for approval_policy. */
export const APPROVAL_POLICY_VARIANTS = ["untrusted", "on-failure", "on-request", "granular", "never"];

const ReasoningSummaryToml = z.enum(["auto", "concise", "detailed", "none"]);
const VerbosityToml = z.enum(["low", "medium", "high"]);
const WebSearchModeToml = z.enum(["disabled", "cached", "indexed", "live"]);
const ApprovalsReviewerToml = z.enum(["user", "auto_review", "guardian_subagent"]);

// One optional schema shared by every key: zod computes a schema's optionality once per instance,
// and 229 distinct instances made the first parse of config.toml cost more than the rest of it.
const featureValue = z.union([bool, z.record(z.string(), any)]).optional();
export const FeaturesToml = z.strictObject(Object.fromEntries(knownFeatureKeys().map((k) => [k, featureValue])));

export const SandboxWorkspaceWriteToml = z
  .strictObject({
    writable_roots: strList,
    network_access: bool,
    exclude_tmpdir_env_var: bool,
    exclude_slash_tmp: bool,
  })
  .partial();

export const ShellEnvironmentPolicyToml = z
  .strictObject({
    inherit: z.enum(["all", "core", "none"]),
    ignore_default_excludes: bool,
    exclude: strList,
    set: strMap,
    include_only: strList,
    filters: any,
    experimental_use_profile: bool,
  })
  .partial();

/** `wire_api = "chat"` is refused by 0.169 but Gatehouse keeps a Chat Completions client for v1 compatibility. */
export const ModelProviderToml = z
  .strictObject({
    name: str,
    base_url: str,
    model_catalog_url: str,
    env_key: str,
    env_key_instructions: str,
    experimental_bearer_token: str,
    auth: any,
    gateway_oauth: any,
    aws: any,
    project_id: str,
    location: str,
    credential_file: str,
    wire_api: z.enum(["responses", "chat"]),
    capabilities: any,
    query_params: strMap,
    http_headers: strMap,
    env_http_headers: strMap,
    request_max_retries: uint,
    stream_max_retries: uint,
    stream_idle_timeout_ms: uint,
    websocket_connect_timeout_ms: uint,
    requires_openai_auth: bool,
    supports_websockets: bool,
    supports_standalone_web_search: bool,
  })
  .partial();
export type ModelProviderToml = z.infer<typeof ModelProviderToml>;

export const ProfileToml = z
  .strictObject({
    model: str,
    service_tier: any,
    model_provider: str,
    approval_policy: AskForApprovalToml,
    approvals_reviewer: ApprovalsReviewerToml,
    sandbox_mode: SandboxModeToml,
    model_reasoning_effort: nonEmpty,
    plan_mode_reasoning_effort: nonEmpty,
    model_reasoning_summary: ReasoningSummaryToml,
    model_verbosity: VerbosityToml,
    model_catalog_json: any,
    personality: any,
    chatgpt_base_url: str,
    model_instructions_file: str,
    js_repl_node_path: any,
    js_repl_node_module_dirs: any,
    experimental_compact_prompt_file: any,
    include_permissions_instructions: bool,
    include_apps_instructions: bool,
    include_collaboration_mode_instructions: bool,
    include_environment_context: bool,
    include_environment_context_time: bool,
    experimental_use_unified_exec_tool: bool,
    tools: any,
    web_search: WebSearchModeToml,
    analytics: any,
    tui: any,
    windows: any,
    features: FeaturesToml,
    oss_provider: any,
  })
  .partial();
export type ProfileToml = z.infer<typeof ProfileToml>;

/**
 * `[mcp_servers.<name>]`: every key 0.169 reads (an unknown one is "ignored", as 0.169 says), plus
 * Gatehouse's `sandbox`. The values are z.unknown() on purpose: core/mcp/mcpConfig.ts checks them and a
 * bad one fails that server with a message, where dropping it here would start the server without it.
 */
const McpServerToml = z
  .strictObject({
    command: any,
    args: any,
    env: any,
    env_vars: any,
    cwd: any,
    url: any,
    bearer_token: any,
    bearer_token_env_var: any,
    http_headers: any,
    env_http_headers: any,
    http_headers_helper: any,
    environment_id: any,
    auth: any,
    enabled: any,
    required: any,
    startup_timeout_sec: any,
    startup_timeout_ms: any,
    startup_readiness: any,
    tool_timeout_sec: any,
    tool_input_schema_max_bytes: any,
    supports_parallel_tool_calls: any,
    omit_tools_from: any,
    default_tools_approval_mode: any,
    enabled_tools: any,
    disabled_tools: any,
    scopes: any,
    oauth: any,
    oauth_resource: any,
    name: any,
    tools: any,
    /** Gatehouse only: false runs this stdio server outside the thread's sandbox (as 0.169 runs every one). */
    sandbox: any,
  })
  .partial();

const ProjectToml = z.looseObject({ trust_level: z.enum(["trusted", "untrusted"]) }).partial();

/** Typed top-level keys; every other key in READ_DEFAULTS is accepted as z.unknown(). */
const TYPED_TOP_LEVEL = {
  model: str,
  review_model: str,
  model_provider: str,
  model_providers: z.record(z.string(), ModelProviderToml),
  model_context_window: int,
  model_auto_compact_token_limit: int,
  /** Gatehouse only (0.169 has no approval timeout): ms an approval request may wait; absent or 0 waits for ever. */
  approval_timeout_ms: uint,
  /** Gatehouse only: ms a running turn (and its pending requests) outlives its last subscriber's dropped connection; absent: 60 000, 0: none. */
  disconnect_grace_ms: uint,
  /** Gatehouse only: false makes `untrusted` ask before every command, as 0.169 does (no known-safe table). Default true. */
  known_safe_commands: bool,
  /** Gatehouse only: ms a managed-network prompt waits before its target is denied; absent or 0: 120 000. */
  network_approval_timeout_ms: uint,
  approval_policy: AskForApprovalToml,
  approvals_reviewer: ApprovalsReviewerToml,
  sandbox_mode: SandboxModeToml,
  sandbox_workspace_write: SandboxWorkspaceWriteToml,
  shell_environment_policy: ShellEnvironmentPolicyToml,
  model_reasoning_effort: nonEmpty,
  plan_mode_reasoning_effort: nonEmpty,
  model_reasoning_summary: ReasoningSummaryToml,
  model_verbosity: VerbosityToml,
  web_search: WebSearchModeToml,
  forced_login_method: z.enum(["chatgpt", "api"]),
  instructions: str,
  developer_instructions: str,
  compact_prompt: str,
  chatgpt_base_url: str,
  openai_base_url: str,
  check_for_update_on_startup: bool,
  hide_agent_reasoning: bool,
  show_raw_agent_reasoning: bool,
  file_opener: z.enum(["vscode", "vscode-insiders", "windsurf", "cursor", "none"]),
  notify: strList,
  project_doc_max_bytes: uint,
  project_doc_fallback_filenames: strList,
  project_root_markers: strList,
  tool_output_token_limit: uint,
  background_terminal_max_timeout: uint,
  history: z.strictObject({ persistence: z.enum(["save-all", "none"]), max_bytes: uint }).partial(),
  analytics: z.strictObject({ enabled: bool }).partial(),
  feedback: z.looseObject({ enabled: bool }).partial(),
  otel: z
    .strictObject({
      tool_result: any,
      log_sse_deltas: any,
      log_user_prompt: any,
      log_agent_responses: any,
      log_guardian_assessments: any,
      environment: any,
      exporter: any,
      trace_exporter: any,
      metrics_exporter: any,
      span_attributes: any,
      tracestate: any,
    })
    .partial(),
  tools: z.strictObject({ web_search: any }).partial(),
  mcp_servers: z.record(z.string(), McpServerToml),
  profiles: z.record(z.string(), ProfileToml),
  profile: str,
  projects: z.record(z.string(), ProjectToml),
  features: FeaturesToml,
  experimental_use_unified_exec_tool: bool,
};

/**
 * Top-level keys 0.169 reports as unknown but that older Codex versions read. Gatehouse accepts them
 * without effect and says what became of each (a deprecationNotice) instead of calling them typos.
 */
export const REMOVED_TOP_LEVEL_KEYS: Readonly<Record<string, { summary: string; details: string }>> = {
  experimental_use_exec_command_tool: {
    summary: "`experimental_use_exec_command_tool` is no longer supported and is ignored.",
    details: "The shell tools are offered according to the model; `[features].shell_tool = false` turns them off.",
  },
  use_experimental_streamable_shell_tool: {
    summary: "`use_experimental_streamable_shell_tool` is no longer supported and is ignored.",
    details: "The shell tools are offered according to the model; `[features].shell_tool = false` turns them off.",
  },
  include_apply_patch_tool: {
    summary: "`include_apply_patch_tool` is no longer supported and is ignored.",
    details: "The apply_patch tool is offered according to the model; remove this setting.",
  },
  experimental_use_freeform_apply_patch: {
    summary: "`experimental_use_freeform_apply_patch` is no longer supported and is ignored.",
    details: "Use `[features].apply_patch_freeform` instead.",
  },
  experimental_instructions_file: {
    summary: "`experimental_instructions_file` is no longer supported and is ignored.",
    details: "Use `model_instructions_file` instead.",
  },
  experimental_use_rmcp_client: {
    summary: "`experimental_use_rmcp_client` is no longer supported and is ignored.",
    details: "The MCP client is always enabled; remove this setting.",
  },
};

export const ConfigToml = z
  .strictObject({
    ...Object.fromEntries([...Object.keys(READ_DEFAULTS), ...Object.keys(REMOVED_TOP_LEVEL_KEYS)].map((k) => [k, any])),
    ...TYPED_TOP_LEVEL,
  })
  .partial();
export type ConfigToml = z.infer<typeof ConfigToml>;
