import type { SandboxLauncher } from "./launcherTypes.js";
import { checkCommand, unwrapped, wrapMode } from "./launcherTypes.js";
import { SandboxUnavailableError } from "./errors.js";
import { normalizeAbsolute } from "./paths.js";
import { isSplitPolicy, toSplitPolicy } from "./splitSandboxPolicy.js";

/** A launcher for platforms without an implementation: unwrapped policies run, restricted ones refuse. */
export function createRefusingLauncher(platform: string, reason: string, remedy: string): SandboxLauncher {
  const error = (): SandboxUnavailableError => new SandboxUnavailableError("unsupported-platform", reason, remedy);
  return {
    platform,
    transform(command, policy, cwd, opts = {}) {
      checkCommand(command);
      const split = isSplitPolicy(policy) ? policy : toSplitPolicy(policy);
      if (wrapMode(split) !== "none") return Promise.reject(error());
      return Promise.resolve(unwrapped(command, split, normalizeAbsolute(cwd, "/"), opts));
    },
    readiness() {
      return Promise.resolve({ ok: false, launcher: "none", error: error(), warnings: [] });
    },
  };
}
