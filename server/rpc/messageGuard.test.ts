// The guarded reader and writer, seen from the wire of a real connection on in-memory streams:
// -32700 for a line that does not parse (and the next line is still read), -32600 for a value that is
// neither request, response nor notification (with its id when usable), -32001 once the in-flight
// limit is reached while notifications and responses still get through, the slot coming back when a
// response leaves, and a stdio connection whose input ends answering what it already read.
import { afterEach, describe, expect, it } from "vitest";
import { ServerRequestAbandoned, type RequestContext } from "../core/ports.js";
import { closeMemoryConnections, deferred, memoryConnection } from "../../test/helpers/memoryConnection.js";

afterEach(closeMemoryConnections);

/** A dispatcher that answers `echo` at once and holds `hold` requests until released by their id. */
function fakeDispatcher() {
  const calls: string[] = [];
  const holds = new Map<unknown, ReturnType<typeof deferred<void>>>();
  const hold = (key: unknown) => holds.get(key) ?? (holds.set(key, deferred()), holds.get(key)!);
  const started = new Map<unknown, ReturnType<typeof deferred<void>>>();
  const began = (key: unknown) => started.get(key) ?? (started.set(key, deferred()), started.get(key)!);
  return {
    calls,
    release: (key: unknown) => hold(key).resolve(),
    started: (key: unknown) => began(key).promise,
    dispatcher: {
      initialized: () => undefined,
      handleRequest: async (method: string, params: unknown, _ctx: RequestContext): Promise<unknown> => {
        calls.push(method);
        if (method === "hold") {
          const key = (params as { key: unknown }).key;
          began(key).resolve();
          await hold(key).promise;
          return { released: key };
        }
        return { echo: params };
      },
    },
  };
}

describe("GuardedReader: messages vscode-jsonrpc would drop", () => {
  it("answers a line that does not parse with -32700 and id null, and reads the next line", async () => {
    const d = fakeDispatcher();
    const c = memoryConnection({ dispatcher: d.dispatcher });
    c.sendRaw('{"id": 1, "method": "echo", "params": {\n');
    c.send({ id: 2, method: "echo", params: { after: true } });
    const parseError = await c.response(null);
    expect(parseError["error"]).toMatchObject({ code: -32700 });
    expect((parseError["error"] as { message: string }).message).toMatch(/^Parse error: /);
    expect((await c.response(2))["result"]).toEqual({ echo: { after: true } });
    expect(d.calls).toEqual(["echo"]);
  });

  it("answers values that are neither request, response nor notification with -32600, with their id when it is usable", async () => {
    const d = fakeDispatcher();
    const c = memoryConnection({ dispatcher: d.dispatcher });
    c.send({ id: 5 });
    expect((await c.response(5))["error"]).toEqual({ code: -32600, message: "Invalid request: not a request, response or notification" });
    c.send({ id: "m", method: 3 });
    expect((await c.response("m"))["error"]).toEqual({ code: -32600, message: "Invalid request: method must be a string" });
    c.send([{ id: 6, method: "echo" }]);
    c.send({ id: { nested: 1 }, method: "echo" });
    c.send(42);
    c.send({ id: 7, method: "echo", params: { last: true } });
    expect((await c.response(7))["result"]).toEqual({ echo: { last: true } });
    const invalid = c.out.filter((m) => (m["error"] as { code?: number } | undefined)?.code === -32600);
    expect(invalid.map((m) => [m["id"], (m["error"] as { message: string }).message])).toEqual([
      [5, "Invalid request: not a request, response or notification"],
      ["m", "Invalid request: method must be a string"],
      [null, "Invalid request: batches are not supported"],
      [null, "Invalid request: id must be a string or an integer"],
      [null, "Invalid request: a message must be a JSON object"],
    ]);
    // Only the well-formed request reached the dispatcher.
    expect(d.calls).toEqual(["echo"]);
  });
});

describe("GuardedReader: bounded intake", () => {
  it("answers a request beyond the in-flight limit with -32001 at once, without calling the dispatcher", async () => {
    const d = fakeDispatcher();
    const c = memoryConnection({ dispatcher: d.dispatcher, maxInFlight: 2 });
    c.send({ id: 1, method: "hold", params: { key: 1 } });
    c.send({ id: 2, method: "hold", params: { key: 2 } });
    c.send({ id: 3, method: "echo", params: {} });
    expect((await c.response(3))["error"]).toEqual({ code: -32001, message: "Server overloaded; retry later." });
    await Promise.all([d.started(1), d.started(2)]);
    expect(d.calls).toEqual(["hold", "hold"]);
    // The overload answer gave no slot back: the intake is still full.
    c.send({ id: 4, method: "echo", params: {} });
    expect((await c.response(4))["error"]).toMatchObject({ code: -32001 });
    // Once a held request is answered, its slot is free again. The slot comes back when the writer
    // has handed the response to the stream, a few microtasks after these in-memory streams already
    // delivered it; a message written after the response through the same writer marks that point.
    d.release(1);
    expect((await c.response(1))["result"]).toEqual({ released: 1 });
    c.conn.channel.notify("test/flushed", {});
    await c.waitFor((m) => m["method"] === "test/flushed");
    c.send({ id: 5, method: "echo", params: {} });
    expect((await c.response(5))["result"]).toEqual({ echo: {} });
    d.release(2);
    await c.response(2);
  });

  it("never refuses a response or a notification while the intake is full", async () => {
    const d = fakeDispatcher();
    const c = memoryConnection({ dispatcher: d.dispatcher, maxInFlight: 1 });
    // The notification this test sends is `initialized`, which the connection hands to the dispatcher.
    let initializedSeen = false;
    d.dispatcher.initialized = () => void (initializedSeen = true);
    const asked = c.conn.channel.request("item/tool/requestUserInput", { threadId: "t" });
    const req = await c.waitFor((m) => m["method"] === "item/tool/requestUserInput");
    c.send({ id: "busy", method: "hold", params: { key: "busy" } });
    await d.started("busy");
    c.send({ id: "refused", method: "echo", params: {} });
    expect((await c.response("refused"))["error"]).toMatchObject({ code: -32001 });
    // The intake is full; the client's answer to the server's request and a notification still land.
    c.send({ method: "initialized" });
    c.send({ id: req["id"], result: { answers: {} } });
    await expect(asked).resolves.toEqual({ answers: {} });
    expect(initializedSeen).toBe(true);
    d.release("busy");
    await c.response("busy");
  });
});

describe("GuardedReader: a stdio client that closes its input", () => {
  it("answers the requests already read, gives up its server requests, then closes", async () => {
    const d = fakeDispatcher();
    const c = memoryConnection({ dispatcher: d.dispatcher, transport: "stdio" });
    const asked = c.conn.channel.request("item/tool/requestUserInput", { threadId: "t" });
    c.send({ id: "work", method: "hold", params: { key: "work" } });
    await d.started("work");
    c.endInput();
    await expect(asked).rejects.toThrow(ServerRequestAbandoned);
    await expect(asked).rejects.toThrow("the client closed its input");
    let closed = false;
    void c.conn.closed.then(() => (closed = true));
    expect(closed).toBe(false);
    d.release("work");
    expect((await c.response("work"))["result"]).toEqual({ released: "work" });
    await c.conn.closed;
  });

  it("a socket client that closes its input closes the connection at once", async () => {
    const d = fakeDispatcher();
    const c = memoryConnection({ dispatcher: d.dispatcher, transport: "unix" });
    c.send({ id: "work", method: "hold", params: { key: "work" } });
    await d.started("work");
    c.endInput();
    await c.conn.closed;
    d.release("work");
  });
});
