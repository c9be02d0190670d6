import { describe, expect, it } from "vitest";
import { fakeFs } from "./fakeFs.testutil.js";
import {
  accessForPath,
  canonicalize,
  findWritableSymlinkCrossing,
  listPermissionProfiles,
  parseFileSystemAccess,
  parseGitdirPointer,
  protectedSubpaths,
  resolveFileSystemPolicy,
  resolvePermissionProfile,
  sandboxPolicyForMode,
  toSplitPolicy,
} from "./policy.js";
import type { FileSystemSandboxEntry, FileSystemSandboxPolicy } from "./policy.js";
import { SandboxPolicyError } from "./errors.js";

const host = fakeFs({
  "/ws/src/a.txt": { file: "a" },
  "/ws/.git": "dir",
  "/extra": "dir",
  "/tmp": "dir",
  "/var/tmp": "dir",
  "/usr/bin": "dir",
  "/bin": { link: "usr/bin" },
  "/home/u/link-ws": { link: "/ws" },
});

const ctx = { cwd: "/ws", fs: host, tmpdir: "/var/tmp" };

describe("legacy → split conversion", () => {
  it("readOnly with full access is root:read, network restricted unless asked", () => {
    expect(toSplitPolicy({ type: "readOnly" })).toEqual({
      fileSystem: { kind: "restricted", entries: [{ path: { type: "special", value: { kind: "root" } }, access: "read", additive: true }] },
      network: "restricted",
      label: "read-only",
    });
    expect(toSplitPolicy({ type: "readOnly", networkAccess: true }).network).toBe("enabled");
  });

  it("readOnly with restricted access lists cwd, minimal (default on) and readable roots", () => {
    const s = toSplitPolicy({ type: "readOnly", access: { type: "restricted", readableRoots: ["/extra"] } });
    expect(s.fileSystem.entries).toEqual([
      { path: { type: "special", value: { kind: "current_working_directory" } }, access: "read", additive: true },
      { path: { type: "special", value: { kind: "minimal" } }, access: "read", additive: true },
      { path: { type: "path", path: "/extra" }, access: "read", additive: true },
    ]);
    const noDefaults = toSplitPolicy({ type: "readOnly", access: { type: "restricted", includePlatformDefaults: false } });
    expect(noDefaults.fileSystem.entries.map((e) => e.path.type === "special" && e.path.value.kind)).toEqual(["current_working_directory"]);
  });

  it("workspaceWrite adds cwd, writable roots, /tmp and TMPDIR unless excluded", () => {
    const kinds = (entries: readonly FileSystemSandboxEntry[]): string[] =>
      entries.map((e) => `${e.path.type === "special" ? e.path.value.kind : e.path.type === "path" ? e.path.path : e.path.pattern}:${e.access}`);
    expect(kinds(toSplitPolicy({ type: "workspaceWrite", writableRoots: ["/extra"] }).fileSystem.entries)).toEqual([
      "root:read",
      "current_working_directory:write",
      "/extra:write",
      "slash_tmp:write",
      "tmpdir:write",
    ]);
    expect(
      kinds(toSplitPolicy({ type: "workspaceWrite", excludeSlashTmp: true, excludeTmpdirEnvVar: true }).fileSystem.entries),
    ).toEqual(["root:read", "current_working_directory:write"]);
  });

  it("drops legacy readable roots that lie under a writable root", () => {
    const s = toSplitPolicy({
      type: "workspaceWrite",
      writableRoots: ["/extra"],
      readOnlyAccess: { type: "restricted", readableRoots: ["/extra/sub", "/other"] },
    });
    const paths = s.fileSystem.entries.flatMap((e) => (e.path.type === "path" ? [e.path.path] : []));
    expect(paths).toEqual(["/other", "/extra"]);
  });

  it("dangerFullAccess is unrestricted with network; externalSandbox keeps its network flag", () => {
    expect(toSplitPolicy({ type: "dangerFullAccess" })).toMatchObject({ fileSystem: { kind: "unrestricted" }, network: "enabled" });
    expect(toSplitPolicy({ type: "externalSandbox" })).toMatchObject({ fileSystem: { kind: "external-sandbox" }, network: "restricted" });
    expect(toSplitPolicy({ type: "externalSandbox", networkAccess: "enabled" }).network).toBe("enabled");
  });

  it("maps config sandbox_mode values", () => {
    expect(sandboxPolicyForMode("read-only")).toEqual({ type: "readOnly" });
    expect(sandboxPolicyForMode("workspace-write", { network_access: true, writable_roots: ["/x"] })).toMatchObject({
      type: "workspaceWrite",
      networkAccess: true,
      writableRoots: ["/x"],
    });
  });

  it("accepts deny as none and rejects unknown access words", () => {
    expect(parseFileSystemAccess("deny")).toBe("none");
    expect(parseFileSystemAccess("none")).toBe("none");
    expect(() => parseFileSystemAccess("rw")).toThrow(SandboxPolicyError);
  });
});

