// The managed network proxy: one per daemon, shared by every thread, listening on 127.0.0.1 only (on
// ports the system picks), started on first use so the daemon's cold start does not pay for it.
// HTTP (absolute-form and CONNECT, http.ts) and SOCKS5 (TCP CONNECT, socks5.ts) share one decision
// path (networkPolicy.ts) and one dialer, and every decision is reported as an event.
//
// Attribution: a connection belongs to the command whose channel delivered it. The daemon hands the
// proxy each socket together with its owner (`attach(socket, kind, owner)`), and the shared ports
// treat whatever connects to them directly as unattributed, which is denied. This fits the IPC relay
// (netRelay.ts): each command's relay, inside its network namespace, passes every accepted socket to the
// daemon over that command's own IPC channel, so the owner is known from which channel a socket came
// through: the command cannot forge it, and it needs nothing in the command's environment or in the
// client's protocol. The alternative, a token in `Proxy-Authorization` / a SOCKS5 username, was turned
// down: the token would sit in the command's environment and proxy URLs (readable by the command, and
// by whatever it logs or passes on), and tools that drop proxy credentials (several do for SOCKS or
// for HTTPS tunnels) would fail for a reason nobody could see. Where no relay exists (macOS Seatbelt,
// and tests), `openEndpoint(owner)` gives a command loopback ports of its own whose connections are
// attached to it; that is only as strong as the rule that keeps other processes off those ports.
//
// The shared ports (ensureStarted) still matter: their numbers are the ones every relay listens on
// inside its namespace, so the proxy variables (proxyEnv.ts) are the same inside and out, and a host process
// that dials them gets an honest refusal.
//
// Invariants: nothing is dialled before networkPolicy.ts has allowed it; what is dialled is an address the
// policy checked (never a second lookup); every socket the proxy holds has an 'error' listener and
// ends on close() (and on releaseOwner() for that owner's); no listener binds anything but 127.0.0.1.
import { promises as dns } from "node:dns";
import type { Server as HttpServer } from "node:http";
import { connect, createServer, type AddressInfo, type OnReadOpts, type Server, type Socket } from "node:net";
import { ReadBuffers } from "./byteRelay.js";
import type { OpenResult, ProxyContext, UpstreamUse } from "./context.js";
import { createHttpFrontend } from "./http.js";
import {
  blockedLine,
  compilePolicy,
  evaluate,
  proxyErrorCode,
  type AllowReason,
  type CompiledPolicy,
  type DecideFn,
  type DenyReason,
  type NetworkPolicy,
  type ProxyTarget,
  type ResolvedAddress,
  type Resolver,
} from "./networkPolicy.js";
import { handleSocks } from "./socks5.js";

export type ProxyEvent =
  /** The target may be reached; `address` is the one dialled (set on the successful dial). */
  | { readonly type: "allowed"; readonly target: ProxyTarget; readonly reason: AllowReason; readonly address: string }
  /** A policy refusal; `line` is the blockedLine sentence, `code` the x-proxy-error value. */
  | { readonly type: "denied"; readonly target: ProxyTarget; readonly reason: DenyReason; readonly code: string; readonly line: string }
  /** Allowed (or never resolved), yet no upstream connection came up. */
  | { readonly type: "upstream-failed"; readonly target: ProxyTarget; readonly errno: string | undefined; readonly line: string };

export interface DialOptions {
  /** For a tunnel's upstream: net.connect's `onread` (byteRelay.ts). A dialer that drops it still works, slower. */
  readonly onread?: OnReadOpts;
}

/** Opens a TCP connection to one checked address; the returned socket may still be connecting. */
export type Dialer = (address: ResolvedAddress, port: number, options: DialOptions) => Socket;

