// Parallel tool calls end to end on the real daemon (real bubblewrap, a scripted model on loopback):
// the calls of one response run concurrently, each through its own approval and sandbox, and their
// outputs reach the model in call order. As observed on 0.169.0: `parallel_tool_calls: true` for every
// model family; the items of concurrent calls start and complete as each call gets there; both approval
// requests are out before either is answered. No wall-clock bounds: overlap is read from the items'
// `startedAtMs` / `completedAtMs`, and completion order is forced by the commands themselves.
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startDaemon, type Json, type RawDaemon } from "../helpers/daemon.js";
import { tempHome } from "../helpers/home.js";
import {
  evCustomToolCall,
  evFunctionCall,
  evMessage,
  mockDaemonConfig,
  startMockResponses,
  turn,
  type MockResponses,
  type ScriptEntry,
} from "../helpers/mockResponses.js";
import { isNotification, itemAs, statusOf, type NamedApprovalPolicy, type Notification, type ThreadItem } from "../helpers/protocol.js";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const config = (baseUrl: string, model: string, approvalPolicy: string): string =>
  mockDaemonConfig(baseUrl, { model, approvalPolicy, sandboxMode: "workspace-write" });

const exec = (callId: string, cmd: string) => evFunctionCall(callId, "exec_command", { cmd });
const shellArgv = (callId: string, script: string) => evFunctionCall(callId, "shell", { command: ["bash", "-c", script] });
const say = (text: string) => turn(evMessage(`m_${text.length}`, text));

interface Setup {
  d: RawDaemon;
  mock: MockResponses;
  cwd: string;
  threadId: string;
  startTurn(text?: string): Promise<string>;
  turnCompleted(turnId: string): Promise<Notification<"turn/completed">>;
}

async function setup(script: ScriptEntry[], opts: { model?: string; policy?: NamedApprovalPolicy } = {}): Promise<Setup> {
  const home = tempHome("gatehouse-parallel");
  const mock = await startMockResponses({ script });
  const cwd = join(home.base, "cwd");
  mkdirSync(cwd);
  const policy = opts.policy ?? "never";
  const d = startDaemon({ home, config: config(mock.baseUrl, opts.model ?? "gpt-5.5", policy) });
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
    threadId,
    async startTurn(text = "go") {
      return (await d.result("turn/start", { threadId, input: [{ type: "text", text }] })).turn.id;
    },
    turnCompleted: (turnId) => d.notification("turn/completed", (p) => p.turn.id === turnId, { timeoutMs: 30_000 }),
  };
}

const itemEvents = (d: RawDaemon, method: "item/started" | "item/completed", id: string) => d.messages.filter(isNotification(method, (p) => p.item.id === id));
const completedItem = (d: RawDaemon, id: string): ThreadItem => {
  const done = itemEvents(d, "item/completed", id);
  expect(done).toHaveLength(1);
  const [only] = done;
  if (!only) throw new Error(`no item/completed for ${id}`);
  return only.params.item;
};
/** A time the item must have recorded. */
const ms = (at: number | null | undefined): number => {
  if (typeof at !== "number") throw new Error("the item has no recorded time");
  return at;
};

/** The call items and outputs of a request's input, in order: `fc:<id>` and `out:<id>`. */
function callTrail(body: Record<string, unknown> | null): string[] {
  const input = (body?.["input"] ?? []) as Json[];
  return input.flatMap((i) =>
    i["type"] === "function_call" ? [`fc:${String(i["call_id"])}`] : i["type"] === "function_call_output" ? [`out:${String(i["call_id"])}`] : [],
  );
}
function outputOf(body: Record<string, unknown> | null, callId: string): string {
  const input = (body?.["input"] ?? []) as Json[];
  const out = input.find((i) => i["type"] === "function_call_output" && i["call_id"] === callId);
  return String(out?.["output"] ?? "");
}

