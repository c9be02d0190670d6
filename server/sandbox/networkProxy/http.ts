// The HTTP front end: absolute-form forwarding (`GET http://host:port/path`) and `CONNECT host:port`
// tunnels, on Node's own HTTP parser (llhttp). It gives what a proxy facing untrusted clients needs
// without a dependency: a header cap (`maxHeaderSize`; over it the server answers 431 and closes), and
// 400-and-close for a request line it cannot parse; both are Node's own `clientError` answers, pinned
// by tests. Requests are decided one by one, so a kept-alive client cannot reuse one approval for
// another host.
//
// Forwarding rules: hop-by-hop headers (RFC 9110 §7.6.1, the Proxy-* ones, and whatever Connection
// names) never cross; the request target is sent in origin form exactly as the client spelled its path;
// each request gets its own upstream connection to an address the policy checked; bodies stream both
// ways with backpressure. Refusals are 403 with `x-proxy-error` and the blockedLine sentence as the body.
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { pipeline } from "node:stream";
import { relayBytes } from "./byteRelay.js";
import { abortOnClose, answerAndClose, type OpenResult, type ProxyContext } from "./context.js";
import { normalizeHost } from "./hosts.js";

const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/** Raw header pairs without hop-by-hop headers (including those the Connection header lists). */
export function endToEndHeaders(raw: readonly string[]): string[] {
  const listed = new Set<string>();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i]?.toLowerCase() === "connection") {
      for (const name of (raw[i + 1] ?? "").split(",")) listed.add(name.trim().toLowerCase());
    }
  }
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] ?? "";
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || listed.has(lower)) continue;
    out.push(name, raw[i + 1] ?? "");
  }
  return out;
}

export type ParsedTarget = { readonly host: string; readonly port: number; readonly path: string } | { readonly error: string };

function parsePort(text: string | undefined): number | null {
  if (text === undefined || !/^\d{1,5}$/.test(text)) return null;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : null;
}

/** `http://host[:port]/path?query` → its parts; the path keeps the client's spelling. */
export function parseAbsoluteForm(url: string): ParsedTarget {
  const m = /^http:\/\/([^/?#]*)([^#]*)/i.exec(url);
  if (!m) {
    return /^[a-z][a-z0-9+.-]*:\/\//i.test(url)
      ? { error: "only http:// URLs are forwarded; use CONNECT for https" }
      : { error: "a proxy request needs an absolute http:// URL" };
  }
  const authority = (m[1] ?? "").replace(/^.*@/, ""); // userinfo is never forwarded
  const hostPort = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(authority);
  const host = hostPort?.[1] ? normalizeHost(hostPort[1]) : null;
  if (host === null) return { error: "the URL has no valid host" };
  const portText = hostPort?.[2];
  const port = portText === undefined || portText === "" ? 80 : parsePort(portText);
  if (port === null) return { error: "the URL has an invalid port" };
  const path = m[2] === "" || m[2] === undefined ? "/" : m[2];
  if (!path.startsWith("/") && !path.startsWith("?")) return { error: "the URL has an invalid path" };
  return { host, port, path: path.startsWith("?") ? `/${path}` : path };
}

/** `host:port` or `[v6]:port`; the port is required (a CONNECT target without one gets 400). */
export function parseAuthority(authority: string): ParsedTarget {
  const m = /^(\[[^\]]*\]|[^:[\]/]+):(\d+)$/.exec(authority);
  if (!m) return { error: "CONNECT needs host:port" };
  const host = normalizeHost(m[1] ?? "");
  const port = parsePort(m[2]);
  if (host === null) return { error: "CONNECT names no valid host" };
  if (port === null) return { error: "CONNECT names an invalid port" };
  return { host, port, path: "" };
}

function plainHeaders(body: string, extra: Record<string, string> = {}): Record<string, string | number> {
  return { "content-type": "text/plain; charset=utf-8", "content-length": Buffer.byteLength(body), connection: "close", ...extra };
}

function answer(res: ServerResponse, status: number, body: string, extra: Record<string, string> = {}): void {
  if (res.destroyed || res.writableEnded) return;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, plainHeaders(body, extra));
  res.end(body);
}

/** The same answers on a raw socket (after CONNECT the HTTP machinery has let go of it). */
function answerRaw(socket: Socket, status: number, reason: string, body: string, extra: Record<string, string> = {}): void {
  const lines = [`HTTP/1.1 ${status} ${reason}`];
  for (const [k, v] of Object.entries(plainHeaders(body, extra))) lines.push(`${k}: ${v}`);
  answerAndClose(socket, `${lines.join("\r\n")}\r\n\r\n${body}`);
}

