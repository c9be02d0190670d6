// The thread API around turns, against the real daemon: list paging, archive/unarchive, names,
// loaded/list, unsubscribe → thread/closed, and two connections on one thread (unix socket) that
// both hear the turn, while a third, not subscribed, hears only the thread's status changes (as 0.169).
import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync } from "node:fs";
import { createConnection, type Socket } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { DAEMON, type Json } from "../helpers/daemon.js";
import { evFunctionCall, evMessage, turn } from "../helpers/mockResponses.js";
import { asResponse, isNotification, isResponse, type Method, type ParamsArg, type Response, type Result } from "../helpers/protocol.js";
import { checkTraffic, cleanupAll, isNote, items, ok, params, runTurn, session, startThread, text } from "./turnsHarness.js";

const extra: Array<() => void> = [];
afterEach(async () => {
  for (const fn of extra.splice(0)) fn();
  await cleanupAll();
});

describe("thread/list, archive, names", () => {
  it("pages newest first with no gaps or duplicates, and hides archived threads", async () => {
    const s = await session();
    const d = s.daemon;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const id = await startThread(d, s.cwd);
      await runTurn(d, id, `question ${i}`);
      ids.push(id);
    }
    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const r: Result<"thread/list"> = ok(await d.request("thread/list", { limit: 2, ...(cursor ? { cursor } : {}) }));
      expect(r.data.length).toBeLessThanOrEqual(2);
      pages.push(r.data.map((t) => t.id));
      cursor = r.nextCursor ?? null;
      expect(pages.length).toBeLessThan(10);
    } while (cursor);
    const listed = pages.flat();
    expect(listed).toEqual([...ids].reverse());
    expect(pages.slice(0, 2).every((p) => p.length === 2)).toBe(true);
    const first = ok(await d.request("thread/list", { limit: 1 }));
    expect(first.data[0]).toMatchObject({ id: ids[4], preview: "question 4" });

    // archive: gone from the default list, present with archived:true
    const gone = ids[2]!;
    const from = d.messages.length;
    ok(await d.request("thread/archive", { threadId: gone }));
    await d.waitFor(isNote("thread/archived", gone), 5_000, from);
    const after = ok(await d.request("thread/list", { limit: 50 })).data.map((t) => t.id);
    expect(after).not.toContain(gone);
    expect(after).toHaveLength(4);
    const archived = ok(await d.request("thread/list", { limit: 50, archived: true })).data.map((t) => t.id);
    expect(archived).toEqual([gone]);

    const un = ok(await d.request("thread/unarchive", { threadId: gone }));
    expect(un.thread.id).toBe(gone);
    await d.waitFor(isNote("thread/unarchived", gone), 5_000, from);
    const back = ok(await d.request("thread/list", { limit: 50 })).data.map((t) => t.id);
    expect(back).toEqual([...ids].reverse());
    expect(ok(await d.request("thread/list", { limit: 50, archived: true })).data).toEqual([]);
    checkTraffic(d, "list-archive");
  });

  it("names a thread, lists loaded threads and closes one on unsubscribe", async () => {
    const s = await session();
    const d = s.daemon;
    const a = await startThread(d, s.cwd);
    const b = await startThread(d, s.cwd);
    await runTurn(d, a, "hello");

    ok(await d.request("thread/name/set", { threadId: a, name: "my thread" }));
    const named = await d.waitFor(isNote("thread/name/updated", a));
    expect(named.params).toMatchObject({ threadId: a, threadName: "my thread" });
    const read = ok(await d.request("thread/read", { threadId: a }));
    expect(read.thread.name).toBe("my thread");

    const loaded = ok(await d.request("thread/loaded/list", {}));
    expect([...loaded.data].sort()).toEqual([a, b].sort());

    const from = d.messages.length;
    const un = ok(await d.request("thread/unsubscribe", { threadId: b }));
    expect(un.status).toBe("unsubscribed");
    await d.waitFor(isNote("thread/closed", b), 5_000, from);
    expect(ok(await d.request("thread/loaded/list", {})).data).toEqual([a]);
    expect(ok(await d.request("thread/unsubscribe", { threadId: b })).status).toBe("notLoaded");
    checkTraffic(d, "names-loaded");
  });
});

describe("the sandbox policy a resumed thread runs under", () => {
  it("is the one its last turn ran with, after a restart", async () => {
    const s = await session([turn(evMessage("msg_one", "one"))]);
    const threadId = await startThread(s.daemon, s.cwd);
    const readOnly = { type: "readOnly" as const, networkAccess: false };
    await runTurn(s.daemon, threadId, "read only please", { sandboxPolicy: readOnly });
    expect(await s.daemon.stop()).toBe(0);
    const again = await s.restart();
    expect(ok(await again.request("thread/resume", { threadId }))["sandbox"]).toEqual(readOnly);
  });

  // 0.169 spells its turn_context sandbox policy its own way ({"type":"read-only"}), which is not the
  // wire's; the thread keeps the configured policy instead (never a wider one), and its commands run.
  it("is the configured one for a rollout 0.169 wrote, and the next turn's command runs", async () => {
    const s = await session([
      turn(evFunctionCall("call_echo", "exec_command", { cmd: "echo resumed-ok", yield_time_ms: 5_000 })),
      turn(evMessage("msg_done", "done")),
    ]);
    const d = s.daemon;
    const threadId = "01a2087c-eefa-7c93-b24c-302346b06fc6";
    const dir = join(s.home.home, "sessions", "2026", "11", "23");
    mkdirSync(dir, { recursive: true });
    copyFileSync(
      fileURLToPath(new URL("../../server/core/store/fixtures/rollout-0.169.0.jsonl", import.meta.url)),
      join(dir, `rollout-2026-11-23T12-58-55-${threadId}.jsonl`),
    );

    const resumed = ok(await d.request("thread/resume", { threadId, cwd: s.cwd }));
    expect(resumed["sandbox"]).toEqual({ type: "workspaceWrite", writableRoots: [], networkAccess: false, excludeTmpdirEnvVar: false, excludeSlashTmp: false });
    const { turn: done, notes } = await runTurn(d, threadId, "run it");
    expect(done["status"]).toBe("completed");
    const [command] = items(notes, "item/completed", "commandExecution");
    expect(command).toMatchObject({ status: "completed", exitCode: 0 });
    expect(command?.["aggregatedOutput"]).toContain("resumed-ok");
  });
});

