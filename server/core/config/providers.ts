// Model providers: the built-in ones and the resolution of `[model_providers.*]` entries into the
// settings the model clients use. Defaults are the reference's (4 request retries, 5 stream retries,
// 300 s stream idle timeout, retries capped at 100). 0.169 refuses user entries named like a
// built-in ("model_providers contains reserved built-in provider IDs: …"); Gatehouse drops just those
// entries (configToml.ts) and keeps the rest.
import { isPlainObject, type JsonObject } from "./json.js";

export const DEFAULT_PROVIDER_ID = "openai";
export const RESERVED_PROVIDER_IDS: readonly string[] = ["lmstudio", "ollama", "openai"];
/** Configurable built-in: listed by modelProvider/list only when config defines it. */
export const BEDROCK_PROVIDER_ID = "amazon-bedrock";
export const BEDROCK_PROVIDER_NAME = "Amazon Bedrock Mantle";

/**
 * The offline demo provider (`model_provider = "demo"`): Responses over loopback from a canned script,
 * so a fresh install can run a real turn without an API key. Its base_url is null in config because
 * the port is only known once the daemon starts the demo server: the engine checks `isDemoProvider`
 * and swaps in the live URL (core/model/demoServer.ts `DemoProviderHost.resolve`) before building a
 * client. It is not reserved: a user's own `[model_providers.demo]` replaces it and is an ordinary
 * provider (builtIn false), as 0.169 would treat it.
 */
export const DEMO_PROVIDER_ID = "demo";
export const DEMO_PROVIDER_NAME = "Gatehouse demo (offline)";

export const DEFAULT_REQUEST_MAX_RETRIES = 4;
export const DEFAULT_STREAM_MAX_RETRIES = 5;
export const DEFAULT_STREAM_IDLE_TIMEOUT_MS = 300_000;
const MAX_RETRIES_CAP = 100;

/**
 * `chat` is accepted without a configWarning or deprecationNotice: 0.169's refusal is an error, not a
 * deprecation, and 0.80's notice announced a removal that does not apply here (chat is how Gatehouse
 * reaches Ollama, LM Studio and vLLM). Responses stays the default, as in 0.169.
 */
export type WireApi = "responses" | "chat";

export interface ModelProviderInfo {
  id: string;
  name: string;
  baseUrl: string | null;
  envKey: string | null;
  envKeyInstructions: string | null;
  experimentalBearerToken: string | null;
  wireApi: WireApi;
  queryParams: Record<string, string>;
  httpHeaders: Record<string, string>;
  /** header name → environment variable holding its value */
  envHttpHeaders: Record<string, string>;
  requestMaxRetries: number;
  streamMaxRetries: number;
  streamIdleTimeoutMs: number;
  websocketConnectTimeoutMs: number | null;
  requiresOpenaiAuth: boolean;
  supportsWebsockets: boolean;
  builtIn: boolean;
}

export function reservedProviderMessage(ids: readonly string[]): string {
  const list = [...ids]
    .sort()
    .map((id) => `\`${id}\``)
    .join(", ");
  return `model_providers contains reserved built-in provider IDs: ${list}. Built-in providers cannot be overridden. Rename your custom provider (for example, \`openai-custom\`).`;
}

function base(id: string, name: string, baseUrl: string | null): ModelProviderInfo {
  return {
    id,
    name,
    baseUrl,
    envKey: null,
    envKeyInstructions: null,
    experimentalBearerToken: null,
    wireApi: "responses",
    queryParams: {},
    httpHeaders: {},
    envHttpHeaders: {},
    requestMaxRetries: DEFAULT_REQUEST_MAX_RETRIES,
    streamMaxRetries: DEFAULT_STREAM_MAX_RETRIES,
    streamIdleTimeoutMs: DEFAULT_STREAM_IDLE_TIMEOUT_MS,
    websocketConnectTimeoutMs: null,
    requiresOpenaiAuth: false,
    supportsWebsockets: false,
    builtIn: true,
  };
}

/** openai (base URL from `openai_base_url`, else $OPENAI_BASE_URL, else the public API), ollama, lmstudio, demo. */
export function builtInProviders(env: Readonly<Record<string, string | undefined>>, openaiBaseUrl: string | null): Record<string, ModelProviderInfo> {
  const ossPort = env["CODEX_OSS_PORT"];
  const ossBase = env["CODEX_OSS_BASE_URL"];
  return {
    openai: {
      ...base("openai", "OpenAI", openaiBaseUrl ?? env["OPENAI_BASE_URL"] ?? "https://api.openai.com/v1"),
      requiresOpenaiAuth: true,
      supportsWebsockets: true,
    },
    ollama: base("ollama", "gpt-oss", ossBase ?? `http://localhost:${ossPort ?? "11434"}/v1`),
    lmstudio: base("lmstudio", "gpt-oss", `http://localhost:${ossPort ?? "1234"}/v1`),
    [DEMO_PROVIDER_ID]: base(DEMO_PROVIDER_ID, DEMO_PROVIDER_NAME, null),
  };
}

/** The built-in demo provider, whose base_url the engine fills at run time (see DEMO_PROVIDER_ID). */
export function isDemoProvider(info: Pick<ModelProviderInfo, "id" | "builtIn">): boolean {
  return info.builtIn && info.id === DEMO_PROVIDER_ID;
}

function strings(value: unknown): Record<string, string> {
  if (!isPlainObject(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string"));
}
function str(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}
function num(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** One validated `[model_providers.<id>]` table → provider settings with defaults applied. */
export function providerFromToml(id: string, entry: JsonObject): ModelProviderInfo {
  const p = base(id, str(entry["name"]) ?? (id === BEDROCK_PROVIDER_ID ? BEDROCK_PROVIDER_NAME : id), str(entry["base_url"]));
  return {
    ...p,
    builtIn: false,
    envKey: str(entry["env_key"]),
    envKeyInstructions: str(entry["env_key_instructions"]),
    experimentalBearerToken: str(entry["experimental_bearer_token"]),
    wireApi: entry["wire_api"] === "chat" ? "chat" : "responses",
    queryParams: strings(entry["query_params"]),
    httpHeaders: strings(entry["http_headers"]),
    envHttpHeaders: strings(entry["env_http_headers"]),
    requestMaxRetries: Math.min(num(entry["request_max_retries"]) ?? DEFAULT_REQUEST_MAX_RETRIES, MAX_RETRIES_CAP),
    streamMaxRetries: Math.min(num(entry["stream_max_retries"]) ?? DEFAULT_STREAM_MAX_RETRIES, MAX_RETRIES_CAP),
    streamIdleTimeoutMs: num(entry["stream_idle_timeout_ms"]) ?? DEFAULT_STREAM_IDLE_TIMEOUT_MS,
    websocketConnectTimeoutMs: num(entry["websocket_connect_timeout_ms"]),
    requiresOpenaiAuth: entry["requires_openai_auth"] === true,
    supportsWebsockets: entry["supports_websockets"] === true,
  };
}

/** Built-ins plus the user's entries (reserved ids were already removed by validation). */
export function resolveProviders(
  entries: Readonly<Record<string, JsonObject>>,
  env: Readonly<Record<string, string | undefined>>,
  openaiBaseUrl: string | null,
): Record<string, ModelProviderInfo> {
  const out = builtInProviders(env, openaiBaseUrl);
  for (const [id, entry] of Object.entries(entries)) {
    if (RESERVED_PROVIDER_IDS.includes(id)) continue;
    out[id] = providerFromToml(id, entry);
  }
  return out;
}
