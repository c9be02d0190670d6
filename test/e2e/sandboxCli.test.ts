// `gatehouse sandbox` and `gatehouse doctor` as a user runs them: the built CLI, real bubblewrap.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DAEMON } from "../helpers/daemon.js";

const hasBwrap = existsSync("/usr/bin/bwrap");
const isRoot = process.getuid?.() === 0;
const unshare = ["/usr/bin/unshare", "/bin/unshare"].find((p) => existsSync(p));

const base = realpathSync(mkdtempSync(join(tmpdir(), "gh-sandbox-cli-")));
const home = join(base, "home");
const tmp = join(base, "tmp");
mkdirSync(home);
mkdirSync(tmp);
afterAll(() => rmSync(base, { recursive: true, force: true }));

// Somewhere outside the cwd, /tmp and $TMPDIR that the test may write to from outside the sandbox.
const OUTSIDE = existsSync("/var/tmp") ? "/var/tmp" : (process.env["HOME"] ?? "/root");

function gatehouse(args: string[], opts: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(process.execPath, [DAEMON, ...args], {
    cwd: opts.cwd ?? base,
    input: opts.input ?? "",
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, GATEHOUSE_HOME: home, CODEX_HOME: "", TMPDIR: tmp, GATEHOUSE_LOG: "warn", ...opts.env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function workspace(): string {
  return realpathSync(mkdtempSync(join(base, "ws-")));
}

describe.runIf(hasBwrap)("gatehouse sandbox", () => {
  it("--full-auto writes in the cwd", () => {
    const cwd = workspace();
    const r = gatehouse(["sandbox", "--full-auto", "--", "sh", "-c", "echo ok > f"], { cwd });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(readFileSync(join(cwd, "f"), "utf8")).toBe("ok\n");
  });

  it("--full-auto refuses a write outside the cwd, /tmp and $TMPDIR, and says why", () => {
    const cwd = workspace();
    const target = join(OUTSIDE, `gh-sandbox-cli-${process.pid}-${Date.now()}`);
    const r = gatehouse(["sandbox", "--full-auto", "--", "sh", "-c", `echo x > ${target}`], { cwd });
    expect(r.code).not.toBe(0);
    expect(existsSync(target)).toBe(false);
    expect(r.stderr).toContain("Read-only file system");
    expect(r.stderr).toContain(
      `sandbox: write to ${realpathSync(OUTSIDE)}/${target.split("/").pop() ?? ""} denied (outside the writable roots of workspace-write)`,
    );
  });

  it("uses sandbox_mode (read-only by default) without a flag, and propagates the exit code", () => {
    const cwd = workspace();
    const ro = gatehouse(["sandbox", "--", "sh", "-c", "echo x > f"], { cwd });
    expect(ro.code).not.toBe(0);
    expect(ro.stderr).toContain("outside the writable roots of read-only");
    expect(gatehouse(["sandbox", "--", "sh", "-c", "exit 7"], { cwd }).code).toBe(7);
    const rw = gatehouse(["sandbox", "-c", 'sandbox_mode="workspace-write"', "--", "sh", "-c", "echo y > g"], { cwd });
    expect(rw.code).toBe(0);
    expect(readFileSync(join(cwd, "g"), "utf8")).toBe("y\n");
    expect(gatehouse(["sandbox", "--", "/nonexistent/prog"], { cwd }).code).toBe(127);
  });

  it("passes stdin through and output as it comes", () => {
    const r = gatehouse(["sandbox", "--", "sh", "-c", "cat; echo err >&2"], { cwd: workspace(), input: "from-stdin\n" });
    expect(r).toEqual({ code: 0, stdout: "from-stdin\n", stderr: "err\n" });
  });

  it("refuses with reason and remedy (exit 125) when the sandbox cannot be enforced", () => {
    const cwd = workspace();
    mkdirSync(join(cwd, "decoy"));
    symlinkSync("decoy", join(cwd, ".codex"));
    const r = gatehouse(["sandbox", "--full-auto", "--", "sh", "-c", "echo pwned > .codex/config.toml"], { cwd });
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(/gatehouse sandbox: sandbox unavailable: .*\.codex/);
    expect(existsSync(join(cwd, "decoy", "config.toml"))).toBe(false);
  });

  it("rejects bad usage with exit 2", () => {
    expect(gatehouse(["sandbox", "--policy", "bogus", "--", "true"]).code).toBe(2);
    expect(gatehouse(["sandbox", "--full-auto", "--policy", "read-only", "--", "true"]).code).toBe(2);
    expect(gatehouse(["sandbox"]).code).toBe(2);
  });
});

describe("gatehouse doctor", () => {
  it.runIf(hasBwrap)("prints every prerequisite with ✓ and exits 0 when the default policy runs", () => {
    const r = gatehouse(["doctor"]);
    expect(r.code).toBe(0);
    for (const name of [
      "bubblewrap: /usr/bin/bwrap (bubblewrap ",
      "user namespaces:",
      "AppArmor:",
      "seccomp:",
      "/proc:",
      "PTY:",
      "default policy (read-only):",
    ]) {
      expect(r.stdout).toContain(`✓ ${name}`);
    }
  });

  // A private mount namespace hides bwrap from this one run (root only), so the ✗ path is real.
  it.runIf(hasBwrap && isRoot && unshare !== undefined)("says what is missing, how to fix it, and exits 1 without bubblewrap", () => {
    const r = spawnSync(unshare as string, ["-m", "sh", "-c", 'mount --bind /dev/null /usr/bin/bwrap && exec "$@"', "sh", process.execPath, DAEMON, "doctor"], {
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, GATEHOUSE_HOME: home, CODEX_HOME: "", TMPDIR: tmp, GATEHOUSE_LOG: "warn" },
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("✗ bubblewrap: bubblewrap (bwrap) not found");
    expect(r.stdout).toContain("fix: install bubblewrap");
    expect(r.stdout).toContain("✗ default policy (read-only): commands are refused");
  });
});
