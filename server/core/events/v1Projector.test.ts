import { describe, expect, it } from "vitest";
import type { ClientSink } from "../ports.js";
import { ThreadState, type ThreadSettings } from "../threads/threadState.js";
import { V1Projector } from "./v1Projector.js";
import { decisionFromReview, parsedCmdOf, v1ErrorInfo, v1FileChanges } from "./v1Shapes.js";
import { v2Delivers } from "./v2Projection.js";

const T = "thread-1";
const TURN = "turn-1";
const types = (events: { msg: { type: string } }[]) => events.map((e) => e.msg.type);

const commandItem = (extra: Record<string, unknown> = {}) => ({
  type: "commandExecution",
  id: "call_1",
  command: "/bin/bash -lc 'echo hi'",
  cwd: "/work",
  processId: null,
  source: "agent",
  status: "inProgress",
  commandActions: [{ type: "read", command: "cat a.txt", name: "a.txt", path: "/work/a.txt" }],
  aggregatedOutput: null,
  exitCode: null,
  durationMs: null,
  ...extra,
});

describe("V1Projector", () => {
  it('starts a conversation\'s first task with mcp_startup_complete (id "") and later ones without', () => {
    const p = new V1Projector();
    const first = p.project("turn/started", { threadId: T, turn: { id: TURN } }, { modelContextWindow: 258_400 });
    expect(first).toEqual([
      { id: "", msg: { type: "mcp_startup_complete", ready: [], failed: [], cancelled: [] } },
      { id: TURN, msg: { type: "task_started", model_context_window: 258_400 } },
    ]);
    expect(types(p.project("turn/started", { threadId: T, turn: { id: "turn-2" } }, undefined))).toEqual(["task_started"]);
  });

  it("turns agent message deltas into both 0.80 delta events, and the completion into item_completed + agent_message", () => {
    const p = new V1Projector();
    expect(p.project("item/agentMessage/delta", { threadId: T, turnId: TURN, itemId: "m1", delta: "Hi" }, undefined)).toEqual([
      { id: TURN, msg: { type: "agent_message_content_delta", thread_id: T, turn_id: TURN, item_id: "m1", delta: "Hi" } },
      { id: TURN, msg: { type: "agent_message_delta", delta: "Hi" } },
    ]);
    const done = p.project("item/completed", { threadId: T, turnId: TURN, item: { type: "agentMessage", id: "m1", text: "Hi." } }, undefined);
    expect(done.map((e) => e.msg)).toEqual([
      { type: "item_completed", thread_id: T, turn_id: TURN, item: { type: "AgentMessage", id: "m1", content: [{ type: "Text", text: "Hi." }] } },
      { type: "agent_message", message: "Hi." },
    ]);
  });

  it("shows a command as exec_command_begin / base64 output deltas per stream / exec_command_end with its argv", () => {
    const p = new V1Projector();
    const argv = ["/bin/bash", "-lc", "echo hi"];
    const [begin] = p.project("item/started", { threadId: T, turnId: TURN, item: commandItem() }, { argv });
    expect(begin!.msg).toMatchObject({
      type: "exec_command_begin",
      call_id: "call_1",
      command: argv,
      parsed_cmd: [{ type: "read", cmd: "cat a.txt", name: "a.txt" }],
      source: "agent",
    });
    const [delta] = p.project("item/commandExecution/outputDelta", { threadId: T, turnId: TURN, itemId: "call_1", delta: "oops\n" }, { stream: "stderr" });
    expect(delta!.msg).toEqual({ type: "exec_command_output_delta", call_id: "call_1", stream: "stderr", chunk: Buffer.from("oops\n").toString("base64") });
    // a completion without detail (a dangling item) still names the argv its begin had
    const [end] = p.project(
      "item/completed",
      { threadId: T, turnId: TURN, item: commandItem({ status: "failed", exitCode: 2, durationMs: 1_234, aggregatedOutput: "oops\n" }) },
      undefined,
    );
    expect(end!.msg).toMatchObject({
      type: "exec_command_end",
      command: argv,
      exit_code: 2,
      duration: { secs: 1, nanos: 234_000_000 },
      aggregated_output: "oops\n",
      formatted_output: "oops\n",
    });
  });

  it("announces a patch before its approval request (auto_approved false), or just before its end when nobody was asked", () => {
    const changes = [{ path: "/w/a.txt", kind: { type: "add" }, diff: "x\n" }];
    const asked = new V1Projector();
    expect(
      asked.project("item/started", { threadId: T, turnId: TURN, item: { type: "fileChange", id: "p1", changes, status: "inProgress" } }, undefined),
    ).toEqual([]);
    const req = asked.project("engine/patchApprovalRequested", { turnId: TURN, itemId: "p1", reason: null, grantRoot: null }, undefined);
    expect(req.map((e) => [e.msg.type, e.msg["auto_approved"]])).toEqual([
      ["patch_apply_begin", false],
      ["apply_patch_approval_request", undefined],
    ]);
    expect(req[1]!.msg["changes"]).toEqual({ "/w/a.txt": { type: "add", content: "x\n" } });
    const end = asked.project(
      "item/completed",
      { threadId: T, turnId: TURN, item: { type: "fileChange", id: "p1", changes, status: "completed" } },
      { stdout: "Success." },
    );
    expect(end.map((e) => e.msg)).toEqual([
      {
        type: "patch_apply_end",
        call_id: "p1",
        turn_id: TURN,
        stdout: "Success.",
        stderr: "",
        success: true,
        changes: { "/w/a.txt": { type: "add", content: "x\n" } },
      },
    ]);

    const auto = new V1Projector();
    auto.project("item/started", { threadId: T, turnId: TURN, item: { type: "fileChange", id: "p2", changes, status: "inProgress" } }, undefined);
    const done = auto.project(
      "item/completed",
      { threadId: T, turnId: TURN, item: { type: "fileChange", id: "p2", changes, status: "failed" } },
      { stderr: "no" },
    );
    expect(done.map((e) => [e.msg.type, e.msg["auto_approved"] ?? e.msg["success"]])).toEqual([
      ["patch_apply_begin", true],
      ["patch_apply_end", false],
    ]);
  });

  it("ends a turn with task_complete (completed or failed) or turn_aborted (interrupted)", () => {
    const p = new V1Projector();
    expect(p.project("turn/completed", { threadId: T, turn: { id: TURN, status: "completed", items: [] } }, { lastAgentMessage: "bye" })).toEqual([
      { id: TURN, msg: { type: "task_complete", last_agent_message: "bye" } },
    ]);
    expect(types(p.project("turn/completed", { threadId: T, turn: { id: TURN, status: "failed", items: [] } }, undefined))).toEqual(["task_complete"]);
    expect(p.project("turn/completed", { threadId: T, turn: { id: TURN, status: "interrupted", items: [] } }, undefined)).toEqual([
      { id: TURN, msg: { type: "turn_aborted", reason: "interrupted" } },
    ]);
  });

  it("maps errors, retries, plans and token counts to 0.80's snake_case shapes", () => {
    const p = new V1Projector();
    const error = { message: "boom", codexErrorInfo: { httpConnectionFailed: { httpStatusCode: 401 } }, additionalDetails: null };
    expect(p.project("error", { error, willRetry: false, threadId: T, turnId: TURN }, undefined)[0]!.msg).toEqual({
      type: "error",
      message: "boom",
      codex_error_info: { http_connection_failed: { http_status_code: 401 } },
    });
    expect(
      p.project("error", { error: { ...error, codexErrorInfo: "serverOverloaded" }, willRetry: true, threadId: T, turnId: TURN }, undefined)[0]!.msg,
    ).toEqual({
      type: "stream_error",
      message: "boom",
      codex_error_info: "other",
      additional_details: null,
    });
    expect(
      p.project("turn/plan/updated", { threadId: T, turnId: TURN, explanation: null, plan: [{ step: "a", status: "inProgress" }] }, undefined)[0]!.msg,
    ).toEqual({ type: "plan_update", explanation: null, plan: [{ step: "a", status: "in_progress" }] });
    const usage = { totalTokens: 3, inputTokens: 2, cachedInputTokens: 0, outputTokens: 1, reasoningOutputTokens: 0 };
    const [count] = p.project(
      "thread/tokenUsage/updated",
      { threadId: T, turnId: TURN, tokenUsage: { total: usage, last: usage, modelContextWindow: 100 } },
      undefined,
    );
    expect(count!.msg["info"]).toEqual({
      total_token_usage: { input_tokens: 2, cached_input_tokens: 0, output_tokens: 1, reasoning_output_tokens: 0, total_tokens: 3 },
      last_token_usage: { input_tokens: 2, cached_input_tokens: 0, output_tokens: 1, reasoning_output_tokens: 0, total_tokens: 3 },
      model_context_window: 100,
    });
    expect(p.project("thread/status/changed", { threadId: T, status: { type: "idle" } }, undefined)).toEqual([]);
  });
});

