import { describe, expect, it } from "vitest";
import { buildBwrapArgv } from "./bwrap.js";
import { planBwrap } from "./bwrapPlan.js";
import type { PlanInput } from "./bwrapPlan.js";
import type { BwrapProbe } from "./bwrapProbe.js";
import { SandboxUnavailableError } from "./errors.js";
import { fakeFs } from "./fakeFs.testutil.js";
import type { FsView } from "./fsView.js";
import { resolveFileSystemPolicy } from "./resolvedFileSystemPolicy.js";
import { toSplitPolicy } from "./splitSandboxPolicy.js";
import type { SandboxPolicy } from "./sandboxPolicy.js";
import type { SplitSandboxPolicy } from "./splitSandboxPolicy.js";

const probe: BwrapProbe = {
  path: "/usr/bin/bwrap",
  features: { perms: true, disableUserns: true },
  proc: "mount",
  facts: { procVersion: null, apparmorRestrictUserns: null },
  warnings: [],
};

function plan(policy: SandboxPolicy | SplitSandboxPolicy, fs: FsView, extra: Partial<PlanInput> = {}) {
  const split = "fileSystem" in policy ? policy : toSplitPolicy(policy);
  const resolved = resolveFileSystemPolicy(split.fileSystem, { cwd: "/ws", fs, tmpdir: "/tmp/user" });
  return planBwrap({
    policy: split,
    resolved,
    cwd: "/ws",
    command: ["true"],
    tty: false,
    probe,
    disableUserns: true,
    fs,
    fds: { seccomp: 3, status: 4, devNull: 5 },
    ...extra,
  });
}

const mountArgs = (argv: readonly string[]): string => {
  const from = argv.indexOf("--proc") + 2;
  const to = argv.indexOf("--unshare-user");
  return argv.slice(from, to).join(" ");
};

