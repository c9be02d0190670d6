#!/usr/bin/env node
// Gatehouse vs the reference `codex app-server` 0.169.0 (and, for the legacy v1 API, 0.80.0), side by
// side in one run on this machine.
//
//   node bench/run.mjs [--only startup,stdio,ws,exec,turns,threadList,approval,fuzzy,proxy,mcp,soak,capacity,v1turn] [--json out.json]
//                      [--method M] [--params JSON] [--ours "CMD"] [--ref "CMD"] [--ref-v1 "CMD"] [--runs N]
//                      [--requests M] [--clients C] [--per-client R] [--rounds K] [--timeout SEC]
//
// Measured (cases/*.mjs say how), targets are the highest acceptable ratio ours/reference:
//   startup  spawn → `initialize` answered: wall time and peak RSS (VmHWM read when the answer
//            arrives); a fresh empty home per start (the reference answers in about half the
//            time on a reused home); N starts each after 2 warm-up starts.  Targets 0.8× / 0.75×.
//            On each of those fresh servers, `initialized` + `thread/start` right after the answer:
//            thread/start's round trip, median (target 1.0×); 300 ms later the thread's first
//            turn/start, its round trip, median (informational: what a user who reads before typing waits).
//   stdio    1 client, one request in flight, M requests: p50 (target 1.0×), p99.
//   ws       C WebSocket clients, each one in flight, R requests each: --method's p50 (target 0.5×)
//            and p99, then config/read's p50 (target 0.35×) and p99 on the same connections; with
//            --method config/read only the latter.
//   exec     command/exec of /bin/true, warm: p50 vs the reference (target 0.5×) and vs bare bwrap
//            spawned from Node with our flags (target 1.5×); BENCH_EXEC_RUNS (300) runs each.
//   turns    every conformance scenario expected to pass (test/conformance/expected.json), run by
//            ../shared/conformance/run-scenario.mjs on both servers in alternation, median of
//            BENCH_SCENARIO_RUNS (5) `wall=` figures each; total target 1.0×; and the six scenarios
//            without a client decision (hello, not-initialized, interrupt, command-exec,
//            sandbox-denied-write, network-denied) summed per run, median, target 0.9×. Then one turn whose
//            model streams BENCH_DELTAS (10,000) deltas: wall and peak RSS on each side.
//   threadList  BENCH_THREADS (1,000) stored threads copied from a 0.169 rollout; each sample pages
//            through all of them with thread/list (limit 100); BENCH_LISTINGS (20) samples each;
//            p50 target 1.0×.
//   approval an untrusted thread whose model runs exec_command `/bin/true` every turn: from the
//            client's `accept` to the command's item/completed, warm, BENCH_APPROVAL_TURNS (30)
//            turns per side in alternating blocks: p50 (target 1.0×), p90.
//   fuzzy    fuzzyFileSearch over a generated, git-init'ed 10,000-file tree (BENCH_FUZZY_FILES) with
//            .gitignore'd folders and patterns. First search: BENCH_FUZZY_FRESH (5, at least 5) fresh
//            servers per side in alternation, each on a new home, one search sent right after the
//            handshake: median, target 1.0×. Steady state: one server per side, 6 queries cycled,
//            BENCH_SEARCHES (140) requests each: p50 target 1.0×, p99, server CPU per request.
//   proxy    the managed network proxy (server/sandbox/networkProxy/) against going direct, no
//            app-server involved (the reference column holds the direct figure): a BENCH_PROXY_MIB
//            (100) MiB download from a loopback server on 127.0.0.2, direct vs through the proxy
//            (absolute-form GET and CONNECT), BENCH_PROXY_RUNS (9) alternated runs, median MiB/s,
//            target proxied/direct ≥ 0.8×; connect → first byte of a tiny GET on a new connection,
//            BENCH_PROXY_CONNS (300) samples each, p50/p90, target ≤ 2 ms added at p50; and curl in
//            the real sandbox through the relay vs curl on the host (BENCH_PROXY_SANDBOX_RUNS (5)),
//            target ≥ 0.8×. Upstream, proxy and client are separate processes; BENCH_PROXY_PROF=<dir>
//            writes the proxy process's --cpu-prof profile. About 10 s here.
//   mcp      one stdio MCP server configured (server-everything): thread/start → the first model
//            request that carries the thread's tool list, fresh server per sample, BENCH_MCP_RUNS (7)
//            alternated samples per side, median, target ≤ 1.0×.
//   soak     memory over BENCH_SOAK_TURNS (500; 1,000 is the target's length, about 4 min here) short
//            turns on one thread (the model asks for exec_command `true`, then answers), the sides one
//            after the other: every BENCH_SOAK_EVERY (100) turns VmRSS from /proc for both, and for ours
//            the live heap (heapUsed, heapTotal, external, arrayBuffers after a forced GC) from
//            bench/lib/memProbe.mjs, preloaded with `node --import` (the daemon has no memory knob);
//            RSS growth from turn 100 to the last, limit ≤ 10 MB when the run reaches 1,000 turns; and,
//            informational, the growth once the daemon has been idle BENCH_SOAK_IDLE_MS (10,000) after the last turn.
//   capacity what docs/scale-out.md plans with, the sides one after the other on fresh homes: idle
//            RSS, RSS with BENCH_CAPACITY_THREADS (10) loaded threads, daemon and children CPU per
//            one-command turn over BENCH_CAPACITY_TURNS (50) turns, ours' CPU per text turn on the demo
//            provider, and command/exec launches per second with BENCH_CAPACITY_INFLIGHT (4) in flight
//            for BENCH_CAPACITY_LAUNCH_MS (3,000). Informational rows; about a minute.
//   v1turn   the legacy v1 API against codex 0.80.0 (not 0.169; --ref-v1 overrides its command), both
//            sides on ../shared/conformance/config/codex-0.80.json: on a fresh server per sample,
//            initialize, newConversation, addConversationListener, then sendUserTurn → the turn's
//            codex/event/task_complete, for a plain answer and for one shell call (`shell_command` on
//            0.80) then an answer; BENCH_V1_RUNS (7) alternated samples per side and kind after one
//            warm-up each: medians, target 1.0× each. Then the v1 conformance scenarios
//            (test/conformance/expected.json's v1/ keys) on both, BENCH_SCENARIO_RUNS (5) runs
//            each: wall medians, informational.
//   The round-trip cases also print the server's CPU time per request (all threads, /proc),
//   which the machine's noise disturbs less than latency does.
//
// Method: --method, default configRequirements/read. Sequential p50 on the reference (this
// machine): model/list 0.55-0.59 ms (10.9 KB answer), configRequirements/read 0.64-0.66 ms (79 B;
// re-reads config.toml and /etc/codex/*.toml each call), modelProvider/list 0.69 ms,
// experimentalFeature/list 1.1-1.2 ms (33 KB), config/read 1.5 ms. configRequirements/read is
// within 0.1 ms of the cheapest and its tiny answer keeps the measurement on the request path
// rather than on (de)serialising 11 KB, in the server and in the bench client that shares the
// two cores; with 32 WebSocket clients the two are equal within noise.
//
// Environment: BENCH_RUNS (15), BENCH_REQUESTS (2000), BENCH_CLIENTS (32), BENCH_WS_REQUESTS
// (300), BENCH_ROUNDS (10), BENCH_TIMEOUT_S (600) are the defaults of the flags above; REF_DIR
// (~/.cache/app-server-reference) locates the references (<version>/bin/codex), installed by
// ../shared/tools/reference.sh when absent.
//
// The machine is small and noisy, so the two servers are always measured in alternation
// (starts and blocks of requests go A B, B A, A B, …) after a warm-up, and medians or
// percentiles over all samples are reported. Each server gets config.toml as in
// shared/conformance (no network traffic; config/codex-0.80.json for the v1 case), runs in its
// own process group and is stopped at the end; every temp dir is removed. If our server is
// missing or fails, the reference's numbers are still printed, with "ours: unavailable (reason)".
// The bench only prints: it never asserts timings. Exit status is non-zero only when the run
// itself failed (reference unavailable, overall timeout, a crash).
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { CASES } from './cases/index.mjs';
import { killAll } from './lib/proc.mjs';
import { makeScratch } from './lib/scratch.mjs';
import { oursSide, REF_V1_VERSION, REF_VERSION, refSide } from './lib/servers.mjs';
import { fmt, fmtRatio, formatTable } from './lib/table.mjs';

