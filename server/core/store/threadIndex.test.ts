import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { v7 as uuidv7 } from "uuid";
import { describe, expect, it } from "vitest";
import { Thread, type ThreadListParams } from "../../../protocol/v2/thread.js";
import { RolloutNotFoundError, ThreadStoreRequestError } from "./errors.js";
import { itemCompleted, taskComplete, taskStarted } from "./rolloutLines.js";
import type { SessionMetaPayload } from "./rolloutTypes.js";
import { RolloutWriter } from "./rolloutWriter.js";
import { SESSION_INDEX_FILE } from "./sessionIndex.js";
import { metaFor, tempHomes } from "./testHome.testutil.js";
import { ThreadIndex } from "./threadIndex.js";

const newHome = tempHomes();
const BASE = new Date(2026, 0, 30, 23, 59, 50).getTime(); // crosses local midnight below

interface Made {
  id: string;
  path: string;
}

async function makeThread(
  home: string,
  secondsAfterBase: number,
  text: string | null,
  meta: Partial<Omit<SessionMetaPayload, "id" | "timestamp">> = {},
): Promise<Made> {
  const createdAt = new Date(BASE + secondsAfterBase * 1000);
  const id = uuidv7({ msecs: createdAt.getTime() });
  const w = await RolloutWriter.create(home, { threadId: id, createdAt, meta: metaFor(meta) });
  if (text !== null) {
    const turn = uuidv7();
    await w.append([
      taskStarted(turn, 1, null),
      ...itemCompleted(id, turn, { type: "userMessage", id: "u", clientId: null, content: [{ type: "text", text, text_elements: [] }] }),
      taskComplete(turn, null, 2, 1),
    ]);
  }
  await w.close();
  return { id, path: w.path };
}

async function pageAll(index: ThreadIndex, params: ThreadListParams, onPage?: (page: number) => Promise<void>): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | null | undefined = undefined;
  do {
    const r = await index.list({ ...params, cursor });
    pages.push(r.data.map((t) => t.id));
    cursor = r.nextCursor;
    await onPage?.(pages.length);
  } while (cursor);
  return pages;
}

describe("ThreadIndex.list", () => {
  it("lists newest first in gap-free pages and hides threads without a user message", async () => {
    const home = newHome();
    const made: Made[] = [];
    for (let i = 0; i < 7; i++) made.push(await makeThread(home, i * 5, `message ${i}`));
    await makeThread(home, 100, null); // no user message yet: not listed
    const index = new ThreadIndex({ home });
    const first = await index.list({ limit: 3 });
    expect(first.data.map((t) => t.preview)).toEqual(["message 6", "message 5", "message 4"]);
    expect(first.nextCursor).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\|[0-9a-f-]{36}$/);
    for (const t of first.data) expect(Thread.parse(t)).toEqual(t);
    expect(first.data[0]).toMatchObject({
      status: { type: "notLoaded" },
      modelProvider: "mock",
      cwd: "/work/project",
      cliVersion: "0.169.0",
      source: "vscode",
      name: null,
      turns: [],
      ephemeral: false,
    });
    expect(first.data[0]?.createdAt).toBe(Math.floor((BASE + 30_000) / 1000));

    const pages = await pageAll(index, { limit: 3 });
    expect(pages).toEqual([made.slice(4).reverse(), made.slice(1, 4).reverse(), [made[0]?.id]].map((p) => p.map((m) => (typeof m === "string" ? m : m?.id))));
    expect((await pageAll(index, { limit: 3, sortDirection: "asc" })).flat()).toEqual(made.map((m) => m.id));
  });

  it("does not shift or repeat entries when a thread is created between pages", async () => {
    const home = newHome();
    const made: Made[] = [];
    for (let i = 0; i < 5; i++) made.push(await makeThread(home, i, `m${i}`));
    const index = new ThreadIndex({ home });
    let extra = 0;
    const pages = await pageAll(index, { limit: 2 }, async () => {
      await makeThread(home, 1000 + extra++, "newer");
      await makeThread(home, 2.5 + extra * 0.01, "between"); // same second as m2: ordered by uuid
    });
    const seen = pages.flat();
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.slice(0, 2)).toEqual([made[4]?.id, made[3]?.id]);
    // Every original thread appears exactly once, in order.
    expect(seen.filter((id) => made.some((m) => m.id === id))).toEqual(made.map((m) => m.id).reverse());
  });

  it("clamps limit, rejects a bad cursor and accepts the 0.80 cursor form", async () => {
    const home = newHome();
    const a = await makeThread(home, 0, "a");
    const b = await makeThread(home, 1, "b");
    const index = new ThreadIndex({ home });
    expect((await index.list({ limit: 0 })).data).toHaveLength(1);
    const err = await index.list({ cursor: "garbage" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ThreadStoreRequestError);
    expect(err).toMatchObject({ kind: "invalidInput", message: "invalid cursor: garbage", data: undefined });
    const stamp = b.path.match(/rollout-(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2})-/)?.[1];
    expect((await index.list({ cursor: `${stamp}|${b.id}` })).data.map((t) => t.id)).toEqual([a.id]);
  });

  it("filters by provider, cwd, source kind, exclusions and a case-sensitive search on preview or name", async () => {
    const home = newHome();
    const a = await makeThread(home, 0, "Fix the parser", { model_provider: "openai", cwd: "/a" });
    const b = await makeThread(home, 1, "write docs", { cwd: "/b" });
    const c = await makeThread(home, 2, "exec run", { source: "exec" });
    const d = await makeThread(home, 3, "spawned", { source: { subagent: "review" } });
    const index = new ThreadIndex({ home });
    const ids = async (p: ThreadListParams): Promise<string[]> => (await index.list(p)).data.map((t) => t.id);
    expect(await ids({})).toEqual([b.id, a.id]);
    expect(await ids({ modelProviders: ["openai"] })).toEqual([a.id]);
    expect(await ids({ modelProviders: [] })).toEqual([b.id, a.id]);
    expect(await ids({ cwd: ["/b", "/x"] })).toEqual([b.id]);
    expect(await ids({ sourceKinds: ["exec"] })).toEqual([c.id]);
    expect(await ids({ sourceKinds: ["subAgent"] })).toEqual([d.id]);
    expect(await ids({ sourceKinds: ["subAgentReview", "vscode"] })).toEqual([d.id, c.id, b.id, a.id].filter((id) => id !== c.id));
    expect(await ids({ excludedThreadIds: [b.id] })).toEqual([a.id]);
    expect(await ids({ searchTerm: "parser" })).toEqual([a.id]);
    expect(await ids({ searchTerm: "PARSER" })).toEqual([]);
    await index.setName(b.id, "  Release notes  ");
    expect(await ids({ searchTerm: "notes" })).toEqual([b.id]);
    expect(await ids({ searchTerm: "docs" })).toEqual([b.id]);
  });

  it("sorts by updated_at (mtime) and fills status from the callback", async () => {
    const home = newHome();
    const a = await makeThread(home, 0, "a");
    const b = await makeThread(home, 1, "b");
    const { utimesSync } = await import("node:fs");
    utimesSync(a.path, new Date(BASE + 60_000), new Date(BASE + 60_000));
    utimesSync(b.path, new Date(BASE + 30_000), new Date(BASE + 30_000));
    const index = new ThreadIndex({ home, statusOf: (id) => (id === b.id ? { type: "idle" } : undefined) });
    const r = await index.list({ sortKey: "updated_at", limit: 1 });
    expect(r.data.map((t) => [t.id, t.updatedAt])).toEqual([[a.id, Math.floor((BASE + 60_000) / 1000)]]);
    expect(r.nextCursor).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z\|/);
    const next = await index.list({ sortKey: "updated_at", cursor: r.nextCursor });
    expect(next.data.map((t) => [t.id, t.status])).toEqual([[b.id, { type: "idle" }]]);
    expect(next.nextCursor).toBeNull();
  });
});

