// The proxy over real loopback sockets. Upstreams live on 127.0.0.2+ and count what they accept, so
// "nothing reached the upstream" is a number, not a hope. Targets outside loopback are only ever
// named to the resolver and dialer seams, which record them and never send a packet there.
import { connect, createServer } from "node:net";
import { request as httpRequest } from "node:http";
import { once } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { NetworkProxy, type Dialer, type NetworkProxyOptions, type ProxyEvent } from "./server.js";
import type { DecideFn, NetworkPolicy, ProxyTarget, ResolvedAddress } from "./networkPolicy.js";
import {
  closedPort,
  dial,
  peerHasLetGo,
  echoUpstream,
  exchange,
  httpUpstream,
  parseAnswer,
  readAll,
  readBytes,
  socksConnect,
  type Upstream,
} from "./proxy.testutil.js";

const LOCAL_OK: NetworkPolicy = { mode: "full", allowedDomains: [], deniedDomains: [], allowLocalBinding: true };

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function upstream<T extends Upstream>(u: Promise<T>): Promise<T> {
  const up = await u;
  cleanups.push(() => up.close());
  return up;
}

interface Harness {
  proxy: NetworkProxy;
  events: ProxyEvent[];
  asks: ProxyTarget[];
  dials: string[];
  /** This owner's own ports. */
  httpPort: number;
  socksPort: number;
}

async function start(options: Partial<NetworkProxyOptions> & { owner?: string } = {}): Promise<Harness> {
  const events: ProxyEvent[] = [];
  const asks: ProxyTarget[] = [];
  const dials: string[] = [];
  const decide: DecideFn | undefined = options.decide
    ? (t, c) => {
        asks.push(t);
        return options.decide!(t, c);
      }
    : undefined;
  const inner: Dialer | undefined = options.dialer;
  const proxy = new NetworkProxy({
    ...options,
    policy: options.policy ?? LOCAL_OK,
    decide,
    onEvent: (e) => events.push(e),
    dialer: (address, port, dialOptions) => {
      dials.push(`${address.address}:${port}`);
      if (inner) return inner(address, port, dialOptions);
      // Only loopback is ever dialled for real in these tests.
      if (!address.address.startsWith("127.")) throw new Error(`test dialer refused ${address.address}`);
      return connect({ host: address.address, port, allowHalfOpen: true, ...dialOptions });
    },
  });
  cleanups.push(() => proxy.close());
  const endpoint = await proxy.openEndpoint(options.owner ?? "cmd-1");
  return { proxy, events, asks, dials, httpPort: endpoint.httpPort, socksPort: endpoint.socksPort };
}

/** One request through the HTTP proxy with Node's client: status, headers, body. */
function viaProxy(
  proxyPort: number,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    // As proxy clients do, the Host header names the target, not the proxy.
    const headers = { host: new URL(url).host, ...init.headers };
    const req = httpRequest({ host: "127.0.0.1", port: proxyPort, method: init.method ?? "GET", path: url, headers, setHost: false, agent: false });
    req.on("error", reject);
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.end(init.body);
  });
}

const allowAll: DecideFn = () => Promise.resolve("allow");

