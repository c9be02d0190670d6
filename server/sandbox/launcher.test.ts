import { describe, expect, it } from "vitest";
import { SandboxUnavailableError } from "./errors.js";
import { selectLauncher } from "./launcher.js";

const env = { PATH: "/usr/bin", NODE_CHANNEL_FD: "9" };

describe("selectLauncher", () => {
  it("refuses restricted policies on platforms without a launcher, with reason and remedy", async () => {
    for (const platform of ["win32", "darwin", "freebsd"]) {
      const l = selectLauncher(platform);
      const err = await l.transform(["true"], { type: "readOnly" }, "/x", { env }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SandboxUnavailableError);
      expect((err as SandboxUnavailableError).remedy).toMatch(/dangerFullAccess/);
      await expect(l.transform(["true"], { type: "dangerFullAccess" }, "/x", { env })).resolves.toMatchObject({ sandbox: "none" });
    }
    const win = await selectLauncher("win32")
      .transform(["t"], { type: "workspaceWrite" }, "/x", { env })
      .catch((e: SandboxUnavailableError) => e);
    expect(win).toMatchObject({ code: "unsupported-platform", reason: "sandboxed execution is not supported on Windows by this server" });
  });
});
