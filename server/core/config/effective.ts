// The effective configuration the rest of the daemon reads: one immutable object built from the
// merged known keys of every applied layer (profile applied), with the reference's defaults filled
// in (approval "on-request", sandbox "read-only", shell environment inherit "all" with default
// excludes ignored, provider "openai", project docs up to 32 KiB). Requirements (allowed approval
// policies and sandbox modes, feature pins) are enforced here, with a warning when they change a value.
import { defaultModel } from "../catalog/modelCatalog.js";
import { resolveFeatureStates, unhonouredFeatureWarnings } from "../catalog/featureRegistry.js";
import { isPlainObject, type JsonObject, type JsonValue } from "./json.js";
import { readManagedNetwork, type ManagedNetworkSettings } from "./managedNetwork.js";
import { DEFAULT_PROVIDER_ID, resolveProviders, type ModelProviderInfo } from "./providers.js";
import type { AskForApproval, ConfigWarningNotification, SandboxMode, WebSearchMode } from "./types.js";

export interface SandboxWorkspaceWriteSettings {
  writableRoots: string[];
  networkAccess: boolean;
  excludeTmpdirEnvVar: boolean;
  excludeSlashTmp: boolean;
}

export interface ShellEnvironmentPolicy {
  inherit: "all" | "core" | "none";
  ignoreDefaultExcludes: boolean;
  exclude: string[];
  set: Record<string, string>;
  includeOnly: string[];
  experimentalUseProfile: boolean;
}

export interface EffectiveConfig {
  home: string;
  userConfigFile: string;
  /** Legacy profile applied (`profile = "name"`), if any. */
  profile: string | null;
  /** The model to use: config `model`, else the catalog default (what 0.169's thread/start answers). */
  model: string;
  /** True when `model` came from config rather than the catalog default. */
  modelConfigured: boolean;
  reviewModel: string | null;
  modelProviderId: string;
  modelProvider: ModelProviderInfo;
  modelProviders: Readonly<Record<string, ModelProviderInfo>>;
  approvalPolicy: AskForApproval;
  sandboxMode: SandboxMode;
  sandboxWorkspaceWrite: SandboxWorkspaceWriteSettings;
  shellEnvironmentPolicy: ShellEnvironmentPolicy;
  /** Every known feature (0.169's list) → enabled. */
  features: Readonly<Record<string, boolean>>;
  webSearch: WebSearchMode | null;
  modelReasoningEffort: string | null;
  modelReasoningSummary: "auto" | "concise" | "detailed" | "none" | null;
  modelVerbosity: "low" | "medium" | "high" | null;
  modelContextWindow: number | null;
  modelAutoCompactTokenLimit: number | null;
  instructions: string | null;
  developerInstructions: string | null;
  notify: string[] | null;
  projectDocMaxBytes: number;
  hideAgentReasoning: boolean;
  showRawAgentReasoning: boolean;
  checkForUpdateOnStartup: boolean;
  analyticsEnabled: boolean | null;
  /** `approval_timeout_ms` (Gatehouse only): null waits for the answer, the interrupt or the disconnect. */
  approvalTimeoutMs: number | null;
  /**
   * `disconnect_grace_ms` (Gatehouse only, default 60 000): how long a thread whose last subscriber's
   * connection closed mid-turn keeps the turn and its pending requests for a client to resume it; 0 ends the turn at once.
   */
  disconnectGraceMs: number;
  /**
   * Managed networking (managedNetwork.ts): null = off. When set, a sandboxed command whose policy
   * enables network reaches it only through the daemon's approving proxy, with this policy.
   */
  managedNetwork: ManagedNetworkSettings | null;
  /** `known_safe_commands` (Gatehouse only, default true): false makes untrusted ask before every command, as 0.169. */
  knownSafeCommands: boolean;
  fileOpener: string;
  history: { persistence: "save-all" | "none"; maxBytes: number | null };
  mcpServers: Readonly<Record<string, JsonObject>>;
  projects: Readonly<Record<string, { trustLevel: "trusted" | "untrusted" | null }>>;
  /** The merged table of known keys, for settings not modeled above. */
  toml: JsonObject;
}