describe("parallel tool calls", () => {
  it.each([
    { family: "unified exec (gpt-5.5, exec_command)", model: "gpt-5.5", call: exec },
    { family: "shell argv (o3, shell)", model: "o3", call: (id: string, s: string) => shellArgv(id, s) },
  ])("$family: the request says parallel_tool_calls: true and two `sleep 1` calls overlap", async ({ model, call }) => {
    const s = await setup([turn(call("a", "sleep 1; echo a"), call("b", "sleep 1; echo b")), say("done")], { model });
    const turnId = await s.startTurn();
    const done = await s.turnCompleted(turnId);
    expect(done.params.turn.status).toBe("completed");
    const [first, second] = s.mock.responsesRequests();
    // As 0.169.0 sends it for this model (observed for gpt-5.5, gpt-5.1-codex, o3, gpt-4.1, qwen3-coder).
    expect(first?.body?.["parallel_tool_calls"]).toBe(true);
    const a = completedItem(s.d, "a");
    const b = completedItem(s.d, "b");
    expect(statusOf(a)).toBe("completed");
    expect(statusOf(b)).toBe("completed");
    // Overlap: each started before the other completed. One at a time, b would start after a completed.
    expect(ms(b.startedAtMs)).toBeLessThan(ms(a.completedAtMs));
    expect(ms(a.startedAtMs)).toBeLessThan(ms(b.completedAtMs));
    expect(callTrail(second?.body ?? null)).toEqual(["fc:a", "fc:b", "out:a", "out:b"]);
    expect(outputOf(second?.body ?? null, "a")).toMatch(/\ba(\n|\\n)/);
    expect(outputOf(second?.body ?? null, "b")).toMatch(/\bb(\n|\\n)/);
  });

  it("outputs reach the model in call order although the second call finished first", async () => {
    // `a` cannot finish before `b` has written b.done, and then waits half a second more, so that b's
    // exit has been reaped and its item completed first (without that margin a, polling at once, could
    // overtake b's completion: a flake seen 3 times in 10): the completion order is b, a by construction
    // (and, run one at a time, `a` would give up and say so instead of printing "a").
    const waitForB = "for i in $(seq 1 200); do [ -f b.done ] && break; sleep 0.05; done; [ -f b.done ] && sleep 0.5 && echo a || echo a-gave-up";
    const s = await setup([turn(exec("a", waitForB), exec("b", "touch b.done; echo b")), say("done")]);
    const turnId = await s.startTurn();
    await s.turnCompleted(turnId);
    const a = completedItem(s.d, "a");
    const b = completedItem(s.d, "b");
    expect(itemAs(a, "commandExecution").aggregatedOutput).toMatch(/^a$/m);
    const completions = s.d.messages.filter(isNotification("item/completed", (p) => p.item.type === "commandExecution")).map((m) => m.params.item.id);
    expect(completions).toEqual(["b", "a"]);
    expect(ms(b.completedAtMs)).toBeLessThanOrEqual(ms(a.completedAtMs));
    const second = s.mock.responsesRequests()[1]?.body ?? null;
    expect(callTrail(second)).toEqual(["fc:a", "fc:b", "out:a", "out:b"]);
    expect(outputOf(second, "a")).toMatch(/^a$/m);
    expect(outputOf(second, "b")).toMatch(/^b$/m);
    // The rollout holds the same order (thread/resume would rebuild it from there).
    const read = await s.d.result("thread/read", { threadId: s.threadId, includeTurns: true });
    const items = read.thread.turns[0]?.items ?? [];
    expect(
      items
        .filter((i) => i.type === "commandExecution")
        .map((i) => i.id)
        .sort(),
    ).toEqual(["a", "b"]);
  });

  it("apply_patch runs alone (0.169 gives it no parallel support): it starts only once the command before it has completed", async () => {
    const patch = "*** Begin Patch\n*** Add File: p.txt\n+patched\n*** End Patch\n";
    const s = await setup([turn(exec("a", "sleep 0.5; echo a"), evCustomToolCall("p", "apply_patch", patch)), say("done")]);
    const turnId = await s.startTurn();
    await s.turnCompleted(turnId);
    const a = completedItem(s.d, "a");
    const p = completedItem(s.d, "p");
    expect(p).toMatchObject({ type: "fileChange", status: "completed" });
    expect(ms(p.startedAtMs)).toBeGreaterThanOrEqual(ms(a.completedAtMs));
    expect(readFileSync(join(s.cwd, "p.txt"), "utf8")).toBe("patched\n");
  });

  it("turn/interrupt while two calls run ends both: the turn is interrupted, no process survives, and the model later reads both as aborted, in call order", async () => {
    const s = await setup([turn(exec("a", "sleep 41.25"), exec("b", "sleep 41.75")), say("after")]);
    const turnId = await s.startTurn();
    // Both running at once: each item started, neither completed.
    await s.d.notification("item/started", (p) => p.item.id === "a", { timeoutMs: 15_000 });
    await s.d.notification("item/started", (p) => p.item.id === "b", { timeoutMs: 15_000 });
    await waitForProcesses(["41.25", "41.75"]);
    expect(itemEvents(s.d, "item/completed", "a")).toHaveLength(0);
    const r = await s.d.request("turn/interrupt", { threadId: s.threadId, turnId });
    expect(r.result).toEqual({});
    const done = await s.turnCompleted(turnId);
    expect(done.params.turn.status).toBe("interrupted");
    // Each call's item completes once (none is left dangling), neither as a success.
    for (const id of ["a", "b"]) expect(statusOf(completedItem(s.d, id))).not.toBe("completed");
    await waitForProcesses([], ["41.25", "41.75"]);
    expect(s.mock.responsesRequests()).toHaveLength(1);
    const next = await s.startTurn("again");
    await s.turnCompleted(next);
    const body = s.mock.responsesRequests()[1]?.body ?? null;
    expect(callTrail(body)).toEqual(["fc:a", "fc:b", "out:a", "out:b"]);
    expect(outputOf(body, "a")).toBe("aborted");
    expect(outputOf(body, "b")).toBe("aborted");
  });

  it("untrusted: both approvals are asked before either is answered, and each answer reaches its own call", async () => {
    const s = await setup([turn(exec("a", "touch a.txt"), exec("b", "touch b.txt")), say("done")], { policy: "untrusted" });
    const turnId = await s.startTurn();
    const approval = (id: string) => s.d.serverRequest("item/commandExecution/requestApproval", (p) => p.itemId === id, { timeoutMs: 15_000 });
    const reqA = await approval("a");
    const reqB = await approval("b");
    // Answer in the opposite order: b accepted, then a declined.
    s.d.respond(reqB, { decision: "accept" });
    const bDone = await s.d.notification("item/completed", (p) => p.item.id === "b", { timeoutMs: 15_000 });
    expect(bDone.params.item).toMatchObject({ status: "completed", exitCode: 0 });
    // `a` is still waiting for its own answer: b's did not release it.
    expect(itemEvents(s.d, "item/completed", "a")).toHaveLength(0);
    s.d.respond(reqA, { decision: "decline" });
    const done = await s.turnCompleted(turnId);
    expect(done.params.turn.status).toBe("completed");
    expect(statusOf(completedItem(s.d, "a"))).toBe("declined");
    expect(existsSync(join(s.cwd, "b.txt"))).toBe(true);
    expect(existsSync(join(s.cwd, "a.txt"))).toBe(false);
    const body = s.mock.responsesRequests()[1]?.body ?? null;
    expect(callTrail(body)).toEqual(["fc:a", "fc:b", "out:a", "out:b"]);
    expect(outputOf(body, "a")).toContain("rejected by user");
    expect(outputOf(body, "b")).not.toContain("rejected");
  });

  it("cancel answered to one approval ends the turn: the other, already running, call ends too and nothing more is sampled", async () => {
    const s = await setup([turn(exec("a", "touch a.started; sleep 42.5"), exec("b", "touch b.txt")), say("never sampled")], { policy: "untrusted" });
    const turnId = await s.startTurn();
    const approval = (id: string) => s.d.serverRequest("item/commandExecution/requestApproval", (p) => p.itemId === id, { timeoutMs: 15_000 });
    const reqA = await approval("a");
    const reqB = await approval("b");
    s.d.respond(reqA, { decision: "accept" });
    await waitForProcesses(["42.5"]);
    s.d.respond(reqB, { decision: "cancel" });
    const done = await s.turnCompleted(turnId);
    expect(done.params.turn.status).toBe("interrupted");
    expect(statusOf(completedItem(s.d, "b"))).toBe("declined");
    expect(statusOf(completedItem(s.d, "a"))).not.toBe("completed");
    await waitForProcesses([], ["42.5"]);
    expect(existsSync(join(s.cwd, "a.started"))).toBe(true);
    expect(existsSync(join(s.cwd, "b.txt"))).toBe(false);
    expect(s.mock.responsesRequests()).toHaveLength(1);
  });
});

/** The command lines of this machine's `sleep` processes (read from /proc; nothing is signalled). */
function sleepArgs(): string[] {
  const out: string[] = [];
  for (const pid of readdirProc()) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      if (argv[0]?.endsWith("sleep") && argv[1] !== undefined) out.push(argv[1]);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}
function readdirProc(): string[] {
  return readdirSync("/proc").filter((n) => /^\d+$/.test(n));
}

/** Waits until each of `present` is a running `sleep` argument and none of `absent` is (polling /proc). */
async function waitForProcesses(present: string[], absent: string[] = []): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const args = sleepArgs();
    if (present.every((p) => args.includes(p)) && absent.every((a) => !args.includes(a))) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`sleep processes: wanted ${JSON.stringify(present)} running and ${JSON.stringify(absent)} gone; have ${JSON.stringify(sleepArgs())}`);
}
