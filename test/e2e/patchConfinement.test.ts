// Patches and symlinks on the real daemon (issue 18.1): a workspace symlink out of the writable roots
// makes the patch ask, as any write outside them does, and a directory swapped for a symlink while
// the approval is pending cannot redirect the approved write. The workspace is the only writable root
// (/tmp and $TMPDIR excluded, since the test's folders live under /tmp). No timing assertions.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startDaemon, type Json, type RawDaemon } from "../helpers/daemon.js";
import { tempHome } from "../helpers/home.js";
import { evCustomToolCall, evMessage, mockDaemonConfig, startMockResponses, turn, type MockResponses, type ScriptEntry } from "../helpers/mockResponses.js";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const patch = (callId: string, body: string) => turn(evCustomToolCall(callId, "apply_patch", `*** Begin Patch\n${body}\n*** End Patch`));
const itemOf = (m: Json) => (m["params"] as Json)["item"] as Json;

interface Setup {
  d: RawDaemon;
  mock: MockResponses;
  cwd: string;
  outside: string;
  /** Every file under `outside`, with content. */
  outsideFiles(): Record<string, string>;
  startTurn(): Promise<string>;
  approval(itemId: string): Promise<Json>;
  answer(req: Json, decision: string): void;
  itemCompleted(itemId: string): Promise<Json>;
  turnCompleted(turnId: string): Promise<Json>;
  outputFor(callId: string): string | null;
}

async function setup(policy: string, script: ScriptEntry[], tmpIsRoot = false): Promise<Setup> {
  const home = tempHome("gatehouse-confine");
  const mock = await startMockResponses({ script });
  const cwd = join(home.base, "cwd");
  const outside = join(home.base, "outside");
  mkdirSync(cwd);
  mkdirSync(outside);
  writeFileSync(join(outside, "victim.txt"), "secret\n");
  const tables = `[sandbox_workspace_write]\nexclude_slash_tmp = ${!tmpIsRoot}\nexclude_tmpdir_env_var = ${!tmpIsRoot}`;
  const config = mockDaemonConfig(mock.baseUrl, { approvalPolicy: policy, sandboxMode: "workspace-write", tables });
  const d = startDaemon({ home, config });
  cleanups.push(async () => {
    await d.stop();
    await mock.close();
    home.cleanup();
  });
  await d.initialize();
  const started = await d.request("thread/start", { cwd, approvalPolicy: policy, sandbox: "workspace-write" });
  if (!("result" in started)) throw new Error(`thread/start failed: ${JSON.stringify(started)}`);
  const threadId = (started["result"] as { thread: { id: string } }).thread.id;
  return {
    d,
    mock,
    cwd,
    outside,
    outsideFiles: () => Object.fromEntries(readdirSync(outside, { recursive: true, encoding: "utf8" }).map((f) => [f, readFileSync(join(outside, f), "utf8")])),
    async startTurn() {
      const r = await d.request("turn/start", { threadId, input: [{ type: "text", text: "go" }] });
      return (r["result"] as { turn: { id: string } }).turn.id;
    },
    approval: (itemId) => d.waitFor((m) => m["method"] === "item/fileChange/requestApproval" && "id" in m && (m["params"] as Json)["itemId"] === itemId, 15_000),
    answer: (req, decision) => d.sendJson({ id: req["id"] as number, result: { decision } }),
    itemCompleted: (itemId) => d.waitFor((m) => m["method"] === "item/completed" && itemOf(m)["id"] === itemId, 15_000),
    turnCompleted: (turnId) => d.waitFor((m) => m["method"] === "turn/completed" && ((m["params"] as Json)["turn"] as Json)["id"] === turnId, 15_000),
    outputFor(callId) {
      for (const r of mock.responsesRequests()) {
        const out = ((r.body?.["input"] ?? []) as Json[]).find((i) => i["type"] === "custom_tool_call_output" && i["call_id"] === callId);
        if (out) return String(out["output"]);
      }
      return null;
    },
  };
}

