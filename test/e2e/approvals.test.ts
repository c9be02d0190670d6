// Approvals end to end on the real daemon: a scripted model asks for commands and patches, the test
// plays the client and answers the server's approval requests. Every decision, the session cache
// (dangerous commands excluded), the execpolicy amendment, and the lifecycle cases (interrupt, a
// disconnect with another subscribed client, with none until the disconnect grace ends, a reconnect
// within it, an explicit unsubscribe, bad answers) are covered. No timing assertions: every wait is
// for a message (or, for a client's drop, for the daemon's log line saying it arrived).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DAEMON, spawnListening, startDaemon, type Json, type RawDaemon } from "../helpers/daemon.js";
import { tempHome, type TempHome } from "../helpers/home.js";
import { evCustomToolCall, evFunctionCall, evMessage, startMockResponses, turn, type MockResponses, type ScriptEntry } from "../helpers/mockResponses.js";
import {
  isNotification,
  isServerRequest,
  resultOf,
  type ApprovalPolicy,
  type Notification,
  type ServerRequest,
  type ServerRequestMethod,
  type ServerRequestResult,
  type ThreadItem,
  type Turn,
} from "../helpers/protocol.js";
import { logWatcher, SocketClient } from "../helpers/socketClient.js";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function config(baseUrl: string, policy: string, extra = ""): string {
  return `model = "gpt-5.5"
model_provider = "mock"
approval_policy = "${policy}"
sandbox_mode = "workspace-write"
${extra}
[model_providers.mock]
name = "mock"
base_url = "${baseUrl}"
wire_api = "responses"
request_max_retries = 0
stream_max_retries = 0
`;
}

const exec = (callId: string, cmd: string, extra: Record<string, unknown> = {}) => evFunctionCall(callId, "exec_command", { cmd, ...extra });
const say = (text: string) => turn(evMessage(`m_${text.length}`, text));

interface Setup {
  d: RawDaemon;
  mock: MockResponses;
  cwd: string;
  home: TempHome;
  threadId: string;
  startTurn(text?: string): Promise<string>;
  approval<M extends ServerRequestMethod>(method: M, itemId: string, from?: number): Promise<ServerRequest<M>>;
  answer<M extends ServerRequestMethod>(req: ServerRequest<M>, result: ServerRequestResult<M>): void;
  /** The completed item. */
  itemCompleted(itemId: string): Promise<ThreadItem>;
  turnCompleted(turnId: string): Promise<Notification<"turn/completed">>;
  outputFor(callId: string): string | null;
}

/** `policy`: a name, or the granular object (config then says on-request; the thread gets the object). */
async function setup(policy: ApprovalPolicy, script: ScriptEntry[] | ((home: TempHome) => ScriptEntry[]), extraConfig = ""): Promise<Setup> {
  const home = tempHome("gatehouse-approvals");
  const mock = await startMockResponses({ script: typeof script === "function" ? script(home) : script });
  const cwd = join(home.base, "cwd");
  mkdirSync(cwd);
  const d = startDaemon({ home, config: config(mock.baseUrl, typeof policy === "string" ? policy : "on-request", extraConfig) });
  cleanups.push(async () => {
    await d.stop();
    await mock.close();
    home.cleanup();
  });
  await d.initialize();
  const threadId = (await d.result("thread/start", { cwd, approvalPolicy: policy, sandbox: "workspace-write" })).thread.id;
  const s: Setup = {
    d,
    mock,
    cwd,
    home,
    threadId,
    async startTurn(text = "go") {
      return (await d.result("turn/start", { threadId, input: [{ type: "text", text }] })).turn.id;
    },
    approval: (method, itemId, from = 0) => d.serverRequest(method, (p) => "itemId" in p && p.itemId === itemId, { from, timeoutMs: 15_000 }),
    answer: (req, result) => d.respond(req, result),
    itemCompleted: async (itemId) => (await d.notification("item/completed", (p) => p.item.id === itemId, { timeoutMs: 15_000 })).params.item,
    turnCompleted: (turnId) => d.notification("turn/completed", (p) => p.turn.id === turnId, { timeoutMs: 15_000 }),
    outputFor(callId) {
      for (const r of mock.responsesRequests()) {
        const input = (r.body?.["input"] ?? []) as Json[];
        const out = input.find((i) => (i["type"] === "function_call_output" || i["type"] === "custom_tool_call_output") && i["call_id"] === callId);
        if (out) return String(out["output"]);
      }
      return null;
    },
  };
  return s;
}

const requestsOf = <M extends ServerRequestMethod>(d: RawDaemon, method: M) => d.messages.filter(isServerRequest(method));
const itemStarted = (itemId: string) => isNotification("item/started", (p) => p.item.id === itemId);

