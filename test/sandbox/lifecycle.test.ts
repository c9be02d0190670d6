// Process lifecycle, fd hygiene, environment, exit-code fidelity and fail-closed behaviour under REAL
// bubblewrap. Each comment names the attack, the protection and how the
// test was shown to fail with it removed.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildShellEnvironment } from "../../server/sandbox/env.js";
import { SandboxUnavailableError } from "../../server/sandbox/errors.js";
import { selectLauncher } from "../../server/sandbox/launcher.js";
import type { DriverOutput } from "./helpers.js";
import { livePidsWith } from "../helpers/processes.js";
import { NODE, PERL, WS_ONLY, baseEnv, bash, buildDriver, cleanupTempDirs, isRoot, run, runDriver, tempDir, waitFor, workspace } from "./helpers.js";

afterAll(cleanupTempDirs);

describe("no survivors", () => {
  // Processes are recognised by argv[0] (`exec -a`), never by the whole command line: the script
  // text (and the driver's spec) also contain the marker and would match before anything started.

  // No survivor after a timeout.
  // Protection: the sandbox's pid namespace with --die-with-parent, the group kill, and the
  // runner waiting for the sandbox init to die. The command double-forks a setsid'd loop that ignores
  // TERM/HUP, plus a TERM-ignoring sleeper; the test waits until all of them run, then lets the
  // timeout fire. Shown to fail: without --unshare-pid the setsid'd loop was reparented and kept
  // running after the result (survivors found).
  it("timeout kills a double-forked, setsid'd, TERM-ignoring tree inside the sandbox", async () => {
    const { ws } = workspace();
    const marker = `gh-sbx-orphan-${process.pid}-${Date.now()}`;
    const script = [
      `(setsid bash -c 'trap "" TERM HUP; exec -a ${marker}-loop bash -c "while :; do echo tick >> ${ws}/tick; sleep 0.05; done"' &)`,
      `(trap '' TERM; exec -a ${marker}-sleeper sleep 1000) &`,
      `exec -a ${marker}-main sleep 1000`,
    ].join("\n");
    const pending = run(bash(script), WS_ONLY, ws, { exec: { timeoutMs: 4000, killGraceMs: 300 } });
    const allRunning = (): boolean => ["loop", "sleeper", "main"].every((n) => livePidsWith(`${marker}-${n}`, { argv0: true }).length > 0);
    expect(await waitFor(allRunning, 20_000)).toBe(true);
    const r = await pending;
    expect(r.timedOut).toBe(true);
    expect(livePidsWith(marker)).toEqual([]);
    const ticks = fs.readFileSync(`${ws}/tick`, "utf8").length;
    await new Promise((res) => setTimeout(res, 300));
    expect(fs.readFileSync(`${ws}/tick`, "utf8").length).toBe(ticks);
  });

  // No survivor after an abort.
  // Protection: as above, through the abort signal. Shown to fail: same removal as
  // above (the setsid'd sleeper survived).
  it("abort kills the sandboxed tree and reports aborted", async () => {
    const { ws } = workspace();
    const marker = `gh-sbx-abort-${process.pid}-${Date.now()}`;
    const ac = new AbortController();
    const p = run(bash(`(setsid bash -c 'exec -a ${marker}-bg sleep 1000' &); exec -a ${marker}-main sleep 1000`), WS_ONLY, ws, {
      exec: { signal: ac.signal, killGraceMs: 200 },
    });
    expect(
      await waitFor(() => livePidsWith(`${marker}-bg`, { argv0: true }).length > 0 && livePidsWith(`${marker}-main`, { argv0: true }).length > 0, 20_000),
    ).toBe(true);
    ac.abort();
    const r = await p;
    expect(r.aborted).toBe(true);
    expect(livePidsWith(marker)).toEqual([]);
  });

  // The daemon SIGKILLed mid-command.
  // Protection: --die-with-parent (bwrap and the sandbox die when the daemon dies) plus the pid
  // namespace. Shown to fail: without --die-with-parent both sleepers outlived the SIGKILLed driver.
  it("SIGKILL of the daemon process takes the whole sandbox down", async () => {
    const { ws } = workspace();
    const marker = `gh-sbx-daemonkill-${process.pid}-${Date.now()}`;
    let driverPid = 0;
    const done = runDriver(
      {
        command: bash(`(setsid bash -c 'trap "" TERM HUP; exec -a ${marker}-bg sleep 1000' &); exec -a ${marker}-main sleep 1000`),
        policy: WS_ONLY,
        cwd: ws,
        launch: { env: baseEnv(ws) },
      },
      { onSpawn: (pid) => (driverPid = pid) },
    );
    expect(
      await waitFor(() => livePidsWith(`${marker}-bg`, { argv0: true }).length > 0 && livePidsWith(`${marker}-main`, { argv0: true }).length > 0, 20_000),
    ).toBe(true);
    expect(driverPid).toBeGreaterThan(0);
    process.kill(driverPid, "SIGKILL");
    await done;
    const gone = await waitFor(() => livePidsWith(marker).length === 0, 15_000);
    for (const pid of livePidsWith(marker)) process.kill(pid, "SIGKILL"); // never leave them behind, even on failure
    expect(gone).toBe(true);
  });
});

