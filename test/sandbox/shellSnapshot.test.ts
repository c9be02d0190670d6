// The login snapshot (server/core/tools/shellSnapshot.ts) with real shells and real bubblewrap: what
// the user's profile exports reaches the snapshot, shell_environment_policy is applied again on top,
// the capture runs inside the thread's sandbox, and a profile that fails or hangs gives no snapshot.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createLogger } from "../../server/log.js";
import { captureShellSnapshot, type CaptureInput } from "../../server/core/tools/shellSnapshot.js";
import { selectLauncher } from "../../server/sandbox/launcher.js";
import { baseEnv, cleanupTempDirs, hasBwrap, tempDir } from "./helpers.js";

afterAll(cleanupTempDirs);

const log = createLogger("silent");

function home(profile: string, bashrc = ""): string {
  const dir = tempDir("snap-home");
  writeFileSync(join(dir, ".profile"), profile);
  if (bashrc) writeFileSync(join(dir, ".bashrc"), bashrc);
  return dir;
}

function input(homeDir: string, over: Partial<CaptureInput> = {}): CaptureInput {
  return {
    shell: "/bin/bash",
    cwd: homeDir,
    env: baseEnv(homeDir),
    envPolicy: {},
    launcher: selectLauncher("linux"),
    sandboxPolicy: { type: "dangerFullAccess" },
    log,
    ...over,
  };
}

describe.skipIf(!hasBwrap)("shell snapshot capture", () => {
  it("carries what the profile and ~/.bashrc export, not what they print", async () => {
    const h = home(
      'echo "welcome to this machine"\nexport FROM_PROFILE=yes\nexport PATH="$HOME/bin:$PATH"\nmyfn() { :; }\n',
      "export FROM_BASHRC=also\nexport MULTI='line one\nline two'\n",
    );
    const snap = await captureShellSnapshot(input(h));
    expect(snap).not.toBeNull();
    expect(snap!.env).toMatchObject({ FROM_PROFILE: "yes", FROM_BASHRC: "also", MULTI: "line one\nline two", HOME: h });
    // /etc/profile may rewrite PATH first; the user's profile prepends to whatever it got.
    expect(snap!.env["PATH"]).toMatch(new RegExp(`^${h}/bin:`));
    expect(Object.values(snap!.env).join("\n")).not.toContain("welcome");
    expect(Object.keys(snap!.env).some((k) => k.includes("myfn"))).toBe(false);
    // The shell's own variables keep the values the command would have started with.
    expect(snap!.env["SHLVL"]).toBeUndefined();
    expect(snap!.env["PWD"]).toBeUndefined();
  });

  it("applies shell_environment_policy again: the default excludes hold and `set` wins over the profile", async () => {
    const h = home("export GITHUB_TOKEN=from-profile\nexport CHOSEN=by-profile\nexport DROPME=1\n");
    const snap = await captureShellSnapshot(input(h, { envPolicy: { exclude: ["DROP*"], set: { CHOSEN: "by-config" } } }));
    expect(snap!.env["GITHUB_TOKEN"]).toBeUndefined();
    expect(snap!.env["DROPME"]).toBeUndefined();
    expect(snap!.env["CHOSEN"]).toBe("by-config");
  });

  it("runs the profile inside the thread's sandbox", async () => {
    const h = home(`touch "$HOME/profile-wrote-here" 2>/dev/null && export WROTE=yes || export WROTE=no\n`);
    const snap = await captureShellSnapshot(input(h, { sandboxPolicy: { type: "readOnly" } }));
    expect(snap!.env["WROTE"]).toBe("no");
    const free = await captureShellSnapshot(input(h));
    expect(free!.env["WROTE"]).toBe("yes");
  });

  it("gives no snapshot when the profile exits early, fails, or hangs past the timeout", async () => {
    expect(await captureShellSnapshot(input(home("exit 0\n")))).toBeNull();
    expect(await captureShellSnapshot(input(home("exit 3\n")))).toBeNull();
    expect(await captureShellSnapshot(input(home("sleep 30\n"), { timeoutMs: 300 }))).toBeNull();
  });

  it("gives no snapshot when the capture is aborted", async () => {
    const abort = new AbortController();
    const pending = captureShellSnapshot(input(home("sleep 30\n"), { signal: abort.signal }));
    setTimeout(() => abort.abort(), 100);
    expect(await pending).toBeNull();
  });
});
