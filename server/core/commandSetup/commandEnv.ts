// The environment commands start from: config.toml's shell_environment_policy over the daemon's own
// environment (sandbox/env.ts has the rules). One place, so command/exec and a turn's commands agree.
import type { EffectiveConfig } from "../config/effective.js";
import { buildShellEnvironment, type ShellEnvironmentPolicy } from "../../sandbox/env.js";

/** `[shell_environment_policy]` as the config service resolved it, spelled as env.ts takes it. */
export function shellEnvironmentPolicy(c: EffectiveConfig["shellEnvironmentPolicy"]): ShellEnvironmentPolicy {
  return {
    inherit: c.inherit,
    ignore_default_excludes: c.ignoreDefaultExcludes,
    exclude: c.exclude,
    set: c.set,
    include_only: c.includeOnly,
  };
}

export function commandEnvironment(config: EffectiveConfig, source: Readonly<Record<string, string | undefined>> = process.env): Record<string, string> {
  return buildShellEnvironment(source, shellEnvironmentPolicy(config.shellEnvironmentPolicy));
}
