// The legacy v1 conversation API (0.80) end to end on the real daemon: newConversation, listeners,
// sendUserTurn / sendUserMessage, the codex/event/* stream, execCommandApproval and applyPatchApproval
// through the same gate and session caches as v2, interruptConversation, v1 and v2 mixed on one
// connection and across loads, two listeners, a kill -9 mid-turn and bad input. Every transcript is
// validated against 0.80's schema (wire-check traffic); waits are for messages, never for time.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { spawnListening, startDaemon, type Json, type RawDaemon } from "../helpers/daemon.js";
import { REF_DIR } from "../helpers/globalSetup.js";
import { tempHome, type TempHome } from "../helpers/home.js";
import {
  evCreated,
  evCustomToolCall,
  evFunctionCall,
  evMessage,
  evNamespacedFunctionCall,
  hang,
  startMockResponses,
  turn,
  type MockResponses,
  type ScriptEntry,
} from "../helpers/mockResponses.js";
import { EVERYTHING_SERVER } from "../../server/core/mcp/mcpServers.testutil.js";
import { mockConfig } from "../helpers/session.js";
import { SocketClient } from "../helpers/socketClient.js";
import { wireCheckTraffic } from "../helpers/wireCheck.js";

const REF_V1_SCHEMA = join(REF_DIR, "0.80.0/schema-json");

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The e2e sessions' mock provider config (helpers/session.ts), with `extra` tables after it. */
const config = (baseUrl: string, extra = ""): string => mockConfig(baseUrl, extra);

const exec = (callId: string, cmd: string, extra: Record<string, unknown> = {}) =>
  evFunctionCall(callId, "exec_command", { cmd, yield_time_ms: 10_000, ...extra });
const patch = (callId: string, body: string) => evCustomToolCall(callId, "apply_patch", `*** Begin Patch\n${body}*** End Patch\n`);
const say = (text: string) => turn(evMessage(`m_${text.length}`, text));

type Msg = Json & { method?: string; params?: Record<string, unknown>; id?: unknown; result?: unknown; error?: { code: number; message: string } };

interface Client {
  d: RawDaemon;
  sent: Json[];
  request(method: string, params?: unknown): Promise<Msg>;
  result(method: string, params?: unknown): Promise<Record<string, unknown>>;
  event(type: string, where?: (msg: Record<string, unknown>) => boolean, from?: number): Promise<Msg>;
  serverRequest(method: string, from?: number): Promise<Msg>;
  answer(req: Msg, result: unknown): void;
  checkWire(): void;
}

let nextId = 1;

