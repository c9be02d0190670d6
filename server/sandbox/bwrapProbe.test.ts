import { describe, expect, it } from "vitest";
import { bwrapVersion, classifyBwrapFailure, findBwrap, parseBwrapHelp, parseBwrapVersion, probeBwrap } from "./bwrapProbe.js";
import type { ProbeRunner, RunResult } from "./bwrapProbe.js";
import { BWRAP_HELP } from "./bwrapHelp.testutil.js";
import { fakeFs } from "./fakeFs.testutil.js";

const facts = { procVersion: "Linux version 6.1.0 (debian)", apparmorRestrictUserns: null };
const HELP = BWRAP_HELP;

function runner(answers: (args: readonly string[]) => Partial<RunResult>): ProbeRunner & { calls: string[][] } {
  const calls: string[][] = [];
  const run = (file: string, args: readonly string[]) => {
    calls.push([file, ...args]);
    return Promise.resolve({ code: 0, stdout: "", stderr: "", timedOut: false, ...answers(args) });
  };
  return Object.assign(run, { calls });
}

const fs = fakeFs({ "/usr/bin/true": { file: "" }, "/usr/bin/bwrap": { file: "" }, "/usr": "dir", "/etc": "dir" });

describe("findBwrap", () => {
  const exec = (): boolean => true;
  it("prefers /usr/bin/bwrap", () => {
    expect(findBwrap({ pathEnv: "/opt/bin", forbiddenRoots: [], fs, isExecutable: exec })).toEqual({
      ok: true,
      value: { path: "/usr/bin/bwrap", system: true, warnings: [] },
    });
  });
  it("falls back to PATH with a warning, skipping relative entries and anything in the workspace", () => {
    const fs2 = fakeFs({ "/ws/bin/bwrap": { file: "" }, "/opt/bw/bwrap": { file: "" }, "bin/bwrap": { file: "" } });
    const r = findBwrap({ pathEnv: "bin:/ws/bin:/opt/bw", forbiddenRoots: ["/ws"], fs: fs2, isExecutable: exec, systemPath: "/nope/bwrap" });
    expect(r).toEqual({
      ok: true,
      value: {
        path: "/opt/bw/bwrap",
        system: false,
        warnings: [{ code: "bwrap-not-system", message: "could not find system bubblewrap at /nope/bwrap; using /opt/bw/bwrap" }],
      },
    });
  });
  it("fails closed when only a workspace shim exists, saying so", () => {
    const fs2 = fakeFs({ "/ws/bin/bwrap": { file: "" } });
    const r = findBwrap({ pathEnv: "/ws/bin", forbiddenRoots: ["/ws"], fs: fs2, isExecutable: exec, systemPath: "/nope/bwrap" });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe("bwrap-not-found");
      expect(r.error.reason).toContain("ignored /ws/bin/bwrap");
      expect(r.error.remedy).toContain("install bubblewrap");
    }
  });
});

describe("probe parsing and classification", () => {
  it("parses version and flags", () => {
    expect(parseBwrapVersion("bubblewrap 0.8.0\n")).toBe("0.8.0");
    const p = parseBwrapHelp(HELP);
    expect(p.missing).toEqual([]);
    expect(p.features).toEqual({ perms: true, disableUserns: true });
    expect(parseBwrapHelp("    --unshare-user x").missing).toContain("--seccomp");
  });

  it("classifies user-namespace, AppArmor, WSL1 and /proc/sys failures with remedies", () => {
    expect(classifyBwrapFailure("bwrap: setting up uid map: Permission denied", facts, "/usr/bin/bwrap").code).toBe("userns-unavailable");
    expect(
      classifyBwrapFailure("bwrap: Creating new namespace failed: nesting depth or /proc/sys/user/max_*_namespaces exceeded (ENOSPC)", facts, "/usr/bin/bwrap")
        .code,
    ).toBe("userns-unavailable");
    const aa = classifyBwrapFailure("bwrap: loopback: Failed RTM_NEWADDR: Operation not permitted", { ...facts, apparmorRestrictUserns: "1" }, "/opt/bwrap");
    expect(aa.code).toBe("apparmor-userns");
    expect(aa.remedy).toContain("/usr/bin/bwrap");
    expect(classifyBwrapFailure("x", { procVersion: "Linux version 4.4.0-19041-Microsoft", apparmorRestrictUserns: null }, "/usr/bin/bwrap").code).toBe("wsl1");
    expect(classifyBwrapFailure("bwrap: Can't read /proc/sys: Transport endpoint is not connected", facts, "b").code).toBe("proc-sys-disconnected");
    const other = classifyBwrapFailure("bwrap: something odd", facts, "b");
    expect(other.code).toBe("bwrap-failed");
    expect(other.reason).toContain("something odd");
  });
});

