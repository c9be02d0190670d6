// The client's JSON-RPC logic against an in-memory transport that plays the server: id allocation,
// response matching, error mapping, server requests, notifications, traffic, close. Whole wire
// objects are compared, so a stray "jsonrpc" member or a wrong envelope fails the test.
import { describe, expect, expectTypeOf, it } from "vitest";
import { RpcError } from "../../protocol/errors.js";
import type { WireMessage } from "../../protocol/jsonrpc.js";
import { ConnectionClosedError, GatehouseClient, ResultValidationError } from "./client.js";
import type { ClientOptions, ClientTransport, RequestResult, ServerRequestResult, TransportEvents } from "./client.js";

class FakeServer implements ClientTransport {
  readonly sent: WireMessage[] = [];
  closeCalls = 0;
  private events: TransportEvents | undefined;
  private waiters: Array<() => void> = [];

  start(events: TransportEvents): void {
    this.events = events;
  }
  send(message: WireMessage): Promise<void> {
    this.sent.push(message);
    for (const w of this.waiters.splice(0)) w();
    return Promise.resolve();
  }
  close(): Promise<void> {
    this.closeCalls++;
    return Promise.resolve();
  }
  /** A message from the server. */
  deliver(value: unknown): void {
    this.events?.message(value);
  }
  garbage(raw: string): void {
    this.events?.invalid(raw, new Error("Unexpected token"));
  }
  hangUp(error?: Error): void {
    this.events?.close(error);
  }
  /** Resolves once `n` messages have been sent by the client. */
  async sentCount(n: number): Promise<WireMessage[]> {
    while (this.sent.length < n) await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.sent;
  }
}

function setup(options?: ClientOptions): { server: FakeServer; client: GatehouseClient<FakeServer>; errors: Error[] } {
  const server = new FakeServer();
  const client = new GatehouseClient(server, options);
  const errors: Error[] = [];
  client.onError((e) => errors.push(e));
  return { server, client, errors };
}

describe("requests", () => {
  it("numbers ids from 1, omits absent params, sends no jsonrpc member, and matches responses in any order", async () => {
    const { server, client } = setup();
    const a = client.request("configRequirements/read");
    const b = client.request("thread/start", { cwd: "/w" });
    expect(server.sent).toEqual([
      { id: 1, method: "configRequirements/read" },
      { id: 2, method: "thread/start", params: { cwd: "/w" } },
    ]);
    server.deliver({ id: 2, result: { which: "b" } });
    server.deliver({ id: 1, result: { requirements: null } });
    expect(await a).toEqual({ requirements: null });
    expect(await b).toEqual({ which: "b" });
  });

  it("turns an error response into an RpcError with code, message and data", async () => {
    const { server, client } = setup();
    const p = client.requestUntyped("nope/x", {});
    server.deliver({ id: 1, error: { code: -32600, message: "Invalid request: unknown variant `nope/x`", data: { hint: 1 } } });
    const err = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcError);
    expect(err).toMatchObject({ code: -32600, message: "Invalid request: unknown variant `nope/x`", data: { hint: 1 } });
  });

  it("does not validate results by default, and does with validateResults", async () => {
    const loose = setup();
    const p1 = loose.client.request("configRequirements/read");
    loose.server.deliver({ id: 1, result: { requirements: 42 } });
    expect(await p1).toEqual({ requirements: 42 });

    const strict = setup({ validateResults: true });
    const bad = strict.client.request("configRequirements/read");
    const good = strict.client.request("initialize", { clientInfo: { name: "t", version: "1" } });
    strict.server.deliver({ id: 1, result: { requirements: 42 } });
    strict.server.deliver({ id: 2, result: { userAgent: "x/1.0.0", codexHome: "/h", platformFamily: "unix", platformOs: "linux", extra: true } });
    const err = await bad.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResultValidationError);
    expect((err as ResultValidationError).method).toBe("configRequirements/read");
    // Parsed with the row's schema: unknown keys are stripped.
    expect(await good).toEqual({ userAgent: "x/1.0.0", codexHome: "/h", platformFamily: "unix", platformOs: "linux" });
  });

  it("rejects on timeout with a TimeoutError and drops the late response without complaint", async () => {
    const { server, client, errors } = setup();
    const err = await client.request("configRequirements/read", undefined, { timeoutMs: 5 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DOMException);
    expect((err as DOMException).name).toBe("TimeoutError");
    server.deliver({ id: 1, result: {} });
    expect(errors).toEqual([]);
  });

  it("rejects with the signal's reason on abort, also when aborted before sending", async () => {
    const { server, client } = setup();
    const ac = new AbortController();
    const p = client.request("configRequirements/read", undefined, { signal: ac.signal });
    ac.abort(new Error("user gave up"));
    await expect(p).rejects.toThrow("user gave up");
    await expect(client.request("configRequirements/read", undefined, { signal: ac.signal })).rejects.toThrow("user gave up");
    expect(server.sent).toHaveLength(1);
  });

  it("reports a response for an id it never issued", () => {
    const { server, errors } = setup();
    server.deliver({ id: 99, result: {} });
    expect(errors.map((e) => e.message)).toEqual([expect.stringContaining("unknown id")]);
  });

  it("rejects a pending request whose response is malformed", async () => {
    const { server, client } = setup();
    const p = client.request("configRequirements/read");
    server.deliver({ id: 1, error: { code: "bad" } });
    const err = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcError);
    expect((err as RpcError).message).toContain("numeric code");
  });
});