export interface EffectiveInputs {
  home: string;
  userConfigFile: string;
  merged: JsonObject;
  profile: string | null;
  env: Readonly<Record<string, string | undefined>>;
  requirements?: {
    allowedApprovalPolicies?: readonly AskForApproval[] | null;
    allowedSandboxModes?: readonly SandboxMode[] | null;
    features?: Readonly<Record<string, boolean>> | null;
    modelProvider?: string | null;
    /** requirements.toml `[experimental_network]`, as parsed. */
    network?: unknown;
  } | null;
}

/** `disconnect_grace_ms` when absent: long enough for a network blip or an editor reload. */
export const DEFAULT_DISCONNECT_GRACE_MS = 60_000;

function str(v: JsonValue | undefined): string | null {
  return typeof v === "string" ? v : null;
}
function num(v: JsonValue | undefined): number | null {
  return typeof v === "number" ? v : null;
}
function bool(v: JsonValue | undefined, fallback: boolean): boolean {
  return typeof v === "boolean" ? v : fallback;
}
function strList(v: JsonValue | undefined): string[] | null {
  return Array.isArray(v) && v.every((x) => typeof x === "string") ? (v as string[]) : null;
}
function table(v: JsonValue | undefined): JsonObject {
  return isPlainObject(v) ? v : {};
}
function sameApproval(a: AskForApproval, b: AskForApproval): boolean {
  return typeof a === "string" || typeof b === "string" ? a === b : true;
}

