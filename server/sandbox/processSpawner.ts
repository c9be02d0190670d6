// The seam between the runner (spawn.ts) and what creates the process: child_process here, node-pty
// for terminal sessions (pty.ts). argv arrays only: the program is argv[0], never a shell string.
import { spawn as nodeSpawn } from "node:child_process";
import type { ChildProcess, StdioOptions } from "node:child_process";
import * as fs from "node:fs";
import type { Readable, Writable } from "node:stream";
import type { ExtraFd } from "./launcherTypes.js";

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
