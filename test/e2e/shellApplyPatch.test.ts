// apply_patch sent through a shell tool, on the real daemon with a scripted model: the
// patch is applied as apply_patch (a fileChange item with the call id, the file-change approval,
// the writes), never run as a process. One spelling per shell tool: a heredoc through exec_command
// (gpt-5.5), `bash -lc "apply_patch …"` as the `shell` tool's argv (gpt-4.1), `cd DIR && apply_patch`
// through shell_command (a model outside the catalog). `untrusted` makes every patch ask, so each
// is approved once and declined once. The expected answers are what the references were seen to
// send the model (0.169 for exec_command, 0.80 for the other two; see shellTools.ts). No timing
// assertions: wall times are matched by shape only.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startDaemon, type Json, type RawDaemon } from "../helpers/daemon.js";
import { tempHome } from "../helpers/home.js";
import { evFunctionCall, evMessage, mockDaemonConfig, startMockResponses, turn, type MockResponses, type ScriptEntry } from "../helpers/mockResponses.js";
import { isNotification, isServerRequest, statusOf, type Notification, type ServerRequest, type ThreadItem } from "../helpers/protocol.js";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const patchText = (body: string) => `*** Begin Patch\n${body}\n*** End Patch\n`;
const heredoc = (prefix: string, body: string) => `${prefix} <<'EOF'\n${patchText(body)}EOF\n`;
const execCommand = (callId: string, cmd: string) => turn(evFunctionCall(callId, "exec_command", { cmd, yield_time_ms: 10_000 }));
const shell = (callId: string, command: string[]) => turn(evFunctionCall(callId, "shell", { command }));
const shellCommand = (callId: string, command: string) => turn(evFunctionCall(callId, "shell_command", { command }));
const done = () => turn(evMessage("m_done", "done"));

const itemEvent = (itemId: string) => {
  const started = isNotification("item/started", (p) => p.item.id === itemId);
  const completed = isNotification("item/completed", (p) => p.item.id === itemId);
  return (m: Json): m is Notification<"item/started"> | Notification<"item/completed"> => started(m) || completed(m);
};

/** exec_command's answer to an applied patch in 0.169: a zero-time exec frame around the shell-style result. */
const execApplied = (summaryLines: string) =>
  new RegExp(
    `^Wall time: 0\\.0000 seconds\\nOutput:\\nExit code: 0\\nWall time: \\d+(\\.\\d)? seconds\\nOutput:\\nSuccess\\. Updated the following files:\\n${summaryLines}\\n$`,
  );

interface Setup {
  d: RawDaemon;
  mock: MockResponses;
  cwd: string;
  startTurn(): Promise<string>;
  /** Waits for the file-change approval of `itemId`, answers it, and returns the request. */
  answerFileChange(itemId: string, decision: "accept" | "decline"): Promise<ServerRequest<"item/fileChange/requestApproval">>;
  turnCompleted(turnId: string): Promise<Notification<"turn/completed">>;
  /** The function_call_output the model received for `callId`. */
  outputFor(callId: string): string | null;
  /** item/started and item/completed of `itemId`, in wire order, with their positions. */
  lifecycle(itemId: string): Array<{ at: number; method: string; item: ThreadItem }>;
  /** Position of the file-change approval request for `itemId`. */
  approvalAt(itemId: string): number;
}

async function setup(model: string, script: ScriptEntry[]): Promise<Setup> {
  const home = tempHome("gatehouse-shellpatch");
  const mock = await startMockResponses({ script });
  const cwd = join(home.base, "cwd");
  mkdirSync(join(cwd, "sub"), { recursive: true });
  const config = mockDaemonConfig(mock.baseUrl, { model, approvalPolicy: "untrusted", sandboxMode: "workspace-write" });
  const d = startDaemon({ home, config });
  cleanups.push(async () => {
    await d.stop();
    await mock.close();
    home.cleanup();
  });
  await d.initialize();
  const threadId = (await d.result("thread/start", { cwd, approvalPolicy: "untrusted", sandbox: "workspace-write" })).thread.id;
  return {
    d,
    mock,
    cwd,
    async startTurn() {
      return (await d.result("turn/start", { threadId, input: [{ type: "text", text: "go" }] })).turn.id;
    },
    async answerFileChange(itemId, decision) {
      const req = await d.serverRequest("item/fileChange/requestApproval", (p) => p.itemId === itemId, { timeoutMs: 15_000 });
      d.respond(req, { decision });
      return req;
    },
    turnCompleted: (turnId) => d.notification("turn/completed", (p) => p.turn.id === turnId, { timeoutMs: 15_000 }),
    outputFor(callId) {
      for (const r of mock.responsesRequests()) {
        const out = ((r.body?.["input"] ?? []) as Json[]).find((i) => i["type"] === "function_call_output" && i["call_id"] === callId);
        if (out) return String(out["output"]);
      }
      return null;
    },
    lifecycle: (itemId) => {
      const event = itemEvent(itemId);
      return d.messages.flatMap((m, at) => (event(m) ? [{ at, method: m.method, item: m.params.item }] : []));
    },
    approvalAt: (itemId) => d.messages.findIndex(isServerRequest("item/fileChange/requestApproval", (p) => p.itemId === itemId)),
  };
}

