import { describe, expect, it } from "vitest";
import { createLinuxLauncher } from "./linuxLauncher.js";
import { SandboxUnavailableError } from "./errors.js";
import { BWRAP_HELP } from "./bwrapHelp.testutil.js";
import { fakeFs } from "./fakeFs.testutil.js";
import type { ProbeRunner } from "./bwrapProbe.js";

const HELP = BWRAP_HELP;
const okRunner: ProbeRunner = (_f, args) => Promise.resolve({ code: 0, stdout: args[0] === "--help" ? HELP : "bubblewrap 0.8.0", stderr: "", timedOut: false });
const fs = fakeFs({
  "/usr/bin/bwrap": { file: "" },
  "/usr/bin/true": { file: "" },
  "/ws/.git": "dir",
  "/ws/.codex": "dir",
  "/ws/.agents": "dir",
  "/ws/.aws": "dir",
});
const deps = { fs, probeRunner: okRunner, isExecutable: () => true, facts: { procVersion: null, apparmorRestrictUserns: null }, arch: "x64" };
const env = { PATH: "/usr/bin", NODE_CHANNEL_FD: "9" };

describe("linux launcher", () => {
  const l = createLinuxLauncher(deps);

  it("dangerFullAccess runs unwrapped with the env rules", async () => {
    const r = await l.transform(["ls", "-la"], { type: "dangerFullAccess" }, "/ws", { env });
    expect(r).toMatchObject({ argv: ["ls", "-la"], sandbox: "none", extraFds: [], env: { PATH: "/usr/bin" } });
    expect(r.env).not.toHaveProperty("CODEX_SANDBOX_NETWORK_DISABLED");
  });

  it("externalSandbox runs unwrapped but marks a restricted network", async () => {
    const r = await l.transform(["ls"], { type: "externalSandbox", networkAccess: "restricted" }, "/ws", { env });
    expect(r.sandbox).toBe("none");
    expect(r.env).toEqual({ PATH: "/usr/bin", CODEX_SANDBOX_NETWORK_DISABLED: "1" });
    const open = await l.transform(["ls"], { type: "externalSandbox", networkAccess: "enabled" }, "/ws", { env });
    expect(open.env).toEqual({ PATH: "/usr/bin" });
  });

  it("workspaceWrite is wrapped: bwrap argv, seccomp and status fds, marker env", async () => {
    const r = await l.transform(["make", "test"], { type: "workspaceWrite", excludeSlashTmp: true, excludeTmpdirEnvVar: true }, "/ws", { env });
    expect(r.sandbox).toBe("bwrap");
    expect(r.argv[0]).toBe("/usr/bin/bwrap");
    expect(r.argv.slice(-3)).toEqual(["--", "make", "test"]);
    expect(r.extraFds.map((x) => [x.fd, x.kind])).toEqual([
      [3, "data"],
      [4, "status"],
    ]);
    expect(r.env).toEqual({ PATH: "/usr/bin", CODEX_SANDBOX_NETWORK_DISABLED: "1" });
    expect(r.denialContext).toMatchObject({ sandboxed: true, policyLabel: "workspace-write", writableRoots: ["/ws"], networkIsolated: true });
    expect(r.finalize()).toEqual({ denials: [] });
  });

  it("tty runs drop --new-session and use the ioctl-filtering program", async () => {
    const plain = await l.transform(["sh"], { type: "readOnly" }, "/ws", { env });
    const tty = await l.transform(["sh"], { type: "readOnly" }, "/ws", { env, tty: true });
    expect(plain.argv).toContain("--new-session");
    expect(tty.argv).not.toContain("--new-session");
    const bytes = (x: (typeof tty.extraFds)[number] | undefined): number => (x?.kind === "data" ? x.data.length : 0);
    expect(bytes(tty.extraFds[0])).toBeGreaterThan(bytes(plain.extraFds[0]));
  });

  it("fails closed when bwrap is missing, and never falls back to running unwrapped", async () => {
    const none = createLinuxLauncher({ ...deps, fs: fakeFs({ "/ws": "dir" }), pathEnv: "/ws/bin" });
    await expect(none.transform(["true"], { type: "readOnly" }, "/ws", { env })).rejects.toMatchObject({ code: "bwrap-not-found" });
    await expect(none.transform(["true"], { type: "dangerFullAccess" }, "/ws", { env })).resolves.toMatchObject({ sandbox: "none" });
    const ready = await none.readiness();
    expect(ready.ok).toBe(false);
    expect(ready.error?.remedy).toContain("install bubblewrap");
  });

  it("fails closed when the probe fails, with bwrap's reason", async () => {
    const bad = createLinuxLauncher({
      ...deps,
      probeRunner: (_f, args) =>
        Promise.resolve(
          args[0] === "--help"
            ? { code: 0, stdout: HELP, stderr: "", timedOut: false }
            : args[0] === "--version"
              ? { code: 0, stdout: "bubblewrap 0.8.0", stderr: "", timedOut: false }
              : { code: 1, stdout: "", stderr: "bwrap: setting up uid map: Permission denied", timedOut: false },
        ),
    });
    const err = await bad.transform(["true"], { type: "workspaceWrite" }, "/ws", { env }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SandboxUnavailableError);
    expect(err).toMatchObject({ code: "userns-unavailable" });
  });

  it("refuses a run that must block nested user namespaces where --disable-userns cannot work, and allows one that may nest", async () => {
    const readOnly = createLinuxLauncher({
      ...deps,
      probeRunner: (f, args, timeoutMs) =>
        args.includes("--disable-userns")
          ? Promise.resolve({ code: 1, stdout: "", stderr: "bwrap: cannot open /proc/sys/user/max_user_namespaces: Read-only file system", timedOut: false })
          : okRunner(f, args, timeoutMs),
    });
    const err = await readOnly.transform(["true"], { type: "workspaceWrite" }, "/ws", { env }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SandboxUnavailableError);
    expect((err as SandboxUnavailableError).reason).toContain("/proc/sys is read-only");
    const nested = await readOnly.transform(["true"], { type: "workspaceWrite" }, "/ws", { env, allowNestedUserns: true });
    expect(nested.argv).not.toContain("--disable-userns");
  });

  it("rejects an empty command", async () => {
    await expect(l.transform([], { type: "dangerFullAccess" }, "/ws")).rejects.toThrow(/empty command/);
  });

  it("reports readiness", async () => {
    expect(await l.readiness()).toMatchObject({
      ok: true,
      launcher: "bwrap",
      bwrap: { path: "/usr/bin/bwrap", probe: { proc: "mount", disableUsernsError: null } },
    });
  });
});

