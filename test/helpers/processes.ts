// The machine's processes as /proc lists them, for tests that check a command's process tree is gone.
import { readdirSync, readFileSync } from "node:fs";

/** Pids of processes (other than this one) whose NUL-separated command line contains `needle`. */
export function processesWith(needle: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, "utf8").includes(needle)) found.push(Number(name));
    } catch {
      /* gone meanwhile */
    }
  }
  return found;
}
