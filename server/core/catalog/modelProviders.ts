// modelProvider/list as 0.169 answers it: the user's providers plus the built-in "openai", sorted
// by id. The reserved built-ins ollama and lmstudio are not listed; amazon-bedrock is listed (as
// "Amazon Bedrock Mantle", bedrock settings) only when config defines it.
//
// Observed rules for the custom gateways:
//   baseUrl   shown only when it is an http(s) URL without user info, query or fragment, else null;
//   auth      "environmentVariable" {envKey} when env_key is the only credential and the URL is
//             displayable; "externallyConfigured" {envKey|null} when anything else carries auth
//             (http_headers, env_http_headers, query_params, experimental_bearer_token,
//             requires_openai_auth, auth, or env_key with an undisplayable URL); "none" otherwise;
//   canEdit   true for providers the user layer defines (false for openai).
import { BEDROCK_PROVIDER_ID, BEDROCK_PROVIDER_NAME } from "../config/providers.js";
import { isPlainObject, type JsonObject } from "../config/json.js";
import type { GatewayAuth, ModelProviderListResponse, ModelProviderSummary } from "./types.js";

export function displayableBaseUrl(url: unknown): string | null {
  if (typeof url !== "string") return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return null;
  if (parsed.username || parsed.password || parsed.search || parsed.hash || url.includes("?") || url.includes("#")) return null;
  return url;
}

function nonEmptyTable(v: unknown): boolean {
  return isPlainObject(v) && Object.keys(v).length > 0;
}

function gatewayAuth(entry: JsonObject, baseUrl: string | null): GatewayAuth {
  const envKey = typeof entry["env_key"] === "string" ? entry["env_key"] : null;
  const external =
    nonEmptyTable(entry["http_headers"]) ||
    nonEmptyTable(entry["env_http_headers"]) ||
    nonEmptyTable(entry["query_params"]) ||
    typeof entry["experimental_bearer_token"] === "string" ||
    entry["requires_openai_auth"] === true ||
    entry["auth"] !== undefined ||
    (envKey !== null && baseUrl === null && entry["base_url"] !== undefined);
  if (external) return { mode: "externallyConfigured", envKey };
  if (envKey !== null) return { mode: "environmentVariable", envKey };
  return { mode: "none" };
}

export interface ModelProviderListInput {
  /** Validated `[model_providers.*]` tables of the effective config (reserved ids already removed). */
  providers: Readonly<Record<string, JsonObject>>;
  defaultProviderId: string;
  /** Ids the user config layer defines (editable); defaults to all of `providers`. */
  editable?: ReadonlySet<string>;
  /** False when requirements pin the provider. */
  canChangeDefault?: boolean;
}

export function listModelProviders(input: ModelProviderListInput): ModelProviderListResponse {
  const data: ModelProviderSummary[] = [{ id: "openai", name: "OpenAI", canEdit: false, baseUrl: null, settings: { type: "openai" } }];
  for (const [id, entry] of Object.entries(input.providers)) {
    const canEdit = input.editable ? input.editable.has(id) : true;
    if (id === BEDROCK_PROVIDER_ID) {
      const aws = isPlainObject(entry["aws"]) ? entry["aws"] : {};
      data.push({
        id,
        name: BEDROCK_PROVIDER_NAME,
        canEdit,
        baseUrl: null,
        settings: {
          type: "bedrock",
          profile: typeof aws["profile"] === "string" ? aws["profile"] : null,
          region: typeof aws["region"] === "string" ? aws["region"] : null,
        },
      });
      continue;
    }
    const baseUrl = displayableBaseUrl(entry["base_url"]);
    data.push({
      id,
      name: typeof entry["name"] === "string" ? entry["name"] : id,
      canEdit,
      baseUrl,
      settings: { type: "customGateway", auth: gatewayAuth(entry, baseUrl) },
    });
  }
  data.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { data, defaultProviderId: input.defaultProviderId, canChangeDefault: input.canChangeDefault ?? true };
}
