// Seatbelt profile and argv generation. Generation is pure, so everything but the
// real sandbox-exec run is checked on Linux against an in-memory filesystem that mimics macOS
// (/tmp → /private/tmp, /var → /private/var). The snapshots pin the profile text after the base
// profile; explicit assertions state the invariants the snapshots must never lose.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import baseProfile from "../../server/sandbox/seatbeltBase.sbpl?raw" with { type: "text" };
import { SandboxUnavailableError } from "../../server/sandbox/errors.js";
import { fakeFs } from "../../server/sandbox/fakeFs.testutil.js";
import { selectLauncher } from "../../server/sandbox/launcher.js";
import { toSplitPolicy, type SplitSandboxPolicy } from "../../server/sandbox/splitSandboxPolicy.js";
import { generateSeatbeltArgs, globToRegex, SANDBOX_EXEC, type SeatbeltDeps } from "../../server/sandbox/seatbelt.js";

const WEIRD = `/Users/me/my "quoted" (dir) name`;
const fs = fakeFs({
  "/tmp": { link: "private/tmp" },
  "/var": { link: "private/var" },
  "/private/tmp": "dir",
  "/private/var/folders/xy/abc/T": "dir",
  "/private/var/folders/xy/abc/C": "dir",
  "/ws/a/.git": "dir",
  "/ws/a/src": "dir",
  "/ws/b/.git": { file: "gitdir: /repos/b.git/worktrees/b\n" },
  "/repos/b.git/worktrees/b/commondir": { file: "../..\n" },
  [`${WEIRD}/.git`]: "dir",
  "/ws/a/secrets": "dir",
});
const deps: SeatbeltDeps = { fs, confstr: (n) => (n === "DARWIN_USER_CACHE_DIR" ? "/var/folders/xy/abc/C/" : null), tmpdir: "/var/folders/xy/abc/T" };

function gen(policy: SplitSandboxPolicy, cwd = "/ws/a", extra: Partial<SeatbeltDeps> = {}): ReturnType<typeof generateSeatbeltArgs> {
  return generateSeatbeltArgs(policy, cwd, { ...deps, ...extra });
}
/** The generated sections only: the base profile is data and pinned by its own file. */
function sections(profile: string): string {
  expect(profile.startsWith(baseProfile.trimEnd())).toBe(true);
  return profile.slice(baseProfile.trimEnd().length + 1);
}
function param(r: ReturnType<typeof generateSeatbeltArgs>, name: string): string | undefined {
  return r.params.find(([k]) => k === name)?.[1];
}

