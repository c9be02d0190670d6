// Runner behaviour on unwrapped processes (the sandboxed paths are covered under real bubblewrap in
// test/sandbox). Uses only /bin/sh, /bin/bash (for `exec -a`) and coreutils.
import { describe, expect, it } from "vitest";
import type { ExecRequest } from "./launcherTypes.js";
import { killEveryProcessTree } from "./processTrees.js";
import { runExec, startExec } from "./spawn.js";
import { livePidsWith } from "../../test/helpers/processes.js";

function req(argv: string[], extra: Partial<ExecRequest> = {}): ExecRequest {
  return {
    argv,
    env: { PATH: "/usr/bin:/bin" },
    cwd: "/",
    extraFds: [],
    sandbox: "none",
    tty: false,
    warnings: [],
    denialContext: { sandboxed: false, policyLabel: "danger-full-access", cwd: "/", writableRoots: [], rules: [], networkIsolated: false },
    finalize: () => ({ denials: [] }),
    ...extra,
  };
}

/** Live pids whose argv[0] (or, with argv0 false, whole command line) contains `marker`. */
describe("runExec (unwrapped)", () => {
  it("passes argv verbatim without a shell and reports the exit code", async () => {
    const r = await runExec(req(["/bin/sh", "-c", 'printf "%s|" "$@"; exit 7', "sh", "a b", "$(id)", ";"]));
    expect(r.stdout).toBe("a b|$(id)|;|");
    expect(r.exitCode).toBe(7);
    expect(r.signal).toBeNull();
    expect(r.sandboxDenial).toBeUndefined();
  });

  it("maps a missing program to 127 and a signal death to 128+N", async () => {
    const missing = await runExec(req(["/definitely/not/here"]));
    expect(missing.exitCode).toBe(127);
    expect(missing.stderr).toContain("command not found");
    const killed = await runExec(req(["/bin/sh", "-c", "kill -9 $$"]));
    expect(killed).toMatchObject({ exitCode: 137, signal: "SIGKILL" });
  });

  it("streams output, caps what it keeps, and reports the cap", async () => {
    const chunks: Buffer[] = [];
    const r = await runExec(req(["/bin/sh", "-c", "head -c 100000 /dev/zero | tr '\\0' x; echo END"]), {
      outputCap: 1000,
      onStdout: (c) => chunks.push(c),
    });
    expect(Buffer.concat(chunks).length).toBe(100004);
    expect(r.truncated).toBe(true);
    expect(r.outputCap).toBe(1000);
    expect(r.omittedBytes.stdout).toBe(99004);
    expect(r.stdout.startsWith("x".repeat(500))).toBe(true);
    expect(r.stdout.endsWith("xxEND\n")).toBe(true);
  });

  it("feeds stdin and supports interactive writes", async () => {
    expect((await runExec(req(["/bin/cat"]), { stdin: "abc" })).stdout).toBe("abc");
    const h = startExec(req(["/bin/cat"]), { stdin: "pipe" });
    h.write("one ");
    h.write(Buffer.from("two"));
    h.closeStdin();
    expect((await h.result).stdout).toBe("one two");
  });

  it("timeout kills the whole process group, including TERM-ignoring and double-forked members", async () => {
    const marker = `gh-spawn-timeout-${process.pid}`;
    // A grandchild that ignores TERM, backgrounded twice (double fork, no setsid): still in the group.
    const script = `(trap '' TERM; (exec -a ${marker} sleep 1000) & wait) & (trap '' TERM; exec sleep 1000)`;
    const h = startExec(req(["/bin/bash", "-c", script]), { timeoutMs: 3000, killGraceMs: 200, drainMs: 100 });
    let started = false;
    for (let i = 0; i < 400 && !started; i++) {
      started = livePidsWith(marker, { argv0: true }).length > 0;
      if (!started) await new Promise((r) => setTimeout(r, 25));
    }
    expect(started).toBe(true);
    const r = await h.result;
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBeGreaterThan(128);
    expect(livePidsWith(marker)).toEqual([]);
  });

  it("abort terminates like a timeout and reports aborted", async () => {
    const ac = new AbortController();
    const h = startExec(req(["/bin/sleep", "1000"]), { signal: ac.signal, killGraceMs: 100 });
    ac.abort();
    const r = await h.result;
    expect(r).toMatchObject({ aborted: true, timedOut: false, signal: "SIGTERM", exitCode: 143 });
  });

  it("killEveryProcessTree (a shutdown out of time) SIGKILLs a running tree at once, without waiting for the kill grace", async () => {
    const marker = `gh-spawn-killall-${process.pid}`;
    const h = startExec(req(["/bin/bash", "-c", `trap '' TERM; exec -a ${marker} sleep 1000`]), { killGraceMs: 600_000, drainMs: 100 });
    for (let i = 0; i < 400 && livePidsWith(marker, { argv0: true }).length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(livePidsWith(marker, { argv0: true }).length).toBeGreaterThan(0);
    expect(killEveryProcessTree()).toBeGreaterThanOrEqual(1);
    const r = await h.result;
    expect(r).toMatchObject({ aborted: true, signal: "SIGKILL" });
    expect(livePidsWith(marker)).toEqual([]);
  });

  it("calls finalize exactly once and surfaces its denials", async () => {
    let calls = 0;
    const r = await runExec(
      req(["/bin/true"], {
        finalize: () => {
          calls++;
          return { denials: [{ kind: "protected-created", path: "/ws/.git", message: "sandbox: /ws/.git was created" }] };
        },
      }),
    );
    expect(calls).toBe(1);
    expect(r.postRunDenials).toHaveLength(1);
    expect(r.exitCode).toBe(1); // a run that planted a protected path does not count as success
  });
});
