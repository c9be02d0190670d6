// fuzzyFileSearch over a generated tree of BENCH_FUZZY_FILES (10,000) visible files: nested
// packages/src/<area>/<feature>/ folders, a root .gitignore excluding a build folder (dist/), a
// pattern (*.log, files scattered through the tree) and node_modules/ (2,000 files), plus a
// nested .gitignore excluding each package's generated/ folder; the root is `git init`-ed, as a
// workspace is. One tree serves every server.
//
// First search: BENCH_FUZZY_FRESH (5, never fewer) fresh servers per side, started in
// alternation (A B, B A, …), each on a fresh home that has never seen the tree; after the
// initialize / initialized handshake one fuzzyFileSearch for the first query below is sent at
// once, timed from sending it to its answer (module loading, the walk and any index a server
// builds are all in it). Median per side, target 1.0×.
//
// Steady state: one long-lived server per side. A warm-up pass checks that each side answers
// every query and never returns an ignored path (a server ignoring .gitignore would walk more
// and be compared on different work); the first search's answer is checked the same way. Then
// BENCH_SEARCHES (140) requests each in alternating rounds, the queries cycled so both sides
// see the same mix (a literal file name, an abbreviation, a path fragment, a folder name, a
// miss): p50 target 1.0×, p99, server CPU per request.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startServer } from '../lib/proc.mjs';
import { alternate, inTurn, roundTripRows } from '../lib/rounds.mjs';
import { handshake, resultOf, stdioRpc } from '../lib/rpc.mjs';
import { median } from '../lib/stats.mjs';

const FILES = Number(process.env.BENCH_FUZZY_FILES ?? 10_000);
const SEARCHES = Number(process.env.BENCH_SEARCHES ?? 140);
const FRESH = Math.max(5, Number(process.env.BENCH_FUZZY_FRESH ?? 5) || 5);
const QUERIES = ['button.tsx', 'usrsvc', 'src/hooks/use', 'fixtures', 'readme', 'qqzzxxj'];
const IGNORED = /(^|\/)(node_modules|dist|generated)\/|\.log$/;

const AREAS = ['components', 'hooks', 'services', 'utils', 'pages', 'store'];
const WORDS = [
  'user',
  'account',
  'button',
  'modal',
  'table',
  'search',
  'session',
  'cache',
  'router',
  'theme',
  'upload',
  'billing',
  'invoice',
  'report',
  'chart',
  'filter',
  'toast',
  'avatar',
  'profile',
  'settings',
];
const KINDS = ['.ts', '.tsx', '.test.ts', 'Service.ts', '.css', '.md', 'Utils.ts', '.stories.tsx'];

/** Writes the tree under `root` and returns how many visible files it holds. */
export function writeTree(root, files = FILES) {
  const seen = new Set();
  const write = (rel, text = '') => {
    if (!IGNORED.test(rel)) seen.add(rel);
    const p = join(root, rel);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, text);
  };
  write('.gitignore', 'dist/\n*.log\nnode_modules/\n');
  write('README.md', '# bench\n');
  write('package.json', '{}\n');
  for (let p = 0; p < 12; p++) write(`packages/pkg-${WORDS[p]}/.gitignore`, 'generated/\n');
  for (let i = 0; seen.size < files; i++) {
    const pkg = `pkg-${WORDS[i % 12]}`;
    const area = AREAS[Math.floor(i / 12) % AREAS.length];
    const feature = WORDS[Math.floor(i / 72) % WORDS.length];
    const depth = i % 3 === 0 ? `/${WORDS[(i >> 2) % WORDS.length]}` : '';
    const name = `${WORDS[(i * 7) % WORDS.length]}${KINDS[i % KINDS.length]}`;
    const rel = `packages/${pkg}/src/${area}/${feature}${depth}/${i}-${name}`;
    write(rel);
    if (i % 400 === 0 && seen.size < files) write(`packages/${pkg}/test/fixtures/${i}.json`, '{}');
    if (i < 12) write(`packages/${pkg}/README.md`);
    if (i % 97 === 0) write(`packages/${pkg}/src/${area}/debug-${i}.log`);
  }
  for (let p = 0; p < 12; p++) {
    const pkg = `pkg-${WORDS[p]}`;
    for (let g = 0; g < 40; g++) write(`packages/${pkg}/generated/button${g}.ts`);
  }
  for (let m = 0; m < 2000; m++) write(`node_modules/lib${m % 50}/${m % 3 ? 'src/' : ''}button${m}.js`);
  for (let d = 0; d < 500; d++) write(`dist/chunks/usrsvc-${d}.js`);
  spawnSync('git', ['init', '-q', root], { stdio: 'ignore' });
  return seen.size;
}

