// A legacy v1 turn, measured against codex 0.80.0 (the last reference with the v1 conversation API:
// run.mjs gives a case marked `v1` that reference instead of 0.169, and --ref-v1 overrides its
// command). Both sides get ../shared/conformance/config/codex-0.80.json as config.toml, pointed at
// the loopback model (model gpt-5.1-codex, so 0.80 offers the `shell_command` tool; no remote
// models or compaction, no metrics exporter, no retries), and TMPDIR a folder beside the home, not
// above it (0.80's sandbox helper needs that: ../shared/conformance/README.md, "Why TMPDIR").
//
// A sample is one fresh server on a fresh home: initialize, initialized, newConversation {cwd,
// approvalPolicy never, sandbox workspace-write}, addConversationListener, then 1 + BENCH_V1_WARM_TURNS
// (3) sendUserTurn {sandboxPolicy workspace-write, approvalPolicy never} one after the other on that
// conversation; a turn's time is from writing sendUserTurn to the arrival of the conversation's
// codex/event/task_complete. Two rows per kind: the first turn of a fresh server (informational: it
// carries the daemon's one-time loading, which the startup case and the first-request rows measure),
// and the turns after it, the turn a user of a long-lived daemon waits for (target ≤ 1.0×). Two kinds
// of turn, each with its own loopback model (bench/lib/execTurnModel.mjs):
//   plain  the model answers one message in 3 deltas; the sample counts only when task_complete's
//          last_agent_message is that message.
//   shell  the model calls the shell tool the request offers (`shell_command` on 0.80) once, with
//          `echo v1bench-$((6*7))` and no workdir (the turn's cwd), then answers "ok" to the tool
//          output; the sample counts only when the output the model got holds `v1bench-42` (which
//          the command's text does not, so a command that did not run cannot pass) and
//          task_complete says "ok". The call names no `login`: both sides run the tool's default
//          (a login shell on 0.80, so the user's profile is sourced in both figures).
// One warm-up sample per side and kind, then BENCH_V1_RUNS (7) rounds in which each kind's two
// sides go in alternating order (A B, B A, …). Rows: the median per kind, target ours/ref ≤ 1.0×.
// A side whose turn fails (our daemon before it has the v1 API: newConversation answered -32601)
// is unavailable for that kind, with the reason, and is not retried; it never gets a number.
//
// Then the conformance scenarios test/conformance/expected.json lists under v1/, whatever their
// status there, through run-scenario.mjs on both sides in alternation, BENCH_SCENARIO_RUNS (5)
// times each: wall medians, informational; a side's failure is a note under the table. They run
// here rather than in the turns case because 0.169 cannot run them.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startExecTurnModel } from '../lib/execTurnModel.mjs';
import { deadline, startServer } from '../lib/proc.mjs';
import { inTurn } from '../lib/rounds.mjs';
import { handshake, resultOf, stdioRpc } from '../lib/rpc.mjs';
import { listedScenarios, runScenario, SHARED, V1_CONFIG } from '../lib/scenarios.mjs';
import { median } from '../lib/stats.mjs';

const PLAIN_TEXT = 'Hello from the bench model, v1 edition.';
const SHELL_CMD = 'echo v1bench-$((6*7))';
const SHELL_MARK = 'v1bench-42';

/** config/codex-0.80.json as config.toml, with the model's address; written by the harness's own TOML writer. */
async function v1Config(baseUrl) {
  const { toToml } = await import(pathToFileURL(join(SHARED, 'conformance/lib/toml.mjs')).href);
  return toToml(JSON.parse(readFileSync(V1_CONFIG, 'utf8').replaceAll('{{MODEL_BASE_URL}}', baseUrl)));
}

