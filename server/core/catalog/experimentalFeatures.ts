// experimentalFeature/list: 0.169's feature flags in its order with their stage and display copy,
// `enabled` from the effective config (`features.*`, legacy aliases, requirement pins), paged with
// offset cursors. `threadId` (per-thread project config) is the caller's to resolve: pass that
// thread's feature states.
import { featureRows } from "./featureRegistry.js";
import { paginate } from "./pagination.js";
import type { ExperimentalFeature, ExperimentalFeatureListParams, ExperimentalFeatureListResponse } from "./types.js";

export function listExperimentalFeatures(params: ExperimentalFeatureListParams, enabled: Readonly<Record<string, boolean>>): ExperimentalFeatureListResponse {
  const all: ExperimentalFeature[] = featureRows().map(([name, stage, defaultEnabled, displayName, description, announcement]) => ({
    name,
    stage,
    displayName,
    description,
    announcement,
    enabled: enabled[name] ?? defaultEnabled,
    defaultEnabled,
  }));
  return paginate(all, params.cursor, params.limit, "feature flags");
}
