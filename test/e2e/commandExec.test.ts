// command/exec end to end: the built daemon over stdio, real bubblewrap, real processes. Every wait is
// bounded; nothing asserts a duration. The traffic of the main scenario is validated against the
// reference schema with ../shared/tools/wire-check.mjs.
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startDaemon, type Json, type RawDaemon } from "../helpers/daemon.js";
import { REF_DIR } from "../helpers/globalSetup.js";
import { asResponse, errorOf, isNotification, ok, type Params } from "../helpers/protocol.js";
import { livePidsWith } from "../helpers/processes.js";
import { wireCheckTraffic } from "../helpers/wireCheck.js";

const REF_SCHEMA = join(REF_DIR, "0.169.0/schema-json");
const hasBwrap = existsSync("/usr/bin/bwrap");

let daemon: RawDaemon | undefined;
let sent: Json[] = [];
afterEach(async () => {
  await daemon?.stop();
  daemon = undefined;
});

/** A daemon whose sent messages are recorded for the transcript. */
async function start(config?: string, env?: NodeJS.ProcessEnv): Promise<{ d: RawDaemon; cwd: string }> {
  const d = startDaemon({ ...(config === undefined ? {} : { config }), ...(env ? { env } : {}) });
  sent = [];
  const raw = d.sendJson.bind(d);
  d.sendJson = (msg) => {
    sent.push(msg);
    raw(msg);
  };
  daemon = d;
  await d.initialize();
  const cwd = realpathSync(mkdtempSync(join(d.home.base, "cwd-")));
  return { d, cwd };
}

const isDelta = isNotification("command/exec/outputDelta");

function deltas(d: RawDaemon, processId: string): { stream: string; text: string; capReached: boolean; index: number }[] {
  const out: { stream: string; text: string; capReached: boolean; index: number }[] = [];
  d.messages.forEach((m, index) => {
    if (!isDelta(m)) return;
    const p = m.params;
    if (p.processId === processId) out.push({ stream: p.stream, text: Buffer.from(p.deltaBase64, "base64").toString("utf8"), capReached: p.capReached, index });
  });
  return out;
}

const streamText = (d: RawDaemon, processId: string, stream?: string): string =>
  deltas(d, processId)
    .filter((x) => stream === undefined || x.stream === stream)
    .map((x) => x.text)
    .join("");

