// Test helper: validates values against the reference's JSON Schema files (codex-cli 0.169.0,
// schema-json/v2/*.json) with the ajv installed under ../shared/tools. Object schemas that list
// properties and say nothing about extra ones are tightened to `additionalProperties: false`, so a
// misspelled or invented field fails instead of passing silently. The schema comes from the test
// run's global set-up (which installs the reference when absent); ajv is installed under
// ../shared/tools on first use, as the traffic checks do. Nothing here skips: a missing piece fails
// the test with what to run.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REFERENCE_SCHEMA_DIR = path.join(
  process.env["REF_DIR"] ?? path.join(os.homedir(), ".cache", "app-server-reference"),
  "0.169.0",
  "schema-json",
  "v2",
);
/** ../shared/tools beside the repository root. */
const TOOLS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../../shared/tools");
const AJV_PATH = path.join(TOOLS, "node_modules", "ajv");

/** Installs ajv under ../shared/tools when absent; throws with the command to run when that fails. */
function ensureAjv(): void {
  if (existsSync(AJV_PATH)) return;
  if (!existsSync(path.join(TOOLS, "package.json"))) throw new Error(`${TOOLS} is missing: the tests need ../shared beside the repository`);
  execFileSync(process.platform === "win32" ? "npm.cmd" : "npm", ["ci", "--prefix", TOOLS, "--no-audit", "--no-fund", "--silent"], {
    stdio: ["ignore", "ignore", "inherit"],
    timeout: 300_000,
  });
  if (!existsSync(AJV_PATH)) throw new Error(`npm ci --prefix ${TOOLS} did not install ajv`);
}

interface AjvLike {
  compile(schema: unknown): ((value: unknown) => boolean) & { errors?: unknown[] | null };
  errorsText(errors: unknown): string;
}

function tighten(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(tighten);
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node))
    out[k] = k === "properties" ? Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, tighten(s)])) : tighten(v);
  if ("properties" in out && !("additionalProperties" in out)) out["additionalProperties"] = false;
  return out;
}

let ajv: AjvLike | null = null;
const compiled = new Map<string, ((value: unknown) => boolean) & { errors?: unknown[] | null }>();

/** Returns null when `value` is valid against `v2/<name>.json`, else ajv's error text. */
export function schemaErrors(name: string, value: unknown): string | null {
  if (!ajv) {
    if (!existsSync(REFERENCE_SCHEMA_DIR)) throw new Error(`${REFERENCE_SCHEMA_DIR} is missing: run ../shared/tools/reference.sh`);
    ensureAjv();
    const require = createRequire(import.meta.url);
    const Ajv = require(AJV_PATH) as { default?: new (o: object) => AjvLike } & (new (o: object) => AjvLike);
    const Ctor = Ajv.default ?? Ajv;
    ajv = new Ctor({ strict: false, allErrors: true, validateFormats: false });
  }
  let validate = compiled.get(name);
  if (!validate) {
    const schema = JSON.parse(readFileSync(path.join(REFERENCE_SCHEMA_DIR, `${name}.json`), "utf8")) as unknown;
    validate = ajv.compile(tighten(schema));
    compiled.set(name, validate);
  }
  return validate(value) ? null : ajv.errorsText(validate.errors);
}