describe("ThreadIndex archive, unarchive, names, find", () => {
  it("moves files between sessions/YYYY/MM/DD and archived_sessions/ and lists each side", async () => {
    const home = newHome();
    const a = await makeThread(home, 0, "a");
    const index = new ThreadIndex({ home });
    expect(await index.find(a.id)).toMatchObject({ path: a.path, archived: false });
    const { path } = await index.archive(a.id);
    expect(path).toBe(join(home, "archived_sessions", a.path.slice(a.path.lastIndexOf("/") + 1)));
    expect(existsSync(a.path)).toBe(false);
    expect((await index.list({})).data).toEqual([]);
    expect((await index.list({ archived: true })).data.map((t) => t.path)).toEqual([path]);
    await expect(index.archive(a.id)).rejects.toThrow(`no rollout found for thread id ${a.id}`);

    const thread = await index.unarchive(a.id);
    expect(thread.path).toBe(a.path);
    expect(existsSync(a.path)).toBe(true);
    expect((await index.list({})).data.map((t) => t.id)).toEqual([a.id]);
    await expect(index.unarchive(a.id)).rejects.toThrow(`no archived rollout found for thread id ${a.id}`);
  });

  it("stores names in session_index.jsonl as 0.169 does, trimmed, last one wins", async () => {
    const home = newHome();
    const a = await makeThread(home, 0, "a");
    const index = new ThreadIndex({ home });
    expect(await index.setName(a.id, "  first ")).toBe("first");
    await index.setName(a.id, "second");
    const lines = readFileSync(join(home, SESSION_INDEX_FILE), "utf8")
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.id, l.thread_name])).toEqual([
      [a.id, "first"],
      [a.id, "second"],
    ]);
    expect(Object.keys(lines[0] ?? {})).toEqual(["id", "thread_name", "updated_at"]);
    expect(await index.getName(a.id)).toBe("second");
    expect((await index.list({})).data[0]?.name).toBe("second");
    expect((await index.load(a.id)).thread.name).toBe("second");
    await expect(index.setName(a.id, "   ")).rejects.toThrow("thread name must not be empty");
    const missing = uuidv7();
    const err = await index.setName(missing, "x").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RolloutNotFoundError);
    expect(err).toMatchObject({ kind: "notFound", message: `no rollout found for thread id ${missing}`, data: undefined });
  });

  it("finds a thread whose id does not encode its folder's date, and loads it with turns", async () => {
    const home = newHome();
    const createdAt = new Date(BASE);
    const id = "01a20000-0000-7000-8000-000000000001"; // v7 time far from the folder's date
    const w = await RolloutWriter.create(home, { threadId: id, createdAt, meta: metaFor() });
    await w.append([
      taskStarted("t1", 1, null),
      ...itemCompleted(id, "t1", { type: "userMessage", id: "u", clientId: null, content: [{ type: "text", text: "hi", text_elements: [] }] }),
    ]);
    await w.close();
    const index = new ThreadIndex({ home });
    expect((await index.find(id))?.path).toBe(w.path);
    const loaded = await index.load(id);
    expect(loaded.thread.turns.map((t) => t.status)).toEqual(["interrupted"]);
    expect(loaded.thread.preview).toBe("hi");
    expect(Thread.parse(loaded.thread)).toEqual(loaded.thread);
    await expect(index.load(uuidv7())).rejects.toBeInstanceOf(RolloutNotFoundError);
  });
});
