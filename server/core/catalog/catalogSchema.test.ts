// Catalog answers validate against the reference's JSON Schema (0.169, tightened: no unknown fields).
import { describe, expect, it } from "vitest";
import { schemaErrors } from "../config/referenceSchema.testutil.js";
import { listExperimentalFeatures } from "./experimentalFeatures.js";
import { resolveFeatureStates } from "./featureRegistry.js";
import { listModels } from "./modelCatalog.js";
import { listModelProviders } from "./modelProviders.js";

describe("catalog outputs match the reference schema", () => {
  it("model/list, including hidden presets and a page", () => {
    expect(schemaErrors("ModelListResponse", listModels({ includeHidden: true }))).toBeNull();
    expect(schemaErrors("ModelListResponse", listModels({ limit: 2, cursor: "2" }))).toBeNull();
  });

  it("experimentalFeature/list", () => {
    expect(
      schemaErrors("ExperimentalFeatureListResponse", listExperimentalFeatures({}, Object.fromEntries(resolveFeatureStates([{ apps: false }])))),
    ).toBeNull();
  });

  it("modelProvider/list with every auth mode and bedrock", () => {
    const res = listModelProviders({
      providers: {
        a: { name: "A", base_url: "https://a/v1", env_key: "K" },
        b: { name: "B", http_headers: { x: "y" } },
        c: { name: "C" },
        "amazon-bedrock": { aws: { profile: "p" } },
      },
      defaultProviderId: "a",
    });
    expect(schemaErrors("ModelProviderListResponse", res)).toBeNull();
  });

  it("the check can fail: an invented field is refused", () => {
    const bad = { ...listModels({ limit: 1 }), extra: true };
    expect(schemaErrors("ModelListResponse", bad)).toMatch(/additional properties/);
    const model = { ...listModels({ limit: 1 }).data[0], hidden: "no" };
    expect(schemaErrors("ModelListResponse", { data: [model], nextCursor: null })).toMatch(/boolean/);
  });
});
