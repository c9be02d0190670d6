// The figures docs/scale-out.md's capacity plan is built on: what one daemon costs in memory and CPU.
// Memory and CPU, not latency, are measured, so the sides run one after the other (two daemons
// sharing the machine's cores would only disturb each other's CPU figures), each on a fresh home
// (bench/lib/scratch.mjs), over stdio. The shared scenario is soak's: a loopback Responses server
// (bench/lib/execTurnModel.mjs) whose turns ask for exec_command `true` and then answer "ok";
// approval `never`, sandbox `workspace-write` (config and thread/start), so nothing waits on the client.
//
// One daemon per side, in phases:
//   idle RSS        VmRSS after `initialize`, then BENCH_CAPACITY_SETTLE_MS (2,000) of quiet.
//   10 threads      BENCH_CAPACITY_THREADS (10) × thread/start, one turn each (one after the other),
//                   then the same settle: VmRSS with that many loaded threads (their first turns
//                   also run each thread's warm-up: bwrap probe, login-shell snapshot).
//   CPU per turn    on the first of those threads (its turn was the warm-up), BENCH_CAPACITY_TURNS
//                   (50) more turns one after the other: the daemon's own utime+stime delta / N (all
//                   its threads), and apart, its reaped children's cutime+cstime delta / N (/proc
//                   fields 16-17: the sandbox and the shell that ran `true`, with their descendants),
//                   so the sandbox's cost per turn is visible. /proc counts in 10 ms ticks: over 50
//                   turns that is 0.2 ms per turn of resolution.
//   launches/s      command/exec of /bin/true under a read-only policy, network off (exec.mjs's
//                   request, which both sides accept), BENCH_CAPACITY_INFLIGHT (4) in flight for
//                   BENCH_CAPACITY_LAUNCH_MS (3,000) after BENCH_CAPACITY_LAUNCH_WARMUP (20) sequential
//                   ones: completed per second, and the CPU (daemon + reaped children) per launch.
// Then ours only (the reference has no offline provider): a daemon with `model_provider = "demo"`
// (server/core/model/demoServer.ts, a scripted Responses server on loopback INSIDE the daemon, so
// its streaming is counted in the daemon's CPU): a thread's first turn runs a sandboxed `ls` (the
// warm-up), then BENCH_CAPACITY_TURNS text turns on that thread: daemon CPU per turn. The demo
// streams with a 15 ms pause between events, which costs wall time, not CPU.
//
// Every row is informational (target null): these are figures for planning, not goals. The notes
// give peak RSS (VmHWM), wall per turn, the split of a launch's CPU, and the machine's load average
// before and after each side (the bench machine is shared: CPU time is less disturbed by load than
// wall time, but not immune). About a minute on the 2-core bench machine.
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { deadline, sleep, startServer } from '../lib/proc.mjs';
import { childrenCpuTimeMs, cpuTimeMs, procStatusKb } from '../lib/procfs.mjs';
import { handshake, resultOf, stdioRpc } from '../lib/rpc.mjs';
import { CONFIG_TOML } from '../lib/scratch.mjs';
import { startExecTurnModel } from '../lib/execTurnModel.mjs';

const env = (name, dflt) => Number(process.env[name] ?? dflt);
const SETTLE_MS = env('BENCH_CAPACITY_SETTLE_MS', 2000);
const THREADS = env('BENCH_CAPACITY_THREADS', 10);
const TURNS = env('BENCH_CAPACITY_TURNS', 50);
const INFLIGHT = env('BENCH_CAPACITY_INFLIGHT', 4);
const LAUNCH_MS = env('BENCH_CAPACITY_LAUNCH_MS', 3000);
const LAUNCH_WARMUP = env('BENCH_CAPACITY_LAUNCH_WARMUP', 20);
const EXEC_POLICY = { type: 'readOnly', networkAccess: false };
const mb = (kb) => (kb === null || kb === undefined ? null : kb / 1024);
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

/** CONFIG_TOML with the model provider swapped and the default sandbox workspace-write. */
function configFor({ baseUrl, demo }) {
  let text = CONFIG_TOML.replace('sandbox_mode = "read-only"', 'sandbox_mode = "workspace-write"');
  if (baseUrl) text = text.replace('http://127.0.0.1:9/v1', baseUrl);
  if (demo) text = text.replace('model_provider = "mock"', 'model_provider = "demo"');
  return text;
}

