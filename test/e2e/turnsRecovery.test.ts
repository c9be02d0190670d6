// Turns that do not go to plan: an interrupt in the middle of a command whose process tree
// double-forks, model retries (500, dropped stream, exhaustion), a context-window error, and a
// `kill -9` of the daemon mid-turn followed by a restart on the same home.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { isNotification } from "../helpers/protocol.js";
import { dropAfter, evCreated, evFunctionCall, evMessage, hang, httpError, turn } from "../helpers/mockResponses.js";
import { checkTraffic, cleanupAll, inputOf, isNote, items, ok, params, runTurn, session, startThread, startTurn, waitTurnCompleted } from "./turnsHarness.js";

afterEach(cleanupAll);

async function eventually(check: () => boolean, what: () => string, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`not within ${timeoutMs} ms: ${what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Live (non-zombie) processes whose argv is exactly `marker`, found through the host's
 * /proc: a sandboxed command runs in its own pid namespace, so the pids it reports for itself mean
 * nothing out here.
 */
function withMarker(marker: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const argv = readFileSync(`/proc/${name}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
      if (argv !== marker) continue;
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      if (stat[stat.lastIndexOf(")") + 2] === "Z") continue;
      found.push(Number(name));
    } catch {
      // gone between readdir and read
    }
  }
  return found;
}

async function waitPids(file: string, n: number): Promise<string[]> {
  let pids: string[] = [];
  await eventually(
    () => {
      pids = existsSync(file) ? readFileSync(file, "utf8").split(/\s+/).filter(Boolean) : [];
      return pids.length >= n;
    },
    () => `${n} pids in ${file}, got ${pids.join(",")}`,
    10_000,
  );
  return pids;
}

/**
 * The shell writes its pid, starts a child that detaches a grandchild (a double fork: `( … & )`, so
 * the grandchild is reparented away from the shell), and runs a second child in the foreground; each
 * writes its pid and sleeps far longer than the test. The odd sleep length marks them in /proc.
 */
const doubleFork = (secs: string) => `echo $$ >> pids; ( sh -c 'echo $$ >> pids; exec sleep ${secs}' & ); sh -c 'echo $$ >> pids; exec sleep ${secs}'`;

describe("interrupt mid-command", () => {
  for (const sandbox of ["workspace-write", "danger-full-access"] as const) {
    it(`kills the whole process tree, completes the item and tells the model it was aborted (${sandbox})`, async () => {
      const secs = `${3000 + Math.floor(Math.random() * 1000)}.${process.pid % 1000}`;
      const marker = `sleep ${secs}`;
      const s = await session(
        [turn(evFunctionCall("call_tree", "exec_command", { cmd: doubleFork(secs), yield_time_ms: 30_000 })), turn(evMessage("msg_next", "next turn"))],
        { sandbox },
      );
      const d = s.daemon;
      const threadId = await startThread(d, s.cwd);
      const { turnId, from } = await startTurn(d, threadId, "run the tree");
      await waitPids(join(s.cwd, "pids"), 3);
      await eventually(
        () => withMarker(marker).length === 2,
        () => `two "${marker}" processes, got ${withMarker(marker).join(",")}`,
      );

      ok(await d.request("turn/interrupt", { threadId, turnId }));
      const done = await waitTurnCompleted(d, turnId, from);
      expect(done.status).toBe("interrupted");
      await eventually(
        () => withMarker(marker).length === 0,
        () => `no survivors, but ${withMarker(marker).join(",")} still run "${marker}"`,
      );

      const notes = d.messages.slice(from);
      const started = items(notes, "item/started", "commandExecution");
      const completed = items(notes, "item/completed", "commandExecution");
      const trace = () =>
        notes.map((m) => `${String(m["method"] ?? `#${String(m["id"])}`)} ${JSON.stringify(params(m)["item"] ?? "").slice(0, 300)}`).join("\n");
      expect(
        started.map((i) => i.id),
        trace(),
      ).toEqual(["call_tree"]);
      expect(completed).toHaveLength(1);
      expect(completed[0]?.status).toBe("failed");
      // completed before the turn says it is over
      const iDone = notes.findIndex(isNotification("item/completed", (p) => p.item.id === "call_tree"));
      const iTurn = notes.findIndex(isNotification("turn/completed"));
      expect(iDone).toBeLessThan(iTurn);

      const next = await runTurn(d, threadId, "carry on");
      expect(next.turn.status).toBe("completed");
      const out = inputOf(s.mock, 1).find((i) => i["type"] === "function_call_output" && i["call_id"] === "call_tree");
      expect(out, JSON.stringify(inputOf(s.mock, 1))).toBeDefined();
      expect(String(out!["output"])).toContain("aborted");
      checkTraffic(d, `interrupt-${sandbox}`);
    });
  }
});

describe("model retries", () => {
  it("retries a 500 at the request layer with no error notification", async () => {
    const s = await session([httpError(500), turn(evMessage("msg_ok", "after 500"))], { requestMaxRetries: 1 });
    const d = s.daemon;
    const threadId = await startThread(d, s.cwd);
    const t = await runTurn(d, threadId, "hi");
    expect(t.turn.status).toBe("completed");
    expect(s.mock.responsesRequests()).toHaveLength(2);
    expect(d.messages.filter(isNote("error", threadId))).toEqual([]);
    expect(items(t.notes, "item/completed", "agentMessage").map((i) => i.text)).toEqual(["after 500"]);
  });

  it("reconnects after a dropped stream with a willRetry notice, then completes", async () => {
    const s = await session([dropAfter(evCreated(), evMessage("msg_partial", "lost").slice(0, 3)), turn(evMessage("msg_ok", "after drop"))], {
      streamMaxRetries: 2,
    });
    const d = s.daemon;
    const threadId = await startThread(d, s.cwd);
    const t = await runTurn(d, threadId, "hi");
    expect(t.turn.status).toBe("completed");
    const errors = d.messages.filter(isNote("error", threadId)).map((m) => m.params);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      willRetry: true,
      turnId: t.turnId,
      error: { message: "Reconnecting... 1/2", codexErrorInfo: { responseStreamDisconnected: {} } },
    });
    // the same input re-sent
    expect(inputOf(s.mock, 1)).toEqual(inputOf(s.mock, 0));
    const texts = items(t.notes, "item/completed", "agentMessage").map((i) => i.text);
    expect(texts).toEqual(["after drop"]);
    checkTraffic(d, "dropped-stream");
  });

  it("fails the turn with willRetry:false once the retries are exhausted", async () => {
    const s = await session([httpError(500), httpError(500), httpError(500), httpError(500)], { requestMaxRetries: 1, streamMaxRetries: 1 });
    const d = s.daemon;
    const threadId = await startThread(d, s.cwd);
    const t = await runTurn(d, threadId, "hi");
    expect(t.turn.status).toBe("failed");
    expect(s.mock.responsesRequests()).toHaveLength(4);
    const errors = d.messages.filter(isNote("error", threadId)).map((m) => m.params);
    expect(errors.map((e) => e.willRetry)).toEqual([true, false]);
    expect(errors.at(-1)).toMatchObject({ error: { codexErrorInfo: "internalServerError" } });
    expect(t.turn.error).toMatchObject({ codexErrorInfo: "internalServerError" });
    checkTraffic(d, "exhausted");
  });

  it("does not retry a context-window error and reports contextWindowExceeded", async () => {
    const s = await session(
      [
        httpError(400, {
          error: { code: "context_length_exceeded", type: "invalid_request_error", message: "Your input exceeds the context window of this model." },
        }),
      ],
      { requestMaxRetries: 2, streamMaxRetries: 2 },
    );
    const d = s.daemon;
    const threadId = await startThread(d, s.cwd);
    const t = await runTurn(d, threadId, "a lot");
    expect(t.turn.status).toBe("failed");
    expect(t.turn.error).toMatchObject({ codexErrorInfo: "contextWindowExceeded" });
    expect(s.mock.responsesRequests()).toHaveLength(1);
    const errors = d.messages.filter(isNote("error", threadId)).map((m) => m.params);
    expect(errors.map((e) => e.willRetry)).toEqual([false]);
  });
});

