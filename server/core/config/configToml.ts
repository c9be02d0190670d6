// Loading one config.toml layer. User config never throws: a file that is not TOML becomes a
// warning and an empty layer (defaults); a value of the wrong type is dropped with a warning that
// names it, and the rest of the file still applies; an unknown key stays in the layer (config/read
// shows it, as the reference does) but has no effect and is listed in one warning. The reference is
// harsher on bad values: 0.169 drops the *whole* file ("Invalid configuration; using defaults.")
// and config/read fails with -32603. Gatehouse keeps what was good.
//
// Texts follow 0.169 where it has them:
//   parse error   → summary "Invalid configuration; using defaults.", details "<file>:<line>:<col>: <message>", path, range
//   unknown keys  → "Codex is ignoring N unrecognized configuration settings. Check for typos or deprecated settings.\n
//                    user (<file>): `a.b` is ignored." (three at most, then "  ... and N more ignored settings."), details null
//   legacy feature keys → deprecationNotice "`[features].collab` is deprecated. Use `[features].multi_agent` instead."
// Gatehouse's own: a per-key "Invalid value for `k`; using the default." (details in the reference's
// "<file>:<line>:<col>: <serde-like message>" form), and deprecation notices for `approval_policy =
// "on-failure"` (0.169 silently reads it as "on-request"), the legacy `profile` selector and keys that
// older Codex versions read (REMOVED_TOP_LEVEL_KEYS).
import { readFile } from "node:fs/promises";
import { parse, TomlError } from "smol-toml";
import type * as z from "zod";
import { featureKeyNotice, MULTI_AGENT_WARNING } from "../catalog/featureRegistry.js";
import { APPROVAL_POLICY_VARIANTS, ConfigToml, REMOVED_TOP_LEVEL_KEYS } from "./configSchema.js";
import { cloneJson, isPlainObject, tomlToJson, type JsonObject, type JsonValue } from "./json.js";
import { formatPath } from "./keyPath.js";
import { RESERVED_PROVIDER_IDS, reservedProviderMessage } from "./providers.js";
import { locateKey } from "./tomlLocate.js";
import type { ConfigWarningNotification, DeprecationNoticeNotification } from "./types.js";

export const INVALID_CONFIG_SUMMARY = "Invalid configuration; using defaults.";

export type ParseResult = { ok: true; table: JsonObject } | { ok: false; warning: ConfigWarningNotification; message: string };

/** Parses TOML text; `file` names it in the warning. */
export function parseConfigText(text: string, file: string): ParseResult {
  try {
    const doc = tomlToJson(parse(text));
    return { ok: true, table: isPlainObject(doc) ? doc : {} };
  } catch (err) {
    if (err instanceof TomlError) {
      const first = (err.message.split("\n")[0] ?? err.message).replace(/^Invalid TOML document:\s*/, "");
      const message = `${file}:${err.line}:${err.column}: ${first}`;
      const at = { line: err.line, column: err.column };
      return { ok: false, message, warning: { summary: INVALID_CONFIG_SUMMARY, details: message, path: file, range: { start: at, end: at } } };
    }
    const message = `${file}: ${err instanceof Error ? err.message : String(err)}`;
    return { ok: false, message, warning: { summary: INVALID_CONFIG_SUMMARY, details: message, path: file } };
  }
}

export interface RawFile {
  file: string;
  /** null when the file does not exist */
  text: string | null;
}

export async function readRawFile(file: string): Promise<RawFile> {
  try {
    return { file, text: await readFile(file, "utf8") };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT" || (err as NodeJS.ErrnoException).code === "ENOTDIR") return { file, text: null };
    throw err;
  }
}

export interface InvalidValue {
  path: (string | number)[];
  message: string;
}

export interface ValidatedTable {
  /** The layer as config/read shows it: invalid values removed, "on-failure" read as "on-request"; unknown keys kept. */
  table: JsonObject;
  /** Same, without unknown keys (except inside `[features]`): what the effective config is built from. */
  known: JsonObject;
  unknownKeys: string[][];
  invalid: InvalidValue[];
  deprecations: DeprecationNoticeNotification[];
  /** Non-deprecation warnings about specific keys (0.169 sends `[features].multi_agent` as a configWarning). */
  notes: ConfigWarningNotification[];
}

function describe(value: unknown): string {
  if (typeof value === "number") return Number.isInteger(value) ? `integer \`${value}\`` : `floating point \`${value}\``;
  if (typeof value === "string") return `string ${JSON.stringify(value)}`;
  if (typeof value === "boolean") return `boolean \`${value}\``;
  if (Array.isArray(value)) return "sequence";
  if (isPlainObject(value)) return "map";
  return String(value);
}

