// `-c key=value` overrides, as the reference's `--config` flag reads them: the key is a dotted path
// (`features.x`, `model_providers.mock.base_url`; quoted segments allowed), the value is parsed as a
// TOML value (`-c model="o3"`, `-c 'notify=["a","b"]'`, `-c features.x=true`) and, if that fails, taken
// as a literal string with surrounding quotes trimmed (`-c model=o3`, `-c 'x=hello world'`).
// All overrides together form the "sessionFlags" layer, the highest-precedence one.
import { parse } from "smol-toml";
import { isPlainObject, tomlToJson, type JsonObject, type JsonValue } from "./json.js";
import { applyEdit, KeyPathError, parseKeyPath } from "./keyPath.js";

export type CliOverride = { ok: true; raw: string; segments: string[]; value: JsonValue } | { ok: false; raw: string; error: string };

export function parseCliOverride(raw: string): CliOverride {
  const eq = raw.indexOf("=");
  if (eq < 0) return { ok: false, raw, error: `Invalid override (missing '='): ${raw}` };
  const key = raw.slice(0, eq).trim();
  if (key.length === 0) return { ok: false, raw, error: `Empty key in override: ${raw}` };
  let segments: string[];
  try {
    segments = parseKeyPath(key);
  } catch (err) {
    return { ok: false, raw, error: `Invalid override key ${JSON.stringify(key)}: ${err instanceof KeyPathError ? err.message : String(err)}` };
  }
  return { ok: true, raw, segments, value: parseOverrideValue(raw.slice(eq + 1)) };
}

export function parseOverrideValue(text: string): JsonValue {
  try {
    const doc = parse(`_x_ = ${text}`);
    return tomlToJson(doc["_x_"]);
  } catch {
    return text.trim().replace(/^["']+|["']+$/g, "");
  }
}

/** Builds the sessionFlags layer table; later overrides win, as with repeated flags. */
export function sessionFlagsTable(overrides: readonly CliOverride[]): JsonObject {
  const table: JsonObject = {};
  for (const o of overrides) {
    if (!o.ok) continue;
    // `-c a=1 -c a.b=2`: the later, deeper override replaces the scalar parent.
    let parent: JsonObject = table;
    for (const segment of o.segments.slice(0, -1)) {
      const next = parent[segment];
      if (!isPlainObject(next)) parent[segment] = {};
      parent = parent[segment] as JsonObject;
    }
    applyEdit(table, o.segments, o.value, "replace");
  }
  return table;
}
