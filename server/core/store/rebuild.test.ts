import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ThreadItem } from "../../../protocol/v2/shared.js";
import { Turn } from "../../../protocol/v2/shared.js";
import { RolloutNotFoundError, RolloutUnreadableError } from "./errors.js";
import { loadRollout, rebuild } from "./rebuild.js";
import { itemCompleted, taskComplete, taskStarted, tokenCount, turnAborted, turnError } from "./rolloutLines.js";
import { parseRolloutText, readRolloutFile, type RawLine } from "./rolloutReader.js";
import type { RolloutItem } from "./rolloutTypes.js";
import { RolloutWriter } from "./rolloutWriter.js";
import { metaFor, tempHomes } from "./testHome.testutil.js";

const newHome = tempHomes();
const THREAD = "01a2087c-eefa-7c93-b24c-302346b06fc6";
const T1 = "01a2087c-ef0c-71e0-a39c-ca26b46d256e";
const T2 = "01a2087c-f17f-7660-af5c-d4af68a3873c";
const fixture = (name: string): string => new URL(`./fixtures/${name}`, import.meta.url).pathname;

function raw(items: RolloutItem[]): RawLine[] {
  const meta: RolloutItem = { type: "session_meta", payload: { id: THREAD, timestamp: "2026-11-23T12:58:55.102Z", ...metaFor() } };
  return [meta, ...items].map((it, index) => ({
    index,
    timestamp: `2026-11-23T12:58:${String(55 + (index % 4)).padStart(2, "0")}.000Z`,
    type: it.type,
    payload: it.payload,
  }));
}

const user = (id: string, text: string): ThreadItem => ({
  type: "userMessage",
  id,
  clientId: null,
  content: [{ type: "text", text, text_elements: [] }],
  startedAtMs: 1,
  completedAtMs: 2,
});
const agent = (id: string, text: string): ThreadItem => ({
  type: "agentMessage",
  id,
  text,
  phase: null,
  memoryCitation: null,
  moderation: null,
  delivery: null,
  questions: null,
  startedAtMs: 3,
  completedAtMs: 4,
});
const command: ThreadItem = {
  type: "commandExecution",
  id: "call_1",
  command: "/bin/bash -lc 'echo hi'",
  cwd: "/work/project",
  processId: null,
  source: "agent",
  status: "completed",
  commandActions: [{ type: "unknown", command: "echo hi" }],
  aggregatedOutput: "hi\n",
  exitCode: 0,
  durationMs: 5,
  pluginId: null,
  scriptPath: null,
};

