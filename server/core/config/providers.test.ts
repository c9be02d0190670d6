import { describe, expect, it } from "vitest";
import { builtInProviders, DEMO_PROVIDER_ID, isDemoProvider, resolveProviders } from "./providers.js";

describe("the built-in demo provider", () => {
  it("is a Responses provider with no key and a base_url filled at run time", () => {
    const demo = builtInProviders({}, null)[DEMO_PROVIDER_ID];
    expect(demo).toMatchObject({
      id: "demo",
      name: "Gatehouse demo (offline)",
      wireApi: "responses",
      envKey: null,
      baseUrl: null,
      builtIn: true,
      requiresOpenaiAuth: false,
    });
    expect(demo && isDemoProvider(demo)).toBe(true);
  });

  it("is replaced by a user entry of the same id, which is then an ordinary provider", () => {
    const providers = resolveProviders({ demo: { name: "mine", base_url: "http://127.0.0.1:9/v1" } }, {}, null);
    expect(providers["demo"]).toMatchObject({ name: "mine", baseUrl: "http://127.0.0.1:9/v1", builtIn: false });
    expect(isDemoProvider(providers["demo"] as NonNullable<(typeof providers)["demo"]>)).toBe(false);
    expect(isDemoProvider({ id: "openai", builtIn: true })).toBe(false);
  });
});
