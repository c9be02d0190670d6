// request_user_input on the real daemon: the model's questions reach the client as the
// item/tool/requestUserInput server request (Plan mode only, as in 0.169), the thread is flagged
// waitingOnUserInput meanwhile, and the client's answer is the tool output the model reads next. An
// interrupt resolves a pending question; a WebSocket client that drops and comes back within the
// disconnect grace gets the question again and its answer reaches the model. No timing assertions:
// every wait is for a message.
import { afterEach, describe, expect, it } from "vitest";
import { spawnListening, type Json } from "../helpers/daemon.js";
import { tempHome } from "../helpers/home.js";
import { evFunctionCall, evMessage, hang, startMockResponses, turn, type MockResponses } from "../helpers/mockResponses.js";
import { mockConfig, startSession, type Session } from "../helpers/session.js";
import { isNotification, isServerRequest, resultOf, type Params } from "../helpers/protocol.js";
import { logWatcher, SocketClient } from "../helpers/socketClient.js";

let session: Session | undefined;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  await session?.stop();
  session = undefined;
  for (const c of cleanups.splice(0).reverse()) await c();
});

const QUESTIONS = [
  {
    id: "color",
    header: "Color",
    question: "Which color?",
    options: [
      { label: "Red (Recommended)", description: "Warm." },
      { label: "Blue", description: "Cool." },
    ],
  },
  {
    id: "size",
    header: "Size",
    question: "Which size?",
    options: [
      { label: "S", description: "Small." },
      { label: "L", description: "Large." },
    ],
  },
];
const ask = (callId: string) => turn(evFunctionCall(callId, "request_user_input", { questions: QUESTIONS }));
const PLAN: Params<"turn/start">["collaborationMode"] = { mode: "plan", settings: { model: "gpt-5.5", reasoning_effort: null, developer_instructions: null } };

function outputFor(s: { mock: MockResponses }, callId: string): string | null {
  for (const r of s.mock.responsesRequests()) {
    const out = ((r.body?.["input"] ?? []) as Json[]).find((i) => i["type"] === "function_call_output" && i["call_id"] === callId);
    if (out) return String(out["output"]);
  }
  return null;
}

