// 0.80's getUserSavedConfig: the settings the user saved, read from the system and user config.toml
// merged (no `-c` session flags, the selected profile not applied), in 0.80's camelCase shape.
//
// Observed on 0.80 (conformance config plus every key below):
// - every field is present; a key that is not set is null, `profiles` is {} without profiles;
// - `sandboxSettings` is null without [sandbox_workspace_write], else all four fields, unset flags
//   false and unset roots [];
// - `tools` is null without [tools], else {webSearch, viewImage}, each null when unset;
// - each profile has all seven fields, null when unset.
// A value the v1 wire cannot carry (a granular approval policy, an effort 0.80 does not know) is
// reported as null instead of failing the request: 0.80 refused such a file at start-up.
import type * as z from "zod";
import {
  V1AskForApproval,
  V1ForcedLoginMethod,
  V1ReasoningEffort,
  V1ReasoningSummary,
  V1SandboxMode,
  V1Verbosity,
  type Profile,
  type SandboxSettings,
  type Tools,
  type UserSavedConfig,
} from "../../../protocol/v1/index.js";
import { isPlainObject, type JsonObject, type JsonValue } from "./json.js";

function valueOf<T>(schema: z.ZodType<T>, value: JsonValue | undefined): T | null {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

const str = (value: JsonValue | undefined): string | null => (typeof value === "string" ? value : null);
const bool = (value: JsonValue | undefined): boolean | null => (typeof value === "boolean" ? value : null);

function sandboxSettings(table: JsonValue | undefined): SandboxSettings | null {
  if (!isPlainObject(table)) return null;
  const roots = table["writable_roots"];
  return {
    writableRoots: Array.isArray(roots) ? roots.filter((r): r is string => typeof r === "string") : [],
    networkAccess: bool(table["network_access"]) ?? false,
    excludeTmpdirEnvVar: bool(table["exclude_tmpdir_env_var"]) ?? false,
    excludeSlashTmp: bool(table["exclude_slash_tmp"]) ?? false,
  };
}

function tools(table: JsonValue | undefined): Tools | null {
  if (!isPlainObject(table)) return null;
  return { webSearch: bool(table["web_search"]), viewImage: bool(table["view_image"]) };
}

function profile(table: JsonObject): Profile {
  return {
    model: str(table["model"]),
    modelProvider: str(table["model_provider"]),
    approvalPolicy: valueOf(V1AskForApproval, table["approval_policy"]),
    modelReasoningEffort: valueOf(V1ReasoningEffort, table["model_reasoning_effort"]),
    modelReasoningSummary: valueOf(V1ReasoningSummary, table["model_reasoning_summary"]),
    modelVerbosity: valueOf(V1Verbosity, table["model_verbosity"]),
    chatgptBaseUrl: str(table["chatgpt_base_url"]),
  };
}

/** `toml`: config.toml's table (snake_case keys), as ConfigService.savedConfig() gives it. */
export function userSavedConfig(toml: JsonObject): UserSavedConfig {
  const profiles: Record<string, Profile> = {};
  const tables = toml["profiles"];
  if (isPlainObject(tables)) for (const [name, table] of Object.entries(tables)) if (isPlainObject(table)) profiles[name] = profile(table);
  return {
    approvalPolicy: valueOf(V1AskForApproval, toml["approval_policy"]),
    sandboxMode: valueOf(V1SandboxMode, toml["sandbox_mode"]),
    sandboxSettings: sandboxSettings(toml["sandbox_workspace_write"]),
    forcedChatgptWorkspaceId: str(toml["forced_chatgpt_workspace_id"]),
    forcedLoginMethod: valueOf(V1ForcedLoginMethod, toml["forced_login_method"]),
    model: str(toml["model"]),
    modelReasoningEffort: valueOf(V1ReasoningEffort, toml["model_reasoning_effort"]),
    modelReasoningSummary: valueOf(V1ReasoningSummary, toml["model_reasoning_summary"]),
    modelVerbosity: valueOf(V1Verbosity, toml["model_verbosity"]),
    tools: tools(toml["tools"]),
    profile: str(toml["profile"]),
    profiles,
  };
}
