// Loopback upstreams and minimal clients for the proxy's tests. Upstreams listen on 127.0.0.2 and up
// (127.0.0.1 is the proxy's, and the managed NO_PROXY sends it around proxies) and count the connections
// they accept, so a test can prove that nothing reached them. Every wait is bounded by the test's own
// timeout; nothing here measures time.
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from "node:http";
import { connect, createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { once } from "node:events";

export interface Upstream {
  readonly host: string;
  readonly port: number;
  /** Connections accepted so far. */
  accepted(): number;
  /** The accepted connections still open. */
  readonly sockets: ReadonlySet<Socket>;
  close(): Promise<void>;
}

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
}

async function listenOn(server: Server | HttpServer, host: string): Promise<number> {
  server.listen(0, host);
  await once(server, "listening");
  return (server.address() as AddressInfo).port;
}

function counted(server: Server | HttpServer, host: string): Promise<Upstream> {
  let count = 0;
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    count += 1;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  return listenOn(server, host).then((port) => ({
    host,
    port,
    sockets,
    accepted: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  }));
}

/** An HTTP server that answers every request with `reply` and records what it got. */
export async function httpUpstream(
  host: string,
  reply: (req: RecordedRequest, res: ServerResponse) => void = (_req, res) => res.end("hello from upstream"),
): Promise<Upstream & { requests: RecordedRequest[] }> {
  const requests: RecordedRequest[] = [];
  // Headers larger than Node's 16 KiB default must reach it when the proxy lets them through.
  const server = createHttpServer({ maxHeaderSize: 256 * 1024 }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const recorded = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString() };
      requests.push(recorded);
      reply(recorded, res);
    });
  });
  const up = await counted(server, host);
  return { ...up, requests };
}

/** A TCP server that echoes what it reads and ends its side when the client ends its own. */
export async function echoUpstream(host: string): Promise<Upstream> {
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    socket.on("error", () => undefined);
    socket.pipe(socket);
  });
  return counted(server, host);
}

/** A port on `host` where nothing listens (bound, then released). */
export async function closedPort(host: string): Promise<number> {
  const server = createServer();
  const port = await listenOn(server, host);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function dial(port: number, host = "127.0.0.1"): Promise<Socket> {
  const socket = connect({ host, port, allowHalfOpen: true });
  socket.on("error", () => undefined);
  return once(socket, "connect").then(() => socket);
}

/**
 * Everything the peer sends until it ends or the connection closes; our side is ended then too.
 * Write errors (a peer that hung up early) are ignored.
 */
export function readAll(socket: Socket): Promise<Buffer> {
  const chunks: Buffer[] = [];
  socket.on("data", (c: Buffer) => chunks.push(c));
  return new Promise((resolve) => {
    const done = (): void => {
      socket.end();
      resolve(Buffer.concat(chunks));
    };
    socket.once("end", done);
    socket.once("close", done);
    socket.resume();
  });
}

/** Sends raw bytes to the proxy and returns all it answers before closing. */
export async function exchange(port: number, bytes: string | Buffer, options: { end?: boolean } = {}): Promise<Buffer> {
  const socket = await dial(port);
  const all = readAll(socket);
  socket.write(bytes);
  if (options.end) socket.end();
  return all;
}

/** Reads until `n` bytes have arrived (or the socket closes) and returns them. */
export function readBytes(socket: Socket, n: number): Promise<Buffer> {
  return new Promise((resolve) => {
    let buffered = Buffer.alloc(0);
    const onData = (c: Buffer): void => {
      buffered = Buffer.concat([buffered, c]);
      if (buffered.length >= n) finish();
    };
    const finish = (): void => {
      socket.off("data", onData);
      socket.off("close", finish);
      socket.pause();
      if (buffered.length > n) socket.unshift(buffered.subarray(n));
      resolve(buffered.subarray(0, n));
    };
    socket.on("data", onData);
    socket.once("close", finish);
    socket.resume();
  });
}

export type SocksAddress = { type: "ipv4"; host: string } | { type: "domain"; host: string } | { type: "ipv6"; bytes: Buffer };

export function socksRequest(command: number, address: SocksAddress, port: number): Buffer {
  let addr: Buffer;
  switch (address.type) {
    case "ipv4":
      addr = Buffer.from([0x01, ...address.host.split(".").map(Number)]);
      break;
    case "domain":
      addr = Buffer.concat([Buffer.from([0x03, Buffer.byteLength(address.host)]), Buffer.from(address.host)]);
      break;
    case "ipv6":
      addr = Buffer.concat([Buffer.from([0x04]), address.bytes]);
      break;
  }
  const portBytes = Buffer.alloc(2);
  portBytes.writeUInt16BE(port);
  return Buffer.concat([Buffer.from([0x05, command, 0x00]), addr, portBytes]);
}

/**
 * Greets with no-auth and sends one request. Returns the reply code (or null if the proxy closed
 * without one) and the socket, which after a 0x00 reply carries the tunnel.
 */
export async function socksConnect(proxyPort: number, address: SocksAddress, port: number, command = 0x01): Promise<{ reply: number | null; socket: Socket }> {
  const socket = await dial(proxyPort);
  socket.write(Buffer.from([0x05, 0x01, 0x00]));
  const method = await readBytes(socket, 2);
  if (method.length < 2 || method[1] !== 0x00) return { reply: null, socket };
  socket.write(socksRequest(command, address, port));
  const reply = await readBytes(socket, 10);
  return { reply: reply.length >= 2 ? (reply[1] ?? null) : null, socket };
}

/** Parses the status line and headers of a raw HTTP answer. */
export function parseAnswer(raw: Buffer): { status: number; headers: Record<string, string>; body: string } {
  const text = raw.toString("latin1");
  const split = text.indexOf("\r\n\r\n");
  const head = split === -1 ? text : text.slice(0, split);
  const [statusLine = "", ...lines] = head.split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(" ")[1] ?? 0), headers, body: split === -1 ? "" : text.slice(split + 4) };
}

/**
 * Whether the peer has closed the connection for good, not just its sending side. After an end of
 * stream Node stops reading, so the peer's reset only surfaces on a write: write a few bytes at a
 * time (at most 10 times) until one fails. A peer still holding a half-open socket accepts them all.
 */
export async function peerHasLetGo(socket: Socket): Promise<boolean> {
  for (let i = 0; i < 10 && !socket.destroyed; i++) {
    await new Promise<void>((resolve) => socket.write("?", () => resolve()));
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return socket.destroyed;
}
