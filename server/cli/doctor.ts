// `gatehouse doctor`: every prerequisite of the Linux sandbox, one line each with ✓ or ✗, and for each
// ✗ the exact fix. The last check runs /bin/true under the configured default policy through the
// same path command/exec uses; the exit code is non-zero exactly when that cannot work.
import { existsSync, readFileSync } from "node:fs";
import { ConfigService } from "../core/config/configService.js";
import { ensureHome, resolveHome } from "../core/config/home.js";
import { ExecSandboxUnavailableError } from "../core/exec/errors.js";
import { ExecService } from "../core/exec/execService.js";
import { sandboxPolicyFromConfig } from "../core/commandSetup/sandboxFromWire.js";
import { createLogger } from "../log.js";
import { bwrapVersion, readHostFacts, SYSTEM_BWRAP } from "../sandbox/bwrapProbe.js";
import type { HostFacts } from "../sandbox/bwrapProbe.js";
import { selectLauncher } from "../sandbox/launcher.js";
import { wrapMode, type SandboxReadiness } from "../sandbox/launcherTypes.js";
import { policyLabel } from "../sandbox/sandboxPolicy.js";
import { toSplitPolicy } from "../sandbox/splitSandboxPolicy.js";
import { createPtySpawner } from "../sandbox/pty.js";
import { hostSeccompArch } from "../sandbox/seccomp.js";
import { startExec } from "../sandbox/spawn.js";

export interface Check {
  readonly ok: boolean;
  readonly name: string;
  readonly detail: string;
  readonly fix?: string;
}

function read(path: string): string | null {
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    return null;
  }
}

const USERNS_CODES = new Set(["userns-unavailable", "wsl1", "proc-sys-disconnected"]);

/** `version`: what `bwrap --version` said (bwrapVersion), or null. */
export function bwrapCheck(r: SandboxReadiness, bwrapVersion: string | null): Check {
  if (r.bwrap === undefined) {
    return { ok: false, name: "bubblewrap", detail: r.error?.reason ?? "not found", fix: r.error?.remedy ?? "install bubblewrap" };
  }
  const version = bwrapVersion ? `bubblewrap ${bwrapVersion}` : "version unknown";
  const where = r.bwrap.system ? "" : ` (not ${SYSTEM_BWRAP}: AppArmor profiles only cover that path)`;
  if (r.error?.code === "bwrap-too-old" || r.error?.code === "bwrap-failed") {
    return { ok: false, name: "bubblewrap", detail: `${r.bwrap.path}: ${r.error.reason}`, fix: r.error.remedy };
  }
  return { ok: true, name: "bubblewrap", detail: `${r.bwrap.path} (${version})${where}` };
}

export function usernsCheck(r: SandboxReadiness): Check {
  const max = read("/proc/sys/user/max_user_namespaces");
  const clone = read("/proc/sys/kernel/unprivileged_userns_clone");
  const sysctl = `user.max_user_namespaces = ${max ?? "?"}${clone === null ? "" : `, kernel.unprivileged_userns_clone = ${clone}`}`;
  if (r.error && USERNS_CODES.has(r.error.code)) return { ok: false, name: "user namespaces", detail: `${r.error.reason} (${sysctl})`, fix: r.error.remedy };
  if (r.bwrap?.probe === undefined) {
    return {
      ok: max !== "0",
      name: "user namespaces",
      detail: `the kernel allows them (${sysctl}); not tested, bubblewrap did not run`,
      ...(max === "0" ? { fix: "sysctl -w user.max_user_namespaces=15000" } : {}),
    };
  }
  return { ok: true, name: "user namespaces", detail: `bubblewrap created a user namespace (${sysctl})` };
}

export function apparmorCheck(r: SandboxReadiness, facts: HostFacts): Check {
  if (r.error?.code === "apparmor-userns") return { ok: false, name: "AppArmor", detail: r.error.reason, fix: r.error.remedy };
  if (facts.apparmorRestrictUserns === null || facts.apparmorRestrictUserns === "0") {
    return { ok: true, name: "AppArmor", detail: "does not restrict unprivileged user namespaces" };
  }
  return { ok: true, name: "AppArmor", detail: `restricts unprivileged user namespaces, but allows ${r.bwrap?.path ?? SYSTEM_BWRAP}` };
}

