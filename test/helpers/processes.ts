// The machine's processes as /proc lists them, for tests that check a command's process tree runs or is gone.
import { readdirSync, readFileSync } from "node:fs";

export interface ProcessFilter {
  /** Look for the marker in argv[0] only, not in the whole command line. */
  readonly argv0?: boolean;
  /** Only processes whose argv[0] is exactly this program. */
  readonly program?: string;
}

/**
 * Pids of live processes other than this one whose command line (arguments joined by NUL) contains
 * `marker`. A zombie (exited, not yet reaped by its parent) is not live: a process a test waits to be
 * gone is gone once it has exited.
 */
export function livePidsWith(marker: string, filter: ProcessFilter = {}): number[] {
  const found: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, "utf8");
      const argv0 = cmdline.split("\0", 1)[0] ?? "";
      if (!(filter.argv0 ? argv0 : cmdline).includes(marker)) continue;
      if (filter.program !== undefined && argv0 !== filter.program) continue;
      // The state follows the command name, which may itself hold ") ": read it after the last one.
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const state = stat.charAt(stat.lastIndexOf(")") + 2);
      if (state === "Z" || state === "X") continue;
      found.push(Number(name));
    } catch {
      /* gone meanwhile */
    }
  }
  return found;
}
