// Admin requirements from /etc/codex/requirements.toml (the reference's path, kept so a machine
// managed for Codex is managed for Gatehouse too), answered by configRequirements/read in 0.169's
// shape: snake_case TOML keys become camelCase fields, every field is present (null when unset),
// `allowedLoginMethods` defaults to ["api", "chatgpt"] once any requirement exists,
// `allowedWebSearchModes` always gains "disabled", `[features]` becomes `featureRequirements`, and
// `log_dir` is answered as a file:// URL. No file → `requirements: null`. A file that does not parse
// is a warning and no requirements (0.169 fails config/read instead). Nested tables whose wire
// shape Gatehouse does not model yet (computer_use, browser_use, in_app_browser, hooks, network,
// application, auto_review, models, otel) are accepted and answered as null.
import { pathToFileURL } from "node:url";
import * as z from "zod";
import { cloneJson, isPlainObject, type JsonObject } from "./json.js";
import { AskForApprovalToml, SandboxModeToml } from "./configSchema.js";
import { parseConfigText, unknownKeysWarning, INVALID_CONFIG_SUMMARY } from "./configToml.js";
import type { AskForApproval, ConfigRequirements, ConfigRequirementsReadResponse, ConfigWarningNotification } from "./types.js";

export const DEFAULT_REQUIREMENTS_PATH = "/etc/codex/requirements.toml";

const any = z.unknown();
const RequirementsToml = z
  .strictObject({
    model_provider: z.string(),
    model_providers: z.record(z.string(), any),
    allowed_login_methods: z.array(z.enum(["chatgpt", "api"])),
    cli_auth_credentials_store: z.enum(["file", "keyring", "auto", "ephemeral"]),
    chatgpt_base_url: z.string(),
    additional_developer_instructions: z.string(),
    allowed_approval_policies: z.array(AskForApprovalToml),
    allowed_approvals_reviewers: z.array(z.enum(["user", "auto_review", "guardian_subagent"])),
    allowed_sandbox_modes: z.array(SandboxModeToml),
    allowed_windows_sandbox_implementations: z.array(z.enum(["elevated", "unelevated", "mxc"])),
    allowed_permission_profiles: z.record(z.string(), z.boolean()),
    default_permissions: z.string(),
    allowed_web_search_modes: z.array(z.enum(["disabled", "cached", "indexed", "live"])),
    allow_managed_hooks_only: z.boolean(),
    allow_browser_and_computer_use: z.boolean(),
    allow_appshots: z.boolean(),
    allow_remote_control: z.boolean(),
    computer_use: any,
    browser_use: any,
    in_app_browser: any,
    features: z.record(z.string(), z.boolean()),
    hooks: any,
    enforce_residency: z.literal("us"),
    network: any,
    /** Managed networking (core/config/managedNetwork.ts reads it); not part of configRequirements/read's answer. */
    experimental_network: any,
    application: any,
    auto_review: any,
    models: any,
    sqlite_home: z.string(),
    log_dir: z.string(),
    model_catalog_json: z.string(),
    check_for_update_on_startup: z.boolean(),
    allow_login_shell: z.boolean(),
    feedback: z.strictObject({ enabled: z.boolean() }).partial(),
    otel: any,
  })
  .partial();
type RequirementsToml = z.infer<typeof RequirementsToml>;

export interface LoadedRequirements {
  response: ConfigRequirementsReadResponse;
  /** The parsed requirements, for the effective config (allowed policies and modes, feature pins). */
  toml: RequirementsToml | null;
  warnings: ConfigWarningNotification[];
}

function normalizeApproval(p: AskForApproval | "on-failure"): AskForApproval {
  return p === "on-failure" ? "on-request" : p;
}