describe("initialize", () => {
  it("sends initialize, then the initialized notification, and resolves with the result", async () => {
    const { server, client } = setup();
    const p = client.initialize({ name: "t", version: "1.0.0" }, { experimentalApi: true });
    server.deliver({ id: 1, result: { userAgent: "t/0.169.0" } });
    expect(await p).toEqual({ userAgent: "t/0.169.0" });
    expect(server.sent).toEqual([
      { id: 1, method: "initialize", params: { clientInfo: { name: "t", version: "1.0.0" }, capabilities: { experimentalApi: true } } },
      { method: "initialized" },
    ]);
  });
});

describe("notifications", () => {
  it("delivers to typed handlers and the catch-all; unsubscribing stops delivery", () => {
    const { server, client } = setup();
    const typed: unknown[] = [];
    const all: Array<[string, unknown]> = [];
    const off = client.onNotification("thread/started", (params) => typed.push(params.thread.id));
    client.onAnyNotification((method, params) => all.push([method, params]));
    server.deliver({ method: "thread/started", params: { thread: { id: "t1" } }, emittedAtMs: 1 });
    server.deliver({ method: "codex/event/task_started", params: { id: "0" } });
    off();
    server.deliver({ method: "thread/started", params: { thread: { id: "t2" } } });
    expect(typed).toEqual(["t1"]);
    expect(all).toEqual([
      ["thread/started", { thread: { id: "t1" } }],
      ["codex/event/task_started", { id: "0" }],
      ["thread/started", { thread: { id: "t2" } }],
    ]);
  });

  it("reports a throwing handler and keeps delivering", () => {
    const { server, client, errors } = setup();
    const seen: string[] = [];
    client.onAnyNotification(() => {
      throw new Error("handler bug");
    });
    client.onAnyNotification((method) => seen.push(method));
    server.deliver({ method: "warning", params: { message: "w" } });
    expect(seen).toEqual(["warning"]);
    expect(errors.map((e) => e.message)).toEqual(["handler bug"]);
  });

  it("with validateInbound, a typed handler gets parsed params and a mismatch goes to onError", () => {
    const { server, client, errors } = setup({ validateInbound: true });
    const typed: unknown[] = [];
    client.onNotification("serverRequest/resolved", (params) => typed.push(params));
    server.deliver({ method: "serverRequest/resolved", params: { threadId: "t", requestId: 0, extra: 1 } });
    server.deliver({ method: "serverRequest/resolved", params: { threadId: 5 } });
    expect(typed).toEqual([{ threadId: "t", requestId: 0 }]);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain("serverRequest/resolved");
  });

  it("sends client notifications without params when the table has none", async () => {
    const { server, client } = setup();
    await client.notify("initialized");
    expect(server.sent).toEqual([{ method: "initialized" }]);
  });
});

describe("server requests", () => {
  const approval = {
    threadId: "t",
    turnId: "u",
    itemId: "i",
    command: "ls",
    cwd: "/w",
  };

  it("answers with the handler's value, keeping the server's id", async () => {
    const { server, client } = setup();
    client.onServerRequest("item/commandExecution/requestApproval", (params, ctx) => {
      expect(params.threadId).toBe("t");
      expect(ctx).toMatchObject({ id: 0, method: "item/commandExecution/requestApproval" });
      return { decision: "accept" };
    });
    server.deliver({ id: 0, method: "item/commandExecution/requestApproval", params: approval });
    expect(await server.sentCount(1)).toEqual([{ id: 0, result: { decision: "accept" } }]);
  });

  it("answers a thrown RpcError with its code and any other error with -32603", async () => {
    const { server, client } = setup();
    client.onServerRequest("item/fileChange/requestApproval", () => {
      throw new RpcError(-32000, "user refused", { why: "no" });
    });
    client.onServerRequest("item/tool/call", () => Promise.reject(new Error("tool crashed")));
    server.deliver({ id: "a", method: "item/fileChange/requestApproval", params: { threadId: "t", turnId: "u", itemId: "i" } });
    server.deliver({ id: "b", method: "item/tool/call", params: {} });
    const sent = await server.sentCount(2);
    expect(sent).toContainEqual({ id: "a", error: { code: -32000, message: "user refused", data: { why: "no" } } });
    expect(sent).toContainEqual({ id: "b", error: { code: -32603, message: "tool crashed" } });
  });

  it("answers -32601 when no handler is registered (also after the handler was removed)", async () => {
    const { server, client } = setup();
    const off = client.onServerRequest("execCommandApproval", () => ({ decision: "approved" }));
    off();
    server.deliver({ id: 7, method: "execCommandApproval", params: {} });
    server.deliver({ id: 8, method: "some/futureRequest", params: {} });
    expect(await server.sentCount(2)).toEqual([
      { id: 7, error: { code: -32601, message: "Method not found: execCommandApproval" } },
      { id: 8, error: { code: -32601, message: "Method not found: some/futureRequest" } },
    ]);
  });

  it("with validateInbound, answers -32602 to params that do not match and does not call the handler", async () => {
    const { server, client } = setup({ validateInbound: true });
    let called = false;
    client.onServerRequest("item/commandExecution/requestApproval", () => {
      called = true;
      return { decision: "accept" };
    });
    server.deliver({ id: 1, method: "item/commandExecution/requestApproval", params: { threadId: 1 } });
    const [answer] = await server.sentCount(1);
    expect(answer).toMatchObject({ id: 1, error: { code: -32602 } });
    expect(called).toBe(false);
  });
});