describe("HTTP forwarding", () => {
  it("forwards an allowed request: method, path, headers and body; hop-by-hop headers stay behind", async () => {
    const up = await upstream(
      httpUpstream("127.0.0.2", (req, res) => {
        res.setHeader("x-upstream", "yes");
        res.setHeader("proxy-authenticate", "Basic realm=upstream");
        res.end(`got ${req.method} ${req.url} ${req.body}`);
      }),
    );
    const h = await start({ policy: { ...LOCAL_OK, allowedDomains: ["127.0.0.2"] } });
    const res = await viaProxy(h.httpPort, `http://127.0.0.2:${up.port}/a/b%2Fc?q=1`, {
      method: "POST",
      headers: { "x-custom": "1", "proxy-authorization": "Basic c2VjcmV0", connection: "x-drop", "x-drop": "gone" },
      body: "payload",
    });
    expect(res.status).toBe(200);
    expect(res.body).toBe("got POST /a/b%2Fc?q=1 payload");
    expect(res.headers["x-upstream"]).toBe("yes");
    expect(res.headers["proxy-authenticate"]).toBeUndefined();
    const seen = up.requests[0]!.headers;
    expect(seen["x-custom"]).toBe("1");
    expect(seen["host"]).toBe(`127.0.0.2:${up.port}`);
    expect(seen["proxy-authorization"]).toBeUndefined();
    expect(seen["x-drop"]).toBeUndefined();
    expect(h.events).toEqual([
      { type: "allowed", target: { host: "127.0.0.2", protocol: "http", port: up.port, owner: "cmd-1" }, reason: "allowlist", address: "127.0.0.2" },
    ]);
  });

  it("streams a chunked upload of unknown length", async () => {
    const up = await upstream(httpUpstream("127.0.0.2", (req, res) => res.end(`${req.body.length}`)));
    const h = await start({ decide: allowAll });
    const socket = await dial(h.httpPort);
    const answer = readAll(socket);
    socket.write(`POST http://127.0.0.2:${up.port}/ HTTP/1.1\r\nHost: 127.0.0.2\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`);
    for (let i = 0; i < 20; i++) socket.write(`400\r\n${"x".repeat(1024)}\r\n`);
    socket.write("0\r\n\r\n");
    const parsed = parseAnswer(await answer);
    expect(parsed.status).toBe(200);
    expect(parsed.body).toContain("20480");
  });

  it("answers 403 with x-proxy-error and the §5.3 sentence for a denied host; nothing reaches it", async () => {
    const up = await upstream(httpUpstream("127.0.0.2"));
    const h = await start({ policy: { ...LOCAL_OK, allowedDomains: ["127.0.0.2"], deniedDomains: ["127.0.0.2"] }, decide: allowAll });
    const res = await viaProxy(h.httpPort, `http://127.0.0.2:${up.port}/`);
    expect(res.status).toBe(403);
    expect(res.headers["x-proxy-error"]).toBe("blocked-by-denylist");
    expect(res.body).toBe('Network access to "127.0.0.2" was blocked: domain is explicitly denied by policy.\n');
    expect(up.accepted()).toBe(0);
    expect(h.asks).toEqual([]);
    expect(h.dials).toEqual([]);
    expect(h.events).toMatchObject([{ type: "denied", reason: "denylist", code: "blocked-by-denylist" }]);
  });

  it("answers 502 when the allowed upstream refuses the connection", async () => {
    const port = await closedPort("127.0.0.2");
    const h = await start({ decide: allowAll });
    const res = await viaProxy(h.httpPort, `http://127.0.0.2:${port}/`);
    expect(res.status).toBe(502);
    expect(res.headers["x-proxy-error"]).toBeUndefined();
    expect(h.events).toMatchObject([{ type: "upstream-failed", errno: "ECONNREFUSED" }]);
  });

  it("decides each request of a kept-alive connection on its own", async () => {
    const a = await upstream(httpUpstream("127.0.0.2"));
    const b = await upstream(httpUpstream("127.0.0.3"));
    const h = await start({ policy: { ...LOCAL_OK, allowedDomains: ["127.0.0.2"] } });
    const socket = await dial(h.httpPort);
    const answer = readAll(socket);
    socket.write(`GET http://127.0.0.2:${a.port}/ HTTP/1.1\r\nHost: x\r\n\r\n`);
    socket.write(`GET http://127.0.0.3:${b.port}/ HTTP/1.1\r\nHost: x\r\n\r\n`);
    const text = (await answer).toString();
    expect(text).toMatch(/^HTTP\/1\.1 200/);
    expect(text).toContain("HTTP/1.1 403");
    expect(b.accepted()).toBe(0);
  });
});