const EXPECTED: Record<string, string> = {
  string: "a string",
  boolean: "a boolean",
  number: "a number",
  int: "an integer",
  array: "a sequence",
  object: "a table",
  record: "a table",
};

function valueAt(root: JsonValue, path: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[seg];
  }
  return cur;
}

function variants(values: readonly unknown[]): string {
  return values.map((v) => `\`${String(v)}\``).join(", ");
}

/** serde-like wording for one zod issue, e.g. "unknown variant `bogus`, expected one of `a`, `b`". */
function issueMessage(issue: z.core.$ZodIssue, root: JsonValue): string {
  const actual = valueAt(root, issue.path);
  switch (issue.code) {
    case "invalid_type":
      return `invalid type: ${describe(actual)}, expected ${EXPECTED[issue.expected] ?? issue.expected}`;
    case "invalid_value":
      return typeof actual === "string"
        ? `unknown variant \`${actual}\`, expected one of ${variants(issue.values)}`
        : `invalid type: ${describe(actual)}, expected one of ${variants(issue.values)}`;
    case "invalid_union": {
      const last = issue.path[issue.path.length - 1];
      if (last === "approval_policy" && typeof actual === "string")
        return `unknown variant \`${actual}\`, expected one of ${variants(APPROVAL_POLICY_VARIANTS)}`;
      const nested = issue.errors.flat()[0];
      return nested ? issueMessage({ ...nested, path: [...issue.path, ...nested.path] } as z.core.$ZodIssue, root) : `invalid value: ${describe(actual)}`;
    }
    case "too_small":
      if (typeof actual === "string") return "invalid value: empty string, expected a non-empty string";
      return `invalid value: ${describe(actual)}, expected a value >= ${String(issue.minimum)}`;
    case "too_big":
      return `invalid value: ${describe(actual)}, expected a value <= ${String(issue.maximum)}`;
    case "custom":
    case "invalid_element":
    case "invalid_format":
    case "invalid_key":
    case "not_multiple_of":
    case "unrecognized_keys":
    default:
      return `invalid value: ${describe(actual)}`;
  }
}

/** Trims array indices off an issue path: a bad element invalidates the whole list. */
function keyPathOf(path: readonly PropertyKey[]): (string | number)[] {
  const out = path.map((p) => (typeof p === "symbol" ? String(p) : p));
  while (out.length > 1 && typeof out[out.length - 1] === "number") out.pop();
  return out;
}

function deleteAt(table: JsonObject, path: readonly (string | number)[]): void {
  let cur: JsonValue | undefined = table;
  for (const seg of path.slice(0, -1)) {
    if (!isPlainObject(cur)) return;
    cur = cur[String(seg)];
  }
  const last = path[path.length - 1];
  if (isPlainObject(cur) && last !== undefined) delete cur[String(last)];
}

function normalizeApproval(table: JsonObject, deprecations: DeprecationNoticeNotification[], where: string, notes: ConfigWarningNotification[]): void {
  if (table["approval_policy"] === "on-failure") {
    table["approval_policy"] = "on-request";
    // Issue 11: the change of meaning is a warning too, not only a deprecation (on-failure used to offer a rerun outside the sandbox; on-request does not).
    notes.push({
      summary: `\`${where}approval_policy = "on-failure"\` is read as "on-request": commands run sandboxed and a sandbox denial is reported to the model, with no offer to rerun outside the sandbox.`,
      details: null,
    });
    deprecations.push({
      summary: `\`${where}approval_policy = "on-failure"\` is deprecated; it is read as "on-request".`,
      details: 'Set `approval_policy = "on-request"` (or "never" for non-interactive runs) in config.toml.',
    });
  }
}

/**
 * Validates one layer's table against the known keys. Never throws. Unknown keys are reported, bad
 * values removed, legacy spellings normalized; the input is not modified.
 */
