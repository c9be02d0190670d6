// The daemon's home: $GATEHOUSE_HOME, else $CODEX_HOME (so a Codex home and the conformance harness,
// which sets CODEX_HOME, just work), else ~/.gatehouse. It holds config.toml and, later, credentials
// and rollouts, so it is created owner-only (0700). An existing directory's mode is left alone: the
// user may have chosen it, and Codex homes are often 0755.
import { mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

export const CONFIG_FILE_NAME = "config.toml";

/** Resolves the home directory from the environment (pure: nothing is created). Relative values resolve against `cwd`. */
export function resolveHome(
  env: Readonly<Record<string, string | undefined>> = process.env,
  homedir: string = os.homedir(),
  cwd: string = process.cwd(),
): string {
  for (const name of ["GATEHOUSE_HOME", "CODEX_HOME"]) {
    const value = env[name];
    if (value !== undefined && value.trim() !== "") return path.resolve(cwd, value);
  }
  return path.join(homedir, ".gatehouse");
}

/** Creates the home (and missing parents) with mode 0700 if it does not exist; returns its path. */
export async function ensureHome(home: string): Promise<string> {
  await mkdir(home, { recursive: true, mode: 0o700 });
  return home;
}

export function userConfigPath(home: string): string {
  return path.join(home, CONFIG_FILE_NAME);
}
