// The login snapshot on the real daemon: once a thread's snapshot is captured, `-lc` commands run as
// `-c` with the environment the user's profile exported (what codex 0.169 shows: `shopt login_shell`
// off, the profile's variables, none of its functions), config.toml's shell_environment_policy holds
// over the profile, a command asked for while the capture runs waits for it, and `[features]
// shell_snapshot = false` brings back one login per command.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { evFunctionCall, evMessage, turn, type ScriptEntry } from "../helpers/mockResponses.js";
import { isItem, isNotification, itemAs, type Item } from "../helpers/protocol.js";
import { mockConfig, startSession, type Session } from "../helpers/session.js";
import { tempHome } from "../helpers/home.js";

let session: Session | undefined;
afterEach(async () => {
  await session?.stop();
  session = undefined;
});

const PROBE =
  'shopt login_shell; echo "P=$FROM_PROFILE R=$FROM_BASHRC S=$CHOSEN T=${GITHUB_TOKEN:-none}"; type myfn >/dev/null 2>&1 && echo fn=yes || echo fn=no';

/** A user home whose profile and ~/.bashrc set variables and a function, and print a greeting. */
function userHome(base: string, profileFirst = ""): string {
  const dir = join(base, "user");
  mkdirSync(dir);
  writeFileSync(
    join(dir, ".profile"),
    `${profileFirst}echo "hello from the profile"\nexport FROM_PROFILE=1\nexport GITHUB_TOKEN=secret\nexport CHOSEN=by-profile\nmyfn() { :; }\n`,
  );
  writeFileSync(join(dir, ".bashrc"), "export FROM_BASHRC=1\n");
  return dir;
}

async function start(extraConfig: string, script: ScriptEntry[] = [], profileFirst = ""): Promise<{ s: Session; cwd: string }> {
  const home = tempHome("gatehouse-snapshot");
  const user = userHome(home.base, profileFirst);
  const cwd = join(home.base, "work");
  mkdirSync(cwd);
  session = await startSession({
    home,
    script,
    env: { HOME: user, SHELL: "/bin/bash" },
    config: (url) => mockConfig(url, `\n[shell_environment_policy]\nset = { CHOSEN = "by-config" }\n${extraConfig}`),
  });
  return { s: session, cwd };
}

/** The snapshot is taken in the background after thread/start; the daemon logs when it is ready. */
async function snapshotCaptured(s: Session): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!s.daemon.stderr().includes("shell snapshot captured")) {
    if (Date.now() > deadline) throw new Error(`no snapshot was captured; stderr tail:\n${s.daemon.stderr().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function userShellOutput(s: Session, threadId: string): Promise<Item<"commandExecution">> {
  const from = s.daemon.messages.length;
  await s.result("thread/shellCommand", { threadId, command: PROBE });
  const done = await s.notification("item/completed", (p) => p.item.type === "commandExecution", from);
  return itemAs(done.params.item, "commandExecution");
}

describe("shell snapshot", () => {
  it("runs login commands without logging in, with the profile's environment under the config's policy", async () => {
    const { s, cwd } = await start("");
    const { thread } = await s.result("thread/start", { cwd });
    await snapshotCaptured(s);
    const item = await userShellOutput(s, thread.id);
    // The item shows the command as asked; it ran without -l.
    expect(item.command).toContain("-lc");
    expect(item.aggregatedOutput).toBe("login_shell    \toff\nP=1 R=1 S=by-config T=none\nfn=no\n");
    s.checkWire();
  });

  it("has a command that comes while the capture runs wait for it instead of logging in beside it", async () => {
    // A profile that takes 400 ms: the command is asked for at once, long before the capture ends.
    const { s, cwd } = await start("", [], "sleep 0.4\n");
    const { thread } = await s.result("thread/start", { cwd });
    expect(s.daemon.stderr()).not.toContain("shell snapshot captured");
    const item = await userShellOutput(s, thread.id);
    expect(s.daemon.stderr()).toContain("shell snapshot captured");
    expect(item.aggregatedOutput).toBe("login_shell    \toff\nP=1 R=1 S=by-config T=none\nfn=no\n");
  });

  it("logs in for every command when [features] shell_snapshot is off", async () => {
    const { s, cwd } = await start("\n[features]\nshell_snapshot = false\n");
    const { thread } = await s.result("thread/start", { cwd });
    const item = await userShellOutput(s, thread.id);
    // A real login: the profile runs in the command's own shell, prints, and has the last word.
    expect(item.aggregatedOutput).toBe("hello from the profile\nlogin_shell    \ton\nP=1 R= S=by-profile T=secret\nfn=yes\n");
    expect(s.daemon.stderr()).not.toContain("shell snapshot captured");
  });

  it("gives a turn's sandboxed commands the snapshot, and the policy's environment to non-login ones", async () => {
    const { s, cwd } = await start("", [
      turn(evFunctionCall("call_login", "exec_command", { cmd: PROBE, yield_time_ms: 10_000 })),
      turn(evFunctionCall("call_plain", "exec_command", { cmd: 'echo "S=$CHOSEN P=${FROM_PROFILE:-unset}"', login: false, yield_time_ms: 10_000 })),
      turn(evMessage("msg_done", "done")),
    ]);
    const { thread } = await s.result("thread/start", { cwd });
    await snapshotCaptured(s);
    const from = s.daemon.messages.length;
    await s.result("turn/start", { threadId: thread.id, input: [{ type: "text", text: "probe", text_elements: [] }] });
    await s.notification("turn/completed", (p) => p.threadId === thread.id, from);
    const items = s.daemon.messages
      .slice(from)
      .filter(isNotification("item/completed"))
      .map((m) => m.params.item)
      .filter(isItem("commandExecution"));
    expect(items.map((i) => i.status)).toEqual(["completed", "completed"]);
    expect(items[0]?.aggregatedOutput).toBe("login_shell    \toff\nP=1 R=1 S=by-config T=none\nfn=no\n");
    // Before, a turn's commands ignored config.toml's shell_environment_policy (only command/exec had it).
    expect(items[1]?.aggregatedOutput).toBe("S=by-config P=unset\n");
  });
});
