// Compaction on the real daemon against a loopback Responses mock: thread/compact/start, and automatic
// compaction before a turn and in the middle of one. The summary request must look like 0.169's
// (no tools, the checkpoint prompt last), and the request after it must carry the summary instead of
// the old items, also after a restart. Transcripts are checked with wire-check.
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { COMPACTION_PROMPT, SUMMARY_PREFIX } from "../../server/core/engine/compaction.js";
import { REF_DIR } from "../helpers/globalSetup.js";
import { tempHome, type TempHome } from "../helpers/home.js";
import { isNotification } from "../helpers/protocol.js";
import { evCompleted, evCreated, evFunctionCall, evMessage, sse, startMockResponses, turn, type MockResponses } from "../helpers/mockResponses.js";
import { ThreadSession } from "../helpers/threadSession.js";
import { wireCheckTraffic } from "../helpers/wireCheck.js";

const REF_SCHEMA = join(REF_DIR, "0.169.0/schema-json");

type Input = Array<{ type?: string; role?: string; content?: Array<{ text?: string }> }>;

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function setup(extraConfig = ""): Promise<{ mock: MockResponses; home: TempHome; session: ThreadSession }> {
  const mock = await startMockResponses();
  const home = tempHome("gatehouse-compact");
  cleanups.push(
    () => mock.close(),
    () => home.cleanup(),
  );
  const session = await ThreadSession.start(mock, { home, extraConfig });
  cleanups.push(() => session.daemon.stop());
  return { mock, home, session };
}

function usage(total: number) {
  return {
    input_tokens: total - 10,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: 10,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: total,
  };
}

function body(mock: MockResponses, index: number): Record<string, unknown> {
  const b = mock.responsesRequests()[index]?.body;
  if (!b) throw new Error(`no model request #${index}`);
  return b;
}

function input(b: Record<string, unknown>): Input {
  return (b["input"] ?? []) as Input;
}

function texts(b: Record<string, unknown>, role: string): string[] {
  return input(b)
    .filter((i) => i.type === "message" && i.role === role)
    .map((i) => i.content?.[0]?.text ?? "");
}

function isCompactionRequest(b: Record<string, unknown>): boolean {
  const last = input(b)[input(b).length - 1];
  return (b["tools"] as unknown[]).length === 0 && last?.role === "user" && last.content?.[0]?.text === COMPACTION_PROMPT;
}

function expectWireValid(session: ThreadSession): void {
  const check = wireCheckTraffic(REF_SCHEMA, session.transcript());
  expect(check.stdout).toMatch(/server messages valid/);
  expect(check.stdout).not.toMatch(/INVALID/);
  expect(check.status, check.stdout + check.stderr).toBe(0);
}

