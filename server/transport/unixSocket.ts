// The unix socket listener: many clients, each its own connection, access limited by file permissions.
//
// Invariants:
// - The socket file is created 0600 (umask narrowed around bind, then chmod as a second guard), and a
//   missing parent directory is created 0700, so only the owning user can connect. There is no token
//   auth on this transport; the filesystem is the boundary, as in the reference.
// - A file already at the path is removed only when it is a socket and nothing answers a connect on it
//   (a stale file left by a crash). A live listener or a non-socket file is an error naming the path.
// - Each client speaks either newline-delimited JSON (the same framing as stdio) or WebSocket, decided by
//   its first byte: an HTTP request line starts with "G" ("GET"), which no JSON value can. The reference
//   serves WebSocket on its unix socket, so Codex clients using unix:// connect unchanged, while
//   line-based tools (socat, nc -U) also work.
// - drain() stops accepting at once (the listening socket closes and its file is removed), and the
//   WebSocket endpoint drains (/readyz 503, upgrades refused); clients already connected go on.
// - close() drains, then ends every client connection politely: a WebSocket client gets a close frame
//   1001, a line client a FIN after what is queued for it; a client still there after closeWaitMs is
//   dropped. terminate() drops every client at once.
import { once } from "node:events";
import { mkdirSync, chmodSync, lstatSync, unlinkSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { connect, createServer } from "node:net";
import type { Socket } from "node:net";
import { dirname } from "node:path";
import type { Logger } from "../log.js";
import type { TransportConnection } from "./framing.js";
import { JsonLineMessageReader } from "./jsonLineReader.js";
import { JsonLineMessageWriter } from "./jsonLineWriter.js";
import { attachWebSocketEndpoint, DEFAULT_CLOSE_WAIT_MS } from "./webSocket.js";

export const SOCKET_FILE_MODE = 0o600;
export const SOCKET_DIR_MODE = 0o700;
export const DEFAULT_SOCKET_FILE_NAME = "app-server.sock";

export interface UnixSocketServerOptions {
  /** Socket file path; the caller passes `<home>/app-server.sock` when --listen unix:// names none. */
  path: string;
  onConnection: (connection: TransportConnection) => void;
  /** Longest accepted line for line-framed clients. Default 64 MiB. */
  maxLineBytes?: number;
  /** Outbound queue limit per WebSocket client. Default 16 MiB. */
  maxBufferedBytes?: number;
  /** Origins allowed for WebSocket clients that send an Origin header. */
  allowedOrigins?: readonly string[];
  /** How long close() waits for clients to go before dropping them. Default 2 s. */
  closeWaitMs?: number;
  log?: Logger;
}

export interface RunningUnixSocketServer {
  readonly path: string;
  /** Stops accepting clients now (the socket file goes); connected clients go on. */
  drain(): void;
  /** Drains, then ends every client connection (see the header). */
  close(): Promise<void>;
  /** Stops accepting and drops every client now. */
  terminate(): void;
}

const FIRST_BYTE_OF_HTTP_GET = 0x47;

export async function startUnixSocketServer(opts: UnixSocketServerOptions): Promise<RunningUnixSocketServer> {
  await prepareSocketPath(opts.path);

  const clients = new Set<Socket>();
  /** The clients handed to the http server (probes and WebSockets): theirs to close. */
  const httpClients = new WeakSet<Socket>();
  /** A line client's writer ends its socket after the lines it has queued. */
  const lineWriters = new WeakMap<Socket, JsonLineMessageWriter>();
  let nextClient = 1;
  const name = (): string => `unix:${opts.path}#${nextClient++}`;

  const http = createHttpServer();
  const endpoint = attachWebSocketEndpoint(http, {
    onConnection: opts.onConnection,
    remoteName: () => name(),
    ...(opts.allowedOrigins ? { allowedOrigins: opts.allowedOrigins } : {}),
    ...(opts.maxBufferedBytes !== undefined ? { maxBufferedBytes: opts.maxBufferedBytes } : {}),
    ...(opts.maxLineBytes !== undefined ? { maxPayloadBytes: opts.maxLineBytes } : {}),
    ...(opts.log ? { log: opts.log } : {}),
  });

  const server = createServer((socket) => {
    clients.add(socket);
    socket.once("close", () => clients.delete(socket));
    socket.on("error", (err) => opts.log?.debug({ err }, "unix socket client error"));
    socket.once("data", (first: Buffer) => {
      socket.pause();
      socket.unshift(first);
      if (first[0] === FIRST_BYTE_OF_HTTP_GET) {
        // The http server reads straight from the handle once it owns the socket; resuming makes the
        // sniffed bytes, which sit in the stream buffer, reach its parser first.
        httpClients.add(socket);
        http.emit("connection", socket);
        socket.resume();
      } else {
        openLineConnection(socket);
      }
    });
  });

  function openLineConnection(socket: Socket): void {
    const reader = new JsonLineMessageReader(socket, opts.maxLineBytes === undefined ? {} : { maxLineBytes: opts.maxLineBytes });
    const writer = new JsonLineMessageWriter(socket);
    lineWriters.set(socket, writer);
    opts.onConnection({ reader, writer, remote: name(), close: () => socket.end(() => socket.destroy()) });
  }

  // events.once rejects on "error", so a failed bind surfaces here.
  const listening = once(server, "listening");
  // process.umask(mask) throws in worker threads; chmod below still applies there.
  let previous: number | undefined;
  try {
    previous = process.umask(0o177);
  } catch {
    previous = undefined;
  }
  try {
    server.listen(opts.path);
  } finally {
    if (previous !== undefined) {
      process.umask(previous);
    }
  }
  await listening;
  chmodSync(opts.path, SOCKET_FILE_MODE);
  server.on("error", (err) => opts.log?.error({ err }, "unix socket listener error"));

  let listenerClosed: Promise<void> | undefined;
  const drain = (): Promise<void> => {
    endpoint.drain();
    // Resolves once every client has gone as well.
    return (listenerClosed ??= new Promise<void>((resolve) => server.close(() => resolve())));
  };
  const dropClients = (): void => {
    for (const socket of clients) {
      socket.destroy();
    }
    clients.clear();
  };
  let closing: Promise<void> | undefined;
  return {
    path: opts.path,
    drain: () => void drain(),
    close(): Promise<void> {
      closing ??= (async () => {
        const closed = drain();
        const waitMs = opts.closeWaitMs ?? DEFAULT_CLOSE_WAIT_MS;
        // WebSocket clients are the endpoint's; the others are line clients (or have not spoken yet).
        const webSockets = endpoint.closeAll(waitMs);
        for (const socket of clients) {
          if (!httpClients.has(socket)) (lineWriters.get(socket) ?? socket).end();
        }
        const timer = setTimeout(dropClients, waitMs);
        await webSockets;
        // The http server's clients left are probes (idle keep-alive or in flight), which a listening
        // http server's closeAllConnections() would end; this one never listens, so it has no such list.
        for (const socket of clients) {
          if (httpClients.has(socket)) socket.destroy();
        }
        await closed;
        clearTimeout(timer);
      })();
      return closing;
    },
    terminate(): void {
      void drain();
      endpoint.terminateAll();
      dropClients();
    },
  };
}

async function prepareSocketPath(path: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true, mode: SOCKET_DIR_MODE });
  let stat;
  try {
    stat = lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") {
      return;
    }
    throw err;
  }
  if (!stat.isSocket()) {
    throw new Error(`cannot listen on ${path}: the path exists and is not a socket; remove it or choose another path`);
  }
  if (await somethingListens(path)) {
    throw new Error(`cannot listen on ${path}: another server is already listening there`);
  }
  unlinkSync(path);
}

function somethingListens(path: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const probe = connect(path);
    probe.once("connect", () => {
      probe.destroy();
      resolve(true);
    });
    probe.once("error", (err: NodeJS.ErrnoException) => {
      probe.destroy();
      if (err.code === "ECONNREFUSED" || err.code === "ENOENT") {
        resolve(false);
      } else {
        reject(new Error(`cannot check whether ${path} is in use: ${err.message}`, { cause: err }));
      }
    });
  });
}
