// thread/shellCommand on the real daemon: a user command runs unsandboxed in a read-only thread, as a
// turn of its own, and the next model request tells the model what the user ran (0.169's behaviour,
// observed against the conformance mock; see server/core/engine/userShell.ts).
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { evMessage, turn } from "../helpers/mockResponses.js";
import { isNotification, itemAs } from "../helpers/protocol.js";
import { startSession, type Session } from "../helpers/session.js";
import type { Json } from "../helpers/daemon.js";

let session: Session | undefined;
afterEach(async () => {
  await session?.stop();
  session = undefined;
});

describe("thread/shellCommand", () => {
  it("runs the user's command with full access in its own turn and tells the model on the next turn", async () => {
    session = await startSession({ script: [turn(evMessage("msg_1", "seen it"))] });
    const s = session;
    const cwd = join(s.daemon.home.base, "cwd");
    const outside = join(s.daemon.home.base, "outside");
    mkdirSync(cwd);
    mkdirSync(outside);
    const { thread } = await s.result("thread/start", { cwd, sandbox: "read-only" });

    const from = s.daemon.messages.length;
    // A read-only thread: the write outside the workspace only works because the command is unsandboxed.
    const res = await s.result("thread/shellCommand", { threadId: thread.id, command: `echo hi; echo err >&2; touch ${outside}/written; exit 3` });
    expect(res).toEqual({});
    const started = await s.notification("turn/started", (p) => p.threadId === thread.id, from);
    const turnId = started.params.turn.id;
    const done = await s.notification("turn/completed", (p) => p.threadId === thread.id, from);
    const completedTurn = done.params.turn;
    expect(completedTurn).toMatchObject({ id: turnId, status: "completed", items: [] });

    const itemDone = await s.notification("item/completed", (p) => p.item.type === "commandExecution", from);
    const item = itemAs(itemDone.params.item, "commandExecution");
    expect(itemDone.params.turnId).toBe(turnId);
    expect(item).toMatchObject({ source: "userShell", status: "failed", exitCode: 3, aggregatedOutput: "hi\nerr\n" });
    expect(item.command).toContain("-lc");
    expect(existsSync(join(outside, "written"))).toBe(true);
    const deltas = s.daemon.messages
      .slice(from)
      .filter(isNotification("item/commandExecution/outputDelta"))
      .map((m) => m.params.delta);
    expect(deltas.join("")).toBe("hi\nerr\n");
    // The status goes active, then idle before turn/completed.
    const statuses = s.daemon.messages
      .slice(from)
      .filter(isNotification("thread/status/changed"))
      .map((m) => m.params.status.type);
    expect(statuses).toEqual(["active", "idle"]);

    // thread/read shows the command's turn with its item.
    const read = await s.result("thread/read", { threadId: thread.id, includeTurns: true });
    expect(read.thread.turns.map((t) => t.id)).toEqual([turnId]);
    expect(read.thread.turns[0]?.items.map((i) => i.id)).toEqual([item.id]);

    // The next model turn carries the command and its result as a user message.
    await s.result("turn/start", { threadId: thread.id, input: [{ type: "text", text: "what did I run?", text_elements: [] }] });
    await s.notification("turn/completed", (p) => p.threadId === thread.id && p.turn.id !== turnId, from);
    const body = s.mock.responsesRequests()[0]?.body as { input: Json[] };
    const texts = JSON.stringify(body.input);
    expect(texts).toContain("<user_shell_command>");
    expect(texts).toContain("Exit code: 3");
    expect(texts).toMatch(/hi\\nerr\\n/);

    // The rollout has the turn and the message, so they survive a restart.
    const path = (await s.result("thread/read", { threadId: thread.id })).thread.path;
    if (!path) throw new Error("the thread has no rollout path");
    const rollout = readFileSync(path, "utf8");
    expect(rollout).toContain('"source":"userShell"');
    expect(rollout).toContain("<user_shell_command>");
    s.checkWire();
  });

  it("rejects an empty command and times out a long one", async () => {
    session = await startSession();
    const s = session;
    const { thread } = await s.result("thread/start", { cwd: s.daemon.home.base });
    const empty = await s.request("thread/shellCommand", { threadId: thread.id, command: "  " });
    expect(empty.error).toMatchObject({ code: -32600, message: "command must not be empty" });

    const from = s.daemon.messages.length;
    await s.result("thread/shellCommand", { threadId: thread.id, command: "sleep 30", timeoutMs: 200 });
    const itemDone = await s.notification("item/completed", (p) => p.item.type === "commandExecution", from);
    expect(itemDone.params.item).toMatchObject({ status: "failed", exitCode: 124 });
    await s.notification("turn/completed", (p) => p.threadId === thread.id, from);
    s.checkWire();
  });
});
