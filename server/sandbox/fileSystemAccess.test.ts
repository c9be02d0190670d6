import { describe, expect, it } from "vitest";
import { SandboxPolicyError } from "./errors.js";
import { accessForPath, parseFileSystemAccess } from "./fileSystemAccess.js";

describe("filesystem access", () => {
  it("accepts deny as none and rejects unknown access words", () => {
    expect(parseFileSystemAccess("deny")).toBe("none");
    expect(parseFileSystemAccess("none")).toBe("none");
    expect(() => parseFileSystemAccess("rw")).toThrow(SandboxPolicyError);
  });

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
    expect(
      accessForPath(
        [
          { path: "/a", access: "write" },
          { path: "/a", access: "none" },
        ],
        "/a/b",
      ),
    ).toBe("none");
  });
});
