// config: v2 protocol payloads, field for field as the reference (codex-cli 0.169.0).
// Bootstrapped from the reference JSON Schema by scripts/protocol-from-reference.mjs; maintained by hand since.
// Conventions: optional params fields are .nullish(), optional result fields .nullable()
// and always present; every named type is registered with .register(z.globalRegistry, { id }) so the generated
// schema's definitions match (not .meta({ id }), which builds the schema twice: a clone to register).
import * as z from "zod";
import { global, NoParams, request, type RequestTable } from "../define.js";
import { AbsolutePathBuf, ApprovalsReviewer, AskForApproval, LegacyAppPathString, ReasoningEffort, ReasoningSummary, SandboxMode } from "./shared.js";

export const AllowDenyRequirement = z.enum(["allow", "deny"]).register(z.globalRegistry, { id: "AllowDenyRequirement" });
export type AllowDenyRequirement = z.infer<typeof AllowDenyRequirement>;

export const AnalyticsConfig = z
  .object({
    enabled: z.boolean().nullish(),
  })
  .register(z.globalRegistry, { id: "AnalyticsConfig" });
export type AnalyticsConfig = z.infer<typeof AnalyticsConfig>;

export const AppToolApproval = z.enum(["auto", "prompt", "writes", "approve"]).register(z.globalRegistry, { id: "AppToolApproval" });
export type AppToolApproval = z.infer<typeof AppToolApproval>;

export const NetworkDomainPermission = z.enum(["allow", "deny"]).register(z.globalRegistry, { id: "NetworkDomainPermission" });
export type NetworkDomainPermission = z.infer<typeof NetworkDomainPermission>;

export const ApplicationNetworkRequirements = z
  .object({
    domains: z.record(z.string(), NetworkDomainPermission),
    /** When enabled, only explicitly allowed exact domains may be contacted. */
    enabled: z.boolean(),
  })
  .register(z.globalRegistry, { id: "ApplicationNetworkRequirements" });
export type ApplicationNetworkRequirements = z.infer<typeof ApplicationNetworkRequirements>;

/** Managed storage settings for new Desktop workspaces, not filesystem access restrictions. */
export const ApplicationStorageRequirements = z
  .object({
    defaultProjectParent: LegacyAppPathString.nullish(),
    projectlessWorkspaceRoot: LegacyAppPathString.nullish(),
  })
  .register(z.globalRegistry, { id: "ApplicationStorageRequirements" });
export type ApplicationStorageRequirements = z.infer<typeof ApplicationStorageRequirements>;

export const ApplicationRequirements = z
  .object({
    network: ApplicationNetworkRequirements.nullish(),
    storage: ApplicationStorageRequirements.nullish(),
  })
  .register(z.globalRegistry, { id: "ApplicationRequirements" });
export type ApplicationRequirements = z.infer<typeof ApplicationRequirements>;

export const AppsDefaultConfig = z
  .object({
    approvals_reviewer: ApprovalsReviewer.nullish(),
    default_tools_approval_mode: AppToolApproval.nullish(),
    destructive_enabled: z.boolean().optional(),
    enabled: z.boolean().optional(),
    open_world_enabled: z.boolean().optional(),
  })
  .register(z.globalRegistry, { id: "AppsDefaultConfig" });
export type AppsDefaultConfig = z.infer<typeof AppsDefaultConfig>;

export const AppsConfig = z
  .object({
    _default: AppsDefaultConfig.nullish(),
  })
  .register(z.globalRegistry, { id: "AppsConfig" });
export type AppsConfig = z.infer<typeof AppsConfig>;

/** Selects which part of the active context is charged against `model_auto_compact_token_limit`. */
export const AutoCompactTokenLimitScope = z
  .union([z.literal("total"), z.literal("body_after_prefix")])
  .register(z.globalRegistry, { id: "AutoCompactTokenLimitScope" });
export type AutoCompactTokenLimitScope = z.infer<typeof AutoCompactTokenLimitScope>;

export const AutoReviewRequirements = z
  .object({
    ignoreRules: z.array(z.string()).nullish(),
    requiredOnModels: z.array(z.string()).nullish(),
  })
  .register(z.globalRegistry, { id: "AutoReviewRequirements" });
export type AutoReviewRequirements = z.infer<typeof AutoReviewRequirements>;

export const BrowserUseAccessApprovalLifetime = z.enum(["turn", "thread"]).register(z.globalRegistry, { id: "BrowserUseAccessApprovalLifetime" });
export type BrowserUseAccessApprovalLifetime = z.infer<typeof BrowserUseAccessApprovalLifetime>;

