// The WebSocket listener: an http server for health probes plus upgrades into one connection per socket.
//
// Invariants:
// - Every check happens before the upgrade completes, so a refused client never gets a WebSocket:
//   an Origin header not in allowedOrigins (exact match) → 403, since browsers let any page open
//   WebSocket connections to loopback and only the Origin header tells them apart; then, when auth is
//   configured, a missing or invalid bearer token → 401 with a short reason.
// - GET/HEAD /readyz and /healthz answer 200 "ok"; GET /metrics (when given) answers the Prometheus
//   text, behind the same bearer auth as the upgrade unless it was made public (--metrics-public:
//   for a scraper inside the pod's network that holds no token); every other plain HTTP request gets
//   404. Once the endpoint drains (the daemon's shutdown has begun), /readyz answers 503 and every
//   upgrade is refused with 503, while /healthz and /metrics stay up and open WebSockets go on until
//   they are closed.
// - A non-loopback bind without auth is refused at startup (assertSafeBind), which is stricter than the
//   reference (it only warns): an unauthenticated agent server on a reachable address runs commands for
//   anyone who connects.
// - close() drains, stops listening, drops half-finished handshakes and sends every open WebSocket a
//   close frame 1001 "going away" behind what is already queued for it; a peer that has not answered
//   within closeWaitMs is terminated. terminate() drops everything at once.
// - The same endpoint logic is reused by the unix socket listener for clients that speak WebSocket there.
import { once } from "node:events";
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { BlockList } from "node:net";
import type { AddressInfo, Socket } from "node:net";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import type { WebSocket } from "ws";
import type { Logger } from "../log.js";
import { createAuthVerifier } from "./auth.js";
import type { AuthVerifier, WsAuthConfig } from "./auth.js";
import type { TransportConnection } from "./framing.js";
import { DEFAULT_MAX_LINE_BYTES } from "./jsonLineReader.js";
import { WebSocketMessageReader } from "./webSocketReader.js";
import { WebSocketMessageWriter } from "./webSocketWriter.js";

export interface WebSocketEndpointOptions {
  /** Exact Origin header values allowed to connect (e.g. from --ws-allow-origin). Requests without Origin are allowed. */
  allowedOrigins?: readonly string[];
  /** Checked on each upgrade request when present. */
  verify?: AuthVerifier;
  /** Outbound queue limit per client before it is closed as a slow consumer. Default 16 MiB. */
  maxBufferedBytes?: number;
  /** Largest accepted inbound message in bytes (ws closes with 1009 beyond it). Default 64 MiB. */
  maxPayloadBytes?: number;
  onConnection: (connection: TransportConnection) => void;
  /** How a client is named in TransportConnection.remote and logs; default "IP:PORT" of the peer. */
  remoteName?: (req: IncomingMessage) => string;
  /** Served at GET /metrics; absent: 404 there. */
  metrics?: MetricsEndpoint;
  log?: Logger;
}

export interface MetricsEndpoint {
  readonly contentType: string;
  scrape(): Promise<string>;
  /** Served without the socket's auth (--metrics-public). */
  readonly public: boolean;
}

export interface WebSocketServerOptions extends Omit<WebSocketEndpointOptions, "verify" | "remoteName"> {
  host: string;
  port: number;
  auth?: WsAuthConfig | undefined;
  /** How long close() waits for peers to answer the close frame before terminating them. Default 2 s. */
  closeWaitMs?: number;
}

export interface RunningWebSocketServer {
  /** The bound address; port is the real one when 0 was asked for. */
  readonly host: string;
  readonly port: number;
  readonly url: string;
  /** /readyz answers 503 and upgrades are refused with 503 from now on; open WebSockets go on. */
  drain(): void;
  /** Drains, stops listening and closes every WebSocket with 1001 (see the header). */
  close(): Promise<void>;
  /** Stops listening and drops every connection now, without close frames. */
  terminate(): void;
}

export interface WebSocketEndpoint {
  /** /readyz answers 503 and upgrades are refused with 503 from now on; open WebSockets go on. */
  drain(): void;
  /**
   * Drains, drops pending handshakes and sends every open WebSocket a 1001 close frame; resolves once
   * all are closed, terminating those whose peer has not answered within `waitMs`.
   */
  closeAll(waitMs: number): Promise<void>;
  /** Terminates every open WebSocket and pending handshake of this endpoint. */
  terminateAll(): void;
}

/** What a server that is going away sends (RFC 6455 §7.4.1). */
export const GOING_AWAY_CLOSE_CODE = 1001;
export const GOING_AWAY_REASON = "server shutting down";
export const DEFAULT_CLOSE_WAIT_MS = 2000;
const SHUTTING_DOWN = { status: 503, reason: "server shutting down" } as const;

