#!/usr/bin/env node
// `npm run conformance`: the reference binaries (cached under REF_DIR), wire-check coverage of our
// generated schema against 0.169 (v2) and 0.80 (v1), then every shared scenario against our server,
// compared with test/conformance/expected.json, each passing run's transcript checked with wire-check
// traffic against its reference's schema. Exit 1 when coverage falls below the bar, an
// expected pass fails, a known failure starts passing, or a scenario is not listed.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const shared = resolve(root, '../shared');
const refDir = process.env.REF_DIR || join(homedir(), '.cache/app-server-reference');
const expected = JSON.parse(readFileSync(join(root, 'test/conformance/expected.json'), 'utf8'));
const problems = [];

execFileSync('bash', [join(shared, 'tools/reference.sh')], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, REF_DIR: refDir } });
if (!existsSync(join(shared, 'tools/node_modules/ajv'))) {
  execFileSync('npm', ['ci', '--prefix', join(shared, 'tools'), '--no-audit', '--no-fund'], { stdio: 'inherit' });
}

// 1. schema coverage
const ours = mkdtempSync(join(tmpdir(), 'gatehouse-schema-'));
execFileSync(process.execPath, [join(root, 'dist/gatehouse.mjs'), 'app-server', 'generate-json-schema', '--out', ours], { stdio: 'inherit' });
const BARS = { v2: { ref: '0.169.0', min: 0.95 }, v1: { ref: '0.80.0', minClean: 23 } };
for (const [section, bar] of Object.entries(BARS)) {
  const out = execFileSync(
    process.execPath,
    [
      join(shared, 'tools/wire-check.mjs'),
      'coverage',
      '--ref',
      join(refDir, bar.ref, 'schema-json'),
      '--ours',
      ours,
      '--scope',
      join(shared, 'design/protocol-scope.json'),
      '--section',
      section,
      '--details',
    ],
    { encoding: 'utf8' },
  );
  process.stdout.write(`--- wire-check coverage ${section} (reference ${bar.ref})\n${out}`);
  const m = /coverage: (\d+)\/(\d+) methods present .*?, (\d+)\/\d+ field-compatible/.exec(out);
  if (!m) problems.push(`coverage ${section}: could not read wire-check's summary`);
  else {
    const [present, total, clean] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (bar.min !== undefined && (present / total < bar.min || clean / total < bar.min))
      problems.push(`coverage ${section}: ${present}/${total} present, ${clean} field-compatible is below ${bar.min * 100}%`);
    if (bar.minClean !== undefined && clean < bar.minClean) problems.push(`coverage ${section}: ${clean} field-compatible, expected at least ${bar.minClean}`);
  }
}

// 2. scenarios
const server = `${process.execPath} ${join(root, 'dist/gatehouse.mjs')} app-server`;
const scenarioDir = join(shared, 'conformance/scenarios');
const seen = new Set();
for (const section of ['v2', 'v1']) {
  for (const file of readdirSync(join(scenarioDir, section))
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const key = `${section}/${basename(file, '.json')}`;
    seen.add(key);
    const args = [
      join(shared, 'conformance/run-scenario.mjs'),
      '--server',
      server,
      '--scenario',
      join(scenarioDir, section, file),
      '--quiet',
      '--out',
      join(ours, `${basename(file, '.json')}.jsonl`),
    ];
    if (section === 'v1') args.push('--config', join(shared, 'conformance/config/codex-0.80.json'));
    const run = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 180_000 });
    const passed = run.status === 0;
    const want = expected[key];
    const summary = (
      run.stdout
        .split('\n')
        .filter((l) => /^(PASS|FAIL)/.test(l))
        .pop() ??
      run.stderr.trim().split('\n').pop() ??
      ''
    ).slice(0, 200);
    let verdict;
    if (want === undefined) verdict = 'UNLISTED';
    else if (want === 'pass') verdict = passed ? 'ok (pass)' : 'REGRESSION';
    else verdict = passed ? 'NOW PASSES' : 'ok (known failure)';
    console.log(`${verdict.padEnd(20)} ${key.padEnd(28)} ${summary}`);
    if (verdict === 'UNLISTED') problems.push(`${key} is not listed in test/conformance/expected.json`);
    if (verdict === 'REGRESSION') problems.push(`${key} is expected to pass but failed:\n${run.stdout.slice(-3000)}`);
    if (verdict === 'NOW PASSES') problems.push(`${key} passes now: change it to "pass" in test/conformance/expected.json`);
    // Every message of a passing run is valid under its reference's schema (v1: codex/event/* included).
    if (passed) {
      const traffic = spawnSync(
        process.execPath,
        [
          join(shared, 'tools/wire-check.mjs'),
          'traffic',
          '--ref',
          join(refDir, BARS[section].ref, 'schema-json'),
          join(ours, `${basename(file, '.json')}.jsonl`),
        ],
        { encoding: 'utf8' },
      );
      const line = traffic.stdout.trim().split('\n').pop() ?? '';
      console.log(`${''.padEnd(20)} ${''.padEnd(28)} ${line}`);
      if (traffic.status !== 0 || /INVALID/.test(traffic.stdout))
        problems.push(`${key}: wire-check traffic found invalid messages:\n${traffic.stdout.slice(-3000)}`);
    }
  }
}
for (const key of Object.keys(expected)) if (!key.startsWith('_') && !seen.has(key)) problems.push(`${key} is listed but no such scenario exists`);

if (problems.length) {
  console.error(`\nconformance: ${problems.length} problem(s)\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log('\nconformance: every scenario as expected');
