// JSON helpers shared by the config and catalog code. Config files are TOML, but everything the
// daemon hands to clients is JSON, so the TOML document is converted once on load (dates become
// strings, integers stay numbers) and every later step works on plain JSON values.
import { createHash } from "node:crypto";

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/**
 * A config document as smol-toml parses it, for editing in place: JSON values plus the TOML dates JSON
 * has no form for. An edit puts JSON values in and leaves everything else as the user wrote it.
 */
export type TomlDocumentValue = JsonValue | bigint | Date | TomlDocumentValue[] | TomlDocument;
export interface TomlDocument {
  [key: string]: TomlDocumentValue;
}

export function isTomlTable(value: unknown): value is TomlDocument {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** TOML document (as smol-toml returns it) → JSON: dates become their TOML text, bigints numbers. */
export function tomlToJson(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(tomlToJson);
  if (typeof value === "object") {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = tomlToJson(v);
    return out;
  }
  return String(value);
}

export function cloneJson<T extends JsonValue>(value: T): T {
  return structuredClone(value);
}

/** JSON text with object keys sorted at every level and no whitespace (serde_json over a BTreeMap). */
export function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k] ?? null)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * A layer's version as the reference computes it: "sha256:" + hex SHA-256 of the layer's table as
 * canonical JSON. An empty layer is sha256 of "{}" (44136fa3…), which 0.169 answers for a missing file.
 */
export function layerVersion(table: JsonObject): string {
  return `sha256:${createHash("sha256").update(canonicalJson(table)).digest("hex")}`;
}

/** Deep merge of `over` onto `base` (tables merge key by key; anything else replaces). Returns a new value. */
export function deepMerge(base: JsonObject, over: JsonObject): JsonObject {
  const out: JsonObject = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const prev = out[k];
    out[k] = isPlainObject(prev) && isPlainObject(v) ? deepMerge(prev, v) : cloneJson(v);
  }
  return out;
}