describe("generateSeatbeltArgs", () => {
  it("read-only: full read, no write, no network", () => {
    const r = gen(toSplitPolicy({ type: "readOnly" }));
    expect(sections(r.profile)).toMatchInlineSnapshot(`
      "(allow file-read*)
      "
    `);
    expect(r.params).toEqual([]);
    expect(r.args).toEqual(["-p", r.profile, "--"]);
    expect(sections(r.profile)).not.toMatch(/network-outbound|file-write\*/);
  });

  it("workspace-write with two roots: .git (dir, and a .git file with its gitdir and commondir) stays read-only", () => {
    const r = gen(toSplitPolicy({ type: "workspaceWrite", writableRoots: ["/ws/b"], excludeSlashTmp: true, excludeTmpdirEnvVar: true }));
    expect(sections(r.profile)).toMatchSnapshot();
    expect(param(r, "WRITABLE_ROOT_0")).toBe("/ws/a");
    expect(param(r, "WRITABLE_ROOT_1")).toBe("/ws/b");
    const excludedA = r.params.filter(([k]) => k.startsWith("WRITABLE_ROOT_0_EXCLUDED_")).map(([, v]) => v);
    expect(excludedA).toEqual(expect.arrayContaining(["/ws/a/.git", "/ws/a/.codex", "/ws/a/.agents", "/ws/a/.aws"]));
    const excludedB = r.params.filter(([k]) => k.startsWith("WRITABLE_ROOT_1_EXCLUDED_")).map(([, v]) => v);
    expect(excludedB).toContain("/ws/b/.git");
    // The gitdir and commondir lie outside /ws/b, which cannot be written anyway; they are not excluded twice.
    expect(excludedB).not.toContain("/repos/b.git/worktrees/b");
    // A missing .codex is excluded as literal and subpath, so even its first mkdir is refused.
    const codex = r.params.find(([, v]) => v === "/ws/a/.codex")?.[0];
    expect(r.profile).toContain(`(require-not (literal (param "${codex}")))`);
    expect(r.profile).toContain(`(require-not (subpath (param "${codex}")))`);
    expect(r.profile).not.toMatch(/network-outbound/);
  });

  it("canonicalises roots (/tmp → /private/tmp, TMPDIR under /var → /private/var)", () => {
    const r = gen(toSplitPolicy({ type: "workspaceWrite" }));
    const roots = r.params.filter(([k]) => /^WRITABLE_ROOT_\d+$/.test(k)).map(([, v]) => v);
    expect(roots).toEqual(expect.arrayContaining(["/ws/a", "/private/tmp", "/private/var/folders/xy/abc/T"]));
    expect(roots.some((p) => p === "/tmp" || p.startsWith("/var/"))).toBe(false);
  });

  it("a deny carve-out under a readable root, and a deny glob as an escaped regex", () => {
    const policy: SplitSandboxPolicy = {
      label: "carve",
      network: "restricted",
      fileSystem: {
        kind: "restricted",
        entries: [
          { path: { type: "special", value: { kind: "root" } }, access: "read" },
          { path: { type: "special", value: { kind: "current_working_directory" } }, access: "write" },
          { path: { type: "path", path: "/ws/a/secrets" }, access: "none" },
          { path: { type: "glob_pattern", pattern: "/ws/a/**/*.env" }, access: "none" },
        ],
      },
    };
    const r = gen(policy);
    expect(sections(r.profile)).toMatchSnapshot();
    expect(param(r, "READABLE_ROOT_0")).toBe("/");
    expect(param(r, "READABLE_ROOT_0_EXCLUDED_0")).toBe("/ws/a/secrets");
    expect(r.profile).toContain('(deny file-read* (regex #"^/ws/a/(.*/)?[^/]*\\.env$"))');
    expect(r.profile).toContain('(deny file-write-unlink (regex #"^/ws/a/(.*/)?[^/]*\\.env$"))');
  });

  it("a path with quotes, parentheses and spaces reaches the profile only as a -D value", () => {
    const r = gen(toSplitPolicy({ type: "workspaceWrite", excludeSlashTmp: true, excludeTmpdirEnvVar: true }), WEIRD);
    expect(r.profile).not.toContain("quoted");
    expect(r.profile).not.toContain("(dir)");
    expect(param(r, "WRITABLE_ROOT_0")).toBe(WEIRD);
    expect(r.args).toContain(`-DWRITABLE_ROOT_0=${WEIRD}`);
    expect(r.args).toContain(`-DWRITABLE_ROOT_0_EXCLUDED_0=${WEIRD}/.git`);
    expect(r.args.at(-1)).toBe("--");
  });

  it("no raw path text in any profile; params sorted and unique", () => {
    const r = gen(toSplitPolicy({ type: "workspaceWrite", writableRoots: ["/ws/b"], networkAccess: true }));
    for (const [, value] of r.params) expect(r.profile).not.toContain(`"${value}"`);
    const names = r.params.map(([k]) => k);
    expect(names).toEqual([...names].sort());
    expect(new Set(names).size).toBe(names.length);
  });

  it("network on: outbound and inbound plus the shared block and the user cache dir", () => {
    const r = gen(toSplitPolicy({ type: "readOnly", networkAccess: true }));
    expect(sections(r.profile)).toMatchSnapshot();
    expect(param(r, "DARWIN_USER_CACHE_DIR")).toBe("/private/var/folders/xy/abc/C");
    expect(r.profile).toContain("(allow network-outbound)\n(allow network-inbound)");
  });

  it("network off: no network rules at all", () => {
    const r = gen(toSplitPolicy({ type: "readOnly", networkAccess: false }));
    expect(r.profile).not.toMatch(/network-outbound|network-inbound|system-socket|DARWIN_USER_CACHE_DIR/);
  });

  it("proxy mode: only localhost:PORT outbound; no usable port means no network", () => {
    const r = gen(toSplitPolicy({ type: "readOnly", networkAccess: true }), "/ws/a", { proxyPorts: [8080, 3128, 8080] });
    expect(r.profile).toContain('(allow network-outbound (remote ip "localhost:3128"))\n(allow network-outbound (remote ip "localhost:8080"))');
    expect(r.profile).not.toContain("(allow network-outbound)\n");
    expect(r.profile).not.toContain("network-inbound");
    const none = gen(toSplitPolicy({ type: "readOnly", networkAccess: true }), "/ws/a", { proxyPorts: [0, 70000] });
    expect(none.profile).not.toMatch(/network-outbound|network-inbound|system-socket/);
  });

  it("unrestricted filesystem with a restricted network: full read and write, no network", () => {
    const r = gen({ label: "net-off", network: "restricted", fileSystem: { kind: "unrestricted", entries: [] } });
    expect(sections(r.profile)).toBe('(allow file-read*)\n(allow file-write* (regex #"^/"))\n');
  });

  it("restricted read with platform defaults appends the defaults block", () => {
    const r = gen(toSplitPolicy({ type: "readOnly", access: { type: "restricted", readableRoots: ["/opt/tools"] } }));
    expect(r.profile).toContain('(subpath "/usr/lib")');
    // Numbered in the resolver's order: shallowest first, then by path.
    expect(param(r, "READABLE_ROOT_0")).toBe("/opt/tools");
    expect(param(r, "READABLE_ROOT_1")).toBe("/ws/a");
  });
});