describe("command approvals (untrusted)", () => {
  it("accept: item/started, waitingOnApproval, the 0.169 request fields, serverRequest/resolved, then the command runs sandboxed", async () => {
    const s = await setup("untrusted", [turn(exec("c1", "touch b.txt")), say("done")]);
    const turnId = await s.startTurn();
    const req = await s.approval("item/commandExecution/requestApproval", "c1");
    const reqIndex = s.d.messages.indexOf(req);
    const started = s.d.messages.findIndex(itemStarted("c1"));
    expect(started).toBeGreaterThanOrEqual(0);
    expect(started).toBeLessThan(reqIndex);
    expect(
      s.d.messages.slice(started, reqIndex).some((m) => m["method"] === "thread/status/changed" && JSON.stringify(m["params"]).includes("waitingOnApproval")),
    ).toBe(true);
    expect(req.params).toMatchObject({
      kind: "command",
      threadId: s.threadId,
      turnId,
      itemId: "c1",
      cwd: s.cwd,
      command: "/bin/bash -lc 'touch b.txt'",
      commandActions: [{ type: "unknown", command: "touch b.txt" }],
      proposedExecpolicyAmendment: ["touch", "b.txt"],
      availableDecisions: ["accept", { acceptWithExecpolicyAmendment: { execpolicy_amendment: ["touch", "b.txt"] } }, "cancel"],
    });
    expect(typeof req.params.startedAtMs).toBe("number");
    // As 0.169: the item starts from the approval request (source "agent") and completes from the exec.
    expect(s.d.messages.find(itemStarted("c1"))?.params.item).toMatchObject({ source: "agent" });
    s.answer(req, { decision: "accept" });
    expect(await s.itemCompleted("c1")).toMatchObject({ status: "completed", exitCode: 0, source: "unifiedExecStartup" });
    const resolved = s.d.messages.findIndex(isNotification("serverRequest/resolved"));
    expect(s.d.messages[resolved]?.["params"]).toEqual({ threadId: s.threadId, requestId: req.id });
    const cleared = s.d.messages.slice(resolved).find(isNotification("thread/status/changed"));
    expect(cleared?.params).toMatchObject({ status: { type: "active", activeFlags: [] } });
    await s.turnCompleted(turnId);
    expect(existsSync(join(s.cwd, "b.txt"))).toBe(true);
  });

  it("known-safe commands run without a prompt; a pipe into rm still asks although cat is safe", async () => {
    const s = await setup("untrusted", [turn(exec("safe", "ls && cat /dev/null")), turn(exec("pipe", "cat /dev/null | rm -rf ./nothing")), say("done")]);
    const turnId = await s.startTurn();
    // Not asked: the item starts from the exec, as 0.169's does.
    const safeStarted = await s.d.waitFor(itemStarted("safe"));
    expect(safeStarted.params.item).toMatchObject({ source: "unifiedExecStartup" });
    const req = await s.approval("item/commandExecution/requestApproval", "pipe");
    expect(req.params.proposedExecpolicyAmendment).toBeNull();
    s.answer(req, { decision: "decline" });
    await s.turnCompleted(turnId);
    expect(requestsOf(s.d, "item/commandExecution/requestApproval").map((m) => m.params.itemId)).toEqual(["pipe"]);
  });

  it("decline: the item completes declined, the model reads the rejection, and the turn goes on", async () => {
    const s = await setup("untrusted", [turn(exec("c1", "touch b.txt")), say("ok")]);
    const turnId = await s.startTurn();
    s.answer(await s.approval("item/commandExecution/requestApproval", "c1"), { decision: "decline" });
    expect(await s.itemCompleted("c1")).toMatchObject({ status: "declined" });
    expect((await s.turnCompleted(turnId)).params.turn.status).toBe("completed");
    expect(s.outputFor("c1")).toContain("rejected by user");
    expect(existsSync(join(s.cwd, "b.txt"))).toBe(false);
  });

  it("cancel: the item completes declined and the turn ends interrupted with no further sampling", async () => {
    const s = await setup("untrusted", [turn(exec("c1", "touch b.txt")), say("never sampled")]);
    const turnId = await s.startTurn();
    s.answer(await s.approval("item/commandExecution/requestApproval", "c1"), { decision: "cancel" });
    expect(await s.itemCompleted("c1")).toMatchObject({ status: "declined" });
    expect((await s.turnCompleted(turnId)).params.turn.status).toBe("interrupted");
    expect(s.mock.responsesRequests()).toHaveLength(1);
  });

  it("acceptForSession caches the exact command across turns, but never a dangerous one", async () => {
    const s = await setup("untrusted", [
      turn(exec("a1", "echo x >> log.txt"), exec("r1", "rm -rf ./scratch")),
      say("one"),
      turn(exec("a2", "echo x >> log.txt"), exec("r2", "rm -rf ./scratch")),
      say("two"),
    ]);
    const t1 = await s.startTurn();
    s.answer(await s.approval("item/commandExecution/requestApproval", "a1"), { decision: "acceptForSession" });
    s.answer(await s.approval("item/commandExecution/requestApproval", "r1"), { decision: "acceptForSession" });
    await s.turnCompleted(t1);
    const t2 = await s.startTurn();
    const again = await s.approval("item/commandExecution/requestApproval", "r2");
    s.answer(again, { decision: "decline" });
    await s.turnCompleted(t2);
    const asked = requestsOf(s.d, "item/commandExecution/requestApproval").map((m) => m.params.itemId);
    expect(asked).toEqual(["a1", "r1", "r2"]);
    expect(readFileSync(join(s.cwd, "log.txt"), "utf8")).toBe("x\nx\n");
  });

  it("acceptWithExecpolicyAmendment appends an allow rule that applies from the next command on, and `execpolicy check` sees it", async () => {
    const s = await setup("untrusted", [turn(exec("c1", "touch one.txt")), turn(exec("c2", "touch two.txt")), say("done")]);
    const turnId = await s.startTurn();
    s.answer(await s.approval("item/commandExecution/requestApproval", "c1"), {
      decision: { acceptWithExecpolicyAmendment: { execpolicy_amendment: ["touch"] } },
    });
    expect(await s.itemCompleted("c2")).toMatchObject({ status: "completed", exitCode: 0 });
    await s.turnCompleted(turnId);
    expect(requestsOf(s.d, "item/commandExecution/requestApproval")).toHaveLength(1);
    expect(readFileSync(join(s.home.home, "rules", "default.rules"), "utf8")).toBe('prefix_rule(pattern=["touch"], decision="allow")\n');
    const check = spawnSync(process.execPath, [DAEMON, "execpolicy", "check", "--", "touch", "x"], {
      env: { ...process.env, GATEHOUSE_HOME: s.home.home, CODEX_HOME: "" },
      encoding: "utf8",
    });
    expect(check.status).toBe(0);
    expect(JSON.parse(check.stdout)).toEqual({ matchedRules: [{ prefixRuleMatch: { matchedPrefix: ["touch"], decision: "allow" } }], decision: "allow" });
  });

  it("an unreadable answer resolves the request as a failed approval with a warning; the turn goes on", async () => {
    const s = await setup("untrusted", [turn(exec("c1", "touch b.txt")), say("ok")]);
    const turnId = await s.startTurn();
    const req = await s.approval("item/commandExecution/requestApproval", "c1");
    // No decision of the protocol's, so sent as plain JSON.
    s.d.sendJson({ id: req.id, result: { decision: "sure" } });
    expect(await s.itemCompleted("c1")).toMatchObject({ status: "declined" });
    await s.turnCompleted(turnId);
    expect(s.d.messages.some(isNotification("warning", (p) => p.message.includes("approval request failed")))).toBe(true);
    expect(s.outputFor("c1")).toContain("approval request failed");
  });

  it("turn/interrupt resolves a pending approval; the turn ends interrupted and a late answer changes nothing", async () => {
    const s = await setup("untrusted", [turn(exec("c1", "touch b.txt")), say("never sampled")]);
    const turnId = await s.startTurn();
    const req = await s.approval("item/commandExecution/requestApproval", "c1");
    const r = await s.d.request("turn/interrupt", { threadId: s.threadId, turnId });
    expect(r.result).toEqual({});
    expect((await s.turnCompleted(turnId)).params.turn.status).toBe("interrupted");
    expect(s.d.messages.some(isNotification("serverRequest/resolved", (p) => p.requestId === req.id))).toBe(true);
    s.answer(req, { decision: "accept" });
    const after = await s.d.request("thread/read", { threadId: s.threadId, includeTurns: false });
    expect(after.result).toBeDefined();
    expect(existsSync(join(s.cwd, "b.txt"))).toBe(false);
    expect(s.mock.responsesRequests()).toHaveLength(1);
  });

  it("on-request runs sandboxed without asking, and asks for escalation with the model's justification", async () => {
    const s = await setup("on-request", [
      turn(exec("c1", "touch in.txt"), exec("c2", "touch out.txt", { sandbox_permissions: "require_escalated", justification: "needs it" })),
      say("ok"),
    ]);
    const turnId = await s.startTurn();
    const req = await s.approval("item/commandExecution/requestApproval", "c2");
    expect(req.params.reason).toBe("needs it");
    s.answer(req, { decision: "decline" });
    await s.turnCompleted(turnId);
    expect(requestsOf(s.d, "item/commandExecution/requestApproval")).toHaveLength(1);
    expect(existsSync(join(s.cwd, "in.txt"))).toBe(true);
  });

  it("never refuses escalation without asking and tells the model", async () => {
    const s = await setup("never", [turn(exec("c1", "touch out.txt", { sandbox_permissions: "require_escalated", justification: "x" })), say("ok")]);
    const turnId = await s.startTurn();
    await s.turnCompleted(turnId);
    expect(requestsOf(s.d, "item/commandExecution/requestApproval")).toHaveLength(0);
    expect(s.outputFor("c1")).toContain("approval policy does not allow asking");
  });
});