describe("no survivors when running unwrapped", () => {
  // No survivor after a timeout, for unwrapped runs (dangerFullAccess and externalSandbox have no
  // pid namespace). The command
  // double-forks a setsid'd, TERM/HUP-ignoring loop: it leaves the process group and is reparented
  // away from the command, so neither the group kill nor a parent-chain scan reaches it. Protection:
  // the run's GATEHOUSE_EXEC_TAG environment tag, scanned in /proc on timeout/interrupt. Shown to
  // fail: with the signalTagged calls removed from spawn.ts, the "-loop" process survived the result
  // (livePidsWith found it) and the tick file kept growing.
  for (const policy of [{ type: "dangerFullAccess" }, { type: "externalSandbox", networkAccess: "enabled" }] as const) {
    it(`${policy.type}: timeout and interrupt kill a setsid'd, double-forked child`, async () => {
      const { ws } = workspace();
      for (const how of ["timeout", "abort"] as const) {
        const marker = `gh-unwrapped-${how}-${process.pid}-${Date.now()}`;
        const tick = path.join(ws, `tick-${how}`);
        const script = [
          `(setsid bash -c 'trap "" TERM HUP; exec -a ${marker}-loop bash -c "while :; do echo tick >> ${tick}; sleep 0.05; done"' &)`,
          `exec -a ${marker}-main sleep 1000`,
        ].join("\n");
        const ac = new AbortController();
        const pending = run(bash(script), policy, ws, { exec: { ...(how === "timeout" ? { timeoutMs: 3000 } : { signal: ac.signal }), killGraceMs: 200 } });
        const running = await waitFor(
          () => livePidsWith(`${marker}-loop`, { argv0: true }).length > 0 && livePidsWith(`${marker}-main`, { argv0: true }).length > 0,
          20_000,
        );
        if (how === "abort") ac.abort();
        const r = await pending;
        const survivors = livePidsWith(marker);
        for (const pid of survivors) process.kill(pid, "SIGKILL"); // never leave them behind, even on failure
        expect(running).toBe(true);
        expect(how === "timeout" ? r.timedOut : r.aborted).toBe(true);
        expect(survivors).toEqual([]);
        const ticks = fs.readFileSync(tick, "utf8").length;
        await new Promise((res) => setTimeout(res, 300));
        expect(fs.readFileSync(tick, "utf8").length).toBe(ticks);
      }
    });
  }
});

