import { describe, expect, it } from "vitest";
import { SandboxPolicyError } from "./errors.js";
import { resolvePermissionProfile } from "./permissionProfiles.js";

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
});
