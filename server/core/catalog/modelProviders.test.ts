import { describe, expect, it } from "vitest";
import { displayableBaseUrl, listModelProviders } from "./modelProviders.js";

describe("modelProvider/list", () => {
  it("answers only openai for an empty config", () => {
    expect(listModelProviders({ providers: {}, defaultProviderId: "openai" })).toEqual({
      data: [{ id: "openai", name: "OpenAI", canEdit: false, baseUrl: null, settings: { type: "openai" } }],
      defaultProviderId: "openai",
      canChangeDefault: true,
    });
  });

  it("answers the conformance mock as 0.169 does", () => {
    const res = listModelProviders({
      providers: {
        mock: { name: "conformance mock", base_url: "http://127.0.0.1:1234/v1", wire_api: "responses", request_max_retries: 0, stream_max_retries: 0 },
      },
      defaultProviderId: "mock",
    });
    expect(res).toEqual({
      data: [
        {
          id: "mock",
          name: "conformance mock",
          canEdit: true,
          baseUrl: "http://127.0.0.1:1234/v1",
          settings: { type: "customGateway", auth: { mode: "none" } },
        },
        { id: "openai", name: "OpenAI", canEdit: false, baseUrl: null, settings: { type: "openai" } },
      ],
      defaultProviderId: "mock",
      canChangeDefault: true,
    });
  });

  it("classifies auth and hides undisplayable URLs (observed rules)", () => {
    const res = listModelProviders({
      providers: {
        zeta: { name: "Zeta", base_url: "https://user:pw@zeta.example/v1", env_key: "ZETA_KEY" },
        a: { name: "A", base_url: "https://a.example/v1", env_key: "A_KEY" },
        b: { name: "B", base_url: "https://b.example/v1", http_headers: { x: "y" } },
        d: { name: "D", base_url: "https://d.example/v1", query_params: { a: "b" } },
        e: { name: "E", base_url: "https://e.example/v1#frag" },
        g: { name: "G", base_url: "http://g?key=1", experimental_bearer_token: "t" },
        beta: { name: "Beta", base_url: "http://b/v1", requires_openai_auth: true },
        alpha: { name: "Alpha" },
        "amazon-bedrock": { name: "AB", aws: { region: "us-east-1" } },
      },
      defaultProviderId: "zeta",
      editable: new Set(["zeta", "a"]),
    });
    const byId = Object.fromEntries(res.data.map((p) => [p.id, p]));
    expect(res.data.map((p) => p.id)).toEqual(["a", "alpha", "amazon-bedrock", "b", "beta", "d", "e", "g", "openai", "zeta"]);
    expect(byId["zeta"]).toEqual({
      id: "zeta",
      name: "Zeta",
      canEdit: true,
      baseUrl: null,
      settings: { type: "customGateway", auth: { mode: "externallyConfigured", envKey: "ZETA_KEY" } },
    });
    expect(byId["a"]?.settings).toEqual({ type: "customGateway", auth: { mode: "environmentVariable", envKey: "A_KEY" } });
    expect(byId["b"]?.settings).toEqual({ type: "customGateway", auth: { mode: "externallyConfigured", envKey: null } });
    expect(byId["d"]?.baseUrl).toBe("https://d.example/v1");
    expect(byId["e"]).toMatchObject({ baseUrl: null, settings: { auth: { mode: "none" } } });
    expect(byId["g"]).toMatchObject({ baseUrl: null, settings: { auth: { mode: "externallyConfigured", envKey: null } } });
    expect(byId["beta"]?.settings).toEqual({ type: "customGateway", auth: { mode: "externallyConfigured", envKey: null } });
    expect(byId["alpha"]).toEqual({ id: "alpha", name: "Alpha", canEdit: false, baseUrl: null, settings: { type: "customGateway", auth: { mode: "none" } } });
    expect(byId["amazon-bedrock"]).toEqual({
      id: "amazon-bedrock",
      name: "Amazon Bedrock Mantle",
      canEdit: false,
      baseUrl: null,
      settings: { type: "bedrock", profile: null, region: "us-east-1" },
    });
  });

  it("shows only http(s) URLs without credentials, query or fragment", () => {
    expect(displayableBaseUrl("https://x/v1")).toBe("https://x/v1");
    expect(displayableBaseUrl("ftp://x/v1")).toBeNull();
    expect(displayableBaseUrl("not a url")).toBeNull();
    expect(displayableBaseUrl(undefined)).toBeNull();
  });
});