describe("v1 shapes", () => {
  it("reads every ReviewDecision as the v2 decision it stands for, and nothing else", () => {
    expect(decisionFromReview("approved")).toBe("accept");
    expect(decisionFromReview("approved_for_session")).toBe("acceptForSession");
    expect(decisionFromReview("denied")).toBe("decline");
    expect(decisionFromReview("abort")).toBe("cancel");
    expect(decisionFromReview({ approved_execpolicy_amendment: { proposed_execpolicy_amendment: ["git", "status"] } })).toEqual({
      acceptWithExecpolicyAmendment: { execpolicy_amendment: ["git", "status"] },
    });
    for (const bad of ["accept", "yes", null, {}, { approved_execpolicy_amendment: { proposed_execpolicy_amendment: [] } }])
      expect(decisionFromReview(bad)).toBeNull();
  });

  it("writes file changes as 0.80's map, a move without its v2 'Moved to' line", () => {
    expect(
      v1FileChanges([
        { path: "/w/b.txt", kind: { type: "delete" }, diff: "old\n" },
        { path: "/w/c.txt", kind: { type: "update", move_path: "/w/d.txt" }, diff: "@@ -1 +1 @@\n-a\n+b\n\n\nMoved to: /w/d.txt" },
      ]),
    ).toEqual({
      "/w/b.txt": { type: "delete", content: "old\n" },
      "/w/c.txt": { type: "update", unified_diff: "@@ -1 +1 @@\n-a\n+b\n", move_path: "/w/d.txt" },
    });
    expect(parsedCmdOf([{ type: "listFiles", command: "ls", path: null }])).toEqual([{ type: "list_files", cmd: "ls", path: null }]);
    expect(v1ErrorInfo("contextWindowExceeded")).toBe("context_window_exceeded");
    expect(v1ErrorInfo(null)).toBeNull();
  });
});

