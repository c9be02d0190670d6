// WebSocket transport over real sockets on 127.0.0.1: frames, refusals before the upgrade, health
// probes, auth, and slow-peer disconnects.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SignJWT } from "jose";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { Message } from "vscode-jsonrpc";
import WebSocket from "ws";
import type { WsAuthConfig } from "../../server/transport/auth.js";
import type { TransportConnection } from "../../server/transport/framing.js";
import { FrameParseError } from "../../server/transport/framing.js";
import { startWebSocketServer } from "../../server/transport/webSocket.js";
import type { RunningWebSocketServer, WebSocketServerOptions } from "../../server/transport/webSocket.js";
import { SlowConsumerError } from "../../server/transport/webSocketWriter.js";
import { within } from "../helpers/within.js";

const dir = mkdtempSync(join(tmpdir(), "gatehouse-ws-"));
const servers: RunningWebSocketServer[] = [];
const clients: WebSocket[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) {
    client.terminate();
  }
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts a server whose connections echo every message and report reader errors as {"readerError": …}. */
async function echoServer(extra: Partial<WebSocketServerOptions> = {}): Promise<{ server: RunningWebSocketServer; connections: TransportConnection[] }> {
  const connections: TransportConnection[] = [];
  const server = await startWebSocketServer({
    host: "127.0.0.1",
    port: 0,
    onConnection: (conn) => {
      connections.push(conn);
      conn.reader.onError((err) => {
        void conn.writer
          .write({ readerError: err.message, parseError: err instanceof FrameParseError && err.code === -32700 } as unknown as Message)
          .catch(() => undefined);
      });
      conn.reader.listen((msg) => {
        void conn.writer.write({ jsonrpc: "2.0", echo: msg } as unknown as Message).catch(() => undefined);
      });
    },
    ...extra,
  });
  servers.push(server);
  return { server, connections };
}

function connect(url: string, options: WebSocket.ClientOptions = {}): WebSocket {
  const client = new WebSocket(url, options);
  clients.push(client);
  return client;
}