export const BrowserUseOriginPolicyConfig = z
  .object({
    access: AllowDenyRequirement.nullish(),
    downloads: AllowDenyRequirement.nullish(),
    full_cdp_access: AllowDenyRequirement.nullish(),
    uploads: AllowDenyRequirement.nullish(),
  })
  .register(z.globalRegistry, { id: "BrowserUseOriginPolicyConfig" });
export type BrowserUseOriginPolicyConfig = z.infer<typeof BrowserUseOriginPolicyConfig>;

export const BrowserUseConfig = z
  .object({
    allow_history_access: z.boolean().nullish(),
    default_origin_policy: BrowserUseOriginPolicyConfig.nullish(),
    origins: z.record(z.string(), BrowserUseOriginPolicyConfig).nullish(),
  })
  .register(z.globalRegistry, { id: "BrowserUseConfig" });
export type BrowserUseConfig = z.infer<typeof BrowserUseConfig>;

export const RequestHeader = z
  .object({
    name: z.string(),
    value: z.string(),
  })
  .register(z.globalRegistry, { id: "RequestHeader" });
export type RequestHeader = z.infer<typeof RequestHeader>;

export const BrowserUseExtensionRequirements = z
  .object({
    requestHeaders: z.array(RequestHeader).nullish(),
  })
  .register(z.globalRegistry, { id: "BrowserUseExtensionRequirements" });
export type BrowserUseExtensionRequirements = z.infer<typeof BrowserUseExtensionRequirements>;

export const BrowserUseOriginPolicy = z
  .object({
    access: AllowDenyRequirement.nullish(),
    accessApprovalLifetime: BrowserUseAccessApprovalLifetime.nullish(),
    autoReview: AllowDenyRequirement.nullish(),
    downloads: AllowDenyRequirement.nullish(),
    fullCdpAccess: AllowDenyRequirement.nullish(),
    persistentApproval: z.boolean().nullish(),
    uploads: AllowDenyRequirement.nullish(),
  })
  .register(z.globalRegistry, { id: "BrowserUseOriginPolicy" });
export type BrowserUseOriginPolicy = z.infer<typeof BrowserUseOriginPolicy>;

export const BrowserUseRequirements = z
  .object({
    allowGlobalPersistentApproval: z.boolean().nullish(),
    allowHistoryAccess: z.boolean().nullish(),
    allowWebmcp: z.boolean().nullish(),
    defaultOriginPolicy: BrowserUseOriginPolicy.nullish(),
    disableAutoReview: z.boolean().nullish(),
    extension: BrowserUseExtensionRequirements.nullish(),
    origins: z.record(z.string(), BrowserUseOriginPolicy).nullish(),
  })
  .register(z.globalRegistry, { id: "BrowserUseRequirements" });
export type BrowserUseRequirements = z.infer<typeof BrowserUseRequirements>;

export const CliAuthCredentialsStoreMode = z.enum(["file", "keyring", "auto", "ephemeral"]).register(z.globalRegistry, { id: "CliAuthCredentialsStoreMode" });
export type CliAuthCredentialsStoreMode = z.infer<typeof CliAuthCredentialsStoreMode>;

export const ComputerUseMacosConfig = z
  .object({
    bundle_ids: z.record(z.string(), AllowDenyRequirement).nullish(),
  })
  .register(z.globalRegistry, { id: "ComputerUseMacosConfig" });
export type ComputerUseMacosConfig = z.infer<typeof ComputerUseMacosConfig>;

export const ComputerUseWindowsExeConfig = z
  .object({
    access: AllowDenyRequirement,
    binary_name: z.string().nullish(),
    product_name: z.string(),
    publisher_name: z.string(),
  })
  .register(z.globalRegistry, { id: "ComputerUseWindowsExeConfig" });
export type ComputerUseWindowsExeConfig = z.infer<typeof ComputerUseWindowsExeConfig>;

export const ComputerUseWindowsConfig = z
  .object({
    aumids: z.record(z.string(), AllowDenyRequirement).nullish(),
    exes: z.array(ComputerUseWindowsExeConfig).nullish(),
  })
  .register(z.globalRegistry, { id: "ComputerUseWindowsConfig" });
export type ComputerUseWindowsConfig = z.infer<typeof ComputerUseWindowsConfig>;

export const ComputerUseConfig = z
  .object({
    default_app_access: AllowDenyRequirement.nullish(),
    macos: ComputerUseMacosConfig.nullish(),
    windows: ComputerUseWindowsConfig.nullish(),
  })
  .register(z.globalRegistry, { id: "ComputerUseConfig" });
