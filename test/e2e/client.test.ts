// The typed client (clients/typescript) against our own built daemon, on every transport the daemon
// offers: stdio, the unix socket in both framings (lines, and WebSocket over the socket, the client's
// default because the reference speaks only that), and WebSocket over TCP with token auth.
//
// Not covered here: a server→client request round trip. No method of the daemon sends a server request
// yet (approvals arrive with the turn engine); clients/typescript/reference.test.ts covers the client's
// side of it against the reference.
//
// Every wait is under a deadline so that a hang fails with a message; nothing asserts timings.
import type { ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConnectionClosedError, RpcError, connectStdio, connectUnixSocket, connectWebSocket } from "../../clients/typescript/index.js";
import type { ClientOptions, GatehouseClient } from "../../clients/typescript/index.js";
import { DAEMON, spawnListening } from "../helpers/daemon.js";
import { tempHome, type TempHome } from "../helpers/home.js";
import { within } from "../helpers/within.js";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** An unknown key, so that initialize is followed by a configWarning. */
const CONFIG = `model = "gpt-5.5"
approval_policy = "never"
bogus_key = 1
`;

function home(config = CONFIG): TempHome {
  const h = tempHome("gatehouse-client");
  h.writeConfig(config);
  cleanups.push(() => h.cleanup());
  return h;
}

const daemonEnv = (h: TempHome): NodeJS.ProcessEnv => ({ ...process.env, GATEHOUSE_HOME: h.home, CODEX_HOME: "", TMPDIR: h.tmp, GATEHOUSE_LOG: "info" });

interface Listener {
  child: ChildProcess;
  url: string;
  /** Resolves with the exit code (or signal name) once the daemon has exited. */
  exited: Promise<number | string | null>;
}

/** Starts the daemon on a socket and resolves with the address it logged as "listening". */
async function listen(h: TempHome, args: string[]): Promise<Listener> {
  const { child, exited, url } = spawnListening(h, args);
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    }
  });
  return { child, url: await url, exited };
}

type Transport = "stdio" | "unix-lines" | "unix-websocket" | "ws";

interface Opened {
  client: GatehouseClient;
  /** The listening daemon, absent for stdio (the client owns that process). */
  listener?: Listener;
  /** Opens one more client on the same daemon (not for stdio, which has one connection per process). */
  another?: () => Promise<GatehouseClient>;
}

async function open(transport: Transport, h: TempHome, options: ClientOptions = {}): Promise<Opened> {
  const track = (client: GatehouseClient): GatehouseClient => {
    cleanups.push(() => client.close());
    return client;
  };
  switch (transport) {
    case "stdio":
      return { client: track(await connectStdio({ command: process.execPath, args: [DAEMON, "app-server"], env: daemonEnv(h), ...options })) };
    case "unix-lines":
    case "unix-websocket": {
      const listener = await listen(h, ["--listen", `unix://${join(h.base, "gh.sock")}`]);
      const path = listener.url.slice("unix://".length);
      const connect = async (): Promise<GatehouseClient> =>
        track(transport === "unix-lines" ? await connectUnixSocket(path, { ...options, framing: "lines" }) : await connectUnixSocket(path, options));
      return { client: await connect(), listener, another: connect };
    }
    case "ws": {
      const listener = await listen(h, ["--listen", "ws://127.0.0.1:0"]);
      const connect = async (): Promise<GatehouseClient> => track(await connectWebSocket(listener.url, options));
      return { client: await connect(), listener, another: connect };
    }
  }
}

const CLIENT_INFO = { name: "gatehouse_client_e2e", title: null, version: "0.1.0" };
const TRANSPORTS: Transport[] = ["stdio", "unix-lines", "unix-websocket", "ws"];

