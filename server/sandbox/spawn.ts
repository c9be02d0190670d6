// The process runner: executes an ExecRequest from a launcher and returns what happened.
//
// Invariants:
//  - argv arrays only: the program is argv[0], never a shell string, `shell` is never set.
//  - The child gets its own process group (detached: true), so a timeout or an abort can signal the
//    whole tree: SIGTERM to -pgid, then SIGKILL after a grace period (or as soon as the leader exits).
//    Inside bwrap, the pid namespace and --die-with-parent take everything else down; the sandbox's
//    init (the "child-pid" from --json-status-fd) is also killed directly, and the result resolves only
//    once it is gone, so no sandboxed process outlives its result.
//  - Unwrapped runs (dangerFullAccess, externalSandbox) have no pid namespace, and a child that
//    setsid's (or double-forks and is reparented to init) leaves both the process group and the
//    parent chain. Each unwrapped run therefore carries a random tag in its environment
//    (GATEHOUSE_EXEC_TAG), which every descendant inherits through setsid, fork and exec; a timeout or
//    an interrupt signals the group AND every process whose /proc/PID/environ holds the tag, and the
//    result waits until none is left. Chosen over a cgroup (needs a delegated, writable cgroup v2
//    subtree, absent in containers like this one) and PR_SET_CHILD_SUBREAPER (no Node binding; a
//    native helper would be a new dependency); a plain /proc parent-chain scan misses exactly the
//    reparented orphans. Limit: a process that re-execs with a scrubbed environment (`env -i`) is
//    not found; unwrapped runs are trusted, and wrapped runs rely on the pid namespace instead.
//  - The child sees stdio plus exactly the extra fds the request lists. Inherited fds of the daemon
//    that lack O_CLOEXEC are closed once, before the first spawn (closeInheritedFds).
//  - Output is captured per stream up to a cap: the head and the tail are kept, the omitted byte count
//    is reported and marked in the text. Streaming callbacks see every byte.
//  - A wrapped run's exit code comes from bwrap's {"exit-code": N} status document. Without one, bwrap
//    failed before the command ran: that is reported as a sandbox set-up failure, not as the
//    command's exit (except `execvp` failures, mapped to 126/127 like a shell would).
//  - finalize() of the request runs exactly once, after the process tree is gone.
//  - Managed networking (req.relay): the child gets a Node IPC channel after its extra fds; the relay
//    inside passes each accepted socket over it and the runner attaches it to the proxy as the
//    request's owner. Only a net.Socket with kind "http" or "socks5" is attached; any other handle is
//    closed, any other message ignored (the relay runs beside the command it serves and is no more
//    trusted than it). The runner never calls releaseOwner: the owner's lifetime is the caller's.
import { spawn as nodeSpawn } from "node:child_process";
import type { ChildProcess, StdioOptions } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import { Socket } from "node:net";
import { constants as osConstants } from "node:os";
import type { Readable, Writable } from "node:stream";
import type { ExecRequest, ExtraFd } from "./launcherTypes.js";
import type { SandboxDenial } from "./denial.js";
import { detectSandboxDenial, setupFailureDenial } from "./denial.js";

export const DEFAULT_OUTPUT_CAP = 1024 * 1024;
export const DEFAULT_KILL_GRACE_MS = 2000;
export const DEFAULT_DRAIN_MS = 2000;

// ---------------------------------------------------------------------------------------------
// fd hygiene

const O_CLOEXEC = 0o2000000;

/** fds > 2 of this process that would be inherited by children (no O_CLOEXEC). */
export function findInheritableFds(): number[] {
  const out: number[] = [];
  let names: string[];
  try {
    names = fs.readdirSync("/proc/self/fdinfo");
  } catch {
    return out;
  }
  const keep = new Set<number>([0, 1, 2]);
  const ipc = Number(process.env["NODE_CHANNEL_FD"]);
  if (Number.isInteger(ipc)) keep.add(ipc);
  for (const n of names) {
    const fd = Number(n);
    if (!Number.isInteger(fd) || keep.has(fd)) continue;
    try {
      const m = /flags:\s+([0-7]+)/.exec(fs.readFileSync(`/proc/self/fdinfo/${fd}`, "utf8"));
      if (m?.[1] !== undefined && (parseInt(m[1], 8) & O_CLOEXEC) === 0) out.push(fd);
    } catch {
      // closed meanwhile
    }
  }
  return out;
}

