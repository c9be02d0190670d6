import { describe, expect, it } from "vitest";
import { buildBwrapArgv } from "./bwrap.js";
import type { BwrapInput } from "./bwrap.js";

const base: BwrapInput = {
  bwrapPath: "/usr/bin/bwrap",
  command: ["bash", "-c", "echo hi"],
  cwd: "/ws",
  base: "ro-bind",
  platformRoots: [],
  proc: "mount",
  mounts: [],
  network: "isolated",
  tty: false,
  disableUserns: true,
  features: { perms: true, disableUserns: true },
  fds: { seccomp: 3, status: 4, devNull: 5 },
};

/** Positions of flags, to assert ordering constraints independently of the snapshots. */
const at = (argv: readonly string[], ...seq: string[]): number => {
  for (let i = 0; i < argv.length; i++) if (seq.every((s, j) => argv[i + j] === s)) return i;
  return -1;
};

describe("buildBwrapArgv", () => {
  it("workspace-write: mount order pinned (base, /dev, /proc, root then its protected subpaths, namespaces, fds)", () => {
    const { argv } = buildBwrapArgv({
      ...base,
      mounts: [
        { kind: "ro-bind", path: "/ws/.git" },
        { kind: "placeholder", path: "/ws/.codex" },
        { kind: "bind", path: "/ws" },
        { kind: "bind", path: "/tmp" },
      ],
    });
    expect(argv).toMatchInlineSnapshot(`
      [
        "/usr/bin/bwrap",
        "--new-session",
        "--die-with-parent",
        "--ro-bind",
        "/",
        "/",
        "--dev",
        "/dev",
        "--proc",
        "/proc",
        "--bind",
        "/tmp",
        "/tmp",
        "--bind",
        "/ws",
        "/ws",
        "--perms",
        "555",
        "--tmpfs",
        "/ws/.codex",
        "--remount-ro",
        "/ws/.codex",
        "--ro-bind",
        "/ws/.git",
        "/ws/.git",
        "--unshare-user",
        "--unshare-pid",
        "--unshare-ipc",
        "--unshare-net",
        "--cap-drop",
        "ALL",
        "--disable-userns",
        "--chdir",
        "/ws",
        "--seccomp",
        "3",
        "--json-status-fd",
        "4",
        "--",
        "bash",
        "-c",
        "echo hi",
      ]
    `);
  });

  it("restricted read: tmpfs root, platform roots, re-opened descendants of a mask, remount-ro / last of the mounts", () => {
    const { argv } = buildBwrapArgv({
      ...base,
      base: "tmpfs",
      platformRoots: [
        { kind: "ro-bind", path: "/usr" },
        { kind: "ro-bind", path: "/etc" },
        { kind: "symlink", path: "/bin", target: "usr/bin" },
      ],
      mounts: [
        { kind: "bind", path: "/home/u/ws" },
        {
          kind: "mask-dir",
          path: "/home/u/ws/secret",
          reopen: [
            { path: "/home/u/ws/secret/open/deep", type: "dir" },
            { path: "/home/u/ws/secret/pub.txt", type: "file" },
          ],
        },
        { kind: "bind", path: "/home/u/ws/secret/open/deep" },
        { kind: "ro-bind", path: "/home/u/ws/secret/pub.txt" },
        { kind: "mask-file", path: "/home/u/ws/.env" },
        { kind: "mask-dir", path: "/home/u/ws/cache", reopen: [] },
      ],
    });
    expect(argv.join(" ")).toMatchInlineSnapshot(
      `"/usr/bin/bwrap --new-session --die-with-parent --tmpfs / --ro-bind /usr /usr --ro-bind /etc /etc --symlink usr/bin /bin --dev /dev --proc /proc --bind /home/u/ws /home/u/ws --perms 000 --ro-bind-data 5 /home/u/ws/.env --perms 000 --tmpfs /home/u/ws/cache --remount-ro /home/u/ws/cache --perms 111 --tmpfs /home/u/ws/secret --dir /home/u/ws/secret/open --dir /home/u/ws/secret/open/deep --ro-bind /home/u/ws/secret/pub.txt /home/u/ws/secret/pub.txt --remount-ro /home/u/ws/secret --bind /home/u/ws/secret/open/deep /home/u/ws/secret/open/deep --remount-ro / --unshare-user --unshare-pid --unshare-ipc --unshare-net --cap-drop ALL --disable-userns --chdir /ws --seccomp 3 --json-status-fd 4 -- bash -c echo hi"`,
    );
    // Every mount point, /proc included, precedes --remount-ro /, or the remount makes it uncreatable.
    const remountRoot = at(argv, "--remount-ro", "/");
    expect(remountRoot).toBeGreaterThan(at(argv, "--proc", "/proc"));
    expect(remountRoot).toBeGreaterThan(at(argv, "--bind", "/home/u/ws/secret/open/deep"));
    // --dev precedes every bind (a later --dev hides /dev binds); the mask's --dir precede its --remount-ro.
    expect(at(argv, "--dev", "/dev")).toBeLessThan(at(argv, "--bind", "/home/u/ws"));
    expect(at(argv, "--dir", "/home/u/ws/secret/open/deep")).toBeLessThan(at(argv, "--remount-ro", "/home/u/ws/secret"));
  });

  it("tty runs keep the session; network on drops --unshare-net; the proc fallback masks /proc", () => {
    const { argv } = buildBwrapArgv({ ...base, tty: true, network: "host", proc: "mask", base: "bind" });
    expect(argv).not.toContain("--new-session");
    expect(argv).not.toContain("--unshare-net");
    expect(argv).toContain("--die-with-parent");
    expect(at(argv, "--tmpfs", "/proc")).toBeGreaterThan(0);
    expect(at(argv, "--bind", "/", "/")).toBeGreaterThan(0);
    expect(at(argv, "--cap-drop", "ALL")).toBeGreaterThan(0);
    expect(argv).toContain("--unshare-user");
  });

  it("drops --perms and --disable-userns when the probe says bwrap lacks them", () => {
    const { argv } = buildBwrapArgv({
      ...base,
      features: { perms: false, disableUserns: false },
      mounts: [
        { kind: "bind", path: "/ws" },
        { kind: "mask-file", path: "/ws/.env" },
      ],
    });
    expect(argv).not.toContain("--perms");
    expect(argv).not.toContain("--disable-userns");
    expect(at(argv, "--ro-bind-data", "5", "/ws/.env")).toBeGreaterThan(0);
  });

  it("keeps the command's argv verbatim after --, never joined into a shell string", () => {
    const { argv } = buildBwrapArgv({ ...base, command: ["printf", "%s\n", "a b; rm -rf /", "--", "$(x)"] });
    expect(argv.slice(argv.indexOf("--") + 1)).toEqual(["printf", "%s\n", "a b; rm -rf /", "--", "$(x)"]);
  });

  it("refuses non-canonical paths, duplicate mounts, a path mount of / and an empty command", () => {
    expect(() => buildBwrapArgv({ ...base, cwd: "/ws/../etc" })).toThrow(/canonical/);
    expect(() => buildBwrapArgv({ ...base, mounts: [{ kind: "bind", path: "ws" }] })).toThrow(/canonical/);
    expect(() => buildBwrapArgv({ ...base, mounts: [{ kind: "bind", path: "/ws/" }] })).toThrow(/canonical/);
    expect(() =>
      buildBwrapArgv({
        ...base,
        mounts: [
          { kind: "bind", path: "/ws" },
          { kind: "ro-bind", path: "/ws" },
        ],
      }),
    ).toThrow(/twice/);
    expect(() => buildBwrapArgv({ ...base, mounts: [{ kind: "bind", path: "/" }] })).toThrow(/root/);
    expect(() => buildBwrapArgv({ ...base, command: [] })).toThrow(/command/);
    expect(() => buildBwrapArgv({ ...base, mounts: [{ kind: "mask-dir", path: "/a", reopen: [{ path: "/a/f", type: "file" }] }] })).toThrow(/no bind/);
  });
});
