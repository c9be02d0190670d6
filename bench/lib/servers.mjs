// The commands compared: ours (default `<repo>/dist/gatehouse.mjs app-server`, the program as
// npm's bin link runs it: its launcher line execs node in place, so its pid is the server) and a
// reference (default `$REF_DIR/<version>/bin/codex app-server`, the native binary, installed through
// ../shared/tools/reference.sh when absent): REF_VERSION (0.169.0) for the v2 cases, REF_V1_VERSION
// (0.80.0, the last with the legacy v1 conversation API) for the cases marked `v1`. Each may be
// overridden with a command string.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { splitCommand } from './proc.mjs';

export const REF_VERSION = '0.169.0';
export const REF_V1_VERSION = '0.80.0';
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const refDir = () => process.env.REF_DIR || join(homedir(), '.cache/app-server-reference');
const referenceScript = () => resolve(repoRoot, '../shared/tools/reference.sh');

/** { key, name, argv, display, unavailable } — unavailable is null or the reason. */
export function oursSide(cmd) {
  if (cmd) return side('ours', splitCommand(cmd), null);
  const cli = join(repoRoot, 'dist/gatehouse.mjs');
  const reason = existsSync(cli) ? null : `${cli} not found (run npm run build)`;
  return side('ours', [cli, 'app-server'], reason, `${cli} app-server`);
}

export function refSide(cmd, log, version = REF_VERSION) {
  if (cmd) return side('ref', splitCommand(cmd), null);
  const bin = join(refDir(), version, 'bin/codex');
  let reason = null;
  if (!existsSync(bin)) {
    const script = referenceScript();
    if (!existsSync(script)) reason = `${bin} not installed and ${script} not found`;
    else {
      log(`installing the reference codex ${version} with ${script} …`);
      const r = spawnSync('bash', [script, version], { stdio: ['ignore', 2, 2], timeout: 10 * 60_000 });
      if (r.status !== 0 || !existsSync(bin)) reason = `reference.sh failed (${r.error?.message ?? `status ${r.status}`})`;
    }
  }
  return side('ref', [bin, 'app-server'], reason);
}

function side(key, argv, unavailable, display = argv.join(' ')) {
  return { key, name: key === 'ours' ? 'ours' : 'reference', argv, display, unavailable };
}