describe("rebuild: what our writer writes", () => {
  it("rebuilds the exact wire items, without doubling the compatibility user_message/agent_message", () => {
    const r = rebuild(
      raw([
        taskStarted(T1, 1795438735, 258400),
        {
          type: "turn_context",
          payload: { turn_id: T1, cwd: "/work/project", approval_policy: "never", sandbox_policy: { type: "read-only" }, model: "gpt-5.5" },
        },
        { type: "response_item", payload: { type: "message", role: "user", content: [{ type: "input_text", text: "Run echo hi" }] } },
        ...itemCompleted(THREAD, T1, user("u1", "Run echo hi")),
        ...itemCompleted(THREAD, T1, command),
        ...itemCompleted(THREAD, T1, agent("msg_1", "Done: hi.")),
        tokenCount({
          total: { totalTokens: 220, inputTokens: 200, cachedInputTokens: 0, outputTokens: 20, reasoningOutputTokens: 0 },
          last: { totalTokens: 110, inputTokens: 100, cachedInputTokens: 0, outputTokens: 10, reasoningOutputTokens: 0 },
          modelContextWindow: 258400,
        }),
        taskComplete(T1, "Done: hi.", 1795438736, 285),
      ]),
    );
    expect(r.turns).toEqual([
      {
        id: T1,
        rootTurnId: T1,
        items: [user("u1", "Run echo hi"), command, agent("msg_1", "Done: hi.")],
        itemsView: "full",
        status: "completed",
        error: null,
        startedAt: 1795438735,
        completedAt: 1795438736,
        durationMs: 285,
      },
    ]);
    expect(Turn.array().parse(r.turns)).toEqual(r.turns);
    expect(r.preview).toBe("Run echo hi");
    expect(r.lastTurnContext?.model).toBe("gpt-5.5");
    expect(r.history).toHaveLength(1);
    expect(r.tokenUsage?.total.totalTokens).toBe(220);
    expect(r.tokenUsage?.modelContextWindow).toBe(258400);
    expect(r.meta?.id).toBe(THREAD);
  });

  it("reads a turn cut off before task_complete as interrupted, never completed", () => {
    const r = rebuild(
      raw([
        taskStarted(T1, 1, null),
        ...itemCompleted(THREAD, T1, user("u1", "a")),
        ...itemCompleted(THREAD, T1, command),
        taskStarted(T2, 2, null),
        ...itemCompleted(THREAD, T2, user("u2", "b")),
      ]),
    );
    expect(r.turns.map((t) => [t.id, t.status, t.completedAt, t.items.length])).toEqual([
      [T1, "interrupted", null, 2],
      [T2, "interrupted", null, 1],
    ]);
  });

  it("fails a turn on a persisted error and keeps it failed through task_complete; turn_aborted interrupts", () => {
    const r = rebuild(
      raw([
        taskStarted(T1, 1, null),
        ...itemCompleted(THREAD, T1, user("u1", "a")),
        turnError(T1, "context window exceeded", "contextWindowExceeded"),
        taskComplete(T1, null, 2, 10),
        taskStarted(T2, 3, null),
        ...itemCompleted(THREAD, T2, user("u2", "b")),
        turnAborted(T2, "interrupted", 4, 20),
      ]),
    );
    expect(r.turns[0]).toMatchObject({
      status: "failed",
      error: { message: "context window exceeded", codexErrorInfo: "contextWindowExceeded", additionalDetails: null },
    });
    expect(r.turns[1]).toMatchObject({ status: "interrupted", error: null, completedAt: 4, durationMs: 20 });
  });

  it("applies compaction and rollback to history and turns", () => {
    const msg = (role: string, text: string): RolloutItem => ({
      type: "response_item",
      payload: { type: "message", role, content: [{ type: "input_text", text }] },
    });
    const r = rebuild(
      raw([
        taskStarted(T1, 1, null),
        msg("user", "<environment_context>x</environment_context>"),
        msg("user", "one"),
        msg("assistant", "r1"),
        ...itemCompleted(THREAD, T1, user("u1", "one")),
        taskComplete(T1, null, 2, 1),
        {
          type: "compacted",
          payload: { message: "summary", replacement_history: [{ type: "message", role: "user", content: [{ type: "input_text", text: "summary" }] }] },
        },
        taskStarted(T2, 3, null),
        msg("user", "two"),
        msg("assistant", "r2"),
        ...itemCompleted(THREAD, T2, user("u2", "two")),
        taskComplete(T2, null, 4, 1),
        { type: "event_msg", payload: { type: "thread_rolled_back", num_turns: 1 } },
      ]),
    );
    expect(r.turns.map((t) => t.id)).toEqual([T1]);
    expect(r.history).toEqual([{ type: "message", role: "user", content: [{ type: "input_text", text: "summary" }] }]);
  });
});