describe("probeBwrap", () => {
  it("succeeds with procfs mounted after two runs: flags, and one preflight with every namespace and --disable-userns", async () => {
    const run = runner((args) => (args[0] === "--help" ? { stdout: HELP } : {}));
    const r = await probeBwrap("/usr/bin/bwrap", { run, fs, facts });
    expect(r).toEqual({
      ok: true,
      value: {
        path: "/usr/bin/bwrap",
        features: { perms: true, disableUserns: true },
        proc: "mount",
        facts,
        warnings: [],
        disableUsernsError: null,
      },
    });
    // The preflight needs user namespaces itself, so a passing one makes the separate self-tests moot.
    expect(run.calls).toHaveLength(2);
    const preflight = run.calls[1] ?? [];
    for (const flag of ["--proc", "--unshare-user", "--disable-userns", "--unshare-pid", "--unshare-ipc", "--unshare-net"]) expect(preflight).toContain(flag);
    expect(preflight.indexOf("--tmpfs")).toBeLessThan(preflight.indexOf("--proc"));
    expect(run.calls.some((c) => c[1] === "--version")).toBe(false);
  });

  it("runs flags and the preflight side by side: neither waits for the other to finish", async () => {
    const calls: string[][] = [];
    let release!: () => void;
    const allStarted = new Promise<void>((r) => (release = r));
    const run: ProbeRunner = async (file, args) => {
      calls.push([file, ...args]);
      if (calls.length === 2) release();
      await allStarted;
      return { code: 0, stdout: args[0] === "--help" ? HELP : "", stderr: "", timedOut: false };
    };
    const r = await Promise.race([probeBwrap("/usr/bin/bwrap", { run, fs, facts }), new Promise((r) => setTimeout(() => r("sequential"), 1000))]);
    expect(r).not.toBe("sequential");
    expect(calls.map((c) => c[1])).toEqual(["--help", "--new-session"]);
  });

  it("reads the version only when asked (doctor) or for a too-old bubblewrap's message", async () => {
    const run = runner((args) => (args[0] === "--version" ? { stdout: "bubblewrap 0.6.1\n" } : { stdout: "    --unshare-user x" }));
    expect(await bwrapVersion("/usr/bin/bwrap", run)).toBe("0.6.1");
    const old = await probeBwrap("/usr/bin/bwrap", { run, fs, facts });
    expect(!old.ok && old.error.reason).toMatch(/^\/usr\/bin\/bwrap 0\.6\.1 lacks --unshare-pid/);
  });

  it("says why --disable-userns fails under a read-only /proc/sys (a container runtime's default), and what to do", async () => {
    const readOnly = "bwrap: cannot open /proc/sys/user/max_user_namespaces: Read-only file system\n";
    const run = runner((args) =>
      args[0] === "--version"
        ? { stdout: "bubblewrap 0.8.0" }
        : args[0] === "--help"
          ? { stdout: HELP }
          : args.includes("--disable-userns")
            ? { code: 1, stderr: readOnly }
            : {},
    );
    const r = await probeBwrap("/usr/bin/bwrap", { run, fs, facts });
    expect(r.ok).toBe(true);
    const error = r.ok ? r.value.disableUsernsError : null;
    expect(error?.reason).toContain("/proc/sys is read-only");
    expect(error?.remedy).toContain("systempaths=unconfined");
    expect(error?.remedy).toContain("externalSandbox");
  });

  it("ignores the --disable-userns check when this bubblewrap does not have the flag", async () => {
    const help = HELP.split("\n")
      .filter((l) => !l.includes("--disable-userns"))
      .join("\n");
    const run = runner((args) =>
      args[0] === "--help" ? { stdout: help } : args.includes("--disable-userns") ? { code: 1, stderr: "bwrap: Unknown option --disable-userns" } : {},
    );
    const r = await probeBwrap("/usr/bin/bwrap", { run, fs, facts });
    expect(r.ok && r.value.features.disableUserns).toBe(false);
    expect(r.ok && r.value.disableUsernsError).toBeNull();
  });

  it("falls back to a masked /proc with a warning when only procfs is refused", async () => {
    const run = runner((args) =>
      args[0] === "--help"
        ? { stdout: HELP }
        : args.includes("--proc")
          ? { code: 1, stderr: "bwrap: Can't mount proc on /newroot/proc: Operation not permitted\n" }
          : {},
    );
    const r = await probeBwrap("/usr/bin/bwrap", { run, fs, facts });
    expect(r.ok && r.value.proc).toBe("mask");
    expect(r.ok && r.value.warnings[0]?.code).toBe("proc-masked");
    expect(run.calls.at(-1)?.[1]).toBe("--unshare-user");
  });

  it("fails closed: too old, no user namespaces, timeout", async () => {
    const old = await probeBwrap("/usr/bin/bwrap", { run: runner(() => ({ stdout: "    --unshare-user x" })), fs, facts });
    expect(!old.ok && old.error.code).toBe("bwrap-too-old");
    // Without user namespaces both the preflight and the self-test fail; the self-test's error is the one classified.
    const noNamespaces = (args: readonly string[]) => args.includes("--unshare-user") && args[0] !== "--help";
    const noUserns = await probeBwrap("/usr/bin/bwrap", {
      run: runner((args) =>
        args[0] === "--help" ? { stdout: HELP } : noNamespaces(args) ? { code: 1, stderr: "bwrap: No permissions to create new namespace" } : {},
      ),
      fs,
      facts,
    });
    expect(!noUserns.ok && noUserns.error.code).toBe("userns-unavailable");
    const slow = await probeBwrap("/usr/bin/bwrap", {
      run: runner((args) => (args[0] === "--help" ? { stdout: HELP } : noNamespaces(args) ? { code: null, timedOut: true } : {})),
      fs,
      facts,
    });
    expect(!slow.ok && slow.error.code).toBe("bwrap-failed");
    expect(!slow.ok && slow.error.reason).toContain("did not finish");
    // A preflight that hangs while namespaces work is a failure too, not a masked /proc.
    const slowProc = await probeBwrap("/usr/bin/bwrap", {
      run: runner((args) => (args[0] === "--help" ? { stdout: HELP } : args.includes("--proc") ? { code: null, timedOut: true } : {})),
      fs,
      facts,
    });
    expect(!slowProc.ok && slowProc.error.reason).toContain("/proc preflight did not finish");
  });
});
