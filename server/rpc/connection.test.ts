// RpcConnection's cancellation on a real connection over in-memory streams: `$/cancelRequest` reaches
// the handler's AbortSignal (also when it arrives in the same chunk as its request), the handler's
// answer still goes out, and closing the transport aborts every in-flight handler and gives up the
// pending server requests.
import { afterEach, describe, expect, it } from "vitest";
import { ServerRequestAbandoned, type RequestContext } from "../core/ports.js";
import { closeMemoryConnections, deferred, memoryConnection } from "../../test/helpers/memoryConnection.js";

afterEach(closeMemoryConnections);

/** A dispatcher whose requests each wait for their AbortSignal and answer how they ended. */
function abortableDispatcher() {
  const signals = new Map<unknown, AbortSignal>();
  const started = new Map<unknown, ReturnType<typeof deferred<void>>>();
  const began = (key: unknown) => started.get(key) ?? (started.set(key, deferred()), started.get(key)!);
  const aborted = new Map<unknown, ReturnType<typeof deferred<void>>>();
  const abortSeen = (key: unknown) => aborted.get(key) ?? (aborted.set(key, deferred()), aborted.get(key)!);
  return {
    signals,
    started: (key: unknown) => began(key).promise,
    aborted: (key: unknown) => abortSeen(key).promise,
    dispatcher: {
      initialized: () => undefined,
      handleRequest: async (method: string, params: unknown, ctx: RequestContext): Promise<unknown> => {
        const key = (params as { key: unknown }).key;
        signals.set(key, ctx.signal);
        began(key).resolve();
        if (method === "quick") return { key };
        if (method === "peek") return { key, abortedAtStart: ctx.signal.aborted };
        await new Promise<void>((resolve) => (ctx.signal.aborted ? resolve() : ctx.signal.addEventListener("abort", () => resolve(), { once: true })));
        abortSeen(key).resolve();
        return { key, cancelled: true };
      },
    },
  };
}

describe("RpcConnection: cancellation", () => {
  it("$/cancelRequest aborts the handler's signal, only that one, and the handler's answer still goes out", async () => {
    const d = abortableDispatcher();
    const c = memoryConnection({ dispatcher: d.dispatcher });
    c.send({ id: 1, method: "wait", params: { key: "one" } });
    c.send({ id: "two", method: "wait", params: { key: "two" } });
    await Promise.all([d.started("one"), d.started("two")]);
    c.send({ method: "$/cancelRequest", params: { id: 1 } });
    await d.aborted("one");
    expect((await c.response(1))["result"]).toEqual({ key: "one", cancelled: true });
    expect(d.signals.get("two")?.aborted).toBe(false);
    c.send({ method: "$/cancelRequest", params: { id: "two" } });
    expect((await c.response("two"))["result"]).toEqual({ key: "two", cancelled: true });
  });

  // A `$/cancelRequest` read before vscode-jsonrpc dispatched its request comes as an already-cancelled
  // token (`CancellationToken.Cancelled`, whose event never fires): a client that sends a request and
  // cancels it at once (one read chunk) must still see the handler's signal aborted.
  it("a cancel that arrives with its request, before the request is handled, still reaches the handler", async () => {
    const d = abortableDispatcher();
    const c = memoryConnection({ dispatcher: d.dispatcher });
    c.sendRaw(`${JSON.stringify({ id: 3, method: "peek", params: { key: 3 } })}\n${JSON.stringify({ method: "$/cancelRequest", params: { id: 3 } })}\n`);
    expect((await c.response(3))["result"]).toEqual({ key: 3, abortedAtStart: true });
  });

  it("a cancel for an id that is not running changes nothing", async () => {
    const d = abortableDispatcher();
    const c = memoryConnection({ dispatcher: d.dispatcher });
    c.send({ id: 1, method: "quick", params: { key: "q" } });
    await c.response(1);
    c.send({ method: "$/cancelRequest", params: { id: 1 } });
    c.send({ method: "$/cancelRequest", params: { id: 99 } });
    c.send({ id: 2, method: "wait", params: { key: "w" } });
    await d.started("w");
    expect(d.signals.get("w")?.aborted).toBe(false);
    expect(d.signals.get("q")?.aborted).toBe(false);
    c.send({ method: "$/cancelRequest", params: { id: 2 } });
    await c.response(2);
  });
});

describe("RpcConnection: close", () => {
  it("closing the transport aborts every in-flight handler and gives up the pending server requests", async () => {
    const d = abortableDispatcher();
    const c = memoryConnection({ dispatcher: d.dispatcher });
    const asked = c.conn.channel.request("item/commandExecution/requestApproval", { threadId: "t" });
    const closeListener = deferred();
    c.conn.channel.onClose(() => closeListener.resolve());
    c.send({ id: 1, method: "wait", params: { key: "a" } });
    c.send({ id: 2, method: "wait", params: { key: "b" } });
    await Promise.all([d.started("a"), d.started("b")]);
    expect(c.conn.channel.closed).toBe(false);
    c.endInput();
    await c.conn.closed;
    await Promise.all([d.aborted("a"), d.aborted("b")]);
    expect(d.signals.get("a")?.aborted).toBe(true);
    expect(d.signals.get("b")?.aborted).toBe(true);
    await expect(asked).rejects.toThrow(ServerRequestAbandoned);
    await expect(asked).rejects.toThrow("the connection closed");
    await closeListener.promise;
    expect(c.conn.channel.closed).toBe(true);
    // A server request after the close is refused at once.
    await expect(c.conn.channel.request("item/tool/requestUserInput", {})).rejects.toThrow("the connection is closed");
  });
});