/** Resolves when the client is open, or with the HTTP status and body of a refused upgrade. */
function outcome(client: WebSocket): Promise<{ open: true } | { status: number; body: string }> {
  return new Promise((resolve, reject) => {
    client.once("open", () => resolve({ open: true }));
    client.once("unexpected-response", (_req, res: IncomingMessage) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    client.once("error", (err) => reject(err));
  });
}

/** Collects text frames as parsed JSON and hands them out in order. */
function inbox(client: WebSocket): () => Promise<unknown> {
  const queue: unknown[] = [];
  const waiting: ((v: unknown) => void)[] = [];
  client.on("message", (data, isBinary) => {
    const value: unknown = isBinary ? { binary: true } : JSON.parse((data as Buffer).toString("utf8"));
    const next = waiting.shift();
    if (next) {
      next(value);
    } else {
      queue.push(value);
    }
  });
  return () => (queue.length > 0 ? Promise.resolve(queue.shift()) : new Promise((resolve) => waiting.push(resolve)));
}

describe("WebSocket transport", () => {
  it("listens on port 0 and reports the bound address", async () => {
    const { server } = await echoServer();
    expect(server.port).toBeGreaterThan(0);
    expect(server.host).toBe("127.0.0.1");
    expect(server.url).toBe(`ws://127.0.0.1:${server.port}`);
  });

  it("round-trips text frames one message each, without the jsonrpc member", async () => {
    const { server, connections } = await echoServer();
    const client = connect(server.url);
    const next = inbox(client);
    expect(await outcome(client)).toEqual({ open: true });
    client.send('{"id":1,"method":"initialize","params":{"t":"a\u2028b\\n"}}');
    client.send('{"method":"initialized"}');
    expect(await next()).toEqual({ echo: { id: 1, method: "initialize", params: { t: "a\u2028b\n" } } });
    expect(await next()).toEqual({ echo: { method: "initialized" } });
    expect(connections).toHaveLength(1);
    expect(connections[0]?.remote).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it("reports an unparseable text frame and keeps serving", async () => {
    const { server } = await echoServer();
    const client = connect(server.url);
    const next = inbox(client);
    await outcome(client);
    client.send("{oops");
    client.send('{"id":2}');
    expect(await next()).toEqual({ readerError: expect.any(String), parseError: true });
    expect(await next()).toEqual({ echo: { id: 2 } });
  });

  it("refuses binary frames with a parse error and keeps the socket open", async () => {
    const { server } = await echoServer();
    const client = connect(server.url);
    const next = inbox(client);
    await outcome(client);
    client.send(Buffer.from('{"id":3}'), { binary: true });
    expect(await next()).toEqual({
      readerError: "binary frames are not supported; send JSON as text frames",
      parseError: true,
    });
    client.send('{"id":4}');
    expect(await next()).toEqual({ echo: { id: 4 } });
    expect(client.readyState).toBe(WebSocket.OPEN);
  });

  it("closes the socket on a text frame with invalid UTF-8 (ws enforces RFC 6455)", async () => {
    const { server } = await echoServer();
    const client = connect(server.url);
    await outcome(client);
    const closed = new Promise<number>((resolve) => client.once("close", (code) => resolve(code)));
    client.send(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]), { binary: false });
    expect(await closed).toBe(1007);
  });

  it("answers the health probes and 404 for anything else", async () => {
    const { server } = await echoServer();
    const base = `http://127.0.0.1:${server.port}`;
    for (const path of ["/readyz", "/healthz", "/healthz?verbose=1"]) {
      const res = await fetch(base + path);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe("ok");
    }
    expect((await fetch(base + "/readyz", { method: "HEAD" })).status).toBe(200);
    expect((await fetch(base + "/")).status).toBe(404);
    expect((await fetch(base + "/readyz", { method: "POST" })).status).toBe(404);
  });

  it("refuses an upgrade with an Origin header unless that origin is allowed", async () => {
    const { server, connections } = await echoServer({ allowedOrigins: ["http://allowed.example"] });
    const refused = await outcome(connect(server.url, { origin: "http://evil.example" }));
    expect(refused).toEqual({ status: 403, body: expect.stringContaining("origin not allowed") });
    const nearMiss = await outcome(connect(server.url, { origin: "http://allowed.example:80" }));
    expect(nearMiss).toMatchObject({ status: 403 });
    expect(await outcome(connect(server.url, { origin: "http://allowed.example" }))).toEqual({ open: true });
    expect(await outcome(connect(server.url))).toEqual({ open: true });
    expect(connections).toHaveLength(2);
  });

  it("refuses every Origin when none is allowed", async () => {
    const { server, connections } = await echoServer();
    expect(await outcome(connect(server.url, { origin: "null" }))).toMatchObject({ status: 403 });
    expect(connections).toHaveLength(0);
  });

  describe("capability token", () => {
    const tokenFile = join(dir, "token");
    writeFileSync(tokenFile, "ws-capability-123\n");

    it("accepts the right bearer token and refuses a wrong or missing one with 401", async () => {
      const { server, connections } = await echoServer({ auth: { mode: "capability-token", token: { kind: "file", path: tokenFile } } });
      const good = connect(server.url, { headers: { Authorization: "Bearer ws-capability-123" } });
      const next = inbox(good);
      expect(await outcome(good)).toEqual({ open: true });
      good.send('{"id":1}');
      expect(await next()).toEqual({ echo: { id: 1 } });

      expect(await outcome(connect(server.url, { headers: { Authorization: "Bearer ws-capability-124" } }))).toEqual({
        status: 401,
        body: "invalid bearer token\n",
      });
      expect(await outcome(connect(server.url))).toEqual({ status: 401, body: expect.stringContaining("missing bearer token") });
      expect(connections).toHaveLength(1);
    });

    it("checks Origin before the token", async () => {
      const { server } = await echoServer({ auth: { mode: "capability-token", token: { kind: "file", path: tokenFile } } });
      const client = connect(server.url, { origin: "http://evil.example", headers: { Authorization: "Bearer ws-capability-123" } });
      expect(await outcome(client)).toMatchObject({ status: 403 });
    });

    it("accepts a token matching --ws-token-sha256", async () => {
      const { createHash } = await import("node:crypto");
      const hex = createHash("sha256").update("hashed-token").digest("hex");
      const { server } = await echoServer({ auth: { mode: "capability-token", token: { kind: "sha256", hex } } });
      expect(await outcome(connect(server.url, { headers: { Authorization: "Bearer hashed-token" } }))).toEqual({ open: true });
      expect(await outcome(connect(server.url, { headers: { Authorization: `Bearer ${hex}` } }))).toMatchObject({ status: 401 });
    });
  });

  describe("signed bearer token", () => {
    const secret = "0123456789abcdef0123456789abcdef-gatehouse";
    const secretFile = join(dir, "secret");
    writeFileSync(secretFile, secret);
    const auth: WsAuthConfig = {
      mode: "signed-bearer-token",
      sharedSecretFile: secretFile,
      issuer: "gh-issuer",
      audience: "gh-audience",
      maxClockSkewSeconds: 30,
    };
    const now = (): number => Math.floor(Date.now() / 1000);
    const sign = (claims: Record<string, unknown>, key = secret): Promise<string> =>
      new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).sign(new TextEncoder().encode(key));
    const valid = { iss: "gh-issuer", aud: "gh-audience" };

    it.each<[string, () => Promise<string>, { open: true } | { status: number; body: string }]>([
      ["a valid token", () => sign({ ...valid, exp: now() + 300 }), { open: true }],
      [
        "a bad signature",
        () => sign({ ...valid, exp: now() + 300 }, "another-secret-another-secret-xx"),
        { status: 401, body: "bearer token signature is invalid\n" },
      ],
      ["an expired token", () => sign({ ...valid, exp: now() - 300 }), { status: 401, body: "bearer token has expired\n" }],
      ["nbf in the future", () => sign({ ...valid, exp: now() + 600, nbf: now() + 300 }), { status: 401, body: "bearer token is not valid yet\n" }],
      ["a wrong audience", () => sign({ ...valid, aud: "someone-else", exp: now() + 300 }), { status: 401, body: "bearer token audience mismatch\n" }],
      ["a wrong issuer", () => sign({ ...valid, iss: "someone-else", exp: now() + 300 }), { status: 401, body: "bearer token issuer mismatch\n" }],
    ])("%s", async (_name, token, expected) => {
      const { server } = await echoServer({ auth });
      const client = connect(server.url, { headers: { Authorization: `Bearer ${await token()}` } });
      expect(await outcome(client)).toEqual(expected);
    });
  });

  it("refuses to listen on a non-loopback address without auth", async () => {
    await expect(startWebSocketServer({ host: "0.0.0.0", port: 0, onConnection: () => undefined })).rejects.toThrow(
      /refusing to listen on ws:\/\/0\.0\.0\.0:0 without authentication: add --ws-auth capability-token --ws-token-file PATH/,
    );
  });

  it("closes a client that stops reading with 1008 slow consumer", async () => {
    const limit = 256 * 1024;
    const failures: unknown[] = [];
    let ready!: (conn: TransportConnection) => void;
    const started = new Promise<TransportConnection>((resolve) => (ready = resolve));
    const { server } = await echoServer({
      maxBufferedBytes: limit,
      onConnection: (conn) => {
        conn.writer.onError(([err]) => failures.push(err));
        conn.reader.listen(() => ready(conn));
      },
    });

    const client = connect(server.url);
    await outcome(client);
    client.pause();
    client.send('{"method":"ready"}');
    const conn = await started;

    const chunk = { method: "item/delta", params: { text: "d".repeat(64 * 1024) } } as unknown as Message;
    let rejection: unknown;
    let sent = 0;
    for (; sent < 2000 && rejection === undefined; sent++) {
      await conn.writer.write(chunk).catch((err: unknown) => {
        rejection = err;
      });
    }
    expect(rejection).toBeInstanceOf(SlowConsumerError);
    expect(failures).toContain(rejection);
    await expect(conn.writer.write(chunk)).rejects.toThrow(/not open/);

    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      client.once("close", (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    client.resume();
    expect(await closed).toEqual({ code: 1008, reason: "slow consumer" });
  });

  it("drain(): /readyz answers 503 and upgrades are refused with 503, while /healthz and open sockets go on", async () => {
    const { server } = await echoServer();
    const open = connect(server.url);
    const next = inbox(open);
    await outcome(open);
    server.drain();
    const http = `http://127.0.0.1:${server.port}`;
    const ready = await fetch(`${http}/readyz`);
    expect({ status: ready.status, body: await ready.text() }).toEqual({ status: 503, body: "shutting down" });
    expect((await fetch(`${http}/healthz`)).status).toBe(200);
    expect(await outcome(connect(server.url))).toEqual({ status: 503, body: "server shutting down\n" });
    open.send('{"id":5}');
    expect(await next()).toEqual({ echo: { id: 5 } });
  });

  it("close() sends 1001 behind what was queued, stops listening and waits for the peer", async () => {
    const { server, connections } = await echoServer();
    const client = connect(server.url);
    const next = inbox(client);
    await outcome(client);
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      client.once("close", (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    void connections[0]?.writer.write({ jsonrpc: "2.0", method: "last" } as unknown as Message);
    await server.close();
    expect(await next()).toEqual({ method: "last" });
    expect(await closed).toEqual({ code: 1001, reason: "server shutting down" });
    await expect(fetch(`http://127.0.0.1:${server.port}/readyz`)).rejects.toThrow();
  });

  it("close() terminates a peer that does not answer the close frame within closeWaitMs", async () => {
    const { server } = await echoServer({ closeWaitMs: 100 });
    const client = connect(server.url);
    await outcome(client);
    // Paused, the client never reads the close frame, so it never answers it; without closeWaitMs
    // the server would wait for ws's own 30 s close timeout.
    client.pause();
    await within(server.close(), 10_000, "close() with a silent peer");
  });

  it("terminate() drops open sockets without a close frame", async () => {
    const { server } = await echoServer();
    const client = connect(server.url);
    await outcome(client);
    const closed = new Promise<number>((resolve) => client.once("close", (code) => resolve(code)));
    server.terminate();
    expect(await closed).toBe(1006);
    await expect(fetch(`http://127.0.0.1:${server.port}/readyz`)).rejects.toThrow();
  });
});
