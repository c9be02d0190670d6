// What the HTTP and SOCKS5 front ends need from the proxy: who owns a socket, and one call that
// decides and dials. Kept apart from server.ts so the front ends do not import the class
// that imports them.
import type { Socket } from "node:net";
import type { ReadBuffers } from "./byteRelay.js";
import type { DenyReason, ProxyTarget } from "./networkPolicy.js";

/** What the caller does with the upstream connection: relay raw bytes, or speak HTTP on it. */
export type UpstreamUse = "tunnel" | "request";

export type OpenResult =
  /** `reads`: the read buffers a tunnel's upstream was dialled with (relayBytes takes them), else null. */
  | { readonly kind: "connected"; readonly socket: Socket; readonly reads: ReadBuffers | null }
  /** A policy denial; `code` is the x-proxy-error value, `line` the "Network access to … was blocked" sentence. */
  | { readonly kind: "denied"; readonly reason: DenyReason; readonly code: string; readonly line: string }
  /** The target was allowed (or never resolved) but no upstream connection came up. */
  | { readonly kind: "failed"; readonly errno: string | undefined; readonly line: string };

export interface ProxyContext {
  /** The command a client socket is attributed to, or null. */
  ownerOf(socket: Socket): string | null;
  /** Decides the target (networkPolicy.ts order), then dials one of the addresses that were checked. */
  open(target: ProxyTarget, method: string | null, use: UpstreamUse, signal: AbortSignal): Promise<OpenResult>;
  readonly handshakeTimeoutMs: number;
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