export interface NetworkProxyOptions {
  readonly policy: NetworkPolicy;
  /** Asked about targets neither list decides; absent means such targets are denied. */
  readonly decide?: DecideFn;
  /** How long an ask may take before the target is denied. Default 120 000 ms. */
  readonly decisionTimeoutMs?: number;
  /** One call per decision and per failed dial; a throwing listener is ignored. */
  readonly onEvent?: (event: ProxyEvent) => void;
  /** Default: every address `dns.lookup` returns. */
  readonly resolver?: Resolver;
  /** Default: `net.connect` to the address. */
  readonly dialer?: Dialer;
  /** Cap on an HTTP request's header bytes; over it, 431 and close. Default 64 KiB. */
  readonly maxHeaderBytes?: number;
  /** How long a dial may take. Default 30 000 ms. */
  readonly connectTimeoutMs?: number;
  /** How long a client may take to state its first request (SOCKS handshake, HTTP head). Default 30 000 ms. */
  readonly handshakeTimeoutMs?: number;
}

export interface ProxyPorts {
  readonly httpPort: number;
  readonly socksPort: number;
}

export interface ProxyEndpoint extends ProxyPorts {
  /** Stops listening and ends the connections that came in through this endpoint. */
  close(): Promise<void>;
}

export type FrontendKind = "http" | "socks5";

const LOOPBACK = "127.0.0.1";
/** Tried in order when a name has several addresses; all were checked, this only bounds the attempts. */
const MAX_DIAL_ATTEMPTS = 8;