describe("kill -9 mid-turn, then restart on the same home", () => {
  it("keeps every completed item, reads the cut-off turn back as interrupted, and runs a new turn", async () => {
    const s = await session([
      turn(evMessage("msg_one", "turn one answer")),
      // turn two: a command that completes, then a model stream that never finishes
      turn(evFunctionCall("call_echo", "exec_command", { cmd: "echo survived", yield_time_ms: 5_000 })),
      hang(evCreated(), ...evMessage("msg_cut", "never finished").slice(0, 3)),
      turn(evMessage("msg_three", "after restart")),
    ]);
    const d = s.daemon;
    const threadId = await startThread(d, s.cwd);
    const t1 = await runTurn(d, threadId, "one");
    expect(t1.turn.status).toBe("completed");
    const { turnId: t2, from } = await startTurn(d, threadId, "two");
    await s.mock.waitForRequests(3);
    await d.notification("item/agentMessage/delta", (p) => p.turnId === t2, { from, timeoutMs: 10_000 });
    const reported = d.messages.filter(isNotification("item/completed")).map((m) => m.params.item);
    expect(reported.map((i) => i.type)).toEqual(["userMessage", "agentMessage", "userMessage", "commandExecution"]);
    d.child.kill("SIGKILL");
    await new Promise((r) => d.child.once("exit", r));

    const d2 = await s.restart();
    const read = ok(await d2.request("thread/read", { threadId, includeTurns: true }));
    const turns = read.thread.turns;
    expect(turns.map((t) => t.id)).toEqual([t1.turnId, t2]);
    expect(turns.map((t) => t.status)).toEqual(["completed", "interrupted"]);
    const readItems = turns.flatMap((t) => t.items);
    for (const it of reported) {
      const found = readItems.find((x) => x.id === it.id && x.type === it.type);
      expect(found, `item ${it.type} ${it.id} after restart`).toBeDefined();
    }
    const cmd = readItems.find((x) => x.id === "call_echo");
    expect(cmd).toMatchObject({ type: "commandExecution", exitCode: 0, aggregatedOutput: expect.stringContaining("survived") });

    const resumed = ok(await d2.request("thread/resume", { threadId }));
    const rturns = resumed.thread.turns;
    expect(rturns.map((t) => [t.id, t.status])).toEqual([
      [t1.turnId, "completed"],
      [t2, "interrupted"],
    ]);
    const t3 = await runTurn(d2, threadId, "three");
    expect(t3.turn.status).toBe("completed");
    expect(items(t3.notes, "item/completed", "agentMessage").map((i) => i.text)).toEqual(["after restart"]);
    // the new request still carries the history from before the crash
    const texts = JSON.stringify(inputOf(s.mock, 3));
    expect(texts).toContain("turn one answer");
    expect(texts).toContain("call_echo");
    checkTraffic(d2, "after-restart");
  });
});