// Escalation is what on-request and granular ask for; every decision under each (untrusted is covered above).
const GRANULAR = { granular: { sandbox_approval: true, rules: true, mcp_elicitations: true, request_permissions: true } };
for (const [name, policy] of [
  ["on-request", "on-request"],
  ["granular", GRANULAR],
] as const) {
  describe(`escalation approvals (${name})`, () => {
    const esc = (callId: string, cmd: string) => exec(callId, cmd, { sandbox_permissions: "require_escalated", justification: "outside" });

    it("accept: the escalated command runs; the next identical request asks again", async () => {
      const s = await setup(policy, [turn(esc("c1", "touch a.txt")), turn(esc("c2", "touch a.txt")), say("ok")]);
      const turnId = await s.startTurn();
      s.answer(await s.approval("item/commandExecution/requestApproval", "c1"), { decision: "accept" });
      expect(await s.itemCompleted("c1")).toMatchObject({ status: "completed" });
      s.answer(await s.approval("item/commandExecution/requestApproval", "c2"), { decision: "decline" });
      expect((await s.turnCompleted(turnId)).params.turn.status).toBe("completed");
      expect(existsSync(join(s.cwd, "a.txt"))).toBe(true);
    });

    it("acceptForSession: the same escalated command runs unasked in the next turn", async () => {
      const s = await setup(policy, [turn(esc("c1", "touch a.txt")), say("one"), turn(esc("c2", "touch a.txt")), say("two")]);
      const t1 = await s.startTurn();
      s.answer(await s.approval("item/commandExecution/requestApproval", "c1"), { decision: "acceptForSession" });
      await s.turnCompleted(t1);
      const t2 = await s.startTurn();
      expect(await s.itemCompleted("c2")).toMatchObject({ status: "completed" });
      await s.turnCompleted(t2);
      expect(requestsOf(s.d, "item/commandExecution/requestApproval").map((m) => m.params.itemId)).toEqual(["c1"]);
    });

    it("acceptWithExecpolicyAmendment: the command runs and the allow rule is written", async () => {
      const s = await setup(policy, [turn(esc("c1", "touch a.txt")), say("ok")]);
      const turnId = await s.startTurn();
      const req = await s.approval("item/commandExecution/requestApproval", "c1");
      expect(req.params.proposedExecpolicyAmendment).toEqual(["touch", "a.txt"]);
      s.answer(req, { decision: { acceptWithExecpolicyAmendment: { execpolicy_amendment: ["touch", "a.txt"] } } });
      expect(await s.itemCompleted("c1")).toMatchObject({ status: "completed" });
      await s.turnCompleted(turnId);
      expect(readFileSync(join(s.home.home, "rules", "default.rules"), "utf8")).toBe('prefix_rule(pattern=["touch", "a.txt"], decision="allow")\n');
    });

    it("decline: declined, the model is told, the turn completes", async () => {
      const s = await setup(policy, [turn(esc("c1", "touch a.txt")), say("ok")]);
      const turnId = await s.startTurn();
      s.answer(await s.approval("item/commandExecution/requestApproval", "c1"), { decision: "decline" });
      expect(await s.itemCompleted("c1")).toMatchObject({ status: "declined" });
      expect((await s.turnCompleted(turnId)).params.turn.status).toBe("completed");
      expect(s.outputFor("c1")).toContain("rejected by user");
      expect(existsSync(join(s.cwd, "a.txt"))).toBe(false);
    });

    it("cancel: declined and the turn ends interrupted", async () => {
      const s = await setup(policy, [turn(esc("c1", "touch a.txt")), say("never sampled")]);
      const turnId = await s.startTurn();
      s.answer(await s.approval("item/commandExecution/requestApproval", "c1"), { decision: "cancel" });
      expect(await s.itemCompleted("c1")).toMatchObject({ status: "declined" });
      expect((await s.turnCompleted(turnId)).params.turn.status).toBe("interrupted");
      expect(s.mock.responsesRequests()).toHaveLength(1);
    });
  });
}

