// PTY sessions under real bubblewrap: the controlling terminal, resize → SIGWINCH, stdin, the
// seccomp/status fds passed through the trampoline, and tree kill. Waits are bounded polls on output,
// never timing assertions.
import { existsSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { selectLauncher } from "./launcher.js";
import type { SandboxPolicy } from "./sandboxPolicy.js";
import { PTY_TRAMPOLINE, createPtySpawner } from "./pty.js";
import { startExec, type ExecHandle } from "./spawn.js";
import { livePidsWith } from "../../test/helpers/processes.js";

const hasBwrap = existsSync("/usr/bin/bwrap");
const python = ["/usr/bin/python3", "/usr/local/bin/python3"].find((p) => existsSync(p));
const work = realpathSync(mkdtempSync(join(tmpdir(), "gh-pty-")));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const READ_ONLY: SandboxPolicy = { type: "readOnly" };
const env = { PATH: "/usr/bin:/bin", HOME: work, LANG: "C" };

async function run(script: string, policy: SandboxPolicy = READ_ONLY, size = { cols: 90, rows: 30 }) {
  const req = await selectLauncher().transform(["/bin/sh", "-c", script], policy, work, { tty: true, env });
  let out = "";
  const handle = startExec(req, {
    spawner: createPtySpawner(size),
    stdin: "pipe",
    timeoutMs: 20_000,
    onStdout: (d) => {
      out += d.toString("utf8");
    },
  });
  const until = async (text: string): Promise<void> => {
    for (let i = 0; i < 1000 && !out.includes(text); i++) await new Promise((r) => setTimeout(r, 10));
    if (!out.includes(text)) throw new Error(`no ${JSON.stringify(text)} in ${JSON.stringify(out)}`);
  };
  return { req, handle, output: () => out, until };
}

describe("PTY trampoline", () => {
  it("is constant shell text: paths and argv arrive only as positional parameters", () => {
    expect(PTY_TRAMPOLINE).not.toMatch(/\/proc|\/dev\/null|bwrap/);
    expect(PTY_TRAMPOLINE).toContain('exec "$@"');
  });
});

describe.runIf(hasBwrap)("PTY sessions under bubblewrap", () => {
  it("gives the command a controlling terminal: /dev/tty works, stdin is a tty, the size is the requested one", async () => {
    const s = await run("test -t 0 && echo stdin-is-tty; echo via-dev-tty > /dev/tty; stty size");
    expect(s.req.sandbox).toBe("bwrap");
    const r = await s.handle.result;
    expect(r.exitCode).toBe(0);
    expect(s.output()).toContain("stdin-is-tty");
    // Fails without a controlling terminal (e.g. with --new-session): "/dev/tty: No such device or address".
    expect(s.output()).toContain("via-dev-tty");
    expect(s.output()).toContain("30 90");
  });

  it("delivers a resize to the command as SIGWINCH", async () => {
    const s = await run("trap 'stty size; exit 0' WINCH; echo ready; while :; do sleep 0.05; done");
    await s.until("ready");
    s.handle.resize(33, 11);
    const r = await s.handle.result;
    expect(s.output()).toContain("11 33");
    expect(r.exitCode).toBe(0);
  });

  it("writes reach the command's stdin and the exit code comes through bwrap's status fd", async () => {
    const s = await run("echo ready; read x; echo got:$x; exit 7");
    await s.until("ready");
    s.handle.write("hello\n");
    const r = await s.handle.result;
    expect(s.output()).toContain("got:hello");
    expect(r.exitCode).toBe(7);
    expect(r.sandboxSetupFailed).toBe(false);
  });

  it("passes only the terminal into the sandbox: no seccomp/status fd leaks, the seccomp filter is on", async () => {
    const s = await run("ls /proc/self/fd | tr '\\n' ' '; echo; grep Seccomp: /proc/self/status");
    await s.handle.result;
    expect(s.output()).toMatch(/^0 1 2 3 \r?$/m); // 3 is ls's own directory handle
    expect(s.output()).toMatch(/Seccomp:\s+2/);
  });

  it.runIf(python !== undefined)("blocks TIOCSTI (no --new-session on PTY runs, the ioctl filter stands in)", async () => {
    const s = await run(
      `${python} -c "import fcntl,termios
try:
  fcntl.ioctl(0, termios.TIOCSTI, b'x'); print('TIOCSTI-succeeded')
except OSError as e: print('TIOCSTI-refused', e.errno)"`,
    );
    await s.handle.result;
    expect(s.output()).toContain("TIOCSTI-refused 1");
  });

  it("terminate kills the whole tree, background children included", async () => {
    const marker = `98${process.pid}7`;
    const s = await run(`sleep ${marker} & sleep ${marker}1 & echo started; wait`);
    await s.until("started");
    for (let i = 0; i < 200 && livePidsWith(marker).length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(livePidsWith(marker).length).toBeGreaterThanOrEqual(2);
    s.handle.terminate();
    const r: Awaited<ExecHandle["result"]> = await s.handle.result;
    expect(r.aborted).toBe(true);
    expect(livePidsWith(marker)).toEqual([]);
  });

  it("runs unwrapped policies on a PTY too", async () => {
    const s = await run("test -t 1 && echo tty-ok", { type: "dangerFullAccess" });
    expect(s.req.sandbox).toBe("none");
    expect((await s.handle.result).exitCode).toBe(0);
    expect(s.output()).toContain("tty-ok");
  });

  it("reports a missing program like a shell would (127)", async () => {
    const req = await selectLauncher().transform(["/nonexistent/prog"], READ_ONLY, work, { tty: true, env });
    const r = await startExec(req, { spawner: createPtySpawner(), stdin: "pipe" }).result;
    expect(r.exitCode).toBe(127);
  });
});
