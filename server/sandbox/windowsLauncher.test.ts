// Windows fails closed, tested on any host by selecting the win32 launcher.
import { describe, expect, it } from "vitest";
import { SandboxUnavailableError } from "./errors.js";
import { selectLauncher } from "./launcher.js";
import { WINDOWS_REASON } from "./windowsLauncher.js";
import { windowsSandboxReadiness } from "./windowsSandboxReadiness.js";

const env = { PATH: "C:\\Windows\\System32" };

describe("win32 launcher", () => {
  const l = selectLauncher("win32");

  it("refuses readOnly and workspaceWrite with the reason and the remedy (WSL2, externalSandbox, dangerFullAccess)", async () => {
    for (const policy of [{ type: "readOnly" } as const, { type: "workspaceWrite" } as const, { type: "readOnly", networkAccess: true } as const]) {
      const err = await l.transform(["cmd", "/c", "dir"], policy, "C:\\work", { env }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SandboxUnavailableError);
      expect(err).toMatchObject({ code: "unsupported-platform", reason: WINDOWS_REASON });
      const remedy = (err as SandboxUnavailableError).remedy;
      expect(remedy).toContain("WSL2");
      expect(remedy).toContain("externalSandbox");
      expect(remedy).toContain("dangerFullAccess");
    }
  });

  it("refuses an unrestricted filesystem with a restricted network: nothing here could cut the network", async () => {
    const policy = { label: "net-off", network: "restricted" as const, fileSystem: { kind: "unrestricted" as const, entries: [] } };
    await expect(l.transform(["cmd"], policy, "C:\\work", { env })).rejects.toBeInstanceOf(SandboxUnavailableError);
  });

  it("runs externalSandbox and dangerFullAccess unwrapped, in a Windows cwd", async () => {
    const ext = await l.transform(["cmd", "/c", "dir"], { type: "externalSandbox", networkAccess: "restricted" }, "C:\\work", { env });
    expect(ext).toMatchObject({ argv: ["cmd", "/c", "dir"], sandbox: "none", cwd: "C:\\work" });
    expect(ext.env).toMatchObject({ CODEX_SANDBOX_NETWORK_DISABLED: "1" });
    const full = await l.transform(["cmd"], { type: "dangerFullAccess" }, "C:\\work", { env });
    expect(full).toMatchObject({ argv: ["cmd"], sandbox: "none" });
  });

  it("readiness says the same as the refusal (what gatehouse doctor prints)", async () => {
    const ready = await l.readiness();
    expect(ready.ok).toBe(false);
    expect(ready.error).toMatchObject({ reason: WINDOWS_REASON });
    expect(ready.error?.remedy).toContain("WSL2");
    expect(windowsSandboxReadiness()).toBe("notConfigured");
  });
});
