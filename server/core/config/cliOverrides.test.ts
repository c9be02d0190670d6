import { describe, expect, it } from "vitest";
import { parseCliOverride, parseOverrideValue, sessionFlagsTable } from "./cliOverrides.js";

describe("-c key=value", () => {
  it("parses the value as TOML", () => {
    expect(parseOverrideValue('"o3"')).toBe("o3");
    expect(parseOverrideValue("true")).toBe(true);
    expect(parseOverrideValue("42")).toBe(42);
    expect(parseOverrideValue('["/a", "/b"]')).toEqual(["/a", "/b"]);
    expect(parseOverrideValue("{ a = 1 }")).toEqual({ a: 1 });
  });

  it("falls back to a literal string, trimmed of spaces and quotes (as 0.169 does)", () => {
    expect(parseOverrideValue("o3")).toBe("o3");
    expect(parseOverrideValue("  spaced out  ")).toBe("spaced out");
    expect(parseOverrideValue('"half')).toBe("half");
    expect(parseOverrideValue("a=b")).toBe("a=b");
    expect(parseOverrideValue("all")).toBe("all");
  });

  it("splits at the first '=' and takes a dotted key", () => {
    expect(parseCliOverride('model="o3"')).toMatchObject({ ok: true, segments: ["model"], value: "o3" });
    expect(parseCliOverride("features.x=true")).toMatchObject({ ok: true, segments: ["features", "x"], value: true });
    expect(parseCliOverride("instructions=a=b")).toMatchObject({ ok: true, segments: ["instructions"], value: "a=b" });
    expect(parseCliOverride('projects."/tmp/p".trust_level=trusted')).toMatchObject({ ok: true, segments: ["projects", "/tmp/p", "trust_level"] });
  });

  it("reports a missing '=' or empty key instead of throwing", () => {
    expect(parseCliOverride("model")).toEqual({ ok: false, raw: "model", error: "Invalid override (missing '='): model" });
    expect(parseCliOverride("=x")).toMatchObject({ ok: false, error: "Empty key in override: =x" });
    expect(parseCliOverride("a..b=1")).toMatchObject({ ok: false });
  });

  it("builds one table; later overrides win, deeper ones replace scalar parents", () => {
    const table = sessionFlagsTable(["model=a", "model=b", "x=1", "x.y=2", "features.f=true", "oops"].map(parseCliOverride));
    expect(table).toEqual({ model: "b", x: { y: 2 }, features: { f: true } });
  });
});