function toResponse(r: RequirementsToml): ConfigRequirements {
  const webSearch = r.allowed_web_search_modes ? [...new Set([...r.allowed_web_search_modes, "disabled" as const])] : null;
  return {
    modelProvider: r.model_provider ?? null,
    modelProviders: (r.model_providers as JsonObject | undefined) ? cloneJson(r.model_providers as JsonObject) : null,
    allowedLoginMethods: r.allowed_login_methods ?? ["api", "chatgpt"],
    cliAuthCredentialsStore: r.cli_auth_credentials_store ?? null,
    chatgptBaseUrl: r.chatgpt_base_url ?? null,
    additionalDeveloperInstructions: r.additional_developer_instructions ?? null,
    allowedApprovalPolicies: r.allowed_approval_policies?.map(normalizeApproval) ?? null,
    allowedApprovalsReviewers: r.allowed_approvals_reviewers ?? null,
    allowedSandboxModes: r.allowed_sandbox_modes ?? null,
    allowedWindowsSandboxImplementations: r.allowed_windows_sandbox_implementations ?? null,
    allowedPermissionProfiles: r.allowed_permission_profiles ?? null,
    defaultPermissions: r.default_permissions ?? null,
    allowedWebSearchModes: webSearch,
    allowManagedHooksOnly: r.allow_managed_hooks_only ?? null,
    allowBrowserAndComputerUse: r.allow_browser_and_computer_use ?? null,
    allowAppshots: r.allow_appshots ?? null,
    allowRemoteControl: r.allow_remote_control ?? null,
    computerUse: null,
    browserUse: null,
    inAppBrowser: null,
    featureRequirements: r.features ?? null,
    hooks: null,
    enforceResidency: r.enforce_residency ?? null,
    network: null,
    application: null,
    autoReview: null,
    models: null,
    sqliteHome: r.sqlite_home ?? null,
    logDir: r.log_dir !== undefined ? pathToFileURL(r.log_dir).href : null,
    modelCatalogJson: r.model_catalog_json ?? null,
    checkForUpdateOnStartup: r.check_for_update_on_startup ?? null,
    allowLoginShell: r.allow_login_shell ?? null,
    feedback: r.feedback ? { enabled: r.feedback.enabled ?? null } : null,
    otel: null,
  };
}

function deleteIn(table: JsonObject, path: readonly string[]): void {
  let cur: unknown = table;
  for (const seg of path.slice(0, -1)) cur = isPlainObject(cur) ? cur[seg] : undefined;
  const last = path[path.length - 1];
  if (isPlainObject(cur) && last !== undefined) delete cur[last];
}

const NONE: ConfigRequirementsReadResponse = { requirements: null, supportsIndependentSpeedModes: true };

/** What a requirements file that could not be read amounts to: no requirements, and a warning that says why. */
export function unreadableRequirements(file: string, err: unknown): LoadedRequirements {
  const message = `failed to read requirements layer ${file}: ${err instanceof Error ? err.message : String(err)}`;
  return { response: { ...NONE }, toml: null, warnings: [{ summary: INVALID_CONFIG_SUMMARY, details: message, path: file }] };
}

/** The requirements of a file's text (null: there is no file). */
export function requirementsFromText(file: string, text: string | null): LoadedRequirements {
  if (text === null) return { response: { ...NONE }, toml: null, warnings: [] };
  const parsed = parseConfigText(text, file);
  if (!parsed.ok) {
    const warning: ConfigWarningNotification = { ...parsed.warning, details: `failed to parse requirements layer ${parsed.warning.details ?? file}` };
    return { response: { ...NONE }, toml: null, warnings: [warning] };
  }
  const table = parsed.table;
  const warnings: ConfigWarningNotification[] = [];
  const unknown: string[][] = [];
  let result = RequirementsToml.safeParse(table, { jitless: true });
  for (let round = 0; !result.success && round < 8; round++) {
    let dropped = false;
    for (const issue of result.error.issues) {
      if (issue.code === "unrecognized_keys") {
        for (const key of issue.keys) {
          const path = [...issue.path.map(String), key];
          unknown.push(path);
          deleteIn(table, path);
        }
        continue;
      }
      const key = String(issue.path[0] ?? "");
      if (key && Object.hasOwn(table, key)) {
        delete table[key];
        dropped = true;
        warnings.push({ summary: `Invalid value for \`${key}\` in requirements; ignoring it.`, details: `${file}: ${issue.message}`, path: file });
      }
    }
    result = RequirementsToml.safeParse(table, { jitless: true });
    if (!dropped && !result.success && result.error.issues.every((i) => i.code !== "unrecognized_keys")) break;
  }
  const unknownWarning = unknownKeysWarning(unknown.sort().map((path) => ({ label: `requirements (${file})`, path })));
  if (unknownWarning) warnings.unshift(unknownWarning);
  if (!result.success || !isPlainObject(table)) return { response: { ...NONE }, toml: null, warnings };
  return { response: { requirements: toResponse(result.data), supportsIndependentSpeedModes: true }, toml: result.data, warnings };
}
