// The same launcher driven by an unprivileged uid (65534 via setpriv): every sandbox check must hold
// both as root and as an unprivileged uid. When the suite itself runs as a normal user every other
// file already covers that case, so this file needs root only to switch uid; it says so rather than
// skipping silently.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { WS_ONLY, baseEnv, bash, cleanupTempDirs, isRoot, runDriver, sha, tempDir } from "./helpers.js";
import type { DriverSpec } from "./helpers.js";

afterAll(cleanupTempDirs);

const NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", "--"];

/** A workspace owned by nobody, with .git, and an outside file owned by nobody (so only the sandbox stops the write). */
function nobodyWorkspace(base?: string): { ws: string; outsideFile: string } {
  const root = base ?? tempDir("nobody");
  const ws = path.join(root, "ws");
  fs.mkdirSync(path.join(ws, ".git"), { recursive: true });
  fs.writeFileSync(path.join(ws, ".git", "config"), "[core]\n");
  const outsideFile = path.join(root, "outside.txt");
  fs.writeFileSync(outsideFile, "original\n");
  execFileSync("chown", ["-R", "65534:65534", ws, outsideFile]);
  return { ws, outsideFile };
}

const asNobody = (spec: Omit<DriverSpec, "launch">) => runDriver({ ...spec, launch: { env: baseEnv(spec.cwd) } }, { prefix: NOBODY });

describe.runIf(isRoot)("as uid 65534 (needs root to switch uid with setpriv; as a normal user the other suites cover this)", () => {
  // Writes outside the roots and into .git, unprivileged.
  // Protection: read-only base and the .git ro-bind. Shown to fail: with the base
  // as `--bind / /` and protected subpaths not mounted, nobody rewrote both files (it owns them).
  it("writes outside the roots and into .git fail; the files are nobody's own, so only the sandbox stops them", async () => {
    const { ws, outsideFile } = nobodyWorkspace();
    const out = await asNobody({ command: bash(`id -u; echo pwned > ${outsideFile}; echo pwned > .git/config; echo ok > mine.txt`), policy: WS_ONLY, cwd: ws });
    expect(out.ok).toBe(true);
    expect(out.result?.stdout).toBe("65534\n");
    expect(out.result?.stderr.match(/Read-only file system/g)).toHaveLength(2);
    expect(fs.readFileSync(outsideFile, "utf8")).toBe("original\n");
    expect(fs.readFileSync(path.join(ws, ".git", "config"), "utf8")).toBe("[core]\n");
    expect(fs.readFileSync(path.join(ws, "mine.txt"), "utf8")).toBe("ok\n");
  });

  // umount/remount, also from a nested user namespace, unprivileged. Protection: no capabilities,
  // locked mounts, --disable-userns. Shown to fail: without --disable-userns the nested
  // `unshare -Urm` started (its umount still failed), so the "No space left on device" expectation
  // failed.
  it("umount, remount and nested user namespaces are refused", async () => {
    const { ws } = nobodyWorkspace();
    const out = await asNobody({ command: bash("umount .git 2>&1; mount -o remount,rw / 2>&1; unshare -Urm true 2>&1; echo done"), policy: WS_ONLY, cwd: ws });
    expect(out.result?.stdout).toMatch(/must be superuser|Operation not permitted/);
    expect(out.result?.stdout).toMatch(/No space left on device/);
    expect(fs.readFileSync(path.join(ws, ".git", "config"), "utf8")).toBe("[core]\n");
  });

  // A setuid-root binary in a writable root.
  // Protection: bwrap's no_new_privs and nosuid mounts. The control run (unwrapped, same uid, same
  // binary) proves the host honours the setuid bit, i.e. that the test would see an escalation:
  // that control is the "protection removed" case and prints euid 0.
  it("a setuid-root shell planted in a writable root runs with the caller's uid", async () => {
    const root = fs.realpathSync(fs.mkdtempSync("/var/tmp/gh-sbx-suid-"));
    try {
      fs.chmodSync(root, 0o755);
      const { ws } = nobodyWorkspace(root);
      const suid = path.join(ws, "suidbash");
      fs.copyFileSync("/bin/bash", suid);
      fs.chownSync(suid, 0, 0);
      fs.chmodSync(suid, 0o4755);
      const cmd = ["./suidbash", "-p", "-c", "id -u; id -ru"];
      const control = await asNobody({ command: cmd, policy: { type: "dangerFullAccess" }, cwd: ws });
      expect(control.result?.stdout).toBe("0\n65534\n");
      const out = await asNobody({ command: cmd, policy: WS_ONLY, cwd: ws });
      expect(out.result?.stdout).toBe("65534\n65534\n");
      expect(sha(suid)).toBe(sha("/bin/bash"));
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
