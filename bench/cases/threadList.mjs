// thread/list over 1,000 stored threads (BENCH_THREADS): each unit of work pages through all of them
// (limit 100, following nextCursor to the end) and its wall time is one sample. Both servers get a
// home with the same threads (bench/lib/rollouts.mjs), are warmed up with one full listing, then
// measured in alternating rounds. Target: p50 ≤ 1.0× the reference.
import { startServer } from '../lib/proc.mjs';
import { alternate, roundTripRows } from '../lib/rounds.mjs';
import { writeStoredThreads } from '../lib/rollouts.mjs';
import { handshake, resultOf, stdioRpc } from '../lib/rpc.mjs';
import { performance } from 'node:perf_hooks';

const THREADS = Number(process.env.BENCH_THREADS ?? 1000);
const LISTINGS = Number(process.env.BENCH_LISTINGS ?? 20);

async function listAll(rpc, timeoutMs) {
  let cursor = null;
  let seen = 0;
  do {
    const result = resultOf('thread/list', await rpc.request('thread/list', { limit: 100, ...(cursor ? { cursor } : {}) }, { timeoutMs }));
    seen += result.data.length;
    cursor = result.nextCursor ?? null;
  } while (cursor);
  if (seen !== THREADS) throw new Error(`thread/list paged through ${seen} threads, expected ${THREADS}`);
}

export default {
  id: 'threadList',
  title: `thread/list paging through ${THREADS} stored threads, stdio`,
  async run({ sides, opts, scratch, log }) {
    const unavailable = {};
    const servers = [];
    try {
      for (const side of sides.filter((s) => !s.unavailable)) {
        const home = scratch.fresh(`threads-${side.key}`);
        writeStoredThreads(home.home, THREADS);
        const srv = startServer({ argv: side.argv, env: home.env, cwd: home.dir });
        const rpc = stdioRpc(srv);
        const block = async (n, out) => {
          for (let i = 0; i < n; i++) {
            const t0 = performance.now();
            await listAll(rpc, opts.stepTimeoutMs);
            out?.push(performance.now() - t0);
          }
        };
        servers.push({ side, srv, home, block });
        try {
          await handshake(rpc, opts.stepTimeoutMs);
          await block(1);
        } catch (err) {
          unavailable[side.key] = `start / warm-up: ${err.message}`;
        }
      }
      const res = await alternate({ servers, total: LISTINGS, rounds: Math.min(opts.rounds, LISTINGS), unavailable, log, label: 'threadList' });
      return { rows: roundTripRows(`full listing of ${THREADS}`, 1.0, res, unavailable), unavailable, data: res };
    } finally {
      for (const x of servers) {
        await x.srv.stop();
        x.home.dispose();
      }
    }
  },
};
