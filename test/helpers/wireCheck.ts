// ../shared/tools/wire-check.mjs validates transcripts against the reference schema. It needs its own
// dependencies (ajv), which a clean checkout of ../shared does not have: install them once, here,
// so a test that validates traffic runs everywhere instead of silently skipping.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const TOOLS = resolve(REPO, "../shared/tools");
export const WIRE_CHECK = join(TOOLS, "wire-check.mjs");

/** Installs wire-check's dependencies when absent; returns why it cannot run, or undefined. */
export function ensureWireCheck(): string | undefined {
  if (!existsSync(WIRE_CHECK)) return `${WIRE_CHECK} is missing`;
  if (existsSync(join(TOOLS, "node_modules/ajv"))) return undefined;
  try {
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    execFileSync(npm, ["ci", "--prefix", TOOLS, "--no-audit", "--no-fund", "--silent"], { stdio: ["ignore", "ignore", "inherit"], timeout: 300_000 });
  } catch (error) {
    return `could not install wire-check's dependencies (npm ci --prefix ${TOOLS}): ${String(error)}`;
  }
  return existsSync(join(TOOLS, "node_modules/ajv")) ? undefined : `npm ci --prefix ${TOOLS} did not install ajv`;
}

/** Runs `wire-check traffic` over a transcript; stdout carries the per-method verdicts. */
export function wireCheckTraffic(refSchemaDir: string, transcriptFile: string): { status: number | null; stdout: string; stderr: string } {
  const why = ensureWireCheck();
  if (why) throw new Error(why);
  const run = spawnSync(process.execPath, [WIRE_CHECK, "traffic", "--ref", refSchemaDir, transcriptFile], { encoding: "utf8" });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}
