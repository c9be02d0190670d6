// The SandboxLauncher for Linux: bubblewrap.
//   wrapMode none         → unwrapped
//   wrapMode network-only → bwrap with `--bind / /`: keeps the filesystem, cuts the net
//   wrapMode full         → bwrap with the full mount plan (bwrapPlan.ts)
//
// Managed networking (`opts.managedNetwork`): a wrapped run whose policy enables the network gets
// `--unshare-net` instead, and its command runs under the relay (netRelay.ts: `node <relay>
// <httpPort> <socksPort> -- command…`), which hands every connection made to 127.0.0.1:<proxy port>
// inside the namespace to the daemon over a Node IPC channel; spawn.ts attaches each to the proxy as
// `owner`'s. The env gets the proxy variables (proxyEnv.ts). A restricted network stays fully isolated
// (no relay, no variables); an unwrapped run (dangerFullAccess, externalSandbox) gets no proxy: the
// option is ignored there.
//
// Fail closed: anything that prevents wrapping (no bwrap, no user namespaces, AppArmor, a path that
// cannot be enforced, an unsupported CPU) throws SandboxUnavailableError.
import type { BwrapProbe, BwrapLocation, HostFacts, Outcome, ProbeRunner } from "./bwrapProbe.js";
import type { DaemonPaths, PlannedRule } from "./bwrapPlan.js";
import type { SandboxDenial } from "./denial.js";
import type { FsView } from "./fsView.js";
import type { FinalizeReport, SandboxLauncher } from "./launcherTypes.js";
import type { SeccompArch } from "./seccomp.js";
import { buildBwrapArgv } from "./bwrap.js";
import { planBwrap } from "./bwrapPlan.js";
import { findBwrap, isExecutableFile, probeBwrap } from "./bwrapProbe.js";
import { protectedCreatedDenial } from "./denial.js";
import { applySandboxEnv, buildShellEnvironment } from "./env.js";
import { checkCommand, unwrapped, wrapMode } from "./launcherTypes.js";
import { withManagedProxyEnv, type ManagedProxyPorts } from "./proxyEnv.js";
import { SandboxUnavailableError } from "./errors.js";
import { canonicalize, nodeFsView } from "./fsView.js";
import { normalizeAbsolute } from "./paths.js";
import { defaultPlaceholderRegistry, PlaceholderRegistry, removeCreated, removeIfEmpty } from "./placeholders.js";
import { isSplitPolicy, toSplitPolicy } from "./splitSandboxPolicy.js";
import { resolveFileSystemPolicy } from "./resolvedFileSystemPolicy.js";
import { hostSeccompArch, seccompFilterBytes } from "./seccomp.js";
import * as fs_ from "node:fs";
import { fileURLToPath } from "node:url";

export interface LinuxLauncherDeps {
  readonly fs?: FsView;
  /** PATH used to look for bwrap when /usr/bin/bwrap is absent; defaults to the daemon's PATH. */
  readonly pathEnv?: string;
  readonly systemBwrapPath?: string;
  readonly probeRunner?: ProbeRunner;
  readonly facts?: HostFacts;
  readonly placeholders?: PlaceholderRegistry;
  /**
   * Where the crash-safe placeholder record lives (under the daemon's home); swept when the launcher
   * is created. Ignored when `placeholders` is given.
   */
  readonly placeholderDir?: string;
  readonly platformDefaults?: readonly string[];
  readonly arch?: SeccompArch | string;
  readonly isExecutable?: (path: string) => boolean;
  /** Managed networking's relay: defaults to the daemon's own node binary and netRelay.mjs beside its code. */
  readonly relay?: { readonly nodePath?: string; readonly script?: string };
}

/** Where `npm run build` puts the relay (scripts/build.mjs): dist/netRelay.mjs, beside the bundle or its chunks/. */
export function defaultRelayScript(): string | null {
  for (const rel of ["./netRelay.mjs", "../netRelay.mjs"]) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    try {
      if (fs_.statSync(p).isFile()) return fs_.realpathSync(p);
    } catch {
      // not here
    }
  }
  return null;
}

function managedUnavailable(reason: string, remedy: string): SandboxUnavailableError {
  return new SandboxUnavailableError("managed-network-unavailable", reason, remedy);
}