/** The call became a fileChange item (started, asked, then completed with `status`) and never a command. */
function expectFileChange(s: Setup, callId: string, status: "completed" | "declined", path: string): void {
  const life = s.lifecycle(callId);
  expect(life.map((e) => [e.method, e.item.type, statusOf(e.item)])).toEqual([
    ["item/started", "fileChange", "inProgress"],
    ["item/completed", "fileChange", status],
  ]);
  expect(life.flatMap((e) => (e.method === "item/started" && e.item.type === "fileChange" ? e.item.changes.map((c) => c.path) : []))).toEqual([path]);
  const asked = s.approvalAt(callId);
  expect(asked).toBeGreaterThan(life[0]?.at ?? Infinity);
  expect(asked).toBeLessThan(life[1]?.at ?? -1);
}

function expectNoCommands(s: Setup): void {
  expect(s.d.messages.filter(isNotification("item/started", (p) => p.item.type === "commandExecution"))).toEqual([]);
  expect(s.d.messages.filter((m) => m["method"] === "item/commandExecution/requestApproval")).toEqual([]);
}

function toolsOffered(s: Setup): string[] {
  const first = s.mock.responsesRequests()[0];
  return ((first?.body?.["tools"] ?? []) as Json[]).map((t) => String(t["name"]));
}

