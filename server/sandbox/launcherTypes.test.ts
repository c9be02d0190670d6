import { describe, expect, it } from "vitest";
import { wrapMode } from "./launcherTypes.js";
import { toSplitPolicy } from "./splitSandboxPolicy.js";

describe("wrapMode", () => {
  it("wraps only what needs it", () => {
    expect(wrapMode(toSplitPolicy({ type: "dangerFullAccess" }))).toBe("none");
    expect(wrapMode(toSplitPolicy({ type: "externalSandbox" }))).toBe("none");
    expect(wrapMode(toSplitPolicy({ type: "readOnly" }))).toBe("full");
    expect(wrapMode({ fileSystem: { kind: "unrestricted", entries: [] }, network: "restricted", label: "x" })).toBe("network-only");
  });
});
