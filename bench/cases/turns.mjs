// Turns end to end, two measurements:
//
// 1. Every shared conformance scenario listed as "pass" in test/conformance/expected.json, except
//    the v1/ section (0.169 has no v1 API: those run against 0.80 in the v1turn case), run
//    through ../shared/conformance/run-scenario.mjs against ours and the reference in alternation
//    (A B, B A, …), BENCH_SCENARIO_RUNS (5) times each. The time is run-scenario's own `wall=`
//    figure (first request sent → last expected message), so the harness's start-up and the
//    server's exit are not counted. Per scenario: the medians and their ratio; the total row is
//    the sum of the medians (target ≤ 1.0×). A scenario that fails on a side makes that side's
//    number for it unavailable rather than a fast failure counted as a win. A second total covers
//    the six scenarios a user waits on without answering anything (SIX_SCENARIOS: no approval
//    round trip in them): each run's sum of the six, median over the runs (target ≤ 0.9×).
// 2. One turn whose model answer is a stream of BENCH_DELTAS (10,000) output_text deltas from a
//    loopback SSE server, on a fresh home per side: peak RSS (VmHWM) at initialize and at
//    turn/completed, and the wall time of the turn. Memory "flat" means the peak after the
//    stream stays near the peak before it.
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { deadline, startServer } from '../lib/proc.mjs';
import { peakRssKb } from '../lib/procfs.mjs';
import { inTurn } from '../lib/rounds.mjs';
import { handshake, resultOf, stdioRpc } from '../lib/rpc.mjs';
import { listedScenarios, runScenario } from '../lib/scenarios.mjs';
import { CONFIG_TOML } from '../lib/scratch.mjs';
import { median } from '../lib/stats.mjs';

/** The turns without a client decision in them, summed per run for their own target. */
const SIX_SCENARIOS = ['v2/hello', 'v2/not-initialized', 'v2/interrupt', 'v2/command-exec', 'v2/sandbox-denied-write', 'v2/network-denied'];

// ---- the delta stream ----------------------------------------------------------------------

function frame(ev) {
  return `event: ${ev.type}\ndata: ${JSON.stringify(ev)}\n\n`;
}

/** A loopback Responses server whose every answer is one message streamed in `n` deltas. */
function startDeltaServer(n) {
  const id = 'msg_bench_stream';
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/responses')) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"error":{"message":"not here"}}');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write(frame({ type: 'response.created', response: { id: 'resp_bench' } }));
      res.write(frame({ type: 'response.output_item.added', item: { type: 'message', role: 'assistant', id, status: 'in_progress', content: [] } }));
      res.write(frame({ type: 'response.content_part.added', item_id: id, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } }));
      // Batched writes: the model side must not be what is measured.
      let batch = '';
      for (let i = 0; i < n; i++) {
        batch += frame({ type: 'response.output_text.delta', item_id: id, content_index: 0, delta: `d${i} ` });
        if (batch.length > 64 * 1024) {
          res.write(batch);
          batch = '';
        }
      }
      res.write(batch);
      const text = Array.from({ length: n }, (_, i) => `d${i} `).join('');
      res.write(frame({ type: 'response.output_text.done', item_id: id, content_index: 0, text }));
      res.write(
        frame({
          type: 'response.output_item.done',
          item: { type: 'message', role: 'assistant', id, status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] },
        }),
      );
      res.end(
        frame({
          type: 'response.completed',
          response: {
            id: 'resp_bench',
            usage: {
              input_tokens: 10,
              input_tokens_details: { cached_tokens: 0 },
              output_tokens: n,
              output_tokens_details: { reasoning_tokens: 0 },
              total_tokens: n + 10,
            },
          },
        }),
      );
    });
  });
  return new Promise((res) =>
    server.listen(0, '127.0.0.1', () => res({ baseUrl: `http://127.0.0.1:${server.address().port}/v1`, close: () => new Promise((r) => server.close(r)) })),
  );
}

async function deltaTurn(side, { scratch, opts }, baseUrl, n) {
  const home = scratch.fresh(`deltas-${side.key}`);
  writeFileSync(join(home.home, 'config.toml'), CONFIG_TOML.replace('http://127.0.0.1:9/v1', baseUrl));
  const srv = startServer({ argv: side.argv, env: home.env, cwd: home.dir });
  const rpc = stdioRpc(srv);
  let deltas = 0;
  let completed = null;
  const onLine = srv.onLine;
  const done = new Promise((resolvePromise) => {
    srv.onLine = (line, t) => {
      if (line.includes('"item/agentMessage/delta"')) deltas++;
      else if (line.includes('"turn/completed"')) {
        completed = t;
        resolvePromise();
      }
      onLine(line, t);
    };
  });
  const limit = deadline(opts.stepTimeoutMs * 12, 'turn/completed after the delta stream');
  try {
    await handshake(rpc, opts.stepTimeoutMs);
    const rssInitKb = peakRssKb(srv.pid);
    const thread = resultOf('thread/start', await rpc.request('thread/start', { cwd: home.dir }, { timeoutMs: opts.stepTimeoutMs }));
    const startedAt = performance.now();
    resultOf(
      'turn/start',
      await rpc.request(
        'turn/start',
        { threadId: thread.thread.id, input: [{ type: 'text', text: 'stream', text_elements: [] }] },
        { timeoutMs: opts.stepTimeoutMs },
      ),
    );
    await Promise.race([done, limit, srv.exited.then(() => Promise.reject(new Error(`server ${srv.describeExit()}`)))]);
    const rssEndKb = peakRssKb(srv.pid);
    if (deltas < n) throw new Error(`only ${deltas} of ${n} deltas reached the client`);
    return { wallMs: completed - startedAt, rssInitMiB: rssInitKb / 1024, rssPeakMiB: rssEndKb / 1024, deltas };
  } finally {
    limit.cancel();
    await srv.stop();
    home.dispose();
  }
}

