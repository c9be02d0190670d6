// The real daemon over stdio: framing edge cases and JSON-RPC error answers, each followed by a
// request that must still work (the reference ends the session on some of these; we keep serving).
import { NOT_IMPLEMENTED_YET } from "../../server/handlers/notImplemented.js";
import { afterEach, describe, expect, it } from "vitest";
import { startDaemon, type Json, type RawDaemon } from "../helpers/daemon.js";
import { asResponse, errorOf, ok } from "../helpers/protocol.js";

/** The error code of an error response (undefined for anything else). */
function errorCode(m: Json): unknown {
  const error = m["error"];
  return typeof error === "object" && error !== null && "code" in error ? error.code : undefined;
}

let daemon: RawDaemon | undefined;
afterEach(async () => {
  await daemon?.stop();
  daemon = undefined;
});

async function stillServes(d: RawDaemon): Promise<void> {
  const r = await d.request("configRequirements/read");
  expect(r).toHaveProperty("result");
}

describe("stdio framing", () => {
  it("answers initialize in the reference's shape", async () => {
    daemon = startDaemon();
    const r = await daemon.initialize();
    const result = ok(r);
    expect(result.userAgent).toMatch(/^gatehouse-test\/0\.169\.0 \(.+; .+\) .+ \(gatehouse-test; 0\.0\.1\) gatehouse\/\d+\.\d+\.\d+$/);
    expect(result.codexHome).toBe(daemon.home.home);
    expect(result.platformFamily).toBe("unix");
    expect(result.platformOs).toBe("linux");
    expect(r).not.toHaveProperty("jsonrpc");
  });

  it("accepts CRLF, partial chunks and a message split inside a multi-byte character", async () => {
    daemon = startDaemon();
    await daemon.initialize();
    daemon.send('{"id":"crlf","method":"configRequirements/read"}\r\n');
    expect(await daemon.response("crlf")).toHaveProperty("result");
    const bytes = Buffer.from('{"id":"split","method":"model/list","params":{"cursor":null,"x":"é€😀"}}\n');
    for (let i = 0; i < bytes.length; i += 3) daemon.send(bytes.subarray(i, i + 3));
    expect(await daemon.response("split")).toHaveProperty("result");
  });

  it("does not split on U+2028/U+2029 inside strings", async () => {
    daemon = startDaemon();
    await daemon.initialize();
    daemon.send(`{"id":"ls","method":"model/list","params":{"cursor":null,"x":"a\u2028b\u2029c"}}\n`);
    expect(await daemon.response("ls")).toHaveProperty("result");
    expect(daemon.messages.filter((m) => errorCode(m) === -32700)).toHaveLength(0);
  });

  it("handles a 16 MiB line", async () => {
    daemon = startDaemon();
    await daemon.initialize();
    const big = "x".repeat(16 * 1024 * 1024);
    daemon.send(`{"id":"big","method":"model/list","params":{"cursor":null,"pad":"${big}"}}\n`);
    expect(await daemon.response("big", 30_000)).toHaveProperty("result");
  });

  it("answers invalid UTF-8 with -32700 and id null, then keeps serving", async () => {
    daemon = startDaemon();
    await daemon.initialize();
    daemon.send(Buffer.concat([Buffer.from('{"id":"bad","method":"model/list","params":{"x":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}}\n')]));
    const err = await daemon.waitFor((m) => m["id"] === null && "error" in m);
    expect(errorCode(err)).toBe(-32700);
    await stillServes(daemon);
  });

  it("answers garbage with -32700, a non-message with -32600 and its id, an unknown method with -32601", async () => {
    daemon = startDaemon();
    await daemon.initialize();
    daemon.send("this is not json\n");
    const parse = await daemon.waitFor((m) => m["id"] === null && errorCode(m) === -32700);
    expect(parse["error"]).toMatchObject({ code: -32700 });
    daemon.send('{"id":7,"foo":"bar"}\n');
    expect((await daemon.response(7))["error"]).toMatchObject({ code: -32600 });
    daemon.send("[1,2,3]\n");
    await daemon.waitFor((m) => m["id"] === null && errorCode(m) === -32600);
    expect((await daemon.requestRaw("no/such/method", {}, 8))["error"]).toMatchObject({ code: -32601, message: "Method not found: no/such/method" });
    await stillServes(daemon);
  });

  it("answers params that fail validation with -32602 and the issues in data", async () => {
    daemon = startDaemon();
    await daemon.initialize();
    // A string where the protocol has a number: sent raw on purpose.
    const r = asResponse("model/list", await daemon.requestRaw("model/list", { limit: "x" }, 9));
    const error = errorOf(r);
    expect(error.code).toBe(-32602);
    expect(error.message).toContain("limit");
    expect(Array.isArray(error.data)).toBe(true);
  });

  it("gates on initialize as the reference does", async () => {
    daemon = startDaemon();
    expect((await daemon.request("thread/start", {}, 1)).error).toEqual({ code: -32600, message: "Not initialized" });
    const first = await daemon.request("initialize", { clientInfo: { name: "t", version: "1" } }, 2);
    expect(first).toHaveProperty("result");
    expect((await daemon.request("initialize", { clientInfo: { name: "t", version: "1" } }, 3)).error).toEqual({
      code: -32600,
      message: "Already initialized",
    });
    await stillServes(daemon);
  });

  it("answers every request it read before stdin ended, then exits", async () => {
    daemon = startDaemon();
    const exited = new Promise<number | null>((resolve) => daemon!.child.once("exit", (code) => resolve(code)));
    daemon.send(
      [
        JSON.stringify({ id: 1, method: "initialize", params: { clientInfo: { name: "t", version: "1" } } }),
        JSON.stringify({ id: 2, method: "config/read", params: {} }),
        JSON.stringify({ id: 3, method: "model/list", params: {} }),
      ].join("\n") + "\n",
    );
    daemon.child.stdin.end();
    expect(await exited).toBe(0);
    const ids = daemon.messages.filter((m) => "id" in m && ("result" in m || "error" in m)).map((m) => m["id"]);
    // JSON-RPC does not order responses (config/read reads files, model/list does not).
    expect([...ids].sort()).toEqual([1, 2, 3]);
  });

  it("serves every method of the scope: none is left answering -32601 not implemented yet", async () => {
    expect(NOT_IMPLEMENTED_YET).toEqual([]);
    daemon = startDaemon();
    await daemon.initialize();
    // The last methods to land (MCP) answer; with no server configured the list is empty.
    expect((await daemon.request("mcpServerStatus/list", {}, "ni")).result).toEqual({ data: [], nextCursor: null });
  });

  it("answers -32001 beyond the in-flight limit and never drops a response", async () => {
    daemon = startDaemon({ env: { GATEHOUSE_MAX_INFLIGHT: "4" } });
    await daemon.initialize();
    const ids = Array.from({ length: 200 }, (_, i) => `o${i}`);
    // One write, so the reader sees all 200 requests before any handler has answered.
    daemon.send(ids.map((id) => JSON.stringify({ id, method: "config/read", params: {} })).join("\n") + "\n");
    const answers = await Promise.all(ids.map((id) => daemon!.response(id, 20_000)));
    const overloaded = answers.filter((a) => errorCode(a) === -32001);
    expect(overloaded.length).toBeGreaterThan(0);
    expect(overloaded[0]?.["error"]).toEqual({ code: -32001, message: "Server overloaded; retry later." });
    expect(answers.filter((a) => "result" in a).length).toBeGreaterThanOrEqual(4);
    await stillServes(daemon);
  });

  it("writes nothing but protocol on stdout", async () => {
    daemon = startDaemon();
    await daemon.initialize();
    await stillServes(daemon);
    expect(daemon.messages.filter((m) => "__raw" in m)).toEqual([]);
    // Logs do reach stderr (pino writes asynchronously, so wait for the line rather than assume it).
    for (let i = 0; i < 100 && !daemon.stderr().includes("client sent initialized"); i++) await new Promise((r) => setTimeout(r, 50));
    expect(daemon.stderr()).toContain("client sent initialized");
  });
});