describe("placeholders after a daemon crash", () => {
  // No placeholder left on the host, even after a daemon crash.
  // Protection: the placeholder registry under the daemon's home is written
  // before bwrap creates the host paths, and a new launcher on that home sweeps the records of dead
  // owners. The "daemon" (driver) is SIGKILLed while its sandbox runs, so its finalize never runs and
  // the placeholders stay on the host; creating a launcher again must remove them. Shown to fail:
  // with registry.sweep() removed from createLinuxLauncher, .codex/.agents/.aws stayed in the
  // workspace after the restart.
  it("a restart removes the placeholders a SIGKILLed daemon left behind", async () => {
    const root = tempDir("crash");
    const ws = path.join(root, "ws");
    fs.mkdirSync(ws);
    const placeholderDir = path.join(tempDir("home"), "sandbox", "placeholders");
    const marker = `gh-sbx-crash-${process.pid}-${Date.now()}`;
    let driverPid = 0;
    const done = runDriver(
      { command: bash(`exec -a ${marker} sleep 1000`), policy: WS_ONLY, cwd: ws, launch: { env: baseEnv(ws) }, deps: { placeholderDir } },
      { onSpawn: (pid) => (driverPid = pid) },
    );
    expect(await waitFor(() => livePidsWith(marker, { argv0: true }).length > 0, 20_000)).toBe(true);
    process.kill(driverPid, "SIGKILL");
    await done;
    expect(await waitFor(() => livePidsWith(marker).length === 0, 15_000)).toBe(true);
    // The crash left residue on the host and a record naming it.
    expect(fs.readdirSync(ws).sort()).toEqual([".agents", ".aws", ".codex", ".git"]);
    expect(fs.readdirSync(placeholderDir)).toEqual([`${driverPid}.json`]);
    selectLauncher("linux", { placeholderDir }); // what a daemon restart does
    expect(fs.readdirSync(ws)).toEqual([]);
    expect(fs.readdirSync(placeholderDir)).toEqual([]);
  });
});

describe("what the command can see", () => {
  // An fd inherited by the daemon.
  // Protection: the runner closes inherited non-CLOEXEC fds before its first spawn (bwrap passes
  // any open fd through). The driver ("daemon") is started by a shell that opens fd 100 on a
  // marker file without O_CLOEXEC (Node marks low inherited fds such as 9 CLOEXEC at startup, fd 100
  // stays inheritable); the fds of the sandboxed process are then read from the host's /proc.
  // Shown to fail: with closeInheritedFds disabled, the sandboxed sleep held "100 -> …/LEAKED-FD-MARKER".
  it("an fd inherited by the daemon is not visible inside; only stdio", async () => {
    const { ws } = workspace();
    const leakPath = path.join(tempDir("fd"), "LEAKED-FD-MARKER");
    const marker = `gh-sbx-fds-${process.pid}-${Date.now()}`;
    let driverPid = 0;
    const done = runDriver(
      { command: bash(`exec -a ${marker} sleep 1000`), policy: WS_ONLY, cwd: ws, launch: { env: baseEnv(ws) } },
      { prefix: ["/bin/bash", "-c", 'exec 100>"$0"; exec "$@"', leakPath], onSpawn: (pid) => (driverPid = pid) },
    );
    expect(await waitFor(() => livePidsWith(marker, { argv0: true }).length === 1, 20_000)).toBe(true);
    const pid = livePidsWith(marker, { argv0: true })[0] ?? 0;
    const fds = Object.fromEntries(fs.readdirSync(`/proc/${pid}/fd`).map((n) => [n, fs.readlinkSync(`/proc/${pid}/fd/${n}`)]));
    const driverFds = fs.readdirSync(`/proc/${driverPid}/fd`).map((n) => fs.readlinkSync(`/proc/${driverPid}/fd/${n}`));
    process.kill(driverPid, "SIGKILL");
    await done;
    expect(Object.keys(fds).sort()).toEqual(["0", "1", "2"]);
    expect(Object.values(fds).join(" ")).not.toContain("LEAKED-FD-MARKER");
    // The daemon really had inherited it and closed it itself (not merely lucky numbering).
    expect(driverFds.join(" ")).not.toContain("LEAKED-FD-MARKER");
    expect(await waitFor(() => livePidsWith(marker).length === 0)).toBe(true);
  });

  // Daemon secrets in the environment.
  // Protection: the default env excludes (*KEY*, *SECRET*, *TOKEN*, case-insensitive). Shown to
  // fail: building the env with ignore_default_excludes: true made all three visible in `env`.
  it("daemon secrets in the environment do not reach the command", async () => {
    const { ws } = workspace();
    const daemonEnv = { ...baseEnv(ws), OPENAI_API_KEY: "sk-SECRET-1", GitHub_Token: "SECRET-2", DB_SECRET: "SECRET-3", SAFE: "visible" };
    const r = await run(bash("env"), WS_ONLY, ws, { launch: { env: buildShellEnvironment(daemonEnv) } });
    expect(r.stdout).toContain("SAFE=visible");
    expect(r.stdout).not.toMatch(/SECRET-|sk-SECRET/);
  });
});

