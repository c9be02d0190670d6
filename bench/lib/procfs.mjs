// Memory and CPU of a process, read from /proc/<pid>/ (Linux only); null when the process is
// gone or /proc is unavailable.
//   VmHWM (status): peak resident set size over the life of the process, in kB.
//   utime + stime (stat, fields 14 and 15): CPU time of all the process's threads, in clock
//   ticks (USER_HZ, 100 on Linux), so 10 ms resolution: use it over many requests.
//   cutime + cstime (stat, fields 16 and 17): CPU time of the process's children that have exited
//   and been waited for (each with its own waited-for descendants), same unit; a running child, or
//   an orphan reparented away, is not in it.
import { readFileSync } from 'node:fs';

const USER_HZ = 100;

export function procStatusKb(pid, field) {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

export const peakRssKb = (pid) => procStatusKb(pid, 'VmHWM');

/** The sum of two clock-tick fields of /proc/<pid>/stat (numbered as proc(5) does), in ms. */
function statTicksMs(pid, first, second) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // f[0] is field 3 (state)
    return ((Number(f[first - 3]) + Number(f[second - 3])) * 1000) / USER_HZ;
  } catch {
    return null;
  }
}

/** CPU time (ms) of pid's own threads: utime + stime, fields 14 and 15. */
export const cpuTimeMs = (pid) => statTicksMs(pid, 14, 15);

/** CPU time (ms) of pid's reaped children: cutime + cstime, fields 16 and 17. */
export const childrenCpuTimeMs = (pid) => statTicksMs(pid, 16, 17);