export type ComputerUseConfig = z.infer<typeof ComputerUseConfig>;

export const ComputerUseMacosRequirements = z
  .object({
    bundleIds: z.record(z.string(), AllowDenyRequirement).nullish(),
  })
  .register(z.globalRegistry, { id: "ComputerUseMacosRequirements" });
export type ComputerUseMacosRequirements = z.infer<typeof ComputerUseMacosRequirements>;

export const ComputerUseWindowsExeRequirement = z
  .object({
    access: AllowDenyRequirement,
    binaryName: z.string().nullish(),
    productName: z.string(),
    publisherName: z.string(),
  })
  .register(z.globalRegistry, { id: "ComputerUseWindowsExeRequirement" });
export type ComputerUseWindowsExeRequirement = z.infer<typeof ComputerUseWindowsExeRequirement>;

export const ComputerUseWindowsRequirements = z
  .object({
    aumids: z.record(z.string(), AllowDenyRequirement).nullish(),
    exes: z.array(ComputerUseWindowsExeRequirement).nullish(),
  })
  .register(z.globalRegistry, { id: "ComputerUseWindowsRequirements" });
export type ComputerUseWindowsRequirements = z.infer<typeof ComputerUseWindowsRequirements>;

export const ComputerUseRequirements = z
  .object({
    allowLockedComputerUse: z.boolean().nullish(),
    allowPersistentApproval: z.boolean().nullish(),
    defaultAppAccess: AllowDenyRequirement.nullish(),
    macos: ComputerUseMacosRequirements.nullish(),
    windows: ComputerUseWindowsRequirements.nullish(),
  })
  .register(z.globalRegistry, { id: "ComputerUseRequirements" });
export type ComputerUseRequirements = z.infer<typeof ComputerUseRequirements>;

/** Backward-compatible API shape for ChatGPT workspace login restrictions. */
export const ForcedChatgptWorkspaceIds = z.union([z.string(), z.array(z.string())]).register(z.globalRegistry, { id: "ForcedChatgptWorkspaceIds" });
export type ForcedChatgptWorkspaceIds = z.infer<typeof ForcedChatgptWorkspaceIds>;

export const ForcedLoginMethod = z.enum(["chatgpt", "api"]).register(z.globalRegistry, { id: "ForcedLoginMethod" });
export type ForcedLoginMethod = z.infer<typeof ForcedLoginMethod>;

export const SandboxWorkspaceWrite = z
  .object({
    exclude_slash_tmp: z.boolean().optional(),
    exclude_tmpdir_env_var: z.boolean().optional(),
    network_access: z.boolean().optional(),
    writable_roots: z.array(z.string()).optional(),
  })
  .register(z.globalRegistry, { id: "SandboxWorkspaceWrite" });
export type SandboxWorkspaceWrite = z.infer<typeof SandboxWorkspaceWrite>;

export const WebSearchContextSize = z.enum(["low", "medium", "high"]).register(z.globalRegistry, { id: "WebSearchContextSize" });
export type WebSearchContextSize = z.infer<typeof WebSearchContextSize>;

export const WebSearchLocation = z
  .strictObject({
    city: z.string().nullish(),
    country: z.string().nullish(),
    region: z.string().nullish(),
    timezone: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "WebSearchLocation" });
export type WebSearchLocation = z.infer<typeof WebSearchLocation>;

export const WebSearchToolConfig = z
  .strictObject({
    allowed_domains: z.array(z.string()).nullish(),
    context_size: WebSearchContextSize.nullish(),
    location: WebSearchLocation.nullish(),
  })
  .register(z.globalRegistry, { id: "WebSearchToolConfig" });
export type WebSearchToolConfig = z.infer<typeof WebSearchToolConfig>;

export const ToolsV2 = z
  .object({
    web_search: WebSearchToolConfig.nullish(),
  })
  .register(z.globalRegistry, { id: "ToolsV2" });
export type ToolsV2 = z.infer<typeof ToolsV2>;

/** Controls output length/detail on GPT-5 models via the Responses API. Serialized with lowercase values to match the OpenAI API. */
export const Verbosity = z.enum(["low", "medium", "high"]).register(z.globalRegistry, { id: "Verbosity" });
export type Verbosity = z.infer<typeof Verbosity>;

export const WebSearchMode = z.enum(["disabled", "cached", "indexed", "live"]).register(z.globalRegistry, { id: "WebSearchMode" });
export type WebSearchMode = z.infer<typeof WebSearchMode>;