describe("terminal injection", () => {
  // Terminal input injection (non-tty runs).
  // Protection: the command starts in a new session without a controlling
  // terminal (the runner's own setsid via detached:true, and bwrap's --new-session), so it cannot
  // open /dev/tty to push keystrokes into the user's terminal. The daemon stand-in runs under a
  // real terminal from `script`. Shown to fail: with detached:false in the spawner and --new-session
  // removed, /dev/tty opened and TIOCSTI succeeded ("injected").
  it.runIf(fs.existsSync("/usr/bin/script"))("TIOCSTI into the daemon's terminal is impossible (needs util-linux script for a PTY)", async () => {
    const { ws } = workspace();
    const driver = await buildDriver();
    const dir = tempDir("tty");
    const spec = {
      command: [
        PERL,
        "-e",
        'open(my $t, "+<", "/dev/tty") or do { print "open: $!\\n"; exit 3 }; my $c = "#"; ioctl($t, 0x5412, $c) or do { print "ioctl: $!\\n"; exit 4 }; print "injected\\n"',
      ],
      policy: WS_ONLY,
      cwd: ws,
      launch: { env: baseEnv(ws) },
    };
    fs.writeFileSync(path.join(dir, "spec.json"), JSON.stringify(spec));
    fs.writeFileSync(path.join(dir, "run.sh"), `exec ${NODE} ${driver} "$(cat ${dir}/spec.json)" > ${dir}/out.json\n`);
    const child = spawn("/usr/bin/script", ["-qec", `/bin/sh ${dir}/run.sh`, "/dev/null"], { stdio: ["pipe", "pipe", "pipe"] });
    await new Promise((res) => child.on("close", res));
    const out = JSON.parse(fs.readFileSync(path.join(dir, "out.json"), "utf8").trim()) as DriverOutput;
    expect(out.ok).toBe(true);
    expect(out.result?.stdout).not.toContain("injected");
    expect(out.result?.stdout).toMatch(/^open: No such device or address\n$/);
  });
});