describe("access resolution", () => {
  it("most specific entry wins; a tie goes to the more restrictive (none > read > write); no entry means none", () => {
    const rules = [
      { path: "/", access: "read" as const },
      { path: "/ws", access: "write" as const },
      { path: "/ws", access: "read" as const },
      { path: "/ws/open", access: "write" as const },
      { path: "/ws/secret", access: "none" as const },
      { path: "/ws/secret/open", access: "write" as const },
    ];
    expect(accessForPath(rules, "/etc/passwd")).toBe("read");
    expect(accessForPath(rules, "/ws/a")).toBe("read");
    expect(accessForPath(rules, "/ws/open/a")).toBe("write");
    expect(accessForPath(rules, "/ws/secret/x")).toBe("none");
    expect(accessForPath(rules, "/ws/secret/open/y")).toBe("write");
    expect(accessForPath(rules, "/wsx")).toBe("read");
    expect(accessForPath([{ path: "/ws", access: "write" }], "/etc")).toBe("none");
    expect(accessForPath([{ path: "/a", access: "write" }, { path: "/a", access: "none" }], "/a/b")).toBe("none");
  });

  // The tie rule at resolution: two spellings of one directory (a path and a symlink to it), one
  // read and one write, resolve to read. Fails if conflictWinner prefers write (the old
  // none > write > read order made /ws writable here).
  it("split policy: equally specific read and write entries for one directory resolve to read", () => {
    const r = resolveFileSystemPolicy(
      {
        kind: "restricted",
        entries: [
          { path: { type: "special", value: { kind: "root" } }, access: "read" },
          { path: { type: "path", path: "/ws" }, access: "write" },
          { path: { type: "path", path: "/home/u/link-ws" }, access: "read" },
        ],
      },
      ctx,
    );
    expect(r.rules.find((x) => x.path === "/ws")?.access).toBe("read");
    expect(r.writableRoots).toEqual([]);
    const cwdTie = resolveFileSystemPolicy(
      {
        kind: "restricted",
        entries: [
          { path: { type: "special", value: { kind: "current_working_directory" } }, access: "write" },
          { path: { type: "special", value: { kind: "project_roots" } }, access: "read" },
        ],
      },
      ctx,
    );
    expect(accessForPath(cwdTie.rules, "/ws/src/a.txt")).toBe("read");
    const deny = resolveFileSystemPolicy(
      { kind: "restricted", entries: [{ path: { type: "path", path: "/ws" }, access: "write" }, { path: { type: "path", path: "/ws" }, access: "none" }] },
      ctx,
    );
    expect(deny.rules).toMatchObject([{ path: "/ws", access: "none" }]);
  });

  // The legacy read part only adds read access: workspaceWrite with restricted read lists the cwd
  // (and here a readable root spelled as the cwd) as read beside cwd:write. Fails if the legacy
  // entries are not marked additive (the cwd would turn read-only under the tie rule).
  it("legacy workspaceWrite with restricted read keeps the cwd writable", () => {
    const split = toSplitPolicy({
      type: "workspaceWrite",
      readOnlyAccess: { type: "restricted", readableRoots: ["/ws", "/extra"] },
      excludeSlashTmp: true,
      excludeTmpdirEnvVar: true,
    });
    const r = resolveFileSystemPolicy(split.fileSystem, ctx);
    expect(r.writableRoots.map((w) => w.root)).toEqual(["/ws"]);
    expect(accessForPath(r.rules, "/extra/x")).toBe("read");
  });

  it("canonicalises through the longest existing ancestor and keeps the missing tail", () => {
    expect(canonicalize("/home/u/link-ws/new/file", host)).toBe("/ws/new/file");
    expect(canonicalize("/bin/sh", host)).toBe("/usr/bin/sh");
    expect(canonicalize("/nope/x", host)).toBe("/nope/x");
  });

  it("resolves workspaceWrite: writable roots, tmp dirs, full read, not full write", () => {
    const r = resolveFileSystemPolicy(toSplitPolicy({ type: "workspaceWrite", writableRoots: ["/extra"] }).fileSystem, ctx);
    expect(r.fullRead).toBe(true);
    expect(r.fullWrite).toBe(false);
    expect(r.writableRoots.map((w) => w.root)).toEqual(["/extra", "/tmp", "/ws", "/var/tmp"]);
    expect(r.warnings).toEqual([]);
  });

  it("skips a missing writable root with a warning instead of failing", () => {
    const r = resolveFileSystemPolicy(toSplitPolicy({ type: "workspaceWrite", writableRoots: ["/missing/root"] }).fileSystem, ctx);
    expect(r.writableRoots.map((w) => w.root)).not.toContain("/missing/root");
    expect(accessForPath(r.rules, "/missing/root/x")).toBe("read");
    expect(r.warnings).toEqual([
      { code: "missing-writable-root", message: "writable root /missing/root does not exist; skipped (nothing can be written there)" },
    ]);
  });

  it("ignores TMPDIR when unset or relative and /tmp when it is not a directory", () => {
    const fs2 = fakeFs({ "/ws": "dir", "/tmp": { file: "" } });
    const r = resolveFileSystemPolicy(toSplitPolicy({ type: "workspaceWrite" }).fileSystem, { cwd: "/ws", fs: fs2, tmpdir: "rel/tmp" });
    expect(r.writableRoots.map((w) => w.root)).toEqual(["/ws"]);
  });

  it("restricted read: platform defaults only with minimal; readable roots listed", () => {
    const r = resolveFileSystemPolicy(
      toSplitPolicy({ type: "readOnly", access: { type: "restricted", readableRoots: ["/extra"] } }).fileSystem,
      ctx,
    );
    expect(r.fullRead).toBe(false);
    expect(r.includePlatformDefaults).toBe(true);
    expect(r.readableRoots).toEqual(["/extra", "/ws"]);
  });

  it("full write needs root:write and nothing narrower", () => {
    const root = (access: "read" | "write" | "none"): FileSystemSandboxEntry => ({ path: { type: "special", value: { kind: "root" } }, access });
    const p = (entries: FileSystemSandboxEntry[]): FileSystemSandboxPolicy => ({ kind: "restricted", entries });
    expect(resolveFileSystemPolicy(p([root("write")]), ctx).fullWrite).toBe(true);
    expect(resolveFileSystemPolicy(p([root("write"), { path: { type: "path", path: "/ws" }, access: "read" }]), ctx).fullWrite).toBe(false);
    // A tie goes to the more restrictive entry, so root:read beside root:write narrows it.
    expect(resolveFileSystemPolicy(p([root("write"), root("read")]), ctx).fullWrite).toBe(false);
    const denied = resolveFileSystemPolicy(p([root("read"), { path: { type: "path", path: "/ws/.git" }, access: "none" }]), ctx);
    expect(denied.fullRead).toBe(false);
    expect(denied.unreadableRoots).toEqual(["/ws/.git"]);
  });

  it("expands project_roots with a subpath over every root and keeps globs absolute", () => {
    const r = resolveFileSystemPolicy(
      {
        kind: "restricted",
        entries: [
          { path: { type: "special", value: { kind: "project_roots", subpath: "src" } }, access: "write" },
          { path: { type: "glob_pattern", pattern: "**/*.env" }, access: "none" },
          { path: { type: "special", value: { kind: "unknown", path: "/x" } }, access: "write" },
        ],
      },
      { ...ctx, projectRoots: ["/ws", "/extra"] },
    );
    expect(r.rules.map((x) => x.path)).toEqual(["/ws/src"]);
    expect(r.warnings.map((w) => w.message)).toEqual(["writable root /extra/src does not exist; skipped (nothing can be written there)"]);
    expect(r.globs).toEqual([{ pattern: "/ws/**/*.env", access: "none" }]);
  });
});

