// The Dispatcher on a real connection over in-memory streams: lookup (-32601), validation (-32602 with
// the zod issues), the initialize gate ("Not initialized", "Already initialized"), the experimental
// opt-in, and per-scope ordering. The request table is replaced by a small one (the real tables have
// no experimental row, and the scopes need rows the test controls); `initialize` keeps its real row
// and its real handler.
import { afterEach, describe, expect, it, vi } from "vitest";
import * as z from "zod";
import { byThread, global, NoParams, request } from "../../protocol/define.js";
import type { ConfigService } from "../core/config/configService.js";
import type { RequestContext } from "../core/ports.js";
import type { HandlerMap } from "../handlers/handlerMap.js";
import type * as LazyTable from "../handlers/lazyTable.js";
import { initializeHandler } from "../handlers/v2/initialize.js";
import { closeMemoryConnections, deferred, memoryConnection, type Json } from "../../test/helpers/memoryConnection.js";
import { Dispatcher } from "./dispatcher.js";
import { ScopeQueues } from "./scopeQueues.js";

// Rows a test holds back, as if their module were still loading.
const rowsLoading = vi.hoisted(() => ({ held: new Map<string, Promise<void>>(), loaded: new Set<string>() }));

vi.mock("../handlers/lazyTable.js", async (importActual) => {
  const actual = await importActual<typeof LazyTable>();
  const Work = z.object({ threadId: z.string(), n: z.number().int() });
  const N = z.object({ n: z.number().int() });
  const rows = {
    ...actual.initializeRow,
    "test/work": request(Work, z.object({}), { scope: byThread }),
    "test/configWrite": request(N, z.object({}), { scope: global("config") }),
    "test/free": request(N, z.object({})),
    "test/noParams": request(NoParams, z.object({})),
    "test/experimental": request(NoParams, z.object({}), { experimental: true }),
  };
  const waiting = (m: string): boolean => rowsLoading.held.has(m) && !rowsLoading.loaded.has(m);
  return {
    ...actual,
    loadedRequestTable: (m: string) => (waiting(m) ? undefined : rows),
    loadRequestTable: async (m: string) => {
      const held = rowsLoading.held.get(m);
      if (held) await held;
      rowsLoading.loaded.add(m);
      return rows;
    },
    preloadRequestTable: () => undefined,
  };
});

afterEach(closeMemoryConnections);

const clientInfo = { name: "unit", version: "0.0.1" };

/** Handlers that record when each request starts and hold it until the test releases its `n`. */
function fixture() {
  const log: string[] = [];
  type Held = ReturnType<typeof deferred<void>>;
  const started = new Map<number, Held>();
  const gates = new Map<number, Held>();
  const slot = <T>(m: Map<number, T>, n: number, make: () => T): T => m.get(n) ?? (m.set(n, make()), m.get(n) as T);
  const held = async (tag: string, n: number): Promise<Json> => {
    log.push(`start ${tag}${n}`);
    slot(started, n, deferred).resolve();
    await slot(gates, n, deferred).promise;
    log.push(`end ${tag}${n}`);
    return { n };
  };
  const config = { report: { warnings: [], deprecations: [] } } as unknown as ConfigService;
  let failInitialize = false;
  let holdInitialize: Promise<void> | undefined;
  const realInitialize = initializeHandler("/tmp/gatehouse-unit", config);
  const handlers = {
    initialize: async (p: Parameters<typeof realInitialize>[0], ctx: RequestContext) => {
      if (holdInitialize) await holdInitialize;
      if (failInitialize) throw new Error("initialize failed");
      return realInitialize(p, ctx);
    },
    "test/work": (p: { threadId: string; n: number }) => held(p.threadId, p.n),
    "test/configWrite": (p: { n: number }) => held("config", p.n),
    "test/free": (p: { n: number }) => held("free", p.n),
    "test/noParams": () => undefined,
    "test/experimental": () => ({ ok: true }),
  } as unknown as HandlerMap;
  const dispatcher = new Dispatcher(handlers, new ScopeQueues());
  return {
    dispatcher,
    log,
    started: (n: number) => slot(started, n, deferred).promise,
    release: (n: number) => slot(gates, n, deferred).resolve(),
    fail: (n: number) => slot(gates, n, deferred).reject(new Error(`handler ${n} failed`)),
    failInitialize: (v: boolean) => void (failInitialize = v),
    holdInitialize: (until: Promise<void> | undefined) => void (holdInitialize = until),
  };
}