describe("granular auto-reject and parallel calls", () => {
  it("granular without sandbox_approval refuses escalation without asking", async () => {
    const s = await setup({ granular: { sandbox_approval: false, rules: true, mcp_elicitations: true, request_permissions: true } }, [
      turn(exec("c1", "touch a.txt", { sandbox_permissions: "require_escalated", justification: "x" })),
      say("ok"),
    ]);
    await s.turnCompleted(await s.startTurn());
    expect(requestsOf(s.d, "item/commandExecution/requestApproval")).toHaveLength(0);
    expect(s.outputFor("c1")).toContain("approval policy does not allow asking");
  });

  it("parallel tool calls in one response each get their own request, answered independently", async () => {
    const s = await setup("untrusted", [turn(exec("p1", "touch one.txt"), exec("p2", "touch two.txt"), exec("p3", "touch three.txt")), say("ok")]);
    const turnId = await s.startTurn();
    const r1 = await s.approval("item/commandExecution/requestApproval", "p1");
    s.answer(r1, { decision: "accept" });
    const r2 = await s.approval("item/commandExecution/requestApproval", "p2");
    s.answer(r2, { decision: "decline" });
    const r3 = await s.approval("item/commandExecution/requestApproval", "p3");
    s.answer(r3, { decision: "acceptForSession" });
    await s.turnCompleted(turnId);
    expect(new Set([r1.id, r2.id, r3.id]).size).toBe(3);
    const resolved = s.d.messages.filter(isNotification("serverRequest/resolved")).map((m) => m.params.requestId);
    expect(resolved).toEqual([r1.id, r2.id, r3.id]);
    expect([existsSync(join(s.cwd, "one.txt")), existsSync(join(s.cwd, "two.txt")), existsSync(join(s.cwd, "three.txt"))]).toEqual([true, false, true]);
    expect(s.outputFor("p2")).toContain("rejected by user");
  });
});