const HEALTH_PATHS = new Set(["/readyz", "/healthz"]);
// Non-special schemes (vscode-webview://, app://) have an opaque URL origin yet are sent verbatim by
// Electron and webviews, so the shape is checked by hand and URL only normalises the special ones.
const ORIGIN_SHAPE = /^[a-z][a-z0-9+.-]*:\/\/[^/?#\s]+$/i;

const loopback = new BlockList();
loopback.addSubnet("127.0.0.0", 8, "ipv4");
loopback.addAddress("::1", "ipv6");

export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  if (bare.toLowerCase() === "localhost") {
    return true;
  }
  try {
    return bare.includes(":") ? loopback.check(bare, "ipv6") : loopback.check(bare, "ipv4");
  } catch {
    return false;
  }
}

/**
 * Validates --ws-allow-origin values. Browsers send Origin as scheme://host[:port] with no path and the
 * default port omitted, and the check is an exact string match, so anything else could never match and
 * is refused here instead of silently locking the intended page out.
 */
export function parseAllowedOrigins(values: readonly string[]): string[] {
  return values.map((value) => {
    let normalized: string | undefined;
    try {
      const origin = new URL(value).origin;
      normalized = origin === "null" ? undefined : origin;
    } catch {
      normalized = undefined;
    }
    if (ORIGIN_SHAPE.test(value) && (normalized === undefined || normalized === value)) {
      return value;
    }
    const hint = normalized !== undefined && normalized !== value ? ` (did you mean ${normalized}?)` : "";
    throw new Error(`--ws-allow-origin ${value} is not an origin; expected scheme://host[:port] as browsers send it${hint}`);
  });
}

/** Throws when a listener on a non-loopback address would accept clients without authentication. */
export function assertSafeBind(host: string, auth: WsAuthConfig | AuthVerifier | undefined, port?: number): void {
  if (auth !== undefined || isLoopbackHost(host)) {
    return;
  }
  const where = `ws://${formatHost(host)}${port === undefined ? "" : `:${port}`}`;
  throw new Error(
    `refusing to listen on ${where} without authentication: add --ws-auth capability-token --ws-token-file PATH ` +
      `(or --ws-auth signed-bearer-token --ws-shared-secret-file PATH), or listen on 127.0.0.1`,
  );
}

export async function startWebSocketServer(opts: WebSocketServerOptions): Promise<RunningWebSocketServer> {
  assertSafeBind(opts.host, opts.auth, opts.port);
  const verify = opts.auth === undefined ? undefined : createAuthVerifier(opts.auth);
  const server = createServer();
  const endpoint = attachWebSocketEndpoint(server, { ...opts, ...(verify ? { verify } : {}) });

  // events.once rejects on "error", so a failed bind surfaces here.
  const listening = once(server, "listening");
  server.listen({ host: opts.host, port: opts.port });
  await listening;
  server.on("error", (err) => opts.log?.error({ err }, "websocket listener error"));

  const address = server.address() as AddressInfo;
  const host = address.address;
  let listenerClosed: Promise<void> | undefined;
  const stopListening = (): Promise<void> => (listenerClosed ??= new Promise<void>((resolve) => server.close(() => resolve())));
  let closing: Promise<void> | undefined;
  return {
    host,
    port: address.port,
    url: `ws://${formatHost(host)}:${address.port}`,
    drain: () => endpoint.drain(),
    close(): Promise<void> {
      closing ??= (async () => {
        const closed = stopListening();
        await endpoint.closeAll(opts.closeWaitMs ?? DEFAULT_CLOSE_WAIT_MS);
        // Probes still in flight; idle keep-alive connections were closed by server.close().
        server.closeAllConnections();
        await closed;
      })();
      return closing;
    },
    terminate(): void {
      void stopListening();
      endpoint.terminateAll();
      server.closeAllConnections();
    },
  };
}

/**
 * Installs the health probes and the WebSocket upgrade handling on an http server, which may be listening
 * on TCP or merely be fed sockets by another listener (the unix socket one).
 */
