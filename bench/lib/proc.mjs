// A server under test as a child process: spawned directly (no shell, no npm), so that its pid
// is the server itself and /proc/<pid>/status measures the server; in its own process group so
// that stopping it also stops anything it started. stdout is split into lines (`onLine(text, t)`
// with t = performance.now() when the chunk arrived), stderr is drained and its tail kept for
// error messages. Every live server is registered so a timeout or a signal can kill them all.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

const live = new Set();

/** Splits a command string into argv like a shell would for plain words and '…' / "…" quotes. */
export function splitCommand(cmd) {
  const argv = [];
  let cur = null;
  let quote = null;
  for (let i = 0; i < cmd.length; i++) {
    const ch = cmd[i];
    if (quote) {
      if (ch === quote) quote = null;
      else if (ch === '\\' && quote === '"' && i + 1 < cmd.length) cur += cmd[++i];
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      cur ??= '';
    } else if (ch === '\\' && i + 1 < cmd.length) {
      cur = (cur ?? '') + cmd[++i];
    } else if (/\s/.test(ch)) {
      if (cur !== null) argv.push(cur);
      cur = null;
    } else {
      cur = (cur ?? '') + ch;
    }
  }
  if (quote) throw new Error(`unterminated quote in command: ${cmd}`);
  if (cur !== null) argv.push(cur);
  if (!argv.length) throw new Error('empty command');
  return argv;
}

export function startServer({ argv, env, cwd }) {
  const spawnedAt = performance.now();
  const child = spawn(argv[0], argv.slice(1), { env, cwd, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  const srv = {
    child,
    pid: child.pid,
    spawnedAt,
    exitInfo: null, // { code, signal } or { error } once the process is gone
    onLine: () => {},
    stderr: '',
  };
  srv.exited = new Promise((resolve) => {
    child.once('error', (err) => {
      srv.exitInfo ??= { error: err.message };
      resolve(srv.exitInfo);
    });
    child.once('exit', (code, signal) => {
      srv.exitInfo ??= { code, signal };
      resolve(srv.exitInfo);
    });
  });
  child.stdin.on('error', () => {}); // EPIPE when the server is gone: reported through `exited`
  let buf = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    const t = performance.now();
    let from = buf.length;
    buf += chunk;
    let nl;
    while ((nl = buf.indexOf('\n', from)) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      from = 0;
      if (line.trim()) srv.onLine(line, t);
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    srv.stderr = (srv.stderr + chunk).slice(-4096);
  });

  const killGroup = (sig) => {
    if (srv.pid === undefined) return;
    try {
      process.kill(-srv.pid, sig);
    } catch {
      /* group already gone */
    }
  };
  const waitExit = (ms) => (srv.exitInfo ? Promise.resolve(true) : Promise.race([srv.exited.then(() => true), sleep(ms).then(() => false)]));

  srv.write = (text) => child.stdin.writable && child.stdin.write(text);
  srv.killNow = () => killGroup('SIGKILL');
  /** Why the server is gone (or what it last said), on one line, for "unavailable (…)". */
  srv.describeExit = () => {
    const e = srv.exitInfo;
    const how = !e ? 'still running' : e.error ? `spawn failed: ${e.error}` : `exited (${e.signal ?? `code ${e.code}`})`;
    const tail = srv.stderr.trim().split('\n').slice(-2).join(' | ').replace(/\s+/g, ' ').slice(-240);
    return tail ? `${how}; stderr: ${tail}` : how;
  };
  /** Graceful stop: close stdin (stdio servers exit on EOF) or SIGTERM, then SIGKILL, bounded. */
  srv.stop = async ({ via = 'stdin', graceMs = 2000 } = {}) => {
    if (via === 'stdin') child.stdin.end();
    else killGroup('SIGTERM');
    if (!(await waitExit(graceMs))) {
      killGroup('SIGTERM');
      if (!(await waitExit(graceMs))) {
        killGroup('SIGKILL');
        await waitExit(graceMs);
      }
    }
    killGroup('SIGKILL'); // anything the server left behind in its group
    live.delete(srv);
    return srv.exitInfo;
  };

  if (srv.pid !== undefined) live.add(srv);
  srv.exited.then(() => {
    if (srv.exitInfo?.error) live.delete(srv);
  });
  return srv;
}

/** Synchronous last resort (timeout, signal, exit): SIGKILL every server group still alive. */
export function killAll() {
  for (const srv of live) srv.killNow();
  live.clear();
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Rejects after `ms` with `what` timed out; the timer does not keep the process alive. */
export function deadline(ms, what) {
  let timer;
  const p = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  p.cancel = () => clearTimeout(timer);
  p.catch(() => {});
  return p;
}