describe("approval timeout, late and duplicate answers", () => {
  const warnings = (d: RawDaemon) => d.messages.filter(isNotification("warning")).map((m) => m.params.message);

  it("approval_timeout_ms: an unanswered request resolves as decline with a warning, the turn goes on, and the late answer only warns", async () => {
    const s = await setup("untrusted", [turn(exec("c1", "touch late.txt")), say("went on")], "approval_timeout_ms = 200");
    const turnId = await s.startTurn();
    const req = await s.approval("item/commandExecution/requestApproval", "c1");
    expect(await s.itemCompleted("c1")).toMatchObject({ status: "declined" });
    expect(s.d.messages.some(isNotification("serverRequest/resolved", (p) => p.requestId === req.id))).toBe(true);
    expect(warnings(s.d).some((w) => w.includes("timed out after 200 ms"))).toBe(true);
    expect((await s.turnCompleted(turnId)).params.turn.status).toBe("completed");
    expect(s.outputFor("c1")).toContain("timed out");
    s.answer(req, { decision: "accept" });
    const late = await s.d.notification("warning", (p) => p.message.includes("late or duplicate"));
    expect(late.params).toMatchObject({ threadId: s.threadId });
    expect(late.params.message).toContain("item/commandExecution/requestApproval");
    expect(existsSync(join(s.cwd, "late.txt"))).toBe(false);
  });

  it("a second answer to an answered request changes nothing and produces a warning", async () => {
    const s = await setup("untrusted", [turn(exec("c1", "touch once.txt")), turn(exec("c2", "touch twice.txt")), say("ok")]);
    const turnId = await s.startTurn();
    const req = await s.approval("item/commandExecution/requestApproval", "c1");
    s.answer(req, { decision: "decline" });
    s.answer(req, { decision: "accept" });
    const dup = await s.d.notification("warning", (p) => p.message.includes("already answered"));
    expect(dup.params).toMatchObject({ threadId: s.threadId });
    expect(await s.itemCompleted("c1")).toMatchObject({ status: "declined" });
    // The next request still pairs with its own answer.
    s.answer(await s.approval("item/commandExecution/requestApproval", "c2"), { decision: "accept" });
    expect(await s.itemCompleted("c2")).toMatchObject({ status: "completed" });
    await s.turnCompleted(turnId);
    expect(existsSync(join(s.cwd, "once.txt"))).toBe(false);
    expect(existsSync(join(s.cwd, "twice.txt"))).toBe(true);
  });

  it("turn/interrupt then a late answer: a warning, and the interrupted command never runs", async () => {
    const s = await setup("untrusted", [turn(exec("c1", "touch b.txt")), say("never sampled")]);
    const turnId = await s.startTurn();
    const req = await s.approval("item/commandExecution/requestApproval", "c1");
    await s.d.request("turn/interrupt", { threadId: s.threadId, turnId });
    await s.turnCompleted(turnId);
    s.answer(req, { decision: "accept" });
    const late = await s.d.notification("warning", (p) => p.message.includes("late or duplicate"));
    expect(late.params.message).toContain("already resolved");
    expect(existsSync(join(s.cwd, "b.txt"))).toBe(false);
  });
});

