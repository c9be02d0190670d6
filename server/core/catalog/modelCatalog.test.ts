import { describe, expect, it } from "vitest";
import { defaultModel, findModel, listModels } from "./modelCatalog.js";
import { CatalogError, paginate } from "./pagination.js";

const VISIBLE = ["gpt-6.1-sol", "gpt-6-astra", "gpt-6-sol", "gpt-6-luna", "gpt-5.6-sol", "gpt-6.1-terra", "gpt-5.6-terra", "gpt-5.6-luna", "gpt-5.5"];

describe("model/list (0.169 presets)", () => {
  it("answers the reference's visible models in its order, gpt-6.1-sol the default", () => {
    const res = listModels({});
    expect(res.data.map((m) => m.id)).toEqual(VISIBLE);
    expect(res.nextCursor).toBeNull();
    expect(res.data.filter((m) => m.isDefault).map((m) => m.id)).toEqual(["gpt-6.1-sol"]);
    expect(defaultModel()).toBe("gpt-6.1-sol");
  });

  it("includes hidden presets only when asked", () => {
    const all = listModels({ includeHidden: true }).data.map((m) => m.id);
    expect(all).toHaveLength(12);
    expect(all).toEqual(expect.arrayContaining(["gpt-daybreak-blue-latest", "gpt-daybreak-red-latest", "codex-auto-review"]));
    expect(listModels({ includeHidden: false }).data).toHaveLength(9);
  });

  it("pages with offset cursors as 0.169 does (limit 0 means 1)", () => {
    expect(listModels({ limit: 2 })).toMatchObject({ nextCursor: "2" });
    const page = listModels({ limit: 2, cursor: "2" });
    expect(page.data.map((m) => m.id)).toEqual(["gpt-6-sol", "gpt-6-luna"]);
    expect(page.nextCursor).toBe("4");
    expect(listModels({ limit: 0 })).toMatchObject({ nextCursor: "1" });
    expect(listModels({ cursor: "8", limit: 5 }).data.map((m) => m.id)).toEqual(["gpt-5.5"]);
    expect(listModels({ cursor: "9" })).toEqual({ data: [], nextCursor: null });
  });

  it("refuses bad cursors with the reference's messages", () => {
    expect(() => listModels({ cursor: "bogus" })).toThrow(new CatalogError("invalidCursor", "invalid cursor: bogus"));
    expect(() => listModels({ cursor: "-1" })).toThrow("invalid cursor: -1");
    expect(() => listModels({ cursor: "100" })).toThrow("cursor 100 exceeds total models 9");
  });

  it("refuses a provider that is not configured", () => {
    const known = new Set(["openai", "mock"]);
    expect(listModels({ modelProvider: "mock" }, known).data).toHaveLength(9);
    try {
      listModels({ modelProvider: "nope" }, known);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(CatalogError);
      expect((err as CatalogError).code).toBe("modelProviderNotConfigured");
      expect((err as CatalogError).data).toEqual({ type: "modelProviderNotConfigured", modelProvider: "nope" });
    }
  });

  it("returns copies, so callers cannot corrupt the catalog", () => {
    const first = listModels({});
    (first.data[0] as { displayName: string }).displayName = "changed";
    expect(listModels({}).data[0]?.displayName).toBe("GPT-6.1-Sol");
    expect(findModel("gpt-5.5")?.defaultReasoningEffort).toBe("medium");
  });

  it("paginate names the noun in its overflow message", () => {
    expect(() => paginate([1, 2], "3", null, "feature flags")).toThrow("cursor 3 exceeds total feature flags 2");
  });
});