describe("projections per subscriber", () => {
  const settings = {} as ThreadSettings;
  const sink = (): ClientSink & { got: string[] } => {
    const got: string[] = [];
    return {
      got,
      closed: false,
      session: {} as ClientSink["session"],
      notify: (m) => got.push(m),
      request: () => Promise.resolve(null),
      onClose: () => undefined,
    };
  };
  const thread = (api: "v1" | "v2") => {
    const t = new ThreadState(T, "/r.jsonl", 0, settings, {} as never, { name: null, preview: "", updatedAt: 0 });
    t.api = api;
    t.useV1Projector(() => new V1Projector());
    return t;
  };
  const delta = { threadId: T, turnId: TURN, itemId: "m", delta: "x" };

  it("sends a holder nothing, a listener both families (v1 first), and a v2 subscriber the v2 notification only", () => {
    const t = thread("v1");
    const [holder, listener, v2] = [sink(), sink(), sink()];
    t.addSubscriber(holder, "holder");
    t.addSubscriber(listener, "v1Listener");
    t.addSubscriber(v2, "v2");
    t.emit("item/agentMessage/delta", delta);
    expect(holder.got).toEqual([]);
    expect(listener.got).toEqual(["codex/event/agent_message_content_delta", "codex/event/agent_message_delta", "item/agentMessage/delta"]);
    expect(v2.got).toEqual(["item/agentMessage/delta"]);
    // a v1 thread: no turn/started on the v2 side; status changes only to its own v2 subscribers
    t.emit("turn/started", { threadId: T, turn: { id: TURN } });
    t.setStatus({ type: "active", activeFlags: [] });
    expect(listener.got.slice(3)).toEqual(["codex/event/mcp_startup_complete", "codex/event/task_started"]);
    expect(v2.got.slice(1)).toEqual(["thread/status/changed"]);
    // engine events never reach the v2 side
    t.emit("engine/execApprovalRequested", { turnId: TURN, itemId: "c", argv: ["ls"], cwd: "/", reason: null, proposedAmendment: null, commandActions: [] });
    expect(v2.got.slice(2)).toEqual([]);
    expect(listener.got.at(-1)).toBe("codex/event/exec_approval_request");
  });

  it("keeps a removed listener subscribed and silent; a second listener on one connection adds no copies", () => {
    const t = thread("v2");
    const c = sink();
    t.addSubscriber(c, "v1Listener");
    t.addSubscriber(c, "v1Listener");
    t.emit("item/agentMessage/delta", delta);
    expect(c.got).toHaveLength(3);
    t.dropV1Listener(c);
    t.emit("item/agentMessage/delta", delta);
    expect(c.got).toHaveLength(6);
    t.dropV1Listener(c);
    t.emit("item/agentMessage/delta", delta);
    expect(c.got).toHaveLength(6);
    expect(t.subscribers.has(c)).toBe(true);
  });

  it("tells a listener only the v2 notifications 0.80's listeners knew, even on a v2 thread", () => {
    const t = thread("v2");
    const [listener, v2] = [sink(), sink()];
    t.addSubscriber(listener, "v1Listener");
    t.addSubscriber(v2, "v2");
    for (const m of ["thread/status/changed", "thread/closed", "warning", "turn/started", "item/started"])
      t.emit(m, { threadId: T, turn: { id: TURN }, item: { type: "plan", id: "p" }, message: "m", status: { type: "idle" } });
    expect(listener.got.filter((m) => !m.startsWith("codex/event/"))).toEqual(["turn/started", "item/started"]);
    expect(v2.got).toEqual(["thread/status/changed", "thread/closed", "warning", "turn/started", "item/started"]);
    expect(t.subscribedThroughV2(v2)).toBe(true);
    expect(t.subscribedThroughV2(listener)).toBe(false);
  });

  it("passes every v2 method through to a v2 subscriber of a v2 thread", () => {
    for (const m of ["turn/started", "turn/diff/updated", "turn/plan/updated", "thread/status/changed"]) expect(v2Delivers(m, "v2", true)).toBe(true);
    expect(v2Delivers("turn/started", "v1", true)).toBe(false);
    expect(v2Delivers("turn/completed", "v1", false)).toBe(true);
  });
});