describe("patches through a symlink (on-request, workspace-write)", () => {
  it("a symlinked folder, a symlinked file, a Move to through a link and a link into .git all ask; declined, nothing changes", async () => {
    const s = await setup("on-request", [
      patch("folder", "*** Update File: lnk/victim.txt\n@@\n-secret\n+pwned\n*** Add File: lnk/new.txt\n+new"),
      patch("file", "*** Update File: file.txt\n@@\n-secret\n+pwned"),
      patch("move", "*** Update File: a.txt\n*** Move to: lnk/moved.txt\n@@\n-a\n+b"),
      // Inside the workspace, but into .git by another name: protected names count on the canonical path.
      patch("protected", "*** Add File: innocent/hooks/pre-commit\n+evil"),
      turn(evMessage("m1", "done")),
    ]);
    symlinkSync(s.outside, join(s.cwd, "lnk"));
    mkdirSync(join(s.cwd, ".git"));
    symlinkSync(join(s.cwd, ".git"), join(s.cwd, "innocent"));
    symlinkSync(join(s.outside, "victim.txt"), join(s.cwd, "file.txt"));
    writeFileSync(join(s.cwd, "a.txt"), "a\n");
    const turnId = await s.startTurn();
    const folder = await s.approval("folder");
    // The reason names where the paths really go, since the item shows them as written.
    expect((folder["params"] as Json)["reason"]).toBe(`through a symbolic link: lnk/victim.txt resolves to ${s.outside}/victim.txt; lnk/new.txt resolves to ${s.outside}/new.txt`);
    s.answer(folder, "decline");
    s.answer(await s.approval("file"), "decline");
    s.answer(await s.approval("move"), "decline");
    s.answer(await s.approval("protected"), "decline");
    for (const id of ["folder", "file", "move", "protected"]) expect(itemOf(await s.itemCompleted(id))["status"]).toBe("declined");
    await s.turnCompleted(turnId);
    expect(s.outsideFiles()).toEqual({ "victim.txt": "secret\n" });
    expect(readdirSync(join(s.cwd, ".git"))).toEqual([]);
    expect(readFileSync(join(s.cwd, "a.txt"), "utf8")).toBe("a\n");
  });

  it("approved, the patch writes the link's destination it was approved for; `..` after a link stays in the workspace unasked", async () => {
    const s = await setup("on-request", [
      patch("out", "*** Add File: lnk/new.txt\n+new"),
      patch("dotdot", "*** Add File: lnk/../escape.txt\n+x"),
      // Deleting a link deletes the link: judged and removed as itself, not as the .git file it names.
      patch("unlink", "*** Delete File: innocent"),
      turn(evMessage("m1", "done")),
    ]);
    symlinkSync(s.outside, join(s.cwd, "lnk"));
    mkdirSync(join(s.cwd, ".git"));
    writeFileSync(join(s.cwd, ".git", "config"), "[core]\n");
    symlinkSync(join(s.cwd, ".git", "config"), join(s.cwd, "innocent"));
    const turnId = await s.startTurn();
    s.answer(await s.approval("out"), "accept");
    expect(itemOf(await s.itemCompleted("out"))["status"]).toBe("completed");
    expect(itemOf(await s.itemCompleted("dotdot"))["status"]).toBe("completed");
    expect(itemOf(await s.itemCompleted("unlink"))["status"]).toBe("completed");
    expect(existsSync(join(s.cwd, "innocent"))).toBe(false);
    expect(readFileSync(join(s.cwd, ".git", "config"), "utf8")).toBe("[core]\n");
    await s.turnCompleted(turnId);
    expect(s.d.messages.filter((m) => m["method"] === "item/fileChange/requestApproval").map((m) => (m["params"] as Json)["itemId"])).toEqual(["out"]);
    expect(s.outsideFiles()).toEqual({ "new.txt": "new\n", "victim.txt": "secret\n" });
    expect(readFileSync(join(s.cwd, "escape.txt"), "utf8")).toBe("x\n");
  });
});

describe("a folder swapped for a symlink while the approval is pending (untrusted)", () => {
  it("the approved write fails instead of following the link; nothing outside or in the moved folder changes", async () => {
    const s = await setup("untrusted", [patch("p1", "*** Update File: sub/victim.txt\n@@\n-mine\n+patched\n*** Add File: sub/new.txt\n+new"), turn(evMessage("m1", "done"))]);
    mkdirSync(join(s.cwd, "sub"));
    writeFileSync(join(s.cwd, "sub", "victim.txt"), "mine\n");
    const turnId = await s.startTurn();
    const req = await s.approval("p1");
    renameSync(join(s.cwd, "sub"), join(s.cwd, "sub.old"));
    symlinkSync(s.outside, join(s.cwd, "sub"));
    s.answer(req, "accept");
    expect(itemOf(await s.itemCompleted("p1"))["status"]).toBe("failed");
    await s.turnCompleted(turnId);
    expect(s.outputFor("p1")).toBe(`Failed to write file ${s.cwd}/sub/victim.txt: refusing to follow a symbolic link at ${s.cwd}/sub (it changed after the patch was checked)`);
    expect(s.outsideFiles()).toEqual({ "victim.txt": "secret\n" });
    expect(readdirSync(join(s.cwd, "sub.old"))).toEqual(["victim.txt"]);
    expect(readFileSync(join(s.cwd, "sub.old", "victim.txt"), "utf8")).toBe("mine\n");
  });
});

describe("a workspace inside another writable root (/tmp)", () => {
  it("its .git is protected all the same: under never the patch fails and writes nothing, as 0.169 refuses it", async () => {
    const s = await setup("never", [patch("hook", "*** Add File: .git/hooks/post-checkout\n+evil"), patch("ok", "*** Add File: fine.txt\n+fine"), turn(evMessage("m1", "done"))], true);
    mkdirSync(join(s.cwd, ".git", "hooks"), { recursive: true });
    const turnId = await s.startTurn();
    expect(itemOf(await s.itemCompleted("hook"))["status"]).toBe("failed");
    expect(itemOf(await s.itemCompleted("ok"))["status"]).toBe("completed");
    await s.turnCompleted(turnId);
    expect(readdirSync(join(s.cwd, ".git", "hooks"))).toEqual([]);
    expect(readFileSync(join(s.cwd, "fine.txt"), "utf8")).toBe("fine\n");
    expect(s.outputFor("hook")).toMatch(/outside the sandbox's writable roots \(or into a protected path such as \.git\)/);
  });
});