describe("CONNECT tunnels", () => {
  it("tunnels to an allowed target and keeps the half-close", async () => {
    const echo = await upstream(echoUpstream("127.0.0.2"));
    const h = await start({ decide: allowAll });
    const socket = await dial(h.httpPort);
    socket.write(`CONNECT 127.0.0.2:${echo.port} HTTP/1.1\r\nHost: 127.0.0.2:${echo.port}\r\n\r\n`);
    const head = (await readBytes(socket, 39)).toString();
    expect(head).toBe("HTTP/1.1 200 Connection Established\r\n\r\n");
    const all = readAll(socket);
    socket.end("ping through the tunnel");
    expect((await all).toString()).toBe("ping through the tunnel");
    expect(h.asks).toEqual([{ host: "127.0.0.2", protocol: "https", port: echo.port, owner: "cmd-1" }]);
  });

  it("refuses a CONNECT the approver denies, with 403 and its reason", async () => {
    const echo = await upstream(echoUpstream("127.0.0.2"));
    const h = await start({ decide: () => Promise.resolve({ deny: "declined by the user" }) });
    const raw = await exchange(h.httpPort, `CONNECT 127.0.0.2:${echo.port} HTTP/1.1\r\n\r\n`);
    const parsed = parseAnswer(raw);
    expect(parsed.status).toBe(403);
    expect(parsed.headers["x-proxy-error"]).toBe("blocked-by-allowlist");
    expect(parsed.body).toBe('Network access to "127.0.0.2" was blocked: declined by the user.\n');
    expect(echo.accepted()).toBe(0);
  });
});

describe("SOCKS5", () => {
  it("connects a domain target through the resolver seam", async () => {
    const echo = await upstream(echoUpstream("127.0.0.2"));
    const lookups: string[] = [];
    const h = await start({
      decide: allowAll,
      resolver: (host) => {
        lookups.push(host);
        return Promise.resolve([{ address: "127.0.0.2", family: 4 }]);
      },
    });
    const { reply, socket } = await socksConnect(h.socksPort, { type: "domain", host: "Echo.Example." }, echo.port);
    expect(reply).toBe(0x00);
    const all = readAll(socket);
    socket.end("hi");
    expect((await all).toString()).toBe("hi");
    expect(lookups).toEqual(["echo.example"]);
    expect(h.asks).toEqual([{ host: "echo.example", protocol: "socks5-tcp", port: echo.port, owner: "cmd-1" }]);
  });

  it("connects an IPv4 target", async () => {
    const echo = await upstream(echoUpstream("127.0.0.3"));
    const h = await start({ policy: { ...LOCAL_OK, allowedDomains: ["127.0.0.3"] } });
    const { reply, socket } = await socksConnect(h.socksPort, { type: "ipv4", host: "127.0.0.3" }, echo.port);
    expect(reply).toBe(0x00);
    const all = readAll(socket);
    socket.end("v4");
    expect((await all).toString()).toBe("v4");
  });

  it("reads an IPv6 target and dials exactly that address (through the dialer seam)", async () => {
    const echo = await upstream(echoUpstream("127.0.0.2"));
    const h = await start({
      policy: { ...LOCAL_OK, allowLocalBinding: false },
      decide: allowAll,
      // Stands in for the network: the address is recorded, the bytes go to the loopback echo.
      dialer: () => connect({ host: "127.0.0.2", port: echo.port, allowHalfOpen: true }),
    });
    const bytes = Buffer.from("26064700000000000000000000001111", "hex");
    const { reply, socket } = await socksConnect(h.socksPort, { type: "ipv6", bytes }, 443);
    expect(reply).toBe(0x00);
    socket.destroy();
    expect(h.dials).toEqual(["2606:4700::1111:443"]);
    expect(h.asks[0]).toMatchObject({ host: "2606:4700::1111", port: 443 });
  });

  it("replies 0x02 to a policy denial and 0x05 to a refused upstream", async () => {
    const port = await closedPort("127.0.0.2");
    const denied = await start({ policy: { ...LOCAL_OK, deniedDomains: ["127.0.0.2"] }, decide: allowAll });
    expect((await socksConnect(denied.socksPort, { type: "ipv4", host: "127.0.0.2" }, port)).reply).toBe(0x02);
    const refused = await start({ decide: allowAll });
    expect((await socksConnect(refused.socksPort, { type: "ipv4", host: "127.0.0.2" }, port)).reply).toBe(0x05);
  });

  it("refuses UDP ASSOCIATE and BIND with 0x07, before any decision", async () => {
    const h = await start({ decide: allowAll });
    expect((await socksConnect(h.socksPort, { type: "ipv4", host: "127.0.0.2" }, 53, 0x03)).reply).toBe(0x07);
    expect((await socksConnect(h.socksPort, { type: "ipv4", host: "127.0.0.2" }, 80, 0x02)).reply).toBe(0x07);
    expect(h.asks).toEqual([]);
    expect(h.dials).toEqual([]);
  });

  it("answers a greeting without the no-auth method with 0xFF and closes", async () => {
    const h = await start({ decide: allowAll });
    const raw = await exchange(h.socksPort, Buffer.from([0x05, 0x01, 0x02]));
    expect([...raw]).toEqual([0x05, 0xff]);
  });
});

