// The process runner: executes an ExecRequest from a launcher and returns what happened.
//
// Invariants:
//  - argv arrays only: the program is argv[0], never a shell string, `shell` is never set.
//  - The child leads its own process group; a timeout or an abort kills the whole tree
//    (treeKiller.ts), and the result resolves only once the tree is gone. Until then the tree is
//    listed in processTrees.ts, for a shutdown that has to end without waiting for it.
//  - The child sees stdio plus exactly the extra fds the request lists (inheritedFds.ts), plus the
//    relay's IPC channel under managed networking (relayChannel.ts).
//  - Output is captured per stream up to a cap (headTailBuffer.ts); streaming callbacks see every byte.
//  - finalize() of the request runs exactly once, after the process tree is gone.
import type { Readable, Writable } from "node:stream";
import { BwrapStatusReader } from "./bwrapStatus.js";
import { EXEC_TAG_VAR, newExecTag } from "./execTag.js";
import { execResult, type ExecResult } from "./execResult.js";
import { HeadTailBuffer } from "./headTailBuffer.js";
import { ensureInheritedFdsClosed } from "./inheritedFds.js";
import type { ExecRequest } from "./launcherTypes.js";
import { childProcessSpawner, type ProcessSpawner, type SpawnedProcess } from "./processSpawner.js";
import { trackProcessTree } from "./processTrees.js";
import { RelayChannel } from "./relayChannel.js";
import { TreeKiller } from "./treeKiller.js";

export const DEFAULT_OUTPUT_CAP = 1024 * 1024;
export const DEFAULT_KILL_GRACE_MS = 2000;
export const DEFAULT_DRAIN_MS = 2000;

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

type StdinOption = ExecOptions["stdin"];

function stdinMode(stdin: StdinOption): "ignore" | "pipe" | "inherit" {
  return stdin === undefined || stdin === "ignore" ? "ignore" : stdin === "inherit" ? "inherit" : "pipe";
}

/** Spawns the request's process; a spawn that throws still finalizes the request. */
function spawnRequest(req: ExecRequest, opts: ExecOptions, tag: string | undefined, relay: RelayChannel | undefined): SpawnedProcess {
  const [file, ...args] = req.argv;
  if (file === undefined) throw new Error("spawn: empty argv");
  try {
    return (opts.spawner ?? childProcessSpawner).spawn({
      file,
      args,
      cwd: req.cwd,
      env: tag === undefined ? req.env : { ...req.env, [EXEC_TAG_VAR]: tag },
      stdin: stdinMode(opts.stdin),
      extraFds: req.extraFds,
      tty: req.tty,
      ...(relay === undefined ? {} : { ipc: relay.onMessage }),
    });
  } catch (e) {
    req.finalize();
    throw e;
  }
}

/** Fills the `data` fds and reads the `status` fd; what bwrap reports there comes back. */
function connectExtraFds(req: ExecRequest, proc: SpawnedProcess): BwrapStatusReader {
  const status = new BwrapStatusReader();
  for (const x of req.extraFds) {
    const s = proc.extra.get(x.fd);
    if (s === undefined) continue;
    if (x.kind === "data") {
      const w = s as Writable;
      w.on("error", () => undefined); // bwrap may exit before reading (set-up failure)
      w.end(Buffer.from(x.data));
    } else if (x.kind === "status") {
      status.read(s as Readable);
    }
  }
  return status;
}

function captureOutput(proc: SpawnedProcess, opts: ExecOptions, cap: number | null): { stdout: HeadTailBuffer; stderr: HeadTailBuffer } {
  const stdout = new HeadTailBuffer(cap);
  const stderr = new HeadTailBuffer(cap);
  proc.stdout?.on("data", (d: Buffer) => {
    stdout.push(d);
    opts.onStdout?.(d);
  });
  proc.stderr?.on("data", (d: Buffer) => {
    stderr.push(d);
    opts.onStderr?.(d);
  });
  return { stdout, stderr };
}

