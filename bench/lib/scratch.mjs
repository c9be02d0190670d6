// Fresh, empty homes. Every server start gets a new folder <root>/<label>-<n>/ holding home/
// (CODEX_HOME and GATEHOUSE_HOME; it contains only config.toml) and tmp/ (TMPDIR). TMPDIR must
// not contain the home: codex 0.169 refuses to create its sandbox helper aliases under the temp
// dir. A reused home would flatter the reference (it answers initialize in about half the time
// once its home is populated: sqlite state, installed system skills), so nothing is reused.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Mirrors ../shared/conformance/config/default.json. The provider points at a loopback port
// where nothing listens (no model call is made); the features / analytics / otel lines stop the
// reference's background traffic (plugin sync, metrics) at start-up.
export const CONFIG_TOML = `model = "gpt-5.5"
model_provider = "mock"
approval_policy = "never"
sandbox_mode = "read-only"
check_for_update_on_startup = false

[features]
plugins = false
remote_plugin = false
apps = false
in_app_updates = false

[analytics]
enabled = false

[otel]
metrics_exporter = "none"

[model_providers.mock]
name = "bench (unreachable)"
base_url = "http://127.0.0.1:9/v1"
wire_api = "responses"
request_max_retries = 0
stream_max_retries = 0
`;

export function makeScratch() {
  const root = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
  let n = 0;
  return {
    root,
    /** A new {dir, home, tmp, env}; dispose() removes it. */
    fresh(label) {
      const dir = join(root, `${label}-${++n}`);
      const home = join(dir, 'home');
      const tmp = join(dir, 'tmp');
      mkdirSync(home, { recursive: true });
      mkdirSync(tmp);
      writeFileSync(join(home, 'config.toml'), CONFIG_TOML);
      const env = { ...process.env, CODEX_HOME: home, GATEHOUSE_HOME: home, TMPDIR: tmp };
      return { dir, home, tmp, env, dispose: () => rmSync(dir, { recursive: true, force: true }) };
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
