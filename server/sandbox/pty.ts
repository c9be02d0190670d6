// PTY sessions (command/exec `tty: true`) through @lydell/node-pty, as a ProcessSpawner for spawn.ts.
//
// node-pty forks the child with the PTY as its stdio and controlling terminal (so /dev/tty works and a
// resize reaches the foreground group as SIGWINCH), but it cannot pass extra fds, and bwrap needs the
// seccomp program on one fd and writes its status document to another. So the PTY child is a fixed
// `/bin/sh` trampoline (PTY_TRAMPOLINE) that opens those fds and execs the real argv:
//  - the script text is a constant; every path and argument reaches it as a positional parameter,
//    never interpolated into shell text;
//  - the fd contents live in anonymous files (O_TMPFILE, 0600) held open by the daemon: the shell
//    reopens them as /proc/<daemon pid>/fd/<n>. They never have a name another process could open or
//    swap (a sandboxed command may write the temp dir), and a process in the sandbox's pid namespace
//    cannot reach the daemon's /proc entry. Where O_TMPFILE is unsupported, a file in a fresh 0700
//    directory is unlinked right after it is opened;
//  - the seccomp fd is released as soon as bwrap reports its child pid (bwrap loads the program
//    before it clones), the status fd after the exit.
// The trampoline execs, so the process node-pty reports (and whose group spawn.ts kills) is bwrap
// itself, a session leader with the PTY as controlling terminal. No --new-session for PTY runs: the
// seccomp filter blocks TIOCSTI/TIOCLINUX instead.
import * as fs from "node:fs";
import { createRequire } from "node:module";
import { constants as osConstants, tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Writable } from "node:stream";
import type { ExtraFd } from "./launcherTypes.js";
import type { ProcessSpawner, SpawnedProcess, SpawnSpec } from "./processSpawner.js";

/** fds 3..5, each "r" (open for reading), "w" (open for writing) or "-" (leave closed), then the argv. */
export const PTY_TRAMPOLINE = [
  "m3=$1 p3=$2 m4=$3 p4=$4 m5=$5 p5=$6",
  "shift 6",
  'case $m3 in r) exec 3<"$p3" ;; w) exec 3>"$p3" ;; esac',
  'case $m4 in r) exec 4<"$p4" ;; w) exec 4>"$p4" ;; esac',
  'case $m5 in r) exec 5<"$p5" ;; w) exec 5>"$p5" ;; esac',
  'exec "$@"',
].join("\n");

const TRAMPOLINE_SHELL = "/bin/sh";
const MAX_EXTRA_FD = 5;
const STATUS_POLL_MS = 20;
// Linux's O_TMPFILE (__O_TMPFILE | O_DIRECTORY), the same on x86_64 and arm64; Node does not export it.
const O_TMPFILE = 0o20000000 | 0o200000;

export interface TerminalSize {
  readonly cols: number;
  readonly rows: number;
}

export const DEFAULT_TERMINAL_SIZE: TerminalSize = { cols: 80, rows: 24 };

interface PtyProcess {
  readonly pid: number;
  onData(listener: (data: string | Buffer) => void): unknown;
  onExit(listener: (e: { exitCode: number; signal?: number }) => void): unknown;
  write(data: string | Buffer): void;
  resize(cols: number, rows: number): void;
}

export interface PtyModule {
  spawn(
    file: string,
    args: string[],
    options: { name: string; cols: number; rows: number; cwd: string; env: Record<string, string>; encoding: null },
  ): PtyProcess;
}

let cached: PtyModule | undefined;

/** node-pty is a native addon; it is loaded on the first PTY session, not at daemon start. */
export function loadPty(): PtyModule {
  if (cached === undefined) {
    const require = createRequire(import.meta.url);
    cached = require("@lydell/node-pty") as PtyModule;
  }
  return cached;
}

