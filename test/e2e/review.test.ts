// review/start on the real daemon: the reviewer samples on its own history (the review guidelines,
// the environment, the prompt), may run commands, answers with JSON findings, and the thread gets
// the rendered review as exitedReviewMode plus an agent message, and the review in its history
// (0.169's behaviour, observed against the conformance mock; see server/core/engine/review.ts).
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { evFunctionCall, evMessage, hang, turn } from "../helpers/mockResponses.js";
import { isItem, isNotification, type Params } from "../helpers/protocol.js";
import { startSession, type Session } from "../helpers/session.js";

let session: Session | undefined;
afterEach(async () => {
  await session?.stop();
  session = undefined;
});

type Message = { role?: string; type?: string; content?: { text?: string }[] };

const REVIEW_JSON = JSON.stringify({
  findings: [
    {
      title: "[P1] Off by one",
      body: "The loop stops early.",
      confidence_score: 0.8,
      priority: 1,
      code_location: { absolute_file_path: "/w/a.txt", line_range: { start: 2, end: 3 } },
    },
  ],
  overall_correctness: "patch is incorrect",
  overall_explanation: "One bug.",
  overall_confidence_score: 0.7,
});
const RENDERED = "One bug.\n\nReview comment:\n\n- [P1] Off by one — /w/a.txt:2-3\n  The loop stops early.";

function gitRepo(cwd: string): string {
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.email=a@b", "-c", "user.name=a", ...args], { cwd, encoding: "utf8" }).trim();
  writeFileSync(join(cwd, "a.txt"), "one\ntwo\n");
  git("init", "-q", "-b", "main");
  git("add", "a.txt");
  git("commit", "-qm", "init");
  const base = git("rev-parse", "HEAD");
  git("checkout", "-qb", "feature");
  writeFileSync(join(cwd, "a.txt"), "one\nthree\n");
  git("commit", "-qam", "change");
  return base;
}