describe("requested permissions (features.request_permissions_tool)", () => {
  // /tmp is writable under workspace-write unless excluded, and the test's folders live under it.
  const FEATURE = "[features]\nrequest_permissions_tool = true\n[sandbox_workspace_write]\nexclude_slash_tmp = true\n";
  const ask = (callId: string, permissions: unknown, reason = "write the report outside") =>
    evFunctionCall(callId, "request_permissions", { permissions, reason });
  const toolNames = (mock: MockResponses) => ((mock.responsesRequests()[0]?.body?.["tools"] ?? []) as Json[]).map((t) => t["name"]);
  const dir = (home: TempHome, name: string): string => {
    const p = join(home.base, name);
    mkdirSync(p, { recursive: true });
    return p;
  };

  it("a grant for the turn: the request in 0.169's shape, the model reads the grant, a later command writes there, the next turn cannot", async () => {
    let outside = "";
    const s = await setup(
      "on-request",
      (home) => {
        outside = dir(home, "outside");
        return [
          turn(ask("p1", { file_system: { write: [outside] } })),
          turn(exec("c1", `touch ${outside}/granted.txt`)),
          say("one"),
          turn(exec("c2", `touch ${outside}/later.txt`)),
          say("two"),
        ];
      },
      FEATURE,
    );
    const t1 = await s.startTurn();
    const req = await s.approval("item/permissions/requestApproval", "p1");
    expect(toolNames(s.mock)).toContain("request_permissions");
    expect(req.params).toMatchObject({
      threadId: s.threadId,
      turnId: t1,
      itemId: "p1",
      environmentId: "local",
      cwd: s.cwd,
      reason: "write the report outside",
      permissions: { network: null, fileSystem: { read: null, write: [outside], entries: [{ path: { type: "path", path: outside }, access: "write" }] } },
    });
    expect(s.d.messages.some((m) => m["method"] === "thread/status/changed" && JSON.stringify(m["params"]).includes("waitingOnApproval"))).toBe(true);
    // More than was asked (another folder, the network) is not granted.
    s.answer(req, { permissions: { fileSystem: { write: [outside, s.home.home] }, network: { enabled: true } }, scope: "turn" });
    expect(await s.itemCompleted("c1")).toMatchObject({ status: "completed", exitCode: 0 });
    await s.turnCompleted(t1);
    expect(s.outputFor("p1")).toBe(JSON.stringify({ permissions: { network: null, file_system: { write: [outside] } }, scope: "turn" }));
    expect(s.d.messages.some(isNotification("serverRequest/resolved", (p) => p.requestId === req.id))).toBe(true);
    expect(existsSync(join(outside, "granted.txt"))).toBe(true);
    const t2 = await s.startTurn();
    expect(await s.itemCompleted("c2")).toMatchObject({ status: "failed" });
    await s.turnCompleted(t2);
    expect(existsSync(join(outside, "later.txt"))).toBe(false);
  });

  it("a grant for the session carries to the next turn; nothing granted leaves the sandbox as it was", async () => {
    let a = "";
    let b = "";
    const s = await setup(
      "on-request",
      (home) => {
        a = dir(home, "a");
        b = dir(home, "b");
        return [
          turn(ask("p1", { file_system: { write: [a] } })),
          turn(ask("p2", { file_system: { write: [b] } })),
          say("one"),
          turn(exec("c1", `touch ${a}/x.txt`)),
          turn(exec("c2", `touch ${b}/x.txt`)),
          say("two"),
        ];
      },
      FEATURE,
    );
    const t1 = await s.startTurn();
    s.answer(await s.approval("item/permissions/requestApproval", "p1"), { permissions: { fileSystem: { write: [a] } }, scope: "session" });
    s.answer(await s.approval("item/permissions/requestApproval", "p2"), { permissions: {} });
    await s.turnCompleted(t1);
    expect(s.outputFor("p2")).toBe('{"permissions":{"network":null,"file_system":null},"scope":"turn"}');
    const t2 = await s.startTurn();
    await s.turnCompleted(t2);
    expect(existsSync(join(a, "x.txt"))).toBe(true);
    expect(existsSync(join(b, "x.txt"))).toBe(false);
  });

  for (const policy of ["never", { granular: { sandbox_approval: true, rules: true, mcp_elicitations: true, request_permissions: false } }] as const) {
    it(`${typeof policy === "string" ? policy : "granular without request_permissions"}: nothing is granted and nothing asked`, async () => {
      let outside = "";
      const s = await setup(
        policy,
        (home) => {
          outside = dir(home, "outside");
          return [turn(ask("p1", { file_system: { write: [outside] } })), turn(exec("c1", `touch ${outside}/x.txt`)), say("ok")];
        },
        FEATURE,
      );
      await s.turnCompleted(await s.startTurn());
      expect(requestsOf(s.d, "item/permissions/requestApproval")).toHaveLength(0);
      expect(s.outputFor("p1")).toBe('{"permissions":{"network":null,"file_system":null},"scope":"turn"}');
      expect(existsSync(join(outside, "x.txt"))).toBe(false);
    });
  }

  it("without the feature the tool is not offered", async () => {
    const s = await setup("on-request", [say("hi")]);
    await s.turnCompleted(await s.startTurn());
    expect(toolNames(s.mock)).not.toContain("request_permissions");
    expect(toolNames(s.mock)).toContain("exec_command");
  });
});

