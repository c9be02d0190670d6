// Cold start: wall time from spawn() to the `initialize` response line on stdout, and the
// server's peak RSS (VmHWM) read at that moment. The request is written to stdin right after
// spawn, before the server could read it, as a client would do. Each start uses a fresh, empty
// home (see lib/scratch.mjs). Starts alternate ours/reference (A B, B A, …: neither side always
// goes first) after warm-up starts (page cache, not the home); medians are reported.
// Then, on the same fresh server, the client's next step: `initialized` and `thread/start` written
// as soon as the initialize answer arrives, timed from writing thread/start to its answer (what a
// fresh daemon's first thread costs; Gatehouse loads the thread code on that first request).
// Then, as a user who reads the new thread before typing: QUIET_MS later, the thread's first
// `turn/start`, timed from writing it to its answer (informational; the turn itself then fails
// against the unreachable model of lib/scratch.mjs's config, which this line does not time).
import { performance } from 'node:perf_hooks';
import { peakRssKb } from '../lib/procfs.mjs';
import { deadline, startServer } from '../lib/proc.mjs';
import { INITIALIZE_PARAMS } from '../lib/rpc.mjs';
import { inTurn } from '../lib/rounds.mjs';
import { median } from '../lib/stats.mjs';

const INIT_LINE = JSON.stringify({ id: 0, method: 'initialize', params: INITIALIZE_PARAMS }) + '\n';
const INITIALIZED_LINE = JSON.stringify({ method: 'initialized' }) + '\n';
const threadStartLine = (cwd) => JSON.stringify({ id: 1, method: 'thread/start', params: { cwd } }) + '\n';
const turnStartLine = (threadId) =>
  JSON.stringify({ id: 2, method: 'turn/start', params: { threadId, input: [{ type: 'text', text: 'hi', text_elements: [] }] } }) + '\n';
/** How long the client reads the new thread before its first turn. */
const QUIET_MS = 300;

async function coldStart(side, { scratch, opts }) {
  const home = scratch.fresh(`start-${side.key}`);
  const srv = startServer({ argv: side.argv, env: home.env, cwd: home.dir });
  const limit = deadline(opts.stepTimeoutMs, 'initialize');
  try {
    const answered = new Promise((resolve, reject) => {
      srv.onLine = (line, t) => {
        let msg;
        try {
          msg = JSON.parse(line);
        } catch {
          return;
        }
        if (msg?.id === 2) {
          if (msg.error) reject(new Error(`turn/start answered error ${msg.error.code}: ${msg.error.message}`));
          else resolve({ ...init, threadStartMs, turnStartMs: t - turnStartSentAt });
          return;
        }
        if (msg?.id === 1) {
          if (msg.error) return reject(new Error(`thread/start answered error ${msg.error.code}: ${msg.error.message}`));
          threadStartMs = t - threadStartSentAt;
          setTimeout(() => {
            turnStartSentAt = performance.now();
            srv.write(turnStartLine(msg.result.thread.id));
          }, QUIET_MS);
          return;
        }
        if (msg?.id !== 0) return;
        const kb = peakRssKb(srv.pid); // first thing once the answer is known
        if (msg.error) return reject(new Error(`initialize answered error ${msg.error.code}: ${msg.error.message}`));
        init = { wallMs: t - srv.spawnedAt, rssMiB: kb === null ? null : kb / 1024 };
        srv.write(INITIALIZED_LINE);
        threadStartSentAt = performance.now();
        srv.write(threadStartLine(home.dir));
      };
    });
    let init;
    let threadStartSentAt = 0;
    let threadStartMs = 0;
    let turnStartSentAt = 0;
    srv.write(INIT_LINE);
    const gone = srv.exited.then(() => {
      throw new Error(`no initialize answer: server ${srv.describeExit()}`);
    });
    return await Promise.race([answered, gone, limit]);
  } finally {
    limit.cancel();
    await srv.stop();
    home.dispose();
  }
}

export default {
  id: 'startup',
  title: 'cold start → initialize',
  async run(ctx) {
    const { opts, log } = ctx;
    const unavailable = {};
    const samples = { ours: [], ref: [] };
    const live = () => ctx.sides.filter((s) => !s.unavailable && !unavailable[s.key]);
    const attempt = async (side, keep, label) => {
      try {
        const r = await coldStart(side, ctx);
        if (keep) samples[side.key].push(r);
      } catch (err) {
        unavailable[side.key] = `${label}: ${err.message}`;
      }
    };
    for (let w = 0; w < opts.warmupStarts; w++) for (const s of live()) await attempt(s, false, 'warm-up start');
    for (let i = 0; i < opts.runs; i++) {
      log(`startup: run ${i + 1}/${opts.runs}`);
      for (const s of inTurn(live(), i)) await attempt(s, true, `start ${i + 1}`);
    }
    const med = (key, f) => (unavailable[key] ? null : median(samples[key].map((x) => x[f]).filter((v) => v !== null)));
    return {
      rows: [
        { metric: `initialize wall, median of ${opts.runs}`, unit: 'ms', ours: med('ours', 'wallMs'), ref: med('ref', 'wallMs'), target: 0.8 },
        { metric: 'peak RSS at initialize, median', unit: 'MiB', ours: med('ours', 'rssMiB'), ref: med('ref', 'rssMiB'), target: 0.75 },
        {
          metric: `first thread/start after initialize, median of ${opts.runs}`,
          unit: 'ms',
          ours: med('ours', 'threadStartMs'),
          ref: med('ref', 'threadStartMs'),
          target: 1.0,
        },
        {
          metric: `first turn/start, ${QUIET_MS} ms after thread/start, median of ${opts.runs}`,
          unit: 'ms',
          ours: med('ours', 'turnStartMs'),
          ref: med('ref', 'turnStartMs'),
          target: null,
        },
      ],
      unavailable,
      data: samples,
    };
  },
};