export function seccompCheck(): Check {
  const status = read("/proc/self/status");
  const field = status === null ? null : (/^Seccomp:\s*(\d+)/m.exec(status)?.[1] ?? null);
  if (field === null) {
    return {
      ok: false,
      name: "seccomp",
      detail: "the kernel reports no seccomp support (no Seccomp: line in /proc/self/status)",
      fix: "use a kernel built with CONFIG_SECCOMP_FILTER=y",
    };
  }
  try {
    const arch = hostSeccompArch(process.arch);
    return {
      ok: true,
      name: "seccomp",
      detail: `filters supported; ${arch === "x64" ? "x86_64" : "aarch64"} filter (ptrace, io_uring, AF_UNIX sockets, TIOCSTI blocked)`,
    };
  } catch (e) {
    return { ok: false, name: "seccomp", detail: e instanceof Error ? e.message : String(e), fix: "run on x86_64 or aarch64 Linux" };
  }
}

export function nestedUsernsCheck(r: SandboxReadiness): Check {
  const probe = r.bwrap?.probe;
  const name = "nested user namespaces";
  if (probe === undefined) return { ok: false, name, detail: "not tested: bubblewrap did not run", fix: "fix the checks above first" };
  if (!probe.features.disableUserns) return { ok: true, name, detail: "not blocked: this bubblewrap has no --disable-userns (0.8.0 added it)" };
  if (probe.disableUsernsError) return { ok: false, name, detail: probe.disableUsernsError.reason, fix: probe.disableUsernsError.remedy };
  return { ok: true, name, detail: "blocked inside the sandbox (--disable-userns)" };
}

export function procCheck(r: SandboxReadiness): Check {
  const probe = r.bwrap?.probe;
  if (probe === undefined) return { ok: false, name: "/proc", detail: "not tested: bubblewrap did not run", fix: "fix the checks above first" };
  if (probe.proc === "mount") return { ok: true, name: "/proc", detail: "a fresh /proc mounts inside the sandbox (pid namespace)" };
  return {
    ok: false,
    name: "/proc",
    detail: "bubblewrap cannot mount a fresh /proc (masked /proc, e.g. Docker); commands still run, with an empty /proc",
    fix: "run the daemon where /proc is not masked (docker run --security-opt systempaths=unconfined), or accept that ps and /proc/self do not work in commands",
  };
}

export async function ptyCheck(): Promise<Check> {
  if (!existsSync("/dev/ptmx"))
    return { ok: false, name: "PTY", detail: "/dev/ptmx is missing", fix: "mount devpts (mount -t devpts devpts /dev/pts) and provide /dev/ptmx" };
  try {
    const spawner = createPtySpawner({ cols: 80, rows: 24 });
    const handle = startExec(
      {
        argv: ["/bin/sh", "-c", "test -t 0 && test -t 1"],
        env: { PATH: "/usr/bin:/bin" },
        cwd: "/",
        extraFds: [],
        sandbox: "none",
        tty: true,
        warnings: [],
        denialContext: { sandboxed: false, policyLabel: "doctor", cwd: "/", writableRoots: [], rules: [], networkIsolated: false },
        finalize: () => ({ denials: [] }),
      },
      { spawner, stdin: "pipe", timeoutMs: 10_000 },
    );
    const r = await handle.result;
    if (r.exitCode === 0) return { ok: true, name: "PTY", detail: "node-pty opened a terminal; stdin and stdout are ttys" };
    return {
      ok: false,
      name: "PTY",
      detail: `a PTY child did not see a terminal (exit ${r.exitCode})`,
      fix: "check that /dev/pts is mounted with mode 620 and ptmxmode=666",
    };
  } catch (e) {
    return {
      ok: false,
      name: "PTY",
      detail: `node-pty failed: ${e instanceof Error ? e.message : String(e)}`,
      fix: "reinstall dependencies so @lydell/node-pty's prebuilt binary for this platform is present (npm ci)",
    };
  }
}

