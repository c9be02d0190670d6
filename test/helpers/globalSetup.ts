// Once per test run (both projects): the built daemon (dist/gatehouse.mjs) and the reference binaries, which
// tests find through REF_DIR (default ~/.cache/app-server-reference) and install with
// ../shared/tools/reference.sh when absent.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureWireCheck } from "./wireCheck.js";

export const REF_DIR = process.env["REF_DIR"] || join(homedir(), ".cache/app-server-reference");

export default function setup(): void {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  if (!existsSync(join(root, "dist/gatehouse.mjs"))) {
    execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: root, stdio: "inherit" });
  }
  const script = join(root, "../shared/tools/reference.sh");
  if (!existsSync(join(REF_DIR, "0.169.0/bin/codex")) && existsSync(script)) {
    try {
      execFileSync("bash", [script], { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, REF_DIR }, timeout: 600_000 });
    } catch (error) {
      // Tests that need the reference say so with it.runIf and a reason; the rest still run.
      process.stderr.write(`could not install the reference binaries: ${String(error)}\n`);
    }
  }
  const wireCheck = ensureWireCheck();
  if (wireCheck) process.stderr.write(`${wireCheck}\n`);
}
