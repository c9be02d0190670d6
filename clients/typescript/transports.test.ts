// The socket transports against in-process servers, for what the reference cannot show: line framing
// on a unix socket (Gatehouse accepts it; the reference speaks only WebSocket there), CRLF and split
// writes from the server, binary frames, and the server hanging up.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import type { Server, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import type { WebSocket } from "ws";
import { ConnectionClosedError } from "./client.js";
import { connectUnixSocket } from "./unixSocketTransport.js";
import { connectWebSocket } from "./webSocketTransport.js";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

function socketPath(): string {
  const dir = mkdtempSync(join(tmpdir(), "gh-client-sock-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, "s.sock");
}

function listen(server: Server, path: string): Promise<void> {
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return new Promise((r) => server.listen(path, r));
}

describe("unix socket, line framing", () => {
  it("exchanges one JSON per line, accepts CRLF and split writes, and rejects pending requests when the server hangs up", async () => {
    const path = socketPath();
    const received: string[] = [];
    let peer: Socket | undefined;
    const server = createServer((sock) => {
      peer = sock;
      let buf = "";
      sock.setEncoding("utf8");
      sock.on("data", (chunk: string) => {
        buf += chunk;
        let nl: number;
        while ((nl = buf.indexOf("\n")) !== -1) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          received.push(line);
          const msg = JSON.parse(line) as { id?: number; method: string };
          if (msg.id === 1) {
            const reply = `{"method":"warning","params":{"message":"hi"}}\r\n{"id":1,"result":{"requirements":null}}\r\n`;
            sock.write(reply.slice(0, 20));
            sock.write(reply.slice(20));
          }
          if (msg.id === 2) sock.end();
        }
      });
    });
    await listen(server, path);
    const client = await connectUnixSocket(path, { framing: "lines" });
    cleanups.push(() => client.close());
    const warnings: unknown[] = [];
    client.onNotification("warning", (p) => warnings.push(p));
    expect(await client.request("configRequirements/read")).toEqual({ requirements: null });
    expect(warnings).toEqual([{ message: "hi" }]);
    const err = await client.request("thread/start", {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionClosedError);
    expect(received).toEqual(['{"id":1,"method":"configRequirements/read"}', '{"id":2,"method":"thread/start","params":{}}']);
    expect(peer).toBeDefined();
  });

  it("rejects the connect call when nothing listens", async () => {
    await expect(connectUnixSocket(socketPath(), { framing: "lines" })).rejects.toThrow(/ENOENT/);
    await expect(connectUnixSocket(socketPath())).rejects.toThrow(/ENOENT/);
  });
});

describe("WebSocket framing", () => {
  async function wsServer(onConnection: (ws: WebSocket) => void): Promise<string> {
    const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    wss.on("connection", onConnection);
    await new Promise<void>((r) => wss.once("listening", () => r()));
    cleanups.push(() => {
      for (const c of wss.clients) c.terminate();
      return new Promise<void>((r) => wss.close(() => r()));
    });
    const addr = wss.address();
    if (addr === null || typeof addr === "string") throw new Error("unexpected address");
    return `ws://127.0.0.1:${addr.port}`;
  }

  it("sends one text frame per message and reports a binary frame without stopping", async () => {
    const frames: Array<{ text: string; binary: boolean }> = [];
    const url = await wsServer((ws) => {
      ws.on("message", (data, binary) => {
        frames.push({ text: String(data), binary });
        ws.send(Buffer.from("not a text frame"), { binary: true });
        ws.send(JSON.stringify({ id: 1, result: { ok: true } }));
      });
    });
    const client = await connectWebSocket(url);
    cleanups.push(() => client.close());
    const errors: string[] = [];
    client.onError((e) => errors.push(e.message));
    expect(await client.requestUntyped("x/y", { a: 1 })).toEqual({ ok: true });
    expect(frames).toEqual([{ text: '{"id":1,"method":"x/y","params":{"a":1}}', binary: false }]);
    expect(errors).toEqual([expect.stringContaining("binary frame")]);
  });

  it("rejects pending requests with ConnectionClosedError when the server closes", async () => {
    const url = await wsServer((ws) => ws.on("message", () => ws.close(1011, "going away")));
    const client = await connectWebSocket(url);
    cleanups.push(() => client.close());
    const err = await client.request("configRequirements/read").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionClosedError);
    expect((err as Error).message).toContain("1011");
  });
});