/** One fresh server, 1 + `warmTurns` v1 turns of `kind`; resolves with each turn's ms from sendUserTurn to task_complete. */
async function v1Turns(side, { scratch, opts }, kind, warmTurns) {
  const home = scratch.fresh(`v1turn-${kind.id}-${side.key}`);
  writeFileSync(join(home.home, 'config.toml'), kind.config);
  const srv = startServer({ argv: side.argv, env: home.env, cwd: home.dir });
  const rpc = stdioRpc(srv);
  let conversationId = null;
  let settle = null;
  const onLine = srv.onLine;
  srv.onLine = (line, t) => {
    if (settle && (line.includes('"codex/event/task_complete"') || line.includes('"codex/event/error"'))) {
      const msg = JSON.parse(line);
      if (msg.params?.conversationId === conversationId) {
        if (msg.method === 'codex/event/task_complete') settle.resolve({ msg, t });
        else if (msg.method === 'codex/event/error') settle.reject(new Error(`codex/event/error: ${String(msg.params.msg?.message).slice(0, 160)}`));
      }
    }
    onLine(line, t);
  };
  const limit = deadline(opts.stepTimeoutMs * 3, `${kind.id} turn: codex/event/task_complete`);
  try {
    const step = { timeoutMs: opts.stepTimeoutMs };
    await handshake(rpc, opts.stepTimeoutMs);
    const conv = resultOf(
      'newConversation',
      await rpc.request('newConversation', { cwd: home.dir, approvalPolicy: 'never', sandbox: 'workspace-write' }, step),
    );
    conversationId = conv.conversationId;
    resultOf('addConversationListener', await rpc.request('addConversationListener', { conversationId, experimentalRawEvents: false }, step));
    const times = [];
    for (let i = 0; i <= warmTurns; i++) {
      const completed = new Promise((resolve, reject) => (settle = { resolve, reject }));
      completed.catch(() => {}); // an error event before the race below is not an unhandled rejection
      kind.model.lastToolOutput = null;
      const sent = await rpc.request(
        'sendUserTurn',
        {
          conversationId,
          items: [{ type: 'text', data: { text: kind.prompt } }],
          cwd: home.dir,
          approvalPolicy: 'never',
          sandboxPolicy: { type: 'workspace-write' },
          model: conv.model,
          effort: null,
          summary: 'auto',
        },
        step,
      );
      resultOf('sendUserTurn', sent);
      const { msg, t } = await Promise.race([completed, limit, srv.exited.then(() => Promise.reject(new Error(`server ${srv.describeExit()}`)))]);
      settle = null;
      kind.check(msg.params.msg ?? {}, kind.model);
      times.push(t - sent.sentAt);
    }
    return times;
  } finally {
    limit.cancel();
    await srv.stop();
    home.dispose();
  }
}

