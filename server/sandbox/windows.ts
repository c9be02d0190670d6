// Windows: no native sandbox (sandbox.md §4). Codex confines Windows commands with restricted tokens,
// capability-SID ACLs, firewall rules and a private desktop; none of that can reasonably be done from
// Node, and a half-done version would be a sandbox that is not one. So restricted policies fail
// closed, with the reason and what to do instead, and only the policies that need no local
// confinement run: externalSandbox (something outside already confines the daemon) and
// dangerFullAccess (the user chose none).
//
// readiness() says the same thing, so `gatehouse doctor` and the refusal agree, and
// windowsSandbox/readiness answers "notConfigured": the state 0.169 reports before its own Windows
// sandbox setup has run, which is the state this server is always in.
import type { LaunchOptions, SandboxLauncher, SandboxReadiness } from "./launcher.js";
import { SandboxUnavailableError } from "./errors.js";
import { isSplitPolicy, toSplitPolicy, type SandboxPolicy, type SplitSandboxPolicy } from "./policy.js";

export const WINDOWS_REASON = "sandboxed execution is not supported on Windows by this server";
export const WINDOWS_REMEDY =
  "run Gatehouse inside WSL2 (it uses the Linux bubblewrap sandbox there), or, when an outer sandbox already confines the daemon, " +
  "use externalSandbox; dangerFullAccess runs commands without any sandbox";

export type WindowsSandboxReadiness = "ready" | "notConfigured" | "updateRequired";

export function windowsUnavailable(): SandboxUnavailableError {
  return new SandboxUnavailableError("unsupported-platform", WINDOWS_REASON, WINDOWS_REMEDY);
}

/** What windowsSandbox/readiness answers; the same on every host, since no Windows sandbox is ever set up. */
export function windowsSandboxReadiness(): WindowsSandboxReadiness {
  return "notConfigured";
}

export interface WindowsLauncherDeps {
  /**
   * Builds the unwrapped request for policies that need no local sandbox. Injected (launcher.ts passes
   * its own) so this file holds only the Windows decision, not a second copy of the env rules.
   */
  readonly unwrapped: (
    command: readonly string[],
    policy: SplitSandboxPolicy,
    cwd: string,
    opts: LaunchOptions,
  ) => ReturnType<SandboxLauncher["transform"]>;
}

/** Whether a policy can run without a local sandbox: no filesystem restriction and an open network, or an outer sandbox. */
export function runsWithoutLocalSandbox(policy: SplitSandboxPolicy): boolean {
  const fs = policy.fileSystem.kind;
  return fs === "external-sandbox" || (fs === "unrestricted" && policy.network === "enabled");
}

export function createWindowsLauncher(deps: WindowsLauncherDeps): SandboxLauncher {
  return {
    platform: "win32",
    transform(command, policy: SandboxPolicy | SplitSandboxPolicy, cwd, opts = {}) {
      const split = isSplitPolicy(policy) ? policy : toSplitPolicy(policy);
      if (!runsWithoutLocalSandbox(split)) return Promise.reject(windowsUnavailable());
      return deps.unwrapped(command, split, cwd, opts);
    },
    readiness(): Promise<SandboxReadiness> {
      return Promise.resolve({ ok: false, launcher: "none", error: windowsUnavailable(), warnings: [] });
    },
  };
}