/** Provider preference selected by the resolved model catalog entry. */
export const WebSearchProvider = z.enum(["standalone", "search_mcp"]).register(z.globalRegistry, { id: "WebSearchProvider" });
export type WebSearchProvider = z.infer<typeof WebSearchProvider>;

export const Config = z
  .object({
    analytics: AnalyticsConfig.nullish(),
    approval_policy: AskForApproval.nullish(),
    /** [UNSTABLE] Optional default for where approval requests are routed for review. */
    approvals_reviewer: ApprovalsReviewer.nullish(),
    apps: AppsConfig.nullish().meta({ experimental: true }),
    browser_use: BrowserUseConfig.nullish(),
    /** Effective tools.client_search_provider hint. Model-selected providers take precedence. */
    client_search_provider: WebSearchProvider.nullish(),
    compact_prompt: z.string().nullish(),
    computer_use: ComputerUseConfig.nullish(),
    desktop: z.record(z.string(), z.unknown()).nullish(),
    developer_instructions: z.string().nullish(),
    forced_chatgpt_workspace_id: ForcedChatgptWorkspaceIds.nullish(),
    forced_login_method: ForcedLoginMethod.nullish(),
    instructions: z.string().nullish(),
    model: z.string().nullish(),
    model_auto_compact_token_limit: z.int().nullish(),
    model_auto_compact_token_limit_scope: AutoCompactTokenLimitScope.nullish(),
    model_context_window: z.int().nullish(),
    model_provider: z.string().nullish(),
    model_reasoning_effort: ReasoningEffort.nullish(),
    model_reasoning_summary: ReasoningSummary.nullish(),
    model_verbosity: Verbosity.nullish(),
    review_model: z.string().nullish(),
    sandbox_mode: SandboxMode.nullish(),
    sandbox_workspace_write: SandboxWorkspaceWrite.nullish(),
    service_tier: z.string().nullish(),
    tools: ToolsV2.nullish(),
    web_search: WebSearchMode.nullish(),
  })
  .register(z.globalRegistry, { id: "Config" });
export type Config = z.infer<typeof Config>;

export const MergeStrategy = z.enum(["replace", "upsert"]).register(z.globalRegistry, { id: "MergeStrategy" });
export type MergeStrategy = z.infer<typeof MergeStrategy>;

export const ConfigEdit = z
  .object({
    keyPath: z.string(),
    mergeStrategy: MergeStrategy,
    value: z.unknown(),
  })
  .register(z.globalRegistry, { id: "ConfigEdit" });
export type ConfigEdit = z.infer<typeof ConfigEdit>;

export const ConfigBatchWriteParams = z
  .object({
    edits: z.array(ConfigEdit),
    expectedVersion: z.string().nullish(),
    /** Path to the config file to write; defaults to the user's `config.toml` when omitted. */
    filePath: z.string().nullish(),
    /** When true, hot-reload updated runtime settings into loaded threads after writing. Session-static model, reasoning-effort, Plan-mode reasoning-effort, and service-tier defaults are not reloaded. The deprecated personality setting is also not reloaded. */
    reloadUserConfig: z.boolean().optional(),
  })
  .register(z.globalRegistry, { id: "ConfigBatchWriteParams" });
export type ConfigBatchWriteParams = z.infer<typeof ConfigBatchWriteParams>;

export const ConfigLayerSource = z
  .discriminatedUnion("type", [
    z.object({
      /** Path to the packaged default configuration file. */
      file: AbsolutePathBuf,
      type: z.literal("packagedDefaults"),
    }),
    z.object({
      domain: z.string(),
      key: z.string(),
      type: z.literal("mdm"),
    }),
    z.object({
      /** This is the path to the system config.toml file, though it is not guaranteed to exist. */
      file: AbsolutePathBuf,
      type: z.literal("system"),
    }),
    z.object({
      /** Stable identifier for the delivered layer. */
      id: z.string(),
      /** Admin-facing name for the delivered layer. This is surfaced in diagnostics so users know which cloud layer needs administrator attention. */
      name: z.string(),
      type: z.literal("enterpriseManaged"),
    }),
    z.object({
      /** This is the path to the user's config.toml file, though it is not guaranteed to exist. */
      file: AbsolutePathBuf,
      /** Name of the selected profile-v2 config layered on top of the base user config, when this layer represents one. */
      profile: z.string().nullish(),
      type: z.literal("user"),
    }),
    z.object({
      dotCodexFolder: AbsolutePathBuf,
      type: z.literal("project"),
    }),
    z.object({
      type: z.literal("sessionFlags"),
    }),
    z.object({
      file: AbsolutePathBuf,
      type: z.literal("legacyManagedConfigTomlFromFile"),
    }),
    z.object({
      type: z.literal("legacyManagedConfigTomlFromMdm"),
    }),
  ])
  .register(z.globalRegistry, { id: "ConfigLayerSource" });