const DEFAULT_PARAMS = { 'configRequirements/read': undefined, 'model/list': {}, 'experimentalFeature/list': {} };
const env = (name, dflt) => Number(process.env[name] ?? dflt);
const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);

function parseOptions() {
  const { values: a } = parseArgs({
    options: {
      only: { type: 'string' },
      json: { type: 'string' },
      method: { type: 'string', default: 'configRequirements/read' },
      params: { type: 'string' },
      ours: { type: 'string' },
      ref: { type: 'string' },
      'ref-v1': { type: 'string' },
      runs: { type: 'string' },
      requests: { type: 'string' },
      clients: { type: 'string' },
      'per-client': { type: 'string' },
      rounds: { type: 'string' },
      timeout: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (a.help) {
    const head = readFileSync(new URL(import.meta.url), 'utf8').split('\nimport ')[0];
    process.stdout.write(head.replace(/^#!.*\n/, '').replace(/^\/\/ ?/gm, '') + '\n');
    process.exit(0);
  }
  const int = (v, dflt, name) => {
    const n = Number(v ?? dflt);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, not ${v}`);
    return n;
  };
  const opts = {
    runs: int(a.runs, env('BENCH_RUNS', 15), '--runs'),
    warmupStarts: 2,
    requests: int(a.requests, env('BENCH_REQUESTS', 2000), '--requests'),
    warmupRequests: 200,
    clients: int(a.clients, env('BENCH_CLIENTS', 32), '--clients'),
    perClient: int(a['per-client'], env('BENCH_WS_REQUESTS', 300), '--per-client'),
    warmupPerClient: 20,
    rounds: int(a.rounds, env('BENCH_ROUNDS', 10), '--rounds'),
    method: a.method,
    params: a.params !== undefined ? JSON.parse(a.params) : a.method in DEFAULT_PARAMS ? DEFAULT_PARAMS[a.method] : {},
    stepTimeoutMs: 10_000,
    timeoutS: int(a.timeout, env('BENCH_TIMEOUT_S', 600), '--timeout'),
  };
  const only = a.only ? a.only.split(',').map((x) => x.trim()) : CASES.map((c) => c.id);
  const unknown = only.filter((id) => !CASES.some((c) => c.id === id));
  if (unknown.length) throw new Error(`--only: unknown case ${unknown.join(', ')} (known: ${CASES.map((c) => c.id).join('|')})`);
  // A side is resolved (and a reference installed) only when a chosen case measures it: a standalone
  // case (proxy) measures no server, and a v1 case (v1turn) measures ours against the 0.80 reference
  // instead of the 0.169 one.
  const chosen = CASES.filter((c) => only.includes(c.id));
  const needs = (pred) => chosen.some((c) => !c.standalone && pred(c));
  const notNeeded = (key, name) => ({ key, name, argv: null, display: '(not needed)', unavailable: null });
  const ours = needs(() => true) ? oursSide(a.ours) : notNeeded('ours', 'ours');
  const ref = needs((c) => !c.v1) ? refSide(a.ref, log) : notNeeded('ref', 'reference');
  const refV1 = needs((c) => c.v1) ? refSide(a['ref-v1'], log, REF_V1_VERSION) : notNeeded('ref', 'reference');
  return { a, opts, only, ours, ref, refV1 };
}

let a, opts, only, ours, ref, refV1;
try {
  ({ a, opts, only, ours, ref, refV1 } = parseOptions());
} catch (err) {
  process.stderr.write(`bench: ${err.message}\n(node bench/run.mjs --help for usage)\n`);
  process.exit(2);
}

// Cleanup on every way out: kill the server groups, remove the scratch folder.
const scratch = makeScratch();
process.on('exit', () => {
  killAll();
  scratch.cleanup();
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => process.exit(130));

/** The two sides a case compares: ours and the reference of its protocol. */
const sidesOf = (c) => [ours, c.v1 ? refV1 : ref];
const results = [];
let failed = null;
const overall = new Promise((_, reject) => {
  const t = setTimeout(() => {
    killAll(); // unblocks whatever the running case waits for
    reject(new Error(`overall timeout (${opts.timeoutS} s) reached`));
  }, opts.timeoutS * 1000);
  t.unref();
});
overall.catch(() => {});
const started = Date.now();
for (const c of CASES.filter((x) => only.includes(x.id))) {
  if (failed) break;
  log(`${c.id}: ${c.title}`);
  try {
    results.push({ case: c, ...(await Promise.race([c.run({ sides: sidesOf(c), opts, scratch, log }), overall])) });
  } catch (err) {
    failed = `${c.id}: ${err.message}`;
  }
}

// ---- report -------------------------------------------------------------------------------
const out = [];
// The 0.169 reference is named unless only v1 cases ran; the 0.80 one when a v1 case ran.
const showRef = Boolean(ref.argv || !refV1.argv);
const against = [
  ...(showRef ? [a.ref ? 'the reference' : `codex app-server ${REF_VERSION}`] : []),
  ...(refV1.argv ? [a['ref-v1'] ? 'the v1 reference' : `codex app-server ${REF_V1_VERSION} (v1)`] : []),
];
out.push(
  `Gatehouse vs ${against.join(' and ')} — node ${process.version}, ${os.cpus().length} cpus, ${os.type()} ${os.release()}, ${new Date().toISOString()}`,
);
out.push(`ours: ${ours.display}`);
if (showRef) out.push(`ref:  ${ref.display}`);
if (refV1.argv) out.push(`ref v1: ${refV1.display}`);
out.push(
  `startup: ${opts.runs} starts each (+${opts.warmupStarts} warm-up), fresh home per start | ` +
    `requests: ${opts.method}, ${opts.rounds} alternating rounds after warm-up`,
  '',
);
const table = [['case', 'metric', 'ours', 'reference', 'ours/ref', 'target', '']];
const notes = [];
const why = (side, r) => side.unavailable ?? r.unavailable?.[side.key];
for (const r of results) {
  for (const row of r.rows) {
    const ratio = row.ours !== null && row.ref ? row.ours / row.ref : null;
    // target: highest acceptable ratio, or the lowest with atLeast; limit: an absolute bound on ours.
    const verdict =
      row.limit !== undefined
        ? row.ours === null
          ? ''
          : row.ours <= row.limit
            ? 'meets'
            : 'misses'
        : ratio === null || row.target === null
          ? ''
          : (row.atLeast ? ratio >= row.target : ratio <= row.target)
            ? 'meets'
            : 'misses';
    table.push([
      r.case.id,
      row.against ? `${row.metric} (vs ${row.against})` : row.metric,
      fmt(row.ours, row.unit),
      fmt(row.ref, row.unit),
      fmtRatio(ratio),
      row.limit !== undefined ? `≤ ${fmt(row.limit, row.unit)}` : row.target === null ? '' : `${row.atLeast ? '≥' : '≤'} ${row.target.toFixed(2)}×`,
      verdict,
    ]);
  }
  if (!r.case.standalone) for (const side of sidesOf(r.case)) if (why(side, r)) notes.push(`${r.case.id}: ${side.name}: unavailable (${why(side, r)})`);
  notes.push(...(r.notes ?? []));
}
out.push(formatTable(table, { right: [2, 3, 4] }));
if (notes.length) out.push('', ...notes);
if (failed) out.push('', `bench failed: ${failed}`);
out.push('', `total ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.stdout.write(out.join('\n') + '\n');

if (a.json) {
  const json = {
    when: new Date().toISOString(),
    machine: { node: process.version, cpus: os.cpus().length, os: `${os.type()} ${os.release()}` },
    commands: { ours: ours.display, ref: ref.display, ...(refV1.argv ? { refV1: refV1.display } : {}) },
    options: opts,
    failed,
    cases: Object.fromEntries(
      results.map((r) => [
        r.case.id,
        {
          rows: r.rows.map((row) => ({ ...row, ratio: row.ours !== null && row.ref ? row.ours / row.ref : null })),
          unavailable: Object.fromEntries(
            sidesOf(r.case)
              .filter((s) => why(s, r))
              .map((s) => [s.key, why(s, r)]),
          ),
          samples: r.data,
        },
      ]),
    ),
  };
  writeFileSync(a.json, JSON.stringify(json, null, 2) + '\n');
  log(`results written to ${a.json}`);
}
const refMissing = results.length > 0 && results.every((r) => r.case.standalone || why(sidesOf(r.case)[1], r)) && results.some((r) => !r.case.standalone);
process.exit(failed || refMissing || !results.length ? 1 : 0);
