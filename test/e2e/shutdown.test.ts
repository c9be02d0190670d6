// A pod's shutdown, end to end over WebSocket on the real daemon (issue 26): SIGTERM mid-turn and
// mid-approval drains the listener (/readyz 503, upgrades refused, /healthz still 200), ends the turn
// as turn/interrupt would, resolves the pending approval with serverRequest/resolved, closes the
// client with 1001 and exits 0; a restart on the same home resumes the thread with every completed
// item. Then what happens when the shutdown cannot finish: the grace runs out (exit 1, what was left
// logged, the process tree killed), or a second signal arrives (143 at once, the tree killed too).
// stdio's SIGTERM is faults.test.ts's.
//
// A shutdown is held for certain, without timing, by a command that ignores SIGTERM: the daemon kills
// a command's process group with SIGTERM and only 2 s later (spawn.ts DEFAULT_KILL_GRACE_MS) with
// SIGKILL, and the turn ends only once the tree is gone. Such commands run unsandboxed
// (danger-full-access): under bwrap the SIGTERM ends bwrap, and the sandbox dies with it at once.
// No timing assertions: every wait is for a message, a log line or an exit, bounded only so that a
// hang fails the test.
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { assertNoUnhandled, spawnListening } from "../helpers/daemon.js";
import { tempHome, type TempHome } from "../helpers/home.js";
import { evFunctionCall, evMessage, mockDaemonConfig, startMockResponses, turn, type MockResponses } from "../helpers/mockResponses.js";
import { isNotification, type ThreadItem, type Turn } from "../helpers/protocol.js";
import { SocketClient } from "../helpers/socketClient.js";
import { within } from "../helpers/within.js";
import { livePidsWith } from "../helpers/processes.js";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Generous: only a hang should ever reach it. */
const HANG_MS = 30_000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Daemon {
  child: ChildProcess;
  url: string;
  http: string;
  exited: Promise<number | string | null>;
  stderr(): string;
}

async function listen(home: TempHome, args: string[] = []): Promise<Daemon> {
  const { child, exited, url } = spawnListening(home, ["--listen", "ws://127.0.0.1:0", ...args]);
  let stderr = "";
  child.stderr?.on("data", (c: Buffer | string) => (stderr += String(c)));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await exited;
    }
  });
  const address = await url;
  return { child, url: address, http: address.replace("ws://", "http://"), exited, stderr: () => stderr };
}

async function setup(o: { script: Parameters<typeof startMockResponses>[0]; approvalPolicy?: string; sandboxMode: string; args?: string[] }): Promise<{
  home: TempHome;
  mock: MockResponses;
  daemon: Daemon;
  client: SocketClient;
  threadId: string;
  cwd: string;
  config: string;
}> {
  const home = tempHome("gatehouse-shutdown");
  cleanups.push(() => home.cleanup());
  const mock = await startMockResponses(o.script);
  cleanups.push(() => mock.close());
  const config = mockDaemonConfig(mock.baseUrl, { approvalPolicy: o.approvalPolicy ?? "never", sandboxMode: o.sandboxMode });
  home.writeConfig(config);
  const cwd = join(home.base, "cwd");
  mkdirSync(cwd);
  const daemon = await listen(home, o.args);
  const client = await SocketClient.ws(daemon.url);
  await client.init();
  const threadId = (await client.result("thread/start", { cwd })).thread.id;
  return { home, mock, daemon, client, threadId, cwd, config };
}

/** Starts a turn; resolves with its id. */
async function startTurn(client: SocketClient, threadId: string, text: string): Promise<string> {
  return (await client.result("turn/start", { threadId, input: [{ type: "text", text }] })).turn.id;
}

async function turnCompleted(client: SocketClient, turnId: string): Promise<Turn> {
  return (
    await client.waitFor(
      isNotification("turn/completed", (p) => p.turn.id === turnId),
      HANG_MS,
    )
  ).params.turn;
}

async function itemCompleted(client: SocketClient, itemId: string): Promise<ThreadItem> {
  return (
    await client.waitFor(
      isNotification("item/completed", (p) => p.item.id === itemId),
      HANG_MS,
    )
  ).params.item;
}

/** Waits until `check` holds, polling; throws with `what` after HANG_MS. */
async function until(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
  const end = Date.now() + HANG_MS;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`never: ${what}`);
    await sleep(20);
  }
}

/** Resolves once the command's sleep runs. */
async function running(marker: string): Promise<void> {
  await until(`sleep ${marker} runs`, () => livePidsWith(`sleep\0${marker}`).length > 0);
}

/**
 * A command that ignores SIGTERM, and the duration of its sleep: one no other process here uses, to
 * find it in /proc, longer than any wait of this file. A sleep a failed test left behind is killed.
 */
