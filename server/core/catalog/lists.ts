// model/list, modelProvider/list and experimentalFeature/list. The model presets and the feature
// registry are the ones codex-cli 0.169 answers with offline (captured from it, in the .json files
// beside this one), so clients see the same choices; `enabled` follows config `features.*`.
import type { Table } from "../config/configStore.js";
import referenceFeatures from "./referenceFeatures.json" with { type: "json" };
import referenceModels from "./referenceModels.json" with { type: "json" };

interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** Cursors are opaque to clients; here they are the index of the next item, as the reference's are. */
export function paginate<T>(items: readonly T[], cursor: string | null | undefined, limit: number | null | undefined): Page<T> {
  const start = cursor ? Number.parseInt(cursor, 10) : 0;
  if (!Number.isInteger(start) || start < 0 || start > items.length) throw new RangeError(`invalid cursor ${JSON.stringify(cursor)}`);
  const end = limit ? Math.min(items.length, start + limit) : items.length;
  return { data: items.slice(start, end), nextCursor: end < items.length ? String(end) : null };
}

export function listModels(params: { cursor?: string | null | undefined; limit?: number | null | undefined; includeHidden?: boolean | null | undefined }): Page<(typeof referenceModels)[number]> {
  const visible = params.includeHidden ? referenceModels : referenceModels.filter((m) => !m.hidden);
  return paginate(visible, params.cursor, params.limit);
}

export function listModelProviders(config: Table): { data: unknown[]; defaultProviderId: string; canChangeDefault: boolean } {
  const providers = (config["model_providers"] ?? {}) as Record<string, Table>;
  const data: unknown[] = Object.entries(providers).map(([id, p]) => ({
    id,
    name: typeof p["name"] === "string" ? p["name"] : id,
    canEdit: true,
    baseUrl: typeof p["base_url"] === "string" ? p["base_url"] : null,
    settings: { type: "customGateway", auth: typeof p["env_key"] === "string" ? { mode: "environmentVariable", envKey: p["env_key"] } : { mode: "none" } },
  }));
  if (!("openai" in providers)) data.push({ id: "openai", name: "OpenAI", canEdit: false, baseUrl: null, settings: { type: "openai" } });
  const chosen = config["model_provider"];
  return { data, defaultProviderId: typeof chosen === "string" ? chosen : "openai", canChangeDefault: true };
}

export function listExperimentalFeatures(
  config: Table,
  params: { cursor?: string | null | undefined; limit?: number | null | undefined },
): Page<(typeof referenceFeatures)[number] & { enabled: boolean }> {
  const overrides = (config["features"] ?? {}) as Record<string, unknown>;
  const withState = referenceFeatures.map((f) => ({ ...f, enabled: typeof overrides[f.name] === "boolean" ? (overrides[f.name] as boolean) : f.defaultEnabled }));
  return paginate(withState, params.cursor, params.limit);
}