export function validateTable(input: JsonObject): ValidatedTable {
  const table = cloneJson(input);
  const invalid: InvalidValue[] = [];
  const unknown = new Map<string, string[]>();
  // Dropping a bad value can only remove issues, so this settles in a few rounds.
  for (let round = 0; round < 8; round++) {
    const result = ConfigToml.safeParse(table, { jitless: true });
    if (result.success) break;
    let dropped = false;
    for (const issue of result.error.issues) {
      if (issue.code === "unrecognized_keys") {
        for (const key of issue.keys) {
          const path = [...issue.path.map(String), key];
          unknown.set(formatPath(path), path);
        }
        continue;
      }
      const path = keyPathOf(issue.path);
      invalid.push({ path, message: issueMessage(issue, table) });
      deleteAt(table, path);
      dropped = true;
    }
    if (!dropped) break;
  }

  const providers = table["model_providers"];
  if (isPlainObject(providers)) {
    const reserved = Object.keys(providers).filter((id) => RESERVED_PROVIDER_IDS.includes(id));
    for (const id of reserved) {
      invalid.push({ path: ["model_providers", id], message: reservedProviderMessage(reserved) });
      delete providers[id];
    }
  }

  const deprecations: DeprecationNoticeNotification[] = [];
  const notes: ConfigWarningNotification[] = [];
  normalizeApproval(table, deprecations, "", notes);
  const profiles = table["profiles"];
  if (isPlainObject(profiles)) {
    for (const [name, profile] of Object.entries(profiles)) {
      if (isPlainObject(profile)) normalizeApproval(profile, deprecations, `profiles.${name}.`, notes);
    }
  }

  const featureNotices = new Map<string, DeprecationNoticeNotification>();
  const noteFeatures = (features: JsonValue | undefined): void => {
    if (!isPlainObject(features)) return;
    for (const key of Object.keys(features)) {
      const notice = featureKeyNotice(key);
      if (notice) featureNotices.set(key, notice);
    }
    if (Object.hasOwn(features, "multi_agent") && !notes.some((n) => n.summary === MULTI_AGENT_WARNING)) {
      notes.push({ summary: MULTI_AGENT_WARNING, details: null });
    }
  };
  noteFeatures(table["features"]);
  if (isPlainObject(profiles)) for (const profile of Object.values(profiles)) if (isPlainObject(profile)) noteFeatures(profile["features"]);
  if (typeof table["experimental_use_unified_exec_tool"] === "boolean") {
    const notice = featureKeyNotice("experimental_use_unified_exec_tool");
    if (notice) featureNotices.set("experimental_use_unified_exec_tool", notice);
  }
  // 0.169 sorts these by the legacy key.
  for (const key of [...featureNotices.keys()].sort()) deprecations.push(featureNotices.get(key) as DeprecationNoticeNotification);

  for (const [key, notice] of Object.entries(REMOVED_TOP_LEVEL_KEYS)) {
    if (Object.hasOwn(table, key)) deprecations.push({ summary: notice.summary, details: notice.details });
  }
  const profileName = table["profile"];
  if (typeof profileName === "string") {
    deprecations.push({
      summary: `\`profile = ${JSON.stringify(profileName)}\` selects the legacy \`[profiles.${profileName}]\` table.`,
      details: `Gatehouse applies it over the top-level settings. Codex 0.169 no longer reads legacy profiles; it uses \`--profile ${profileName}\` with \`${profileName}.config.toml\`.`,
    });
  }

  const known = cloneJson(table);
  const unknownKeys = [...unknown.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, path]) => path);
  // Unknown `[features]` keys stay: 0.169 echoes them in config/read, and they enable nothing.
  for (const path of unknownKeys) if (path[path.length - 2] !== "features") deleteAt(known, path);
  for (const key of Object.keys(REMOVED_TOP_LEVEL_KEYS)) delete known[key];
  return { table, known, unknownKeys, invalid, deprecations, notes };
}

/** "user (/home/me/.gatehouse/config.toml)", "session-flags", "requirements (/etc/codex/requirements.toml)". */
export type LayerLabel = string;

/** The reference's single unknown-keys warning, across layers. */
export function unknownKeysWarning(entries: readonly { label: LayerLabel; path: readonly string[] }[]): ConfigWarningNotification | null {
  if (entries.length === 0) return null;
  const n = entries.length;
  const lines = entries.slice(0, 3).map((e) => `  ${e.label}: \`${formatPath(e.path)}\` is ignored.`);
  if (n > 3) lines.push(`  ... and ${n - 3} more ignored settings.`);
  const noun = n === 1 ? "setting" : "settings";
  return { summary: `Codex is ignoring ${n} unrecognized configuration ${noun}. Check for typos or deprecated settings.\n${lines.join("\n")}`, details: null };
}

/** One warning per dropped value, positioned in the file when it can be found. */
export function invalidValueWarning(value: InvalidValue, file: string | null, text: string | null): ConfigWarningNotification {
  const range = text !== null ? locateKey(text, value.path) : null;
  const where = file === null ? "" : range ? `${file}:${range.start.line}:${range.start.column}: ` : `${file}: `;
  return {
    summary: `Invalid value for \`${formatPath(value.path)}\`; using the default.`,
    details: `${where}${value.message}\nin \`${formatPath(value.path)}\``,
    ...(file !== null ? { path: file } : {}),
    ...(range ? { range } : {}),
  };
}
