// Managed networking (ExecRequest.relay): the child gets a Node IPC channel after its extra fds; the
// relay inside passes each accepted socket over it and the runner attaches it to the proxy as the
// request's owner. Only a net.Socket with kind "http" or "socks5" is attached; any other handle is
// closed, any other message ignored (the relay runs beside the command it serves and is no more
// trusted than it). The runner never calls releaseOwner: the owner's lifetime is the caller's.
import { Socket } from "node:net";
import type { ManagedRelay } from "./launcherTypes.js";

/** A handle the relay had no business sending (a server, a datagram socket…): closed, never used. */
function closeForeignHandle(handle: unknown): void {
  const h = handle as { destroy?: () => void; close?: () => void; on?: (event: string, cb: () => void) => void };
  try {
    h.on?.("error", () => undefined);
    if (typeof h.destroy === "function") h.destroy();
    else if (typeof h.close === "function") h.close();
  } catch {
    // already closed
  }
}

export class RelayChannel {
  private readyReported = false;

  constructor(private readonly relay: ManagedRelay) {}

  /** The relay said "ready": its listeners are up, so the command has started behind it. */
  get ready(): boolean {
    return this.readyReported;
  }

  /** What arrives on the IPC channel. */
  readonly onMessage = (message: unknown, handle: unknown): void => {
    const kind = typeof message === "object" && message !== null ? (message as { kind?: unknown }).kind : undefined;
    if (handle instanceof Socket && (kind === "http" || kind === "socks5")) {
      this.relay.proxy.attach(handle, kind, this.relay.owner);
      return;
    }
    if (handle !== undefined && handle !== null) closeForeignHandle(handle);
    if (kind === "ready" && handle === undefined) this.readyReported = true;
  };
}