/** A started daemon on a fresh home: { srv, rpc, home, thread(), turn(threadId), close() }. */
async function openDaemon(side, { scratch, opts }, label, config) {
  const home = scratch.fresh(`capacity-${label}`);
  writeFileSync(join(home.home, 'config.toml'), config);
  const srv = startServer({ argv: side.argv, env: home.env, cwd: home.dir });
  const rpc = stdioRpc(srv);
  // turn/completed by turn id; it may come before or after the turn/start answer is read.
  const completed = new Map();
  const waiting = new Map();
  const onLine = srv.onLine;
  srv.onLine = (line, t) => {
    if (line.includes('"turn/completed"')) {
      const msg = JSON.parse(line);
      const id = msg.method === 'turn/completed' ? msg.params?.turn?.id : undefined;
      if (id !== undefined) {
        if (waiting.has(id)) {
          waiting.get(id)(msg.params.turn);
          waiting.delete(id);
        } else completed.set(id, msg.params.turn);
      }
    }
    onLine(line, t);
  };
  const gone = srv.exited.then(() => Promise.reject(new Error(`server ${srv.describeExit()}`)));
  gone.catch(() => {});
  const request = async (method, params) => resultOf(method, await rpc.request(method, params, { timeoutMs: opts.stepTimeoutMs }));
  const d = {
    srv,
    home,
    request,
    async thread() {
      const r = await request('thread/start', { cwd: home.dir, approvalPolicy: 'never', sandbox: 'workspace-write' });
      return r.thread.id;
    },
    /** One turn on threadId, resolved when its turn/completed arrives (status must be completed). */
    async turn(threadId, text = 'run true') {
      const limit = deadline(opts.stepTimeoutMs, 'turn/completed');
      try {
        const res = await request('turn/start', { threadId, input: [{ type: 'text', text, text_elements: [] }] });
        const id = res.turn.id;
        const done = completed.has(id) ? Promise.resolve(completed.get(id)) : new Promise((resolve) => waiting.set(id, resolve));
        completed.delete(id);
        const turn = await Promise.race([done, limit, gone]);
        if (turn.status !== 'completed') throw new Error(`turn ended ${turn.status}: ${JSON.stringify(turn.error ?? null).slice(0, 200)}`);
      } finally {
        limit.cancel();
      }
    },
    cpu: () => ({ self: cpuTimeMs(srv.pid), children: childrenCpuTimeMs(srv.pid) }),
    rssKb: () => procStatusKb(srv.pid, 'VmRSS'),
    async close() {
      await srv.stop();
      home.dispose();
    },
  };
  await handshake(rpc, opts.stepTimeoutMs);
  return d;
}

/** CPU (ms, { self, children }) spent between two readings, per unit of work. */
const cpuPer = (a, b, n) => ({ self: (b.self - a.self) / n, children: (b.children - a.children) / n });

/** Sequential turns on one thread: wall (ms) and CPU per turn. */
async function turnsOn(d, threadId, n, text) {
  const c0 = d.cpu();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await d.turn(threadId, text);
  const wallMs = (performance.now() - t0) / n;
  return { wallMs, ...cpuPer(c0, d.cpu(), n) };
}

/** `inflight` loops of command/exec /bin/true for `ms`: completed per second and CPU per launch. */
async function launches(d, workspace, { inflight, ms, warmup }) {
  const once = async () => {
    const r = await d.request('command/exec', { command: ['/bin/true'], cwd: workspace, sandboxPolicy: EXEC_POLICY });
    if (r.exitCode !== 0) throw new Error(`command/exec /bin/true answered exit ${r.exitCode}: ${String(r.stderr).slice(0, 200)}`);
  };
  for (let i = 0; i < warmup; i++) await once();
  let done = 0;
  const c0 = d.cpu();
  const t0 = performance.now();
  const until = t0 + ms;
  const loop = async () => {
    while (performance.now() < until) {
      await once();
      done++;
    }
  };
  await Promise.all(Array.from({ length: inflight }, loop));
  // The window ends when the last launch started before `until` completes: count over that span.
  const spanS = (performance.now() - t0) / 1000;
  return { perS: done / spanS, launches: done, ...cpuPer(c0, d.cpu(), done) };
}

async function sharedSide(side, ctx, model) {
  const out = { loadBefore: load() };
  const d = await openDaemon(side, ctx, side.key, configFor({ baseUrl: model.baseUrl }));
  try {
    await sleep(SETTLE_MS);
    out.idleRssKb = d.rssKb();
    ctx.log(`capacity: ${side.name}: idle RSS ${mb(out.idleRssKb).toFixed(1)} MB`);
    const threads = [];
    for (let i = 0; i < THREADS; i++) {
      const id = await d.thread();
      await d.turn(id);
      threads.push(id);
    }
    await sleep(SETTLE_MS);
    out.threadsRssKb = d.rssKb();
    ctx.log(`capacity: ${side.name}: ${THREADS} threads, RSS ${mb(out.threadsRssKb).toFixed(1)} MB`);
    model.lastToolOutput = null;
    out.turn = await turnsOn(d, threads[0], TURNS);
    // The turns must have run the command, not merely completed: the last output the model got.
    if (!/exited with code 0\b/.test(model.lastToolOutput ?? ''))
      throw new Error(`the last turn's command output: ${JSON.stringify(model.lastToolOutput)?.slice(0, 200)}`);
    ctx.log(`capacity: ${side.name}: ${TURNS} turns, CPU/turn ${out.turn.self.toFixed(1)} ms + children ${out.turn.children.toFixed(1)} ms`);
    const workspace = join(d.home.dir, 'exec-cwd');
    mkdirSync(workspace, { recursive: true });
    out.launch = await launches(d, workspace, { inflight: INFLIGHT, ms: LAUNCH_MS, warmup: LAUNCH_WARMUP });
    ctx.log(`capacity: ${side.name}: ${out.launch.perS.toFixed(1)} launches/s`);
    out.hwmKb = procStatusKb(d.srv.pid, 'VmHWM');
  } finally {
    await d.close();
  }
  out.loadAfter = load();
  return out;
}

