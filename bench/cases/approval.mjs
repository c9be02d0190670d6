// Approval round trip on a warm daemon: the model (a loopback Responses server) asks for
// exec_command `/bin/true >/dev/null` in every turn; the thread's policy is `untrusted`, so each call
// comes to the client as item/commandExecution/requestApproval. (The redirection is there because
// Gatehouse counts an absolute `/bin/true` as the known-safe `true` and would not ask, while 0.169
// asks; with the redirection both ask. BENCH_APPROVAL_CMD overrides the command.) The call says
// `login: false`: a login shell sources the user's profile on every command in Gatehouse (about
// 0.4 s on the bench machine) while 0.169 runs from a shell snapshot taken once, which would swamp
// the approval path being measured; BENCH_APPROVAL_LOGIN=1 measures with the login shell. Measured: from the moment the bench writes
// its `accept` answer to the arrival of that command item's item/completed (the daemon's approval
// resolution, the sandboxed spawn of `bash -lc /bin/true`, and the item's completion). One server
// per side, BENCH_APPROVAL_WARMUP (3) turns first, then BENCH_APPROVAL_TURNS (30) turns, the two
// sides in alternating blocks of BENCH_APPROVAL_BLOCK (5) turns. Target: ours ≤ the reference (1.0×).
import { performance } from 'node:perf_hooks';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deadline, startServer } from '../lib/proc.mjs';
import { inTurn } from '../lib/rounds.mjs';
import { handshake, resultOf, stdioRpc } from '../lib/rpc.mjs';
import { CONFIG_TOML } from '../lib/scratch.mjs';
import { startExecTurnModel } from '../lib/execTurnModel.mjs';
import { percentile } from '../lib/stats.mjs';

/** A warm daemon with one untrusted thread; `turn()` runs one approval turn and returns the round trip (ms). */
async function openSide(side, { scratch, opts }, baseUrl) {
  const home = scratch.fresh(`approval-${side.key}`);
  writeFileSync(
    join(home.home, 'config.toml'),
    CONFIG_TOML.replace('http://127.0.0.1:9/v1', baseUrl).replace('sandbox_mode = "read-only"', 'sandbox_mode = "workspace-write"'),
  );
  const srv = startServer({ argv: side.argv, env: home.env, cwd: home.dir });
  const rpc = stdioRpc(srv);
  let waiter = null;
  const onLine = srv.onLine;
  srv.onLine = (line, t) => {
    if (waiter && (line.includes('"item/commandExecution/requestApproval"') || line.includes('"item/completed"') || line.includes('"turn/completed"'))) {
      const msg = JSON.parse(line);
      if (waiter.match(msg)) {
        const w = waiter;
        waiter = null;
        w.resolve({ msg, t });
      }
    }
    onLine(line, t);
  };
  const next = (match, what) => {
    const limit = deadline(opts.stepTimeoutMs, what);
    const p = new Promise((resolve) => (waiter = { match, resolve }));
    return Promise.race([p, limit, srv.exited.then(() => Promise.reject(new Error(`server ${srv.describeExit()}`)))]).finally(() => limit.cancel());
  };
  await handshake(rpc, opts.stepTimeoutMs);
  const thread = resultOf(
    'thread/start',
    await rpc.request('thread/start', { cwd: home.dir, approvalPolicy: 'untrusted', sandbox: 'workspace-write' }, { timeoutMs: opts.stepTimeoutMs }),
  );
  const threadId = thread.thread.id;
  return {
    async turn() {
      const asked = next((m) => m.method === 'item/commandExecution/requestApproval', 'item/commandExecution/requestApproval');
      const started = resultOf(
        'turn/start',
        await rpc.request('turn/start', { threadId, input: [{ type: 'text', text: 'run it', text_elements: [] }] }, { timeoutMs: opts.stepTimeoutMs }),
      );
      const { msg: req } = await asked;
      const itemId = req.params.itemId;
      const completed = next(
        (m) => m.method === 'item/completed' && m.params?.item?.type === 'commandExecution' && m.params.item.id === itemId,
        'item/completed',
      );
      const answeredAt = performance.now();
      srv.write(`${JSON.stringify({ id: req.id, result: { decision: 'accept' } })}\n`);
      const { msg: done, t } = await completed;
      if (done.params.item.status !== 'completed')
        throw new Error(`the command item ended ${done.params.item.status}: ${String(done.params.item.aggregatedOutput ?? '').slice(0, 160)}`);
      await next((m) => m.method === 'turn/completed' && m.params?.turn?.id === started.turn.id, 'turn/completed');
      return t - answeredAt;
    },
    async close() {
      await srv.stop();
      home.dispose();
    },
  };
}

export default {
  id: 'approval',
  title: 'approval round trip (accept → item/completed of /bin/true >/dev/null), warm, paired',
  async run(ctx) {
    const { log } = ctx;
    const warmup = Number(process.env.BENCH_APPROVAL_WARMUP ?? 3);
    const total = Number(process.env.BENCH_APPROVAL_TURNS ?? 30);
    const block = Number(process.env.BENCH_APPROVAL_BLOCK ?? 5);
    const unavailable = {};
    const samples = { ours: [], ref: [] };
    const login = process.env.BENCH_APPROVAL_LOGIN === '1';
    const model = await startExecTurnModel({ cmd: process.env.BENCH_APPROVAL_CMD ?? '/bin/true >/dev/null', login });
    const open = {};
    try {
      for (const side of ctx.sides.filter((s) => !s.unavailable)) {
        try {
          open[side.key] = await openSide(side, ctx, model.baseUrl);
          for (let i = 0; i < warmup; i++) await open[side.key].turn();
        } catch (err) {
          unavailable[side.key] = err.message;
          log(`approval: ${side.name}: ${err.message}`);
        }
      }
      const live = () => ctx.sides.filter((s) => open[s.key] && !unavailable[s.key]);
      for (let r = 0; r * block < total; r++) {
        for (const side of inTurn(live(), r)) {
          try {
            for (let i = 0; i < block && samples[side.key].length < total; i++) samples[side.key].push(await open[side.key].turn());
          } catch (err) {
            unavailable[side.key] = err.message;
            log(`approval: ${side.name}: ${err.message}`);
          }
        }
      }
    } finally {
      for (const s of Object.values(open)) await s.close();
      await model.close();
    }
    const stat = (key, p) => (unavailable[key] || !samples[key].length ? null : percentile(samples[key], p));
    return {
      rows: [
        {
          metric: `approval round trip p50 (${total} turns${login ? ', login shell' : ''})`,
          unit: 'ms',
          ours: stat('ours', 50),
          ref: stat('ref', 50),
          target: 1.0,
        },
        { metric: 'approval round trip p90', unit: 'ms', ours: stat('ours', 90), ref: stat('ref', 90), target: null },
      ],
      unavailable,
      data: samples,
    };
  },
};