type Conn = ReturnType<typeof memoryConnection>;
let nextId = 1;
async function call(c: Conn, method: string, params?: unknown): Promise<Json> {
  const id = nextId++;
  c.send(params === undefined ? { id, method } : { id, method, params });
  return c.response(id);
}
async function initialized(c: Conn, capabilities?: Json): Promise<Conn> {
  const r = await call(c, "initialize", { clientInfo, ...(capabilities ? { capabilities } : {}) });
  expect(r["result"]).toBeDefined();
  c.send({ method: "initialized" });
  return c;
}

describe("Dispatcher: after the handshake", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("runs the handshake hook at once and the idle hook only once the client has been quiet for a moment", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout"] });
    const calls: string[] = [];
    const dispatcher = new Dispatcher({} as HandlerMap, new ScopeQueues(), undefined, {
      handshake: () => calls.push("handshake"),
      idle: () => calls.push("idle"),
    });
    dispatcher.initialized();
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toEqual(["handshake"]);
    await vi.advanceTimersByTimeAsync(100);
    expect(calls).toEqual(["handshake", "idle"]);
  });
});

describe("Dispatcher: the shutdown", () => {
  it("refuses every request once stopAccepting() is called, while a request already running finishes", async () => {
    const f = fixture();
    const c = await initialized(memoryConnection({ dispatcher: f.dispatcher }));
    const running = call(c, "test/free", { n: 1 });
    await f.started(1);
    f.dispatcher.stopAccepting();
    expect((await call(c, "test/free", { n: 2 }))["error"]).toEqual({
      code: -32001,
      message: "the server is shutting down; reconnect to it (or its replacement) and retry",
    });
    expect((await call(c, "initialize", { clientInfo }))["error"]).toMatchObject({ code: -32001 });
    f.release(1);
    expect((await running)["result"]).toEqual({ n: 1 });
    expect(f.log).toEqual(["start free1", "end free1"]);
  });
});