describe("rebuild: other writers", () => {
  it("converts a 0.169.0 rollout to the turns 0.169 itself returned from thread/read", async () => {
    const { lines, skipped } = await readRolloutFile(fixture("rollout-0.169.0.jsonl"));
    const r = rebuild(lines, skipped);
    const expected = JSON.parse(readFileSync(fixture("rollout-0.169.0.read.json"), "utf8")) as unknown;
    expect(r.turns).toEqual(expected);
    expect(r.preview).toBe("Run echo hi please.");
    expect(r.tokenUsage?.total).toEqual({
      totalTokens: 220,
      inputTokens: 200,
      cachedInputTokens: 0,
      cacheWriteInputTokens: 0,
      outputTokens: 20,
      reasoningOutputTokens: 0,
    });
    // world_state and token_usage_record are line types we do not know.
    expect(skipped).toBe(3);
  });

  it("rebuilds 0.80 lines into implicit turns with stable ids", () => {
    const lines = raw([
      { type: "event_msg", payload: { type: "user_message", message: "first", images: [] } } as RolloutItem,
      { type: "event_msg", payload: { type: "agent_reasoning", text: "thinking" } } as unknown as RolloutItem,
      { type: "event_msg", payload: { type: "agent_reasoning", text: "more" } } as unknown as RolloutItem,
      {
        type: "event_msg",
        payload: {
          type: "exec_command_end",
          call_id: "c1",
          command: ["bash", "-lc", "ls"],
          cwd: "/w",
          exit_code: 1,
          aggregated_output: "x",
          duration: { secs: 1, nanos: 500000000 },
        },
      } as unknown as RolloutItem,
      { type: "event_msg", payload: { type: "agent_message", message: "answer" } },
      { type: "event_msg", payload: { type: "agent_message", message: "" } },
      { type: "event_msg", payload: { type: "user_message", message: "second", images: ["data:x"], local_images: ["/a.png"] } } as RolloutItem,
      { type: "event_msg", payload: { type: "turn_aborted", reason: "interrupted" } } as unknown as RolloutItem,
    ]);
    const r = rebuild(lines);
    expect(r.turns.map((t) => t.status)).toEqual(["completed", "interrupted"]);
    expect(r.turns[0]?.items).toEqual([
      { type: "userMessage", id: "item-1", clientId: null, content: [{ type: "text", text: "first", text_elements: [] }] },
      { type: "reasoning", id: "item-2", summary: ["thinking", "more"], content: [] },
      expect.objectContaining({
        type: "commandExecution",
        id: "c1",
        command: "bash -lc ls",
        status: "failed",
        exitCode: 1,
        durationMs: 1500,
        aggregatedOutput: "x",
      }),
      { type: "agentMessage", id: "item-3", text: "answer", phase: null, memoryCitation: null, moderation: null, delivery: null, questions: null },
    ]);
    expect(r.turns[1]?.items[0]).toMatchObject({
      content: [
        { type: "text", text: "second" },
        { type: "image", url: "data:x" },
        { type: "localImage", path: "/a.png" },
      ],
    });
    expect(r.turns[0]?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(rebuild(lines).turns.map((t) => t.id)).toEqual(r.turns.map((t) => t.id));
  });

  it("skips torn, garbage and unknown lines", () => {
    const text = [
      '{"timestamp":"t","type":"session_meta","payload":{"id":"x"}}',
      "garbage",
      '{"type":"world_state","payload":{}}',
      "[]",
      '{"timestamp":"t","type":"event_msg","payl',
    ].join("\n");
    const r = parseRolloutText(text);
    expect(r.lines.map((l) => l.type)).toEqual(["session_meta"]);
    expect(r.skipped).toBe(4);
  });
});

describe("loadRollout errors", () => {
  it("names the path of a missing, empty or unreadable rollout", async () => {
    const home = newHome();
    const missing = join(home, "nope.jsonl");
    const e1 = await loadRollout(missing).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(RolloutNotFoundError);
    expect((e1 as Error).message).toContain(missing);

    const empty = join(home, "empty.jsonl");
    writeFileSync(empty, "not json\n");
    const e2 = await loadRollout(empty).catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(RolloutUnreadableError);
    expect(e2).toMatchObject({ kind: "failed", message: expect.stringContaining(empty) as unknown, data: { path: empty } });

    const dir = join(home, "dir.jsonl");
    mkdirSync(dir);
    const e3 = await loadRollout(dir).catch((e: unknown) => e);
    expect(e3).toBeInstanceOf(RolloutUnreadableError);
    expect((e3 as Error).message).toContain(dir);
  });

  it("round-trips through the writer", async () => {
    const home = newHome();
    const w = await RolloutWriter.create(home, { threadId: THREAD, createdAt: new Date(), meta: metaFor() });
    await w.append([taskStarted(T1, 1, null), ...itemCompleted(THREAD, T1, user("u1", "hello")), taskComplete(T1, null, 2, 3)]);
    await w.close();
    const r = await loadRollout(w.path);
    expect(r.turns).toHaveLength(1);
    expect(r.turns[0]?.items).toEqual([user("u1", "hello")]);
    expect(r.path).toBe(w.path);
  });
});