export type ConfigLayerSource = z.infer<typeof ConfigLayerSource>;

export const ConfigLayer = z
  .object({
    config: z.unknown(),
    disabledReason: z.string().nullish(),
    name: ConfigLayerSource,
    version: z.string(),
  })
  .register(z.globalRegistry, { id: "ConfigLayer" });
export type ConfigLayer = z.infer<typeof ConfigLayer>;

export const ConfigLayerMetadata = z
  .object({
    name: ConfigLayerSource,
    version: z.string(),
  })
  .register(z.globalRegistry, { id: "ConfigLayerMetadata" });
export type ConfigLayerMetadata = z.infer<typeof ConfigLayerMetadata>;

export const ConfigReadParams = z
  .object({
    /** Optional working directory to resolve project config layers. If specified, return the effective config as seen from that directory (i.e., including any project layers between `cwd` and the project/repo root). */
    cwd: z.string().nullish(),
    includeLayers: z.boolean().optional(),
  })
  .register(z.globalRegistry, { id: "ConfigReadParams" });
export type ConfigReadParams = z.infer<typeof ConfigReadParams>;

export const ConfigReadResponse = z
  .object({
    config: Config,
    layers: z.array(ConfigLayer).nullish(),
    origins: z.record(z.string(), ConfigLayerMetadata),
  })
  .register(z.globalRegistry, { id: "ConfigReadResponse" });
export type ConfigReadResponse = z.infer<typeof ConfigReadResponse>;

export const FeedbackRequirements = z
  .object({
    enabled: z.boolean().nullish(),
  })
  .register(z.globalRegistry, { id: "FeedbackRequirements" });
export type FeedbackRequirements = z.infer<typeof FeedbackRequirements>;

export const InAppBrowserRequirements = z
  .object({
    allowExternalBrowserSettingsImport: z.boolean().nullish(),
  })
  .register(z.globalRegistry, { id: "InAppBrowserRequirements" });
export type InAppBrowserRequirements = z.infer<typeof InAppBrowserRequirements>;

export const ConfiguredHookHandler = z
  .discriminatedUnion("type", [
    z.object({
      /** Approximate token threshold for spilling this hook's `additionalContext` to disk. `null` uses 2,500 tokens; `0` disables spilling for this hook. The threshold is evaluated against the original context; a spilled preview also includes recovery metadata. */
      additionalContextLimit: z.int().min(0).nullish(),
      async: z.boolean(),
      command: z.string(),
      commandWindows: z.string().nullish(),
      statusMessage: z.string().nullish(),
      timeoutSec: z.int().min(0).nullish(),
      type: z.literal("command"),
    }),
    z.object({
      input: z.record(z.string(), z.unknown()),
      server: z.string(),
      statusMessage: z.string().nullish(),
      timeoutSec: z.int().min(0).nullish(),
      tool: z.string(),
      type: z.literal("mcp_tool"),
    }),
    z.object({
      type: z.literal("prompt"),
    }),
    z.object({
      type: z.literal("agent"),
    }),
  ])
  .register(z.globalRegistry, { id: "ConfiguredHookHandler" });
export type ConfiguredHookHandler = z.infer<typeof ConfiguredHookHandler>;

export const ConfiguredHookMatcherGroup = z
  .object({
    hooks: z.array(ConfiguredHookHandler),
    matcher: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "ConfiguredHookMatcherGroup" });
export type ConfiguredHookMatcherGroup = z.infer<typeof ConfiguredHookMatcherGroup>;

export const ManagedHooksRequirements = z
  .object({
    Interrupt: z.array(ConfiguredHookMatcherGroup).optional(),
    PermissionRequest: z.array(ConfiguredHookMatcherGroup),
    PostCompact: z.array(ConfiguredHookMatcherGroup),
    PostModelRequest: z.array(ConfiguredHookMatcherGroup).optional(),
    PostToolUse: z.array(ConfiguredHookMatcherGroup),
    PreCompact: z.array(ConfiguredHookMatcherGroup),
    PreModelRequest: z.array(ConfiguredHookMatcherGroup).optional(),
    PreToolUse: z.array(ConfiguredHookMatcherGroup),
    SessionEnd: z.array(ConfiguredHookMatcherGroup).optional(),
    SessionStart: z.array(ConfiguredHookMatcherGroup),
    Stop: z.array(ConfiguredHookMatcherGroup),
    SubagentStart: z.array(ConfiguredHookMatcherGroup),
    SubagentStop: z.array(ConfiguredHookMatcherGroup),
    UserPromptSubmit: z.array(ConfiguredHookMatcherGroup),
    managedDir: z.string().nullish(),
    windowsManagedDir: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "ManagedHooksRequirements" });