export function attachWebSocketEndpoint(server: Server, opts: WebSocketEndpointOptions): WebSocketEndpoint {
  const allowed = new Set(opts.allowedOrigins ?? []);
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: true,
    perMessageDeflate: false,
    maxPayload: opts.maxPayloadBytes ?? DEFAULT_MAX_LINE_BYTES,
  });
  const handshaking = new Set<Duplex>();
  const remoteName = opts.remoteName ?? describeRemote;
  let draining = false;

  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "/").split("?", 1)[0] ?? "/";
    if (path === "/metrics" && opts.metrics !== undefined && (req.method === "GET" || req.method === "HEAD")) {
      void serveMetrics(req, res, opts.metrics);
      return;
    }
    const healthy = (req.method === "GET" || req.method === "HEAD") && HEALTH_PATHS.has(path);
    const status = !healthy ? 404 : draining && path === "/readyz" ? 503 : 200;
    respond(req, res, status, status === 200 ? "ok" : status === 503 ? "shutting down" : "not found");
  });

  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const swallow = (): void => {};
    socket.on("error", swallow);
    handshaking.add(socket);
    // Until ws takes the socket over, its errors (a peer hanging up mid-check) are ours to absorb.
    void admit(req).then(
      (refusal) => {
        handshaking.delete(socket);
        if (socket.destroyed) {
          return;
        }
        if (refusal !== undefined) {
          opts.log?.info({ remote: remoteName(req), status: refusal.status, reason: refusal.reason }, "websocket upgrade refused");
          refuse(socket, refusal);
          return;
        }
        socket.off("error", swallow);
        wss.handleUpgrade(req, socket, head, (ws) => accept(ws, req));
      },
      (err: unknown) => {
        handshaking.delete(socket);
        opts.log?.error({ err }, "websocket upgrade check failed");
        refuse(socket, { status: 500, reason: "internal error" });
      },
    );
  });

  async function serveMetrics(req: IncomingMessage, res: ServerResponse, metrics: MetricsEndpoint): Promise<void> {
    try {
      if (!metrics.public && opts.verify !== undefined) {
        const result = await opts.verify(req);
        if (!result.ok) {
          respond(req, res, 401, `${result.reason}\n`, { "WWW-Authenticate": 'Bearer realm="gatehouse"' });
          return;
        }
      }
      respond(req, res, 200, await metrics.scrape(), { "Content-Type": metrics.contentType });
    } catch (err) {
      opts.log?.error({ err }, "metrics scrape failed");
      if (!res.headersSent) respond(req, res, 500, "metrics scrape failed\n");
      else res.destroy();
    }
  }

  async function admit(req: IncomingMessage): Promise<{ status: number; reason: string } | undefined> {
    if (draining) {
      return SHUTTING_DOWN;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !allowed.has(origin)) {
      return { status: 403, reason: "origin not allowed; start the server with --ws-allow-origin ORIGIN" };
    }
    if (opts.verify !== undefined) {
      const result = await opts.verify(req);
      if (!result.ok) {
        return { status: 401, reason: result.reason };
      }
    }
    return draining ? SHUTTING_DOWN : undefined;
  }

  function accept(ws: WebSocket, req: IncomingMessage): void {
    const reader = new WebSocketMessageReader(ws);
    const writer = new WebSocketMessageWriter(ws, opts.maxBufferedBytes === undefined ? {} : { maxBufferedBytes: opts.maxBufferedBytes });
    opts.onConnection({
      reader,
      writer,
      remote: remoteName(req),
      close: () => {
        if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) {
          ws.close(1000);
        }
      },
    });
  }

  function dropHandshakes(): void {
    for (const socket of handshaking) {
      socket.destroy();
    }
    handshaking.clear();
  }

  return {
    drain(): void {
      draining = true;
    },
    async closeAll(waitMs: number): Promise<void> {
      draining = true;
      dropHandshakes();
      const open = [...wss.clients];
      const closed = Promise.all(open.map((ws) => ws.readyState !== ws.CLOSED && new Promise<void>((resolve) => ws.once("close", () => resolve()))));
      for (const ws of open) {
        if (ws.readyState === ws.OPEN) {
          ws.close(GOING_AWAY_CLOSE_CODE, GOING_AWAY_REASON);
        }
      }
      const timer = setTimeout(() => open.forEach((ws) => ws.terminate()), waitMs);
      await closed;
      clearTimeout(timer);
      wss.close();
    },
    terminateAll(): void {
      draining = true;
      dropHandshakes();
      for (const ws of wss.clients) {
        ws.terminate();
      }
      wss.close();
    },
  };
}

/** A plain HTTP answer (text unless `headers` say otherwise); a HEAD request gets the headers only. */
function respond(req: IncomingMessage, res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", "Content-Length": Buffer.byteLength(body), ...headers });
  res.end(req.method === "HEAD" ? undefined : body);
}

function refuse(socket: Duplex, refusal: { status: number; reason: string }): void {
  const statusText: Record<number, string> = { 401: "Unauthorized", 403: "Forbidden", 500: "Internal Server Error", 503: "Service Unavailable" };
  const body = `${refusal.reason}\n`;
  const headers = [
    `HTTP/1.1 ${refusal.status} ${statusText[refusal.status] ?? "Error"}`,
    "Connection: close",
    "Content-Type: text/plain; charset=utf-8",
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...(refusal.status === 401 ? ['WWW-Authenticate: Bearer realm="gatehouse"'] : []),
  ];
  socket.end(`${headers.join("\r\n")}\r\n\r\n${body}`, () => socket.destroy());
}

function describeRemote(req: IncomingMessage): string {
  const socket = req.socket as Socket;
  if (socket.remoteAddress === undefined) {
    return "local";
  }
  return `${formatHost(socket.remoteAddress)}:${socket.remotePort ?? 0}`;
}

function formatHost(host: string): string {
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}