describe("apply_patch through the shell (untrusted, workspace-write)", () => {
  it("exec_command: a heredoc is applied as a fileChange when approved and writes nothing when declined", async () => {
    const s = await setup("gpt-5.5", [
      execCommand("heredoc_yes", heredoc("apply_patch", "*** Add File: a.txt\n+alpha")),
      execCommand("heredoc_no", heredoc("apply_patch", "*** Add File: b.txt\n+bravo")),
      done(),
    ]);
    const turnId = await s.startTurn();
    await s.answerFileChange("heredoc_yes", "accept");
    await s.answerFileChange("heredoc_no", "decline");
    await s.turnCompleted(turnId);
    expect(toolsOffered(s)).toContain("exec_command");
    expectFileChange(s, "heredoc_yes", "completed", join(s.cwd, "a.txt"));
    expectFileChange(s, "heredoc_no", "declined", join(s.cwd, "b.txt"));
    expectNoCommands(s);
    expect(readFileSync(join(s.cwd, "a.txt"), "utf8")).toBe("alpha\n");
    expect(existsSync(join(s.cwd, "b.txt"))).toBe(false);
    expect(s.outputFor("heredoc_yes")).toMatch(execApplied("A a\\.txt"));
    expect(s.outputFor("heredoc_no")).toBe("patch rejected by user");
  });

  it('shell: ["bash", "-lc", "apply_patch <<EOF …"] updates the file when approved, leaves it when declined', async () => {
    const s = await setup("gpt-4.1", [
      shell("bashlc_yes", ["bash", "-lc", heredoc("apply_patch", "*** Update File: s.txt\n@@\n-old\n+new")]),
      shell("bashlc_no", ["bash", "-lc", heredoc("applypatch", "*** Update File: s.txt\n@@\n-new\n+newer")]),
      done(),
    ]);
    writeFileSync(join(s.cwd, "s.txt"), "old\n");
    const turnId = await s.startTurn();
    await s.answerFileChange("bashlc_yes", "accept");
    await s.answerFileChange("bashlc_no", "decline");
    await s.turnCompleted(turnId);
    expect(toolsOffered(s)).toContain("shell");
    expectFileChange(s, "bashlc_yes", "completed", join(s.cwd, "s.txt"));
    expectFileChange(s, "bashlc_no", "declined", join(s.cwd, "s.txt"));
    expectNoCommands(s);
    expect(readFileSync(join(s.cwd, "s.txt"), "utf8")).toBe("new\n");
    const applied = JSON.parse(s.outputFor("bashlc_yes") ?? "null") as { output: string; metadata: { exit_code: number; duration_seconds: number } };
    expect(applied.output).toBe("Success. Updated the following files:\nM s.txt\n");
    expect(applied.metadata.exit_code).toBe(0);
    expect(s.outputFor("bashlc_no")).toBe("patch rejected by user");
  });

  it("shell_command: `cd sub && apply_patch` resolves the patch's paths in sub", async () => {
    const s = await setup("gatehouse-test-model", [
      shellCommand("cd_yes", heredoc("cd sub && apply_patch", "*** Add File: c.txt\n+charlie")),
      shellCommand("cd_no", heredoc("cd sub && apply_patch", "*** Add File: d.txt\n+delta")),
      done(),
    ]);
    const turnId = await s.startTurn();
    await s.answerFileChange("cd_yes", "accept");
    await s.answerFileChange("cd_no", "decline");
    await s.turnCompleted(turnId);
    expect(toolsOffered(s)).toContain("shell_command");
    expectFileChange(s, "cd_yes", "completed", join(s.cwd, "sub", "c.txt"));
    expectFileChange(s, "cd_no", "declined", join(s.cwd, "sub", "d.txt"));
    expectNoCommands(s);
    expect(readFileSync(join(s.cwd, "sub", "c.txt"), "utf8")).toBe("charlie\n");
    expect(existsSync(join(s.cwd, "c.txt"))).toBe(false);
    expect(existsSync(join(s.cwd, "sub", "d.txt"))).toBe(false);
    // The path as written in the patch, relative to the cd target (0.80's JSON; whole seconds keep ".0").
    expect(s.outputFor("cd_yes")).toMatch(
      /^\{"output":"Success\. Updated the following files:\\nA c\.txt\\n","metadata":\{"exit_code":0,"duration_seconds":\d+\.\d\}\}$/,
    );
    expect(s.outputFor("cd_no")).toBe("patch rejected by user");
  });

  it("exec_command edge cases answer as 0.169 does: a bad patch, a bare patch, a missing cd target, a patch joined to another command", async () => {
    const s = await setup("gpt-5.5", [
      execCommand("invalid", "apply_patch <<'EOF'\n*** Begin Patch\n*** Frobnicate: x\n*** End Patch\nEOF\n"),
      execCommand("bare", patchText("*** Add File: bare.txt\n+b")),
      execCommand("missing_dir", heredoc("cd nowhere && apply_patch", "*** Add File: m.txt\n+m")),
      execCommand("joined", `apply_patch <<'EOF' && echo done\n${patchText("*** Add File: e.txt\n+e")}EOF\n`),
      done(),
    ]);
    const turnId = await s.startTurn();
    await s.answerFileChange("missing_dir", "accept");
    // Not apply_patch as far as 0.169 is concerned: an ordinary command, asked as one.
    const cmd = await s.d.serverRequest("item/commandExecution/requestApproval", (p) => p.itemId === "joined", { timeoutMs: 15_000 });
    s.d.respond(cmd, { decision: "decline" });
    await s.turnCompleted(turnId);

    expect(s.outputFor("invalid")).toBe(
      "apply_patch verification failed: invalid hunk at line 2, '*** Frobnicate: x' is not a valid hunk header. Valid hunk headers: '*** Add File: {path}', '*** Delete File: {path}', '*** Update File: {path}'",
    );
    expect(s.outputFor("bare")).toBe(
      'apply_patch verification failed: patch detected without explicit call to apply_patch. Rerun as ["apply_patch", "<patch>"]',
    );
    // Neither became an item of any kind, and nothing was asked.
    for (const id of ["invalid", "bare"]) {
      expect(s.lifecycle(id)).toEqual([]);
      expect(s.approvalAt(id)).toBe(-1);
    }
    expect(existsSync(join(s.cwd, "bare.txt"))).toBe(false);

    // 0.169 does not check the cd target: the Add creates the folder.
    expectFileChange(s, "missing_dir", "completed", join(s.cwd, "nowhere", "m.txt"));
    expect(readFileSync(join(s.cwd, "nowhere", "m.txt"), "utf8")).toBe("m\n");
    expect(s.outputFor("missing_dir")).toMatch(execApplied("A m\\.txt"));

    expect(s.lifecycle("joined").map((e) => [e.method, e.item.type, statusOf(e.item)])).toEqual([
      ["item/started", "commandExecution", "inProgress"],
      ["item/completed", "commandExecution", "declined"],
    ]);
    expect(existsSync(join(s.cwd, "e.txt"))).toBe(false);
  });
});
