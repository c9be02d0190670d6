import { describe, expect, it } from "vitest";
import { SandboxPolicy as WireSchema, type SandboxPolicy as WireSandboxPolicy } from "../../../protocol/v2/shared.js";
import { toSplitPolicy } from "../../sandbox/splitSandboxPolicy.js";
import {
  SandboxPolicyInputError,
  sandboxPolicyFromConfig,
  sandboxPolicyFromMode,
  sandboxPolicyFromWire,
  sandboxPolicyToWire,
  type SandboxConfig,
} from "./sandboxFromWire.js";

const config = (over: Partial<SandboxConfig["sandboxWorkspaceWrite"]> = {}, mode: SandboxConfig["sandboxMode"] = "read-only"): SandboxConfig => ({
  sandboxMode: mode,
  sandboxWorkspaceWrite: { writableRoots: [], networkAccess: false, excludeTmpdirEnvVar: false, excludeSlashTmp: false, ...over },
});

describe("sandboxPolicyFromWire", () => {
  it("fills every wire default", () => {
    expect(sandboxPolicyFromWire({ type: "readOnly" })).toEqual({ type: "readOnly", networkAccess: false });
    expect(sandboxPolicyFromWire({ type: "workspaceWrite" })).toEqual({
      type: "workspaceWrite",
      writableRoots: [],
      networkAccess: false,
      excludeTmpdirEnvVar: false,
      excludeSlashTmp: false,
    });
    expect(sandboxPolicyFromWire({ type: "externalSandbox" })).toEqual({ type: "externalSandbox", networkAccess: "restricted" });
    expect(sandboxPolicyFromWire({ type: "dangerFullAccess" })).toEqual({ type: "dangerFullAccess" });
  });

  it("keeps explicit values and normalises roots lexically", () => {
    expect(
      sandboxPolicyFromWire({
        type: "workspaceWrite",
        writableRoots: ["/a/b/../c/", "/"],
        networkAccess: true,
        excludeSlashTmp: true,
        excludeTmpdirEnvVar: true,
      }),
    ).toEqual({ type: "workspaceWrite", writableRoots: ["/a/c", "/"], networkAccess: true, excludeTmpdirEnvVar: true, excludeSlashTmp: true });
    expect(sandboxPolicyFromWire({ type: "externalSandbox", networkAccess: "enabled" })).toEqual({ type: "externalSandbox", networkAccess: "enabled" });
  });

  it("refuses a relative writable root, naming it, as params the reference cannot read", () => {
    let err: unknown;
    try {
      sandboxPolicyFromWire({ type: "workspaceWrite", writableRoots: ["/ok", "rel/dir"] });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SandboxPolicyInputError);
    expect((err as Error).message).toContain('sandboxPolicy.writableRoots[1]: "rel/dir" is not an absolute path');
    expect(err).toMatchObject({ kind: "malformedParams" });
    expect(() => sandboxPolicyFromWire({ type: "workspaceWrite", writableRoots: [""] })).toThrow(SandboxPolicyInputError);
  });

  it("accepts the pre-0.169 read-access fields", () => {
    expect(sandboxPolicyFromWire({ type: "readOnly", access: { type: "restricted", readableRoots: ["/data"] } })).toEqual({
      type: "readOnly",
      networkAccess: false,
      access: { type: "restricted", includePlatformDefaults: true, readableRoots: ["/data"] },
    });
    expect(() => sandboxPolicyFromWire({ type: "readOnly", access: { type: "restricted", readableRoots: ["data"] } })).toThrow(/readableRoots\[0\]/);
    expect(sandboxPolicyFromWire({ type: "workspaceWrite", readOnlyAccess: { type: "fullAccess" } })).toMatchObject({ readOnlyAccess: { type: "fullAccess" } });
  });

  it("gives the launcher the same split policy as the wire meant", () => {
    const split = toSplitPolicy(sandboxPolicyFromWire({ type: "workspaceWrite", writableRoots: ["/extra"], excludeSlashTmp: true }));
    expect(split.network).toBe("restricted");
    expect(split.fileSystem.entries).toContainEqual({ path: { type: "path", path: "/extra" }, access: "write" });
    expect(split.fileSystem.entries).not.toContainEqual({ path: { type: "special", value: { kind: "slash_tmp" } }, access: "write" });
  });
});

describe("sandboxPolicyToWire", () => {
  it("round-trips every variant with all 0.169 fields present and valid against the wire schema", () => {
    const wires: WireSandboxPolicy[] = [
      { type: "dangerFullAccess" },
      { type: "readOnly", networkAccess: true },
      { type: "workspaceWrite", writableRoots: ["/x"], networkAccess: false, excludeTmpdirEnvVar: true, excludeSlashTmp: false },
      { type: "externalSandbox", networkAccess: "enabled" },
    ];
    for (const w of wires) {
      const back = sandboxPolicyToWire(sandboxPolicyFromWire(w));
      expect(back).toEqual(w);
      expect(WireSchema.parse(back)).toEqual(back);
    }
  });

  it("never emits the pre-0.169 read-access fields", () => {
    const wire = sandboxPolicyToWire({ type: "readOnly", access: { type: "restricted", readableRoots: ["/d"] } });
    expect(wire).toEqual({ type: "readOnly", networkAccess: false });
    expect(sandboxPolicyToWire({ type: "workspaceWrite", readOnlyAccess: { type: "fullAccess" } })).not.toHaveProperty("readOnlyAccess");
  });
});

describe("sandboxPolicyFromMode / FromConfig", () => {
  it("maps each mode; only workspace-write reads [sandbox_workspace_write]", () => {
    const cfg = config({ writableRoots: ["/w"], networkAccess: true, excludeSlashTmp: true });
    expect(sandboxPolicyFromMode("read-only", cfg)).toEqual({ type: "readOnly", networkAccess: false });
    expect(sandboxPolicyFromMode("danger-full-access", cfg)).toEqual({ type: "dangerFullAccess" });
    expect(sandboxPolicyFromMode("workspace-write", cfg)).toEqual({
      type: "workspaceWrite",
      writableRoots: ["/w"],
      networkAccess: true,
      excludeTmpdirEnvVar: false,
      excludeSlashTmp: true,
    });
  });

  it("uses sandbox_mode as the default", () => {
    expect(sandboxPolicyFromConfig(config())).toEqual({ type: "readOnly", networkAccess: false });
    expect(sandboxPolicyFromConfig(config({}, "workspace-write")).type).toBe("workspaceWrite");
    expect(sandboxPolicyFromConfig(config({}, "danger-full-access"))).toEqual({ type: "dangerFullAccess" });
  });

  it("refuses a relative writable root in config, naming the key", () => {
    expect(() => sandboxPolicyFromConfig(config({ writableRoots: ["build"] }, "workspace-write"))).toThrow(
      /sandbox_workspace_write\.writable_roots\[0\]: "build" is not an absolute path/,
    );
    // Not consulted unless the mode is workspace-write.
    expect(sandboxPolicyFromConfig(config({ writableRoots: ["build"] }, "read-only")).type).toBe("readOnly");
  });
});