describe("Dispatcher: lookup, validation and the initialize gate", () => {
  it("answers a request before initialize with -32600 Not initialized, but an unknown method or bad params as such", async () => {
    const f = fixture();
    const c = memoryConnection({ dispatcher: f.dispatcher });
    expect((await call(c, "test/free", { n: 1 }))["error"]).toEqual({ code: -32600, message: "Not initialized" });
    expect((await call(c, "no/such", {}))["error"]).toEqual({ code: -32601, message: "Method not found: no/such" });
    expect((await call(c, "test/free", { n: "x" }))["error"]).toMatchObject({ code: -32602 });
    expect(f.log).toEqual([]);
  });

  it("accepts one initialize per connection; a second is refused with Already initialized", async () => {
    const f = fixture();
    const c = memoryConnection({ dispatcher: f.dispatcher });
    const first = await call(c, "initialize", { clientInfo });
    expect(first["result"]).toMatchObject({ codexHome: "/tmp/gatehouse-unit" });
    expect(c.conn.session.clientInfo).toEqual(clientInfo);
    expect((await call(c, "initialize", { clientInfo }))["error"]).toEqual({ code: -32600, message: "Already initialized" });
    // Another connection has a session of its own.
    const other = memoryConnection({ dispatcher: f.dispatcher });
    expect((await call(other, "test/noParams"))["error"]).toEqual({ code: -32600, message: "Not initialized" });
  });

  it("a second initialize sent before the first is answered is refused too", async () => {
    const f = fixture();
    const c = memoryConnection({ dispatcher: f.dispatcher });
    const first = deferred();
    f.holdInitialize(first.promise);
    c.send({ id: "i1", method: "initialize", params: { clientInfo } });
    c.send({ id: "i2", method: "initialize", params: { clientInfo } });
    // The second is refused while the first is still in its handler.
    expect((await c.response("i2"))["error"]).toEqual({ code: -32600, message: "Already initialized" });
    first.resolve();
    expect((await c.response("i1"))["result"]).toBeDefined();
  });

  it("an initialize that fails leaves the connection uninitialized, so the client may try again", async () => {
    const f = fixture();
    const c = memoryConnection({ dispatcher: f.dispatcher });
    f.failInitialize(true);
    expect((await call(c, "initialize", { clientInfo }))["error"]).toMatchObject({ code: -32603 });
    expect((await call(c, "test/noParams"))["error"]).toEqual({ code: -32600, message: "Not initialized" });
    f.failInitialize(false);
    expect((await call(c, "initialize", { clientInfo }))["result"]).toBeDefined();
    expect((await call(c, "test/noParams"))["result"]).toEqual({});
  });

  it("refuses an experimental method unless initialize opted in with capabilities.experimentalApi", async () => {
    const f = fixture();
    const plain = await initialized(memoryConnection({ dispatcher: f.dispatcher }));
    expect((await call(plain, "test/experimental"))["error"]).toEqual({
      code: -32600,
      message: "test/experimental is experimental: set capabilities.experimentalApi = true in initialize to use it",
    });
    const optedIn = await initialized(memoryConnection({ dispatcher: f.dispatcher }), { experimentalApi: true });
    expect((await call(optedIn, "test/experimental"))["result"]).toEqual({ ok: true });
  });

  it("answers bad params with -32602 and the zod issues in data, and never calls the handler", async () => {
    const f = fixture();
    const c = await initialized(memoryConnection({ dispatcher: f.dispatcher }));
    const r = await call(c, "test/work", { threadId: 7 });
    const error = r["error"] as { code: number; message: string; data: Array<{ path: unknown[]; code: string }> };
    expect(error.code).toBe(-32602);
    expect(error.message).toMatch(/^Invalid params: threadId: .*; n: /);
    expect(error.data.map((i) => [i.path, i.code])).toEqual([
      [["threadId"], "invalid_type"],
      [["n"], "invalid_type"],
    ]);
    // Params that are not an object at all.
    expect((await call(c, "test/free", []))["error"]).toMatchObject({ code: -32602, data: [{ path: [], code: "invalid_type" }] });
    expect(f.log).toEqual([]);
  });

  it("answers an unknown method after initialize with -32601", async () => {
    const f = fixture();
    const c = await initialized(memoryConnection({ dispatcher: f.dispatcher }));
    expect((await call(c, "thread/nope", {}))["error"]).toEqual({ code: -32601, message: "Method not found: thread/nope" });
    // A name inherited by every object is not a method either.
    expect((await call(c, "toString", {}))["error"]).toMatchObject({ code: -32601 });
  });

  it("a method without params accepts none, null or {}, and its undefined result goes out as {}", async () => {
    const f = fixture();
    const c = await initialized(memoryConnection({ dispatcher: f.dispatcher }));
    expect((await call(c, "test/noParams"))["result"]).toEqual({});
    expect((await call(c, "test/noParams", null))["result"]).toEqual({});
    expect((await call(c, "test/noParams", {}))["result"]).toEqual({});
  });
});