/** The relay's two files, canonical: the node binary that runs it and its script. */
function relayFiles(deps: LinuxLauncherDeps): { node: string; script: string } {
  const script = deps.relay?.script ?? defaultRelayScript();
  if (script === null) {
    throw managedUnavailable(
      "managed networking needs the network relay (netRelay.mjs), which was not found beside the daemon's code",
      "rebuild gatehouse with `npm run build` (it writes dist/netRelay.mjs), or turn managed networking off",
    );
  }
  const canonical = (p: string, what: string): string => {
    try {
      return fs_.realpathSync(p);
    } catch (e) {
      throw managedUnavailable(
        `managed networking needs ${what} ${p}: ${e instanceof Error ? e.message : String(e)}`,
        "rebuild gatehouse with `npm run build`, or turn managed networking off",
      );
    }
  };
  return { node: canonical(deps.relay?.nodePath ?? process.execPath, "the node binary"), script: canonical(script, "the network relay") };
}

/**
 * The placeholder record is the daemon's own state: a command that could write it could make the
 * next start's sweep delete empty files of its choosing, so it is denied like the daemon's home.
 */
function withRegistry(paths: DaemonPaths | undefined, dir: string | undefined): DaemonPaths {
  if (dir === undefined) return paths ?? {};
  return { ...paths, deny: [...(paths?.deny ?? []), dir] };
}

/** Fixed child fd layout for wrapped runs: seccomp program, status pipe, then /dev/null if masks use it. */
export const BWRAP_FDS = { seccomp: 3, status: 4, devNull: 5 } as const;