describe("compaction", () => {
  it("thread/compact/start summarises through the model; the next request carries the summary, not the old items, also after a restart", async () => {
    const { mock, home, session } = await setup();
    mock.enqueue(turn(evMessage("msg_a1", "Answer one.")), turn(evMessage("msg_a2", "Answer two.")), turn(evMessage("msg_a3", "Answer three.")));
    const threadId = await session.startThread();
    for (const q of ["First question.", "Second question.", "Third question."]) await session.turn(threadId, q);
    const beforeSize = JSON.stringify(input(body(mock, 2))).length;

    mock.enqueue(turn(evMessage("msg_sum", "SUMMARY OF THE CONVERSATION.")));
    const from = session.daemon.messages.length;
    expect(await session.call("thread/compact/start", { threadId })).toEqual({});
    const started = await session.notification("turn/started", from);
    const turnId = started.params.turn.id;
    const item = await session.notification("item/completed", from, (p) => p.item.type === "contextCompaction");
    expect(item.params).toMatchObject({ threadId, turnId });
    await session.notification("thread/compacted", from, (p) => p.threadId === threadId && p.turnId === turnId);
    const done = await session.notification("turn/completed", from, (p) => p.turn.id === turnId);
    expect(done.params.turn.status).toBe("completed");
    // The summary never shows up as an agent message.
    const agentItems = session.daemon.messages.slice(from).filter(isNotification("item/started", (p) => p.item.type === "agentMessage"));
    expect(agentItems).toEqual([]);

    const summaryReq = body(mock, 3);
    expect(isCompactionRequest(summaryReq)).toBe(true);
    expect(summaryReq["parallel_tool_calls"]).toBe(false);
    expect(texts(summaryReq, "assistant")).toEqual(["Answer one.", "Answer two.", "Answer three."]);

    mock.enqueue(turn(evMessage("msg_a4", "After compaction.")));
    await session.turn(threadId, "Fourth question.");
    const next = body(mock, 4);
    const users = texts(next, "user").filter((t) => !t.startsWith("<"));
    expect(users).toEqual(["First question.", "Second question.", "Third question.", `${SUMMARY_PREFIX}\nSUMMARY OF THE CONVERSATION.`, "Fourth question."]);
    expect(texts(next, "assistant")).toEqual([]);
    expect(JSON.stringify(next["input"]).includes("Answer two.")).toBe(false);
    expect((next["tools"] as unknown[]).length).toBeGreaterThan(0);

    const read = await session.call("thread/read", { threadId, includeTurns: true });
    expect(read.thread.turns[3]?.items.map((i) => i.type)).toEqual(["contextCompaction"]);
    expectWireValid(session);

    // After a restart the history is still the compacted one.
    await session.daemon.stop();
    const again = await ThreadSession.start(mock, { home });
    cleanups.push(() => again.daemon.stop());
    const reread = await again.call("thread/read", { threadId, includeTurns: true });
    expect(reread.thread.turns).toEqual(read.thread.turns);
    mock.enqueue(turn(evMessage("msg_a5", "Later.")));
    await again.turn(threadId, "Fifth question.");
    const later = body(mock, 5);
    expect(texts(later, "user").filter((t) => !t.startsWith("<"))).toEqual([...users, "Fifth question."]);
    expect(texts(later, "assistant")).toEqual(["After compaction."]);
    expect(JSON.stringify(later["input"]).length).toBeLessThan(beforeSize + 2_000);
  });

  it("compacts before a turn once the last response reached model_auto_compact_token_limit", async () => {
    const { mock, session } = await setup("model_auto_compact_token_limit = 1000");
    mock.enqueue(
      sse(evCreated(), evMessage("msg_a1", "Answer one."), evCompleted(usage(500))),
      sse(evCreated(), evMessage("msg_a2", "Answer two."), evCompleted(usage(1500))),
      turn(evMessage("msg_sum", "PRE SUMMARY.")),
      turn(evMessage("msg_a3", "Answer three.")),
    );
    const threadId = await session.startThread();
    await session.turn(threadId, "First question.");
    await session.turn(threadId, "Second question.");
    // 500 < 1000: no compaction between turns 1 and 2.
    expect(isCompactionRequest(body(mock, 1))).toBe(false);
    const from = session.daemon.messages.length;
    await session.turn(threadId, "Third question.");
    expect(isCompactionRequest(body(mock, 2))).toBe(true);
    // The summary request does not contain the new message; the next one does, after the summary.
    expect(texts(body(mock, 2), "user")).not.toContain("Third question.");
    const users = texts(body(mock, 3), "user").filter((t) => !t.startsWith("<"));
    expect(users).toEqual(["First question.", "Second question.", `${SUMMARY_PREFIX}\nPRE SUMMARY.`, "Third question."]);
    expect(texts(body(mock, 3), "assistant")).toEqual([]);
    const order = session.daemon.messages
      .slice(from)
      .filter(isNotification("item/started"))
      .map((m) => m.params.item.type);
    expect(order).toEqual(["contextCompaction", "userMessage", "agentMessage"]);
    expectWireValid(session);
  });

  it("compacts in the middle of a turn before the follow-up request of a tool call", async () => {
    const { mock, session } = await setup("model_auto_compact_token_limit = 1000");
    mock.enqueue(
      sse(evCreated(), evFunctionCall("call_1", "nonexistent_tool", {}), evCompleted(usage(1200))),
      turn(evMessage("msg_sum", "MID SUMMARY.")),
      turn(evMessage("msg_a1", "Done.")),
    );
    const threadId = await session.startThread();
    const t = await session.turn(threadId, "Do it.");
    expect(t.status).toBe("completed");
    expect(isCompactionRequest(body(mock, 1))).toBe(true);
    // The summary request saw the call and its output; the follow-up sees neither, only the summary.
    expect(JSON.stringify(body(mock, 1)["input"])).toContain("call_1");
    const follow = body(mock, 2);
    expect(JSON.stringify(follow["input"])).not.toContain("call_1");
    expect(texts(follow, "user").filter((x) => !x.startsWith("<"))).toEqual(["Do it.", `${SUMMARY_PREFIX}\nMID SUMMARY.`]);
    expectWireValid(session);
  });
});
