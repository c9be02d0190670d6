// Turns against the real daemon and the loopback Responses mock: multi-turn history, steer (and
// turn/start on an active turn), apply_patch through the model, update_plan for a shell-family
// model, with each session's transcript validated against the 0.169 schema by wire-check.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { evCustomToolCall, evFunctionCall, evMessage, turn } from "../helpers/mockResponses.js";
import {
  checkTraffic,
  cleanupAll,
  inputOf,
  inputTexts,
  isNote,
  items,
  ok,
  runTurn,
  session,
  startThread,
  startTurn,
  text,
  waitTurnCompleted,
} from "./turnsHarness.js";
import { errorOf, itemAs } from "../helpers/protocol.js";

afterEach(cleanupAll);

const ENV_TAG = "<environment_context>";

describe("multi-turn history", () => {
  it("sends the first turn's items with the second request, and the environment context once", async () => {
    const s = await session([turn(evMessage("msg_a", "first answer")), turn(evMessage("msg_b", "second answer"))]);
    const d = s.daemon;
    const threadId = await startThread(d, s.cwd);
    const t1 = await runTurn(d, threadId, "first question");
    expect(t1.turn.status).toBe("completed");
    expect(items(t1.notes, "item/completed", "agentMessage").map((i) => i.text)).toEqual(["first answer"]);
    const t2 = await runTurn(d, threadId, "second question");
    expect(t2.turn.status).toBe("completed");

    const second = inputOf(s.mock, 1);
    const texts = inputTexts(second);
    // The base instructions open the history once, as a developer message (0.169 sends `instructions: ""`).
    const developer = second.filter((i) => i["role"] === "developer");
    expect(developer).toHaveLength(1);
    expect(second[0]?.["role"]).toBe("developer");
    expect(texts.filter((t) => t.includes(ENV_TAG))).toHaveLength(1);
    const order = ["first question", "first answer", "second question"].map((t) => texts.findIndex((x) => x === t));
    expect(
      order.every((i) => i >= 0),
      JSON.stringify(texts),
    ).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // the assistant's reply goes back as an assistant message
    expect(second.find((i) => i["role"] === "assistant")).toMatchObject({ type: "message", role: "assistant" });
    // same cache key on both requests: the thread id
    expect(s.mock.responsesRequests().map((r) => r.body?.["prompt_cache_key"])).toEqual([threadId, threadId]);
    checkTraffic(d, "multi-turn");
  });
});

describe("turn/steer", () => {
  it("refuses an idle thread and a mismatched id, and injects the input into the running turn", async () => {
    const s = await session([
      // a command that keeps the turn busy, then a follow-up response once steered
      turn(evFunctionCall("call_wait", "exec_command", { cmd: "sleep 1", yield_time_ms: 5_000 })),
      turn(evMessage("msg_after", "steered answer")),
    ]);
    const d = s.daemon;
    const threadId = await startThread(d, s.cwd);

    const idle = errorOf(await d.request("turn/steer", { threadId, expectedTurnId: "nope", input: text("x") }));
    expect(idle).toMatchObject({ code: -32600 });
    expect(idle.message).toContain("no active turn to steer");

    const { turnId, from } = await startTurn(d, threadId, "start working");
    await d.notification("item/started", (p) => p.item.type === "commandExecution", { from, timeoutMs: 10_000 });

    const wrong = errorOf(await d.request("turn/steer", { threadId, expectedTurnId: "not-the-turn", input: text("x") }));
    expect(wrong).toMatchObject({ code: -32600 });
    expect(wrong.message).toContain("expected active turn id");
    expect(wrong.message).toContain(turnId);

    const steer = ok(await d.request("turn/steer", { threadId, expectedTurnId: turnId, input: text("also do this") }));
    expect(steer.turnId).toBe(turnId);
    const done = await waitTurnCompleted(d, turnId, from);
    expect(done.status).toBe("completed");

    const notes = d.messages.slice(from);
    const users = notes
      .filter(isNote("item/completed", threadId))
      .map((m) => m.params)
      .filter((p) => p.item.type === "userMessage");
    expect(users.map((p) => p.turnId)).toEqual([turnId, turnId]);
    expect(users.map((p) => itemAs(p.item, "userMessage").content[0])).toMatchObject([{ text: "start working" }, { text: "also do this" }]);
    // the steer reaches the model in the request after the tool output
    expect(s.mock.responsesRequests()).toHaveLength(2);
    expect(inputTexts(inputOf(s.mock, 1))).toContain("also do this");
    expect(inputTexts(inputOf(s.mock, 0))).not.toContain("also do this");
    checkTraffic(d, "steer");
  });

  it("treats turn/start on an active turn as a steer of that turn", async () => {
    const s = await session([
      turn(evFunctionCall("call_wait", "exec_command", { cmd: "sleep 1", yield_time_ms: 5_000 })),
      turn(evMessage("msg_after", "done")),
    ]);
    const d = s.daemon;
    const threadId = await startThread(d, s.cwd);
    const { turnId, from } = await startTurn(d, threadId, "first");
    await d.notification("item/started", (p) => p.item.type === "commandExecution", { from, timeoutMs: 10_000 });
    const second = ok(await d.request("turn/start", { threadId, input: text("second, while busy") }));
    expect(second.turn.id).toBe(turnId);
    const done = await waitTurnCompleted(d, turnId, from);
    expect(done.status).toBe("completed");
    expect(d.messages.slice(from).filter((m) => m["method"] === "turn/started")).toHaveLength(1);
    expect(inputTexts(inputOf(s.mock, 1))).toContain("second, while busy");
  });
});

