// Fills a home with N stored threads for listing benchmarks: copies of a rollout 0.169.0 wrote
// (server/core/store/fixtures), each with its own UUIDv7 id and creation time an hour apart, in the
// sessions/YYYY/MM/DD layout both servers scan. Both list them identically (same pages, same cursors).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { v7 } from 'uuid';

const FIXTURE = fileURLToPath(new URL('../../server/core/store/fixtures/rollout-0.169.0.jsonl', import.meta.url));

export function writeStoredThreads(home, n, start = Date.parse('2026-10-01T00:00:00Z')) {
  const lines = readFileSync(FIXTURE, 'utf8').trim().split('\n');
  const meta = JSON.parse(lines[0]).payload;
  const p = (x) => String(x).padStart(2, '0');
  for (let i = 0; i < n; i++) {
    const t = new Date(start + i * 3_600_000);
    const id = v7({ msecs: t.getTime() });
    const dir = join(home, 'sessions', String(t.getFullYear()), p(t.getMonth() + 1), p(t.getDate()));
    mkdirSync(dir, { recursive: true });
    const stamp = `${t.getFullYear()}-${p(t.getMonth() + 1)}-${p(t.getDate())}T${p(t.getHours())}-${p(t.getMinutes())}-${p(t.getSeconds())}`;
    const text = lines.join('\n').replaceAll(meta.id, id).replace(`"timestamp":"${meta.timestamp}"`, `"timestamp":"${t.toISOString()}"`);
    writeFileSync(join(dir, `rollout-${stamp}-${id}.jsonl`), `${text}\n`);
  }
}