describe("policy through the sockets", () => {
  it("skips the ask for an allow-listed host", async () => {
    const up = await upstream(httpUpstream("127.0.0.2"));
    const h = await start({ policy: { ...LOCAL_OK, allowedDomains: ["127.0.0.2"] }, decide: allowAll });
    expect((await viaProxy(h.httpPort, `http://127.0.0.2:${up.port}/`)).status).toBe(200);
    expect(h.asks).toEqual([]);
  });

  it("asks about an unlisted host and follows the answer: allow, deny, timeout", async () => {
    const up = await upstream(httpUpstream("127.0.0.2"));
    const url = `http://127.0.0.2:${up.port}/`;
    const allowed = await start({ decide: allowAll });
    expect((await viaProxy(allowed.httpPort, url)).status).toBe(200);
    expect(allowed.asks).toEqual([{ host: "127.0.0.2", protocol: "http", port: up.port, owner: "cmd-1" }]);

    const denied = await start({ decide: () => Promise.resolve("deny") });
    const no = await viaProxy(denied.httpPort, url);
    expect(no.status).toBe(403);
    expect(no.headers["x-proxy-error"]).toBe("blocked-by-allowlist");
    expect(no.body).toContain("domain is not on the allowlist for the current sandbox mode");

    const silent = await start({ decide: () => new Promise(() => undefined), decisionTimeoutMs: 1 });
    const late = await viaProxy(silent.httpPort, url);
    expect(late.status).toBe(403);
    expect(silent.events).toMatchObject([{ type: "denied", reason: "approval-timeout" }]);
    expect(up.accepted()).toBe(1);
  });

  it("denies what comes in unattributed on the shared ports, without asking", async () => {
    const up = await upstream(httpUpstream("127.0.0.2"));
    const echo = await upstream(echoUpstream("127.0.0.2"));
    const h = await start({ policy: { ...LOCAL_OK, allowedDomains: ["127.0.0.2"] }, decide: allowAll });
    const shared = await h.proxy.ensureStarted();
    expect(await h.proxy.ensureStarted()).toEqual(shared);
    const res = await viaProxy(shared.httpPort, `http://127.0.0.2:${up.port}/`);
    expect(res.status).toBe(403);
    expect(res.headers["x-proxy-error"]).toBe("blocked-by-policy");
    expect((await socksConnect(shared.socksPort, { type: "ipv4", host: "127.0.0.2" }, echo.port)).reply).toBe(0x02);
    expect(up.accepted() + echo.accepted()).toBe(0);
    expect(h.asks).toEqual([]);
    expect(h.events.map((e) => e.type === "denied" && e.reason)).toEqual(["unattributed", "unattributed"]);
    expect(h.events[0]?.target.owner).toBeNull();
  });

  it("attributes each connection to the owner whose channel delivered it", async () => {
    const up = await upstream(httpUpstream("127.0.0.2"));
    const h = await start({ decide: allowAll, owner: "cmd-A" });
    const b = await h.proxy.openEndpoint("cmd-B");
    // A relay as netRelay.ts is: the daemon receives a socket and names its owner.
    const relay = createServer((socket) => h.proxy.attach(socket, "socks5", "cmd-C"));
    relay.listen(0, "127.0.0.1");
    await once(relay, "listening");
    cleanups.push(() => new Promise((resolve) => relay.close(() => resolve())));
    const relayPort = (relay.address() as { port: number }).port;

    await viaProxy(h.httpPort, `http://127.0.0.2:${up.port}/a`);
    await viaProxy(b.httpPort, `http://127.0.0.2:${up.port}/b`);
    const c = await socksConnect(relayPort, { type: "ipv4", host: "127.0.0.2" }, up.port);
    c.socket.destroy();
    expect(h.asks.map((t) => t.owner)).toEqual(["cmd-A", "cmd-B", "cmd-C"]);
  });

  it("refuses a name that resolves to a private address without dialling it", async () => {
    for (const address of ["10.0.0.1", "127.0.0.2"]) {
      const h = await start({
        policy: { ...LOCAL_OK, allowLocalBinding: false, allowedDomains: ["internal.example"] },
        decide: allowAll,
        resolver: () => Promise.resolve([{ address, family: 4 }]),
      });
      const res = await viaProxy(h.httpPort, "http://internal.example/");
      expect(res.status).toBe(403);
      expect(res.body).toBe('Network access to "internal.example" was blocked: local/private network addresses are blocked by the sandbox policy.\n');
      expect((await socksConnect(h.socksPort, { type: "domain", host: "internal.example" }, 443)).reply).toBe(0x02);
      expect(h.dials).toEqual([]);
      expect(h.asks).toEqual([]);
    }
  });

  it("connects to the address it checked: a second, different answer from DNS is never used", async () => {
    const first = await upstream(httpUpstream("127.0.0.2"));
    const second = await upstream(httpUpstream("127.0.0.3"));
    let calls = 0;
    const h = await start({
      decide: allowAll,
      resolver: () => {
        calls += 1;
        return Promise.resolve([{ address: calls === 1 ? "127.0.0.2" : "127.0.0.3", family: 4 }]);
      },
    });
    const res = await viaProxy(h.httpPort, `http://rebind.example:${first.port}/`);
    expect(res.status).toBe(200);
    expect(calls).toBe(1);
    expect(first.accepted()).toBe(1);
    expect(second.accepted()).toBe(0);
  });

  it("with the local check on, a public first answer is dialled as checked, not a private second one", async () => {
    const up = await upstream(httpUpstream("127.0.0.2"));
    const answers: ResolvedAddress[] = [
      { address: "93.184.215.14", family: 4 },
      { address: "127.0.0.1", family: 4 },
    ];
    let calls = 0;
    const h = await start({
      policy: { ...LOCAL_OK, allowLocalBinding: false },
      decide: allowAll,
      resolver: () => Promise.resolve([answers[Math.min(calls++, 1)]!]),
      // Stands in for the internet: the dialled address is recorded, the bytes go to the loopback upstream.
      dialer: () => connect({ host: "127.0.0.2", port: up.port }),
    });
    expect((await viaProxy(h.httpPort, "http://rebind.example/")).status).toBe(200);
    expect(calls).toBe(1);
    expect(h.dials).toEqual(["93.184.215.14:80"]);
  });

  it("limited mode forwards GET, refuses POST, CONNECT and SOCKS, and nothing refused reaches the upstream", async () => {
    const up = await upstream(httpUpstream("127.0.0.2"));
    const echo = await upstream(echoUpstream("127.0.0.2"));
    const h = await start({ policy: { ...LOCAL_OK, mode: "limited", allowedDomains: ["127.0.0.2"] } });
    expect((await viaProxy(h.httpPort, `http://127.0.0.2:${up.port}/`)).status).toBe(200);
    const post = await viaProxy(h.httpPort, `http://127.0.0.2:${up.port}/`, { method: "POST", body: "x" });
    expect(post.status).toBe(403);
    expect(post.headers["x-proxy-error"]).toBe("blocked-by-method-policy");
    const tunnel = parseAnswer(await exchange(h.httpPort, `CONNECT 127.0.0.2:${echo.port} HTTP/1.1\r\n\r\n`));
    expect(tunnel.status).toBe(403);
    expect(tunnel.headers["x-proxy-error"]).toBe("blocked-by-mitm-required");
    expect((await socksConnect(h.socksPort, { type: "ipv4", host: "127.0.0.2" }, echo.port)).reply).toBe(0x02);
    expect(up.accepted()).toBe(1);
    expect(echo.accepted()).toBe(0);
  });

  it("applies a new policy at once", async () => {
    const up = await upstream(httpUpstream("127.0.0.2"));
    const h = await start({ policy: { ...LOCAL_OK, allowedDomains: ["127.0.0.2"] } });
    expect((await viaProxy(h.httpPort, `http://127.0.0.2:${up.port}/`)).status).toBe(200);
    h.proxy.setPolicy({ ...LOCAL_OK, deniedDomains: ["127.0.0.2"] });
    expect((await viaProxy(h.httpPort, `http://127.0.0.2:${up.port}/`)).status).toBe(403);
  });
});