/**
 * Closes fds inherited from the daemon's parent that would leak into every child (E19). Everything
 * Node and libuv open themselves is O_CLOEXEC, so only foreign fds are affected. Call at startup;
 * the runner also calls it once before its first spawn. Returns the fds closed.
 */
export function closeInheritedFds(): number[] {
  const fds = findInheritableFds();
  for (const fd of fds) {
    try {
      fs.closeSync(fd);
    } catch {
      // already gone
    }
  }
  return fds;
}

let inheritedClosed = false;
function ensureInheritedFdsClosed(): void {
  if (inheritedClosed) return;
  inheritedClosed = true;
  closeInheritedFds();
}

// ---------------------------------------------------------------------------------------------
// Output capture

/** Keeps the first half and the last half of `cap` bytes of a stream. */
export class HeadTailBuffer {
  private readonly headCap: number;
  private readonly tailCap: number;
  private readonly head: Buffer[] = [];
  private headLen = 0;
  private tail: Buffer[] = [];
  private tailLen = 0;
  total = 0;

  constructor(readonly cap: number | null) {
    this.headCap = cap === null ? Infinity : Math.ceil(cap / 2);
    this.tailCap = cap === null ? 0 : Math.floor(cap / 2);
  }

  push(chunk: Buffer): void {
    this.total += chunk.length;
    let rest = chunk;
    if (this.headLen < this.headCap) {
      const take = Math.min(rest.length, this.headCap - this.headLen);
      this.head.push(rest.subarray(0, take));
      this.headLen += take;
      rest = rest.subarray(take);
    }
    if (rest.length === 0 || this.tailCap === 0) return;
    this.tail.push(rest);
    this.tailLen += rest.length;
    while (this.tail.length > 1 && this.tailLen - (this.tail[0]?.length ?? 0) >= this.tailCap) {
      this.tailLen -= this.tail.shift()?.length ?? 0;
    }
  }

  get omitted(): number {
    return Math.max(0, this.total - this.headLen - Math.min(this.tailLen, this.tailCap));
  }