export function createLinuxLauncher(deps: LinuxLauncherDeps = {}): SandboxLauncher {
  const fs = deps.fs ?? nodeFsView;
  const registry = deps.placeholders ?? (deps.placeholderDir !== undefined ? new PlaceholderRegistry(deps.placeholderDir) : defaultPlaceholderRegistry);
  if (registry.dir !== undefined) {
    try {
      fs_.mkdirSync(registry.dir, { recursive: true, mode: 0o700 });
    } catch {
      // acquire() retries and refuses the launch if the record cannot be written
    }
  }
  registry.sweep();
  const probes = new Map<string, Promise<Outcome<BwrapProbe>>>();
  const probeFor = (path: string): Promise<Outcome<BwrapProbe>> => {
    let p = probes.get(path);
    if (p === undefined) {
      const opts = {
        fs,
        ...(deps.probeRunner ? { run: deps.probeRunner } : {}),
        ...(deps.facts ? { facts: deps.facts } : {}),
        ...(deps.platformDefaults ? { platformDefaults: deps.platformDefaults } : {}),
      };
      p = probeBwrap(path, opts);
      probes.set(path, p);
    }
    return p;
  };
  const locate = (forbiddenRoots: readonly string[]): Outcome<BwrapLocation> =>
    findBwrap({
      pathEnv: deps.pathEnv ?? process.env["PATH"],
      forbiddenRoots,
      fs,
      isExecutable: deps.isExecutable ?? isExecutableFile,
      ...(deps.systemBwrapPath ? { systemPath: deps.systemBwrapPath } : {}),
    });

  return {
    platform: "linux",

    async transform(command, policy, cwd, opts = {}) {
      checkCommand(command);
      const split = isSplitPolicy(policy) ? policy : toSplitPolicy(policy);
      const absCwd = normalizeAbsolute(cwd, "/");
      const mode = wrapMode(split);
      if (mode === "none") return unwrapped(command, split, absCwd, opts);

      const tty = opts.tty ?? false;
      const arch = hostSeccompArch(deps.arch ?? process.arch);
      // Managed networking applies to a wrapped run whose policy enables the network; a restricted
      // network stays isolated without a relay.
      const managed = split.network === "enabled" ? opts.managedNetwork : undefined;
      if (managed !== undefined && tty) {
        throw managedUnavailable(
          "managed networking is not available for terminal (tty) sessions: the network relay needs a Node IPC channel, which a PTY spawn cannot pass",
          "run the command without a terminal (tty: false), or turn managed networking off for it",
        );
      }
      const relay = managed === undefined ? undefined : relayFiles(deps);
      let env = applySandboxEnv(opts.env ?? buildShellEnvironment(process.env), { networkDisabled: split.network === "restricted" });
      const policyCwd = canonicalize(normalizeAbsolute(opts.policyCwd ?? absCwd, absCwd), fs);
      const resolved = resolveFileSystemPolicy(split.fileSystem, {
        cwd: policyCwd,
        fs,
        tmpdir: env["TMPDIR"],
        ...(opts.projectRoots ? { projectRoots: opts.projectRoots } : {}),
      });

      const canonicalCwd = canonicalize(absCwd, fs);
      const forbidden = [canonicalCwd, policyCwd, ...resolved.writableRoots.map((w) => w.root)].filter((r) => r !== "/");
      const loc = locate(forbidden);
      if (!loc.ok) throw loc.error;
      const probe = await probeFor(loc.value.path);
      if (!probe.ok) throw probe.error;
      const disableUserns = !(opts.allowNestedUserns ?? false);
      // Fail closed: a run that must not make nested user namespaces is refused where that cannot be enforced.
      if (disableUserns && probe.value.disableUsernsError) throw probe.value.disableUsernsError;

      let ports: ManagedProxyPorts | undefined;
      let sandboxed = command;
      if (managed !== undefined && relay !== undefined) {
        try {
          ports = await managed.proxy.ensureStarted();
        } catch (e) {
          throw managedUnavailable(
            `managed networking's proxy could not start: ${e instanceof Error ? e.message : String(e)}`,
            "check that the daemon may listen on 127.0.0.1, or turn managed networking off",
          );
        }
        env = withManagedProxyEnv(env, ports);
        sandboxed = [relay.node, relay.script, String(ports.httpPort), String(ports.socksPort), "--", ...command];
      }

      const plan = planBwrap({
        policy: split,
        resolved,
        cwd: canonicalCwd,
        command: sandboxed,
        tty,
        probe: probe.value,
        disableUserns,
        fs,
        fds: BWRAP_FDS,
        isLivePlaceholder: (p) => registry.isLive(p),
        daemonPaths: withRegistry(opts.daemonPaths, registry.dir),
        ...(deps.platformDefaults ? { platformDefaults: deps.platformDefaults } : {}),
        ...(relay ? { relayFiles: [relay.node, relay.script] } : {}),
      });
      const { argv } = buildBwrapArgv(plan.input);
      const usesDevNull = argv.includes("--ro-bind-data");

      try {
        registry.acquire(plan.placeholders);
      } catch (e) {
        // Fail closed: a placeholder bwrap would create without a record could outlive a crash.
        throw new SandboxUnavailableError(
          "placeholder-registry",
          `cannot record sandbox placeholders in ${registry.dir ?? "the daemon home"}: ${e instanceof Error ? e.message : String(e)}`,
          "make the daemon's home directory writable",
        );
      }
      let done = false;
      const finalize = (): FinalizeReport => {
        if (done) return { denials: [] };
        done = true;
        for (const p of registry.release(plan.placeholders)) removeIfEmpty(p);
        const denials: SandboxDenial[] = [];
        for (const w of plan.watch) if (removeCreated(w)) denials.push(protectedCreatedDenial(w));
        return { denials };
      };

      const rules: PlannedRule[] = [...plan.rules];
      return {
        argv,
        env,
        cwd: plan.input.cwd,
        extraFds: [
          { fd: BWRAP_FDS.seccomp, kind: "data", data: seccompFilterBytes({ arch, tty }) },
          { fd: BWRAP_FDS.status, kind: "status" },
          ...(usesDevNull ? [{ fd: BWRAP_FDS.devNull, kind: "devNull" } as const] : []),
        ],
        sandbox: "bwrap",
        tty,
        warnings: [...loc.value.warnings, ...probe.value.warnings, ...plan.warnings],
        denialContext: {
          sandboxed: true,
          policyLabel: split.label,
          cwd: plan.input.cwd,
          writableRoots: plan.writableRoots,
          rules,
          networkIsolated: plan.input.network === "isolated",
          ...(managed !== undefined && ports !== undefined ? { managedProxy: true } : {}),
        },
        finalize,
        ...(managed !== undefined && ports !== undefined ? { relay: { proxy: managed.proxy, owner: managed.owner, ports } } : {}),
      };
    },

    prewarm(policy) {
      const split = isSplitPolicy(policy) ? policy : toSplitPolicy(policy);
      if (wrapMode(split) === "none") return;
      // No forbidden roots here: a bwrap found inside a workspace is refused by transform's own
      // locate(), which runs with the real roots before the probe result is used.
      const loc = locate([]);
      if (loc.ok) void probeFor(loc.value.path);
    },

    async readiness() {
      const loc = locate([]);
      if (!loc.ok) return { ok: false, launcher: "bwrap", error: loc.error, warnings: [] };
      const probe = await probeFor(loc.value.path);
      if (!probe.ok) return { ok: false, launcher: "bwrap", error: probe.error, bwrap: loc.value, warnings: [...loc.value.warnings] };
      try {
        hostSeccompArch(deps.arch ?? process.arch);
      } catch (e) {
        if (e instanceof SandboxUnavailableError) return { ok: false, launcher: "bwrap", error: e, warnings: [] };
        throw e;
      }
      return {
        ok: true,
        launcher: "bwrap",
        bwrap: { ...loc.value, probe: probe.value },
        warnings: [...loc.value.warnings, ...probe.value.warnings],
      };
    },
  };
}
