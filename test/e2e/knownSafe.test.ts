// The known-safe contract on the real daemon (issue 18): under `untrusted` with workspace-write, a
// scripted model runs commands and the test plays the client. A table entry runs without a request;
// each class of attack (an option that writes, git, an option that runs a program, the right name at
// the wrong path, a PATH into the workspace, host changes under full access) is asked; `known_safe_commands = false` asks for `cat`.
// The unit tests (server/core/approval/knownSafe.test.ts) hold the breadth; this proves the wiring:
// config → gate, and commandRunner's PATH and sandbox policy → the program check. One daemon, four
// turns, settings changed between them through config/value/write. No timing assertions.
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startDaemon, type Json } from "../helpers/daemon.js";
import { tempHome } from "../helpers/home.js";
import { evFunctionCall, evMessage, mockDaemonConfig, startMockResponses, turn } from "../helpers/mockResponses.js";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const exec = (callId: string, cmd: string) => evFunctionCall(callId, "exec_command", { cmd });
const say = (text: string) => turn(evMessage(`m_${text}`, text));
const itemOf = (m: Json) => (m["params"] as Json)["item"] as Json;
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
    const started = await d.request("thread/start", { cwd, approvalPolicy: "untrusted", sandbox: "workspace-write" });
    const threadId = ((started["result"] as Json)["thread"] as Json)["id"] as string;
    const asked: string[] = [];
    const runTurn = async (expectAsked: string[], onThread = threadId): Promise<void> => {
      const from = d.messages.length;
      const r = await d.request("turn/start", { threadId: onThread, input: [{ type: "text", text: "go" }] });
      const turnId = ((r["result"] as Json)["turn"] as Json)["id"] as string;
      for (const itemId of expectAsked) {
        const req = await d.waitFor((m) => m["method"] === "item/commandExecution/requestApproval" && "id" in m && (m["params"] as Json)["itemId"] === itemId, 15_000, from);
        asked.push(itemId);
        d.sendJson({ id: req["id"] as number, result: { decision: "decline" } });
      }
      await d.waitFor((m) => m["method"] === "turn/completed" && ((m["params"] as Json)["turn"] as Json)["id"] === turnId, 15_000, from);
    };
    const requested = () => d.messages.filter((m) => m["method"] === "item/commandExecution/requestApproval" && "id" in m).map((m) => (m["params"] as Json)["itemId"]);
    const completed = (itemId: string) => d.messages.map((m) => (m["method"] === "item/completed" ? itemOf(m) : null)).find((i) => i?.["id"] === itemId);

    await runTurn(["sortO", "git", "fdX", "copy", "uniqOut", "treeO", "fileC", "gitGrepO", "sortCompress"]);
    expect(completed("safe")).toMatchObject({ status: "completed", exitCode: 0, aggregatedOutput: "b\na\n" });
    expect(existsSync(join(cwd, "sorted.txt"))).toBe(false);
    expect(existsSync(join(cwd, "pwned"))).toBe(false);
    for (const f of ["out.txt", "tree.txt", "magic.mgc"]) expect(existsSync(join(cwd, f))).toBe(false);

    // The switch is read for each command: no restart.
    await d.request("config/value/write", { keyPath: "known_safe_commands", value: false, mergeStrategy: "replace" });
    await runTurn(["off"]);

    // Back on, with the commands' PATH leading into the workspace: the absolute system path still runs.
    await d.request("config/value/write", { keyPath: "known_safe_commands", value: true, mergeStrategy: "replace" });
    await d.request("config/value/write", { keyPath: "shell_environment_policy.set", value: { PATH: `${join(cwd, "bin")}:/usr/bin:/bin` }, mergeStrategy: "replace" });
    await runTurn(["onPath"]);
    expect(completed("absolute")).toMatchObject({ status: "completed", exitCode: 0, aggregatedOutput: "b\na\n" });

    // Under danger-full-access (as root here, the harm is real): setting the host name or the clock is asked.
    await d.request("config/value/write", { keyPath: "shell_environment_policy.set", value: {}, mergeStrategy: "replace" });
    const full = await d.request("thread/start", { cwd, approvalPolicy: "untrusted", sandbox: "danger-full-access" });
    const hostBefore = readFileSync("/proc/sys/kernel/hostname", "utf8");
    await runTurn(["hostnameSet", "dateSet"], ((full["result"] as Json)["thread"] as Json)["id"] as string);
    expect(readFileSync("/proc/sys/kernel/hostname", "utf8")).toBe(hostBefore);
    expect(completed("dateRead")).toMatchObject({ status: "completed", exitCode: 0 });

    // Nothing else was asked: the table entries ran without a request.
    expect(requested()).toEqual(asked);
    expect(asked).toEqual(["sortO", "git", "fdX", "copy", "uniqOut", "treeO", "fileC", "gitGrepO", "sortCompress", "off", "onPath", "hostnameSet", "dateSet"]);
  });
});