export default {
  id: 'v1turn',
  v1: true,
  title: 'legacy v1 turn (sendUserTurn → task_complete) vs codex 0.80.0: plain and one shell command, first and later turns of a fresh server, paired',
  async run(ctx) {
    const { log } = ctx;
    const runs = Number(process.env.BENCH_V1_RUNS ?? 7);
    const warmTurns = Number(process.env.BENCH_V1_WARM_TURNS ?? 3);
    const scenarioRuns = Number(process.env.BENCH_SCENARIO_RUNS ?? 5);
    const plainModel = await startExecTurnModel(null, { text: PLAIN_TEXT, deltas: 3 });
    const shellModel = await startExecTurnModel({ cmd: SHELL_CMD });
    const kinds = [
      {
        id: 'plain',
        metric: 'plain turn',
        prompt: 'Say hello.',
        model: plainModel,
        config: await v1Config(plainModel.baseUrl),
        check(done) {
          if (done.last_agent_message !== PLAIN_TEXT) throw new Error(`task_complete's last_agent_message is ${JSON.stringify(done.last_agent_message)}`);
        },
      },
      {
        id: 'shell',
        metric: 'one-command turn',
        prompt: 'Run the command.',
        model: shellModel,
        config: await v1Config(shellModel.baseUrl),
        check(done, model) {
          if (!model.lastToolOutput?.includes(SHELL_MARK))
            throw new Error(`the command's output did not reach the model: ${JSON.stringify(String(model.lastToolOutput).slice(-160))}`);
          if (done.last_agent_message !== 'ok') throw new Error(`task_complete's last_agent_message is ${JSON.stringify(done.last_agent_message)}`);
        },
      },
    ];
    const samples = Object.fromEntries(kinds.map((k) => [k.id, { ours: [], ref: [], oursFirst: [], refFirst: [] }]));
    const failed = Object.fromEntries(kinds.map((k) => [k.id, {}]));
    const live = (kind) => ctx.sides.filter((s) => !s.unavailable && !failed[kind.id][s.key]);
    const sample = async (side, kind, out) => {
      try {
        const [first, ...later] = await v1Turns(side, ctx, kind, warmTurns);
        out?.[`${side.key}First`].push(first);
        out?.[side.key].push(...later);
      } catch (err) {
        failed[kind.id][side.key] = err.message;
        log(`v1turn: ${kind.id} turn on ${side.name}: ${err.message}`);
      }
    };
    try {
      for (const kind of kinds) for (const side of live(kind)) await sample(side, kind, null);
      for (let r = 0; r < runs; r++) {
        log(`v1turn: round ${r + 1}/${runs}`);
        for (const kind of kinds) for (const side of inTurn(live(kind), r)) await sample(side, kind, samples[kind.id]);
      }
    } finally {
      await plainModel.close();
      await shellModel.close();
    }

    // The v1 conformance scenarios, wall as run-scenario measures it.
    const scenarios = listedScenarios(() => true).filter((key) => key.startsWith('v1/'));
    const walls = Object.fromEntries(scenarios.map((k) => [k, { ours: [], ref: [], failed: {} }]));
    for (let i = 0; i < scenarioRuns && scenarios.length; i++) {
      log(`v1turn: scenario round ${i + 1}/${scenarioRuns}`);
      for (const key of scenarios) {
        const w = walls[key];
        const ready = ctx.sides.filter((s) => !s.unavailable && !w.failed[s.key]);
        for (const side of inTurn(ready, i)) {
          try {
            w[side.key].push(await runScenario(side, key, 180_000));
          } catch (err) {
            w.failed[side.key] = err.message;
          }
        }
      }
    }

    const value = (list, why) => (why || !list.length ? null : median(list));
    const rows = kinds.flatMap((k) => [
      {
        metric: `${k.metric}, first of a fresh server, sendUserTurn → task_complete, median of ${runs}`,
        unit: 'ms',
        ours: value(samples[k.id].oursFirst, failed[k.id].ours),
        ref: value(samples[k.id].refFirst, failed[k.id].ref),
        target: null,
      },
      {
        metric: `${k.metric}, later turns, sendUserTurn → task_complete, median of ${runs}×${warmTurns}`,
        unit: 'ms',
        ours: value(samples[k.id].ours, failed[k.id].ours),
        ref: value(samples[k.id].ref, failed[k.id].ref),
        target: 1.0,
      },
    ]);
    for (const key of scenarios) {
      const w = walls[key];
      rows.push({
        metric: `${key} wall, median of ${scenarioRuns}`,
        unit: 'ms',
        ours: value(w.ours, w.failed.ours),
        ref: value(w.ref, w.failed.ref),
        target: null,
      });
    }
    // A side's reason: one line when every kind failed the same way, else per kind.
    const unavailable = {};
    for (const side of ctx.sides) {
      const reasons = kinds.filter((k) => failed[k.id][side.key]).map((k) => ({ kind: k.id, why: failed[k.id][side.key] }));
      if (!reasons.length) continue;
      unavailable[side.key] =
        reasons.length === kinds.length && reasons.every((r) => r.why === reasons[0].why)
          ? reasons[0].why
          : reasons.map((r) => `${r.kind} turn: ${r.why}`).join('; ');
    }
    const notes = [];
    for (const side of ctx.sides)
      for (const key of scenarios) if (walls[key].failed[side.key]) notes.push(`v1turn: ${side.name}: scenario failed (${walls[key].failed[side.key]})`);
    return { rows, unavailable, notes, data: { samples, failed, walls } };
  },
};