describe("planBwrap", () => {
  const host = fakeFs({
    "/ws/.git/config": { file: "[core]" },
    "/ws/src/main.ts": { file: "" },
    "/tmp/user": "dir",
    "/usr/bin": "dir",
    "/etc/passwd": { file: "" },
    "/bin": { link: "usr/bin" },
    "/lib64": { link: "usr/lib64" },
    "/usr/lib64": "dir",
  });

  it("workspace-write: binds cwd, /tmp and TMPDIR; protects .git; placeholders for missing names", () => {
    const p = plan({ type: "workspaceWrite" }, host);
    const { argv } = buildBwrapArgv(p.input);
    expect(mountArgs(argv)).toMatchInlineSnapshot(
      `"--bind /tmp /tmp --bind /ws /ws --perms 555 --tmpfs /tmp/.agents --remount-ro /tmp/.agents --perms 555 --tmpfs /tmp/.aws --remount-ro /tmp/.aws --perms 555 --tmpfs /tmp/.codex --remount-ro /tmp/.codex --perms 555 --tmpfs /tmp/.git --remount-ro /tmp/.git --perms 555 --tmpfs /ws/.agents --remount-ro /ws/.agents --perms 555 --tmpfs /ws/.aws --remount-ro /ws/.aws --perms 555 --tmpfs /ws/.codex --remount-ro /ws/.codex --ro-bind /ws/.git /ws/.git --perms 555 --tmpfs /tmp/user/.agents --remount-ro /tmp/user/.agents --perms 555 --tmpfs /tmp/user/.aws --remount-ro /tmp/user/.aws --perms 555 --tmpfs /tmp/user/.codex --remount-ro /tmp/user/.codex --perms 555 --tmpfs /tmp/user/.git --remount-ro /tmp/user/.git"`,
    );
    expect(argv.slice(1, 6)).toEqual(["--new-session", "--die-with-parent", "--ro-bind", "/", "/"]);
    expect(p.placeholders).toContain("/ws/.codex");
    expect(p.placeholders).not.toContain("/ws/.git");
    // TMPDIR lies inside /tmp's bind already: no second bind, but its own protected names
    expect(p.writableRoots).toEqual(["/tmp", "/ws", "/tmp/user"]);
  });

  it("read-only full access: no writable binds, nothing but the base", () => {
    const { argv } = buildBwrapArgv(plan({ type: "readOnly" }, host).input);
    expect(mountArgs(argv)).toBe("");
    expect(argv).toContain("--unshare-net");
  });

  it("restricted read: tmpfs root, platform roots (symlinks recreated), cwd read-only, --remount-ro / at the end", () => {
    const p = plan({ type: "readOnly", access: { type: "restricted" }, networkAccess: true }, host);
    const { argv } = buildBwrapArgv(p.input);
    expect(argv.join(" ")).toMatchInlineSnapshot(
      `"/usr/bin/bwrap --new-session --die-with-parent --tmpfs / --ro-bind /usr /usr --ro-bind /etc /etc --symlink usr/bin /bin --symlink usr/lib64 /lib64 --dev /dev --proc /proc --ro-bind /ws /ws --remount-ro / --unshare-user --unshare-pid --unshare-ipc --cap-drop ALL --disable-userns --chdir /ws --seccomp 3 --json-status-fd 4 -- true"`,
    );
  });

  describe("managed networking (relayFiles)", () => {
    const withRelay = fakeFs({
      "/ws/src/main.ts": { file: "" },
      "/usr/bin/node": { file: "" },
      "/usr/bin": "dir",
      "/etc/passwd": { file: "" },
      "/opt/gh/dist/netRelay.mjs": { file: "" },
      "/ws/tools/node": { file: "" },
      "/secret/node": { file: "" },
    });
    const relay = {
      command: ["/usr/bin/node", "/opt/gh/dist/netRelay.mjs", "3128", "1080", "--", "true"],
      relayFiles: ["/usr/bin/node", "/opt/gh/dist/netRelay.mjs"],
    };

    // Deliberate change of the restricted-read argv above: the policy enables the network, yet
    // managed networking cuts it (--unshare-net) and the relay runs first; the node binary is under
    // the /usr platform root already, the relay script gets its own read-only bind (bwrap creates its
    // parent folders on the tmpfs before `--remount-ro /`).
    it("restricted read: --unshare-net, the relay script bound read-only, node already visible", () => {
      const p = plan({ type: "readOnly", access: { type: "restricted" }, networkAccess: true }, withRelay, relay);
      expect(buildBwrapArgv(p.input).argv.join(" ")).toMatchInlineSnapshot(
        `"/usr/bin/bwrap --new-session --die-with-parent --tmpfs / --ro-bind /usr /usr --ro-bind /etc /etc --dev /dev --proc /proc --ro-bind /ws /ws --ro-bind /opt/gh/dist/netRelay.mjs /opt/gh/dist/netRelay.mjs --remount-ro / --unshare-user --unshare-pid --unshare-ipc --unshare-net --cap-drop ALL --disable-userns --chdir /ws --seccomp 3 --json-status-fd 4 -- /usr/bin/node /opt/gh/dist/netRelay.mjs 3128 1080 -- true"`,
      );
    });

    it("full read: nothing to bind, only the network is cut", () => {
      const p = plan({ type: "readOnly", networkAccess: true }, withRelay, relay);
      const { argv } = buildBwrapArgv(p.input);
      expect(mountArgs(argv)).toBe("");
      expect(argv).toContain("--unshare-net");
    });

    it("a relay file inside a writable root is bound read-only over it", () => {
      const p = plan({ type: "workspaceWrite", networkAccess: true, excludeSlashTmp: true, excludeTmpdirEnvVar: true }, withRelay, {
        relayFiles: ["/ws/tools/node", "/opt/gh/dist/netRelay.mjs"],
      });
      expect(mountArgs(buildBwrapArgv(p.input).argv)).toContain("--bind /ws /ws");
      expect(p.input.mounts).toContainEqual({ kind: "ro-bind", path: "/ws/tools/node" });
      expect(p.input.network).toBe("isolated");
    });

    it("a relay file under a denied path refuses the launch instead of re-opening it", () => {
      const split: SplitSandboxPolicy = {
        fileSystem: {
          kind: "restricted",
          entries: [
            { path: { type: "special", value: { kind: "root" } }, access: "read" },
            { path: { type: "path", path: "/secret" }, access: "none" },
          ],
        },
        network: "enabled",
        label: "x",
      };
      expect(() => plan(split, withRelay, { relayFiles: ["/secret/node"] })).toThrow(SandboxUnavailableError);
      expect(() => plan(split, withRelay, { relayFiles: ["/secret/node"] })).toThrow(/needs \/secret\/node inside the sandbox, but the policy denies \/secret/);
    });

    it("a relay file that is missing refuses the launch", () => {
      expect(() =>
        plan({ type: "readOnly", access: { type: "restricted" }, networkAccess: true }, withRelay, { relayFiles: ["/opt/gh/dist/gone.mjs"] }),
      ).toThrow(/not a regular file/);
    });
  });

  it("unrestricted filesystem with network off: --bind / / and no carve-outs", () => {
    const split: SplitSandboxPolicy = { fileSystem: { kind: "unrestricted", entries: [] }, network: "restricted", label: "x" };
    const { argv } = buildBwrapArgv(plan(split, host).input);
    expect(argv.slice(3, 6)).toEqual(["--bind", "/", "/"]);
    expect(mountArgs(argv)).toBe("");
    expect(argv).toContain("--unshare-net");
  });

  it("refuses a protected name that is a symlink inside a writable root", () => {
    const fs = fakeFs({ "/ws/.codex": { link: "decoy" }, "/ws/decoy": "dir" });
    const err = (() => {
      try {
        plan({ type: "workspaceWrite", excludeSlashTmp: true, excludeTmpdirEnvVar: true }, fs);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(SandboxUnavailableError);
    expect(err).toMatchObject({
      code: "unenforceable-path",
      reason: "cannot enforce sandbox read-only path /ws/.codex: it crosses writable symlink /ws/.codex",
    });
  });

  it("refuses a denied path reached through a symlinked directory in a writable root", () => {
    const fs = fakeFs({ "/ws/conf": { link: "/ws/real" }, "/ws/real/secret": { file: "" } });
    const split: SplitSandboxPolicy = {
      fileSystem: {
        kind: "restricted",
        entries: [
          { path: { type: "special", value: { kind: "root" } }, access: "read" },
          { path: { type: "special", value: { kind: "current_working_directory" } }, access: "write" },
          { path: { type: "path", path: "/ws/conf/secret" }, access: "none" },
        ],
      },
      network: "restricted",
      label: "custom",
    };
    expect(() => plan(split, fs)).toThrow(/cannot enforce sandbox denied path \/ws\/conf\/secret: it crosses writable symlink \/ws\/conf/);
  });

  it("worktree .git file: the file and its gitdir are read-only when a writable root covers them", () => {
    const fs = fakeFs({
      "/ws/.git": { file: "gitdir: /repo/.git/worktrees/wt\n" },
      "/repo/.git/worktrees/wt/HEAD": { file: "ref" },
      "/repo/.git/worktrees/wt/commondir": { file: "../..\n" },
    });
    const p = plan({ type: "workspaceWrite", writableRoots: ["/repo"], excludeSlashTmp: true, excludeTmpdirEnvVar: true }, fs);
    const args = mountArgs(buildBwrapArgv(p.input).argv);
    expect(args).toContain("--ro-bind /ws/.git /ws/.git");
    expect(args).toContain("--ro-bind /repo/.git /repo/.git");
    // the worktree gitdir lies under /repo/.git, already read-only: no redundant mount
    expect(args).not.toContain("--ro-bind /repo/.git/worktrees/wt ");
  });

  it("deny entries: directory mask, file mask, re-opened writable child, missing path placeholder in a writable root", () => {
    const fs = fakeFs({
      "/ws/secret/open": "dir",
      "/ws/secret/key": { file: "k" },
      "/ws/.env": { file: "E" },
      "/ws/.git": "dir",
      "/ws/.codex": "dir",
      "/ws/.agents": "dir",
      "/ws/.aws": "dir",
    });
    const split: SplitSandboxPolicy = {
      fileSystem: {
        kind: "restricted",
        entries: [
          { path: { type: "special", value: { kind: "root" } }, access: "read" },
          { path: { type: "special", value: { kind: "current_working_directory" } }, access: "write" },
          { path: { type: "path", path: "/ws/secret" }, access: "none" },
          { path: { type: "path", path: "/ws/secret/open" }, access: "write" },
          { path: { type: "path", path: "/ws/.env" }, access: "none" },
          { path: { type: "path", path: "/ws/later/token" }, access: "none" },
        ],
      },
      network: "restricted",
      label: "custom",
    };
    const p = plan(split, fs);
    const args = mountArgs(buildBwrapArgv(p.input).argv);
    expect(args).toContain("--perms 000 --ro-bind-data 5 /ws/.env");
    expect(args).toContain("--perms 111 --tmpfs /ws/secret --dir /ws/secret/open --remount-ro /ws/secret");
    expect(args.indexOf("--remount-ro /ws/secret")).toBeLessThan(args.indexOf("--bind /ws/secret/open /ws/secret/open"));
    expect(args).toContain("--perms 000 --tmpfs /ws/later/token --remount-ro /ws/later/token");
    expect(p.placeholders).toEqual(expect.arrayContaining(["/ws/later", "/ws/later/token"]));
    expect(p.rules).toContainEqual({ path: "/ws/secret", access: "none", reason: "policy custom" });
  });

  it("glob deny entries are expanded below their static prefix; link matches mask their target", () => {
    const fs = fakeFs({
      "/ws/.env": { file: "" },
      "/ws/app/prod.env": { file: "" },
      "/ws/app/readme.md": { file: "" },
      "/ws/link.env": { link: "/home/u/secrets.env" },
      "/home/u/secrets.env": { file: "" },
      "/ws/.git": "dir",
    });
    const split: SplitSandboxPolicy = {
      fileSystem: {
        kind: "restricted",
        entries: [
          { path: { type: "special", value: { kind: "root" } }, access: "read" },
          { path: { type: "special", value: { kind: "current_working_directory" } }, access: "write" },
          { path: { type: "glob_pattern", pattern: "**/*.env" }, access: "none" },
        ],
      },
      network: "restricted",
      label: "custom",
    };
    const args = mountArgs(buildBwrapArgv(plan(split, fs).input).argv);
    expect(args).toContain("--ro-bind-data 5 /ws/.env");
    expect(args).toContain("--ro-bind-data 5 /ws/app/prod.env");
    expect(args).toContain("--ro-bind-data 5 /home/u/secrets.env");
    expect(args).not.toContain("readme");
  });

  it("daemon state dir is masked and its config kept read-only even inside a writable root", () => {
    const fs = fakeFs({ "/ws/.git": "dir", "/home/u/.gatehouse/config.toml": { file: "" }, "/ws/.gatehouse-state": "dir" });
    const p = plan({ type: "workspaceWrite", writableRoots: ["/home/u"], excludeSlashTmp: true, excludeTmpdirEnvVar: true }, fs, {
      daemonPaths: { deny: ["/ws/.gatehouse-state"], readOnly: ["/home/u/.gatehouse/config.toml"] },
    });
    const args = mountArgs(buildBwrapArgv(p.input).argv);
    expect(args).toContain("--perms 000 --tmpfs /ws/.gatehouse-state --remount-ro /ws/.gatehouse-state");
    expect(args).toContain("--ro-bind /home/u/.gatehouse/config.toml /home/u/.gatehouse/config.toml");
  });

  it("a missing .git inside an enclosing repository is watched, not placeholdered", () => {
    const fs = fakeFs({ "/repo/.git/HEAD": { file: "ref" }, "/repo/pkg": "dir" });
    const split = toSplitPolicy({ type: "workspaceWrite", excludeSlashTmp: true, excludeTmpdirEnvVar: true });
    const resolved = resolveFileSystemPolicy(split.fileSystem, { cwd: "/repo/pkg", fs });
    const p = planBwrap({
      policy: split,
      resolved,
      cwd: "/repo/pkg",
      command: ["true"],
      tty: false,
      probe,
      disableUserns: true,
      fs,
      fds: { seccomp: 3, status: 4, devNull: 5 },
    });
    expect(p.watch).toEqual(["/repo/pkg/.git"]);
    expect(p.placeholders).not.toContain("/repo/pkg/.git");
  });

  it("a placeholder still held by another sandbox is planned as missing again", () => {
    const fs = fakeFs({ "/ws/.git": "dir", "/ws/.codex": "dir", "/ws/.agents": "dir", "/ws/.aws": "dir" });
    const p = plan({ type: "workspaceWrite", excludeSlashTmp: true, excludeTmpdirEnvVar: true }, fs, { isLivePlaceholder: (x) => x === "/ws/.codex" });
    expect(p.placeholders).toEqual(["/ws/.codex"]);
    expect(mountArgs(buildBwrapArgv(p.input).argv)).toContain("--tmpfs /ws/.codex");
  });

  // Fails if protectHardLinks is not called: the aliases get no mounts of their own and
  // stay writable through the workspace bind.
  it("other names of a protected file inside writable roots get its access (pre-existing hard links)", () => {
    const fs = fakeFs({
      "/ws/.git/config": { file: "[core]", nlink: 2, ino: 1 },
      "/ws/notes/cfg-alias": { file: "[core]", nlink: 2, ino: 1 },
      "/ws/.git/hooks/pre-commit": { file: "#!", nlink: 2, ino: 2 },
      "/ws/hook-alias": { file: "#!", nlink: 2, ino: 2 },
      "/home/u/.gatehouse/config.toml": { file: "", nlink: 2, ino: 3 },
      "/ws/config-alias": { file: "", nlink: 2, ino: 3 },
      "/home/u/.gatehouse/auth.json": { file: "", nlink: 2, ino: 4 },
      "/ws/sub/auth-alias": { file: "", nlink: 2, ino: 4 },
      "/ws/unrelated": { file: "", nlink: 3, ino: 5 },
      "/ws/.codex": "dir",
      "/ws/.agents": "dir",
      "/ws/.aws": "dir",
    });
    const p = plan({ type: "workspaceWrite", excludeSlashTmp: true, excludeTmpdirEnvVar: true }, fs, {
      daemonPaths: { readOnly: ["/home/u/.gatehouse/config.toml"], deny: ["/home/u/.gatehouse/auth.json"] },
    });
    const args = mountArgs(buildBwrapArgv(p.input).argv);
    expect(args).toContain("--ro-bind /ws/notes/cfg-alias /ws/notes/cfg-alias");
    expect(args).toContain("--ro-bind /ws/hook-alias /ws/hook-alias");
    expect(args).toContain("--ro-bind /ws/config-alias /ws/config-alias");
    expect(args).toContain("--perms 000 --ro-bind-data 5 /ws/sub/auth-alias");
    expect(args).not.toContain("unrelated");
    expect(p.rules).toContainEqual({ path: "/ws/notes/cfg-alias", access: "read", reason: "hard link to protected /ws/.git/config" });
  });

  // Fail closed: a protected file whose other names cannot all be searched for refuses the launch.
  // Fails if the budget is not enforced (the launch would go ahead with an unprotected alias possible).
  it("refuses when the hard-link search cannot finish within its budget", () => {
    const spec: Record<string, { file: string; nlink?: number; ino?: number } | "dir"> = { "/ws/.git/config": { file: "", nlink: 2, ino: 1 } };
    for (let i = 0; i < 20_100; i++) spec[`/ws/d${i}`] = { file: "" };
    const fs = fakeFs(spec);
    expect(() => plan({ type: "workspaceWrite", excludeSlashTmp: true, excludeTmpdirEnvVar: true }, fs)).toThrow(/too large .* to find them all/);
    // The other name lies outside the writable roots and the roots are small: nothing to mount, runs.
    const small = fakeFs({ "/ws/.git/config": { file: "", nlink: 2, ino: 1 }, "/elsewhere/copy": { file: "", nlink: 2, ino: 1 } });
    expect(mountArgs(buildBwrapArgv(plan({ type: "workspaceWrite", excludeSlashTmp: true, excludeTmpdirEnvVar: true }, small).input).argv)).not.toContain(
      "copy",
    );
  });
});
