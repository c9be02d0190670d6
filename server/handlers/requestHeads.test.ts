// The thread and turn requests, and the v1-only ones, are dispatched from heads (define.ts RequestHead)
// whose modules define params only, so that a fresh daemon's first thread/start or turn/start does not
// build every thread, turn and item result (requestGroups.ts says why), nor a legacy client's first
// request every 0.80 event (protocol/v1/requestHeads.ts). Two ways this can break, each checked here: a
// heads module importing a results module (statically), or a group's loading registering results (run).
// (Here rather than in protocol/, which may not import node:fs.)
import { readFileSync } from "node:fs";
import * as z from "zod";
import { describe, expect, it } from "vitest";

const HEAD_MODULES = ["sharedParams.ts", "threadStartParams.ts", "threadParams.ts", "threadResumeParams.ts", "turnParams.ts"].map((f) => `v2/${f}`);
/** Modules runtime code parses with on a first turn or command (the client's answers to tool calls, plan types, command/exec). */
const RUNTIME_MODULES = ["toolCall.ts", "account.ts", "commandExec.ts"].map((f) => `v2/${f}`);
const RESULT_MODULES = ["shared.ts", "thread.ts", "turn.ts", "item.ts", "methods.ts", "index.ts"].map((f) => `v2/${f}`);
const V1_RESULT_MODULES = ["shared.ts", "conversation.ts", "events.ts", "methods.ts", "index.ts"].map((f) => `v1/${f}`);

const PROTOCOL = new URL("../../protocol/", import.meta.url);

/** The protocol modules `file` (a path under protocol/) imports, directly and through the others. */
function reachable(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const url = new URL(file, PROTOCOL);
  for (const m of readFileSync(url, "utf8").matchAll(/^(?:import|export)\b[^;]*?from "(\.\.?\/[\w/]+)\.js";/gm)) {
    const target = new URL(`${m[1] as string}.ts`, url).href;
    if (target.startsWith(PROTOCOL.href)) reachable(target.slice(PROTOCOL.href.length), seen);
  }
  return seen;
}

/** The ids registered so far (zod keeps them in its global registry's id map). */
function registeredIds(): Set<string> {
  const idmap = (z.globalRegistry as unknown as { _idmap?: Map<string, unknown> })._idmap;
  if (!(idmap instanceof Map)) throw new Error("zod's global registry no longer keeps an id map: update this test");
  return new Set(idmap.keys());
}

describe("request heads", () => {
  it("come from modules that import no results module, as do the modules a first turn parses with", () => {
    for (const file of [...HEAD_MODULES, ...RUNTIME_MODULES]) {
      const modules = reachable(file);
      for (const results of RESULT_MODULES) expect(modules.has(results), `${file} reaches ${results}`).toBe(false);
    }
  });

  it("for the v1-only requests come from a module that imports no v1 or v2 results module", () => {
    const modules = reachable("v1/requestHeads.ts");
    expect(modules.has("v2/sharedParams.ts")).toBe(true);
    expect(modules.has("v1/conversationParams.ts")).toBe(true);
    for (const results of [...V1_RESULT_MODULES, ...RESULT_MODULES]) expect(modules.has(results), `v1/requestHeads.ts reaches ${results}`).toBe(false);
  });

  it("a first thread/start, thread/resume and turn/start build their params, not the results", async () => {
    // This file imports no protocol module up front, and each test file gets its own module graph.
    expect(registeredIds().has("ThreadStartParams")).toBe(false);
    const { v2RequestGroups } = await import("../../protocol/v2/requestGroups.js");
    // thread/start, a client's first request, builds its own params only.
    expect(Object.keys(await v2RequestGroups["thread/start"]())).toEqual(["thread/start"]);
    const first = registeredIds();
    expect(first.has("ThreadStartParams")).toBe(true);
    for (const other of ["ThreadListParams", "ThreadResumeParams", "TurnStartParams", "ThreadStartResponse"]) expect(first.has(other), other).toBe(false);
    const heads = { ...(await v2RequestGroups["thread/start"]()), ...(await v2RequestGroups["thread/resume"]()), ...(await v2RequestGroups["turn/start"]()) };
    expect(Object.keys(heads)).toEqual(expect.arrayContaining(["thread/start", "thread/resume", "turn/start"]));
    const ids = registeredIds();
    for (const params of ["ThreadStartParams", "ThreadResumeParams", "TurnStartParams", "SandboxPolicy", "UserInput"])
      expect(ids.has(params), params).toBe(true);
    for (const result of ["ThreadStartResponse", "Thread", "Turn", "ThreadItem", "TurnStartResponse", "ThreadResumeResponse"])
      expect(ids.has(result), result).toBe(false);
  });

  it("a legacy client's first request builds the v1 params, not 0.80's results and events", async () => {
    expect(registeredIds().has("NewConversationParams")).toBe(false);
    const { v1RequestHeads } = await import("../../protocol/v1/requestHeads.js");
    expect(Object.keys(v1RequestHeads)).toContain("newConversation");
    const ids = registeredIds();
    for (const params of ["NewConversationParams", "SendUserTurnParams", "ResumeConversationParams", "V1ResponseItem", "V1SandboxPolicy", "ThreadId"])
      expect(ids.has(params), params).toBe(true);
    for (const result of [
      "NewConversationResponse",
      "ResumeConversationResponse",
      "EventMsg",
      "SessionConfiguredNotification",
      "ConversationSummary",
      "Thread",
    ])
      expect(ids.has(result), result).toBe(false);
  });
});