export type ManagedHooksRequirements = z.infer<typeof ManagedHooksRequirements>;

export const NewThreadModelDefaults = z
  .object({
    model: z.string().nullish(),
    modelReasoningEffort: ReasoningEffort.nullish(),
    serviceTier: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "NewThreadModelDefaults" });
export type NewThreadModelDefaults = z.infer<typeof NewThreadModelDefaults>;

export const ModelsRequirements = z
  .object({
    newThread: NewThreadModelDefaults.nullish(),
  })
  .register(z.globalRegistry, { id: "ModelsRequirements" });
export type ModelsRequirements = z.infer<typeof ModelsRequirements>;

export const NetworkUnixSocketPermission = z.enum(["allow", "deny"]).register(z.globalRegistry, { id: "NetworkUnixSocketPermission" });
export type NetworkUnixSocketPermission = z.infer<typeof NetworkUnixSocketPermission>;

export const NetworkRequirements = z
  .object({
    allowLocalBinding: z.boolean().nullish(),
    /** Legacy compatibility view derived from `unix_sockets`. */
    allowUnixSockets: z.array(z.string()).nullish(),
    allowUpstreamProxy: z.boolean().nullish(),
    /** Legacy compatibility view derived from `domains`. */
    allowedDomains: z.array(z.string()).nullish(),
    dangerouslyAllowAllUnixSockets: z.boolean().nullish(),
    dangerouslyAllowNonLoopbackProxy: z.boolean().nullish(),
    /** Legacy compatibility view derived from `domains`. */
    deniedDomains: z.array(z.string()).nullish(),
    /** Canonical managed network permission map. */
    domains: z.record(z.string(), NetworkDomainPermission).nullish(),
    enabled: z.boolean().nullish(),
    httpPort: z.int().min(0).nullish(),
    /** When true, only managed allowlist entries are respected while managed network enforcement is active. */
    managedAllowedDomainsOnly: z.boolean().nullish(),
    /** Host patterns routed to network approval before ordinary allow rules. */
    reviewDomains: z.array(z.string()).nullish(),
    socksPort: z.int().min(0).nullish(),
    /** Canonical managed unix socket permission map. */
    unixSockets: z.record(z.string(), NetworkUnixSocketPermission).nullish(),
  })
  .register(z.globalRegistry, { id: "NetworkRequirements" });
export type NetworkRequirements = z.infer<typeof NetworkRequirements>;

export const OtelHttpProtocol = z.enum(["binary", "json"]).register(z.globalRegistry, { id: "OtelHttpProtocol" });
export type OtelHttpProtocol = z.infer<typeof OtelHttpProtocol>;

export const OtelTlsConfig = z
  .object({
    "ca-certificate": z.string().nullish(),
    "client-certificate": z.string().nullish(),
    "client-private-key": z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "OtelTlsConfig" });
export type OtelTlsConfig = z.infer<typeof OtelTlsConfig>;

export const OtelExporter = z
  .union([
    z.enum(["none", "statsig"]),
    z.strictObject({
      "otlp-http": z.object({
        endpoint: z.string(),
        /** Header names are retained; values are redacted by the server. */
        headers: z.record(z.string(), z.string()),
        protocol: OtelHttpProtocol,
        tls: OtelTlsConfig.nullish(),
      }),
    }),
    z.strictObject({
      "otlp-grpc": z.object({
        endpoint: z.string(),
        /** Header names are retained; values are redacted by the server. */
        headers: z.record(z.string(), z.string()),
        tls: OtelTlsConfig.nullish(),
      }),
    }),
  ])
  .register(z.globalRegistry, { id: "OtelExporter" });
export type OtelExporter = z.infer<typeof OtelExporter>;

export const OtelToolResultLogConfig = z
  .object({
    max_bytes: z.int().min(0),
  })
  .register(z.globalRegistry, { id: "OtelToolResultLogConfig" });
export type OtelToolResultLogConfig = z.infer<typeof OtelToolResultLogConfig>;

