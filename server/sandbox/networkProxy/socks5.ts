// The SOCKS5 front end (RFC 1928): the no-authentication method and TCP CONNECT with IPv4, domain and
// IPv6 targets. Attribution comes from the socket (see server.ts), so no authentication method is
// offered. BIND and UDP ASSOCIATE get reply 0x07 "command not supported": the proxy cannot relay UDP
// honestly (per-datagram policy and attribution are not built), and BIND would open a listener.
//
// Replies name 0.0.0.0:0 as the bound address: clients ignore it for CONNECT, and the proxy's own
// outbound address is nothing a sandboxed command needs to learn.
//
// Every read is bounded by the protocol (at most 2 + 255 greeting bytes, 4 + 1 + 255 + 2 request
// bytes) and by a handshake deadline, so a client that stalls or floods cannot hold the proxy.
import type { Socket } from "node:net";
import { relayBytes } from "./byteRelay.js";
import { abortOnClose, answerAndClose, type ProxyContext } from "./context.js";
import { normalizeHost } from "./hosts.js";

export const SocksReply = {
  succeeded: 0x00,
  generalFailure: 0x01,
  notAllowed: 0x02,
  networkUnreachable: 0x03,
  hostUnreachable: 0x04,
  connectionRefused: 0x05,
  commandNotSupported: 0x07,
  addressTypeNotSupported: 0x08,
} as const;

const VERSION = 0x05;
const NO_AUTH = 0x00;
const NO_ACCEPTABLE_METHOD = 0xff;
const CMD_CONNECT = 0x01;

class HandshakeClosed extends Error {}

/** Reads exactly n bytes (n ≤ 262) from a paused socket, or rejects if it ends first. */
function readExact(socket: Socket, n: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      socket.off("readable", tryRead);
      socket.off("end", onEnd);
      socket.off("close", onEnd);
    };
    const onEnd = (): void => {
      cleanup();
      reject(new HandshakeClosed("the client closed during the SOCKS handshake"));
    };
    function tryRead(): void {
      const chunk = socket.read(n) as Buffer | null;
      if (chunk === null) return;
      if (chunk.length < n) {
        onEnd();
        return;
      }
      cleanup();
      resolve(chunk);
    }
    socket.on("readable", tryRead);
    socket.once("end", onEnd);
    socket.once("close", onEnd);
    tryRead();
  });
}

function reply(code: number): Buffer {
  return Buffer.from([VERSION, code, 0x00, 0x01, 0, 0, 0, 0, 0, 0]);
}

/** The SOCKS reply for a failed dial, by errno. */
export function replyForErrno(errno: string | undefined): number {
  switch (errno) {
    case "ECONNREFUSED":
      return SocksReply.connectionRefused;
    case "ENETUNREACH":
      return SocksReply.networkUnreachable;
    case "EHOSTUNREACH":
    case "ETIMEDOUT":
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return SocksReply.hostUnreachable;
    case undefined:
    default:
      return SocksReply.generalFailure;
  }
}

export function handleSocks(ctx: ProxyContext, socket: Socket): void {
  socket.setTimeout(ctx.handshakeTimeoutMs, () => socket.destroy());
  negotiate(ctx, socket).catch(() => socket.destroy());
}

async function negotiate(ctx: ProxyContext, socket: Socket): Promise<void> {
  const [version = 0, methodCount = 0] = await readExact(socket, 2);
  if (version !== VERSION) {
    // SOCKS4 has a reply of its own for "request rejected"; any other version gets no answer it could read.
    if (version === 0x04) answerAndClose(socket, Buffer.from([0x00, 0x5b, 0, 0, 0, 0, 0, 0]));
    else socket.destroy();
    return;
  }
  const methods = methodCount > 0 ? await readExact(socket, methodCount) : Buffer.alloc(0);
  if (!methods.includes(NO_AUTH)) {
    answerAndClose(socket, Buffer.from([VERSION, NO_ACCEPTABLE_METHOD]));
    return;
  }
  socket.write(Buffer.from([VERSION, NO_AUTH]));

  const [reqVersion = 0, command = 0, , addressType = 0] = await readExact(socket, 4);
  if (reqVersion !== VERSION) {
    answerAndClose(socket, reply(SocksReply.generalFailure));
    return;
  }
  let rawHost: string;
  switch (addressType) {
    case 0x01:
      rawHost = Array.from(await readExact(socket, 4)).join(".");
      break;
    case 0x03: {
      const [length = 0] = await readExact(socket, 1);
      rawHost = length === 0 ? "" : (await readExact(socket, length)).toString("latin1");
      break;
    }
    case 0x04: {
      const bytes = await readExact(socket, 16);
      const groups: string[] = [];
      for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16));
      rawHost = groups.join(":");
      break;
    }
    default:
      answerAndClose(socket, reply(SocksReply.addressTypeNotSupported));
      return;
  }
  const port = (await readExact(socket, 2)).readUInt16BE(0);
  if (command !== CMD_CONNECT) {
    answerAndClose(socket, reply(SocksReply.commandNotSupported));
    return;
  }
  const host = normalizeHost(rawHost);
  if (host === null || port === 0) {
    answerAndClose(socket, reply(SocksReply.generalFailure));
    return;
  }
  socket.setTimeout(0);

  const watch = abortOnClose(socket);
  const result = await ctx
    .open({ host, protocol: "socks5-tcp", port, owner: ctx.ownerOf(socket) }, null, "tunnel", watch.signal)
    .finally(() => watch.dispose());
  switch (result.kind) {
    case "denied":
      answerAndClose(socket, reply(SocksReply.notAllowed));
      return;
    case "failed":
      answerAndClose(socket, reply(replyForErrno(result.errno)));
      return;
    case "connected":
      if (socket.destroyed) {
        result.socket.destroy();
        return;
      }
      socket.write(reply(SocksReply.succeeded));
      relayBytes(socket, result.socket, result.reads);
  }
}