/** An anonymous 0600 file the daemon holds open; children reach it through /proc/<pid>/fd/<n>. */
function anonymousFile(): number {
  try {
    return fs.openSync(tmpdir(), O_TMPFILE | fs.constants.O_RDWR, 0o600);
  } catch {
    const dir = fs.mkdtempSync(join(tmpdir(), "gatehouse-pty-"));
    try {
      const path = join(dir, "f");
      const fd = fs.openSync(path, fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600);
      fs.unlinkSync(path);
      return fd;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

function readAll(fd: number): string {
  const size = fs.fstatSync(fd).size;
  if (size === 0) return "";
  const buf = Buffer.alloc(size);
  const n = fs.readSync(fd, buf, 0, size, 0);
  return buf.subarray(0, n).toString("utf8");
}

function signalName(n: number | undefined): NodeJS.Signals | null {
  if (n === undefined || n === 0) return null;
  const hit = Object.entries(osConstants.signals).find(([, v]) => v === n);
  return hit ? (hit[0] as NodeJS.Signals) : null;
}

interface FdPlan {
  /** Positional parameters for the trampoline: mode and path for fds 3, 4, 5. */
  readonly args: string[];
  readonly statusFd?: number;
  readonly dataFd?: number;
  readonly opened: number[];
}

function planFds(extraFds: readonly ExtraFd[]): FdPlan {
  const slots: [string, string][] = [
    ["-", ""],
    ["-", ""],
    ["-", ""],
  ];
  const opened: number[] = [];
  let statusFd: number | undefined;
  let dataFd: number | undefined;
  try {
    for (const x of extraFds) {
      if (x.fd < 3 || x.fd > MAX_EXTRA_FD) throw new Error(`PTY sessions support extra fds 3..${MAX_EXTRA_FD}, got ${x.fd}`);
      const slot = x.fd - 3;
      switch (x.kind) {
        case "devNull":
          slots[slot] = ["r", "/dev/null"];
          break;
        case "data": {
          const fd = anonymousFile();
          opened.push(fd);
          fs.writeSync(fd, x.data, 0, x.data.length, 0);
          dataFd = fd;
          slots[slot] = ["r", `/proc/${process.pid}/fd/${fd}`];
          break;
        }
        case "status": {
          const fd = anonymousFile();
          opened.push(fd);
          statusFd = fd;
          slots[slot] = ["w", `/proc/${process.pid}/fd/${fd}`];
          break;
        }
      }
    }
  } catch (e) {
    for (const fd of opened) fs.closeSync(fd);
    throw e;
  }
  return {
    args: slots.flat(),
    opened,
    ...(statusFd === undefined ? {} : { statusFd }),
    ...(dataFd === undefined ? {} : { dataFd }),
  };
}

/**
 * A spawner that runs `spec` on a new PTY of `size`. Output arrives on stdout only (a PTY merges the
 * streams); stdin writes go to the terminal, and ending stdin sends the terminal's EOF (^D).
 */
export function createPtySpawner(size: TerminalSize = DEFAULT_TERMINAL_SIZE, pty: PtyModule = loadPty()): ProcessSpawner {
  return {
    spawn(spec: SpawnSpec): SpawnedProcess {
      // node-pty forks without a Node IPC channel, so managed networking's relay cannot run here; the
      // launcher refuses tty + managed networking before this point, this keeps the refusal if not.
      if (spec.ipc) throw new Error("PTY sessions cannot carry managed networking's IPC channel; the launcher should have refused this command");
      const plan = planFds(spec.extraFds);
      const closeFd = (fd: number | undefined): void => {
        if (fd === undefined) return;
        const i = plan.opened.indexOf(fd);
        if (i < 0) return;
        plan.opened.splice(i, 1);
        fs.closeSync(fd);
      };
      let term: PtyProcess;
      try {
        term = pty.spawn(TRAMPOLINE_SHELL, ["-c", PTY_TRAMPOLINE, "gatehouse-pty", ...plan.args, spec.file, ...spec.args], {
          name: spec.env["TERM"] ?? "xterm",
          cols: size.cols,
          rows: size.rows,
          cwd: spec.cwd,
          env: { ...spec.env },
          encoding: null,
        });
      } catch (e) {
        for (const fd of [...plan.opened]) closeFd(fd);
        throw e;
      }

      const stdout = new PassThrough();
      const status = new PassThrough();
      const extra = new Map<number, PassThrough>();
      const statusSlot = spec.extraFds.find((x) => x.kind === "status");
      if (statusSlot) extra.set(statusSlot.fd, status);

      // The status document is read from the anonymous file: once the child pid is known (so the
      // runner can kill the sandbox's init directly) and in full after the exit.
      let statusSent = 0;
      const pumpStatus = (): string => {
        if (plan.statusFd === undefined) return "";
        const text = readAll(plan.statusFd);
        if (text.length > statusSent) {
          status.write(text.slice(statusSent));
          statusSent = text.length;
        }
        return text;
      };
      const poll = setInterval(() => {
        if (/"child-pid"/.test(pumpStatus())) {
          clearInterval(poll);
          closeFd(plan.dataFd);
        }
      }, STATUS_POLL_MS);
      poll.unref();

      const exitListeners: ((code: number | null, signal: NodeJS.Signals | null) => void)[] = [];
      const closeListeners: (() => void)[] = [];
      term.onData((d) => stdout.write(typeof d === "string" ? Buffer.from(d, "utf8") : d));
      term.onExit(({ exitCode, signal }) => {
        clearInterval(poll);
        pumpStatus();
        status.end();
        for (const fd of [...plan.opened]) closeFd(fd);
        stdout.end();
        const sig = signalName(signal);
        for (const l of exitListeners) l(sig === null ? exitCode : null, sig);
        // Let the PassThroughs deliver what they hold before the runner settles.
        setImmediate(() => {
          for (const l of closeListeners) l();
        });
      });

      let ended = false;
      const stdin = new Writable({
        write(chunk: Buffer, _enc, cb) {
          if (!ended) term.write(chunk);
          cb();
        },
        final(cb) {
          ended = true;
          term.write("\x04");
          cb();
        },
      });

      return {
        pid: term.pid,
        stdin,
        stdout,
        stderr: null,
        extra,
        onExit: (cb) => exitListeners.push(cb),
        onClose: (cb) => closeListeners.push(cb),
        onError: () => undefined,
        resize: (cols, rows) => term.resize(cols, rows),
      };
    },
  };
}
