import { describe, expect, it } from "vitest";
import type { JsonObject } from "./json.js";
import { applyEdit, getAt, keyPathOf, KeyPathError, leafPaths, parseKeyPath } from "./keyPath.js";

describe("parseKeyPath", () => {
  it("splits dotted paths and honours quoted segments", () => {
    expect(parseKeyPath("model")).toEqual(["model"]);
    expect(parseKeyPath("model_providers.mock.base_url")).toEqual(["model_providers", "mock", "base_url"]);
    expect(parseKeyPath('projects."/tmp/x y".trust_level')).toEqual(["projects", "/tmp/x y", "trust_level"]);
    expect(parseKeyPath('a."b.c"')).toEqual(["a", "b.c"]);
    expect(parseKeyPath('a."q\\"uote"')).toEqual(["a", 'q"uote']);
  });

  it.each([
    ["", "keyPath must not be empty"],
    ["a..b", "keyPath segments must not be empty"],
    ["a.", "keyPath segments must not be empty"],
    [".a", "keyPath segments must not be empty"],
    ['a."b', "unterminated quoted keyPath segment"],
    ['a."b"c', "invalid quoted keyPath segment"],
    ['a"b"', "invalid quoted keyPath segment"],
    ['a."b\\', "unterminated escape in keyPath"],
  ])("refuses %j with the reference's message", (input, message) => {
    expect(() => parseKeyPath(input)).toThrow(new KeyPathError(message));
  });
});

describe("keyPathOf", () => {
  it.each([[["model"]], [["profiles", "fast", "model"]], [["profiles", "a.b", "model"]], [["profiles", 'q"uote\\x', "model"]], [["profiles", "", "model"]]])(
    "writes %j so that parseKeyPath reads it back",
    (segments) => {
      expect(parseKeyPath(keyPathOf(segments))).toEqual(segments);
    },
  );

  it("quotes only the segments that need it", () => {
    expect(keyPathOf(["profiles", "my profile", "model"])).toBe("profiles.my profile.model");
    expect(keyPathOf(["profiles", "v1.2", "model"])).toBe('profiles."v1.2".model');
  });
});

describe("applyEdit", () => {
  it("replaces, creating missing parents", () => {
    const t: JsonObject = {};
    applyEdit(t, ["model_providers", "x", "name"], "X", "replace");
    expect(t).toEqual({ model_providers: { x: { name: "X" } } });
  });

  it("upsert deep-merges tables; replace does not", () => {
    const t: JsonObject = { a: { x: 1, b: { c: 1, d: 2 } } };
    applyEdit(t, ["a"], { b: { c: 5 }, y: 2 }, "upsert");
    expect(t).toEqual({ a: { x: 1, y: 2, b: { c: 5, d: 2 } } });
    applyEdit(t, ["a"], { z: 1 }, "replace");
    expect(t).toEqual({ a: { z: 1 } });
  });

  it("upsert of a non-table replaces", () => {
    const t: JsonObject = { model: "a" };
    applyEdit(t, ["model"], "b", "upsert");
    expect(t).toEqual({ model: "b" });
  });

  it("null removes the key, and is a no-op under a missing parent", () => {
    const t: JsonObject = { model: "a", features: { x: true } };
    applyEdit(t, ["model"], null, "replace");
    applyEdit(t, ["nope", "deeper"], null, "replace");
    expect(t).toEqual({ features: { x: true } });
  });

  it("refuses to descend through a scalar", () => {
    const t: JsonObject = { model: "a" };
    expect(() => applyEdit(t, ["model", "x"], 1, "replace")).toThrow("cannot set value on non-table parent");
    expect(t).toEqual({ model: "a" });
  });
});

describe("leafPaths / getAt", () => {
  it("lists leaves with array indices, skipping empty containers", () => {
    expect(leafPaths({ a: 1, n: ["x", "y"], t: { u: true }, e: {}, l: [] })).toEqual([
      [["a"], 1],
      [["n", 0], "x"],
      [["n", 1], "y"],
      [["t", "u"], true],
    ]);
    expect(getAt({ a: { b: 2 } }, ["a", "b"])).toBe(2);
    expect(getAt({ a: 1 }, ["a", "b"])).toBeUndefined();
  });
});
