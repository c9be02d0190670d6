// Once per test run (both projects): the built daemon (dist/gatehouse.mjs) and the reference binaries, which
// tests find through REF_DIR (default ~/.cache/app-server-reference) and install with
// ../shared/tools/reference.sh when absent.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureWireCheck } from "./wireCheck.js";

export const REF_DIR = process.env["REF_DIR"] || join(homedir(), ".cache/app-server-reference");

export default function setup(): () => void {
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
  dropPackageBinsFromPath();
  return isolateHome();
}

/**
 * `npm test` puts the checkout's node_modules/.bin (and each parent's) first on PATH, and every daemon
 * a test starts passes PATH on to its commands. A checkout under /tmp (a writable root of
 * workspace-write) then makes `cat` resolve through a folder the model could write, and the known-safe
 * check rightly asks for it (server/core/approval/programTrust.ts): the tests would depend on where
 * the clone lies. The daemons get the PATH the user had before npm.
 */
function dropPackageBinsFromPath(): void {
  const path = process.env["PATH"] ?? "";
  process.env["PATH"] = path
    .split(":")
    .filter((dir) => !/\/node_modules\/\.bin\/?$/.test(dir) && !dir.includes("/@npmcli/run-script/"))
    .join(":");
}

/**
 * Tests run every daemon, and so every `bash -lc` a model asks for, with HOME set to an empty folder:
 * the host's dotfiles stay out of the results. They did not before, and a test that killed a login
 * shell while ~/.bashrc ran `pyenv rehash` left pyenv's lock behind, after which every login shell
 * on the machine waited 60 s for it. REF_DIR is pinned first, since its default lives under HOME.
 */
function isolateHome(): () => void {
  process.env["REF_DIR"] = REF_DIR;
  if (process.env["GATEHOUSE_TEST_HOME"]) return () => undefined;
  const home = mkdtempSync(join(tmpdir(), "gatehouse-test-home-"));
  process.env["GATEHOUSE_TEST_HOME"] = home;
  process.env["HOME"] = home;
  return () => rmSync(home, { recursive: true, force: true });
}
