// The integration suites spawn the built daemon (dist/gatehouse.mjs); build it once if missing.
import { existsSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export default function setup(): void {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  if (!existsSync(`${root}/dist/gatehouse.mjs`)) {
    execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: root, stdio: "inherit" });
  }
}
