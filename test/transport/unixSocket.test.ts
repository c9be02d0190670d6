// Unix socket transport over real sockets in a temp dir: per-client connections, file mode, stale-file
// handling, and both framings (lines and WebSocket) on the same socket.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { get as httpGet } from "node:http";
import { connect } from "node:net";
import type { Socket } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { Message } from "vscode-jsonrpc";
import WebSocket from "ws";
import type { TransportConnection } from "../../server/transport/framing.js";
import { FrameParseError } from "../../server/transport/framing.js";
import { startUnixSocketServer } from "../../server/transport/unixSocket.js";
import type { RunningUnixSocketServer } from "../../server/transport/unixSocket.js";

const root = mkdtempSync(join(tmpdir(), "gh-uds-"));
let counter = 0;
const freshPath = (): string => join(root, `d${++counter}`, "app-server.sock");
const servers: RunningUnixSocketServer[] = [];
const sockets: (Socket | WebSocket)[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) {
    if (s instanceof WebSocket) s.terminate();
    else s.destroy();
  }
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function echoServer(path: string): Promise<{ server: RunningUnixSocketServer; connections: TransportConnection[] }> {
  const connections: TransportConnection[] = [];
  const server = await startUnixSocketServer({
    path,
    onConnection: (conn) => {
      connections.push(conn);
      conn.reader.onError((err) => {
        void conn.writer.write({ readerError: err.message, parseError: err instanceof FrameParseError } as unknown as Message).catch(() => undefined);
      });
      conn.reader.listen((msg) => {
        void conn.writer.write({ jsonrpc: "2.0", echo: msg, remote: conn.remote } as unknown as Message).catch(() => undefined);
      });
    },
  });
  servers.push(server);
  return { server, connections };
}

/** A line-framed client: send raw bytes, read parsed lines in order. */
async function lineClient(path: string): Promise<{ socket: Socket; send: (s: string | Buffer) => void; next: () => Promise<unknown> }> {
  const socket = connect(path);
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  let buffered = "";
  const queue: unknown[] = [];
  const waiting: ((v: unknown) => void)[] = [];
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf("\n")) !== -1) {
      const value: unknown = JSON.parse(buffered.slice(0, nl));
      buffered = buffered.slice(nl + 1);
      const w = waiting.shift();
      if (w) w(value);
      else queue.push(value);
    }
  });
  return {
    socket,
    send: (s) => socket.write(s),
    next: () => (queue.length > 0 ? Promise.resolve(queue.shift()) : new Promise((resolve) => waiting.push(resolve))),
  };
}