function client(d: RawDaemon): Client {
  const sent: Json[] = [];
  // v2 requests a test makes on the side (thread/read, …) are not 0.80's: left out of the v1 transcript.
  const v2Ids = new Set<unknown>();
  const c: Client = {
    d,
    sent,
    async request(method, params) {
      const id = `v1-${nextId++}`;
      const msg: Json = params === undefined ? { id, method } : { id, method, params };
      if (method.includes("/")) v2Ids.add(id);
      else sent.push(msg);
      d.sendJson(msg);
      return (await d.response(id, 30_000)) as Msg;
    },
    async result(method, params) {
      const res = await c.request(method, params);
      if (res.error) throw new Error(`${method} failed: ${JSON.stringify(res.error)}`);
      return res.result as Record<string, unknown>;
    },
    event(type, where = () => true, from = 0) {
      return d.waitFor(
        (m) => (m as Msg).method === `codex/event/${type}` && where(((m as Msg).params?.["msg"] ?? {}) as Record<string, unknown>),
        30_000,
        from,
      ) as Promise<Msg>;
    },
    serverRequest(method, from = 0) {
      return d.waitFor((m) => (m as Msg).method === method && (m as Msg).id !== undefined, 30_000, from) as Promise<Msg>;
    },
    answer(req, result) {
      const msg: Json = { id: req.id as string | number, result: result as Json };
      sent.push(msg);
      d.sendJson(msg);
    },
    checkWire() {
      const file = join(d.home.base, `transcript-${nextId++}.jsonl`);
      const lines = [...sent.map((msg) => ({ dir: "in", msg })), ...d.messages.filter((m) => !v2Ids.has((m as Msg).id)).map((msg) => ({ dir: "out", msg }))];
      writeFileSync(file, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
      const check = wireCheckTraffic(REF_V1_SCHEMA, file);
      expect(check.stdout).toMatch(/server messages valid/);
      expect(check.stdout, check.stdout).not.toMatch(/INVALID/);
      expect(check.status, check.stdout + check.stderr).toBe(0);
    },
  };
  return c;
}

interface Setup {
  c: Client;
  mock: MockResponses;
  home: TempHome;
  cwd: string;
  conversationId: string;
  rolloutPath: string;
  /** sendUserTurn with the given policies; resolves once answered. */
  sendTurn(text: string, over?: Record<string, unknown>): Promise<Msg>;
}

async function startClient(home: TempHome, mockUrl: string, extraConfig = ""): Promise<Client> {
  const d = startDaemon({ config: config(mockUrl, extraConfig), home });
  cleanups.push(() => d.stop({ killed: "end of test" }).then(() => undefined));
  const c = client(d);
  await c.result("initialize", { clientInfo: { name: "v1-test", title: null, version: "0.0.1" } });
  c.sent.push({ method: "initialized" });
  d.sendJson({ method: "initialized" });
  return c;
}

async function setup(script: ScriptEntry[], conv: Record<string, unknown> = {}, extraConfig = ""): Promise<Setup> {
  const mock = await startMockResponses({ script });
  cleanups.push(() => mock.close());
  const home = tempHome();
  const cwd = join(home.base, "work");
  mkdirSync(cwd, { recursive: true });
  const c = await startClient(home, mock.baseUrl, extraConfig);
  const created = await c.result("newConversation", { cwd, approvalPolicy: "untrusted", sandbox: "workspace-write", ...conv });
  const conversationId = created["conversationId"] as string;
  await c.result("addConversationListener", { conversationId, experimentalRawEvents: false });
  return {
    c,
    mock,
    home,
    cwd,
    conversationId,
    rolloutPath: created["rolloutPath"] as string,
    sendTurn: (text, over = {}) =>
      c.request("sendUserTurn", {
        conversationId,
        items: [{ type: "text", data: { text } }],
        cwd,
        approvalPolicy: "untrusted",
        sandboxPolicy: { type: "workspace-write" },
        model: "gpt-5.5",
        effort: null,
        summary: "auto",
        ...over,
      }),
  };
}

const events = (c: Client, type: string, from = 0): Record<string, unknown>[] =>
  c.d.messages
    .slice(from)
    .filter((m) => (m as Msg).method === `codex/event/${type}`)
    .map((m) => (m as Msg).params!["msg"] as Record<string, unknown>);

describe("v1 conversations", () => {
  it("streams a turn as codex/event/* and v2 notifications, and answers newConversation as 0.80", async () => {
    const s = await setup([say("Hello from v1.")], { approvalPolicy: "never" });
    expect(s.rolloutPath).toMatch(/rollout-.*\.jsonl$/);
    expect(existsSync(s.rolloutPath)).toBe(true);
    const schema = { type: "object", properties: { answer: { type: "string" } }, required: ["answer"], additionalProperties: false };
    expect((await s.sendTurn("Say hello.", { approvalPolicy: "never", outputSchema: schema })).result).toEqual({});
    const done = await s.c.event("task_complete");
    expect(done.params).toMatchObject({ conversationId: s.conversationId, msg: { last_agent_message: "Hello from v1." } });
    await s.c.d.waitFor((m) => (m as Msg).method === "turn/completed", 10_000);
    const types = s.c.d.messages.filter((m) => (m as Msg).method?.startsWith("codex/event/")).map((m) => (m as Msg).method!.slice(12));
    expect(types.slice(0, 2)).toEqual(["mcp_startup_complete", "task_started"]);
    expect(types).toEqual(expect.arrayContaining(["user_message", "agent_message_delta", "agent_message_content_delta", "agent_message", "token_count"]));
    expect(types.at(-1)).toBe("task_complete");
    const deltas = events(s.c, "agent_message_delta").map((m) => m["delta"]);
    expect(deltas.join("")).toBe("Hello from v1.");
    // As 0.80: the v2 notifications too, without turn/started, but with turn/completed.
    const methods = s.c.d.messages.map((m) => (m as Msg).method);
    expect(methods).toContain("item/completed");
    expect(methods).toContain("turn/completed");
    expect(methods).not.toContain("turn/started");
    expect(methods).not.toContain("thread/status/changed");
    // the turn's outputSchema constrains the model's answer, as 0.80 sends it
    expect((s.mock.requests[0]!.body as { text?: unknown }).text).toEqual({
      format: { type: "json_schema", name: "codex_output_schema", schema, strict: true },
    });
    s.c.checkWire();
  });

  it("asks execCommandApproval: approved runs, approved_for_session skips the next prompt for that argv, denied declines, abort ends the turn", async () => {
    const s = await setup([
      turn(exec("call_a", "echo one >> log.txt")),
      turn(exec("call_b", "echo one >> log.txt")),
      turn(exec("call_c", "echo two >> log.txt")),
      turn(exec("call_d", "echo three >> log.txt")),
      say("done"),
      turn(exec("call_e", "echo four >> log.txt")),
    ]);
    await s.sendTurn("go");
    const a = await s.c.serverRequest("execCommandApproval");
    expect(a.params).toMatchObject({ conversationId: s.conversationId, callId: "call_a", cwd: s.cwd, reason: null });
    expect((a.params!["command"] as string[]).join(" ")).toContain("echo one >> log.txt");
    expect(a.params!["parsedCmd"]).toEqual(expect.any(Array));
    const asked = await s.c.event("exec_approval_request", (m) => m["call_id"] === "call_a");
    expect(asked.params!["msg"]).toMatchObject({ command: a.params!["command"], cwd: s.cwd });
    s.c.answer(a, { decision: "approved_for_session" });
    await s.c.event("exec_command_end", (m) => m["call_id"] === "call_b");
    const c3 = await s.c.serverRequest("execCommandApproval", s.c.d.messages.indexOf(a) + 1);
    expect(c3.params!["callId"]).toBe("call_c");
    s.c.answer(c3, { decision: "denied" });
    const d4 = await s.c.serverRequest("execCommandApproval", s.c.d.messages.indexOf(c3) + 1);
    expect(d4.params!["callId"]).toBe("call_d");
    s.c.answer(d4, { decision: "approved" });
    await s.c.event("task_complete");
    expect(readFileSync(join(s.cwd, "log.txt"), "utf8")).toBe("one\none\nthree\n");
    // the second identical argv was never asked; the declined one told the model so
    const asks = s.c.d.messages.filter((m) => (m as Msg).method === "execCommandApproval").map((m) => (m as Msg).params!["callId"]);
    expect(asks).toEqual(["call_a", "call_c", "call_d"]);
    expect(JSON.stringify(s.mock.requests[3]!.body)).toContain("rejected by user");
    const ends = events(s.c, "exec_command_end");
    expect(ends.find((e) => e["call_id"] === "call_a")).toMatchObject({ exit_code: 0, command: a.params!["command"] });

    // abort: the turn ends as turn_aborted and the model is not asked again
    const from = s.c.d.messages.length;
    await s.sendTurn("again");
    const e5 = await s.c.serverRequest("execCommandApproval", from);
    s.c.answer(e5, { decision: "abort" });
    const aborted = await s.c.event("turn_aborted", () => true, from);
    expect(aborted.params!["msg"]).toEqual({ type: "turn_aborted", reason: "interrupted" });
    expect(s.mock.requests.length).toBe(6);
    expect(readFileSync(join(s.cwd, "log.txt"), "utf8")).not.toContain("four");
    s.c.checkWire();
  });

  it("asks applyPatchApproval once for ./a.txt, sub/../a.txt and the absolute path (canonical path cache)", async () => {
    let cwd = "";
    const s = await setup([
      turn(patch("call_p1", "*** Add File: ./a.txt\n+one\n")),
      turn(patch("call_p2", "*** Update File: sub/../a.txt\n@@\n-one\n+two\n")),
      () => turn(patch("call_p3", `*** Update File: ${join(cwd, "a.txt")}\n@@\n-two\n+three\n`)),
      say("patched"),
    ]);
    cwd = s.cwd;
    mkdirSync(join(s.cwd, "sub"));
    await s.sendTurn("patch it");
    const p1 = await s.c.serverRequest("applyPatchApproval");
    expect(p1.params).toMatchObject({
      conversationId: s.conversationId,
      callId: "call_p1",
      fileChanges: { [join(s.cwd, "a.txt")]: { type: "add", content: "one\n" } },
      grantRoot: null,
    });
    s.c.answer(p1, { decision: "approved_for_session" });
    await s.c.event("task_complete");
    expect(readFileSync(join(s.cwd, "a.txt"), "utf8")).toBe("three\n");
    expect(s.c.d.messages.filter((m) => (m as Msg).method === "applyPatchApproval")).toHaveLength(1);
    const begins = events(s.c, "patch_apply_begin");
    expect(begins.map((b) => [b["call_id"], b["auto_approved"]])).toEqual([
      ["call_p1", false],
      ["call_p2", true],
      ["call_p3", true],
    ]);
    expect(events(s.c, "patch_apply_end").every((e) => e["success"] === true)).toBe(true);
    expect(events(s.c, "turn_diff").length).toBeGreaterThan(0);
    s.c.checkWire();
  });

  it("on-failure runs sandboxed without asking, and asks to rerun outside the sandbox only after a sandbox denial", async () => {
    let outside = "";
    const s = await setup([
      turn(exec("call_in", "echo inside > in.txt")),
      () => turn(exec("call_out", `echo outside > ${outside}/yes.txt`)),
      () => turn(exec("call_no", `echo outside > ${outside}/no.txt`)),
      say("done"),
    ]);
    outside = join(s.home.base, "outside");
    mkdirSync(outside);
    const policy = {
      approvalPolicy: "on-failure",
      sandboxPolicy: { type: "workspace-write", writable_roots: [], exclude_tmpdir_env_var: true, exclude_slash_tmp: true },
    };
    await s.sendTurn("go", policy);
    // the write inside cwd ran with no prompt; the first write outside was refused by the sandbox, then asked about
    const first = await s.c.serverRequest("execCommandApproval");
    expect(first.params).toMatchObject({ callId: "call_out", reason: "command failed; retry without sandbox?" });
    s.c.answer(first, { decision: "approved" });
    const second = await s.c.serverRequest("execCommandApproval", s.c.d.messages.indexOf(first) + 1);
    expect(second.params).toMatchObject({ callId: "call_no", reason: "command failed; retry without sandbox?" });
    s.c.answer(second, { decision: "denied" });
    await s.c.event("task_complete");
    expect(readFileSync(join(s.cwd, "in.txt"), "utf8")).toBe("inside\n");
    expect(readFileSync(join(outside, "yes.txt"), "utf8")).toBe("outside\n");
    expect(existsSync(join(outside, "no.txt"))).toBe(false);
    const ends = events(s.c, "exec_command_end");
    expect(ends.find((e) => e["call_id"] === "call_out")).toMatchObject({ exit_code: 0 });
    expect(ends.find((e) => e["call_id"] === "call_no")!["exit_code"]).not.toBe(0);
    expect(s.c.d.messages.filter((m) => (m as Msg).method === "execCommandApproval")).toHaveLength(2);
    s.c.checkWire();
  });

  it("runs sendUserTurn under external-sandbox unwrapped, with the network marker when its network is restricted", async () => {
    const s = await setup([turn(exec("call_env", "echo marker=$CODEX_SANDBOX_NETWORK_DISABLED; cat /proc/self/status | grep ^NSpid")), say("ok")]);
    await s.sendTurn("env", { approvalPolicy: "never", sandboxPolicy: { type: "external-sandbox", network_access: "restricted" } });
    const end = await s.c.event("exec_command_end");
    const out = end.params!["msg"] as Record<string, unknown>;
    expect(out["stdout"]).toContain("marker=1");
    // unwrapped: the command runs in the daemon's pid namespace (bwrap would give it a new one, NSpid with two ids)
    expect(String(out["stdout"])).toMatch(/NSpid:\s+\d+\s*$/m);
    await s.c.event("task_complete");
    s.c.checkWire();
  });

  it("answers interruptConversation after turn_aborted and leaves no process behind", async () => {
    // Unsandboxed, so the pid the command writes is the daemon's namespace's. No login shell: killing a
    // profile mid-way can leave its tools' locks behind (pyenv's rehash lock stalls every later login shell).
    const s = await setup([turn(exec("call_sleep", "echo $$ > pid.txt; exec sleep 30", { login: false })), say("never")], {
      approvalPolicy: "never",
      sandbox: "danger-full-access",
    });
    await s.sendTurn("sleep", { approvalPolicy: "never", sandboxPolicy: { type: "danger-full-access" } });
    await s.c.event("exec_command_begin");
    const pidFile = join(s.cwd, "pid.txt");
    // A bound against a hang only, not a timing assertion.
    for (const until = Date.now() + 10_000; Date.now() < until && !(existsSync(pidFile) && readFileSync(pidFile, "utf8").endsWith("\n"));)
      await new Promise((r) => setTimeout(r, 20));
    const answered = await s.c.request("interruptConversation", { conversationId: s.conversationId });
    expect(answered.result).toEqual({ abortReason: "interrupted" });
    const idx = s.c.d.messages.indexOf(answered);
    const abortedAt = s.c.d.messages.findIndex((m) => (m as Msg).method === "codex/event/turn_aborted");
    expect(abortedAt).toBeGreaterThanOrEqual(0);
    expect(abortedAt).toBeLessThan(idx);
    const pid = Number(readFileSync(pidFile, "utf8").trim());
    expect(() => process.kill(pid, 0)).toThrow();
    // nothing running: answered at once
    expect((await s.c.request("interruptConversation", { conversationId: s.conversationId })).result).toEqual({ abortReason: "interrupted" });
    s.c.checkWire();
  });

  it("delivers every event to two listeners on two connections, and stops after removeConversationListener", async () => {
    const mock = await startMockResponses({ script: [say("first"), say("second")] });
    const home = tempHome("gatehouse-v1-listeners");
    home.writeConfig(config(mock.baseUrl));
    const cwd = join(home.base, "cwd");
    mkdirSync(cwd);
    const path = join(home.base, "gh.sock");
    const { child, url } = spawnListening(home, ["--listen", `unix://${path}`]);
    cleanups.push(async () => {
      child.kill("SIGKILL");
      await mock.close();
      home.cleanup();
    });
    await url;
    const a = await SocketClient.unix(path);
    const b = await SocketClient.unix(path);
    cleanups.push(() => (a.drop(), b.drop()));
    let id = 0;
    const call = async (c: SocketClient, method: string, params?: unknown): Promise<Msg> => {
      const rid = `sock-${++id}`;
      c.send(params === undefined ? { id: rid, method } : { id: rid, method, params: params as Json });
      return (await c.waitFor((m) => (m as Msg).id === rid && (m as Msg).method === undefined)) as Msg;
    };
    for (const c of [a, b]) {
      await call(c, "initialize", { clientInfo: { name: "v1-listener", title: null, version: "0.0.1" } });
      c.send({ method: "initialized" });
    }
    const conversationId = ((await call(a, "newConversation", { cwd, approvalPolicy: "never", sandbox: "read-only" })).result as { conversationId: string })
      .conversationId;
    await call(a, "addConversationListener", { conversationId });
    const subB = ((await call(b, "addConversationListener", { conversationId })).result as { subscriptionId: string }).subscriptionId;
    const turnParams = (text: string) => ({
      conversationId,
      items: [{ type: "text", data: { text } }],
      cwd,
      approvalPolicy: "never",
      sandboxPolicy: { type: "read-only" },
      model: "gpt-5.5",
      effort: null,
      summary: "auto",
    });
    await call(a, "sendUserTurn", turnParams("one"));
    const isDone = (m: Json) => (m as Msg).method === "codex/event/task_complete";
    for (const c of [a, b]) {
      const done = (await c.waitFor(isDone)) as Msg;
      expect(done.params).toMatchObject({ conversationId, msg: { last_agent_message: "first" } });
    }
    const kinds = (c: SocketClient) => c.messages.filter((m) => (m as Msg).method?.startsWith("codex/event/")).map((m) => (m as Msg).method);
    expect(kinds(b)).toEqual(kinds(a));
    // b stops listening: a hears the second turn, b nothing more
    expect((await call(b, "removeConversationListener", { subscriptionId: subB })).result).toEqual({});
    expect((await call(b, "removeConversationListener", { subscriptionId: subB })).error).toMatchObject({ code: -32600 });
    const bBefore = b.messages.length;
    await call(a, "sendUserTurn", turnParams("two"));
    await a.waitFor((m) => isDone(m) && ((m as Msg).params!["msg"] as { last_agent_message: string }).last_agent_message === "second");
    expect(b.messages.slice(bBefore).filter((m) => (m as Msg).method?.startsWith("codex/event/"))).toEqual([]);
  });

  it("mixes v1 and v2 on one connection: each thread gets the approval requests of the API that loaded it", async () => {
    const s = await setup([turn(exec("call_v1", "echo v1 > v1.txt")), say("v1 done"), turn(exec("call_v2", "echo v2 > v2.txt")), say("v2 done")]);
    await s.sendTurn("v1");
    const v1req = await s.c.serverRequest("execCommandApproval");
    s.c.answer(v1req, { decision: "approved" });
    await s.c.event("task_complete");
    const started = await s.c.result("thread/start", { cwd: s.cwd, approvalPolicy: "untrusted", sandbox: "workspace-write" });
    const threadId = (started["thread"] as { id: string }).id;
    const from = s.c.d.messages.length;
    await s.c.result("turn/start", { threadId, input: [{ type: "text", text: "v2", text_elements: [] }], outputSchema: { type: "string" } });
    const v2req = await s.c.serverRequest("item/commandExecution/requestApproval", from);
    expect(v2req.params).toMatchObject({ threadId, itemId: "call_v2" });
    s.c.answer(v2req, { decision: "accept" });
    await s.c.d.waitFor((m) => (m as Msg).method === "turn/completed" && (m as Msg).params?.["threadId"] === threadId, 30_000, from);
    expect(s.c.d.messages.slice(from).some((m) => (m as Msg).method === "execCommandApproval")).toBe(false);
    expect((s.mock.requests[2]!.body as { text?: { format?: unknown } }).text?.format).toMatchObject({ type: "json_schema", schema: { type: "string" } });
    // every sampling request of the turn carries it (the one after the command too)
    expect((s.mock.requests[3]!.body as { text?: unknown }).text).toBeDefined();
    expect(s.c.d.messages.slice(from).some((m) => (m as Msg).method?.startsWith("codex/event/"))).toBe(false);
    // a conversation id is a thread id: v2 reads the v1 conversation
    const read = await s.c.result("thread/read", { threadId: s.conversationId, includeTurns: true });
    expect((read["thread"] as { turns: unknown[] }).turns).toHaveLength(1);
    const list = await s.c.result("thread/list", {});
    expect((list["data"] as { id: string }[]).map((t) => t.id)).toEqual(expect.arrayContaining([s.conversationId, threadId]));
  });

  it("resumes a v1 conversation through v2 (v2 approvals) and a v2 thread through v1 (v1 approvals) after a restart", async () => {
    const s = await setup([
      say("v1 first"),
      turn(exec("call_r1", "echo r1 > r1.txt")),
      say("r1 done"),
      turn(exec("call_r2", "echo r2 > r2.txt")),
      say("r2 done"),
    ]);
    await s.sendTurn("first", { approvalPolicy: "never" });
    await s.c.event("task_complete");
    const v2 = await s.c.result("thread/start", { cwd: s.cwd, approvalPolicy: "untrusted", sandbox: "workspace-write" });
    const v2Id = (v2["thread"] as { id: string }).id;
    await s.c.d.stop();

    const c2 = await startClient(s.home, s.mock.baseUrl);
    // the v1 conversation, loaded by v2's thread/resume: item/commandExecution/requestApproval
    await c2.result("thread/resume", { threadId: s.conversationId });
    await c2.result("turn/start", { threadId: s.conversationId, input: [{ type: "text", text: "r1", text_elements: [] }], approvalPolicy: "untrusted" });
    const r1 = await c2.serverRequest("item/commandExecution/requestApproval");
    c2.answer(r1, { decision: "accept" });
    await c2.d.waitFor((m) => (m as Msg).method === "turn/completed", 30_000);
    // the v2 thread, loaded by resumeConversation: execCommandApproval
    const from = c2.d.messages.length;
    const resumed = await c2.result("resumeConversation", { conversationId: v2Id });
    expect(resumed).toMatchObject({ conversationId: v2Id, initialMessages: [] });
    const configured = c2.d.messages.slice(from).find((m) => (m as Msg).method === "sessionConfigured") as Msg;
    expect(configured.params).toMatchObject({ sessionId: v2Id, historyLogId: 0, historyEntryCount: 0 });
    await c2.result("addConversationListener", { conversationId: v2Id });
    await c2.request("sendUserTurn", {
      conversationId: v2Id,
      items: [{ type: "text", data: { text: "r2" } }],
      cwd: s.cwd,
      approvalPolicy: "untrusted",
      sandboxPolicy: { type: "workspace-write" },
      model: "gpt-5.5",
      effort: null,
      summary: "auto",
    });
    const r2 = await c2.serverRequest("execCommandApproval", from);
    expect(r2.params).toMatchObject({ conversationId: v2Id, callId: "call_r2" });
    c2.answer(r2, { decision: "approved" });
    await c2.event("task_complete", () => true, from);
    expect(readFileSync(join(s.cwd, "r2.txt"), "utf8")).toBe("r2\n");
  });

  it("after kill -9 mid-turn, resumeConversation replays the conversation and the cut-off turn reads back as interrupted", async () => {
    const s = await setup([say("before crash"), hang(evCreated(), ...evMessage("msg_cut", "never finished").slice(0, 3)), say("after restart")], {
      approvalPolicy: "never",
    });
    await s.sendTurn("one", { approvalPolicy: "never" });
    await s.c.event("task_complete");
    const from = s.c.d.messages.length;
    await s.sendTurn("two", { approvalPolicy: "never" });
    await s.c.event("agent_message_delta", () => true, from);
    s.c.d.child.kill("SIGKILL");
    await new Promise((r) => s.c.d.child.once("exit", r));

    const c2 = await startClient(s.home, s.mock.baseUrl);
    const resumed = await c2.result("resumeConversation", { path: s.rolloutPath });
    expect(resumed["conversationId"]).toBe(s.conversationId);
    const replay = (resumed["initialMessages"] as { type: string; message?: string }[]).map((m) => `${m.type}:${m.message}`);
    expect(replay).toEqual(["user_message:one", "agent_message:before crash", "user_message:two"]);
    const read = await c2.result("thread/read", { threadId: s.conversationId, includeTurns: true });
    expect((read["thread"] as { turns: { status: string }[] }).turns.map((t) => t.status)).toEqual(["completed", "interrupted"]);
    await c2.result("addConversationListener", { conversationId: s.conversationId });
    await c2.result("sendUserMessage", { conversationId: s.conversationId, items: [{ type: "text", data: { text: "three" } }] });
    const done = await c2.event("task_complete");
    expect(done.params!["msg"]).toMatchObject({ last_agent_message: "after restart" });
    c2.checkWire();
  });

  it("archives a loaded conversation with a listener: unloaded first, and the listener hears nothing outside 0.80's schema", async () => {
    const s = await setup([say("before archive")], { approvalPolicy: "never" });
    await s.sendTurn("one", { approvalPolicy: "never" });
    await s.c.event("task_complete");
    expect(await s.c.result("archiveConversation", { conversationId: s.conversationId, rolloutPath: s.rolloutPath })).toEqual({});
    expect(existsSync(s.rolloutPath)).toBe(false);
    const listed = await s.c.result("listConversations", {});
    expect((listed["items"] as { conversationId: string }[]).map((i) => i.conversationId)).not.toContain(s.conversationId);
    // no longer loaded: 0.80's answer for a conversation it does not hold
    expect((await s.c.request("sendUserMessage", { conversationId: s.conversationId, items: [{ type: "text", data: { text: "x" } }] })).error).toEqual({
      code: -32600,
      message: `conversation not found: ${s.conversationId}`,
    });
    s.c.checkWire();
  });

  it("shows an MCP server's start-up and tool calls as 0.80's mcp_startup_complete and mcp_tool_call_begin/end", async () => {
    const servers = `
[mcp_servers.everything]
command = ${JSON.stringify(process.execPath)}
args = [${JSON.stringify(EVERYTHING_SERVER)}, "stdio"]
`;
    const s = await setup(
      [turn(...evNamespacedFunctionCall("call_mcp", "mcp__everything", "echo", { message: "v1 mcp" })), say("mcp done")],
      { approvalPolicy: "never" },
      servers,
    );
    await s.sendTurn("use mcp", { approvalPolicy: "never" });
    await s.c.event("task_complete");
    expect(events(s.c, "mcp_startup_complete")).toEqual([{ type: "mcp_startup_complete", ready: ["everything"], failed: [], cancelled: [] }]);
    expect(events(s.c, "mcp_tool_call_begin")).toEqual([
      { type: "mcp_tool_call_begin", call_id: "call_mcp", invocation: { server: "everything", tool: "echo", arguments: { message: "v1 mcp" } } },
    ]);
    const [end] = events(s.c, "mcp_tool_call_end");
    expect(end).toMatchObject({ call_id: "call_mcp", result: { Ok: { content: [{ type: "text", text: "Echo: v1 mcp" }] } } });
    s.c.checkWire();
  });

  it("answers bad input with 0.80's errors (or a clear -32602) and keeps serving", async () => {
    const s = await setup([turn(exec("call_slow", "sleep 2")), say("slow done")], { approvalPolicy: "never" });
    const unknown = "01a24e5c-ea22-7930-b89c-e08f38c9585f";
    const err = async (method: string, params: unknown) => (await s.c.request(method, params)).error;
    expect(await err("addConversationListener", { conversationId: "not-a-uuid" })).toMatchObject({
      code: -32600,
      message: expect.stringMatching(/^Invalid request: /),
    });
    expect(await err("addConversationListener", { conversationId: unknown })).toEqual({ code: -32600, message: `thread not found: ${unknown}` });
    expect(await err("removeConversationListener", { subscriptionId: "bad" })).toMatchObject({
      code: -32600,
      message: expect.stringMatching(/^Invalid request: /),
    });
    expect(await err("removeConversationListener", { subscriptionId: unknown })).toEqual({ code: -32600, message: `subscription not found: ${unknown}` });
    expect(await err("sendUserMessage", { conversationId: unknown, items: [{ type: "text", data: { text: "x" } }] })).toEqual({
      code: -32600,
      message: `conversation not found: ${unknown}`,
    });
    expect((await s.sendTurn("relative", { cwd: "relative/dir" })).error).toMatchObject({ code: -32602, message: expect.stringContaining("relative/dir") });
    expect(await err("sendUserTurn", { conversationId: s.conversationId })).toMatchObject({ code: -32602 });
    // during a running turn, input joins it (0.80 accepts it the same way)
    await s.sendTurn("slow", { approvalPolicy: "never" });
    await s.c.event("exec_command_begin");
    expect((await s.sendTurn("also this", { approvalPolicy: "never" })).result).toEqual({});
    await s.c.event("task_complete");
    expect(JSON.stringify(s.mock.requests.at(-1)!.body)).toContain("also this");
    expect(events(s.c, "task_started")).toHaveLength(1);
    // still serving
    expect(await s.c.result("thread/read", { threadId: s.conversationId })).toBeDefined();
    s.c.checkWire();
  });
});