describe("exit status fidelity", () => {
  it("exit 7 is 7, a SIGKILLed shell is 137, a missing command is 127", async () => {
    const { ws } = workspace();
    expect((await run(bash("exit 7"), WS_ONLY, ws)).exitCode).toBe(7);
    const killed = await run(bash("kill -9 $$"), WS_ONLY, ws);
    expect(killed.exitCode).toBe(137);
    expect(killed.sandboxSetupFailed).toBe(false);
    const missing = await run(["definitely-not-a-command-xyz"], WS_ONLY, ws);
    expect(missing.exitCode).toBe(127);
    expect(missing.sandboxSetupFailed).toBe(false);
  });

  // Protection: --json-status-fd tells a bwrap set-up failure from the command's own exit. Shown to
  // fail: without the status document the set-up failure surfaced as a plain exit 1 of the command.
  it("a bwrap set-up failure is reported as a sandbox error, not as the command's exit", async () => {
    const { ws } = workspace();
    const other = tempDir("other");
    // The cwd is not readable under this policy, so bwrap cannot chdir into it: the command never runs.
    const policy = {
      fileSystem: {
        kind: "restricted" as const,
        entries: [
          { path: { type: "special" as const, value: { kind: "minimal" as const } }, access: "read" as const },
          { path: { type: "path" as const, path: other }, access: "write" as const },
        ],
      },
      network: "restricted" as const,
      label: "odd",
    };
    const r = await run(bash("touch ran"), policy, ws);
    expect(r.sandboxSetupFailed).toBe(true);
    expect(r.sandboxDenial).toMatchObject({ kind: "setup" });
    expect(r.sandboxDenial?.message).toMatch(/^sandbox: the sandbox could not be set up \(Can't chdir to .*\); the command did not run$/);
    expect(fs.existsSync(path.join(ws, "ran"))).toBe(false);
  });
});

describe("fail closed", () => {
  // A bwrap shim in the workspace.
  // Protection: bwrap is looked up at /usr/bin/bwrap, then on PATH outside the workspace only,
  // and checked before it is ever executed. Shown to fail: with the workspace check removed from
  // findBwrap, the shim ran (SHIM-RAN appeared) and the command ran unconfined.
  it("no system bwrap and a bwrap shim inside the workspace on PATH: refused, the shim never runs", async () => {
    const { ws } = workspace();
    const bin = path.join(ws, "bin");
    fs.mkdirSync(bin);
    const shim = path.join(bin, "bwrap");
    fs.writeFileSync(shim, `#!/bin/sh\necho SHIM-RAN > ${ws}/SHIM-RAN\nwhile [ "$1" != "--" ]; do shift; done; shift; exec "$@"\n`, { mode: 0o755 });
    // "bwrap missing": no system binary and nothing else on PATH but the workspace's bin/.
    const deps = { systemBwrapPath: path.join(ws, "no-such-bwrap"), pathEnv: bin };
    const err = await run(bash("touch ran"), WS_ONLY, ws, { deps }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SandboxUnavailableError);
    expect(err).toMatchObject({ code: "bwrap-not-found" });
    expect((err as SandboxUnavailableError).reason).toContain(`ignored ${shim}`);
    expect(fs.existsSync(path.join(ws, "SHIM-RAN"))).toBe(false);
    expect(fs.existsSync(path.join(ws, "ran"))).toBe(false);
  });

  // A refused /proc mount.
  // Protection: the /proc preflight detects a refused procfs mount and the runs use a masked
  // /proc (empty tmpfs) with a warning, instead of the host's procfs. Reproduced like Docker does it:
  // a private mount namespace with /proc/keys over-mounted. Shown to fail: with the probe forced to
  // "mount", bwrap refused to start (set-up failure) instead of running.
  it.runIf(isRoot)("a refused /proc mount degrades to a masked /proc with a warning (needs root to over-mount /proc/keys)", async () => {
    const { ws } = workspace();
    const driver = await buildDriver();
    const spec = { command: bash("ls -A /proc | wc -l; echo ran"), policy: WS_ONLY, cwd: ws, launch: { env: baseEnv(ws) } };
    const child = spawn(
      "unshare",
      ["-m", "--propagation", "private", "sh", "-c", 'mount --bind /dev/null /proc/keys && exec "$0" "$@"', NODE, driver, JSON.stringify(spec)],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    await new Promise((res) => child.on("close", res));
    const parsed = JSON.parse(out.trim().split("\n").pop() ?? "{}") as DriverOutput;
    expect(parsed.ok).toBe(true);
    expect(parsed.result?.stdout).toBe("0\nran\n");
    expect(parsed.warnings?.map((w) => w.code)).toContain("proc-masked");
  });
});