function stubbornSleep(): { marker: string; cmd: string } {
  const marker = `300.${String(process.pid).padStart(7, "0")}${Math.floor(Math.random() * 1000)}`;
  cleanups.push(() => {
    for (const pid of livePidsWith(`sleep\0${marker}`)) process.kill(pid, "SIGKILL");
  });
  return { marker, cmd: `trap '' TERM; sleep ${marker}` };
}

async function status(url: string): Promise<number> {
  return (await fetch(url)).status;
}

/** A new daemon on the same home: thread/resume's turns, with their items. */
async function resumed(home: TempHome, threadId: string): Promise<Turn[]> {
  const again = await listen(home);
  const client = await SocketClient.ws(again.url);
  await client.init();
  const { thread } = await client.result("thread/resume", { threadId });
  again.child.kill("SIGTERM");
  expect(await within(again.exited, HANG_MS, "the restarted daemon's exit")).toBe(0);
  return thread.turns;
}

const shape = (turns: Turn[]): Array<{ status: string; items: Array<[string, string | undefined]> }> =>
  turns.map((t) => ({
    status: t.status,
    items: t.items.map((i): [string, string | undefined] => [i.type, i.type === "agentMessage" ? i.text : "status" in i ? String(i.status) : undefined]),
  }));

describe("graceful shutdown over WebSocket", () => {
  it("SIGTERM mid-turn: /readyz 503 at once, upgrades refused, the turn ends interrupted, close frame 1001, exit 0, the tree gone; a restart resumes every completed item", async () => {
    const { marker, cmd } = stubbornSleep();
    const s = await setup({
      sandboxMode: "danger-full-access",
      script: {
        script: [
          turn(evMessage("msg_one", "the first answer")),
          turn(evMessage("msg_two", "starting the long command"), evFunctionCall("call_sleep", "exec_command", { cmd, yield_time_ms: 30_000 })),
        ],
      },
    });
    const first = await startTurn(s.client, s.threadId, "one");
    expect((await turnCompleted(s.client, first)).status).toBe("completed");
    const second = await startTurn(s.client, s.threadId, "two");
    const agent = await itemCompleted(s.client, "msg_two");
    expect(agent).toMatchObject({ type: "agentMessage", text: "starting the long command" });
    await running(marker);
    expect(await status(`${s.daemon.http}/readyz`)).toBe(200);

    s.daemon.child.kill("SIGTERM");
    // The command ignores SIGTERM, so the shutdown lasts until its SIGKILL: meanwhile the daemon
    // answers probes and refuses new clients.
    await until("/readyz answers 503", async () => (await status(`${s.daemon.http}/readyz`)) === 503);
    expect(s.daemon.child.exitCode).toBeNull();
    expect(await status(`${s.daemon.http}/healthz`)).toBe(200);
    await expect(SocketClient.ws(s.daemon.url)).rejects.toThrow(/503/);
    // A connected client starts nothing new while the running work is being ended.
    expect(await s.client.request("thread/start", {})).toMatchObject({ error: { code: -32001, message: expect.stringContaining("shutting down") } });

    const ended = await turnCompleted(s.client, second);
    expect(ended.status).toBe("interrupted");
    const command = await itemCompleted(s.client, "call_sleep");
    // As turn/interrupt completes a running command (a command item has no "interrupted" status).
    expect(command).toMatchObject({ type: "commandExecution", status: "failed" });
    expect(await within(s.client.closed, HANG_MS, "the close frame")).toBe(1001);
    // 0 means the App closed within the grace (an expired grace exits 1).
    expect(await within(s.daemon.exited, HANG_MS, "the daemon's exit")).toBe(0);
    assertNoUnhandled(s.daemon.stderr());
    // A zombie (its parent gone, not yet reaped) has an empty command line.
    expect(livePidsWith(`sleep\0${marker}`)).toEqual([]);

    const turns = await resumed(s.home, s.threadId);
    expect(shape(turns)).toEqual([
      {
        status: "completed",
        items: [
          ["userMessage", undefined],
          ["agentMessage", "the first answer"],
        ],
      },
      {
        status: "interrupted",
        items: [
          ["userMessage", undefined],
          ["agentMessage", "starting the long command"],
          ["commandExecution", "failed"],
        ],
      },
    ]);
  });

  it("SIGTERM while an approval is pending: serverRequest/resolved for it, the item declined, the turn interrupted, close 1001, exit 0; a restart resumes every completed item", async () => {
    const s = await setup({
      approvalPolicy: "untrusted",
      sandboxMode: "workspace-write",
      script: {
        script: [
          turn(evMessage("msg_one", "the first answer")),
          turn(evMessage("msg_two", "asking first"), evFunctionCall("call_touch", "exec_command", { cmd: "touch b.txt" })),
        ],
      },
    });
    const first = await startTurn(s.client, s.threadId, "one");
    expect((await turnCompleted(s.client, first)).status).toBe("completed");
    const second = await startTurn(s.client, s.threadId, "two");
    const request = await s.client.serverRequest("item/commandExecution/requestApproval", (p) => p.itemId === "call_touch");

    s.daemon.child.kill("SIGTERM");
    const resolved = await s.client.waitFor(isNotification("serverRequest/resolved"), HANG_MS);
    expect(resolved.params).toEqual({ threadId: s.threadId, requestId: request.id });
    expect(await itemCompleted(s.client, "call_touch")).toMatchObject({ type: "commandExecution", status: "declined" });
    expect((await turnCompleted(s.client, second)).status).toBe("interrupted");
    expect(await within(s.client.closed, HANG_MS, "the close frame")).toBe(1001);
    expect(await within(s.daemon.exited, HANG_MS, "the daemon's exit")).toBe(0);
    assertNoUnhandled(s.daemon.stderr());
    expect(existsSync(join(s.cwd, "b.txt"))).toBe(false);

    const turns = await resumed(s.home, s.threadId);
    expect(shape(turns)).toEqual([
      {
        status: "completed",
        items: [
          ["userMessage", undefined],
          ["agentMessage", "the first answer"],
        ],
      },
      {
        status: "interrupted",
        items: [
          ["userMessage", undefined],
          ["agentMessage", "asking first"],
          ["commandExecution", "declined"],
        ],
      },
    ]);
  });
});

