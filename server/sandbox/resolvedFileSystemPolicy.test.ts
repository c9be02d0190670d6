import { describe, expect, it } from "vitest";
import { fakeFs } from "./fakeFs.testutil.js";
import { accessForPath } from "./fileSystemAccess.js";
import { resolveFileSystemPolicy } from "./resolvedFileSystemPolicy.js";
import { toSplitPolicy, type FileSystemSandboxEntry, type FileSystemSandboxPolicy } from "./splitSandboxPolicy.js";

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

describe("access resolution", () => {
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
      {
        kind: "restricted",
        entries: [
          { path: { type: "path", path: "/ws" }, access: "write" },
          { path: { type: "path", path: "/ws" }, access: "none" },
        ],
      },
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
    const r = resolveFileSystemPolicy(toSplitPolicy({ type: "readOnly", access: { type: "restricted", readableRoots: ["/extra"] } }).fileSystem, ctx);
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
