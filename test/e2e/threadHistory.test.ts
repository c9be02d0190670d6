// Thread history on the real daemon against a loopback Responses mock: fork then diverge, revert then
// continue, delete, metadata/update, and turns/items paging while turns append. Fork and revert are
// read back after a daemon restart and must be identical; transcripts are checked with wire-check.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { REF_DIR } from "../helpers/globalSetup.js";
import { tempHome, type TempHome } from "../helpers/home.js";
import { evMessage, startMockResponses, turn, type MockResponses } from "../helpers/mockResponses.js";
import type { Result } from "../helpers/protocol.js";
import { ThreadSession } from "../helpers/threadSession.js";
import { wireCheckTraffic } from "../helpers/wireCheck.js";

const REF_SCHEMA = join(REF_DIR, "0.169.0/schema-json");

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function setup(): Promise<{ mock: MockResponses; home: TempHome; session: ThreadSession }> {
  const mock = await startMockResponses();
  const home = tempHome("gatehouse-hist");
  cleanups.push(
    () => mock.close(),
    () => home.cleanup(),
  );
  const session = await ThreadSession.start(mock, { home });
  cleanups.push(() => session.daemon.stop());
  return { mock, home, session };
}

async function restart(mock: MockResponses, home: TempHome, old: ThreadSession): Promise<ThreadSession> {
  await old.daemon.stop();
  const s = await ThreadSession.start(mock, { home });
  cleanups.push(() => s.daemon.stop());
  return s;
}

/** The user texts of a model request's input (the real messages, not the context wrappers). */
function userTexts(body: Record<string, unknown> | null): string[] {
  const input = (body?.["input"] ?? []) as Array<{ type?: string; role?: string; content?: Array<{ text?: string }> }>;
  return input
    .filter((i) => i.type === "message" && i.role === "user")
    .map((i) => i.content?.[0]?.text ?? "")
    .filter((t) => !t.startsWith("<"));
}

function lastRequest(mock: MockResponses): Record<string, unknown> | null {
  const reqs = mock.responsesRequests();
  return reqs[reqs.length - 1]?.body ?? null;
}

function expectWireValid(session: ThreadSession): void {
  const check = wireCheckTraffic(REF_SCHEMA, session.transcript());
  expect(check.stdout).toMatch(/server messages valid/);
  expect(check.stdout).not.toMatch(/INVALID/);
  expect(check.status, check.stdout + check.stderr).toBe(0);
}

async function threeTurns(mock: MockResponses, s: ThreadSession): Promise<{ threadId: string; turns: [string, string, string] }> {
  mock.enqueue(turn(evMessage("msg_a1", "Answer one.")), turn(evMessage("msg_a2", "Answer two.")), turn(evMessage("msg_a3", "Answer three.")));
  const threadId = await s.startThread();
  const ask = async (q: string): Promise<string> => {
    const t = await s.turn(threadId, q);
    expect(t.status).toBe("completed");
    return t.id;
  };
  return { threadId, turns: [await ask("First question."), await ask("Second question."), await ask("Third question.")] };
}