describe("protected subpaths", () => {
  it("covers .git, .codex, .agents, .aws whether present or missing", () => {
    const ps = protectedSubpaths("/ws", host);
    expect(ps.map((p) => [p.path, p.state, p.watchOnly])).toEqual([
      ["/ws/.git", "dir", false],
      ["/ws/.codex", "missing", false],
      ["/ws/.agents", "missing", false],
      ["/ws/.aws", "missing", false],
    ]);
  });

  it("follows a worktree .git file to its gitdir and commondir", () => {
    const fs2 = fakeFs({
      "/wt/.git": { file: "gitdir: /repo/.git/worktrees/wt\n" },
      "/repo/.git/worktrees/wt/commondir": { file: "../..\n" },
    });
    expect(protectedSubpaths("/wt", fs2).filter((p) => p.path.includes("repo")).map((p) => [p.path, p.state])).toEqual([
      ["/repo/.git/worktrees/wt", "dir"],
      ["/repo/.git", "dir"],
    ]);
    expect(parseGitdirPointer("gitdir: ../main/.git/modules/sub\n", "/x/sub")).toBe("/x/main/.git/modules/sub");
  });

  it("reports a symlinked .git as a symlink", () => {
    const fs2 = fakeFs({ "/ws/.git": { link: "/elsewhere/git" }, "/elsewhere/git": "dir" });
    expect(protectedSubpaths("/ws", fs2)[0]).toMatchObject({ path: "/ws/.git", state: "symlink" });
  });

  it("does not placeholder a missing .git inside an enclosing repository (watches it instead)", () => {
    const fs2 = fakeFs({ "/repo/.git/HEAD": { file: "ref" }, "/repo/pkg": "dir" });
    expect(protectedSubpaths("/repo/pkg", fs2)[0]).toMatchObject({ path: "/repo/pkg/.git", state: "missing", watchOnly: true });
  });

  it("an empty .git left above by a crashed run is not a repository", () => {
    const fs2 = fakeFs({ "/tmp/.git": "dir", "/tmp/ws": "dir", "/srv/.git/HEAD": { file: "ref" }, "/srv/ws": "dir" });
    expect(protectedSubpaths("/tmp/ws", fs2)[0]).toMatchObject({ path: "/tmp/ws/.git", watchOnly: false });
    expect(protectedSubpaths("/srv/ws", fs2)[0]).toMatchObject({ path: "/srv/ws/.git", watchOnly: true });
  });
});

