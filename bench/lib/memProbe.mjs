// Bench-only heap probe, preloaded into OUR daemon by the soak case (NODE_OPTIONS=--import=<this>,
// the daemon started as `dist/gatehouse.mjs app-server`); the daemon itself has no memory probe. On SIGUSR2 it runs a
// full GC (V8's `gc`, exposed here at run time, not by a daemon flag) and writes
// `process.memoryUsage()` plus a sequence number as one JSON line to $BENCH_MEM_FILE
// (synchronously, so the bench sees a complete line). The daemon handles no SIGUSR2 of its own.
// Each line also has V8's heap spaces (size/used) and the active handle count; with BENCH_MEM_SMAPS=1,
// resident kB per mapping name from /proc/self/smaps ([heap] = glibc's main arena, [anon] = V8 pages,
// wasm memory and the other malloc arenas), which is what told V8 growth from malloc growth here.
// With BENCH_MEM_SNAPSHOTS=<dir>, each signal also writes <dir>/<seq>.heapsnapshot (it inflates RSS:
// for finding what a turn leaves behind, not for the RSS figures); bench/lib/heapDiff.mjs compares two.
import fs from 'node:fs';
import { basename } from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';

const file = process.env.BENCH_MEM_FILE;
if (file) {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc');
  let seq = 0;
  process.on('SIGUSR2', () => {
    const before = process.memoryUsage();
    gc();
    const after = process.memoryUsage();
    const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, { size: s.space_size, used: s.space_used_size }]));
    const handles = process._getActiveHandles().length;
    let smaps = null;
    if (process.env.BENCH_MEM_SMAPS) {
      smaps = {};
      let name = null;
      for (const line of fs.readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
        const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \d+\s*(.*)$/.exec(line);
        if (head) {
          name = head[1] || '[anon]';
          if (name.startsWith('/')) name = 'file:' + basename(name);
          continue;
        }
        const m = /^Rss:\s+(\d+) kB/.exec(line);
        if (m) smaps[name] = (smaps[name] || 0) + Number(m[1]);
      }
    }
    fs.appendFileSync(file, JSON.stringify({ seq: ++seq, before, after, spaces, handles, smaps }) + '\n');
    if (process.env.BENCH_MEM_SNAPSHOTS) v8.writeHeapSnapshot(`${process.env.BENCH_MEM_SNAPSHOTS}/${seq}.heapsnapshot`);
  });
}