export function buildEffectiveConfig(input: EffectiveInputs): { config: EffectiveConfig; warnings: ConfigWarningNotification[] } {
  const m = input.merged;
  const warnings: ConfigWarningNotification[] = [];
  const req = input.requirements ?? null;

  const providerEntries: Record<string, JsonObject> = {};
  for (const [id, entry] of Object.entries(table(m["model_providers"]))) if (isPlainObject(entry)) providerEntries[id] = entry;
  const providers = resolveProviders(providerEntries, input.env, str(m["openai_base_url"]));
  let providerId = req?.modelProvider ?? str(m["model_provider"]) ?? DEFAULT_PROVIDER_ID;
  if (!providers[providerId]) {
    warnings.push({
      summary: `Model provider \`${providerId}\` not found; using \`${DEFAULT_PROVIDER_ID}\`.`,
      details: `Define it under [model_providers.${providerId}] in config.toml, or set model_provider to a configured provider.`,
    });
    providerId = DEFAULT_PROVIDER_ID;
  }
  const provider = providers[providerId] as ModelProviderInfo;

  let approvalPolicy = (m["approval_policy"] as AskForApproval | undefined) ?? "on-request";
  const allowedApprovals = req?.allowedApprovalPolicies;
  if (allowedApprovals && allowedApprovals.length > 0 && !allowedApprovals.some((a) => sameApproval(a, approvalPolicy))) {
    const fallback = allowedApprovals[0] as AskForApproval;
    warnings.push({
      summary: "default approval policy is disallowed by requirements; falling back to required default",
      details: `Using ${JSON.stringify(fallback)}.`,
    });
    approvalPolicy = fallback;
  }
  let sandboxMode = (str(m["sandbox_mode"]) as SandboxMode | null) ?? "read-only";
  const allowedModes = req?.allowedSandboxModes;
  if (allowedModes && allowedModes.length > 0 && !allowedModes.includes(sandboxMode)) {
    const fallback = allowedModes.includes("read-only") ? "read-only" : (allowedModes[0] as SandboxMode);
    warnings.push({ summary: `sandbox_mode = "${sandboxMode}" is disallowed by requirements; falling back to "${fallback}".`, details: null });
    sandboxMode = fallback;
  }

  const sww = table(m["sandbox_workspace_write"]);
  const sep = table(m["shell_environment_policy"]);
  const history = table(m["history"]);
  const features = resolveFeatureStates(
    [table(m["features"])],
    typeof m["experimental_use_unified_exec_tool"] === "boolean" ? { experimental_use_unified_exec_tool: m["experimental_use_unified_exec_tool"] } : {},
    req?.features ?? {},
  );
  for (const w of unhonouredFeatureWarnings(features)) warnings.push({ summary: w.summary, details: w.details });
  const projects: Record<string, { trustLevel: "trusted" | "untrusted" | null }> = {};
  for (const [p, entry] of Object.entries(table(m["projects"]))) {
    const level = isPlainObject(entry) ? entry["trust_level"] : undefined;
    projects[p] = { trustLevel: level === "trusted" || level === "untrusted" ? level : null };
  }
  const mcpServers: Record<string, JsonObject> = {};
  for (const [name, entry] of Object.entries(table(m["mcp_servers"]))) if (isPlainObject(entry)) mcpServers[name] = entry;
  const configuredModel = str(m["model"]);
  const network = readManagedNetwork({ merged: m, featureEnabled: features.get("network_proxy") === true, requirementsNetwork: req?.network });
  warnings.push(...network.warnings);

  const config: EffectiveConfig = {
    home: input.home,
    userConfigFile: input.userConfigFile,
    profile: input.profile,
    model: configuredModel ?? defaultModel(),
    modelConfigured: configuredModel !== null,
    reviewModel: str(m["review_model"]),
    modelProviderId: providerId,
    modelProvider: provider,
    modelProviders: providers,
    approvalPolicy,
    sandboxMode,
    sandboxWorkspaceWrite: {
      writableRoots: strList(sww["writable_roots"]) ?? [],
      networkAccess: bool(sww["network_access"], false),
      excludeTmpdirEnvVar: bool(sww["exclude_tmpdir_env_var"], false),
      excludeSlashTmp: bool(sww["exclude_slash_tmp"], false),
    },
    shellEnvironmentPolicy: {
      inherit: (str(sep["inherit"]) as ShellEnvironmentPolicy["inherit"] | null) ?? "all",
      // 0.169 defaults this to true and so hands *KEY*/*SECRET*/*TOKEN* variables to every command;
      // Gatehouse removes them unless the user opts in, so no daemon secret reaches a command.
      ignoreDefaultExcludes: bool(sep["ignore_default_excludes"], false),
      exclude: strList(sep["exclude"]) ?? [],
      set: Object.fromEntries(Object.entries(table(sep["set"])).filter((e): e is [string, string] => typeof e[1] === "string")),
      includeOnly: strList(sep["include_only"]) ?? [],
      experimentalUseProfile: bool(sep["experimental_use_profile"], false),
    },
    features: Object.fromEntries(features),
    webSearch: (str(m["web_search"]) as WebSearchMode | null) ?? null,
    modelReasoningEffort: str(m["model_reasoning_effort"]),
    modelReasoningSummary: (str(m["model_reasoning_summary"]) as EffectiveConfig["modelReasoningSummary"]) ?? null,
    modelVerbosity: (str(m["model_verbosity"]) as EffectiveConfig["modelVerbosity"]) ?? null,
    modelContextWindow: num(m["model_context_window"]),
    modelAutoCompactTokenLimit: num(m["model_auto_compact_token_limit"]),
    instructions: str(m["instructions"]),
    developerInstructions: str(m["developer_instructions"]),
    notify: strList(m["notify"]),
    projectDocMaxBytes: num(m["project_doc_max_bytes"]) ?? 32_768,
    hideAgentReasoning: bool(m["hide_agent_reasoning"], false),
    showRawAgentReasoning: bool(m["show_raw_agent_reasoning"], false),
    checkForUpdateOnStartup: bool(m["check_for_update_on_startup"], true),
    analyticsEnabled: typeof table(m["analytics"])["enabled"] === "boolean" ? (table(m["analytics"])["enabled"] as boolean) : null,
    fileOpener: str(m["file_opener"]) ?? "vscode",
    approvalTimeoutMs: (num(m["approval_timeout_ms"]) ?? 0) > 0 ? num(m["approval_timeout_ms"]) : null,
    disconnectGraceMs: num(m["disconnect_grace_ms"]) ?? DEFAULT_DISCONNECT_GRACE_MS,
    knownSafeCommands: bool(m["known_safe_commands"], true),
    managedNetwork: network.settings,
    history: { persistence: history["persistence"] === "none" ? "none" : "save-all", maxBytes: num(history["max_bytes"]) },
    mcpServers,
    projects,
    toml: m,
  };
  return { config, warnings };
}