describe("writable symlink crossing", () => {
  const fs2 = fakeFs({ "/ws/.codex": { link: "decoy" }, "/ws/decoy": "dir", "/ws/docs": { link: "/outside/docs" }, "/outside/docs/x": { file: "" } });
  it("finds links inside writable roots and follows links outside them", () => {
    expect(findWritableSymlinkCrossing("/ws/.codex", ["/ws"], fs2)).toBe("/ws/.codex");
    expect(findWritableSymlinkCrossing("/ws/docs/x", ["/ws"], fs2)).toBe("/ws/docs");
    expect(findWritableSymlinkCrossing("/ws/docs/x", ["/tmp"], fs2)).toBeNull();
    expect(findWritableSymlinkCrossing("/bin/sh", ["/ws"], host)).toBeNull();
  });
});

describe("permission profiles", () => {
  const pctx = { cwd: "/ws", home: "/home/u" };

  it("built-ins resolve to the same model as the legacy policies", () => {
    expect(resolvePermissionProfile(":read-only", {}, pctx).policy).toEqual({
      fileSystem: { kind: "restricted", entries: [{ path: { type: "special", value: { kind: "root" } }, access: "read" }] },
      network: "restricted",
      label: ":read-only",
    });
    const ws = resolvePermissionProfile(":workspace", {}, pctx);
    expect(ws.policy.fileSystem.entries).toContainEqual({ path: { type: "path", path: "/ws" }, access: "write" });
    expect(resolvePermissionProfile(":danger-full-access", {}, pctx).policy).toMatchObject({
      fileSystem: { kind: "unrestricted" },
      network: "enabled",
    });
  });

  it("expands :workspace_roots tables over every root, ~ paths, globs, and merges extends", () => {
    const r = resolvePermissionProfile(
      "dev",
      {
        dev: {
          extends: ":workspace",
          workspace_roots: { "~/code/lib": true },
          filesystem: {
            ":workspace_roots": { ".devcontainer": "read", "**/*.env": "deny" },
            "~/.ssh": "deny",
          },
          network: { enabled: true, domains: { "API.openai.com": "allow", "tracking.example.com": "deny" } },
        },
      },
      pctx,
    );
    expect(r.workspaceRoots).toEqual(["/ws", "/home/u/code/lib"]);
    expect(r.policy.network).toBe("enabled");
    expect(r.domains).toEqual({ allow: ["api.openai.com"], deny: ["tracking.example.com"] });
    const e = r.policy.fileSystem.entries;
    expect(e).toContainEqual({ path: { type: "path", path: "/home/u/code/lib" }, access: "write" });
    expect(e).toContainEqual({ path: { type: "path", path: "/ws/.devcontainer" }, access: "read" });
    expect(e).toContainEqual({ path: { type: "glob_pattern", pattern: "/home/u/code/lib/**/*.env" }, access: "none" });
    expect(e).toContainEqual({ path: { type: "path", path: "/home/u/.ssh" }, access: "none" });
  });

  it("a child overrides its parent's access for the same key", () => {
    const r = resolvePermissionProfile("ro-tmp", { "ro-tmp": { extends: ":workspace", filesystem: { ":tmpdir": "read" } } }, pctx);
    expect(r.policy.fileSystem.entries).toContainEqual({ path: { type: "special", value: { kind: "tmpdir" } }, access: "read" });
    expect(r.policy.fileSystem.entries).not.toContainEqual({ path: { type: "special", value: { kind: "tmpdir" } }, access: "write" });
  });

  it("refuses unknown profiles, cycles, unknown roots and bad access words", () => {
    expect(() => resolvePermissionProfile("nope", {}, pctx)).toThrow(/unknown permission profile "nope"/);
    expect(() => resolvePermissionProfile("a", { a: { extends: "b" }, b: { extends: "a" } }, pctx)).toThrow(/cycle: a → b → a/);
    expect(() => resolvePermissionProfile("a", { a: { filesystem: { ":bogus": "read" } } }, pctx)).toThrow(/unknown filesystem root/);
    expect(() => resolvePermissionProfile("a", { a: { filesystem: { "/x": "rw" as never } } }, pctx)).toThrow(SandboxPolicyError);
    expect(() => resolvePermissionProfile("a", { a: { filesystem: { "~/x": "read" } } }, { cwd: "/ws" })).toThrow(/home directory/);
  });

  it("lists built-ins and configured profiles", () => {
    expect(listPermissionProfiles({ dev: { description: "mine" } }).map((p) => p.id)).toEqual([
      ":read-only",
      ":workspace",
      ":danger-full-access",
      "dev",
    ]);
  });
});