function feedStdin(proc: SpawnedProcess, stdin: StdinOption): void {
  proc.stdin?.on("error", () => undefined);
  if (stdin instanceof Uint8Array || (typeof stdin === "string" && stdin !== "pipe" && stdin !== "ignore" && stdin !== "inherit")) {
    proc.stdin?.end(stdin);
  }
}

/** Calls `stop` when the timeout passes or the abort signal fires; the function returned disarms both. */
function armStops(opts: ExecOptions, stop: (why: "timeout" | "abort") => void): () => void {
  const timeoutMs = opts.timeoutMs;
  const timer = timeoutMs === undefined || timeoutMs === null ? undefined : setTimeout(() => stop("timeout"), Math.max(0, timeoutMs));
  const onAbort = (): void => stop("abort");
  if (opts.signal?.aborted) queueMicrotask(onAbort);
  else opts.signal?.addEventListener("abort", onAbort, { once: true });
  return () => {
    if (timer) clearTimeout(timer);
    opts.signal?.removeEventListener("abort", onAbort);
  };
}

export function startExec(req: ExecRequest, opts: ExecOptions = {}): ExecHandle {
  ensureInheritedFdsClosed();
  // Only unwrapped runs need the tag: a wrapped run's pid namespace already holds its whole tree.
  const tag = req.sandbox === "none" && process.platform === "linux" ? newExecTag() : undefined;
  const cap = opts.outputCap === undefined ? DEFAULT_OUTPUT_CAP : opts.outputCap;
  const drainMs = opts.drainMs ?? DEFAULT_DRAIN_MS;
  const relay = req.relay === undefined ? undefined : new RelayChannel(req.relay);
  const proc = spawnRequest(req, opts, tag, relay);
  const file = req.argv[0] ?? "";
  const status = connectExtraFds(req, proc);
  const output = captureOutput(proc, opts, cap);
  feedStdin(proc, opts.stdin);

  const killer = new TreeKiller({ pgid: proc.pid, tag, sandboxInit: () => status.sandboxInit, graceMs: opts.killGraceMs ?? DEFAULT_KILL_GRACE_MS });
  let timedOut = false;
  let aborted = false;
  let exited = false;
  const stop = (why: "timeout" | "abort"): void => {
    if (why === "timeout") timedOut = true;
    else aborted = true;
    if (killer.killing) return;
    killer.start();
    if (exited) killer.finish();
  };
  const disarm = armStops(opts, stop);
  // The shutdown's last resort (processTrees.ts): kill now, without the grace.
  const untrack = trackProcessTree(() => {
    stop("abort");
    killer.finish();
  });

  const result = new Promise<ExecResult>((resolve) => {
    let spawnError: NodeJS.ErrnoException | undefined;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let settled = false;
    let drainTimer: NodeJS.Timeout | undefined;

    const settle = async (): Promise<void> => {
      if (settled) return;
      settled = true;
      // Left armed, the drain timer would hold the process, its pipes and its caller's closures for
      // the rest of the drain period after every command.
      clearTimeout(drainTimer);
      disarm();
      if (killer.killing) killer.finish();
      // Whatever still holds our pipes after the drain period is not read any further.
      proc.stdout?.destroy();
      proc.stderr?.destroy();
      // No sandboxed or tagged process may outlive the result, nor race the cleanup below.
      await killer.reap();
      untrack();
      const fin = req.finalize();
      resolve(
        execResult({
          file,
          sandbox: req.sandbox,
          denialContext: req.denialContext,
          spawnError,
          exit,
          bwrapExitCode: status.exitCode,
          ...output,
          merged: proc.stderr === null,
          timedOut,
          aborted,
          relayNotReady: relay !== undefined && !relay.ready,
          postRunDenials: fin.denials,
        }),
      );
    };
    proc.onError((e) => {
      spawnError = e;
      void settle();
    });
    proc.onExit((code, signal) => {
      exited = true;
      exit = { code, signal };
      if (killer.killing) killer.finish();
      drainTimer = setTimeout(() => void settle(), drainMs);
      drainTimer.unref();
    });
    proc.onClose(() => void settle());
  });

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
      stop("abort");
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
