// Memory over a long run of short turns on ONE thread per side: BENCH_SOAK_TURNS (500) turns, each
// one model request that asks for exec_command `true` and a second that answers "ok" (a loopback
// Responses server; approval `never`, sandbox workspace-write, so nothing waits on the client).
// The sides run one after the other (memory, not latency, is measured, and two daemons sharing
// the two cores would only slow both), each on a fresh home.
//
// Measured every BENCH_SOAK_EVERY (100) turns, starting after the thread's first turn settles
// (turn 0 = after one warm-up turn):
//   RSS   VmRSS from /proc/<pid>/status, both sides (the reference is a native binary: RSS is the
//         only figure it has).
//   heap  ours only: bench/lib/memProbe.mjs is preloaded into our daemon (NODE_OPTIONS=--import=…,
//         so the daemon starts as it does for a user, through dist/gatehouse.mjs's launcher line); on SIGUSR2 it runs a full GC
//         and appends process.memoryUsage() (heapUsed, heapTotal, external, arrayBuffers) to a
//         file the bench reads. RSS is read before the signal, so the GC it forces lands in the
//         next interval's RSS, not in this one's. The daemon has no memory knob of its own.
// Rows: RSS at turn 100 and at the last turn, growth between them (limit, when the run reaches
// 1,000 turns: ≤ 10 MB, the target), live heap growth, and the growth once the daemon has been idle
// BENCH_SOAK_IDLE_MS (10 s: a daemon between a user's turns is idle, and both runtimes give memory
// back then; informational); the per-interval figures are printed
// under the table. BENCH_SOAK_KEEP=<file> copies the probe's lines (heap spaces, handles, and with
// BENCH_MEM_SMAPS=1 resident memory per mapping) to <file> for a closer look; BENCH_MEM_SNAPSHOTS=<dir>
// also writes a heap snapshot at each reading, for bench/lib/heapDiff.mjs; BENCH_SOAK_PROBE=0
// runs ours without the probe. The default of 500 keeps the case near 3 minutes on the 2-core bench machine
// (the reference's turns are the slower ones); BENCH_SOAK_TURNS=1000 runs the target's length.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { deadline, sleep, startServer } from '../lib/proc.mjs';
import { procStatusKb } from '../lib/procfs.mjs';
import { handshake, resultOf, stdioRpc } from '../lib/rpc.mjs';
import { CONFIG_TOML } from '../lib/scratch.mjs';
import { startExecTurnModel } from '../lib/execTurnModel.mjs';

const PROBE = resolve(dirname(fileURLToPath(import.meta.url)), '../lib/memProbe.mjs');
const MB = 1024 * 1024;
/** The pause after the last turn before the idle RSS reading (BENCH_SOAK_IDLE_MS). */
const IDLE_MS = Number(process.env.BENCH_SOAK_IDLE_MS ?? 10_000);