  text(): string {
    const head = Buffer.concat(this.head).toString("utf8");
    const tailBuf = Buffer.concat(this.tail);
    const tail = tailBuf.subarray(Math.max(0, tailBuf.length - this.tailCap)).toString("utf8");
    if (this.omitted === 0) return head + tail;
    return `${head}\n[… ${this.omitted} bytes omitted: output is capped at ${this.cap} bytes per stream …]\n${tail}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Spawner seam (a PTY spawner plugs in here)

export interface SpawnedProcess {
  readonly pid: number | undefined;
  readonly stdin: Writable | null;
  readonly stdout: Readable | null;
  /** null when stdout and stderr are one stream (PTY). */
  readonly stderr: Readable | null;
  /** The pipes for `data` and `status` extra fds, by child fd number. */
  readonly extra: ReadonlyMap<number, Readable | Writable>;
  onExit(cb: (code: number | null, signal: NodeJS.Signals | null) => void): void;
  onClose(cb: () => void): void;
  onError(cb: (err: NodeJS.ErrnoException) => void): void;
  /** PTY processes only: sets the terminal size (the kernel sends SIGWINCH to the foreground group). */
  readonly resize?: (cols: number, rows: number) => void;
}

export interface SpawnSpec {
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  /** "inherit": the daemon's own stdin (`gatehouse sandbox` in a terminal). */
  readonly stdin: "ignore" | "pipe" | "inherit";
  readonly extraFds: readonly ExtraFd[];
  readonly tty: boolean;
  /** Open a Node IPC channel to the child (after the extra fds) and deliver what arrives on it. */
  readonly ipc?: (message: unknown, handle: unknown) => void;
}

/**
 * Creates the process. Implementations must start it as the leader of a new process group and must
 * place each extra fd at its number. A PTY implementation (node-pty) cannot pass extra fds itself; it
 * has to open the PTY's slave and spawn through child_process with the slave as stdio 0-2.
 */
export interface ProcessSpawner {
  spawn(spec: SpawnSpec): SpawnedProcess;
}

export const childProcessSpawner: ProcessSpawner = {
  spawn(spec) {
    if (spec.tty) throw new Error("this spawner has no PTY support; pass a PTY spawner for tty runs");
    const stdio: StdioOptions = [spec.stdin, "pipe", "pipe"];
    const opened: number[] = [];
    const sorted = [...spec.extraFds].sort((a, b) => a.fd - b.fd);
    sorted.forEach((x, i) => {
      if (x.fd !== 3 + i) throw new Error(`extra fds must be contiguous from 3, got ${x.fd}`);
      if (x.kind === "devNull") {
        const fd = fs.openSync("/dev/null", "r");
        opened.push(fd);
        stdio.push(fd);
      } else stdio.push("pipe");
    });
    if (spec.ipc) stdio.push("ipc");
    let child: ChildProcess;
    try {
      child = nodeSpawn(spec.file, [...spec.args], {
        cwd: spec.cwd,
        env: { ...spec.env },
        stdio,
        detached: true,
        shell: false,
        windowsHide: true,
      });
    } finally {
      for (const fd of opened) fs.closeSync(fd);
    }
    if (spec.ipc) {
      const deliver = spec.ipc;
      child.on("message", (message: unknown, handle: unknown) => deliver(message, handle));
      child.on("error", () => undefined);
    }
    const extra = new Map<number, Readable | Writable>();
    for (const x of sorted) {
      const s = child.stdio[x.fd];
      if (x.kind !== "devNull" && s) extra.set(x.fd, s as Readable | Writable);
    }
    return {
      pid: child.pid,
      stdin: child.stdin,
      stdout: child.stdout,
      stderr: child.stderr,
      extra,
      onExit: (cb) => child.once("exit", cb),
      onClose: (cb) => child.once("close", cb),
      onError: (cb) => child.once("error", cb),
    };
  },
};

// ---------------------------------------------------------------------------------------------
// Runner

export interface ExecOptions {
  /** null or undefined: no timeout. */
  readonly timeoutMs?: number | null;
  readonly signal?: AbortSignal;
  /** Bytes kept per stream; null: unlimited. Default DEFAULT_OUTPUT_CAP. */
  readonly outputCap?: number | null;
  readonly onStdout?: (chunk: Buffer) => void;
  readonly onStderr?: (chunk: Buffer) => void;
  /** "pipe" enables write()/closeStdin(); a Uint8Array or other string is written, then stdin is closed. Default "ignore". */
  readonly stdin?: "ignore" | "pipe" | "inherit" | Uint8Array | string;
  readonly killGraceMs?: number;
  /** After the process exits, how long to wait for its stdio to close (a background child may hold it). */
  readonly drainMs?: number;
  readonly spawner?: ProcessSpawner;
}

export interface ExecResult {
  /** The command's exit code; 128+N for a signal death; bwrap's own code for a set-up failure. */
  readonly exitCode: number;
  /** Set when the process we spawned died of a signal (e.g. after a timeout). */
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  readonly aborted: boolean;
  /** True when any output was omitted because of the cap. */
  readonly truncated: boolean;
  readonly outputCap: number | null;
  readonly omittedBytes: { readonly stdout: number; readonly stderr: number };
  /** bwrap failed before the command started (see sandboxDenial for the reason). */
  readonly sandboxSetupFailed: boolean;
  readonly sandboxDenial?: SandboxDenial;
  /** Further denials found after the run (a protected path created and removed). */
  readonly postRunDenials: readonly SandboxDenial[];
}

export interface ExecHandle {
  readonly pid: number | undefined;
  readonly result: Promise<ExecResult>;
  write(data: Uint8Array | string): void;
  closeStdin(): void;
  /** Kills the whole tree like a timeout would; the result reports aborted. */
  terminate(): void;
  /** Whether resize() works: the process runs on a PTY. */
  readonly resizable: boolean;
  /** PTY size in cells; throws when the process has no PTY. */
  resize(cols: number, rows: number): void;
}

function signalNumber(sig: NodeJS.Signals): number {
  return (osConstants.signals as Record<string, number | undefined>)[sig] ?? 0;
}

/** Start time (field 22 of /proc/PID/stat) to recognise a pid later without killing a reused one. */
function startTime(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

/** Alive and not yet a zombie (a zombie pid-1 means its namespace is already empty). */
function aliveAs(pid: number, start: string): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[19] === start && fields[0] !== "Z" && fields[0] !== "X";
  } catch {
    return false;
  }
}

function parseStatus(text: string): { childPid?: number; exitCode?: number } {
  const child = /"child-pid"\s*:\s*(\d+)/.exec(text);
  const exit = /"exit-code"\s*:\s*(\d+)/.exec(text);
  return {
    ...(child?.[1] ? { childPid: Number(child[1]) } : {}),
    ...(exit?.[1] ? { exitCode: Number(exit[1]) } : {}),
  };
}

/** The managed-network relay did not come up inside the sandbox, so the command did not run. */
export function relaySetupFailureDenial(stderr: string): SandboxDenial {
  const lines = stderr.split(/\r?\n/);
  const line = lines.find((l) => l.startsWith("gatehouse-net-relay: ")) ?? lines.find((l) => l.startsWith("bwrap: ")) ?? lines.find((l) => l.trim() !== "") ?? "";
  const why = line.replace(/^(gatehouse-net-relay|bwrap): /, "").trim() || "the relay exited before it was ready";
  return { kind: "setup", message: `sandbox: managed networking's relay could not start (${why}); the command did not run` };
}

/** A handle the relay had no business sending (a server, a datagram socket…): closed, never used. */
function closeForeignHandle(handle: unknown): void {
  const h = handle as { destroy?: () => void; close?: () => void; on?: (event: string, cb: () => void) => void };
  try {
    h.on?.("error", () => undefined);
    if (typeof h.destroy === "function") h.destroy();
    else if (typeof h.close === "function") h.close();
  } catch {
    // already closed
  }
}

export const EXEC_TAG_VAR = "GATEHOUSE_EXEC_TAG";

/** Own-uid processes whose environment holds `name=value`; others' environ is unreadable anyway. */
export function pidsTagged(name: string, value: string): number[] {
  const needle = Buffer.from(`${name}=${value}\0`);
  const out: number[] = [];
  let names: string[];
  try {
    names = fs.readdirSync("/proc");
  } catch {
    return out;
  }
  for (const n of names) {
    if (!/^\d+$/.test(n) || Number(n) === process.pid) continue;
    try {
      const env = fs.readFileSync(`/proc/${n}/environ`);
      if (env.indexOf(needle) === 0 || env.indexOf(Buffer.concat([Buffer.from([0]), needle])) >= 0) out.push(Number(n));
    } catch {
      // exited meanwhile, or not ours
    }
  }
  return out;
}

function signalTagged(tag: string, sig: NodeJS.Signals): number {
  let n = 0;
  for (const pid of pidsTagged(EXEC_TAG_VAR, tag)) {
    try {
      process.kill(pid, sig);
      n++;
    } catch {
      // gone
    }
  }
  return n;
}

export function startExec(req: ExecRequest, opts: ExecOptions = {}): ExecHandle {
  ensureInheritedFdsClosed();
  // Only unwrapped runs need the tag: a wrapped run's pid namespace already holds its whole tree.
  const tag = req.sandbox === "none" && process.platform === "linux" ? randomBytes(12).toString("hex") : undefined;
  const cap = opts.outputCap === undefined ? DEFAULT_OUTPUT_CAP : opts.outputCap;
  const out = new HeadTailBuffer(cap);
  const err = new HeadTailBuffer(cap);
  const grace = opts.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  const drainMs = opts.drainMs ?? DEFAULT_DRAIN_MS;
  const stdinMode = opts.stdin === undefined || opts.stdin === "ignore" ? "ignore" : opts.stdin === "inherit" ? "inherit" : "pipe";
  const [file, ...args] = req.argv;
  if (file === undefined) throw new Error("spawn: empty argv");

  let relayReady = false;
  const relay = req.relay;
  const onRelayMessage = (message: unknown, handle: unknown): void => {
    const kind = typeof message === "object" && message !== null ? (message as { kind?: unknown }).kind : undefined;
    if (handle instanceof Socket && (kind === "http" || kind === "socks5") && relay !== undefined) {
      relay.proxy.attach(handle, kind, relay.owner);
      return;
    }
    if (handle !== undefined && handle !== null) closeForeignHandle(handle);
    if (kind === "ready" && handle === undefined) relayReady = true;
  };

  let proc: SpawnedProcess;
  try {
    proc = (opts.spawner ?? childProcessSpawner).spawn({
      file,
      args,
      cwd: req.cwd,
      env: tag === undefined ? req.env : { ...req.env, [EXEC_TAG_VAR]: tag },
      stdin: stdinMode,
      extraFds: req.extraFds,
      tty: req.tty,
      ...(relay === undefined ? {} : { ipc: onRelayMessage }),
    });
  } catch (e) {
    req.finalize();
    throw e;
  }

  let statusText = "";
  let sandboxInit: { pid: number; start: string } | undefined;
  for (const x of req.extraFds) {
    const s = proc.extra.get(x.fd);
    if (s === undefined) continue;
    if (x.kind === "data") {
      const w = s as Writable;
      w.on("error", () => undefined); // bwrap may exit before reading (set-up failure)
      w.end(Buffer.from(x.data));
    } else if (x.kind === "status") {
      const r = s as Readable;
      r.on("error", () => undefined);
      r.on("data", (d: Buffer) => {
        statusText += d.toString("utf8");
        if (sandboxInit === undefined) {
          const pid = parseStatus(statusText).childPid;
          const start = pid === undefined ? null : startTime(pid);
          if (pid !== undefined && start !== null) sandboxInit = { pid, start };
        }
      });
    }
  }
  proc.stdout?.on("data", (d: Buffer) => {
    out.push(d);
    opts.onStdout?.(d);
  });
  proc.stderr?.on("data", (d: Buffer) => {
    err.push(d);
    opts.onStderr?.(d);
  });
  proc.stdin?.on("error", () => undefined);
  if (opts.stdin instanceof Uint8Array || (typeof opts.stdin === "string" && opts.stdin !== "pipe" && opts.stdin !== "ignore" && opts.stdin !== "inherit")) {
    proc.stdin?.end(opts.stdin);
  }

  let timedOut = false;
  let aborted = false;
  let killing = false;
  let exited = false;
  let graceTimer: NodeJS.Timeout | undefined;
  const signalGroup = (sig: NodeJS.Signals): void => {
    if (proc.pid === undefined) return;
    try {
      process.kill(-proc.pid, sig);
    } catch {
      // group already gone
    }
  };
  const killInit = (): void => {
    if (sandboxInit && aliveAs(sandboxInit.pid, sandboxInit.start)) {
      try {
        process.kill(sandboxInit.pid, "SIGKILL");
      } catch {
        // gone
      }
    }
  };
  const startKill = (): void => {
    if (killing) return;
    killing = true;
    signalGroup("SIGTERM");
    if (tag !== undefined) signalTagged(tag, "SIGTERM");
    graceTimer = setTimeout(() => {
      signalGroup("SIGKILL");
      killInit();
      if (tag !== undefined) signalTagged(tag, "SIGKILL");
    }, grace);
    graceTimer.unref();
    if (exited) finishKill();
  };
  const finishKill = (): void => {
    if (graceTimer) clearTimeout(graceTimer);
    signalGroup("SIGKILL");
    killInit();
    if (tag !== undefined) signalTagged(tag, "SIGKILL");
  };

  const timer =
    opts.timeoutMs === undefined || opts.timeoutMs === null
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          startKill();
        }, Math.max(0, opts.timeoutMs));
  const onAbort = (): void => {
    aborted = true;
    startKill();
  };
  if (opts.signal?.aborted) queueMicrotask(onAbort);
  else opts.signal?.addEventListener("abort", onAbort, { once: true });

  const result = new Promise<ExecResult>((resolve) => {
    let spawnError: NodeJS.ErrnoException | undefined;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let settled = false;

    const settle = async (): Promise<void> => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener("abort", onAbort);
      if (killing) finishKill();
      // Whatever still holds our pipes after the drain period is not read any further.
      proc.stdout?.destroy();
      proc.stderr?.destroy();
      // The sandbox's init must be gone before the result is visible (no survivors, no racing
      // cleanup). After bwrap exits it dies from --die-with-parent anyway; this makes it certain.
      if (sandboxInit) {
        killInit();
        // Usually gone within a millisecond or two of bwrap's exit: poll finely first, so a short
        // command's result is not held back by a coarse tick.
        for (let i = 0; i < 550 && aliveAs(sandboxInit.pid, sandboxInit.start); i++) {
          await new Promise((r) => setTimeout(r, i < 50 ? 1 : 10));
        }
      }
      if (killing && tag !== undefined) {
        // A tagged process may fork between a scan and its kill: repeat until a scan finds none.
        for (let i = 0; i < 200 && signalTagged(tag, "SIGKILL") > 0; i++) {
          await new Promise((r) => setTimeout(r, i < 20 ? 2 : 20));
        }
      }
      const fin = req.finalize();
      resolve(buildResult(spawnError, exit, fin.denials));
    };
    proc.onError((e) => {
      spawnError = e;
      void settle();
    });
    proc.onExit((code, signal) => {
      exited = true;
      exit = { code, signal };
      if (killing) finishKill();
      const t = setTimeout(() => void settle(), drainMs);
      t.unref();
    });
    proc.onClose(() => void settle());
  });

  const buildResult = (
    spawnError: NodeJS.ErrnoException | undefined,
    exit: { code: number | null; signal: NodeJS.Signals | null } | undefined,
    postRunDenials: readonly SandboxDenial[],
  ): ExecResult => {
    const stdout = out.text();
    let stderr = err.text();
    let exitCode: number;
    let setupFailed = false;
    let denial: SandboxDenial | undefined;
    const signal = exit?.signal ?? null;
    if (spawnError !== undefined) {
      exitCode = spawnError.code === "ENOENT" ? 127 : spawnError.code === "EACCES" ? 126 : 1;
      stderr += `${stderr && !stderr.endsWith("\n") ? "\n" : ""}${file}: ${spawnError.code === "ENOENT" ? "command not found" : spawnError.message}\n`;
    } else if (signal !== null) {
      exitCode = 128 + signalNumber(signal);
    } else {
      exitCode = exit?.code ?? 1;
    }
    if (req.sandbox === "bwrap" && spawnError === undefined) {
      const status = parseStatus(statusText);
      if (status.exitCode !== undefined) {
        exitCode = status.exitCode;
      } else if (!timedOut && !aborted && signal === null) {
        // On a PTY, bwrap's own messages arrive on the one merged stream.
        const diagnostics = proc.stderr === null ? stdout : stderr;
        const execvp = /^bwrap: execvp [^\n]*: (No such file or directory|Permission denied)\r?$/m.exec(diagnostics);
        if (execvp) exitCode = execvp[1] === "Permission denied" ? 126 : 127;
        else {
          setupFailed = true;
          denial = setupFailureDenial(diagnostics);
        }
      }
    }
    if (relay !== undefined && !relayReady && !setupFailed && spawnError === undefined && !timedOut && !aborted) {
      // The relay never got its listeners up, so the command never started: report the sandbox, not
      // the relay's exit code as if it were the command's.
      setupFailed = true;
      denial = relaySetupFailureDenial(stderr);
    }
    if (denial === undefined && !timedOut && !aborted) {
      denial = detectSandboxDenial({ context: req.denialContext, exitCode, stdout, stderr });
    }
    if (postRunDenials.length > 0 && exitCode === 0) exitCode = 1;
    return {
      exitCode,
      signal,
      stdout,
      stderr,
      timedOut,
      aborted,
      truncated: out.omitted > 0 || err.omitted > 0,
      outputCap: cap,
      omittedBytes: { stdout: out.omitted, stderr: err.omitted },
      sandboxSetupFailed: setupFailed,
      ...(denial === undefined ? {} : { sandboxDenial: denial }),
      postRunDenials,
    };
  };

  return {
    pid: proc.pid,
    result,
    write(data) {
      if (proc.stdin === null) throw new Error("stdin is not piped for this process");
      proc.stdin.write(data);
    },
    closeStdin() {
      proc.stdin?.end();
    },
    terminate() {
      aborted = true;
      startKill();
    },
    resizable: proc.resize !== undefined,
    resize(cols, rows) {
      if (proc.resize === undefined) throw new Error("process is not attached to a PTY");
      proc.resize(cols, rows);
    },
  };
}

export function runExec(req: ExecRequest, opts: ExecOptions = {}): Promise<ExecResult> {
  return startExec(req, opts).result;
}
