// Server→client requests over a real RpcConnection (line-delimited JSON on in-memory streams): the
// answer to a pending request resolves it; a late answer (after the request was given up), a second
// answer to the same id, and an answer to an id never sent change nothing and each produce a
// `warning` to the client. vscode-jsonrpc alone drops the last two without a trace.
import { afterEach, describe, expect, it } from "vitest";
import { ServerRequestAbandoned } from "../../server/core/ports.js";
import { closeMemoryConnections, memoryConnection, type Json } from "../helpers/memoryConnection.js";

afterEach(closeMemoryConnections);

function harness() {
  const { conn, out, send, waitFor } = memoryConnection({ dispatcher: { handleRequest: () => Promise.resolve({}), initialized: () => undefined } });
  // A round trip through the connection: everything sent before it has been read.
  let ping = 0;
  const sync = async (): Promise<void> => {
    const id = `ping-${ping++}`;
    send({ id, method: "x", params: {} });
    await waitFor((m) => m["id"] === id);
  };
  const warnings = (): string[] => out.filter((m) => m["method"] === "warning").map((m) => String((m["params"] as Json)["message"]));
  return { conn, out, send, sync, waitFor, warnings };
}

describe("ClientChannel: answers to server requests", () => {
  it("resolves a pending request with the client's answer, and warns about a duplicate answer without changing it", async () => {
    const h = harness();
    const answer = h.conn.channel.request("item/commandExecution/requestApproval", { threadId: "t1", itemId: "c1" });
    const req = await h.waitFor((m) => m["method"] === "item/commandExecution/requestApproval");
    expect(req["id"]).toBe(0);
    h.send({ id: 0, result: { decision: "accept" } });
    await expect(answer).resolves.toEqual({ decision: "accept" });
    expect(h.warnings()).toEqual([]);
    h.send({ id: 0, result: { decision: "decline" } });
    await h.sync();
    expect(h.warnings()).toHaveLength(1);
    expect(h.warnings()[0]).toContain("item/commandExecution/requestApproval");
    expect(h.warnings()[0]).toContain("already answered");
    expect(h.out.find((m) => m["method"] === "warning")?.["params"]).toMatchObject({ threadId: "t1" });
  });

  it("warns about an answer that arrives after the request was given up (timeout), and the next request still pairs up", async () => {
    const h = harness();
    const first = h.conn.channel.request("item/fileChange/requestApproval", { threadId: "t2" }, { timeoutMs: 1 });
    await expect(first).rejects.toBeInstanceOf(ServerRequestAbandoned);
    h.send({ id: 0, result: { decision: "accept" } });
    await h.sync();
    expect(h.warnings()).toHaveLength(1);
    expect(h.warnings()[0]).toMatch(/late or duplicate answer to item\/fileChange\/requestApproval \(id 0\).*already resolved \(no answer within 1 ms\)/);
    const second = h.conn.channel.request("item/fileChange/requestApproval", { threadId: "t2" });
    await h.waitFor((m) => m["id"] === 1 && m["method"] === "item/fileChange/requestApproval");
    h.send({ id: 1, result: { decision: "decline" } });
    await expect(second).resolves.toEqual({ decision: "decline" });
    expect(h.warnings()).toHaveLength(1);
  });

  it("warns about an answer to an id that was never sent, and an error answer still rejects its request", async () => {
    const h = harness();
    h.send({ id: 42, result: {} });
    await h.sync();
    expect(h.warnings()).toEqual(["an answer to server request id 42 was ignored: no such request is pending"]);
    const asked = h.conn.channel.request("item/tool/requestUserInput", {});
    await h.waitFor((m) => m["method"] === "item/tool/requestUserInput");
    h.send({ id: 0, error: { code: -1, message: "nope" } });
    await expect(asked).rejects.toThrow("nope");
    expect(h.warnings()).toHaveLength(1);
  });
});