/** The environment that preloads the probe into a Node daemon, or null when the probe is off. */
function withProbe(env) {
  if (process.env.BENCH_SOAK_PROBE === '0') return null;
  return { ...env, NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --import=${PROBE}`.trim() };
}

async function soakSide(side, { scratch, opts, log }, baseUrl, turns, every) {
  const home = scratch.fresh(`soak-${side.key}`);
  writeFileSync(join(home.home, 'config.toml'), CONFIG_TOML.replace('http://127.0.0.1:9/v1', baseUrl));
  const probedEnv = side.key === 'ours' ? withProbe(home.env) : null;
  const probed = probedEnv !== null;
  const memFile = join(home.dir, 'mem.jsonl');
  const env = probed ? { ...probedEnv, BENCH_MEM_FILE: memFile } : home.env;
  const srv = startServer({ argv: side.argv, env, cwd: home.dir });
  const rpc = stdioRpc(srv);
  let waiter = null;
  const onLine = srv.onLine;
  srv.onLine = (line, t) => {
    if (waiter && line.includes('"turn/completed"')) {
      const msg = JSON.parse(line);
      if (msg.method === 'turn/completed' && msg.params?.turn?.id === waiter.turnId) {
        const w = waiter;
        waiter = null;
        w.resolve(msg);
      }
    }
    onLine(line, t);
  };
  let probes = 0;
  const heap = async () => {
    if (!probed) return null;
    process.kill(srv.pid, 'SIGUSR2');
    const want = ++probes;
    const until = performance.now() + opts.stepTimeoutMs;
    while (performance.now() < until) {
      if (existsSync(memFile)) {
        const last = readFileSync(memFile, 'utf8').trim().split('\n').at(-1);
        const rec = last ? JSON.parse(last) : null;
        if (rec?.seq === want) return rec.after;
      }
      await sleep(5);
    }
    throw new Error('memory probe: no answer to SIGUSR2');
  };
  const samples = [];
  let idleRssKb = null;
  const t0 = performance.now();
  try {
    await handshake(rpc, opts.stepTimeoutMs);
    const started = resultOf(
      'thread/start',
      await rpc.request('thread/start', { cwd: home.dir, approvalPolicy: 'never', sandbox: 'workspace-write' }, { timeoutMs: opts.stepTimeoutMs }),
    );
    const threadId = started.thread.id;
    const turn = async () => {
      const limit = deadline(opts.stepTimeoutMs, 'turn/completed');
      let turnId = null;
      const done = new Promise((resolvePromise) => (waiter = { turnId: null, resolve: resolvePromise }));
      const res = resultOf(
        'turn/start',
        await rpc.request('turn/start', { threadId, input: [{ type: 'text', text: 'run true', text_elements: [] }] }, { timeoutMs: opts.stepTimeoutMs }),
      );
      turnId = res.turn.id;
      waiter.turnId = turnId; // turn/completed comes after the turn/start answer on both servers
      try {
        const msg = await Promise.race([done, limit, srv.exited.then(() => Promise.reject(new Error(`server ${srv.describeExit()}`)))]);
        if (msg.params.turn.status !== 'completed')
          throw new Error(`turn ended ${msg.params.turn.status}: ${JSON.stringify(msg.params.turn.error ?? null).slice(0, 200)}`);
      } finally {
        limit.cancel();
      }
    };
    await turn(); // warm-up: the first turn loads the lazy modules and the shell snapshot
    let tPrev = performance.now();
    for (let i = 0; i <= turns; i++) {
      if (i > 0) await turn();
      if (i % every === 0 || i === turns) {
        const rssKb = procStatusKb(srv.pid, 'VmRSS');
        const mem = await heap();
        const now = performance.now();
        samples.push({ turn: i, rssKb, mem, msPerTurn: i === 0 ? null : (now - tPrev) / (i - samples.at(-1).turn) });
        tPrev = performance.now();
        log(`soak: ${side.name}: turn ${i}: RSS ${(rssKb / 1024).toFixed(1)} MB${mem ? `, heapUsed ${(mem.heapUsed / MB).toFixed(1)} MB` : ''}`);
      }
    }
    // A daemon between a user's turns is idle, and both runtimes give memory back then (V8's memory
    // reducer, allocator trims), which back-to-back turns never allow: RSS once more after a pause.
    await sleep(IDLE_MS);
    idleRssKb = procStatusKb(srv.pid, 'VmRSS');
  } finally {
    if (probed && process.env.BENCH_SOAK_KEEP) writeFileSync(process.env.BENCH_SOAK_KEEP, existsSync(memFile) ? readFileSync(memFile) : '');
    await srv.stop();
    home.dispose();
  }
  return { samples, idleRssKb, wallS: (performance.now() - t0) / 1000 - IDLE_MS / 1000, probed: !!probed };
}

const mb = (kb) => (kb === null || kb === undefined ? null : kb / 1024);

export default {
  id: 'soak',
  title: 'memory over many short turns (exec_command `true`, then an answer) on one thread',
  async run(ctx) {
    const turns = Number(process.env.BENCH_SOAK_TURNS ?? 500);
    const every = Number(process.env.BENCH_SOAK_EVERY ?? 100);
    const unavailable = {};
    const data = {};
    const model = await startExecTurnModel({ cmd: 'true' });
    try {
      for (const side of ctx.sides.filter((s) => !s.unavailable)) {
        try {
          data[side.key] = await soakSide(side, ctx, model.baseUrl, turns, every);
        } catch (err) {
          unavailable[side.key] = err.message;
          ctx.log(`soak: ${side.name}: ${err.message}`);
        }
      }
    } finally {
      await model.close();
    }
    const at = (key, turn) => data[key]?.samples.find((s) => s.turn === turn) ?? null;
    const from = Math.min(every, turns);
    const rss = (key, turn) => mb(at(key, turn)?.rssKb);
    const growth = (key) => (rss(key, turns) === null || rss(key, from) === null ? null : rss(key, turns) - rss(key, from));
    const heapMb = (turn) => (at('ours', turn)?.mem ? at('ours', turn).mem.heapUsed / MB : null);
    const heapGrowth = heapMb(turns) === null || heapMb(from) === null ? null : heapMb(turns) - heapMb(from);
    const rows = [
      { metric: `RSS at turn ${from}`, unit: 'MB', ours: rss('ours', from), ref: rss('ref', from), target: null },
      { metric: `RSS at turn ${turns}`, unit: 'MB', ours: rss('ours', turns), ref: rss('ref', turns), target: null },
      turns >= 1000
        ? { metric: `RSS growth, turn ${from} → ${turns}`, unit: 'MB', ours: growth('ours'), ref: growth('ref'), limit: 10 }
        : { metric: `RSS growth, turn ${from} → ${turns}`, unit: 'MB', ours: growth('ours'), ref: growth('ref'), target: null },
      { metric: `live heap growth (ours, after GC), turn ${from} → ${turns}`, unit: 'MB', ours: heapGrowth, ref: null, target: null },
      {
        metric: `RSS growth, turn ${from} → ${IDLE_MS / 1000} s idle after turn ${turns} (informational)`,
        unit: 'MB',
        ours: data.ours?.idleRssKb != null && rss('ours', from) !== null ? mb(data.ours.idleRssKb) - rss('ours', from) : null,
        ref: data.ref?.idleRssKb != null && rss('ref', from) !== null ? mb(data.ref.idleRssKb) - rss('ref', from) : null,
        target: null,
      },
      {
        metric: 'wall per turn',
        unit: 'ms',
        ours: data.ours ? (data.ours.wallS * 1000) / (turns + 1) : null,
        ref: data.ref ? (data.ref.wallS * 1000) / (turns + 1) : null,
        target: null,
      },
    ];
    const f = (x) => (x === null || x === undefined ? '—' : x.toFixed(1));
    const notes = [`soak: per ${every} turns (MB; heap = ours after a forced GC${data.ours && !data.ours.probed ? ', off: BENCH_SOAK_PROBE=0' : ''})`];
    notes.push(`  turn   ours RSS  heapUsed  heapTotal  external  arrayBuf   ref RSS   ms/turn ours/ref`);
    const turnsSeen = [...new Set([...(data.ours?.samples ?? []), ...(data.ref?.samples ?? [])].map((s) => s.turn))].sort((x, y) => x - y);
    for (const t of turnsSeen) {
      const o = at('ours', t);
      const r = at('ref', t);
      const m = o?.mem;
      const cols = [f(mb(o?.rssKb)), f(m && m.heapUsed / MB), f(m && m.heapTotal / MB), f(m && m.external / MB), f(m && m.arrayBuffers / MB), f(mb(r?.rssKb))];
      notes.push(`  ${String(t).padStart(4)} ${cols.map((c) => c.padStart(9)).join(' ')}   ${f(o?.msPerTurn)}/${f(r?.msPerTurn)}`);
    }
    return { rows, unavailable, data, notes };
  },
};
