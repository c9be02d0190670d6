#!/usr/bin/env node
// Measures what deploy/kubernetes/README.md bases the pod's resource requests and limits on:
// the daemon's memory (VmRSS, VmHWM) and CPU time, and the resident memory of its whole process
// tree (what a container's memory cgroup counts), idle and under turns.
//
// It runs the daemon as the image does (dist/gatehouse.mjs executed as a program, so its launcher
// line's memory settings apply) on a WebSocket listener on loopback, with the offline `demo` model
// provider (a loopback Responses server inside the daemon: a new thread's first turn runs `ls` in the
// bubblewrap sandbox, later turns answer with text), approval `never`, sandbox `workspace-write`.
//
// Needs `npm run build` first. Usage: node deploy/kubernetes/measure.mjs [THREADS] [TURNS_PER_THREAD]
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { connectWebSocket } from "../../dist/client.mjs";

const THREADS = Number(process.argv[2] ?? 10);
const TURNS = Number(process.argv[3] ?? 3);
const daemon = fileURLToPath(new URL("../../dist/gatehouse.mjs", import.meta.url));

const root = mkdtempSync(join(tmpdir(), "gatehouse-measure-"));
const home = join(root, "home");
const tmp = join(root, "tmp");
mkdirSync(home);
mkdirSync(tmp);
writeFileSync(join(home, "config.toml"), 'model_provider = "demo"\napproval_policy = "never"\nsandbox_mode = "workspace-write"\n');

const statusKb = (pid, field) => {
  try {
    const m = readFileSync(`/proc/${pid}/status`, "utf8").match(new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, "m"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
};
const cpuMs = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(f[11]) + Number(f[12])) * 10; // utime + stime, USER_HZ = 100
};
/** The pids of pid's descendants, from /proc/<p>/task/<p>/children. */
function descendants(pid) {
  const out = [];
  const walk = (p) => {
    let kids = [];
    try {
      kids = readFileSync(`/proc/${p}/task/${p}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return;
    }
    for (const k of kids) {
      out.push(k);
      walk(k);
    }
  };
  walk(pid);
  return out;
}
/** Memory mapped by this process alone (Private_Clean + Private_Dirty): a child's pages that no other
 * process maps, so not the pages it shares with the daemon, such as Node's binary. */
const privateKb = (pid) => {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
    return [...text.matchAll(/^Private_(?:Clean|Dirty):\s+(\d+) kB/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
  } catch {
    return 0;
  }
};
/** The tree's memory about as a memory cgroup counts it: the daemon's RSS plus each descendant's
 * private memory. */
const treeKb = (pid) => statusKb(pid, "VmRSS") + descendants(pid).reduce((sum, p) => sum + privateKb(p), 0);
const mib = (kb) => (kb / 1024).toFixed(1);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const child = spawn(daemon, ["app-server", "--listen", "ws://127.0.0.1:0", "--log-level", "info"], {
  env: { ...process.env, GATEHOUSE_HOME: home, TMPDIR: tmp },
  cwd: root,
  stdio: ["ignore", "ignore", "pipe"],
});
let stderr = "";
const url = await new Promise((resolve, reject) => {
  child.stderr.on("data", (d) => {
    stderr += d;
    const m = /"url":"(ws:\/\/[^"]+)"/.exec(stderr);
    if (m) resolve(m[1]);
  });
  child.once("exit", (code) => reject(new Error(`daemon exited (${code}): ${stderr}`)));
});

// Sample the process tree every 25 ms for its peak (the sandboxed commands and the daemon's
// warm-up forks are short-lived).
let treePeakKb = 0;
let maxProcs = 0;
const sampler = setInterval(() => {
  const pids = [child.pid, ...descendants(child.pid)];
  maxProcs = Math.max(maxProcs, pids.length);
  treePeakKb = Math.max(treePeakKb, statusKb(child.pid, "VmRSS") + pids.slice(1).reduce((sum, p) => sum + privateKb(p), 0));
}, 25);

const rows = [];
const row = (phase) => {
  rows.push({
    phase,
    "RSS MiB": mib(statusKb(child.pid, "VmRSS")),
    "VmHWM MiB": mib(statusKb(child.pid, "VmHWM")),
    "tree MiB": mib(treeKb(child.pid)),
    "CPU ms": cpuMs(child.pid),
  });
};

await sleep(2000);
row("started, idle 2 s");

const client = await connectWebSocket(url);
await client.initialize({ name: "gatehouse-measure", version: "1.0.0" });
row("initialize");

// turn/completed may arrive before turn/start's answer is read: keep both sides.
const finished = new Map();
const waiters = new Map();
let commands = 0;
client.onNotification("item/completed", (p) => {
  if (p.item.type !== "commandExecution") return;
  if (p.item.exitCode !== 0) throw new Error(`${p.item.command} exited ${p.item.exitCode}: ${p.item.aggregatedOutput}`);
  commands++;
});
client.onNotification("turn/completed", (p) => {
  const waiter = waiters.get(p.turn.id);
  if (waiter) waiter(p.turn);
  else finished.set(p.turn.id, p.turn);
});
async function turn(threadId, text) {
  const { turn: started } = await client.request("turn/start", { threadId, input: [{ type: "text", text }] });
  const t = finished.get(started.id) ?? (await new Promise((resolve) => waiters.set(started.id, resolve)));
  if (t.status !== "completed") throw new Error(`turn ${t.id} ended ${t.status}`);
}

const threads = [];
const t0 = performance.now();
for (let i = 0; i < THREADS; i++) {
  const ws = join(root, `ws-${i}`);
  mkdirSync(ws);
  writeFileSync(join(ws, "hello.txt"), "hello\n");
  const { thread } = await client.request("thread/start", { cwd: ws });
  threads.push(thread.id);
}
row(`${THREADS}× thread/start`);
// The first turn of every thread at once (each runs `ls` under bubblewrap), then TURNS more each.
await Promise.all(threads.map((id) => turn(id, "What is in this folder?")));
row(`${THREADS} first turns at once (ls in the sandbox)`);
for (let n = 0; n < TURNS; n++) await Promise.all(threads.map((id) => turn(id, `turn ${n}`)));
const elapsed = performance.now() - t0;
row(`+${TURNS} text turns on each thread`);
await sleep(10_000);
row("idle 10 s after the turns");
clearInterval(sampler);

await client.close();
child.kill("SIGTERM");
await new Promise((r) => child.once("exit", r));

const rollouts = readdirSync(join(home, "sessions"), { recursive: true, withFileTypes: true }).filter((f) => f.isFile() && f.name.endsWith(".jsonl"));
const rolloutKb = rollouts.reduce((sum, f) => sum + statSync(join(f.parentPath ?? f.path, f.name)).size, 0) / 1024;
const turns = THREADS * (TURNS + 1);
console.log(
  `node ${process.version}, ${THREADS} threads, ${turns} turns in ${(elapsed / 1000).toFixed(1)} s, ${commands} sandboxed commands (exit 0), ` +
    `${rollouts.length} rollouts of ${(rolloutKb / turns).toFixed(1)} KiB per turn`,
);
console.table(rows);
console.log(`peak RSS of the daemon (VmHWM): ${rows.at(-1)["VmHWM MiB"]} MiB`);
console.log(`peak of the process tree (the daemon's RSS + its descendants' private memory, sampled every 25 ms): ${mib(treePeakKb)} MiB`);
console.log(`most processes at once in the tree: ${maxProcs}`);
rmSync(root, { recursive: true, force: true });