const searchParams = (query, root) => ({ query, roots: [root], cancellationToken: null });

/** The answer's files, or an Error if one of them is a path the tree's .gitignore files exclude. */
function checkedFiles(query, res) {
  const files = resultOf('fuzzyFileSearch', res).files;
  const bad = files.find((f) => IGNORED.test(f.path));
  if (bad) throw new Error(`query ${query} returned the ignored ${bad.path}`);
  return files;
}

/** A new server on a new home: handshake, then one search sent at once; its round trip in ms. */
async function firstSearch(side, root, { scratch, opts }) {
  const home = scratch.fresh(`fuzzy-first-${side.key}`);
  const srv = startServer({ argv: side.argv, env: home.env, cwd: home.dir });
  try {
    const rpc = stdioRpc(srv);
    await handshake(rpc, opts.stepTimeoutMs);
    const res = await rpc.request('fuzzyFileSearch', searchParams(QUERIES[0], root), { timeoutMs: opts.stepTimeoutMs });
    checkedFiles(QUERIES[0], res);
    return res.t - res.sentAt;
  } finally {
    await srv.stop();
    home.dispose();
  }
}

export default {
  id: 'fuzzy',
  title: `fuzzyFileSearch over a ${FILES}-file tree (.gitignore'd folders and patterns), stdio`,
  async run(ctx) {
    const { sides, opts, scratch, log } = ctx;
    const unavailable = {};
    const servers = [];
    const treeDir = scratch.fresh('fuzzy-tree');
    const root = join(treeDir.dir, 'tree');
    const visible = writeTree(root);
    log(`fuzzy: ${visible} visible files under ${root}`);
    const hits = {};
    const first = { ours: [], ref: [] };
    try {
      for (let i = 0; i < FRESH; i++) {
        log(`fuzzy: fresh servers ${i + 1}/${FRESH}`);
        for (const side of inTurn(sides, i).filter((s) => !s.unavailable && !unavailable[s.key])) {
          try {
            first[side.key].push(await firstSearch(side, root, ctx));
          } catch (err) {
            unavailable[side.key] = `fresh server ${i + 1}: ${err.message}`;
          }
        }
      }
      log(`fuzzy: first search ms ${JSON.stringify(first)}`);
      for (const side of sides.filter((s) => !s.unavailable && !unavailable[s.key])) {
        const home = scratch.fresh(`fuzzy-${side.key}`);
        const srv = startServer({ argv: side.argv, env: home.env, cwd: home.dir });
        const rpc = stdioRpc(srv);
        let next = 0;
        const search = async (query) => {
          const res = await rpc.request('fuzzyFileSearch', searchParams(query, root), { timeoutMs: opts.stepTimeoutMs });
          return { res, files: checkedFiles(query, res) };
        };
        const block = async (n, out) => {
          for (let i = 0; i < n; i++) {
            const { res } = await search(QUERIES[next++ % QUERIES.length]);
            out?.push(res.t - res.sentAt);
          }
        };
        servers.push({ side, srv, home, block });
        try {
          await handshake(rpc, opts.stepTimeoutMs);
          hits[side.key] = {};
          for (const q of QUERIES) hits[side.key][q] = (await search(q)).files.length;
          next = 0;
        } catch (err) {
          unavailable[side.key] = `start / warm-up: ${err.message}`;
        }
      }
      const t0 = performance.now();
      const res = await alternate({ servers, total: SEARCHES, rounds: Math.min(opts.rounds, SEARCHES), unavailable, log, label: 'fuzzy' });
      log(`fuzzy: measured in ${((performance.now() - t0) / 1000).toFixed(1)} s; hits per query ${JSON.stringify(hits)}`);
      const rows = roundTripRows(`search (${QUERIES.length} queries)`, 1.0, res, unavailable);
      const firstMedian = (key) => (unavailable[key] || first[key].length < FRESH ? null : median(first[key]));
      rows.push({ metric: `first search on a fresh server, median of ${FRESH}`, unit: 'ms', ours: firstMedian('ours'), ref: firstMedian('ref'), target: 1.0 });
      return { rows, unavailable, data: { ...res, hits, visible, first } };
    } finally {
      for (const x of servers) {
        await x.srv.stop();
        x.home.dispose();
      }
      treeDir.dispose();
    }
  },
};
