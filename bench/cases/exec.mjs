// command/exec of /bin/true on a warm daemon (read-only policy, network off, the same for all three),
// measured from just before the request is written to the arrival of its response, against:
//   - the reference's command/exec (0.169, same policy, same cwd);
//   - bare bubblewrap spawned from Node with exactly our flags: the argv, environment and fds come
//     from our own launcher (server/sandbox/launcher.ts, bundled here with esbuild), and the run is
//     spawn → seccomp written to its pipe → 'close'. That is the floor a daemon could reach; the
//     ratio shows what JSON-RPC, policy resolution and the runner add on top.
// Both daemons are started and warmed up first; then the runs are split into rounds that alternate
// ours / reference / bare (order reversed every other round), and p50/p99 are over all runs.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { startServer } from '../lib/proc.mjs';
import { inTurn } from '../lib/rounds.mjs';
import { handshake, resultOf, stdioRpc } from '../lib/rpc.mjs';
import { percentile } from '../lib/stats.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const POLICY = { type: 'readOnly', networkAccess: false };
const COMMAND = ['/bin/true'];
const env = (name, dflt) => Number(process.env[name] ?? dflt);

/** Our launcher, compiled from the TypeScript sources into the scratch folder. */
async function loadLauncher(scratchRoot) {
  const { build } = await import('esbuild');
  const outfile = join(scratchRoot, 'launcher-bench.mjs');
  await build({
    entryPoints: [join(repoRoot, 'server/sandbox/launcher.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'warning',
  });
  return import(outfile);
}

/** One bare bwrap run of an ExecRequest; resolves with its latency (ms) once bwrap's pipes close. */
function bareRun(req) {
  return new Promise((resolvePromise, reject) => {
    const stdio = ['ignore', 'pipe', 'pipe'];
    const opened = [];
    for (const x of req.extraFds) {
      if (x.kind === 'devNull') {
        const fd = openSync('/dev/null', 'r');
        opened.push(fd);
        stdio.push(fd);
      } else stdio.push('pipe');
    }
    const t0 = performance.now();
    const child = spawn(req.argv[0], req.argv.slice(1), { cwd: req.cwd, env: req.env, stdio, detached: true });
    for (const fd of opened) closeSync(fd);
    req.extraFds.forEach((x) => {
      const s = child.stdio[x.fd];
      if (x.kind === 'data') {
        s.on('error', () => {});
        s.end(Buffer.from(x.data));
      } else if (x.kind === 'status') s.resume();
    });
    child.stdout.resume();
    child.stderr.resume();
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolvePromise(performance.now() - t0) : reject(new Error(`bare bwrap exited ${code}`))));
  });
}

async function execOnce(rpc, cwd, timeoutMs) {
  const res = await rpc.request('command/exec', { command: COMMAND, cwd, sandboxPolicy: POLICY }, { timeoutMs });
  const r = resultOf('command/exec', res);
  if (r.exitCode !== 0) throw new Error(`command/exec /bin/true answered exit ${r.exitCode}: ${String(r.stderr).slice(0, 200)}`);
  return res.t - res.sentAt;
}

export default {
  id: 'exec',
  title: 'command/exec /bin/true on a warm daemon, vs the reference and vs bare bwrap',
  async run({ sides, opts, scratch, log }) {
    const runs = env('BENCH_EXEC_RUNS', 300);
    const warmup = 20;
    const unavailable = {};
    const servers = [];
    const workspace = join(scratch.root, 'exec-cwd');
    mkdirSync(workspace, { recursive: true });
    let bare = null;
    try {
      for (const side of sides.filter((s) => !s.unavailable)) {
        const home = scratch.fresh(`exec-${side.key}`);
        const srv = startServer({ argv: side.argv, env: home.env, cwd: home.dir });
        const rpc = stdioRpc(srv);
        const x = { key: side.key, srv, home, once: () => execOnce(rpc, workspace, opts.stepTimeoutMs) };
        servers.push(x);
        try {
          await handshake(rpc, opts.stepTimeoutMs);
          for (let i = 0; i < warmup; i++) await x.once();
        } catch (err) {
          unavailable[side.key] = `start / warm-up: ${err.message}`;
          srv.killNow();
        }
      }
      // Bare bwrap with the flags our daemon uses for the same request (its home masked the same way).
      try {
        const { selectLauncher } = await loadLauncher(scratch.root);
        const oursHome = servers.find((s) => s.key === 'ours')?.home.home ?? join(scratch.root, 'none');
        const req = await selectLauncher().transform(COMMAND, POLICY, workspace, {
          daemonPaths: { deny: [oursHome], readOnly: [join(oursHome, 'config.toml')] },
        });
        if (req.sandbox !== 'bwrap') throw new Error(`the launcher did not wrap (${req.sandbox})`);
        bare = { key: 'bare', req, once: () => bareRun(req) };
        for (let i = 0; i < warmup; i++) await bare.once();
      } catch (err) {
        unavailable.bare = `bare bwrap: ${err.message}`;
        bare = null;
      }

      const lat = { ours: [], ref: [], bare: [] };
      const contenders = [...servers, ...(bare ? [bare] : [])];
      const rounds = Math.max(1, opts.rounds);
      const per = Math.ceil(runs / rounds);
      for (let r = 0, done = 0; done < runs; r++, done += per) {
        log(`exec: round ${r + 1}/${rounds}`);
        for (const x of inTurn(contenders, r).filter((c) => !unavailable[c.key])) {
          try {
            for (let i = 0; i < Math.min(per, runs - done); i++) lat[x.key].push(await x.once());
          } catch (err) {
            unavailable[x.key] = `round ${r + 1}: ${err.message}`;
            x.srv?.killNow();
          }
        }
      }
      bare?.req.finalize();
      const p = (key, q) => (!unavailable[key] && lat[key].length ? percentile(lat[key], q) : null);
      const what = `command/exec /bin/true ×${runs}`;
      if (unavailable.bare) log(unavailable.bare);
      return {
        rows: [
          { metric: `${what} p50`, unit: 'ms', ours: p('ours', 50), ref: p('ref', 50), target: 0.5 },
          { metric: `${what} p99`, unit: 'ms', ours: p('ours', 99), ref: p('ref', 99), target: null },
          { metric: `${what} p50`, against: 'bare bwrap', unit: 'ms', ours: p('ours', 50), ref: p('bare', 50), target: 1.5 },
          { metric: `${what} p99`, against: 'bare bwrap', unit: 'ms', ours: p('ours', 99), ref: p('bare', 99), target: null },
        ],
        unavailable: Object.fromEntries(Object.entries(unavailable).filter(([k]) => k !== 'bare')),
        data: lat,
      };
    } finally {
      for (const x of servers) {
        await x.srv.stop();
        x.home.dispose();
      }
    }
  },
};