export default {
  id: 'turns',
  title: 'conformance scenarios (wall, paired) and a 10,000-delta turn (peak RSS)',
  async run(ctx) {
    const { log } = ctx;
    const runs = Number(process.env.BENCH_SCENARIO_RUNS ?? 5);
    const nDeltas = Number(process.env.BENCH_DELTAS ?? 10_000);
    const unavailable = {};
    const live = () => ctx.sides.filter((s) => !s.unavailable && !unavailable[s.key]);
    const scenarios = listedScenarios((status) => status === 'pass').filter((key) => !key.startsWith('v1/'));
    const walls = Object.fromEntries(scenarios.map((k) => [k, { ours: [], ref: [], byRun: {}, failed: {} }]));
    for (let i = 0; i < runs; i++) {
      log(`turns: scenario round ${i + 1}/${runs}`);
      for (const key of scenarios) {
        for (const side of inTurn(live(), i)) {
          const w = walls[key];
          if (w.failed[side.key]) continue;
          try {
            const ms = await runScenario(side, key, 180_000);
            w[side.key].push(ms);
            (w.byRun[side.key] ??= [])[i] = ms;
          } catch (err) {
            w.failed[side.key] = err.message;
          }
        }
      }
    }
    const rows = [];
    let totalOurs = 0;
    let totalRef = 0;
    let complete = true;
    for (const key of scenarios) {
      const w = walls[key];
      const ours = w.failed.ours || !w.ours.length ? null : median(w.ours);
      const ref = w.failed.ref || !w.ref.length ? null : median(w.ref);
      if (ours === null || ref === null) complete = false;
      else {
        totalOurs += ours;
        totalRef += ref;
      }
      rows.push({ metric: `${key} wall, median of ${runs}`, unit: 'ms', ours, ref, target: null });
      for (const [k, why] of Object.entries(w.failed)) log(`turns: ${key} failed on ${k}: ${why}`);
    }
    rows.push({
      metric: `total of ${scenarios.length} scenarios${complete ? '' : ' (those passing on both)'}`,
      unit: 'ms',
      ours: totalOurs || null,
      ref: totalRef || null,
      target: 1.0,
    });
    // Per run, the sum of the six (a run missing one of them on a side does not count for that side).
    const six = SIX_SCENARIOS.filter((k) => walls[k]);
    const sixSums = (key) => {
      const sums = [];
      for (let i = 0; i < runs; i++) {
        const parts = six.map((k) => walls[k].byRun[key]?.[i]);
        if (parts.every((v) => typeof v === 'number')) sums.push(parts.reduce((a, b) => a + b, 0));
      }
      return sums.length ? median(sums) : null;
    };
    rows.push({
      metric: `sum of the ${six.length} turn scenarios per run, median of ${runs}`,
      unit: 'ms',
      ours: sixSums('ours'),
      ref: sixSums('ref'),
      target: 0.9,
    });

    // The delta stream: one turn per side (alternating order is moot with one sample each, so ours goes first).
    const model = await startDeltaServer(nDeltas);
    const stream = {};
    try {
      for (const side of live()) {
        log(`turns: ${nDeltas}-delta turn on ${side.name}`);
        try {
          stream[side.key] = await deltaTurn(side, ctx, model.baseUrl, nDeltas);
        } catch (err) {
          stream[side.key] = { error: err.message };
          log(`turns: delta stream on ${side.name}: ${err.message}`);
        }
      }
    } finally {
      await model.close();
    }
    const get = (key, f) => (stream[key] && !stream[key].error ? stream[key][f] : null);
    rows.push(
      { metric: `${nDeltas}-delta turn wall`, unit: 'ms', ours: get('ours', 'wallMs'), ref: get('ref', 'wallMs'), target: null },
      { metric: 'peak RSS at initialize', unit: 'MiB', ours: get('ours', 'rssInitMiB'), ref: get('ref', 'rssInitMiB'), target: null },
      { metric: `peak RSS after ${nDeltas} deltas`, unit: 'MiB', ours: get('ours', 'rssPeakMiB'), ref: get('ref', 'rssPeakMiB'), target: null },
    );
    return { rows, unavailable, data: { walls, stream } };
  },
};
