// The known-safe contract on the real daemon: under `untrusted` with workspace-write, a
// scripted model runs commands and the test plays the client. A table entry runs without a request;
// each class of attack (an option that writes, git, an option that runs a program, the right name at
// the wrong path, a PATH into the workspace, host changes under full access) is asked; `known_safe_commands = false` asks for `cat`.
// The unit tests (server/core/approval/knownSafe.test.ts) hold the breadth; this proves the wiring:
// config → gate, and commandRunner's PATH and sandbox policy → the program check. One daemon, four
// turns, settings changed between them through config/value/write. No timing assertions.
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startDaemon } from "../helpers/daemon.js";
import { tempHome } from "../helpers/home.js";
import { evFunctionCall, evMessage, mockDaemonConfig, startMockResponses, turn } from "../helpers/mockResponses.js";
import { isNotification, isServerRequest } from "../helpers/protocol.js";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const exec = (callId: string, cmd: string) => evFunctionCall(callId, "exec_command", { cmd });
const say = (text: string) => turn(evMessage(`m_${text}`, text));
/** The system's cat, resolved as the daemon's PATH finds it (outside every writable root here). */
const CAT = "/usr/bin/cat";

describe("known-safe commands on the real daemon (untrusted, workspace-write)", () => {
  it("a table entry runs unasked; sort -o, git, fd -x, a copy of cat, a PATH into the workspace and the switch turned off are asked", async () => {
    const home = tempHome("gatehouse-known-safe");
    const cwd = join(home.base, "cwd");
    mkdirSync(join(cwd, "bin"), { recursive: true });
    writeFileSync(join(cwd, "a.txt"), "b\na\n");
    for (const copy of [join(cwd, "cat"), join(cwd, "bin", "cat")]) {
      copyFileSync(CAT, copy);
      chmodSync(copy, 0o755);
    }
    const mock = await startMockResponses({
      script: [
        turn(exec("safe", "cat a.txt")),
        turn(exec("sortO", "sort -o sorted.txt a.txt")),
        turn(exec("git", "git status")),
        turn(exec("fdX", "fd -x touch pwned")),
        turn(exec("copy", `${join(cwd, "cat")} a.txt`)),
        turn(exec("uniqOut", "uniq a.txt out.txt")),
        turn(exec("treeO", "tree -o tree.txt")),
        turn(exec("fileC", "file -C -m magic")),
        turn(exec("gitGrepO", "git grep -O'touch pwned' b")),
        turn(exec("sortCompress", "sort --compress-prog=./prog a.txt")),
        say("one"),
        turn(exec("off", "cat a.txt")),
        say("two"),
        turn(exec("absolute", `${CAT} a.txt`)),
        turn(exec("onPath", "cat a.txt")),
        say("three"),
        turn(exec("hostnameSet", "hostname pwned-host")),
        turn(exec("dateSet", "date -s 2001-01-01")),
        turn(exec("dateRead", "date +%Y")),
        say("four"),
      ],
    });
    const d = startDaemon({
      home,
      config: mockDaemonConfig(mock.baseUrl, { approvalPolicy: "untrusted", sandboxMode: "workspace-write" }),
    });
    cleanups.push(async () => {
      await d.stop();
      await mock.close();
      home.cleanup();
    });
    await d.initialize();
    const threadId = (await d.result("thread/start", { cwd, approvalPolicy: "untrusted", sandbox: "workspace-write" })).thread.id;
    const asked: string[] = [];
    const runTurn = async (expectAsked: string[], onThread = threadId): Promise<void> => {
      const from = d.messages.length;
      const turnId = (await d.result("turn/start", { threadId: onThread, input: [{ type: "text", text: "go" }] })).turn.id;
      for (const itemId of expectAsked) {
        const req = await d.serverRequest("item/commandExecution/requestApproval", (p) => p.itemId === itemId, { from, timeoutMs: 15_000 });
        asked.push(itemId);
        d.respond(req, { decision: "decline" });
      }
      await d.notification("turn/completed", (p) => p.turn.id === turnId, { from, timeoutMs: 15_000 });
    };
    const requested = () => d.messages.filter(isServerRequest("item/commandExecution/requestApproval")).map((m) => m.params.itemId);
    const completed = (itemId: string) => d.messages.find(isNotification("item/completed", (p) => p.item.id === itemId))?.params.item;

    await runTurn(["sortO", "git", "fdX", "copy", "uniqOut", "treeO", "fileC", "gitGrepO", "sortCompress"]);
    expect(completed("safe")).toMatchObject({ status: "completed", exitCode: 0, aggregatedOutput: "b\na\n" });
    expect(existsSync(join(cwd, "sorted.txt"))).toBe(false);
    expect(existsSync(join(cwd, "pwned"))).toBe(false);
    for (const f of ["out.txt", "tree.txt", "magic.mgc"]) expect(existsSync(join(cwd, f))).toBe(false);

    // The switch is read for each command: no restart.
    await d.result("config/value/write", { keyPath: "known_safe_commands", value: false, mergeStrategy: "replace" });
    await runTurn(["off"]);

    // Back on, with the commands' PATH leading into the workspace: the absolute system path still runs.
    await d.result("config/value/write", { keyPath: "known_safe_commands", value: true, mergeStrategy: "replace" });
    await d.result("config/value/write", {
      keyPath: "shell_environment_policy.set",
      value: { PATH: `${join(cwd, "bin")}:/usr/bin:/bin` },
      mergeStrategy: "replace",
    });
    await runTurn(["onPath"]);
    expect(completed("absolute")).toMatchObject({ status: "completed", exitCode: 0, aggregatedOutput: "b\na\n" });

    // Under danger-full-access (as root here, the harm is real): setting the host name or the clock is asked.
    await d.result("config/value/write", { keyPath: "shell_environment_policy.set", value: {}, mergeStrategy: "replace" });
    const full = await d.result("thread/start", { cwd, approvalPolicy: "untrusted", sandbox: "danger-full-access" });
    const hostBefore = readFileSync("/proc/sys/kernel/hostname", "utf8");
    await runTurn(["hostnameSet", "dateSet"], full.thread.id);
    expect(readFileSync("/proc/sys/kernel/hostname", "utf8")).toBe(hostBefore);
    expect(completed("dateRead")).toMatchObject({ status: "completed", exitCode: 0 });

    // Nothing else was asked: the table entries ran without a request.
    expect(requested()).toEqual(asked);
    expect(asked).toEqual(["sortO", "git", "fdX", "copy", "uniqOut", "treeO", "fileC", "gitGrepO", "sortCompress", "off", "onPath", "hostnameSet", "dateSet"]);
  });
});