describe("file change approvals", () => {
  it("acceptForSession covers the same file reached by another spelling; a new file prompts again; decline leaves it unwritten", async () => {
    const s = await setup("untrusted", [
      turn(evCustomToolCall("p1", "apply_patch", "*** Begin Patch\n*** Add File: a.txt\n+one\n*** End Patch")),
      turn(evCustomToolCall("p2", "apply_patch", "*** Begin Patch\n*** Update File: sub/../a.txt\n@@\n-one\n+two\n*** End Patch")),
      turn(evCustomToolCall("p3", "apply_patch", "*** Begin Patch\n*** Add File: b.txt\n+b\n*** End Patch")),
      say("ok"),
    ]);
    mkdirSync(join(s.cwd, "sub"));
    const turnId = await s.startTurn();
    const first = await s.approval("item/fileChange/requestApproval", "p1");
    expect(first.params).toMatchObject({ threadId: s.threadId, turnId, itemId: "p1", reason: null, grantRoot: null });
    s.answer(first, { decision: "acceptForSession" });
    expect(await s.itemCompleted("p2")).toMatchObject({ status: "completed" });
    s.answer(await s.approval("item/fileChange/requestApproval", "p3"), { decision: "decline" });
    expect(await s.itemCompleted("p3")).toMatchObject({ status: "declined" });
    await s.turnCompleted(turnId);
    expect(requestsOf(s.d, "item/fileChange/requestApproval").map((m) => m.params.itemId)).toEqual(["p1", "p3"]);
    expect(readFileSync(join(s.cwd, "a.txt"), "utf8")).toBe("two\n");
    expect(existsSync(join(s.cwd, "b.txt"))).toBe(false);
  });
});

// Several clients on one daemon (unix socket): what a pending request does when its client goes.
interface SocketDaemon {
  path: string;
  mock: MockResponses;
  cwd: string;
  /** Resolves once the daemon's log (stderr) contains `text`. */
  logged(text: string): Promise<void>;
}

async function socketDaemon(script: ScriptEntry[], extraConfig = ""): Promise<SocketDaemon> {
  const mock = await startMockResponses({ script });
  const home = tempHome("gatehouse-approvals-sock");
  home.writeConfig(config(mock.baseUrl, "untrusted", extraConfig));
  const cwd = join(home.base, "cwd");
  mkdirSync(cwd);
  const path = join(home.base, "gh.sock");
  const { child, url } = spawnListening(home, ["--listen", `unix://${path}`]);
  const logged = logWatcher(child);
  cleanups.push(async () => {
    child.kill("SIGKILL");
    await mock.close();
    home.cleanup();
  });
  await url;
  return { path, mock, cwd, logged };
}

const threadOf = (r: { thread: { id: string } }) => r.thread.id;
const isApproval = isServerRequest("item/commandExecution/requestApproval");
const turnDone = (turnId: string) => isNotification("turn/completed", (p) => p.turn.id === turnId);