function refusal(result: Exclude<OpenResult, { kind: "connected" }>): { status: number; reason: string; body: string; extra: Record<string, string> } {
  return result.kind === "denied"
    ? { status: 403, reason: "Forbidden", body: `${result.line}\n`, extra: { "x-proxy-error": result.code } }
    : { status: 502, reason: "Bad Gateway", body: `${result.line}\n`, extra: {} };
}

export function createHttpFrontend(ctx: ProxyContext, maxHeaderBytes: number): Server {
  const server = createServer({
    maxHeaderSize: maxHeaderBytes,
    // Uploads through the proxy may take long; the header phase keeps Node's headersTimeout.
    requestTimeout: 0,
  });
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    res.on("error", () => undefined); // a client gone mid-answer is routine, never a crash
    forward(ctx, req, res).catch(() => res.destroy());
  });
  server.on("connect", (req: IncomingMessage, socket: Socket, head: Buffer) => {
    tunnel(ctx, req, socket, head).catch(() => socket.destroy());
  });
  return server;
}

async function forward(ctx: ProxyContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  req.socket.setTimeout(0); // the request is in; an answer may take as long as the upstream takes
  const parsed = parseAbsoluteForm(req.url ?? "");
  if ("error" in parsed) {
    answer(res, 400, `${parsed.error}\n`);
    return;
  }
  const owner = ctx.ownerOf(req.socket);
  const method = req.method ?? "GET";
  const watch = abortOnClose(req.socket);
  const result = await ctx
    .open({ host: parsed.host, protocol: "http", port: parsed.port, owner }, method, "request", watch.signal)
    .finally(() => watch.dispose());
  if (result.kind !== "connected") {
    const r = refusal(result);
    answer(res, r.status, r.body, r.extra);
    return;
  }
  const upstreamSocket = result.socket;
  const headers = endToEndHeaders(req.rawHeaders);
  if (!headers.some((_, i) => i % 2 === 0 && headers[i]?.toLowerCase() === "host")) {
    headers.push("Host", parsed.port === 80 ? parsed.host : `${parsed.host}:${parsed.port}`);
  }
  // Node decoded a chunked body; ask it to re-frame it the same way (it does so for this header).
  if (req.headers["transfer-encoding"] !== undefined) headers.push("Transfer-Encoding", "chunked");
  const upstreamReq = httpRequest({
    method,
    path: parsed.path,
    headers,
    setHost: false,
    createConnection: () => upstreamSocket,
  });
  upstreamReq.on("response", (upstreamRes: IncomingMessage) => {
    res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.statusMessage, endToEndHeaders(upstreamRes.rawHeaders));
    pipeline(upstreamRes, res, (error) => {
      if (error) {
        res.destroy();
        upstreamSocket.destroy();
      }
    });
  });
  upstreamReq.on("error", (error: NodeJS.ErrnoException) => {
    upstreamSocket.destroy();
    answer(res, 502, `the upstream ${parsed.host}:${parsed.port} failed: ${error.code ?? error.message}\n`);
  });
  res.on("close", () => {
    // A client that goes away mid-answer must not leave the upstream connection behind.
    if (!res.writableFinished) upstreamReq.destroy();
  });
  pipeline(req, upstreamReq, (error) => {
    if (error) upstreamReq.destroy();
  });
}

async function tunnel(ctx: ProxyContext, req: IncomingMessage, socket: Socket, head: Buffer): Promise<void> {
  socket.setTimeout(0); // a tunnel may stay quiet as long as its ends like
  const parsed = parseAuthority(req.url ?? "");
  if ("error" in parsed) {
    answerRaw(socket, 400, "Bad Request", `${parsed.error}\n`);
    return;
  }
  const owner = ctx.ownerOf(socket);
  const watch = abortOnClose(socket);
  const result = await ctx
    .open({ host: parsed.host, protocol: "https", port: parsed.port, owner }, "CONNECT", "tunnel", watch.signal)
    .finally(() => watch.dispose());
  if (result.kind !== "connected") {
    const r = refusal(result);
    answerRaw(socket, r.status, r.reason, r.body, r.extra);
    return;
  }
  if (socket.destroyed) {
    result.socket.destroy();
    return;
  }
  socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
  if (head.length > 0) result.socket.write(head);
  relayBytes(socket, result.socket, result.reads);
}