describe.each<Transport>(TRANSPORTS)("typed client over %s against our daemon", (transport) => {
  it("initializes, then hears the configWarning for a bad config key", async () => {
    const h = home();
    const { client } = await open(transport, h, { validateResults: true, validateInbound: true });
    const errors: Error[] = [];
    client.onError((e) => errors.push(e));
    const warning = new Promise<{ summary: string }>((r) => client.onNotification("configWarning", (p) => r(p)));
    const result = await within(client.initialize(CLIENT_INFO), 15_000, "initialize response");
    expect(result.userAgent).toMatch(/^gatehouse_client_e2e\/0\.169\.0 /);
    expect(result.codexHome).toBe(h.home);
    expect((await within(warning, 10_000, "configWarning")).summary).toContain("`bogus_key` is ignored");
    // validateInbound: a notification that did not match our own schema would have landed here.
    expect(errors).toEqual([]);
  });

  it("answers config/read with a result that our schema accepts", async () => {
    const h = home();
    const { client } = await open(transport, h, { validateResults: true });
    await within(client.initialize(CLIENT_INFO), 15_000, "initialize response");
    const read = await within(client.request("config/read", { includeLayers: true }), 10_000, "config/read response");
    expect(read.config["model"]).toBe("gpt-5.5");
    expect(read.config["approval_policy"]).toBe("never");
    expect(read.layers?.map((l) => l.name.type)).toContain("user");
  });

  it("rejects with a typed RpcError: not initialized, unknown method, bad params; and keeps serving", async () => {
    const h = home();
    const { client } = await open(transport, h);
    const early = await within(
      client.request("config/read", {}).catch((e: unknown) => e),
      15_000,
      "config/read response",
    );
    expect(early).toBeInstanceOf(RpcError);
    expect(early).toMatchObject({ code: -32600, message: "Not initialized" });
    await within(client.initialize(CLIENT_INFO), 10_000, "initialize response");

    const unknown = await within(
      client.requestUntyped("nope/x", {}).catch((e: unknown) => e),
      10_000,
      "nope/x response",
    );
    expect(unknown).toBeInstanceOf(RpcError);
    expect(unknown).toMatchObject({ code: -32601, message: "Method not found: nope/x" });

    // The typed signature refuses this, which is the point: the server must refuse it too.
    const bad = await within(
      client.requestUntyped("config/read", { includeLayers: "yes" }).catch((e: unknown) => e),
      10_000,
      "config/read response",
    );
    expect(bad).toBeInstanceOf(RpcError);
    expect((bad as RpcError).code).toBe(-32602);
    expect((bad as RpcError).data).toEqual([expect.objectContaining({ code: "invalid_type", path: ["includeLayers"] })]);

    await expect(within(client.request("configRequirements/read"), 10_000, "configRequirements/read response")).resolves.toHaveProperty("requirements");
  });

  it("close() rejects a pending request and every later call with ConnectionClosedError", async () => {
    const h = home();
    const { client, listener, another } = await open(transport, h);
    await within(client.initialize(CLIENT_INFO), 15_000, "initialize response");
    const pending = client.request("configRequirements/read").catch((e: unknown) => e);
    await within(client.close(), 10_000, "close");
    await within(client.closed, 5_000, "closed");
    expect(client.isClosed).toBe(true);
    // close() settles what is pending at once; a late answer is dropped.
    expect(await within(pending, 5_000, "rejection of the pending request")).toBeInstanceOf(ConnectionClosedError);
    await expect(client.request("configRequirements/read")).rejects.toBeInstanceOf(ConnectionClosedError);
    await expect(client.notify("initialized")).rejects.toBeInstanceOf(ConnectionClosedError);
    if (listener && another) {
      // A listening daemon outlives one client: the next connection is a new, uninitialized session.
      expect(listener.child.exitCode).toBeNull();
      const next = await another();
      await expect(within(next.request("configRequirements/read"), 10_000, "response")).rejects.toMatchObject({ code: -32600, message: "Not initialized" });
      await within(next.initialize(CLIENT_INFO), 10_000, "initialize response");
    }
  });

  it("a daemon that goes away ends the client: closed resolves and requests reject with ConnectionClosedError", async () => {
    const h = home();
    const { client, listener } = await open(transport, h);
    await within(client.initialize(CLIENT_INFO), 15_000, "initialize response");
    const pid = listener ? listener.child.pid : (client.transport as { pid?: number }).pid;
    expect(pid).toBeTypeOf("number");
    process.kill(pid as number, "SIGKILL");
    await within(client.closed, 10_000, "connection end");
    const err = await client.request("configRequirements/read").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionClosedError);
    if (transport === "stdio") expect((err as Error).message).toContain("SIGKILL");
  });
});

describe("typed client, stdio process lifetime", () => {
  it("close() ends the daemon it spawned", async () => {
    const h = home();
    const client = await connectStdio({ command: process.execPath, args: [DAEMON, "app-server"], env: daemonEnv(h) });
    cleanups.push(() => client.close());
    await within(client.initialize(CLIENT_INFO), 15_000, "initialize response");
    const pid = client.transport.pid as number;
    await within(client.close(), 10_000, "close");
    const exit = await within(client.transport.exited, 10_000, "exit");
    expect(exit.code !== null || exit.signal !== null).toBe(true);
    expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
  });
});

describe("typed client, WebSocket auth", () => {
  it("connects with the capability token in a header; a wrong token rejects the connect call", async () => {
    const h = home();
    const token = "client-e2e-token-0123456789abcdef0123";
    const file = join(h.base, "token");
    writeFileSync(file, `${token}\n`, { mode: 0o600 });
    const listener = await listen(h, ["--listen", "ws://127.0.0.1:0", "--ws-auth", "capability-token", "--ws-token-file", file]);
    await expect(connectWebSocket(listener.url)).rejects.toThrow(/401/);
    await expect(connectWebSocket(listener.url, { headers: { Authorization: "Bearer wrong" } })).rejects.toThrow(/401/);
    await expect(connectWebSocket(listener.url, { headers: { Authorization: `Bearer ${token}` }, origin: "https://evil.example" })).rejects.toThrow(/403/);
    const client = await connectWebSocket(listener.url, { headers: { Authorization: `Bearer ${token}` } });
    cleanups.push(() => client.close());
    await expect(within(client.initialize(CLIENT_INFO), 15_000, "initialize response")).resolves.toHaveProperty("userAgent");
  });
});
