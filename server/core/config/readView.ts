// The `config` object of a config/read answer, shaped as 0.169 shapes it: every top-level key it
// knows is present (null when unset, or its default), tables it models as structs carry every field
// (absent ones null), and `features` always holds 0.169's materialized defaults. The data comes from
// readDefaults.data.ts; this file only fills the effective values in.
import { ENTRY_TEMPLATES, FEATURE_READ_DEFAULTS, READ_DEFAULTS, TABLE_TEMPLATES } from "./readDefaults.data.js";
import { cloneJson, isPlainObject, type JsonObject, type JsonValue } from "./json.js";

function fill(template: JsonObject, value: JsonObject): JsonObject {
  const out: JsonObject = cloneJson(template);
  for (const [k, v] of Object.entries(value)) {
    const t = template[k];
    out[k] = isPlainObject(t) && isPlainObject(v) ? fill(t, v) : cloneJson(v);
  }
  return out;
}

function shapeFeatures(features: JsonValue | undefined): JsonObject {
  if (!isPlainObject(features)) return { ...FEATURE_READ_DEFAULTS };
  const out: JsonObject = { network_proxy: null };
  for (const key of Object.keys(features).sort()) out[key] = cloneJson(features[key] ?? null);
  for (const [key, on] of Object.entries(FEATURE_READ_DEFAULTS)) if (!Object.hasOwn(out, key)) out[key] = on;
  return out;
}

function shapeMcpServer(entry: JsonObject): JsonObject {
  const template = ENTRY_TEMPLATES["mcp_servers"] ?? {};
  const withArgs = typeof entry["command"] === "string" && !Object.hasOwn(entry, "args") ? { args: [], ...template } : template;
  return fill(withArgs, entry);
}

function shapeApproval(value: JsonValue): JsonValue {
  if (isPlainObject(value) && isPlainObject(value["granular"])) {
    return { granular: fill({ skill_approval: false, request_permissions: false }, value["granular"]) };
  }
  return cloneJson(value);
}

/** `tools.web_search` may be a boolean (legacy toggle) or a table; 0.169 echoes only the table form. */
function shapeTools(value: JsonObject): JsonObject {
  const out = fill(TABLE_TEMPLATES["tools"] ?? {}, value);
  const ws = value["web_search"];
  out["web_search"] = isPlainObject(ws) ? fill({ context_size: null, allowed_domains: null, location: null }, ws) : null;
  return out;
}

function shape(key: string, value: JsonValue): JsonValue {
  if (key === "approval_policy") return shapeApproval(value);
  if (key === "tools" && isPlainObject(value)) return shapeTools(value);
  const template = TABLE_TEMPLATES[key];
  if (template && isPlainObject(value)) return fill(template, value);
  const entryTemplate = ENTRY_TEMPLATES[key];
  if (entryTemplate && isPlainObject(value)) {
    const out: JsonObject = {};
    for (const [name, entry] of Object.entries(value)) {
      if (!isPlainObject(entry)) out[name] = cloneJson(entry);
      else if (key === "mcp_servers") out[name] = shapeMcpServer(entry);
      else if (key === "profiles")
        out[name] = fill(entryTemplate, {
          ...entry,
          ...(Object.hasOwn(entry, "approval_policy") ? { approval_policy: shapeApproval(entry["approval_policy"] ?? null) } : {}),
        });
      else out[name] = fill(entryTemplate, entry);
    }
    return out;
  }
  return cloneJson(value);
}

/** `effective` is the merged table of known keys (all layers, profile applied). */
export function buildReadConfig(effective: JsonObject): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [key, fallback] of Object.entries(READ_DEFAULTS)) {
    const value = effective[key];
    out[key] = value === undefined ? cloneJson(fallback) : shape(key, value);
  }
  out["features"] = shapeFeatures(effective["features"]);
  return out;
}