export const defaultResolver: Resolver = async (host) => {
  const found = await dns.lookup(host, { all: true, verbatim: true });
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

const defaultDialer: Dialer = (address, port, options) => connect({ host: address.address, port, family: address.family, allowHalfOpen: true, ...options });

export class NetworkProxyClosedError extends Error {
  constructor() {
    super("the network proxy is closed");
    this.name = "NetworkProxyClosedError";
  }
}

export class NetworkProxy {
  #policy: CompiledPolicy;
  readonly #decide: DecideFn | undefined;
  readonly #decisionTimeoutMs: number;
  readonly #onEvent: ((event: ProxyEvent) => void) | undefined;
  readonly #resolve: Resolver;
  readonly #dial: Dialer;
  readonly #connectTimeoutMs: number;
  readonly #http: HttpServer;
  readonly #context: ProxyContext;
  readonly #owners = new WeakMap<Socket, string>();
  readonly #sockets = new Set<Socket>();
  readonly #byOwner = new Map<string, Set<Socket>>();
  readonly #endpoints = new Map<string, Set<ProxyEndpoint>>();
  readonly #closing = new AbortController();
  readonly #inflight = new Set<AbortController>();
  #started: Promise<ProxyPorts> | undefined;
  #listeners: Server[] = [];

  constructor(options: NetworkProxyOptions) {
    this.#policy = compilePolicy(options.policy);
    this.#decide = options.decide;
    this.#decisionTimeoutMs = options.decisionTimeoutMs ?? 120_000;
    this.#onEvent = options.onEvent;
    this.#resolve = options.resolver ?? defaultResolver;
    this.#dial = options.dialer ?? defaultDialer;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? 30_000;
    this.#context = {
      ownerOf: (socket) => this.#owners.get(socket) ?? null,
      open: (target, method, use, signal) => this.#open(target, method, use, signal),
      handshakeTimeoutMs: options.handshakeTimeoutMs ?? 30_000,
    };
    this.#http = createHttpFrontend(this.#context, options.maxHeaderBytes ?? 64 * 1024);
  }

  /** Replaces the lists, mode and local-binding switch; later decisions use the new policy at once. */
  setPolicy(policy: NetworkPolicy): void {
    this.#policy = compilePolicy(policy);
  }

  /** Starts the shared listeners once; later calls return the same ports. */
  ensureStarted(): Promise<ProxyPorts> {
    if (this.#closing.signal.aborted) return Promise.reject(new NetworkProxyClosedError());
    this.#started ??= this.#listenPair(null).then(
      ([http, socks]) => {
        this.#listeners.push(http, socks);
        return { httpPort: portOf(http), socksPort: portOf(socks) };
      },
      (error: unknown) => {
        this.#started = undefined;
        throw error;
      },
    );
    return this.#started;
  }

  /**
   * Takes over a client socket that `owner` opened (e.g. one a command's relay passed over IPC).
   * The socket speaks HTTP-proxy or SOCKS5 according to `kind`.
   */
  attach(socket: Socket, kind: FrontendKind, owner: string | null): void {
    if (this.#closing.signal.aborted) {
      socket.on("error", () => undefined);
      socket.destroy();
      return;
    }
    this.#track(socket, owner);
    if (owner !== null) this.#owners.set(socket, owner);
    if (kind === "http") {
      // The HTTP server enforces its headersTimeout only for sockets it accepted itself; this bounds
      // the wait for the first request line and headers (http.ts clears it once a request is in).
      socket.setTimeout(this.#context.handshakeTimeoutMs);
      this.#http.emit("connection", socket);
    } else handleSocks(this.#context, socket);
  }

  /** Loopback ports of `owner`'s own: what connects there is attributed to it. */
  async openEndpoint(owner: string): Promise<ProxyEndpoint> {
    if (this.#closing.signal.aborted) throw new NetworkProxyClosedError();
    const [http, socks] = await this.#listenPair(owner);
    const mine = new Set<Socket>();
    const track = (server: Server): void => {
      server.on("connection", (socket: Socket) => {
        mine.add(socket);
        socket.once("close", () => mine.delete(socket));
      });
    };
    track(http);
    track(socks);
    const endpoint: ProxyEndpoint = {
      httpPort: portOf(http),
      socksPort: portOf(socks),
      close: async () => {
        this.#endpoints.get(owner)?.delete(endpoint);
        for (const socket of mine) socket.destroy();
        await Promise.all([closeServer(http), closeServer(socks)]);
      },
    };
    let set = this.#endpoints.get(owner);
    if (!set) this.#endpoints.set(owner, (set = new Set()));
    set.add(endpoint);
    return endpoint;
  }

  /** Ends every connection attributed to `owner` and closes its endpoints (its command is over). */
  async releaseOwner(owner: string): Promise<void> {
    for (const socket of this.#byOwner.get(owner) ?? []) socket.destroy();
    this.#byOwner.delete(owner);
    const endpoints = [...(this.#endpoints.get(owner) ?? [])];
    this.#endpoints.delete(owner);
    await Promise.all(endpoints.map((e) => e.close()));
  }

  /** Stops listening, abandons pending asks and ends every connection. */
  async close(): Promise<void> {
    this.#closing.abort();
    for (const pending of this.#inflight) pending.abort();
    const endpoints = [...this.#endpoints.values()].flatMap((s) => [...s]);
    this.#endpoints.clear();
    for (const socket of this.#sockets) socket.destroy();
    this.#http.closeAllConnections();
    const listeners = this.#listeners;
    this.#listeners = [];
    await Promise.all([...listeners.map(closeServer), ...endpoints.map((e) => e.close())]);
  }

  async #listenPair(owner: string | null): Promise<[Server, Server]> {
    const http = createServer({ allowHalfOpen: true }, (socket) => this.attach(socket, "http", owner));
    const socks = createServer({ allowHalfOpen: true }, (socket) => this.attach(socket, "socks5", owner));
    try {
      await Promise.all([listen(http), listen(socks)]);
    } catch (error) {
      await Promise.all([closeServer(http), closeServer(socks)]);
      throw error;
    }
    return [http, socks];
  }

  #track(socket: Socket, owner: string | null): void {
    // A reset client or upstream is routine for a proxy: never an unhandled 'error'.
    socket.on("error", () => undefined);
    this.#sockets.add(socket);
    let mine: Set<Socket> | undefined;
    if (owner !== null) {
      mine = this.#byOwner.get(owner);
      if (!mine) this.#byOwner.set(owner, (mine = new Set()));
      mine.add(socket);
    }
    socket.once("close", () => {
      this.#sockets.delete(socket);
      if (mine) {
        mine.delete(socket);
        if (mine.size === 0 && this.#byOwner.get(owner as string) === mine) this.#byOwner.delete(owner as string);
      }
    });
  }

  #emit(event: ProxyEvent): void {
    try {
      this.#onEvent?.(event);
    } catch {
      // A listener's fault must not decide a connection.
    }
  }

  async #open(target: ProxyTarget, method: string | null, use: UpstreamUse, clientGone: AbortSignal): Promise<OpenResult> {
    // One controller per decision, aborted by its client going away or by close(). close() reaches
    // them through #inflight rather than a listener on a proxy-wide signal, which would gain one
    // listener per connection for the daemon's lifetime.
    const controller = new AbortController();
    const onGone = (): void => controller.abort();
    if (clientGone.aborted || this.#closing.signal.aborted) controller.abort();
    clientGone.addEventListener("abort", onGone);
    this.#inflight.add(controller);
    try {
      return await this.#decideAndDial(target, method, use, controller.signal);
    } finally {
      this.#inflight.delete(controller);
      clientGone.removeEventListener("abort", onGone);
    }
  }

  async #decideAndDial(target: ProxyTarget, method: string | null, use: UpstreamUse, signal: AbortSignal): Promise<OpenResult> {
    const verdict = await evaluate(this.#policy, target, method, {
      resolve: this.#resolve,
      decide: this.#decide,
      decisionTimeoutMs: this.#decisionTimeoutMs,
      signal,
    });
    switch (verdict.kind) {
      case "deny": {
        const code = proxyErrorCode(verdict.reason);
        const line = blockedLine(target.host, verdict.message);
        this.#emit({ type: "denied", target, reason: verdict.reason, code, line });
        return { kind: "denied", reason: verdict.reason, code, line };
      }
      case "unresolved": {
        const line = `Network access to ${JSON.stringify(target.host)} failed: ${verdict.message}.`;
        this.#emit({ type: "upstream-failed", target, errno: "ENOTFOUND", line });
        return { kind: "failed", errno: "ENOTFOUND", line };
      }
      case "allow":
        break;
    }
    let lastErrno: string | undefined;
    for (const address of verdict.addresses.slice(0, MAX_DIAL_ATTEMPTS)) {
      if (signal.aborted) break;
      const reads = use === "tunnel" ? new ReadBuffers() : null;
      const dialled = await this.#connectOnce(address, target.port, reads, signal);
      if ("socket" in dialled) {
        this.#track(dialled.socket, target.owner);
        this.#emit({ type: "allowed", target, reason: verdict.reason, address: address.address });
        return { kind: "connected", socket: dialled.socket, reads };
      }
      lastErrno = dialled.errno;
    }
    const line = `Network access to ${JSON.stringify(target.host)} failed: could not connect to port ${target.port} (${lastErrno ?? "aborted"}).`;
    this.#emit({ type: "upstream-failed", target, errno: lastErrno, line });
    return { kind: "failed", errno: lastErrno, line };
  }

  #connectOnce(
    address: ResolvedAddress,
    port: number,
    reads: ReadBuffers | null,
    signal: AbortSignal,
  ): Promise<{ socket: Socket } | { errno: string | undefined }> {
    return new Promise((resolve) => {
      let socket: Socket;
      try {
        socket = this.#dial(address, port, reads ? { onread: reads.options } : {});
      } catch (error) {
        resolve({ errno: (error as NodeJS.ErrnoException).code });
        return;
      }
      socket.on("error", () => undefined);
      const finish = (result: { socket: Socket } | { errno: string | undefined }): void => {
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        socket.off("connect", onConnect);
        socket.off("error", onError);
        if (!("socket" in result)) socket.destroy();
        resolve(result);
      };
      const onConnect = (): void => finish({ socket });
      const onError = (error: NodeJS.ErrnoException): void => finish({ errno: error.code });
      const onAbort = (): void => finish({ errno: "ECANCELED" });
      const timer = setTimeout(() => finish({ errno: "ETIMEDOUT" }), this.#connectTimeoutMs);
      socket.once("connect", onConnect);
      socket.once("error", onError);
      signal.addEventListener("abort", onAbort, { once: true });
      if (!socket.connecting && !socket.destroyed && socket.remoteAddress !== undefined) finish({ socket });
    });
  }
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    // The backlog covers a burst of connections from many commands at once (1,000 is the target).
    server.listen({ host: LOOPBACK, port: 0, backlog: 1024 }, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) resolve();
    else server.close(() => resolve());
  });
}

function portOf(server: Server): number {
  return (server.address() as AddressInfo).port;
}