describe("Dispatcher: serialization scopes", () => {
  it("a request whose rows are loaded does not overtake an earlier one still waiting for its rows", async () => {
    const f = fixture();
    const c = await initialized(memoryConnection({ dispatcher: f.dispatcher }));
    const rows = deferred();
    rowsLoading.held.set("test/work", rows.promise);
    try {
      c.send({ id: "a", method: "test/work", params: { threadId: "t1", n: 1 } });
      c.send({ id: "b", method: "test/free", params: { n: 2 } });
      // Give the connection every chance to hand both over before the rows arrive.
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(f.log).toEqual([]);
      rows.resolve();
      await f.started(1);
      await f.started(2);
      expect(f.log).toEqual(["start t11", "start free2"]);
      f.release(1);
      f.release(2);
      expect((await c.response("a"))["result"]).toEqual({ n: 1 });
      expect((await c.response("b"))["result"]).toEqual({ n: 2 });
      // Once loaded, nothing waits.
      expect((await call(c, "test/noParams"))["result"]).toEqual({});
    } finally {
      rowsLoading.held.clear();
    }
  });

  it("runs two requests on one thread in arrival order, and a request on another thread meanwhile", async () => {
    const f = fixture();
    const c = await initialized(memoryConnection({ dispatcher: f.dispatcher }));
    c.send({ id: "a", method: "test/work", params: { threadId: "t1", n: 1 } });
    c.send({ id: "b", method: "test/work", params: { threadId: "t1", n: 2 } });
    c.send({ id: "c", method: "test/work", params: { threadId: "t2", n: 3 } });
    await f.started(1);
    // Thread t2 starts although t1's first request is still running.
    await f.started(3);
    // A round trip after all three: the connection has handed every one of them to the dispatcher.
    f.release(9);
    await call(c, "test/free", { n: 9 });
    expect(f.log).not.toContain("start t12");
    // Releasing the second first does not let it overtake.
    f.release(2);
    f.release(1);
    expect((await c.response("a"))["result"]).toEqual({ n: 1 });
    expect((await c.response("b"))["result"]).toEqual({ n: 2 });
    expect(f.log.filter((e) => e.includes("t1"))).toEqual(["start t11", "end t11", "start t12", "end t12"]);
    f.release(3);
    await c.response("c");
  });

  it("a thread's queue is shared by every connection (a thread is shared by its subscribers)", async () => {
    const f = fixture();
    const c1 = await initialized(memoryConnection({ dispatcher: f.dispatcher }));
    const c2 = await initialized(memoryConnection({ dispatcher: f.dispatcher }));
    c1.send({ id: "x", method: "test/work", params: { threadId: "shared", n: 1 } });
    await f.started(1);
    c2.send({ id: "y", method: "test/work", params: { threadId: "shared", n: 2 } });
    f.release(9);
    await call(c2, "test/free", { n: 9 });
    expect(f.log).not.toContain("start shared2");
    f.release(2);
    f.release(1);
    await c2.response("y");
    expect(f.log.filter((e) => e.includes("shared"))).toEqual(["start shared1", "end shared1", "start shared2", "end shared2"]);
  });

  it("a global scope excludes other requests of that scope; unscoped requests run concurrently", async () => {
    const f = fixture();
    const c = await initialized(memoryConnection({ dispatcher: f.dispatcher }));
    c.send({ id: "w1", method: "test/configWrite", params: { n: 1 } });
    c.send({ id: "w2", method: "test/configWrite", params: { n: 2 } });
    c.send({ id: "f3", method: "test/free", params: { n: 3 } });
    c.send({ id: "f4", method: "test/free", params: { n: 4 } });
    await Promise.all([f.started(1), f.started(3), f.started(4)]);
    f.release(4);
    await c.response("f4");
    expect(f.log).not.toContain("start config2");
    f.release(1);
    await c.response("w1");
    await f.started(2);
    f.release(2);
    f.release(3);
    await Promise.all([c.response("w2"), c.response("f3")]);
  });

  it("a failed request does not stall its thread's queue", async () => {
    const f = fixture();
    const c = await initialized(memoryConnection({ dispatcher: f.dispatcher }));
    c.send({ id: "bad", method: "test/work", params: { threadId: "t1", n: 1 } });
    c.send({ id: "next", method: "test/work", params: { threadId: "t1", n: 2 } });
    await f.started(1);
    f.release(2);
    f.fail(1);
    expect((await c.response("bad"))["error"]).toEqual({ code: -32603, message: "Internal error: handler 1 failed" });
    expect((await c.response("next"))["result"]).toEqual({ n: 2 });
  });
});
