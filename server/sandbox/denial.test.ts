import { describe, expect, it } from "vitest";
import { detectSandboxDenial, extractPath, setupFailureDenial } from "./denial.js";
import type { DenialContext } from "./denial.js";

const ctx: DenialContext = {
  sandboxed: true,
  policyLabel: "workspace-write",
  cwd: "/ws",
  writableRoots: ["/ws", "/tmp"],
  rules: [
    { path: "/", access: "read", reason: "policy workspace-write" },
    { path: "/ws", access: "write", reason: "policy workspace-write" },
    { path: "/tmp", access: "write", reason: "policy workspace-write" },
    { path: "/ws/.git", access: "read", reason: ".git under writable root /ws stays read-only" },
    { path: "/ws/secret", access: "none", reason: "policy workspace-write" },
  ],
  networkIsolated: true,
};

const detect = (stderr: string, exitCode = 1, c: DenialContext = ctx) => detectSandboxDenial({ context: c, exitCode, stdout: "", stderr });

describe("detectSandboxDenial", () => {
  it("names the path and why a write outside the writable roots was refused", () => {
    expect(detect("bash: line 1: /var/tmp/x: Read-only file system\n")).toEqual({
      kind: "write",
      path: "/var/tmp/x",
      operation: "write",
      message: "sandbox: write to /var/tmp/x denied (outside the writable roots of workspace-write)",
    });
  });

  it("recognises the common tool spellings", () => {
    expect(detect("touch: cannot touch '/etc/x': Read-only file system")?.path).toBe("/etc/x");
    expect(detect("/bin/bash: line 1: /var/tmp/q: Read-only file system")?.path).toBe("/var/tmp/q");
    expect(detect("/bin/bash: line 1: .git/config: Read-only file system")?.path).toBe("/ws/.git/config");
    expect(detect("sh: 1: cannot create /etc/y: Read-only file system")?.path).toBe("/etc/y");
    expect(detect("mkdir: cannot create directory ‘/opt/z’: Read-only file system")?.path).toBe("/opt/z");
    expect(detect("Error: EROFS: read-only file system, open '/usr/q'")?.path).toBe("/usr/q");
    expect(detect("OSError: [Errno 30] Read-only file system: '/root/p'")?.path).toBe("/root/p");
  });

  it("explains protected paths, relative paths, busy mount points and cross-device links", () => {
    expect(detect("bash: .git/config: Read-only file system")?.message).toBe(
      "sandbox: write to /ws/.git/config denied (protected: .git under writable root /ws stays read-only)",
    );
    expect(detect("rm: cannot remove '.git': Device or resource busy")?.message).toBe(
      "sandbox: remove or rename of /ws/.git denied (protected: .git under writable root /ws stays read-only)",
    );
    expect(detect("ln: failed to create hard link 'hl' => '/etc/passwd': Invalid cross-device link")).toMatchObject({
      kind: "write",
      operation: "link",
      path: "/ws/hl",
    });
  });

  it("reports reads of denied paths", () => {
    expect(detect("cat: secret/key: Permission denied")).toMatchObject({
      kind: "read",
      path: "/ws/secret/key",
      message: "sandbox: access to /ws/secret/key denied (denied path: policy workspace-write)",
    });
  });

  it("reports blocked sockets, other EPERM and network failures when the network is cut", () => {
    expect(detect("Error: connect EPERM /run/docker.sock")).toMatchObject({ kind: "network", operation: "socket" });
    expect(detect("strace: PTRACE_TRACEME: Operation not permitted")).toMatchObject({ kind: "syscall" });
    expect(detect("curl: (6) Could not resolve host: example.com", 6)).toMatchObject({
      kind: "network",
      message: "sandbox: network access denied (network is disabled for workspace-write)",
    });
    expect(detect("curl: (6) Could not resolve host: example.com", 6, { ...ctx, networkIsolated: false })).toBeUndefined();
    // With managed networking only the proxy leads out: the report says so, not that the network is off.
    expect(detect("curl: (7) Failed to connect to 127.0.0.2 port 80: Connection refused", 7, { ...ctx, managedProxy: true })).toMatchObject({
      kind: "network",
      message: "sandbox: network access denied (only the managed proxy is reachable under workspace-write: use the proxy variables (HTTP_PROXY, ALL_PROXY…))",
    });
  });

  it("says nothing for unsandboxed runs, success, and ordinary failures; 159 is SIGSYS", () => {
    expect(detect("x: Read-only file system", 1, { ...ctx, sandboxed: false })).toBeUndefined();
    expect(detect("x: Read-only file system", 0)).toBeUndefined();
    expect(detect("grep: no match", 2)).toBeUndefined();
    expect(detect("bash: foo: command not found", 127)).toBeUndefined();
    expect(detect("", 159)).toMatchObject({ kind: "syscall" });
  });

  it("turns bwrap set-up errors into a setup denial", () => {
    expect(setupFailureDenial("bwrap: Can't find source path /nope: No such file or directory\n")).toEqual({
      kind: "setup",
      message: "sandbox: the sandbox could not be set up (Can't find source path /nope: No such file or directory); the command did not run",
    });
  });

  it("extracts the first quoted or path-like token", () => {
    expect(extractPath("cp: cannot create regular file '/a b/c': Read-only file system")).toBe("/a b/c");
    expect(extractPath("bash: /x/y: Read-only file system")).toBe("/x/y");
  });
});