interface LineClient {
  messages: Json[];
  request<M extends Method>(method: M, ...params: ParamsArg<M>): Promise<Response<M>>;
  waitFor(match: (m: Json) => boolean, timeoutMs?: number): Promise<Json>;
  socket: Socket;
}

function lineClient(path: string): Promise<LineClient> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    const messages: Json[] = [];
    const waiters = new Set<() => void>();
    let buf = "";
    let id = 1;
    socket.setEncoding("utf8");
    socket.on("data", (c: string) => {
      buf += c;
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        messages.push(JSON.parse(buf.slice(0, nl)) as Json);
        buf = buf.slice(nl + 1);
      }
      for (const w of [...waiters]) w();
    });
    const waitFor = (match: (m: Json) => boolean, timeoutMs = 15_000): Promise<Json> =>
      new Promise((res, rej) => {
        const check = () => {
          const m = messages.find(match);
          if (!m) return;
          waiters.delete(check);
          clearTimeout(timer);
          res(m);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          rej(new Error(`timed out; last messages ${JSON.stringify(messages.slice(-3))}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    const client: LineClient = {
      messages,
      socket,
      waitFor,
      async request(method, ...[p]) {
        const mine = id++;
        socket.write(`${JSON.stringify(p === undefined ? { id: mine, method } : { id: mine, method, params: p })}\n`);
        return asResponse(method, await waitFor((m) => isResponse(m, mine)));
      },
    };
    socket.on("connect", () => resolve(client));
    socket.on("error", reject);
  });
}

/** The item id of an item notification, "" for any other message. */
function itemIdOf(m: Json): string {
  const started = isNotification("item/started");
  const completed = isNotification("item/completed");
  return started(m) || completed(m) ? m.params.item.id : "";
}

describe("two clients on one thread", () => {
  it("sends the turn's notifications to both connections", async () => {
    const s = await session([turn(evMessage("msg_shared", "for both of you"))]);
    await s.daemon.stop();
    const path = join(s.home.base, "gh.sock");
    const child = spawn(process.execPath, [DAEMON, "app-server", "--listen", `unix://${path}`], {
      env: { ...process.env, GATEHOUSE_HOME: s.home.home, CODEX_HOME: "", TMPDIR: s.home.tmp, GATEHOUSE_LOG: "info" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    extra.push(() => child.kill("SIGKILL"));
    await new Promise<void>((resolve, reject) => {
      let err = "";
      const timer = setTimeout(() => reject(new Error(`no listening line:\n${err}`)), 10_000);
      child.stderr.setEncoding("utf8");
      child.stderr.on("data", (c: string) => {
        err += c;
        if (err.includes('"msg":"listening"')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    // `three` never subscribes: 0.169 still sends it every thread's status changes, and nothing else of the turn.
    const [one, two, three] = [await lineClient(path), await lineClient(path), await lineClient(path)];
    extra.push(
      () => one.socket.destroy(),
      () => two.socket.destroy(),
      () => three.socket.destroy(),
    );
    for (const c of [one, two, three]) {
      ok(await c.request("initialize", { clientInfo: { name: "two-clients", version: "1" } }));
      c.socket.write('{"method":"initialized"}\n');
    }
    const threadId = ok(await one.request("thread/start", { cwd: s.cwd })).thread.id;
    ok(await two.request("thread/resume", { threadId }));
    const started = ok(await one.request("turn/start", { threadId, input: text("hi both") }));
    const turnId = started.turn.id;
    const done = isNotification("turn/completed", (p) => p.turn.id === turnId);
    await Promise.all([one.waitFor(done), two.waitFor(done)]);
    const seen = (c: LineClient) =>
      c.messages.filter((m) => "method" in m && params(m)["turnId"] === turnId).map((m) => `${String(m["method"])}:${JSON.stringify(itemIdOf(m))}`);
    expect(seen(two)).toEqual(seen(one));
    expect(seen(two)).toContain(`item/completed:"msg_shared"`);
    expect(two.messages.some((m) => m["method"] === "item/agentMessage/delta")).toBe(true);
    const idle = isNotification("thread/status/changed", (p) => p.threadId === threadId && p.status.type === "idle");
    await three.waitFor(idle);
    expect(three.messages.filter(isNotification("thread/status/changed")).map((m) => m.params.status.type)).toEqual(["active", "idle"]);
    expect(three.messages.some((m) => "method" in m && params(m)["turnId"] === turnId)).toBe(false);
  });
});
