// model/list: the reference's built-in model presets (models.data.ts), paged with offset cursors.
// Hidden presets are left out unless `includeHidden`. `modelProvider` must name a configured or
// built-in provider, else the reference's modelProviderNotConfigured error; the presets are the same
// for every provider, as 0.169 answers them offline (it fetches no remote catalog for model/list
// without auth; with a custom provider it sends no /models request either).
import { MODEL_PRESETS } from "./models.data.js";
import { CatalogError, paginate } from "./pagination.js";
import type { Model, ModelListParams, ModelListResponse } from "./types.js";

export function defaultModel(): string {
  return (MODEL_PRESETS.find((m) => m.isDefault) ?? MODEL_PRESETS[0])?.model ?? "gpt-5.5";
}

export function findModel(id: string): Model | undefined {
  return MODEL_PRESETS.find((m) => m.id === id || m.model === id);
}

export function listModels(params: ModelListParams, knownProviders: ReadonlySet<string> | null = null): ModelListResponse {
  const provider = params.modelProvider;
  if (provider !== null && provider !== undefined && knownProviders !== null && !knownProviders.has(provider)) {
    throw new CatalogError(
      "modelProviderNotConfigured",
      `This chat uses model provider “${provider}”, which is no longer configured. Restore this provider’s configuration to continue.`,
      { type: "modelProviderNotConfigured", modelProvider: provider },
    );
  }
  const visible = params.includeHidden === true ? MODEL_PRESETS : MODEL_PRESETS.filter((m) => !m.hidden);
  const page = paginate(visible, params.cursor, params.limit, "models");
  return { data: page.data.map((m) => structuredClone(m)), nextCursor: page.nextCursor };
}
