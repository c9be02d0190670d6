// Windows: no native sandbox. Codex confines Windows commands with restricted tokens, capability-SID
// ACLs, firewall rules and a private desktop; none of that can reasonably be done from Node, and a
// half-done version would be a sandbox that is not one. So restricted policies fail closed, with the
// reason and what to do instead, and only the policies that need no local confinement run:
// externalSandbox (something outside already confines the daemon) and dangerFullAccess (the user
// chose none).
//
// readiness() says the same thing, so `gatehouse doctor` and the refusal agree.
import path from "node:path";
import type { SandboxLauncher, SandboxReadiness } from "./launcherTypes.js";
import { runUnwrapped, wrapMode } from "./launcherTypes.js";
import { SandboxUnavailableError } from "./errors.js";
import { isSplitPolicy, toSplitPolicy } from "./splitSandboxPolicy.js";

export const WINDOWS_REASON = "sandboxed execution is not supported on Windows by this server";
export const WINDOWS_REMEDY =
  "run Gatehouse inside WSL2 (it uses the Linux bubblewrap sandbox there), or, when an outer sandbox already confines the daemon, " +
  "use externalSandbox; dangerFullAccess runs commands without any sandbox";

export function windowsUnavailable(): SandboxUnavailableError {
  return new SandboxUnavailableError("unsupported-platform", WINDOWS_REASON, WINDOWS_REMEDY);
}

export function createWindowsLauncher(): SandboxLauncher {
  return {
    platform: "win32",
    transform(command, policy, cwd, opts = {}) {
      const split = isSplitPolicy(policy) ? policy : toSplitPolicy(policy);
      if (wrapMode(split) !== "none") return Promise.reject(windowsUnavailable());
      // Windows paths are not POSIX: the cwd resolves with win32 rules.
      return runUnwrapped(command, split, path.win32.resolve(cwd), opts);
    },
    readiness(): Promise<SandboxReadiness> {
      return Promise.resolve({ ok: false, launcher: "none", error: windowsUnavailable(), warnings: [] });
    },
  };
}
