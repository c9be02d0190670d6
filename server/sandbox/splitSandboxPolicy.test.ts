import { describe, expect, it } from "vitest";
import { toSplitPolicy, type FileSystemSandboxEntry } from "./splitSandboxPolicy.js";

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
    expect(kinds(toSplitPolicy({ type: "workspaceWrite", excludeSlashTmp: true, excludeTmpdirEnvVar: true }).fileSystem.entries)).toEqual([
      "root:read",
      "current_working_directory:write",
    ]);
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
});