/** Reads the thread from a client that is not subscribed, once it is no longer loaded: its last turn. */
async function lastTurnAfterUnload(c: SocketClient, threadId: string): Promise<Turn | undefined> {
  // The bound only stops a hang; it is not a timing assertion.
  for (const until = Date.now() + 20_000; Date.now() < until;) {
    const loaded = await c.result("thread/loaded/list", {});
    if (!loaded.data.includes(threadId)) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  const read = await c.result("thread/read", { threadId, includeTurns: true });
  return read.thread.turns.at(-1);
}

describe("disconnect with a pending approval", () => {
  it("re-sends the request to another subscribed client, whose answer counts", async () => {
    const { path, cwd } = await socketDaemon([turn(exec("c1", "touch moved.txt")), say("ok")]);
    const a = await SocketClient.unix(path);
    const b = await SocketClient.unix(path);
    await a.init();
    await b.init();
    const threadId = threadOf(await a.result("thread/start", { cwd, approvalPolicy: "untrusted", sandbox: "workspace-write" }));
    await b.request("thread/resume", { threadId });
    const turnId = (await a.result("turn/start", { threadId, input: [{ type: "text", text: "go" }] })).turn.id;
    await a.waitFor(isApproval);
    a.drop();
    const req = await b.waitFor(isApproval);
    b.respond(req, { decision: "accept" });
    const done = await b.waitFor(turnDone(turnId));
    expect(done.params.turn.status).toBe("completed");
    expect(existsSync(join(cwd, "moved.txt"))).toBe(true);
    b.drop();
  });

  it("with no client left the turn waits out disconnect_grace_ms, then the thread unloads and the turn ends interrupted; the command never runs", async () => {
    const d = await socketDaemon([turn(exec("c1", "touch never.txt")), say("ok")], "disconnect_grace_ms = 300");
    const a = await SocketClient.unix(d.path);
    await a.init();
    const threadId = threadOf(await a.result("thread/start", { cwd: d.cwd, approvalPolicy: "untrusted", sandbox: "workspace-write" }));
    await a.request("turn/start", { threadId, input: [{ type: "text", text: "go" }] });
    await a.waitFor(isApproval);
    a.drop();
    await d.logged("disconnect grace over with no subscriber");
    // A client that never subscribed reads the result back.
    const b = await SocketClient.unix(d.path);
    await b.init();
    expect((await lastTurnAfterUnload(b, threadId))?.["status"]).toBe("interrupted");
    // Declining on the disconnect would have run the model again; the grace ends the turn instead.
    expect(d.mock.responsesRequests()).toHaveLength(1);
    expect(existsSync(join(d.cwd, "never.txt"))).toBe(false);
    expect(b.messages.some(isApproval)).toBe(false);
    b.drop();
  });

  it("a client that reconnects within the grace resumes the in-progress turn, gets the request again under its own id, and its answer finishes the turn", async () => {
    const d = await socketDaemon([turn(exec("c1", "touch resumed.txt")), say("ok")]);
    const a = await SocketClient.unix(d.path);
    await a.init();
    const threadId = threadOf(await a.result("thread/start", { cwd: d.cwd, approvalPolicy: "untrusted", sandbox: "workspace-write" }));
    const turnId = (await a.result("turn/start", { threadId, input: [{ type: "text", text: "go" }] })).turn.id;
    const first = await a.waitFor(isApproval);
    a.drop();
    // The drop has reached the daemon (so this is the reconnect case, not a second live subscriber).
    await d.logged("last subscriber disconnected mid-turn");

    const b = await SocketClient.unix(d.path);
    await b.init();
    const resumed = await b.request("thread/resume", { threadId });
    const thread = resultOf("thread/resume", resumed).thread;
    expect(thread.status).toEqual({ type: "active", activeFlags: ["waitingOnApproval"] });
    expect(thread.turns.at(-1)).toMatchObject({ id: turnId, status: "inProgress" });

    const again = await b.waitFor(isApproval);
    // The resume answer first, then the same request as a new request of this connection.
    expect(b.messages.indexOf(again)).toBeGreaterThan(b.messages.indexOf(resumed));
    expect(again.params).toEqual(first.params);
    b.respond(again, { decision: "accept" });
    const done = await b.waitFor(turnDone(turnId));
    expect(done.params.turn.status).toBe("completed");
    expect(existsSync(join(d.cwd, "resumed.txt"))).toBe(true);
    expect(b.messages.find(isNotification("serverRequest/resolved"))?.params).toEqual({ threadId, requestId: again.id });
    expect(b.messages.filter(isApproval)).toHaveLength(1);
    expect(d.mock.responsesRequests()).toHaveLength(2);
    b.drop();
  });

  it("an explicit thread/unsubscribe still unloads at once: thread/closed, the turn interrupted, the command never run", async () => {
    // The default grace (60 s) would outlast every wait below if it applied.
    const d = await socketDaemon([turn(exec("c1", "touch never.txt")), say("ok")]);
    const a = await SocketClient.unix(d.path);
    await a.init();
    const threadId = threadOf(await a.result("thread/start", { cwd: d.cwd, approvalPolicy: "untrusted", sandbox: "workspace-write" }));
    const turnId = (await a.result("turn/start", { threadId, input: [{ type: "text", text: "go" }] })).turn.id;
    await a.waitFor(isApproval);
    expect(await a.result("thread/unsubscribe", { threadId })).toEqual({ status: "unsubscribed" });
    await a.notification("thread/closed", (p) => p.threadId === threadId);
    expect((await a.result("thread/loaded/list", {})).data).not.toContain(threadId);
    const read = await a.result("thread/read", { threadId, includeTurns: true });
    expect(read.thread.turns.at(-1)).toMatchObject({ id: turnId, status: "interrupted" });
    expect(existsSync(join(d.cwd, "never.txt"))).toBe(false);
    expect(d.mock.responsesRequests()).toHaveLength(1);
    a.drop();
  });
});