describe("review/start", () => {
  it("runs a review turn with the reviewer's own history and renders its findings into the thread", async () => {
    session = await startSession({
      script: [
        turn(evFunctionCall("c_diff", "exec_command", { cmd: "git status --short" })),
        turn(evMessage("msg_rev", REVIEW_JSON)),
        turn(evMessage("msg_next", "ok")),
      ],
    });
    const s = session;
    const cwd = join(s.daemon.home.base, "cwd");
    mkdirSync(cwd);
    const base = gitRepo(cwd);
    const { thread } = await s.result("thread/start", { cwd });

    const from = s.daemon.messages.length;
    const res = await s.result("review/start", { threadId: thread.id, target: { type: "baseBranch", branch: "main" } });
    const hint = "changes against 'main'";
    expect(res.reviewThreadId).toBe(thread.id);
    expect(res.turn).toMatchObject({
      rootTurnId: null,
      status: "inProgress",
      items: [{ type: "userMessage", id: res.turn.id, content: [{ type: "text", text: hint }] }],
    });
    const turnId = res.turn.id;
    const done = await s.notification("turn/completed", (p) => p.threadId === thread.id, from);
    const completed = done.params.turn;
    expect(completed).toMatchObject({ id: turnId, status: "completed", items: [{ type: "agentMessage", text: RENDERED }] });

    // Items in order: entered, the prompt, the reviewer's command, exited, the agent message; none of
    // the reviewer's own messages (no deltas) reach the client.
    const after = s.daemon.messages.slice(from);
    const items = after.filter(isNotification("item/completed")).map((m) => m.params.item);
    expect(items.map((i) => i.type)).toEqual(["enteredReviewMode", "userMessage", "commandExecution", "exitedReviewMode", "agentMessage"]);
    expect(items[0]).toMatchObject({ review: hint });
    // The prompt (items[1]), found by its type so that its content reads typed.
    expect(items.filter(isItem("userMessage"))[0]?.content[0]).toMatchObject({
      text: expect.stringContaining(`The merge base commit for this comparison is ${base}.`),
    });
    expect(items[3]).toMatchObject({ review: RENDERED });
    expect(items[4]).toMatchObject({ text: RENDERED });
    expect(after.some((m) => m["method"] === "item/agentMessage/delta")).toBe(false);
    expect(after.some(isNotification("item/started", (p) => p.item.id === "msg_rev"))).toBe(false);
    expect(after.some((m) => m["method"] === "thread/tokenUsage/updated")).toBe(false);

    // The reviewer's requests: the guidelines first, no thread history, the environment and the prompt.
    const [first, second] = s.mock.responsesRequests().map((r) => r.body as { input: Message[]; tools: { name?: string }[] });
    expect(first?.input[0]?.role).toBe("developer");
    expect(first?.input[0]?.content?.[0]?.text).toMatch(/^# Review guidelines:/);
    expect(first?.input[0]?.content?.[0]?.text).toContain('"overall_correctness": "patch is correct" | "patch is incorrect"');
    expect(first?.input.map((i) => i.role)).toEqual(["developer", "user", "user"]);
    expect(first?.input[1]?.content?.[0]?.text).toContain("<environment_context>");
    expect(first?.tools.map((t) => t.name)).toEqual(["exec_command", "write_stdin", "request_user_input", "apply_patch", "view_image"]);
    expect(second?.input.some((i) => i.type === "function_call_output")).toBe(true);

    // The next turn sees the review as a user action and the rendered text as the assistant's answer.
    await s.result("turn/start", { threadId: thread.id, input: [{ type: "text", text: "fix it", text_elements: [] }] });
    await s.notification("turn/completed", (p) => p.threadId === thread.id && p.turn.id !== turnId, from);
    const next = s.mock.responsesRequests()[2]?.body as { input: Message[] };
    const texts = next.input.map((i) => `${i.role}: ${i.content?.[0]?.text ?? ""}`);
    expect(texts[0]).toMatch(/^developer: You are a coding agent/);
    expect(texts[1]).toContain("<action>review</action>");
    expect(texts[1]).toContain(RENDERED);
    expect(texts[2]).toBe(`assistant: ${RENDERED}`);
    expect(texts.some((t) => t.includes("Review guidelines"))).toBe(false);
    expect(texts[texts.length - 1]).toBe("user: fix it");

    // thread/read shows the review turn with its items, so does a reload from the rollout.
    const read = await s.result("thread/read", { threadId: thread.id, includeTurns: true });
    expect(read.thread.turns[0]?.id).toBe(turnId);
    expect(read.thread.turns[0]?.items.map((i) => i.type)).toEqual([
      "enteredReviewMode",
      "userMessage",
      "commandExecution",
      "exitedReviewMode",
      "agentMessage",
    ]);
    await s.result("thread/unsubscribe", { threadId: thread.id });
    const stored = await s.result("thread/read", { threadId: thread.id, includeTurns: true });
    expect(stored.thread.status.type).toBe("notLoaded");
    expect(stored.thread.turns.map((t) => t.items.map((i) => i.type))).toEqual(read.thread.turns.map((t) => t.items.map((i) => i.type)));
    s.checkWire();
  });

  it("cannot be steered, and an interrupted review tells the thread it was interrupted", async () => {
    session = await startSession({ script: [hang(), turn(evMessage("m_after", "after"))] });
    const s = session;
    const { thread } = await s.result("thread/start", { cwd: s.daemon.home.base });
    const from = s.daemon.messages.length;
    const { turn: t } = await s.result("review/start", { threadId: thread.id, target: { type: "custom", instructions: "Look at the README." } });
    await s.mock.waitForRequests(1);
    const steer = await s.request("turn/steer", { threadId: thread.id, expectedTurnId: t.id, input: [{ type: "text", text: "also this", text_elements: [] }] });
    expect(steer.error).toMatchObject({
      code: -32600,
      message: "cannot steer a review turn",
      data: { codexErrorInfo: { activeTurnNotSteerable: { turnKind: "review" } } },
    });

    await s.result("turn/interrupt", { threadId: thread.id, turnId: t.id });
    const done = await s.notification("turn/completed", (p) => p.turn.id === t.id, from);
    expect(done.params.turn.status).toBe("interrupted");
    const items = s.daemon.messages
      .slice(from)
      .filter(isNotification("item/completed"))
      .map((m) => m.params.item);
    expect(items.map((i) => i.type)).toEqual(["enteredReviewMode", "userMessage", "exitedReviewMode", "agentMessage"]);
    expect(items[2]).toMatchObject({ review: "Reviewer failed to output a response." });
    expect(items[3]).toMatchObject({ text: "Review was interrupted. Please re-run /review and wait for it to complete." });

    await s.result("turn/start", { threadId: thread.id, input: [{ type: "text", text: "next", text_elements: [] }] });
    await s.notification("turn/completed", (p) => p.turn.id !== t.id, from);
    const next = s.mock.responsesRequests()[1]?.body as { input: Message[] };
    const texts = next.input.map((i) => `${i.role}: ${i.content?.[0]?.text ?? ""}`);
    expect(texts[1]).toContain("User initiated a review task, but was interrupted.");
    expect(texts[1]).toContain("<results>\n  None.\n  </results>");
    expect(texts[2]).toBe("assistant: Review was interrupted. Please re-run /review and wait for it to complete.");
    s.checkWire();
  });

  it("refuses empty targets with 0.169's messages", async () => {
    session = await startSession();
    const s = session;
    const { thread } = await s.result("thread/start", { cwd: s.daemon.home.base });
    const cases: Array<[Params<"review/start">["target"], string]> = [
      [{ type: "custom", instructions: "   " }, "instructions must not be empty"],
      [{ type: "baseBranch", branch: "" }, "branch must not be empty"],
      [{ type: "commit", sha: "" }, "sha must not be empty"],
    ];
    for (const [target, message] of cases) {
      const r = await s.request("review/start", { threadId: thread.id, target });
      expect(r.error).toMatchObject({ code: -32600, message });
    }
    expect(s.mock.responsesRequests()).toHaveLength(0);
    s.checkWire();
  });
});
