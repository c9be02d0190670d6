// fuzzyFileSearch over a generated tree of BENCH_FUZZY_FILES (10,000) visible files: nested
// packages/src/<area>/<feature>/ folders, a root .gitignore excluding a build folder (dist/), a
// pattern (*.log, files scattered through the tree) and node_modules/ (2,000 files), plus a
// nested .gitignore excluding each package's generated/ folder; the root is `git init`-ed, as a
// workspace is. One tree serves both servers. Each sample is one request; the queries below
// are cycled so both sides see the same mix (a literal file name, an abbreviation, a path
// fragment, a folder name, a miss). A warm-up pass checks that each side answers every query
// and never returns an ignored path (a server ignoring .gitignore would walk more and be
// compared on different work); its first request, on a server that has never seen the tree, is
// reported as "first search" (one sample, informational: a server that keeps an index pays its
// walk there). BENCH_SEARCHES (140) requests each in alternating rounds; p50 target 1.0× the reference.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startServer } from '../lib/proc.mjs';
import { alternate, roundTripRows } from '../lib/rounds.mjs';
import { handshake, resultOf, stdioRpc } from '../lib/rpc.mjs';

const FILES = Number(process.env.BENCH_FUZZY_FILES ?? 10_000);
const SEARCHES = Number(process.env.BENCH_SEARCHES ?? 140);
const QUERIES = ['button.tsx', 'usrsvc', 'src/hooks/use', 'fixtures', 'readme', 'qqzzxxj'];
const IGNORED = /(^|\/)(node_modules|dist|generated)\/|\.log$/;

const AREAS = ['components', 'hooks', 'services', 'utils', 'pages', 'store'];
const WORDS = ['user', 'account', 'button', 'modal', 'table', 'search', 'session', 'cache', 'router', 'theme', 'upload', 'billing', 'invoice', 'report', 'chart', 'filter', 'toast', 'avatar', 'profile', 'settings'];
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

export default {
  id: 'fuzzy',
  title: `fuzzyFileSearch over a ${FILES}-file tree (.gitignore'd folders and patterns), stdio`,
  async run({ sides, opts, scratch, log }) {
    const unavailable = {};
    const servers = [];
    const treeDir = scratch.fresh('fuzzy-tree');
    const root = join(treeDir.dir, 'tree');
    const visible = writeTree(root);
    log(`fuzzy: ${visible} visible files under ${root}`);
    const hits = {};
    const first = {};
    try {
      for (const side of sides.filter((s) => !s.unavailable)) {
        const home = scratch.fresh(`fuzzy-${side.key}`);
        const srv = startServer({ argv: side.argv, env: home.env, cwd: home.dir });
        const rpc = stdioRpc(srv);
        let next = 0;
        const search = async (query) => {
          const res = await rpc.request('fuzzyFileSearch', { query, roots: [root], cancellationToken: null }, { timeoutMs: opts.stepTimeoutMs });
          return { res, files: resultOf('fuzzyFileSearch', res).files };
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
          for (const q of QUERIES) {
            const { files, res } = await search(q);
            first[side.key] ??= res.t - res.sentAt;
            const bad = files.find((f) => IGNORED.test(f.path));
            if (bad) throw new Error(`query ${q} returned the ignored ${bad.path}`);
            hits[side.key][q] = files.length;
          }
          next = 0;
        } catch (err) {
          unavailable[side.key] = `start / warm-up: ${err.message}`;
        }
      }
      const t0 = performance.now();
      const res = await alternate({ servers, total: SEARCHES, rounds: Math.min(opts.rounds, SEARCHES), unavailable, log, label: 'fuzzy' });
      log(`fuzzy: measured in ${((performance.now() - t0) / 1000).toFixed(1)} s; hits per query ${JSON.stringify(hits)}`);
      const rows = roundTripRows(`search (${QUERIES.length} queries)`, 1.0, res, unavailable);
      rows.push({ metric: 'first search on a fresh server', unit: 'ms', ours: unavailable.ours ? null : (first.ours ?? null), ref: unavailable.ref ? null : (first.ref ?? null), target: null });
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