describe("apply_patch through the model", () => {
  const patch = (body: string) => `*** Begin Patch\n${body}\n*** End Patch`;

  it("applies a custom tool call: fileChange item, file on disk, turn/diff/updated", async () => {
    const s = await session([
      turn(evCustomToolCall("call_patch", "apply_patch", patch("*** Add File: hello.txt\n+hello\n+world"))),
      turn(evMessage("msg_done", "patched")),
    ]);
    const d = s.daemon;
    const threadId = await startThread(d, s.cwd);
    const t = await runTurn(d, threadId, "add a file");
    expect(t.turn.status).toBe("completed");
    expect(readFileSync(join(s.cwd, "hello.txt"), "utf8")).toBe("hello\nworld\n");
    const changes = items(t.notes, "item/completed", "fileChange");
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ id: "call_patch", status: "completed", changes: [{ path: join(s.cwd, "hello.txt"), kind: { type: "add" } }] });
    const diff = d.messages.slice().reverse().find(isNote("turn/diff/updated", threadId));
    expect(diff?.params.turnId).toBe(t.turnId);
    expect(diff?.params.diff).toContain("+hello");
    const out = inputOf(s.mock, 1).find((i) => i["type"] === "custom_tool_call_output");
    expect(out).toMatchObject({ call_id: "call_patch" });
    expect(String(out!["output"])).toContain("Success. Updated the following files:");
    checkTraffic(d, "apply-patch");
  });

  it("reports a patch whose context does not match as a verification failure, with no item", async () => {
    const s = await session([
      turn(evCustomToolCall("call_bad", "apply_patch", patch("*** Update File: missing.txt\n@@\n-nothing here\n+something"))),
      turn(evMessage("msg_done", "ok")),
    ]);
    const d = s.daemon;
    const threadId = await startThread(d, s.cwd);
    const t = await runTurn(d, threadId, "break it");
    expect(t.turn.status).toBe("completed");
    expect(items(t.notes, "item/started", "fileChange")).toEqual([]);
    const out = inputOf(s.mock, 1).find((i) => i["type"] === "custom_tool_call_output");
    expect(String(out!["output"])).toContain("apply_patch verification failed");
    expect(d.messages.some(isNote("turn/diff/updated", threadId))).toBe(false);
  });
});

describe("update_plan for a shell-family model", () => {
  it("offers shell + update_plan to gpt-4.1 and reports turn/plan/updated", async () => {
    const plan = {
      explanation: "two steps",
      plan: [
        { step: "read", status: "completed" },
        { step: "write", status: "in_progress" },
      ],
    };
    const s = await session([turn(evFunctionCall("call_plan", "update_plan", plan)), turn(evMessage("msg_done", "planned"))], { model: "gpt-4.1" });
    const d = s.daemon;
    const threadId = await startThread(d, s.cwd);
    const t = await runTurn(d, threadId, "plan it");
    expect(t.turn.status).toBe("completed");
    const tools = (s.mock.responsesRequests()[0]!.body!["tools"] as Array<Record<string, unknown>>).map((x) => x["name"]);
    expect(tools).toContain("update_plan");
    expect(tools.some((n) => n === "shell" || n === "shell_command")).toBe(true);
    expect(tools).not.toContain("exec_command");
    const upd = d.messages.find(isNote("turn/plan/updated", threadId));
    expect(upd?.params).toMatchObject({
      turnId: t.turnId,
      explanation: "two steps",
      plan: [
        { step: "read", status: "completed" },
        { step: "write", status: "inProgress" },
      ],
    });
    const out = inputOf(s.mock, 1).find((i) => i["type"] === "function_call_output");
    expect(out).toMatchObject({ call_id: "call_plan", output: "Plan updated" });
    checkTraffic(d, "update-plan");
  });
});

describe("the daemon's own files", () => {
  // Without daemonPaths in the command runner, a read-only command could read the daemon's home
  // (auth.json, every thread's rollout) and hand it to the model: this test then sees the secret.
  it("hides the daemon home from a turn's sandboxed command", async () => {
    const s = await session([
      // GATEHOUSE_HOME reaches commands through the inherited environment (it names no secret).
      turn(evFunctionCall("call_peek", "exec_command", { cmd: 'cat "$GATEHOUSE_HOME/auth-probe.txt"; echo exit=$?', yield_time_ms: 5_000 })),
      turn(evMessage("msg_done", "looked")),
    ]);
    const secret = `gatehouse-secret-${process.pid}`;
    const probe = join(s.home.home, "auth-probe.txt");
    writeFileSync(probe, secret);
    const d = s.daemon;
    const threadId = await startThread(d, s.cwd, { sandbox: "read-only" });
    const t = await runTurn(d, threadId, "peek");
    expect(t.turn.status).toBe("completed");
    const out = String(inputOf(s.mock, 1).find((i) => i["type"] === "function_call_output")?.["output"] ?? "");
    expect(out).toMatch(/exit=[1-9]/);
    expect(out).not.toContain(secret);
    expect(readFileSync(probe, "utf8")).toBe(secret);
  });
});