describe("item/tool/requestUserInput", () => {
  it("is refused in Default mode, round-trips in Plan mode, and an interrupt resolves a pending one", async () => {
    session = await startSession({
      script: [ask("call_default"), turn(evMessage("m1", "no questions then")), ask("call_plan"), turn(evMessage("m2", "thanks")), ask("call_cut"), hang()],
    });
    const s = session;
    const { thread } = await s.result("thread/start", { cwd: s.daemon.home.base });
    const tools = () => ((s.mock.responsesRequests()[0]?.body?.["tools"] ?? []) as Json[]).map((t) => t["name"]);
    const turnDone = (turnId: string, from: number) => s.notification("turn/completed", (p) => p.turn.id === turnId, from);
    const start = async (extra: Partial<Params<"turn/start">> = {}) =>
      (await s.result("turn/start", { threadId: thread.id, input: [{ type: "text", text: "ask me", text_elements: [] }], ...extra })).turn.id;

    // Default mode: the model is told, the client is not asked.
    let from = s.daemon.messages.length;
    await turnDone(await start(), from);
    expect(tools()).toEqual(["exec_command", "write_stdin", "request_user_input", "apply_patch", "view_image"]);
    expect(outputFor(s, "call_default")).toBe("request_user_input is unavailable in Default mode");
    expect(s.daemon.messages.some((m) => m["method"] === "item/tool/requestUserInput")).toBe(false);

    // Plan mode: the request, the flag, the answer back to the model.
    from = s.daemon.messages.length;
    const planTurn = await start({ collaborationMode: PLAN });
    const req = await s.serverRequest("item/tool/requestUserInput", undefined, from);
    expect(req.params).toEqual({
      threadId: thread.id,
      turnId: planTurn,
      itemId: "call_plan",
      questions: QUESTIONS.map((q) => ({ ...q, isOther: true, isSecret: false })),
      isBlocking: true,
      autoResolutionMs: null,
    });
    const flagged = s.daemon.messages
      .slice(from, s.daemon.messages.indexOf(req))
      .filter(isNotification("thread/status/changed"))
      .map((m) => m.params.status);
    expect(flagged.at(-1)).toEqual({ type: "active", activeFlags: ["waitingOnUserInput"] });
    s.respond(req, { answers: { color: { answers: ["Blue", "user_note: dark"] } } });
    const resolved = await s.notification("serverRequest/resolved", (p) => p.requestId === req.id, from);
    expect(resolved.params).toEqual({ threadId: thread.id, requestId: req.id });
    await s.notification(
      "thread/status/changed",
      (p) => JSON.stringify(p.status) === JSON.stringify({ type: "active", activeFlags: [] }),
      s.daemon.messages.indexOf(resolved),
    );
    const done = await turnDone(planTurn, from);
    expect(done.params.turn.status).toBe("completed");
    expect(outputFor(s, "call_plan")).toBe('{"answers":{"color":{"answers":["Blue","user_note: dark"]}}}');

    // The mode stays for later turns; an interrupt while the question is pending ends the turn and
    // resolves the request (the client's late answer changes nothing).
    from = s.daemon.messages.length;
    const cutTurn = await start();
    const pending = await s.serverRequest("item/tool/requestUserInput", undefined, from);
    expect(pending.params.itemId).toBe("call_cut");
    await s.result("turn/interrupt", { threadId: thread.id, turnId: cutTurn });
    const cut = await turnDone(cutTurn, from);
    expect(cut.params.turn.status).toBe("interrupted");
    await s.notification("serverRequest/resolved", (p) => p.requestId === pending.id, from);
    s.respond(pending, { answers: {} });
    const read = await s.result("thread/read", { threadId: thread.id });
    expect(read.thread.status).toEqual({ type: "idle" });
    expect(s.mock.responsesRequests()).toHaveLength(5);
    s.checkWire();
  });

  it("survives a WebSocket drop: the client that reconnects within the grace resumes the turn, is asked again under its own id, and its answer reaches the model", async () => {
    const mock = await startMockResponses({ script: [ask("call_ws"), turn(evMessage("m1", "thanks"))] });
    const home = tempHome("gatehouse-rui-ws");
    home.writeConfig(mockConfig(mock.baseUrl));
    const daemon = spawnListening(home, ["--listen", "ws://127.0.0.1:0"]);
    const logged = logWatcher(daemon.child);
    cleanups.push(async () => {
      daemon.child.kill("SIGKILL");
      await mock.close();
      home.cleanup();
    });
    const url = await daemon.url;
    const isQuestion = isServerRequest("item/tool/requestUserInput");

    const a = await SocketClient.ws(url);
    await a.init();
    const threadId = (await a.result("thread/start", { cwd: home.base })).thread.id;
    const turnId = (await a.result("turn/start", { threadId, input: [{ type: "text", text: "ask me", text_elements: [] }], collaborationMode: PLAN })).turn.id;
    const first = await a.waitFor(isQuestion);
    a.drop();
    await logged("last subscriber disconnected mid-turn");

    const b = await SocketClient.ws(url);
    await b.init();
    const resumed = await b.request("thread/resume", { threadId });
    const thread = resultOf("thread/resume", resumed).thread;
    expect(thread.status).toEqual({ type: "active", activeFlags: ["waitingOnUserInput"] });
    expect(thread.turns.at(-1)).toMatchObject({ id: turnId, status: "inProgress" });
    const again = await b.waitFor(isQuestion);
    expect(b.messages.indexOf(again)).toBeGreaterThan(b.messages.indexOf(resumed));
    expect(again.params).toEqual(first.params);
    b.respond(again, { answers: { size: { answers: ["L"] } } });
    const done = await b.notification("turn/completed", (p) => p.turn.id === turnId);
    expect(done.params.turn.status).toBe("completed");
    expect(outputFor({ mock }, "call_ws")).toBe('{"answers":{"size":{"answers":["L"]}}}');
    expect(b.messages.find(isNotification("serverRequest/resolved"))?.params).toEqual({ threadId, requestId: again.id });
    b.drop();
  });
});
