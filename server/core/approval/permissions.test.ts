import { describe, expect, it } from "vitest";
import { toSplitPolicy } from "../../sandbox/splitSandboxPolicy.js";
import { grantOutput, parseGranted, parseRequested, requestWire, union, withPermissions, type PermissionSet } from "./permissions.js";

const asked = (v: unknown): PermissionSet => {
  const r = parseRequested(v, "/w");
  if (typeof r === "string") throw new Error(r);
  return r;
};

describe("requested permissions", () => {
  it("reads the model's request (relative paths against the cwd) and sends it in 0.169's wire shape", () => {
    const r = asked({ file_system: { write: ["out", "/abs"], read: ["/data"] }, network: { enabled: true } });
    expect(r).toEqual({ read: ["/data"], write: ["/w/out", "/abs"], network: true });
    expect(requestWire({ read: [], write: ["/o"], network: false })).toEqual({
      network: null,
      fileSystem: { read: null, write: ["/o"], entries: [{ path: { type: "path", path: "/o" }, access: "write" }] },
    });
    expect(parseRequested("nope", "/w")).toMatch(/must be an object/);
  });

  it("grants only what was asked: a wider path, an unasked network or a bad answer grant nothing more", () => {
    const r = asked({ file_system: { write: ["/o"] } });
    const g = parseGranted({ permissions: { fileSystem: { write: ["/o/sub", "/etc", "/"] }, network: { enabled: true } }, scope: "session" }, r, "/w");
    expect(g).toEqual({ permissions: { read: [], write: ["/o/sub"], network: false }, scope: "session" });
    expect(
      parseGranted({ permissions: { fileSystem: { entries: [{ path: { type: "path", path: "/o" }, access: "write" }] } } }, r, "/w").permissions.write,
    ).toEqual(["/o"]);
    expect(parseGranted({}, r, "/w")).toEqual({ permissions: { read: [], write: [], network: false }, scope: "turn" });
    expect(parseGranted(null, r, "/w").permissions.write).toEqual([]);
    expect(parseGranted({ permissions: { fileSystem: { write: ["/op"] } } }, r, "/w").permissions.write).toEqual([]);
  });

  it("answers the model as 0.169 does", () => {
    expect(grantOutput({ read: [], write: ["/o"], network: false }, "turn")).toBe(
      '{"permissions":{"network":null,"file_system":{"write":["/o"]}},"scope":"turn"}',
    );
    expect(grantOutput({ read: [], write: [], network: false }, "turn")).toBe('{"permissions":{"network":null,"file_system":null},"scope":"turn"}');
  });

  it("adds exactly the grant to the turn's sandbox, and never loosens an unrestricted one", () => {
    const base = { type: "workspaceWrite" as const, networkAccess: false };
    const p = withPermissions(base, { read: ["/r"], write: ["/o"], network: true });
    expect("fileSystem" in p && p.fileSystem.entries.slice(-2)).toEqual([
      { path: { type: "path", path: "/r" }, access: "read" },
      { path: { type: "path", path: "/o" }, access: "write" },
    ]);
    expect("fileSystem" in p && p.network).toBe("enabled");
    expect("fileSystem" in p && p.fileSystem.entries.length).toBe(toSplitPolicy(base).fileSystem.entries.length + 2);
    expect(withPermissions(base, { read: [], write: [], network: false })).toBe(base);
    const full = withPermissions({ type: "dangerFullAccess" }, { read: [], write: ["/o"], network: false });
    expect("fileSystem" in full && full.fileSystem).toEqual({ kind: "unrestricted", entries: [] });
    expect(union({ read: [], write: ["/a"], network: false }, { read: [], write: ["/a", "/b"], network: true })).toEqual({
      read: [],
      write: ["/a", "/b"],
      network: true,
    });
  });
});