describe("prewarm", () => {
  const counting = (): { runner: ProbeRunner; calls: string[][] } => {
    const calls: string[][] = [];
    const runner: ProbeRunner = (f, args, t) => {
      calls.push([f, ...args]);
      return okRunner(f, args, t);
    };
    return { runner, calls };
  };

  // Fails if prewarm does not start the probe, or if transform probes again instead of reusing it.
  it("starts the bwrap probe once; the next transform reuses it", async () => {
    const { runner, calls } = counting();
    const l = createLinuxLauncher({ ...deps, probeRunner: runner });
    l.prewarm?.({ type: "workspaceWrite" });
    expect(calls.length).toBeGreaterThan(0);
    await l.readiness(); // the same cached probe, now settled
    const after = calls.length;
    await l.transform(["true"], { type: "workspaceWrite" }, "/ws", { env });
    l.prewarm?.({ type: "readOnly" });
    expect(calls.length).toBe(after);
  });

  // Fails if prewarm probes for a policy that never wraps (a daemon on dangerFullAccess must not
  // spawn bwrap at all).
  it("does nothing for unwrapped policies", () => {
    const { runner, calls } = counting();
    const l = createLinuxLauncher({ ...deps, probeRunner: runner });
    l.prewarm?.({ type: "dangerFullAccess" });
    l.prewarm?.({ type: "externalSandbox" });
    expect(calls).toEqual([]);
  });
});
