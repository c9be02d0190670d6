import { mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { v7 as uuidv7 } from "uuid";
import { describe, expect, it } from "vitest";
import { ConversationSummaries, conversationSummary, v1Cursor, v1SessionSource } from "./conversationSummaries.js";
import { itemCompleted } from "./rolloutLines.js";
import type { SessionMetaPayload } from "./rolloutTypes.js";
import { RolloutWriter } from "./rolloutWriter.js";
import { metaFor, tempHomes } from "./testHome.testutil.js";
import { ThreadIndex } from "./threadIndex.js";
import { appendGitPatch } from "./threadMetadata.js";

const newHome = tempHomes();
const BASE = new Date(2026, 0, 10, 12, 0, 0).getTime();

async function makeThread(
  home: string,
  second: number,
  meta: Partial<Omit<SessionMetaPayload, "id" | "timestamp">> = {},
): Promise<{ id: string; path: string }> {
  const createdAt = new Date(BASE + second * 1000);
  const id = uuidv7({ msecs: createdAt.getTime() });
  const w = await RolloutWriter.create(home, { threadId: id, createdAt, meta: metaFor(meta) });
  await w.append(
    itemCompleted(id, "turn", { type: "userMessage", id: "u", clientId: null, content: [{ type: "text", text: `hi ${second}`, text_elements: [] }] }),
  );
  await w.close();
  return { id, path: w.path };
}

describe("v1SessionSource", () => {
  it.each([
    ["vscode", "vscode"],
    ["cli", "cli"],
    ["exec", "exec"],
    ["mcp", "mcp"],
    // 0.169's, which 0.80 reads as unknown [obs]
    ["appServer", "unknown"],
    [{ subagent: "review" }, { subagent: "review" }],
    [{ subAgent: "compact" }, { subagent: "compact" }],
    [{ subagent: { other: "x" } }, { subagent: { other: "x" } }],
    [{ subagent: { thread_spawn: { parent_thread_id: "p", depth: 1 } } }, "unknown"],
    [{ custom: "bot" }, "unknown"],
    [42, "unknown"],
  ])("reads %j as %j", (source, expected) => {
    expect(v1SessionSource(source)).toEqual(expected);
  });
});

describe("v1Cursor", () => {
  it("writes thread/list's created-at cursor in 0.80's form", () => {
    expect(v1Cursor("2026-01-03T10:00:28Z|01900000-0000-7000-8000-000000000028")).toBe("2026-01-03T10-00-28|01900000-0000-7000-8000-000000000028");
    expect(v1Cursor(null)).toBeNull();
  });
});

describe("conversationSummary", () => {
  it("keeps session_meta's timestamp and names git's fields as 0.80 does", () => {
    const meta: SessionMetaPayload = {
      id: "01900000-0000-7000-8000-000000000001",
      timestamp: "2026-01-01T10:00:01.123Z",
      ...metaFor({ git: { commit_hash: "abc", branch: null } }),
    };
    expect(conversationSummary("/h/sessions/x.jsonl", meta, "hello")).toEqual({
      conversationId: meta.id,
      path: "/h/sessions/x.jsonl",
      preview: "hello",
      timestamp: "2026-01-01T10:00:01.123Z",
      modelProvider: "mock",
      cwd: "/work/project",
      cliVersion: "0.169.0",
      source: "vscode",
      gitInfo: { sha: "abc", branch: null, origin_url: null },
    });
  });
});

describe("ConversationSummaries", () => {
  it("lists the configured provider's interactive conversations, with thread/metadata/update's git edits", async () => {
    const home = newHome();
    const a = await makeThread(home, 1);
    const b = await makeThread(home, 2, { source: "cli" });
    await makeThread(home, 3, { source: "exec" });
    const other = await makeThread(home, 4, { model_provider: "other" });
    await appendGitPatch(home, a.id, { branch: "feature" });
    const summaries = new ConversationSummaries(new ThreadIndex({ home }), home);

    const listed = await summaries.list({}, "mock");
    expect(listed.items.map((i) => i.conversationId)).toEqual([b.id, a.id]);
    expect(listed.items[1]?.gitInfo).toEqual({ sha: null, branch: "feature", origin_url: null });
    expect((await summaries.byId(a.id)).gitInfo).toEqual({ sha: null, branch: "feature", origin_url: null });
    expect((await summaries.list({ modelProviders: null }, "other")).items.map((i) => i.conversationId)).toEqual([other.id]);
    expect((await summaries.list({ modelProviders: [] }, "mock")).items.map((i) => i.conversationId)).toEqual([other.id, b.id, a.id]);
  });

  it("accepts a rollout reached through a symlinked home, and refuses a path that only looks like one", async () => {
    const home = newHome();
    const a = await makeThread(home, 1);
    const link = join(newHome(), "home-link");
    symlinkSync(home, link);
    const summaries = new ConversationSummaries(new ThreadIndex({ home }), home);
    await expect(summaries.checkArchivable(a.id, a.path.replace(home, link))).resolves.toBeUndefined();

    const outside = join(newHome(), "sessions");
    mkdirSync(outside);
    await expect(summaries.checkArchivable(a.id, outside)).rejects.toThrow(/must be in the sessions directory/);
    await expect(summaries.checkArchivable(a.id, join(home, "sessions"))).rejects.toThrow(/must be in the sessions directory/);
  });
});
