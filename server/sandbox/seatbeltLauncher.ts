// The SandboxLauncher for macOS: decides whether to wrap (wrapMode), finds the one
// sandbox-exec it trusts (/usr/bin/sandbox-exec, never one on PATH: a writable PATH entry could
// shadow it), and hands argv generation to the pure generateSeatbeltArgs. Fail closed: no
// sandbox-exec means a restricted policy is refused with the reason and the remedy, never run bare.
//
// Managed networking (LaunchOptions.managedNetwork): there is no network namespace
// and so no relay on macOS. The command gets loopback proxy ports of its own
// (`proxy.openEndpoint(owner)`: what connects there is attributed to it), the profile allows outbound
// connections to those two ports only, and the proxy variables (proxyEnv.ts) point at them. The endpoint is closed
// by `proxy.releaseOwner(owner)`, which the caller owns; a launch that fails after opening it closes
// it here.
import { execFileSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import type { SandboxLauncher, SandboxReadiness } from "./launcherTypes.js";
import { checkCommand, runUnwrapped, wrapMode } from "./launcherTypes.js";
import { applySandboxEnv, buildShellEnvironment } from "./env.js";
import type { ProxyEndpoint } from "./networkProxy/index.js";
import { withManagedProxyEnv } from "./proxyEnv.js";
import { SandboxUnavailableError } from "./errors.js";
import type { FsView } from "./fsView.js";
import { canonicalize, nodeFsView } from "./fsView.js";
import { normalizeAbsolute } from "./paths.js";
import { isSplitPolicy, toSplitPolicy } from "./splitSandboxPolicy.js";
import { generateSeatbeltArgs, SANDBOX_EXEC } from "./seatbelt.js";

export interface SeatbeltLauncherDeps {
  readonly fs?: FsView;
  readonly isExecutable?: (path: string) => boolean;
  readonly confstr?: (name: string) => string | null;
  readonly proxyPorts?: readonly number[];
}

function executable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function getconf(name: string): string | null {
  try {
    const out = execFileSync("/usr/bin/getconf", [name], { encoding: "utf8", timeout: 5_000 }).trim();
    return out === "" ? null : out;
  } catch {
    return null;
  }
}

export function missingSandboxExec(): SandboxUnavailableError {
  return new SandboxUnavailableError(
    "unsupported-platform",
    `${SANDBOX_EXEC} is missing or not executable, so commands cannot be confined with Seatbelt`,
    "restore sandbox-exec (it ships with macOS), or use externalSandbox when an outer sandbox confines the daemon; dangerFullAccess runs commands without any sandbox",
  );
}

export function createSeatbeltLauncher(deps: SeatbeltLauncherDeps = {}): SandboxLauncher {
  const fs = deps.fs ?? nodeFsView;
  const isExecutable = deps.isExecutable ?? executable;
  return {
    platform: "darwin",
    async transform(command, policy, cwd, opts = {}) {
      checkCommand(command);
      const split = isSplitPolicy(policy) ? policy : toSplitPolicy(policy);
      const absCwd = normalizeAbsolute(cwd, "/");
      if (wrapMode(split) === "none") return runUnwrapped(command, split, absCwd, opts);
      if (!isExecutable(SANDBOX_EXEC)) throw missingSandboxExec();

      const base = applySandboxEnv(opts.env ?? buildShellEnvironment(process.env), { networkDisabled: split.network === "restricted" });
      let env: Record<string, string> = { ...base, CODEX_SANDBOX: "seatbelt" };
      const policyCwd = canonicalize(normalizeAbsolute(opts.policyCwd ?? absCwd, absCwd), fs);
      const managed = split.network === "enabled" ? opts.managedNetwork : undefined;
      let endpoint: ProxyEndpoint | undefined;
      if (managed !== undefined) {
        try {
          endpoint = await managed.proxy.openEndpoint(managed.owner);
        } catch (e) {
          throw new SandboxUnavailableError(
            "managed-network-unavailable",
            `managed networking's proxy could not open ports for this command: ${e instanceof Error ? e.message : String(e)}`,
            "check that the daemon may listen on 127.0.0.1, or turn managed networking off",
          );
        }
        env = withManagedProxyEnv(env, endpoint);
      }
      const proxyPorts = endpoint ? [endpoint.httpPort, endpoint.socksPort] : deps.proxyPorts;
      let generated: ReturnType<typeof generateSeatbeltArgs>;
      try {
        generated = generateSeatbeltArgs(split, policyCwd, {
          fs,
          confstr: deps.confstr ?? getconf,
          tmpdir: env["TMPDIR"],
          ...(proxyPorts ? { proxyPorts } : {}),
          ...(managed ? { allowLocalBinding: managed.allowLocalBinding } : {}),
          ...(opts.projectRoots ? { projectRoots: opts.projectRoots } : {}),
        });
      } catch (e) {
        await endpoint?.close();
        throw e;
      }
      return {
        argv: [SANDBOX_EXEC, ...generated.args, ...command],
        env,
        cwd: absCwd,
        extraFds: [],
        sandbox: "seatbelt",
        tty: opts.tty ?? false,
        warnings: [],
        denialContext: {
          sandboxed: true,
          policyLabel: split.label,
          cwd: absCwd,
          writableRoots: generated.writableRoots,
          rules: [],
          networkIsolated: split.network === "restricted",
        },
        finalize: () => ({ denials: [] }),
      };
    },
    readiness(): Promise<SandboxReadiness> {
      if (!isExecutable(SANDBOX_EXEC)) return Promise.resolve({ ok: false, launcher: "seatbelt", error: missingSandboxExec(), warnings: [] });
      return Promise.resolve({ ok: true, launcher: "seatbelt", warnings: [] });
    },
  };
}