export async function defaultPolicyCheck(exec: ExecService, config: ConfigService): Promise<Check> {
  const policy = sandboxPolicyFromConfig(config.effective);
  const label = policyLabel(policy);
  const wrapped = wrapMode(toSplitPolicy(policy)) !== "none";
  try {
    const req = await exec.prepare({ command: ["/bin/true"], cwd: process.cwd(), policy });
    const r = await startExec(req, { timeoutMs: 10_000 }).result;
    if (r.exitCode === 0)
      return { ok: true, name: `default policy (${label})`, detail: wrapped ? "/bin/true ran inside the sandbox" : "runs unwrapped (no sandbox needed)" };
    return {
      ok: false,
      name: `default policy (${label})`,
      detail: `/bin/true failed (exit ${r.exitCode}${r.sandboxDenial ? `; ${r.sandboxDenial.message}` : ""})`,
      fix: "fix the checks above; run `gatehouse sandbox -- /bin/true` to see the full error",
    };
  } catch (e) {
    if (e instanceof ExecSandboxUnavailableError) {
      return { ok: false, name: `default policy (${label})`, detail: `commands are refused: ${e.unavailable.reason}`, fix: e.unavailable.remedy };
    }
    return {
      ok: false,
      name: `default policy (${label})`,
      detail: e instanceof Error ? e.message : String(e),
      fix: "fix sandbox_mode / [sandbox_workspace_write] in config.toml",
    };
  }
}

export function formatCheck(c: Check): string {
  return `${c.ok ? "✓" : "✗"} ${c.name}: ${c.detail}${c.ok || c.fix === undefined ? "" : `\n    fix: ${c.fix}`}\n`;
}

export async function runDoctor(args: string[]): Promise<number> {
  const overrides: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if ((a === "-c" || a === "--config") && args[i + 1] !== undefined) overrides.push(args[++i] as string);
    else if (a.startsWith("--config=")) overrides.push(a.slice("--config=".length));
    else throw new Error(`doctor: unexpected argument ${JSON.stringify(a)}`);
  }
  const log = createLogger(process.env["GATEHOUSE_LOG"] ?? "warn");
  const home = await ensureHome(resolveHome(process.env));
  const config = await ConfigService.create({ home, cliOverrides: overrides, log });
  const launcher = selectLauncher();
  const exec = new ExecService({ launcher, config: () => config.effective, startupConfig: config.effective, log });
  const out = (s: string): boolean => process.stdout.write(s);

  out(`gatehouse doctor: sandbox prerequisites (${process.platform} ${process.arch}, launcher ${launcher.platform === "linux" ? "bubblewrap" : "none"})\n`);
  const readiness = await launcher.readiness();
  const facts = readiness.bwrap?.probe?.facts ?? readHostFacts();
  const checks: Check[] = [];
  if (process.platform === "linux") {
    checks.push(
      bwrapCheck(readiness, readiness.bwrap ? await bwrapVersion(readiness.bwrap.path) : null),
      usernsCheck(readiness),
      nestedUsernsCheck(readiness),
      apparmorCheck(readiness, facts),
      seccompCheck(),
      procCheck(readiness),
    );
  } else if (!readiness.ok && readiness.error) {
    checks.push({ ok: false, name: "sandbox", detail: readiness.error.reason, fix: readiness.error.remedy });
  }
  checks.push(await ptyCheck());
  for (const c of checks) out(formatCheck(c));
  for (const w of readiness.warnings) out(`! ${w.message}\n`);
  const last = await defaultPolicyCheck(exec, config);
  out(formatCheck(last));
  out(last.ok ? "the default policy can run commands\n" : "the default policy cannot run commands: fix the ✗ lines above\n");
  return last.ok ? 0 : 1;
}
