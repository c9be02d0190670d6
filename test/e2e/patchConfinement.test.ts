// Patches and symlinks on the real daemon: a workspace symlink out of the writable roots
// makes the patch ask, as any write outside them does, and a directory swapped for a symlink while
// the approval is pending cannot redirect the approved write. The workspace is the only writable root
// (/tmp and $TMPDIR excluded, since the test's folders live under /tmp). No timing assertions.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startDaemon, type Json, type RawDaemon } from "../helpers/daemon.js";
import { tempHome } from "../helpers/home.js";
import { evCustomToolCall, evMessage, mockDaemonConfig, startMockResponses, turn, type MockResponses, type ScriptEntry } from "../helpers/mockResponses.js";
import {
  isServerRequest,
  type NamedApprovalPolicy,
  type Notification,
  type ServerRequest,
  type ServerRequestResult,
  type ThreadItem,
} from "../helpers/protocol.js";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const patch = (callId: string, body: string) => turn(evCustomToolCall(callId, "apply_patch", `*** Begin Patch\n${body}\n*** End Patch`));
type Approval = ServerRequest<"item/fileChange/requestApproval">;

interface Setup {
  d: RawDaemon;
  mock: MockResponses;
  cwd: string;
  outside: string;
  /** Every file under `outside`, with content. */
  outsideFiles(): Record<string, string>;
  startTurn(): Promise<string>;
  approval(itemId: string): Promise<Approval>;
  answer(req: Approval, decision: ServerRequestResult<"item/fileChange/requestApproval">["decision"]): void;
  /** The completed item. */
  itemCompleted(itemId: string): Promise<ThreadItem>;
  turnCompleted(turnId: string): Promise<Notification<"turn/completed">>;
  outputFor(callId: string): string | null;
}

async function setup(policy: NamedApprovalPolicy, script: ScriptEntry[], tmpIsRoot = false): Promise<Setup> {
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
  const threadId = (await d.result("thread/start", { cwd, approvalPolicy: policy, sandbox: "workspace-write" })).thread.id;
  return {
    d,
    mock,
    cwd,
    outside,
    outsideFiles: () => Object.fromEntries(readdirSync(outside, { recursive: true, encoding: "utf8" }).map((f) => [f, readFileSync(join(outside, f), "utf8")])),
    async startTurn() {
      return (await d.result("turn/start", { threadId, input: [{ type: "text", text: "go" }] })).turn.id;
    },
    approval: (itemId) => d.serverRequest("item/fileChange/requestApproval", (p) => p.itemId === itemId, { timeoutMs: 15_000 }),
    answer: (req, decision) => d.respond(req, { decision }),
    itemCompleted: async (itemId) => (await d.notification("item/completed", (p) => p.item.id === itemId, { timeoutMs: 15_000 })).params.item,
    turnCompleted: (turnId) => d.notification("turn/completed", (p) => p.turn.id === turnId, { timeoutMs: 15_000 }),
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
    expect(folder.params.reason).toBe(
      `through a symbolic link: lnk/victim.txt resolves to ${s.outside}/victim.txt; lnk/new.txt resolves to ${s.outside}/new.txt`,
    );
    s.answer(folder, "decline");
    s.answer(await s.approval("file"), "decline");
    s.answer(await s.approval("move"), "decline");
    s.answer(await s.approval("protected"), "decline");
    for (const id of ["folder", "file", "move", "protected"]) expect(await s.itemCompleted(id)).toMatchObject({ status: "declined" });
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
    expect(await s.itemCompleted("out")).toMatchObject({ status: "completed" });
    expect(await s.itemCompleted("dotdot")).toMatchObject({ status: "completed" });
    expect(await s.itemCompleted("unlink")).toMatchObject({ status: "completed" });
    expect(existsSync(join(s.cwd, "innocent"))).toBe(false);
    expect(readFileSync(join(s.cwd, ".git", "config"), "utf8")).toBe("[core]\n");
    await s.turnCompleted(turnId);
    expect(s.d.messages.filter(isServerRequest("item/fileChange/requestApproval")).map((m) => m.params.itemId)).toEqual(["out"]);
    expect(s.outsideFiles()).toEqual({ "new.txt": "new\n", "victim.txt": "secret\n" });
    expect(readFileSync(join(s.cwd, "escape.txt"), "utf8")).toBe("x\n");
  });
});

describe("a folder swapped for a symlink while the approval is pending (untrusted)", () => {
  it("the approved write fails instead of following the link; nothing outside or in the moved folder changes", async () => {
    const s = await setup("untrusted", [
      patch("p1", "*** Update File: sub/victim.txt\n@@\n-mine\n+patched\n*** Add File: sub/new.txt\n+new"),
      turn(evMessage("m1", "done")),
    ]);
    mkdirSync(join(s.cwd, "sub"));
    writeFileSync(join(s.cwd, "sub", "victim.txt"), "mine\n");
    const turnId = await s.startTurn();
    const req = await s.approval("p1");
    renameSync(join(s.cwd, "sub"), join(s.cwd, "sub.old"));
    symlinkSync(s.outside, join(s.cwd, "sub"));
    s.answer(req, "accept");
    expect(await s.itemCompleted("p1")).toMatchObject({ status: "failed" });
    await s.turnCompleted(turnId);
    expect(s.outputFor("p1")).toBe(
      `Failed to write file ${s.cwd}/sub/victim.txt: refusing to follow a symbolic link at ${s.cwd}/sub (it changed after the patch was checked)`,
    );
    expect(s.outsideFiles()).toEqual({ "victim.txt": "secret\n" });
    expect(readdirSync(join(s.cwd, "sub.old"))).toEqual(["victim.txt"]);
    expect(readFileSync(join(s.cwd, "sub.old", "victim.txt"), "utf8")).toBe("mine\n");
  });
});

describe("a workspace inside another writable root (/tmp)", () => {
  it("its .git is protected all the same: under never the patch fails and writes nothing, as 0.169 refuses it", async () => {
    const s = await setup(
      "never",
      [patch("hook", "*** Add File: .git/hooks/post-checkout\n+evil"), patch("ok", "*** Add File: fine.txt\n+fine"), turn(evMessage("m1", "done"))],
      true,
    );
    mkdirSync(join(s.cwd, ".git", "hooks"), { recursive: true });
    const turnId = await s.startTurn();
    expect(await s.itemCompleted("hook")).toMatchObject({ status: "failed" });
    expect(await s.itemCompleted("ok")).toMatchObject({ status: "completed" });
    await s.turnCompleted(turnId);
    expect(readdirSync(join(s.cwd, ".git", "hooks"))).toEqual([]);
    expect(readFileSync(join(s.cwd, "fine.txt"), "utf8")).toBe("fine\n");
    expect(s.outputFor("hook")).toMatch(/outside the sandbox's writable roots \(or into a protected path such as \.git\)/);
  });
});
