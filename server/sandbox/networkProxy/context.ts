// What the HTTP and SOCKS5 front ends need from the proxy: who owns a socket, one call that decides
// and dials, and the byte relay. Kept apart from server.ts so the front ends do not import the class
// that imports them.
import type { Socket } from "node:net";
import { pipeline } from "node:stream";
import type { DenyReason, ProxyTarget } from "./networkPolicy.js";

export type OpenResult =
  | { readonly kind: "connected"; readonly socket: Socket }
  /** A policy denial; `code` is the x-proxy-error value, `line` the "Network access to … was blocked" sentence. */
  | { readonly kind: "denied"; readonly reason: DenyReason; readonly code: string; readonly line: string }
  /** The target was allowed (or never resolved) but no upstream connection came up. */
  | { readonly kind: "failed"; readonly errno: string | undefined; readonly line: string };

export interface ProxyContext {
  /** The command a client socket is attributed to, or null. */
  ownerOf(socket: Socket): string | null;
  /** Decides the target (networkPolicy.ts order), then dials one of the addresses that were checked. */
  open(target: ProxyTarget, method: string | null, signal: AbortSignal): Promise<OpenResult>;
  readonly handshakeTimeoutMs: number;
}

/**
 * Relays bytes both ways with backpressure. Each direction ends its destination when its source
 * ends (half-close: a client that shuts down writing still gets the rest of the answer); both
 * sockets are destroyed once both directions are done or either fails.
 */
export function splice(client: Socket, upstream: Socket): void {
  client.allowHalfOpen = true;
  upstream.allowHalfOpen = true;
  let open = 2;
  const done = (error?: Error | null): void => {
    open -= 1;
    if (error || open === 0) {
      client.destroy();
      upstream.destroy();
    }
  };
  pipeline(client, upstream, done);
  pipeline(upstream, client, done);
}

/**
 * A signal that aborts when the socket closes (a decision nobody will receive is not worth waiting
 * for), and the call that stops watching once the answer is in.
 */
export function abortOnClose(socket: Socket): { readonly signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onClose = (): void => controller.abort();
  if (socket.destroyed) controller.abort();
  else socket.once("close", onClose);
  return { signal: controller.signal, dispose: () => socket.off("close", onClose) };
}

/**
 * Sends a final answer and closes. Client sockets allow half-open connections (the tunnels need
 * that), so a plain end() would keep a refused client's socket until it hung up itself.
 */
export function answerAndClose(socket: Socket, bytes: string | Buffer): void {
  if (socket.destroyed) return;
  socket.end(bytes, () => socket.destroy());
}