describe("traffic", () => {
  it("records what goes to the server as 'in' and what comes from it as 'out', in wire order", async () => {
    const { server, client } = setup();
    const log: Array<{ dir: string; msg: unknown }> = [];
    client.onTraffic((dir, msg) => log.push({ dir, msg }));
    const p = client.request("configRequirements/read");
    server.deliver({ method: "warning", params: { message: "w" } });
    server.deliver({ id: 1, result: { requirements: null } });
    await p;
    expect(log).toEqual([
      { dir: "in", msg: { id: 1, method: "configRequirements/read" } },
      { dir: "out", msg: { method: "warning", params: { message: "w" } } },
      { dir: "out", msg: { id: 1, result: { requirements: null } } },
    ]);
  });

  it("reports undecodable lines and malformed messages to onError", () => {
    const { server, errors } = setup();
    server.garbage("{not json");
    server.deliver([1, 2]);
    expect(errors.map((e) => e.message)).toEqual([expect.stringContaining("{not json"), expect.stringContaining("batches")]);
  });
});

describe("close", () => {
  it("rejects pending requests, closes the transport once, and refuses new requests", async () => {
    const { server, client } = setup();
    const p = client.request("configRequirements/read");
    let signal: AbortSignal | undefined;
    client.onServerRequest("item/tool/call", (_params, ctx) => {
      signal = ctx.signal;
      return new Promise(() => {});
    });
    server.deliver({ id: 0, method: "item/tool/call", params: {} });
    await Promise.all([client.close(), client.close()]);
    await expect(p).rejects.toBeInstanceOf(ConnectionClosedError);
    await expect(client.request("configRequirements/read")).rejects.toBeInstanceOf(ConnectionClosedError);
    await expect(client.notify("initialized")).rejects.toBeInstanceOf(ConnectionClosedError);
    expect(server.closeCalls).toBe(1);
    expect(signal?.aborted).toBe(true);
    expect(client.isClosed).toBe(true);
    await client.closed;
  });

  it("rejects pending requests when the server hangs up, with the transport's reason", async () => {
    const { server, client } = setup();
    const p = client.request("configRequirements/read");
    server.hangUp(new Error("the server exited (code 3)"));
    const err = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionClosedError);
    expect((err as Error).message).toContain("code 3");
    await client.closed;
  });
});

describe("types derived from the tables", () => {
  it("types params and results per method", () => {
    const client = new GatehouseClient(new FakeServer());
    expectTypeOf(client.request<"initialize">).returns.resolves.toEqualTypeOf<RequestResult<"initialize">>();
    expectTypeOf<RequestResult<"initialize">["userAgent"]>().toEqualTypeOf<string>();
    expectTypeOf<RequestResult<"thread/start">["thread"]["id"]>().toEqualTypeOf<string>();
    expectTypeOf<ServerRequestResult<"item/commandExecution/requestApproval">>().toHaveProperty("decision");
    // v1 rows are part of the merged table.
    expectTypeOf<RequestResult<"newConversation">>().toHaveProperty("conversationId");
    // Compile-time checks only: the function is type-checked by tsc and never called.
    const compileOnly = (): void => {
      // @ts-expect-error unknown method
      void client.request("nope/x", {});
      // @ts-expect-error thread/start needs its params object
      void client.request("thread/start");
      // @ts-expect-error wrong param type
      void client.request("thread/read", { threadId: 5 });
      // @ts-expect-error not a server notification
      client.onNotification("thread/start", () => {});
    };
    void compileOnly;
  });
});
