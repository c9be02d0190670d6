// The daemon's one sandbox launcher, counted: every launch the launcher prepares (commands, command/exec,
// MCP servers) and every refusal (the sandbox cannot be built as the policy says, so nothing runs).
import { SandboxUnavailableError } from "../../sandbox/errors.js";
import type { SandboxLauncher } from "../../sandbox/launcherTypes.js";
import type { DaemonMetrics } from "./daemonMetrics.js";

/** What a refused launch would have used, named as a launched one is (ExecRequest.sandbox). */
const PLATFORM_SANDBOX: Partial<Record<string, string>> = { linux: "bwrap", darwin: "seatbelt", win32: "windows" };

export function countedLauncher(inner: SandboxLauncher, metrics: DaemonMetrics): SandboxLauncher {
  return {
    platform: inner.platform,
    async transform(command, policy, cwd, opts) {
      try {
        const request = await inner.transform(command, policy, cwd, opts);
        metrics.sandboxLaunch(request.sandbox, "launched");
        return request;
      } catch (error) {
        if (error instanceof SandboxUnavailableError) metrics.sandboxLaunch(PLATFORM_SANDBOX[inner.platform] ?? inner.platform, "refused");
        throw error;
      }
    },
    readiness: () => inner.readiness(),
    ...(inner.prewarm ? { prewarm: inner.prewarm.bind(inner) } : {}),
  };
}