describe("thread history", () => {
  it("forks through a turn, diverges, and reads back identically after a restart", async () => {
    const { mock, home, session } = await setup();
    const { threadId, turns } = await threeTurns(mock, session);

    const from = session.daemon.messages.length;
    const fork = await session.call("thread/fork", { threadId, lastTurnId: turns[1] });
    expect(fork.thread.id).not.toBe(threadId);
    expect(fork.thread.forkedFromId).toBe(threadId);
    expect(fork.thread.turns.map((t) => t.id)).toEqual(turns.slice(0, 2));
    expect(fork.model).toBe("gpt-5.5");
    await session.notification("thread/started", from, (p) => p.thread.id === fork.thread.id);

    mock.enqueue(turn(evMessage("msg_f1", "Fork diverges.")));
    await session.turn(fork.thread.id, "Fork question.");
    expect(userTexts(lastRequest(mock))).toEqual(["First question.", "Second question.", "Fork question."]);

    mock.enqueue(turn(evMessage("msg_a4", "Answer four.")));
    await session.turn(threadId, "Fourth question.");
    expect(userTexts(lastRequest(mock))).toEqual(["First question.", "Second question.", "Third question.", "Fourth question."]);

    const before = await session.call("thread/read", { threadId: fork.thread.id, includeTurns: true });
    expect(before.thread.turns).toHaveLength(3);
    expect(before.thread.turns[2]?.items.map((i) => ("text" in i ? i.text : i.type))).toEqual(["userMessage", "Fork diverges."]);
    expectWireValid(session);

    const again = await restart(mock, home, session);
    const after = await again.call("thread/read", { threadId: fork.thread.id, includeTurns: true });
    expect(after.thread.turns).toEqual(before.thread.turns);
    expect(after.thread.forkedFromId).toBe(threadId);
    // The restarted fork's model history is the same too.
    mock.enqueue(turn(evMessage("msg_f2", "Fork again.")));
    await again.turn(fork.thread.id, "Fork second question.");
    expect(userTexts(lastRequest(mock))).toEqual(["First question.", "Second question.", "Fork question.", "Fork second question."]);
  });

  it("reverts the last turns, continues, and reads back identically after a restart", async () => {
    const { mock, home, session } = await setup();
    const { threadId, turns } = await threeTurns(mock, session);

    const from = session.daemon.messages.length;
    const res = await session.call("thread/revert", { threadId, beforeTurnId: turns[1] });
    expect(res.thread.turns).toEqual([]);
    expect(res.turnsBackwardsCursor).toEqual(expect.any(String));
    await session.notification("thread/reverted", from, (p) => p.threadId === threadId);
    const read = await session.call("thread/read", { threadId, includeTurns: true });
    expect(read.thread.turns.map((t) => t.id)).toEqual([turns[0]]);

    mock.enqueue(turn(evMessage("msg_r1", "After revert.")));
    const next = await session.turn(threadId, "After revert question.");
    expect(userTexts(lastRequest(mock))).toEqual(["First question.", "After revert question."]);
    const before = await session.call("thread/read", { threadId, includeTurns: true });
    expect(before.thread.turns.map((t) => t.id)).toEqual([turns[0], next.id]);

    const bad = await session.request("thread/revert", { threadId, beforeTurnId: turns[2] });
    expect(bad.error?.code).toBe(-32600);
    expectWireValid(session);

    const again = await restart(mock, home, session);
    const after = await again.call("thread/read", { threadId, includeTurns: true });
    expect(after.thread.turns).toEqual(before.thread.turns);
    mock.enqueue(turn(evMessage("msg_r2", "Later.")));
    await again.turn(threadId, "Later question.");
    expect(userTexts(lastRequest(mock))).toEqual(["First question.", "After revert question.", "Later question."]);
  });

  it("deletes a thread: thread/deleted, the file gone, a second delete refused", async () => {
    const { mock, session } = await setup();
    mock.enqueue(turn(evMessage("msg_d1", "Hi.")));
    const threadId = await session.startThread();
    await session.turn(threadId, "Hello.");
    const { thread } = await session.call("thread/read", { threadId });
    if (!thread.path) throw new Error(`thread ${threadId} has no rollout path`);
    const path = thread.path;
    expect(existsSync(path)).toBe(true);

    const from = session.daemon.messages.length;
    expect(await session.call("thread/delete", { threadId })).toEqual({});
    await session.notification("thread/deleted", from, (p) => p.threadId === threadId);
    expect(existsSync(path)).toBe(false);
    const list = await session.call("thread/list", {});
    expect(list.data.map((t) => t.id)).not.toContain(threadId);
    const second = await session.request("thread/delete", { threadId });
    expect(second.error).toMatchObject({ code: -32600, message: expect.stringContaining(`no rollout found for thread id ${threadId}`) });
    expectWireValid(session);
  });

  it("patches Git metadata and keeps it across a restart", async () => {
    const { mock, home, session } = await setup();
    mock.enqueue(turn(evMessage("msg_g1", "Hi.")));
    const threadId = await session.startThread();
    await session.turn(threadId, "Hello.");
    const res = await session.call("thread/metadata/update", { threadId, gitInfo: { branch: "feat", sha: "abc123" } });
    expect(res.thread.gitInfo).toEqual({ sha: "abc123", branch: "feat", originUrl: null });
    const res2 = await session.call("thread/metadata/update", { threadId, gitInfo: { branch: null, originUrl: "https://example.invalid/r.git" } });
    expect(res2.thread.gitInfo).toEqual({ sha: "abc123", branch: null, originUrl: "https://example.invalid/r.git" });
    expectWireValid(session);
    const again = await restart(mock, home, session);
    const read = await again.call("thread/read", { threadId });
    expect(read.thread.gitInfo).toEqual({ sha: "abc123", branch: null, originUrl: "https://example.invalid/r.git" });
  });

  it("pages through 500 items in pages of 37 while turns append, skipping and repeating nothing", async () => {
    const { mock, session } = await setup();
    const threadId = await session.startThread();
    // 5 turns × (1 user message + 99 agent messages) = 500 items.
    for (let t = 0; t < 5; t++) {
      mock.enqueue(turn(...Array.from({ length: 99 }, (_, i) => evMessage(`msg_${t}_${i}`, `t${t} m${i}`, 1))));
      await session.turn(threadId, `Question ${t}.`);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: Result<"thread/items/list"> = await session.call("thread/items/list", { threadId, limit: 37, ...(cursor ? { cursor } : {}) });
      expect(res.data.length).toBeLessThanOrEqual(37);
      seen.push(...res.data.map((e) => `${e.turnId}/${e.item.id}`));
      cursor = res.nextCursor ?? null;
      // An append between pages: a new turn with two more items.
      if (pages < 4) {
        mock.enqueue(turn(evMessage(`msg_x${pages}`, `extra ${pages}`)));
        await session.turn(threadId, `Extra ${pages}.`);
      }
      pages++;
    } while (cursor !== null);
    const read = await session.call("thread/read", { threadId, includeTurns: true });
    const all = read.thread.turns.flatMap((t) => t.items.map((i) => `${t.id}/${i.id}`));
    expect(all).toHaveLength(508);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(all);

    // Turns: newest first by default, summary items; a backwards cursor re-includes its anchor.
    const first = await session.call("thread/turns/list", { threadId, limit: 4 });
    expect(first.data.map((t) => t.id)).toEqual(
      read.thread.turns
        .slice(-4)
        .reverse()
        .map((t) => t.id),
    );
    expect(first.data[0]?.items.map((i) => i.type)).toEqual(["userMessage", "agentMessage"]);
    const rest = await session.call("thread/turns/list", { threadId, cursor: first.nextCursor, limit: 100 });
    expect([...first.data, ...rest.data].map((t) => t.id)).toEqual(read.thread.turns.map((t) => t.id).reverse());
    expect(rest.nextCursor).toBeNull();
    const back = await session.call("thread/turns/list", { threadId, cursor: first.backwardsCursor, sortDirection: "asc", limit: 2 });
    expect(back.data.map((t) => t.id)).toEqual([first.data[0]?.id]);
    const one = await session.call("thread/items/list", { threadId, turnId: read.thread.turns[0]?.id, sortDirection: "desc", limit: 2 });
    expect(one.data.map((e) => e.item.id)).toEqual(
      read.thread.turns[0]?.items
        .slice(-2)
        .reverse()
        .map((i) => i.id),
    );
    expectWireValid(session);
  });
});