async function demoSide(side, ctx) {
  const out = { loadBefore: load() };
  const d = await openDaemon(side, ctx, 'demo', configFor({ demo: true }));
  try {
    const threadId = await d.thread();
    await d.turn(threadId, 'What is in this folder?'); // the first turn: a sandboxed `ls`, the thread's warm-up
    await sleep(SETTLE_MS);
    out.turn = await turnsOn(d, threadId, TURNS, 'hello');
    ctx.log(`capacity: demo: ${TURNS} text turns, CPU/turn ${out.turn.self.toFixed(1)} ms`);
    out.rssKb = d.rssKb();
    out.hwmKb = procStatusKb(d.srv.pid, 'VmHWM');
  } finally {
    await d.close();
  }
  out.loadAfter = load();
  return out;
}

export default {
  id: 'capacity',
  title: 'capacity figures: idle RSS, RSS with 10 loaded threads, CPU per turn, sandbox launches per second',
  async run(ctx) {
    const unavailable = {};
    const data = {};
    const model = await startExecTurnModel({ cmd: 'true' });
    try {
      for (const side of ctx.sides.filter((s) => !s.unavailable)) {
        try {
          data[side.key] = await sharedSide(side, ctx, model);
        } catch (err) {
          unavailable[side.key] = err.message;
          ctx.log(`capacity: ${side.name}: ${err.message}`);
        }
      }
    } finally {
      await model.close();
    }
    const ours = ctx.sides.find((s) => s.key === 'ours');
    if (!ours.unavailable) {
      try {
        data.demo = await demoSide(ours, ctx);
      } catch (err) {
        data.demoError = err.message;
        ctx.log(`capacity: demo: ${err.message}`);
      }
    }
    const v = (key, f) => (data[key] ? f(data[key]) : null);
    const row = (metric, unit, f) => ({ metric, unit, ours: v('ours', f), ref: v('ref', f), target: null });
    const rows = [
      row(`idle daemon RSS (after initialize, ${SETTLE_MS / 1000} s settle)`, 'MB', (x) => mb(x.idleRssKb)),
      row(`RSS with ${THREADS} loaded threads (one turn each, settled)`, 'MB', (x) => mb(x.threadsRssKb)),
      row(`daemon CPU per turn (exec_command true, ×${TURNS})`, 'ms', (x) => x.turn.self),
      row(`children's CPU per turn (sandbox + shell)`, 'ms', (x) => x.turn.children),
      {
        metric: `daemon CPU per text turn, demo provider (×${TURNS}; ours only)`,
        unit: 'ms',
        ours: data.demo ? data.demo.turn.self : null,
        ref: null,
        target: null,
      },
      row(`sandbox launches per second (command/exec /bin/true, ${INFLIGHT} in flight)`, '/s', (x) => x.launch.perS),
      row('CPU per launch (daemon + children)', 'ms', (x) => x.launch.self + x.launch.children),
    ];
    const f = (x, d = 1) => (x === null || x === undefined ? '—' : x.toFixed(d));
    const notes = [];
    for (const key of ['ours', 'ref']) {
      const x = data[key];
      if (!x) continue;
      notes.push(
        `capacity: ${key}: peak RSS ${f(mb(x.hwmKb))} MB; wall per turn ${f(x.turn.wallMs)} ms; ` +
          `${x.launch.launches} launches in ${LAUNCH_MS / 1000} s, per launch daemon ${f(x.launch.self, 2)} ms + children ${f(x.launch.children, 2)} ms; ` +
          `load ${x.loadBefore} → ${x.loadAfter}`,
      );
    }
    if (data.demo)
      notes.push(
        `capacity: demo (ours): RSS ${f(mb(data.demo.rssKb))} MB, peak ${f(mb(data.demo.hwmKb))} MB after ${TURNS + 1} turns; ` +
          `wall per text turn ${f(data.demo.turn.wallMs)} ms; children's CPU per text turn ${f(data.demo.turn.children, 2)} ms; load ${data.demo.loadBefore} → ${data.demo.loadAfter}`,
      );
    if (data.demoError) notes.push(`capacity: demo (ours): unavailable (${data.demoError})`);
    return { rows, unavailable, data, notes };
  },
};