export const OtelRequirements = z
  .object({
    environment: z.string().nullish(),
    exporter: OtelExporter.nullish(),
    log_agent_responses: z.boolean().nullish(),
    log_guardian_assessments: z.boolean().nullish(),
    log_sse_deltas: z.boolean().nullish(),
    log_user_prompt: z.boolean().nullish(),
    metrics_exporter: OtelExporter.nullish(),
    span_attributes: z.record(z.string(), z.string()).nullish(),
    tool_result: OtelToolResultLogConfig.nullish(),
    trace_exporter: OtelExporter.nullish(),
    tracestate: z.record(z.string(), z.record(z.string(), z.string())).nullish(),
  })
  .register(z.globalRegistry, { id: "OtelRequirements" });
export type OtelRequirements = z.infer<typeof OtelRequirements>;

export const ResidencyRequirement = z.literal("us").register(z.globalRegistry, { id: "ResidencyRequirement" });
export type ResidencyRequirement = z.infer<typeof ResidencyRequirement>;

export const WindowsSandboxImplementation = z.enum(["elevated", "unelevated", "mxc"]).register(z.globalRegistry, { id: "WindowsSandboxImplementation" });
export type WindowsSandboxImplementation = z.infer<typeof WindowsSandboxImplementation>;

export const ConfigRequirements = z
  .object({
    additionalDeveloperInstructions: z.string().nullish(),
    allowAppshots: z.boolean().nullish(),
    allowBrowserAndComputerUse: z.boolean().nullish(),
    allowLoginShell: z.boolean().nullish(),
    allowManagedHooksOnly: z.boolean().nullish(),
    allowRemoteControl: z.boolean().nullish(),
    allowedApprovalPolicies: z.array(AskForApproval).nullish(),
    allowedApprovalsReviewers: z.array(ApprovalsReviewer).nullish().meta({ experimental: true }),
    /** Effective login methods after managed, forced-login, and workspace restrictions. An empty list permits no login method. Older servers may omit this field. */
    allowedLoginMethods: z.array(ForcedLoginMethod).nullish(),
    allowedPermissionProfiles: z.record(z.string(), z.boolean()).nullish(),
    allowedSandboxModes: z.array(SandboxMode).nullish(),
    allowedWebSearchModes: z.array(WebSearchMode).nullish(),
    allowedWindowsSandboxImplementations: z.array(WindowsSandboxImplementation).nullish(),
    application: ApplicationRequirements.nullish().meta({ experimental: true }),
    autoReview: AutoReviewRequirements.nullish(),
    browserUse: BrowserUseRequirements.nullish(),
    chatgptBaseUrl: z.string().nullish(),
    checkForUpdateOnStartup: z.boolean().nullish(),
    cliAuthCredentialsStore: CliAuthCredentialsStoreMode.nullish(),
    computerUse: ComputerUseRequirements.nullish(),
    defaultPermissions: z.string().nullish(),
    enforceResidency: ResidencyRequirement.nullish(),
    featureRequirements: z.record(z.string(), z.boolean()).nullish(),
    feedback: FeedbackRequirements.nullish(),
    hooks: ManagedHooksRequirements.nullish().meta({ experimental: true }),
    inAppBrowser: InAppBrowserRequirements.nullish(),
    logDir: z.string().nullish(),
    modelCatalogJson: z.string().nullish(),
    /** Exact provider selection required by managed policy. */
    modelProvider: z.string().nullish(),
    /** Complete required provider definitions, using config.toml field names. */
    modelProviders: z.record(z.string(), z.unknown()).nullish(),
    models: ModelsRequirements.nullish(),
    network: NetworkRequirements.nullish().meta({ experimental: true }),
    otel: OtelRequirements.nullish(),
    sqliteHome: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "ConfigRequirements" });
export type ConfigRequirements = z.infer<typeof ConfigRequirements>;

export const ConfigRequirementsReadResponse = z
  .object({
    /** Null if no requirements are configured (e.g. no requirements.toml/MDM entries). */
    requirements: ConfigRequirements.nullish(),
    /** Whether Fast and Ultra Fast requirements are enforced independently. Older servers omit this field and use Fast mode as a shared speed gate. */
    supportsIndependentSpeedModes: z.boolean().nullish(),
  })
  .register(z.globalRegistry, { id: "ConfigRequirementsReadResponse" });
export type ConfigRequirementsReadResponse = z.infer<typeof ConfigRequirementsReadResponse>;

export const ConfigValueWriteParams = z
  .object({
    expectedVersion: z.string().nullish(),
    /** Path to the config file to write; defaults to the user's `config.toml` when omitted. */
    filePath: z.string().nullish(),
    keyPath: z.string(),
    mergeStrategy: MergeStrategy,
    value: z.unknown(),
  })
  .register(z.globalRegistry, { id: "ConfigValueWriteParams" });