async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  for (let waited = 0; !cond(); waited += 20) {
    if (waited > ms) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function transcriptFile(d: RawDaemon): string {
  const file = join(d.home.base, "transcript.jsonl");
  const lines = [...sent.map((msg) => ({ dir: "in", msg })), ...d.messages.map((msg) => ({ dir: "out", msg }))];
  writeFileSync(file, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
  return file;
}

type SandboxPolicy = Params<"command/exec">["sandboxPolicy"];
const READ_ONLY: SandboxPolicy = { type: "readOnly", networkAccess: false };
const WORKSPACE: SandboxPolicy = { type: "workspaceWrite", writableRoots: [], networkAccess: false, excludeTmpdirEnvVar: true, excludeSlashTmp: true };

describe.runIf(hasBwrap)("command/exec (real daemon, real bubblewrap)", () => {
  it("buffers output and exit codes, explains a denied write, and the traffic matches the reference schema", async () => {
    const { d, cwd } = await start();
    const first = await d.request("command/exec", { command: ["/bin/sh", "-c", "echo out-line; echo err-line >&2"], cwd, sandboxPolicy: READ_ONLY });
    expect(ok(first)).toEqual({ exitCode: 0, stdout: "out-line\n", stderr: "err-line\n" });

    expect(ok(await d.request("command/exec", { command: ["/bin/sh", "-c", "exit 7"], cwd, sandboxPolicy: READ_ONLY })).exitCode).toBe(7);

    const denied = ok(await d.request("command/exec", { command: ["/bin/sh", "-c", "echo nope > ro.txt"], cwd, sandboxPolicy: READ_ONLY }));
    expect(denied.exitCode).not.toBe(0);
    expect(denied.stderr).toContain("Read-only file system");
    // Our addition: which path, and why (the reference says nothing beyond the shell's error).
    expect(denied.stderr).toContain(`sandbox: write to ${cwd}/ro.txt denied (outside the writable roots of read-only)`);
    expect(existsSync(join(cwd, "ro.txt"))).toBe(false);

    const rw = ok(await d.request("command/exec", { command: ["/bin/sh", "-c", "echo yes > rw.txt && cat rw.txt"], cwd, sandboxPolicy: WORKSPACE }));
    expect(rw).toEqual({ exitCode: 0, stdout: "yes\n", stderr: "" });
    expect(readFileSync(join(cwd, "rw.txt"), "utf8")).toBe("yes\n");

    const missing = ok(await d.request("command/exec", { command: ["/nonexistent/prog"], cwd, sandboxPolicy: READ_ONLY }));
    expect(missing.exitCode).toBe(127);

    // Without sandboxPolicy the configured default (read-only) applies.
    const dflt = ok(await d.request("command/exec", { command: ["/bin/sh", "-c", "echo $CODEX_SANDBOX_NETWORK_DISABLED; touch x"], cwd }));
    expect(dflt.stdout).toBe("1\n");
    expect(dflt.stderr).toContain("Read-only file system");

    const check = wireCheckTraffic(REF_SCHEMA, transcriptFile(d));
    expect(check.stdout).toMatch(/response command\/exec: 6 valid, 0 invalid/);
    expect(check.stdout).not.toMatch(/[1-9]\d* invalid/);
    expect(check.status).toBe(0);
  });

  it("keeps the start-up sandbox for command/exec after a config write, as 0.169; a new thread gets the written one", async () => {
    const { d, cwd } = await start();
    const write = await d.request("config/value/write", { keyPath: "sandbox_mode", value: "danger-full-access", mergeStrategy: "replace" });
    expect(ok(write).status).toBe("ok");
    const after = ok(await d.request("command/exec", { command: ["/bin/sh", "-c", "touch escaped && echo wrote"], cwd }));
    expect(after.exitCode).not.toBe(0);
    expect(after.stderr).toContain("Read-only file system");
    expect(existsSync(join(cwd, "escaped"))).toBe(false);
    const thread = ok(await d.request("thread/start", { cwd }));
    expect(thread.sandbox).toEqual({ type: "dangerFullAccess" });
  });

  it("streams output as deltas before the response, caps each stream, and reports the cap", async () => {
    const { d, cwd } = await start();
    const r = await d.request("command/exec", {
      command: ["/bin/sh", "-c", "echo o1; echo e1 >&2; head -c 300 /dev/zero | tr '\\0' a"],
      cwd,
      processId: "s1",
      streamStdoutStderr: true,
      outputBytesCap: 100,
      sandboxPolicy: READ_ONLY,
    });
    expect(ok(r)).toEqual({ exitCode: 0, stdout: "", stderr: "" });
    const responseIndex = d.messages.indexOf(r);
    const all = deltas(d, "s1");
    expect(all.every((x) => x.index < responseIndex)).toBe(true);
    expect(streamText(d, "s1", "stderr")).toBe("e1\n");
    const out = streamText(d, "s1", "stdout");
    expect(out).toHaveLength(100);
    expect(out.startsWith("o1\naaa")).toBe(true);
    expect(all.filter((x) => x.stream === "stdout").at(-1)?.capReached).toBe(true);
    expect(all.filter((x) => x.stream === "stderr").every((x) => !x.capReached)).toBe(true);

    // Buffered with a cap: head and tail kept, the omission said in the text.
    const b = ok(
      await d.request("command/exec", { command: ["/bin/sh", "-c", "head -c 300 /dev/zero | tr '\\0' b"], cwd, outputBytesCap: 100, sandboxPolicy: READ_ONLY }),
    );
    expect(b.stdout).toContain("bytes omitted");
  });

  it("kills the whole tree on timeout and answers 124 with a note", async () => {
    const { d, cwd } = await start();
    const marker = `7${process.pid}31`;
    const r = ok(
      await d.request("command/exec", {
        command: ["/bin/sh", "-c", `sleep ${marker} & sleep ${marker}2 & wait`],
        cwd,
        timeoutMs: 500,
        sandboxPolicy: READ_ONLY,
      }),
    );
    expect(r.exitCode).toBe(124);
    expect(r.stderr).toContain("command timed out after 500 ms");
    expect(livePidsWith(marker)).toEqual([]);
  });

  it("writes to stdin, terminates a session and its tree, and forgets the id afterwards", async () => {
    const { d, cwd } = await start();
    const marker = `8${process.pid}42`;
    d.sendJson({
      id: "t",
      method: "command/exec",
      params: {
        command: ["/bin/sh", "-c", `echo ready; read line; echo got:$line; sleep ${marker} & wait`],
        cwd,
        processId: "t1",
        streamStdin: true,
        streamStdoutStderr: true,
        disableTimeout: true,
        sandboxPolicy: READ_ONLY,
      },
    });
    await until(() => streamText(d, "t1").includes("ready"), "the session");
    expect(ok(await d.request("command/exec/write", { processId: "t1", deltaBase64: Buffer.from("hello\n").toString("base64") }))).toEqual({});
    await until(() => streamText(d, "t1").includes("got:hello"), "echo of stdin");
    await until(() => livePidsWith(marker, { program: "sleep" }).length > 0, "the background sleep");
    expect(ok(await d.request("command/exec/terminate", { processId: "t1" }))).toEqual({});
    const done = asResponse("command/exec", await d.response("t"));
    expect(ok(done).exitCode).toBeGreaterThan(128);
    expect(livePidsWith(marker)).toEqual([]);
    expect(errorOf(await d.request("command/exec/write", { processId: "t1", closeStdin: true }))).toEqual({
      code: -32600,
      message: 'no active command/exec for process id "t1"',
    });
  });

  it("answers bad requests like 0.169, with clearer messages", async () => {
    const { d, cwd } = await start();
    expect(errorOf(await d.request("command/exec", { command: ["/bin/cat"], tty: true }))).toEqual({
      code: -32600,
      message: "command/exec tty or streaming requires a client-supplied processId",
    });
    expect(errorOf(await d.request("command/exec", { command: [] })).message).toBe("command must not be empty");
    expect(errorOf(await d.request("command/exec", { command: ["/bin/true"], size: { rows: 5, cols: 5 } })).code).toBe(-32602);
    expect(errorOf(await d.request("command/exec/terminate", { processId: "nope" }))).toEqual({
      code: -32600,
      message: 'no active command/exec for process id "nope"',
    });
    expect(errorOf(await d.request("command/exec", { command: ["/bin/true"], cwd: "relative/dir" })).message).toContain("absolute path");
    expect(
      errorOf(await d.request("command/exec", { command: ["/bin/true"], sandboxPolicy: { type: "workspaceWrite", writableRoots: ["rel"] } })),
    ).toMatchObject({
      code: -32600,
      message: expect.stringContaining('"rel" is not an absolute path'),
    });

    d.sendJson({
      id: "long",
      method: "command/exec",
      params: { command: ["/bin/sh", "-c", "echo started; sleep 30"], cwd, processId: "dup", streamStdoutStderr: true, sandboxPolicy: READ_ONLY },
    });
    await until(() => streamText(d, "dup").includes("started"), "the long command");
    const dup = errorOf(await d.request("command/exec", { command: ["/bin/true"], cwd, processId: "dup" }));
    expect(dup).toEqual({ code: -32600, message: 'duplicate active command/exec process id: "dup"' });
    const w = errorOf(await d.request("command/exec/write", { processId: "dup", deltaBase64: "aGkK" }));
    expect(w.code).toBe(-32600);
    expect(w.message).toMatch(/^stdin streaming is not enabled for this command\/exec .*streamStdin/);
    const rs = errorOf(await d.request("command/exec/resize", { processId: "dup", size: { rows: 10, cols: 20 } }));
    expect(rs.message).toMatch(/^failed to resize PTY: process is not attached to a PTY .*tty: true/);
    await d.request("command/exec/terminate", { processId: "dup" });
    await d.response("long");
  });

  it("refuses, with reason and remedy, what the sandbox cannot enforce, and warns once", async () => {
    const { d, cwd } = await start();
    mkdirSync(join(cwd, "decoy"));
    symlinkSync("decoy", join(cwd, ".codex"));
    const first = errorOf(await d.request("command/exec", { command: ["/bin/true"], cwd, sandboxPolicy: WORKSPACE }));
    expect(first.code).toBe(-32603);
    expect(first.message).toMatch(/^sandbox unavailable: /);
    expect(first.data).toMatchObject({
      sandboxUnavailable: { code: "unenforceable-path", reason: expect.stringContaining(".codex"), remedy: expect.stringMatching(/./) },
    });
    await d.request("command/exec", { command: ["/bin/true"], cwd, sandboxPolicy: WORKSPACE });
    expect(d.messages.filter(isNotification("warning"))).toHaveLength(1);
    expect(existsSync(join(cwd, "decoy", "config.toml"))).toBe(false);
  });

  it("builds the environment from shell_environment_policy plus the request's overrides", async () => {
    const { d, cwd } = await start(`[shell_environment_policy]\nexclude = ["GH_E2E_DROP*"]\nset = { GH_E2E_SET = "from-config" }\n`, {
      GH_E2E_DROP_ME: "x",
      GH_E2E_KEEP: "kept",
      GH_E2E_UNSET: "y",
      // Secrets by name are dropped by default, unlike 0.169.
      GH_E2E_API_KEY: "k",
      GH_E2E_SECRET: "s",
      gh_e2e_token: "t",
    });
    const r = ok(
      await d.request("command/exec", {
        command: [
          "/bin/sh",
          "-c",
          'echo "$GH_E2E_DROP_ME|$GH_E2E_KEEP|$GH_E2E_SET|$GH_E2E_REQ|${GH_E2E_UNSET-unset}|$GH_E2E_API_KEY$GH_E2E_SECRET$gh_e2e_token"',
        ],
        cwd,
        env: { GH_E2E_REQ: "req", GH_E2E_UNSET: null },
        sandboxPolicy: READ_ONLY,
      }),
    );
    expect(r.stdout).toBe("|kept|from-config|req|unset|\n");
  });

  it("runs tty sessions on a PTY: /dev/tty, resize as SIGWINCH, stdin", async () => {
    const { d, cwd } = await start();
    d.sendJson({
      id: "pty",
      method: "command/exec",
      params: {
        command: [
          "/bin/sh",
          "-c",
          "echo via-tty > /dev/tty; stty size; trap 'stty size; echo resized' WINCH; echo ready; until read x; do :; done; echo got:$x",
        ],
        cwd,
        processId: "p1",
        tty: true,
        size: { rows: 30, cols: 90 },
        sandboxPolicy: READ_ONLY,
      },
    });
    await until(() => streamText(d, "p1").includes("ready"), "ready");
    expect(ok(await d.request("command/exec/resize", { processId: "p1", size: { rows: 11, cols: 33 } }))).toEqual({});
    await until(() => streamText(d, "p1").includes("resized"), "the WINCH trap");
    await d.request("command/exec/write", { processId: "p1", deltaBase64: Buffer.from("hello\n").toString("base64") });
    const r = asResponse("command/exec", await d.response("pty"));
    expect(ok(r)).toEqual({ exitCode: 0, stdout: "", stderr: "" });
    const text = streamText(d, "p1");
    expect(text).toContain("via-tty");
    expect(text).toContain("30 90");
    expect(text).toContain("11 33");
    expect(text).toContain("got:hello");
    expect(deltas(d, "p1").every((x) => x.stream === "stdout")).toBe(true);
  });
});

describe.runIf(hasBwrap)("command/exec when the daemon shuts down", () => {
  it("kills every session of the connection, whole tree", async () => {
    const { d, cwd } = await start();
    const marker = `9${process.pid}53`;
    d.sendJson({
      id: "a",
      method: "command/exec",
      params: { command: ["/bin/sh", "-c", `sleep ${marker} & wait`], cwd, processId: "a", disableTimeout: true, sandboxPolicy: READ_ONLY },
    });
    d.sendJson({
      id: "b",
      method: "command/exec",
      params: {
        command: ["/bin/sh", "-c", `sleep ${marker}1`],
        cwd,
        processId: "b",
        tty: true,
        disableTimeout: true,
        sandboxPolicy: { type: "dangerFullAccess" },
      },
    });
    // The sleeps themselves (bwrap's argv names the marker too, before the command runs).
    await until(() => livePidsWith(marker, { program: "sleep" }).length >= 2, "both commands");
    // Not stdin's end: a stdio connection whose input ends first answers what it already read, for up
    // to 30 s, and these requests never end, so stop() would have to kill the daemon (and the test
    // would prove only that a killed daemon's children die). SIGTERM is the daemon's own shutdown.
    await d.stop({ signal: "SIGTERM" });
    daemon = undefined;
    await until(() => livePidsWith(marker).length === 0, "no survivors");
    expect(livePidsWith(marker)).toEqual([]);
  });
});
