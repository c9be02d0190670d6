// The shapes ConfigService returns, field for field as codex-cli 0.169.0 puts them on the wire
// (schema-json/v2/Config*.json, ConfigWarningNotification.json, DeprecationNoticeNotification.json).
// Core does not import protocol/ yet, so they are declared here; a handler can pass them on as they are.
// Unit tests validate real outputs against the reference JSON Schema files.
import type { JsonObject, JsonValue } from "./json.js";

export type SandboxMode = "read-only" | "workspace-write" | "danger-full-access";

export interface GranularApprovalConfig {
  sandbox_approval: boolean;
  rules: boolean;
  mcp_elicitations: boolean;
  skill_approval?: boolean;
  request_permissions?: boolean;
}
/** AskForApproval as config.toml and config/read spell it (kebab-case; "on-failure" is read as "on-request"). */
export type AskForApproval = "untrusted" | "on-request" | "never" | { granular: GranularApprovalConfig };

export type MergeStrategy = "replace" | "upsert";

export interface TextPosition {
  /** 1-based */
  line: number;
  /** 1-based, in Unicode scalar values */
  column: number;
}
export interface TextRange {
  start: TextPosition;
  end: TextPosition;
}

/**
 * `configWarning` params. The reference leaves `path` and `range` out (not null) when it has none,
 * e.g. for the unknown-keys summary; ours does the same.
 */
export interface ConfigWarningNotification {
  summary: string;
  details: string | null;
  path?: string | null;
  range?: TextRange | null;
}

/** `deprecationNotice` params. */
export interface DeprecationNoticeNotification {
  summary: string;
  details: string | null;
}

export type ConfigLayerSource =
  | { type: "system"; file: string }
  | { type: "user"; file: string; profile: string | null }
  | { type: "project"; dotCodexFolder: string }
  | { type: "sessionFlags" };

export interface ConfigLayerMetadata {
  name: ConfigLayerSource;
  version: string;
}

export interface ConfigLayer {
  name: ConfigLayerSource;
  version: string;
  config: JsonObject;
  /** Present only for a layer that is not applied (an untrusted project, an unparsable file). */
  disabledReason?: string;
}

export interface ConfigReadParams {
  includeLayers?: boolean | null;
  cwd?: string | null;
}

export interface ConfigReadResponse {
  /** Every top-level key the reference knows, null when unset (schema `Config`, additionalProperties: true). */
  config: Record<string, JsonValue>;
  /** Dotted leaf path (array elements as `.0`, `.1`) → the layer its effective value comes from. */
  origins: Record<string, ConfigLayerMetadata>;
  /** Only when `includeLayers` is true; highest precedence first (session flags, project, user, system). */
  layers?: ConfigLayer[];
}

export interface ConfigEdit {
  keyPath: string;
  value: unknown;
  mergeStrategy: MergeStrategy;
}

export interface ConfigValueWriteParams extends ConfigEdit {
  filePath?: string | null;
  expectedVersion?: string | null;
}

export interface ConfigBatchWriteParams {
  edits: ConfigEdit[];
  filePath?: string | null;
  expectedVersion?: string | null;
  reloadUserConfig?: boolean;
}

export type WriteStatus = "ok" | "okOverridden";

export interface OverriddenMetadata {
  message: string;
  overridingLayer: ConfigLayerMetadata;
  effectiveValue: JsonValue;
}

export interface ConfigWriteResponse {
  status: WriteStatus;
  version: string;
  /** Canonical path of the file written. */
  filePath: string;
  overriddenMetadata: OverriddenMetadata | null;
}

export type ForcedLoginMethod = "chatgpt" | "api";
export type WebSearchMode = "disabled" | "cached" | "indexed" | "live";

/**
 * ConfigRequirements as 0.169 answers it: every field present, null when requirements.toml does
 * not set it. Fields whose nested shape Gatehouse does not model yet are passed through as JSON.
 */
export interface ConfigRequirements {
  modelProvider: string | null;
  modelProviders: JsonObject | null;
  allowedLoginMethods: ForcedLoginMethod[] | null;
  cliAuthCredentialsStore: string | null;
  chatgptBaseUrl: string | null;
  additionalDeveloperInstructions: string | null;
  allowedApprovalPolicies: AskForApproval[] | null;
  allowedApprovalsReviewers: ("user" | "auto_review" | "guardian_subagent")[] | null;
  allowedSandboxModes: SandboxMode[] | null;
  allowedWindowsSandboxImplementations: ("elevated" | "unelevated" | "mxc")[] | null;
  allowedPermissionProfiles: Record<string, boolean> | null;
  defaultPermissions: string | null;
  allowedWebSearchModes: WebSearchMode[] | null;
  allowManagedHooksOnly: boolean | null;
  allowBrowserAndComputerUse: boolean | null;
  allowAppshots: boolean | null;
  allowRemoteControl: boolean | null;
  computerUse: JsonValue;
  browserUse: JsonValue;
  inAppBrowser: JsonValue;
  featureRequirements: Record<string, boolean> | null;
  hooks: JsonValue;
  enforceResidency: "us" | null;
  network: JsonValue;
  application: JsonValue;
  autoReview: JsonValue;
  models: JsonValue;
  sqliteHome: string | null;
  logDir: string | null;
  modelCatalogJson: string | null;
  checkForUpdateOnStartup: boolean | null;
  allowLoginShell: boolean | null;
  feedback: JsonValue;
  otel: JsonValue;
}

export interface ConfigRequirementsReadResponse {
  /** Null when no requirements are configured. */
  requirements: ConfigRequirements | null;
  supportsIndependentSpeedModes: boolean | null;
}
