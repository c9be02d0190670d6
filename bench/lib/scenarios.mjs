// The shared conformance scenarios (../shared/conformance/scenarios/<section>/<name>.json) as bench
// samples: which ones test/conformance/expected.json lists, and one run of one of them through
// ../shared/conformance/run-scenario.mjs, timed by the harness's own `wall=` figure (first request
// sent → last expected message), so the harness's start-up and the server's exit are not counted.
// A v1/ scenario runs on config/codex-0.80.json, as the conformance runner gives it.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SHARED = resolve(repoRoot, '../shared');
const RUN_SCENARIO = join(SHARED, 'conformance/run-scenario.mjs');
const SCENARIOS = join(SHARED, 'conformance/scenarios');
/** The config the v1 reference (0.80) runs on, in the conformance harness and in the bench. */
export const V1_CONFIG = join(SHARED, 'conformance/config/codex-0.80.json');

/** expected.json's scenario keys (`section/name`) whose status `keep(status)` accepts. */
export function listedScenarios(keep) {
  const expected = JSON.parse(readFileSync(join(repoRoot, 'test/conformance/expected.json'), 'utf8'));
  return Object.entries(expected)
    .filter(([key, v]) => !key.startsWith('_') && keep(v))
    .map(([key]) => key);
}

/** One run-scenario invocation; resolves with its wall= milliseconds or rejects with why it failed. */
export function runScenario(side, key, timeoutMs) {
  const [section, name] = key.split('/');
  const args = [RUN_SCENARIO, '--server', side.argv.join(' '), '--scenario', join(SCENARIOS, section, `${name}.json`), '--out', '/dev/null', '--quiet'];
  if (section === 'v1') args.push('--config', V1_CONFIG);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => /^(PASS|FAIL) /.test(l)) ?? out.trim().split('\n').pop() ?? '';
      const m = /^PASS .*wall=(\d+)ms/.exec(line);
      if (code === 0 && m) resolvePromise(Number(m[1]));
      else reject(new Error(`${key}: ${line.slice(0, 200) || `exit ${code}`}`));
    });
  });
}
