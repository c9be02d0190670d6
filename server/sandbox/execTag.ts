// Unwrapped runs (dangerFullAccess, externalSandbox) have no pid namespace, and a child that setsid's
// (or double-forks and is reparented to init) leaves both the process group and the parent chain.
// Each unwrapped run therefore carries a random tag in its environment (GATEHOUSE_EXEC_TAG), which
// every descendant inherits through setsid, fork and exec, so a kill can find them all. Chosen over a
// cgroup (needs a delegated, writable cgroup v2 subtree, absent in containers) and
// PR_SET_CHILD_SUBREAPER (no Node binding; a native helper would be a new dependency); a plain /proc
// parent-chain scan misses exactly the reparented orphans. Limit: a process that re-execs with a
// scrubbed environment (`env -i`) is not found; unwrapped runs are trusted, and wrapped runs rely on
// the pid namespace instead.
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";

export const EXEC_TAG_VAR = "GATEHOUSE_EXEC_TAG";

export function newExecTag(): string {
  return randomBytes(12).toString("hex");
}

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

/** Signals every process carrying `tag`; returns how many were signalled. */
export function signalTagged(tag: string, sig: NodeJS.Signals): number {
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