describe("a shutdown that cannot finish", () => {
  it("--shutdown-grace runs out: the tree is SIGKILLed, what was left is logged, exit 1; the completed items are on disk", async () => {
    const { marker, cmd } = stubbornSleep();
    const s = await setup({
      sandboxMode: "danger-full-access",
      // Shorter than the command's 2 s between SIGTERM and SIGKILL.
      args: ["--shutdown-grace", "0.3"],
      script: {
        script: [
          turn(evMessage("msg_one", "the first answer")),
          turn(evMessage("msg_two", "starting the long command"), evFunctionCall("call_sleep", "exec_command", { cmd, yield_time_ms: 30_000 })),
        ],
      },
    });
    const first = await startTurn(s.client, s.threadId, "one");
    await turnCompleted(s.client, first);
    await startTurn(s.client, s.threadId, "two");
    await itemCompleted(s.client, "msg_two");
    await running(marker);

    s.daemon.child.kill("SIGTERM");
    expect(await within(s.daemon.exited, HANG_MS, "the daemon's exit")).toBe(1);
    const stderr = s.daemon.stderr();
    assertNoUnhandled(stderr);
    const line = stderr.split("\n").find((l) => l.includes("the shutdown grace ran out before the daemon had closed"));
    expect(line).toBeDefined();
    expect(JSON.parse(line ?? "{}")).toMatchObject({ graceMs: 300, unfinished: expect.arrayContaining(["threads"]) });
    expect((JSON.parse(line ?? "{}") as { processTreesKilled: number }).processTreesKilled).toBeGreaterThanOrEqual(1);
    await until("the sleep is gone", () => livePidsWith(`sleep\0${marker}`).length === 0);
    // Dropped, not closed: the grace was over.
    expect(await within(s.client.closed, HANG_MS, "the client's close")).toBe(1006);

    const turns = await resumed(s.home, s.threadId);
    expect(shape(turns)[0]).toEqual({
      status: "completed",
      items: [
        ["userMessage", undefined],
        ["agentMessage", "the first answer"],
      ],
    });
    expect(turns[1]?.items.map((i) => i.type)).toEqual(expect.arrayContaining(["userMessage", "agentMessage"]));
  });

  it("a second SIGTERM while the first shutdown waits exits at once with 143 and kills the tree", async () => {
    const { marker, cmd } = stubbornSleep();
    const s = await setup({
      sandboxMode: "danger-full-access",
      script: { script: [turn(evFunctionCall("call_sleep", "exec_command", { cmd, yield_time_ms: 30_000 }))] },
    });
    await startTurn(s.client, s.threadId, "sleep");
    await running(marker);

    s.daemon.child.kill("SIGTERM");
    await until("the daemon logs its shutdown", () => s.daemon.stderr().includes('"msg":"shutting down"'));
    // Held for at least the command's 2 s between SIGTERM and SIGKILL.
    expect(s.daemon.child.exitCode).toBeNull();
    s.daemon.child.kill("SIGTERM");
    expect(await within(s.daemon.exited, HANG_MS, "the daemon's exit")).toBe(143);
    expect(s.daemon.stderr()).toContain("second signal during shutdown");
    assertNoUnhandled(s.daemon.stderr());
    await until("the sleep is gone", () => livePidsWith(`sleep\0${marker}`).length === 0);
  });
});
