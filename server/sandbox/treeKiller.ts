// Ends a command's whole process tree. The child leads its own process group, so a timeout or an
// abort signals the group: SIGTERM, then SIGKILL after a grace period (or as soon as the leader
// exits). Inside bwrap, the pid namespace and --die-with-parent take everything else down; the
// sandbox's init (the "child-pid" of bwrap's status document) is also killed directly, and reap()
// returns only once it is gone, so no sandboxed process outlives the command's result. Unwrapped runs
// are found through their environment tag (execTag.ts) as well as their group.
import * as fs from "node:fs";
import { signalTagged } from "./execTag.js";

/** A process known by pid and start time, so that a reused pid is never signalled. */
export interface ProcessIdentity {
  readonly pid: number;
  /** Field 22 of /proc/PID/stat. */
  readonly start: string;
}

export function identifyProcess(pid: number): ProcessIdentity | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const start = fields[19];
    return start === undefined ? null : { pid, start };
  } catch {
    return null;
  }
}

/** Alive and not yet a zombie (a zombie pid-1 means its namespace is already empty). */
export function isAlive(p: ProcessIdentity): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${p.pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[19] === p.start && fields[0] !== "Z" && fields[0] !== "X";
  } catch {
    return false;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface TreeKillerOptions {
  /** The process group: the spawned leader's pid. */
  readonly pgid: number | undefined;
  /** The environment tag of an unwrapped run. */
  readonly tag: string | undefined;
  /** The sandbox's init once bwrap has reported it. */
  readonly sandboxInit: () => ProcessIdentity | undefined;
  readonly graceMs: number;
}

export class TreeKiller {
  private started = false;
  private graceTimer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: TreeKillerOptions) {}

  /** Whether start() has been called: the tree is being killed. */
  get killing(): boolean {
    return this.started;
  }

  /** SIGTERM to the tree now, SIGKILL once the grace period is over. Only the first call counts. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.signalGroup("SIGTERM");
    if (this.opts.tag !== undefined) signalTagged(this.opts.tag, "SIGTERM");
    this.graceTimer = setTimeout(() => {
      this.signalGroup("SIGKILL");
      this.killInit();
      if (this.opts.tag !== undefined) signalTagged(this.opts.tag, "SIGKILL");
    }, this.opts.graceMs);
    this.graceTimer.unref();
  }

  /** SIGKILL to the tree now, without waiting for the grace period. */
  finish(): void {
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.signalGroup("SIGKILL");
    this.killInit();
    if (this.opts.tag !== undefined) signalTagged(this.opts.tag, "SIGKILL");
  }

  /** Resolves once the sandbox's init is gone and, after a kill, no tagged process is left. */
  async reap(): Promise<void> {
    const init = this.opts.sandboxInit();
    if (init) {
      // After bwrap exits its init dies from --die-with-parent anyway; this makes it certain.
      this.killInit();
      // Usually gone within a millisecond or two of bwrap's exit: poll finely first, so a short
      // command's result is not held back by a coarse tick.
      for (let i = 0; i < 550 && isAlive(init); i++) await sleep(i < 50 ? 1 : 10);
    }
    if (this.started && this.opts.tag !== undefined) {
      // A tagged process may fork between a scan and its kill: repeat until a scan finds none.
      for (let i = 0; i < 200 && signalTagged(this.opts.tag, "SIGKILL") > 0; i++) await sleep(i < 20 ? 2 : 20);
    }
  }

  private signalGroup(sig: NodeJS.Signals): void {
    if (this.opts.pgid === undefined) return;
    try {
      process.kill(-this.opts.pgid, sig);
    } catch {
      // group already gone
    }
  }

  private killInit(): void {
    const init = this.opts.sandboxInit();
    if (init && isAlive(init)) {
      try {
        process.kill(init.pid, "SIGKILL");
      } catch {
        // gone
      }
    }
  }
}