describe("globToRegex", () => {
  it("translates globs per component and anchors them", () => {
    expect(globToRegex("/a/*.txt")).toBe("^/a/[^/]*\\.txt$");
    expect(globToRegex("/a/**/b")).toBe("^/a/(.*/)?b$");
    expect(globToRegex("/a/file?.[ch]")).toBe("^/a/file[^/]\\.[ch]$");
    expect(globToRegex("/a/[x")).toBe("^/a/\\[x$");
    expect(globToRegex("/a/plain.dir")).toBe("^/a/plain\\.dir(/.*)?$");
  });

  it("refuses what the regex literal cannot hold instead of approximating it", () => {
    expect(() => globToRegex('/a/"*')).toThrow(SandboxUnavailableError);
    expect(() => globToRegex("/a/\\*")).toThrow(SandboxUnavailableError);
  });
});

describe("darwin launcher (selected by platform)", () => {
  const env = { PATH: "/usr/bin:/bin" };

  it("wraps restricted policies with /usr/bin/sandbox-exec and marks the env", async () => {
    const l = selectLauncher("darwin", { fs, isExecutable: (p) => p === SANDBOX_EXEC });
    const r = await l.transform(["ls", "-la"], { type: "workspaceWrite" }, "/ws/a", { env });
    expect(r.argv[0]).toBe(SANDBOX_EXEC);
    expect(r.argv.slice(-3)).toEqual(["--", "ls", "-la"]);
    expect(r.sandbox).toBe("seatbelt");
    expect(r.env).toMatchObject({ CODEX_SANDBOX: "seatbelt", CODEX_SANDBOX_NETWORK_DISABLED: "1" });
  });

  it("refuses a restricted policy without sandbox-exec, with the reason and the remedy; dangerFullAccess still runs", async () => {
    const l = selectLauncher("darwin", { fs, isExecutable: () => false });
    const err = await l.transform(["true"], { type: "readOnly" }, "/ws/a", { env }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SandboxUnavailableError);
    expect((err as SandboxUnavailableError).reason).toContain(SANDBOX_EXEC);
    expect((err as SandboxUnavailableError).remedy).toMatch(/externalSandbox/);
    await expect(l.transform(["true"], { type: "dangerFullAccess" }, "/ws/a", { env })).resolves.toMatchObject({ sandbox: "none", argv: ["true"] });
    expect(await l.readiness()).toMatchObject({ ok: false, launcher: "seatbelt" });
  });

  // Needs macOS: sandbox-exec and the Seatbelt kernel extension exist nowhere else.
  it.runIf(process.platform === "darwin")("confines writes to the writable roots and keeps .git read-only (real sandbox-exec)", async () => {
    const base = realpathSync(mkdtempSync(join(tmpdir(), "gh-seatbelt-")));
    try {
      const ws = join(base, "ws");
      const outside = join(base, "outside");
      mkdirSync(join(ws, ".git"), { recursive: true });
      mkdirSync(outside);
      const l = selectLauncher("darwin");
      const run = async (script: string): Promise<number | null> => {
        const r = await l.transform(["/bin/sh", "-c", script], { type: "workspaceWrite", excludeSlashTmp: true, excludeTmpdirEnvVar: true }, ws, { env });
        const [cmd, ...args] = r.argv as [string, ...string[]];
        return spawnSync(cmd, args, { cwd: r.cwd, env: r.env }).status;
      };
      expect(await run(`echo ok > "${ws}/inside.txt"`)).toBe(0);
      expect(existsSync(join(ws, "inside.txt"))).toBe(true);
      expect(await run(`echo no > "${outside}/x.txt"`)).not.toBe(0);
      expect(existsSync(join(outside, "x.txt"))).toBe(false);
      expect(await run(`echo no > "${ws}/.git/config"`)).not.toBe(0);
      expect(await run(`mkdir "${ws}/.codex"`)).not.toBe(0);
      writeFileSync(join(base, "marker"), "");
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