describe("unix socket transport", () => {
  it("creates the socket file with mode 0600 in a 0700 directory it creates", async () => {
    const path = freshPath();
    await echoServer(path);
    const stat = statSync(path);
    expect(stat.isSocket()).toBe(true);
    expect(stat.mode & 0o777).toBe(0o600);
    expect(statSync(join(path, "..")).mode & 0o777).toBe(0o700);
  });

  it("serves two line-framed clients at once, each on its own connection", async () => {
    const path = freshPath();
    const { connections } = await echoServer(path);
    const a = await lineClient(path);
    const b = await lineClient(path);
    a.send('{"id":1,"method":"a"}\n');
    b.send('{"id":1,"method":"b"}\r\n');
    const fromA = (await a.next()) as { echo: unknown; remote: string };
    const fromB = (await b.next()) as { echo: unknown; remote: string };
    expect(fromA.echo).toEqual({ id: 1, method: "a" });
    expect(fromB.echo).toEqual({ id: 1, method: "b" });
    expect(fromA).not.toHaveProperty("jsonrpc");
    expect(fromA.remote).not.toBe(fromB.remote);
    expect(connections).toHaveLength(2);

    a.send('{"id":2,');
    b.send('{"id":2}\n');
    expect(((await b.next()) as { echo: unknown }).echo).toEqual({ id: 2 });
    a.send('"more":true}\n');
    expect(((await a.next()) as { echo: unknown }).echo).toEqual({ id: 2, more: true });
  });

  it("reads a client whose first chunk is a single byte, and answers bad lines then keeps going", async () => {
    const path = freshPath();
    await echoServer(path);
    const c = await lineClient(path);
    c.send("\n");
    await new Promise((resolve) => setImmediate(resolve));
    c.send('not json\n{"id":9}\n');
    expect(await c.next()).toEqual({ readerError: expect.any(String), parseError: true });
    expect(((await c.next()) as { echo: unknown }).echo).toEqual({ id: 9 });
  });

  it("accepts WebSocket clients on the same socket (as the reference does)", async () => {
    const path = freshPath();
    const { connections } = await echoServer(path);
    const ws = new WebSocket(`ws+unix:${path}:/`);
    sockets.push(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    const reply = new Promise<unknown>((resolve) => ws.once("message", (data) => resolve(JSON.parse((data as Buffer).toString()))));
    ws.send('{"id":5,"method":"initialize"}');
    expect(await reply).toMatchObject({ echo: { id: 5, method: "initialize" } });
    expect(connections).toHaveLength(1);
    expect(connections[0]?.remote).toMatch(/^unix:/);
  });

  it("replaces a stale socket file nobody listens on", async () => {
    const path = freshPath();
    const child = spawnSync(process.execPath, [
      "-e",
      `require("node:fs").mkdirSync(require("node:path").dirname(process.argv[1]),{recursive:true});require("node:net").createServer().listen(process.argv[1], () => process.kill(process.pid, "SIGKILL"))`,
      path,
    ]);
    expect(child.signal).toBe("SIGKILL");
    expect(statSync(path).isSocket()).toBe(true);
    await echoServer(path);
    const c = await lineClient(path);
    c.send('{"id":1}\n');
    expect(((await c.next()) as { echo: unknown }).echo).toEqual({ id: 1 });
  });

  it("refuses a path where another server is listening", async () => {
    const path = freshPath();
    await echoServer(path);
    await expect(startUnixSocketServer({ path, onConnection: () => undefined })).rejects.toThrow(/already listening/);
    const c = await lineClient(path);
    c.send('{"still":"served"}\n');
    expect(((await c.next()) as { echo: unknown }).echo).toEqual({ still: "served" });
  });

  it("refuses a path that holds a regular file and leaves the file alone", async () => {
    const path = freshPath();
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, "keep me");
    await expect(startUnixSocketServer({ path, onConnection: () => undefined })).rejects.toThrow(/exists and is not a socket/);
    expect(readFileSync(path, "utf8")).toBe("keep me");
  });

  it("completes a WebSocket handshake whose first byte arrives alone", async () => {
    const path = freshPath();
    const { connections } = await echoServer(path);
    const raw = connect(path);
    sockets.push(raw);
    await new Promise<void>((resolve) => raw.once("connect", () => resolve()));
    let response = "";
    const switched = new Promise<void>((resolve) =>
      raw.on("data", (chunk: Buffer) => {
        response += chunk.toString("latin1");
        if (response.includes("\r\n\r\n")) resolve();
      }),
    );
    raw.write("G");
    await new Promise((resolve) => setImmediate(resolve));
    raw.write(
      "ET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
    );
    await switched;
    expect(response.startsWith("HTTP/1.1 101 Switching Protocols\r\n")).toBe(true);
    expect(response).toContain("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    expect(connections).toHaveLength(1);
  });

  it("answers the health probe over the socket", async () => {
    const path = freshPath();
    await echoServer(path);
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpGet({ socketPath: path, path: "/readyz" }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.once("error", reject);
    });
    expect({ status, body }).toEqual({ status: 200, body: "ok" });
  });

  it("drain() stops accepting at once (the file goes) while connected clients go on", async () => {
    const path = freshPath();
    const { server } = await echoServer(path);
    const c = await lineClient(path);
    server.drain();
    expect(existsSync(path)).toBe(false);
    await expect(lineClient(path)).rejects.toThrow(/ENOENT/);
    c.send('{"id":1}\n');
    expect(((await c.next()) as { echo: unknown }).echo).toEqual({ id: 1 });
  });

  it("close() ends line clients after what was queued, closes WebSocket clients with 1001, and removes the socket file", async () => {
    const path = freshPath();
    const { server, connections } = await echoServer(path);
    const c = await lineClient(path);
    c.send('{"id":1}\n');
    await c.next();
    const ws = new WebSocket(`ws+unix:${path}:/`);
    sockets.push(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    const wsClosed = new Promise<{ code: number; reason: string }>((resolve) => ws.once("close", (code, reason) => resolve({ code, reason: String(reason) })));
    const ended = new Promise<void>((resolve) => c.socket.once("close", () => resolve()));
    // Queued just before close(): it must reach the client before the end of its connection.
    void connections[0]?.writer.write({ jsonrpc: "2.0", method: "last" } as unknown as Message);
    await server.close();
    expect(await c.next()).toEqual({ method: "last" });
    await ended;
    expect(await wsClosed).toEqual({ code: 1001, reason: "server shutting down" });
    expect(existsSync(path)).toBe(false);
  });
});