describe("bad input", () => {
  async function expectStillServing(h: Harness, up: { port: number }): Promise<void> {
    expect((await viaProxy(h.httpPort, `http://127.0.0.2:${up.port}/`)).status).toBe(200);
  }

  it("a malformed request line gets 400 and the connection closes", async () => {
    const up = await upstream(httpUpstream("127.0.0.2"));
    const h = await start({ decide: allowAll });
    expect(parseAnswer(await exchange(h.httpPort, "THIS IS NOT HTTP\r\n\r\n")).status).toBe(400);
    expect(parseAnswer(await exchange(h.httpPort, "GET\r\n\r\n")).status).toBe(400);
    await expectStillServing(h, up);
    expect(up.accepted()).toBe(1);
  });

  it("an origin-form or https:// request gets 400 and names what a proxy needs", async () => {
    const h = await start({ decide: allowAll });
    const origin = parseAnswer(await exchange(h.httpPort, "GET /x HTTP/1.1\r\nHost: 127.0.0.2\r\n\r\n"));
    expect(origin.status).toBe(400);
    expect(origin.body).toContain("absolute http:// URL");
    const https = parseAnswer(await exchange(h.httpPort, "GET https://127.0.0.2/ HTTP/1.1\r\nHost: 127.0.0.2\r\n\r\n"));
    expect(https.status).toBe(400);
    expect(https.body).toContain("use CONNECT");
    expect(h.asks).toEqual([]);
  });

  it("CONNECT without a port gets 400", async () => {
    const h = await start({ decide: allowAll });
    const parsed = parseAnswer(await exchange(h.httpPort, "CONNECT 127.0.0.2 HTTP/1.1\r\nHost: 127.0.0.2\r\n\r\n"));
    expect(parsed.status).toBe(400);
    expect(h.asks).toEqual([]);
  });

  it("a 1 MiB header gets 431 and the connection closes", async () => {
    const up = await upstream(httpUpstream("127.0.0.2"));
    const h = await start({ decide: allowAll });
    const huge = `GET http://127.0.0.2:${up.port}/ HTTP/1.1\r\nHost: 127.0.0.2\r\nX-Big: ${"a".repeat(1024 * 1024)}\r\n\r\n`;
    expect(parseAnswer(await exchange(h.httpPort, huge)).status).toBe(431);
    expect(up.accepted()).toBe(0);
    await expectStillServing(h, up);
  });

  it("the header cap is the proxy's own (64 KiB), not Node's 16 KiB default", async () => {
    const up = await upstream(httpUpstream("127.0.0.2", (req, res) => res.end(String(req.headers["x-big"]?.length))));
    const h = await start({ decide: allowAll });
    const res = await viaProxy(h.httpPort, `http://127.0.0.2:${up.port}/`, { headers: { "x-big": "b".repeat(32 * 1024) } });
    expect(res.status).toBe(200);
    expect(res.body).toBe(String(32 * 1024));
  });

  it("a client that never finishes its request head, or its SOCKS handshake, is closed", async () => {
    const h = await start({ decide: allowAll, handshakeTimeoutMs: 1 });
    expect([...(await exchange(h.httpPort, "GET http://127.0.0.2/ HTTP/1.1\r\nHost: 127"))]).toEqual([]);
    // With a 1 ms deadline the greeting may be answered before the deadline closes the socket, or not
    // (the order depends on the machine's load); either way the socket closes with the request unanswered.
    expect([[], [0x05, 0x00]]).toContainEqual([...(await exchange(h.socksPort, Buffer.from([0x05, 0x01, 0x00])))]);
    expect(h.asks).toEqual([]);
  });

  it("a SOCKS greeting with an unknown version is closed; SOCKS4 gets its own rejection", async () => {
    const up = await upstream(httpUpstream("127.0.0.2"));
    const h = await start({ decide: allowAll });
    expect([...(await exchange(h.socksPort, Buffer.from([0x47, 0x45, 0x54, 0x20])))]).toEqual([]);
    expect([...(await exchange(h.socksPort, Buffer.from([0x04, 0x01, 0x00, 0x50, 127, 0, 0, 2, 0])))]).toEqual([0x00, 0x5b, 0, 0, 0, 0, 0, 0]);
    expect([...(await exchange(h.socksPort, Buffer.from([0x05, 0x01, 0x00, 0x05, 0x01, 0x00, 0x09])))]).toEqual([
      0x05, 0x00, 0x05, 0x08, 0x00, 0x01, 0, 0, 0, 0, 0, 0,
    ]);
    expect(h.asks).toEqual([]);
    await expectStillServing(h, up);
  });

  it("closes a refused client's connection instead of leaving it half-open", async () => {
    const h = await start({ decide: () => Promise.resolve("deny") });
    const refusals = [
      { port: h.httpPort, bytes: "CONNECT 127.0.0.2:9 HTTP/1.1\r\n\r\n" },
      { port: h.socksPort, bytes: Buffer.from([0x05, 0x01, 0x00, 0x05, 0x03, 0x00, 0x01, 127, 0, 0, 2, 0, 53]) },
    ];
    for (const { port, bytes } of refusals) {
      const socket = await dial(port); // half-open allowed: only the proxy can close this connection
      socket.write(bytes);
      socket.resume();
      await new Promise((resolve) => socket.once("end", resolve));
      expect(await peerHasLetGo(socket)).toBe(true);
    }
  });

  it("a SOCKS client that hangs up mid-handshake costs nothing", async () => {
    const up = await upstream(httpUpstream("127.0.0.2"));
    const h = await start({ decide: allowAll });
    expect([...(await exchange(h.socksPort, Buffer.from([0x05, 0x01, 0x00]), { end: true }))]).toEqual([0x05, 0x00]);
    await expectStillServing(h, up);
    expect(h.asks).toHaveLength(1);
  });

  it("1,000 connections at once each get their answer, only the allowed ones reach the upstream, and it keeps serving", async () => {
    const up = await upstream(httpUpstream("127.0.0.2"));
    const h = await start({ policy: { ...LOCAL_OK, allowedDomains: ["127.0.0.2"], deniedDomains: ["denied.example"] } });
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(w.name);
    process.on("warning", onWarning);
    cleanups.push(async () => void process.off("warning", onWarning));
    const total = 1000;
    const answers: Promise<number>[] = [];
    for (let i = 0; i < total; i++) {
      const target = i % 2 === 0 ? `http://127.0.0.2:${up.port}/${i}` : "http://denied.example/";
      answers.push(exchange(h.httpPort, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`).then((raw) => parseAnswer(raw).status));
    }
    const statuses = await Promise.all(answers);
    expect(statuses.filter((s) => s === 200)).toHaveLength(total / 2);
    expect(statuses.filter((s) => s === 403)).toHaveLength(total / 2);
    expect(up.accepted()).toBe(total / 2);
    await expectStillServing(h, up);
    // Per-connection listeners on a proxy-wide object would pile up over a daemon's life.
    expect(warnings).not.toContain("MaxListenersExceededWarning");
  });
});

describe("lifecycle", () => {
  it("close() ends every connection, tunnels included, and later use is refused", async () => {
    const echo = await upstream(echoUpstream("127.0.0.2"));
    const h = await start({ decide: allowAll });
    const { reply, socket } = await socksConnect(h.socksPort, { type: "ipv4", host: "127.0.0.2" }, echo.port);
    expect(reply).toBe(0x00);
    expect(echo.sockets.size).toBe(1);
    const upstreamClosed = Promise.all([...echo.sockets].map((s) => once(s, "close")));
    const ended = readAll(socket);
    await h.proxy.close();
    await ended;
    await upstreamClosed; // the upstream side of the tunnel ends too
    await expect(h.proxy.ensureStarted()).rejects.toThrow("closed");
    await expect(dial(h.socksPort)).rejects.toThrow();
  });

  it("releaseOwner ends that owner's tunnels and no one else's", async () => {
    const echo = await upstream(echoUpstream("127.0.0.2"));
    const h = await start({ decide: allowAll, owner: "cmd-A" });
    const b = await h.proxy.openEndpoint("cmd-B");
    const a1 = await socksConnect(h.socksPort, { type: "ipv4", host: "127.0.0.2" }, echo.port);
    const b1 = await socksConnect(b.socksPort, { type: "ipv4", host: "127.0.0.2" }, echo.port);
    expect([a1.reply, b1.reply]).toEqual([0, 0]);
    const aEnded = readAll(a1.socket);
    await h.proxy.releaseOwner("cmd-A");
    await aEnded;
    const rest = readAll(b1.socket);
    b1.socket.end("still here");
    expect((await rest).toString()).toBe("still here");
  });
});