export type ConfigValueWriteParams = z.infer<typeof ConfigValueWriteParams>;

export const TextPosition = z
  .object({
    /** 1-based column number (in Unicode scalar values). */
    column: z.int().min(0),
    /** 1-based line number. */
    line: z.int().min(0),
  })
  .register(z.globalRegistry, { id: "TextPosition" });
export type TextPosition = z.infer<typeof TextPosition>;

export const TextRange = z
  .object({
    end: TextPosition,
    start: TextPosition,
  })
  .register(z.globalRegistry, { id: "TextRange" });
export type TextRange = z.infer<typeof TextRange>;

export const ConfigWarningNotification = z
  .object({
    /** Optional extra guidance or error details. */
    details: z.string().nullish(),
    /** Optional path to the config file that triggered the warning. */
    path: z.string().nullish(),
    /** Optional range for the error location inside the config file. */
    range: TextRange.nullish(),
    /** Concise summary of the warning. */
    summary: z.string(),
  })
  .register(z.globalRegistry, { id: "ConfigWarningNotification" });
export type ConfigWarningNotification = z.infer<typeof ConfigWarningNotification>;

export const OverriddenMetadata = z
  .object({
    effectiveValue: z.unknown(),
    message: z.string(),
    overridingLayer: ConfigLayerMetadata,
  })
  .register(z.globalRegistry, { id: "OverriddenMetadata" });
export type OverriddenMetadata = z.infer<typeof OverriddenMetadata>;

export const WriteStatus = z.enum(["ok", "okOverridden"]).register(z.globalRegistry, { id: "WriteStatus" });
export type WriteStatus = z.infer<typeof WriteStatus>;

export const ConfigWriteResponse = z
  .object({
    /** Canonical path to the config file that was written. */
    filePath: AbsolutePathBuf,
    overriddenMetadata: OverriddenMetadata.nullish(),
    status: WriteStatus,
    version: z.string(),
  })
  .register(z.globalRegistry, { id: "ConfigWriteResponse" });
export type ConfigWriteResponse = z.infer<typeof ConfigWriteResponse>;

export const DeprecationNoticeNotification = z
  .object({
    /** Optional extra guidance, such as migration steps or rationale. */
    details: z.string().nullish(),
    /** Concise summary of what is deprecated. */
    summary: z.string(),
  })
  .register(z.globalRegistry, { id: "DeprecationNoticeNotification" });
export type DeprecationNoticeNotification = z.infer<typeof DeprecationNoticeNotification>;

export const PermissionProfileListParams = z
  .object({
    /** Opaque pagination cursor returned by a previous call. */
    cursor: z.string().nullish(),
    /** Optional working directory to resolve project config layers. */
    cwd: z.string().nullish(),
    /** Optional page size; defaults to the full result set. */
    limit: z.int().min(0).nullish(),
  })
  .register(z.globalRegistry, { id: "PermissionProfileListParams" });
export type PermissionProfileListParams = z.infer<typeof PermissionProfileListParams>;

export const PermissionProfileSummary = z
  .object({
    /** Whether the effective requirements allow selecting this profile. */
    allowed: z.boolean(),
    /** Optional user-facing description for display in clients. */
    description: z.string().nullish(),
    /** Available permission profile identifier. */
    id: z.string(),
  })
  .register(z.globalRegistry, { id: "PermissionProfileSummary" });
export type PermissionProfileSummary = z.infer<typeof PermissionProfileSummary>;

export const PermissionProfileListResponse = z
  .object({
    data: z.array(PermissionProfileSummary),
    /** Opaque cursor to pass to the next call to continue after the last item. If None, there are no more items to return. */
    nextCursor: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "PermissionProfileListResponse" });
export type PermissionProfileListResponse = z.infer<typeof PermissionProfileListResponse>;

/** This module's client requests: rows of the v2 table (methods.ts puts them in wire order); the dispatcher loads one module's rows on the first request for one of them (v2/requestGroups.ts). */
export const configRequests = {
  "permissionProfile/list": request(PermissionProfileListParams, PermissionProfileListResponse),
  "config/read": request(ConfigReadParams, ConfigReadResponse),
  "config/value/write": request(ConfigValueWriteParams, ConfigWriteResponse, { scope: global("config") }),
  "config/batchWrite": request(ConfigBatchWriteParams, ConfigWriteResponse, { scope: global("config") }),
  "configRequirements/read": request(NoParams, ConfigRequirementsReadResponse),
} as const satisfies RequestTable;
