// Shared helpers for the real-bubblewrap suites: temp workspaces, running a command through the
// launcher and runner exactly as the daemon does, watching /proc for survivors, and an esbuild-bundled
// copy of driver.ts for runs that must happen in another process (another uid, an inherited fd, a
// terminal, a SIGKILLed parent).
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { selectLauncher } from "../../server/sandbox/launcher.js";
import type { ExecRequest, LaunchOptions } from "../../server/sandbox/launcherTypes.js";
import type { LinuxLauncherDeps } from "../../server/sandbox/linuxLauncher.js";
import type { SandboxPolicy } from "../../server/sandbox/sandboxPolicy.js";
import type { SplitSandboxPolicy } from "../../server/sandbox/splitSandboxPolicy.js";
import { runExec } from "../../server/sandbox/spawn.js";
import type { ExecOptions } from "../../server/sandbox/spawn.js";
import type { ExecResult } from "../../server/sandbox/execResult.js";

export const BWRAP = "/usr/bin/bwrap";
export const hasBwrap = fs.existsSync(BWRAP);
export const isRoot = process.getuid?.() === 0;
export const NODE = process.execPath;
export const PERL = ["/usr/bin/perl", "/bin/perl"].find((p) => fs.existsSync(p)) ?? "perl";

/** Only loopback; LANG=C keeps tool messages in ASCII. No TMPDIR: tests choose writable roots explicitly. */
export function baseEnv(home: string): Record<string, string> {
  return { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: home, LANG: "C", LC_ALL: "C" };
}

const created: string[] = [];

/** A fresh directory under the OS temp dir (mode 0755 so an unprivileged uid can traverse it). */
export function tempDir(prefix: string): string {
  const d = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `gh-sbx-${prefix}-`)));
  fs.chmodSync(d, 0o755);
  created.push(d);
  return d;
}

export function cleanupTempDirs(): void {
  for (const d of created.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/** A workspace with a git directory, a source file, and a sibling "outside" directory. */
export function workspace(): { ws: string; outside: string; outsideFile: string } {
  const root = tempDir("ws");
  const ws = path.join(root, "ws");
  const outside = path.join(root, "outside");
  fs.mkdirSync(path.join(ws, ".git", "hooks"), { recursive: true });
  fs.writeFileSync(path.join(ws, ".git", "config"), "[core]\n\trepositoryformatversion = 0\n");
  fs.mkdirSync(path.join(ws, "src"));
  fs.writeFileSync(path.join(ws, "src", "a.txt"), "a\n");
  fs.mkdirSync(outside);
  const outsideFile = path.join(outside, "outside.txt");
  fs.writeFileSync(outsideFile, "original\n");
  return { ws, outside, outsideFile };
}

/** workspace-write on the cwd only: /tmp and TMPDIR excluded so siblings under /tmp count as "outside". */
export const WS_ONLY: Extract<SandboxPolicy, { type: "workspaceWrite" }> = { type: "workspaceWrite", excludeSlashTmp: true, excludeTmpdirEnvVar: true };

export interface RunOptions {
  readonly launch?: LaunchOptions;
  readonly exec?: ExecOptions;
  readonly deps?: LinuxLauncherDeps;
}

export async function transform(command: readonly string[], policy: SandboxPolicy | SplitSandboxPolicy, cwd: string, o: RunOptions = {}): Promise<ExecRequest> {
  return selectLauncher("linux", o.deps ?? {}).transform(command, policy, cwd, { env: baseEnv(cwd), ...o.launch });
}

export async function run(
  command: readonly string[],
  policy: SandboxPolicy | SplitSandboxPolicy,
  cwd: string,
  o: RunOptions = {},
): Promise<ExecResult & { request: ExecRequest }> {
  const request = await transform(command, policy, cwd, o);
  const result = await runExec(request, { timeoutMs: 30_000, ...o.exec });
  return { ...result, request };
}

export const bash = (script: string): string[] => ["/bin/bash", "-c", script];

/** Live (non-zombie) pids whose command line (or only argv[0], with `argv0`) contains `marker`. */
/** Polls until `cond` holds or `limitMs` passes; returns whether it held. Used to wait, never to measure. */
export async function waitFor(cond: () => boolean, limitMs = 10_000): Promise<boolean> {
  const end = Date.now() + limitMs;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return cond();
}

export function sha(file: string): string {
  return execFileSync("sha256sum", [file]).toString().split(" ")[0] ?? "";
}

/** Snapshot of a directory tree (paths, types, sizes, contents of small files) to prove "unchanged". */
export function treeSnapshot(dir: string): string {
  const lines: string[] = [];
  const walk = (d: string): void => {
    for (const name of fs.readdirSync(d).sort()) {
      const p = path.join(d, name);
      const st = fs.lstatSync(p);
      if (st.isDirectory()) {
        lines.push(`d ${p}`);
        walk(p);
      } else if (st.isSymbolicLink()) lines.push(`l ${p} -> ${fs.readlinkSync(p)}`);
      else lines.push(`f ${p} ${st.size} ${st.size < 4096 ? fs.readFileSync(p, "utf8") : ""}`);
    }
  };
  walk(dir);
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------
// Out-of-process driver

let driverPath: string | undefined;

/** Bundles test/sandbox/driver.ts (and the sandbox layer) into one .mjs any uid can run. */
export async function buildDriver(): Promise<string> {
  if (driverPath !== undefined) return driverPath;
  const { build } = await import("esbuild");
  const dir = tempDir("driver");
  const out = path.join(dir, "driver.mjs");
  await build({
    entryPoints: [fileURLToPath(new URL("./driver.ts", import.meta.url))],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile: out,
    logLevel: "silent",
  });
  fs.chmodSync(out, 0o644);
  driverPath = out;
  return out;
}

export interface DriverSpec {
  readonly command: readonly string[];
  readonly policy: SandboxPolicy | SplitSandboxPolicy;
  readonly cwd: string;
  readonly launch?: LaunchOptions;
  readonly exec?: { timeoutMs?: number; killGraceMs?: number };
  readonly deps?: { systemBwrapPath?: string; pathEnv?: string; placeholderDir?: string };
}

export interface DriverOutput {
  readonly ok: boolean;
  readonly result?: ExecResult;
  readonly warnings?: readonly { code: string; message: string }[];
  readonly error?: { name: string; message: string; code?: string };
}

/**
 * Runs the driver: `prefix` goes before node (e.g. setpriv), `extraStdio` adds inherited fds from 3.
 */
export async function runDriver(
  spec: DriverSpec,
  o: { prefix?: readonly string[]; extraStdio?: readonly (number | "ignore")[]; onSpawn?: (driverPid: number) => void } = {},
): Promise<DriverOutput> {
  const driver = await buildDriver();
  const argv = [...(o.prefix ?? []), NODE, driver, JSON.stringify(spec)];
  const [file, ...args] = argv;
  const child = spawn(file ?? NODE, args, { stdio: ["ignore", "pipe", "pipe", ...(o.extraStdio ?? [])], env: { PATH: "/usr/bin:/bin" } });
  if (child.pid !== undefined) o.onSpawn?.(child.pid);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
  const line = stdout.trim().split("\n").pop() ?? "";
  if (!line.startsWith("{")) return { ok: false, error: { name: "DriverFailed", message: `driver exited ${code}: ${stderr}` } };
  return JSON.parse(line) as DriverOutput;
}
