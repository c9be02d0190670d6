// Managed networking under REAL bubblewrap: a command
// whose policy enables the network runs in its own network namespace, and only the relay inside it
// (server/sandbox/netRelay.ts) reaches the daemon's proxy, over the Node IPC channel. A real
// NetworkProxy (allowLocalBinding, a recording `decide`), a real HTTP upstream on 127.0.0.2, real
// curl. "Nothing got out" is checked on the host (the upstream's own connection count, the proxy's
// decisions), not only from the command's report.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { LaunchOptions } from "../../server/sandbox/launcherTypes.js";
import type { LinuxLauncherDeps } from "../../server/sandbox/linuxLauncher.js";
import { NetworkProxy, type ProxyPorts, type ProxyTarget } from "../../server/sandbox/networkProxy/index.js";
import { httpUpstream, type RecordedRequest, type Upstream } from "../../server/sandbox/networkProxy/proxy.testutil.js";
import { MANAGED_NO_PROXY, MANAGED_PROXY_ENV_KEYS } from "../../server/sandbox/proxyEnv.js";
import { startExec } from "../../server/sandbox/spawn.js";
import { WS_ONLY, bash, cleanupTempDirs, run, tempDir, transform, waitFor, workspace } from "./helpers.js";
import { livePidsWith } from "../helpers/processes.js";
import { SandboxUnavailableError } from "../../server/sandbox/errors.js";

/** The variables codex 0.169.0 was observed to set with managed networking on. */
const REFERENCE_0_169_KEYS = (
  "ALL_PROXY BUNDLE_HTTPS_PROXY BUNDLE_HTTP_PROXY BUNDLE_NO_PROXY CODEX_NETWORK_PROXY_ACTIVE DOCKER_HTTPS_PROXY " +
  "DOCKER_HTTP_PROXY ELECTRON_GET_USE_PROXY FTP_PROXY HTTPS_PROXY HTTP_PROXY NODE_USE_ENV_PROXY NO_PROXY " +
  "NPM_CONFIG_HTTPS_PROXY NPM_CONFIG_HTTP_PROXY NPM_CONFIG_NOPROXY NPM_CONFIG_PROXY PIP_PROXY WSS_PROXY WS_PROXY " +
  "YARN_HTTPS_PROXY YARN_HTTP_PROXY all_proxy ftp_proxy http_proxy https_proxy no_proxy npm_config_http_proxy " +
  "npm_config_https_proxy npm_config_noproxy npm_config_proxy ws_proxy wss_proxy"
).split(" ");

let relayScript = "";
let proxy: NetworkProxy;
let ports: ProxyPorts;
let upstream: Upstream & { requests: RecordedRequest[] };
/** Every target the proxy asked about, in order. */
const asked: ProxyTarget[] = [];
/** When set, `decide` waits on it (to hold two commands' connections open at once). */
let gate: Promise<void> | undefined;

beforeAll(async () => {
  // The relay as the build ships it: one self-contained .mjs, bundled from the source under test.
  const { build } = await import("esbuild");
  relayScript = path.join(tempDir("relay"), "netRelay.mjs");
  await build({
    entryPoints: [fileURLToPath(new URL("../../server/sandbox/netRelay.ts", import.meta.url))],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile: relayScript,
    logLevel: "silent",
  });
  proxy = new NetworkProxy({
    policy: { mode: "full", allowedDomains: [], deniedDomains: [], allowLocalBinding: true },
    decide: async (target) => {
      asked.push(target);
      if (gate) await gate;
      return "allow";
    },
  });
  ports = await proxy.ensureStarted();
  upstream = await httpUpstream("127.0.0.2", (req, res) => res.end(`HELLO ${req.url}\n`));
});

afterAll(async () => {
  await upstream.close();
  await proxy.close();
  cleanupTempDirs();
});

afterEach(() => {
  asked.length = 0;
  gate = undefined;
});

const deps = (): LinuxLauncherDeps => ({ relay: { script: relayScript } });
const managed = (owner: string): LaunchOptions => ({ managedNetwork: { proxy, owner, allowLocalBinding: true } });
/** workspace-write with the network on: the policy managed networking turns into proxy-only. */
const WS_NET = { ...WS_ONLY, networkAccess: true } as const;
const url = (p = "/"): string => `http://127.0.0.2:${upstream.port}${p}`;

async function runManaged(script: string, owner: string, ws: string, extra: LaunchOptions = {}) {
  const { env: extraEnv, ...rest } = extra;
  const base = (await transform(["true"], WS_NET, ws)).env; // the helpers' env after the sandbox rules
  return run(bash(script), WS_NET, ws, {
    deps: deps(),
    launch: { ...managed(owner), ...rest, ...(extraEnv ? { env: { ...base, ...extraEnv } } : {}) },
  });
}

/** A TCP service on the host's 127.0.0.1 that hands out a secret and counts contacts. */
async function hostSecret(): Promise<{ port: number; contacts: () => number; close: () => void }> {
  let contacts = 0;
  const srv = net.createServer((s) => {
    contacts++;
    s.end("HOST-SECRET\n");
  });
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  return { port: (srv.address() as net.AddressInfo).port, contacts: () => contacts, close: () => srv.close() };
}

describe("managed networking through the relay (real bwrap)", () => {
  // Protection: --unshare-net + the relay + attach(…, owner). Shown to fail: with spawn.ts attaching
  // the relay's sockets as attach(…, null), the proxy answered 403 (unattributed) and the upstream
  // saw nothing.
  it("curl reaches 127.0.0.2 through the proxy, attributed to the command's owner", async () => {
    const { ws } = workspace();
    const before = upstream.accepted();
    const r = await runManaged(`curl -sS ${url("/one")}`, "owner-A", ws);
    expect(r.stderr).toBe("");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe("HELLO /one\n");
    expect(asked).toEqual([{ host: "127.0.0.2", protocol: "http", port: upstream.port, owner: "owner-A" }]);
    expect(upstream.accepted()).toBe(before + 1);
    expect(r.request.relay?.owner).toBe("owner-A");
    expect(r.request.argv).toContain("--unshare-net");
    expect(r.request.argv).toContain(relayScript);
  });

  // SOCKS5 through ALL_PROXY (socks5h: the proxy resolves names, none resolve inside).
  it("SOCKS5 (ALL_PROXY, socks5h) goes through the relay's second listener", async () => {
    const { ws } = workspace();
    const r = await runManaged(`curl -sS -x "$ALL_PROXY" ${url("/socks")}`, "owner-S", ws);
    expect(r.stdout).toBe("HELLO /socks\n");
    expect(asked).toEqual([{ host: "127.0.0.2", protocol: "socks5-tcp", port: upstream.port, owner: "owner-S" }]);
  });

  // Protection: --unshare-net. Shown to fail: with the plan's network left "host" for a managed run,
  // nothing of the script ran (the relay could not listen on the proxy's own, host-held, port).
  it("a client that ignores the proxy env gets no route out (curl --noproxy, bash /dev/tcp)", async () => {
    const { ws } = workspace();
    const before = upstream.accepted();
    const r = await runManaged(`curl -sS --noproxy '*' ${url()}; echo "curl=$?"; exec 3<>/dev/tcp/127.0.0.2/${upstream.port} && echo CONNECTED`, "owner-D", ws);
    expect(r.stdout).toMatch(/curl=7\n/);
    expect(r.stdout).not.toContain("HELLO");
    expect(r.stdout).not.toContain("CONNECTED");
    expect(r.stderr).toMatch(/Network is unreachable|Connection refused/);
    expect(upstream.accepted()).toBe(before);
    expect(asked).toEqual([]);
  });

  // The host's real 127.0.0.1 is not the sandbox's: only the relay listens there, on the proxy's
  // port numbers. Shown to fail together with the test above (network left "host").
  it("host services on 127.0.0.1 are unreachable; the proxy's own port numbers lead to the relay", async () => {
    const { ws } = workspace();
    const secret = await hostSecret();
    try {
      const r = await runManaged(
        `exec 3<>/dev/tcp/127.0.0.1/${secret.port} && cat <&3; echo "secret=$?"; curl -sS -x http://127.0.0.1:${ports.httpPort} ${url("/via-port")}`,
        "owner-H",
        ws,
      );
      expect(r.stdout).not.toContain("HOST-SECRET");
      expect(r.stdout).toMatch(/secret=1\n/);
      expect(r.stdout).toContain("HELLO /via-port");
      expect(secret.contacts()).toBe(0);
      expect(asked.map((t) => t.owner)).toEqual(["owner-H"]);
    } finally {
      secret.close();
    }
  });

  // Control for the test above: the same port dialled on the host, not through a relay, is
  // unattributed and refused before any decision.
  it("the shared proxy port dialled from the host (no relay) is refused as unattributed", async () => {
    const before = upstream.accepted();
    // Asynchronous: the proxy answering it lives in this process.
    const { stdout } = await promisify(execFile)("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "-x", `http://127.0.0.1:${ports.httpPort}`, url()], {
      encoding: "utf8",
    });
    expect(stdout).toBe("403");
    expect(asked).toEqual([]);
    expect(upstream.accepted()).toBe(before);
  });

  // Two commands at once, to two upstreams (127.0.0.2 and 127.0.0.3): `decide` holds every
  // connection until both have asked, so both relays are live together; each target is attributed to
  // the command that dialled it. Shown to fail: with spawn.ts attaching with the owner of the last
  // startExec() instead of its own request's, both targets named owner-2.
  it("two commands at once are attributed to their own owners", async () => {
    const { ws } = workspace();
    const other = await httpUpstream("127.0.0.3", (req, res) => res.end(`OTHER ${req.url}\n`));
    try {
      let release!: () => void;
      gate = new Promise((r) => (release = r));
      const a = await transform(bash(`curl -sS ${url("/a")}`), WS_NET, ws, { deps: deps(), launch: managed("owner-1") });
      const b = await transform(bash(`curl -sS http://127.0.0.3:${other.port}/b`), WS_NET, ws, { deps: deps(), launch: managed("owner-2") });
      const ha = startExec(a, { timeoutMs: 30_000 });
      const hb = startExec(b, { timeoutMs: 30_000 });
      expect(await waitFor(() => asked.length === 2)).toBe(true);
      release();
      const [ra, rb] = await Promise.all([ha.result, hb.result]);
      expect(ra.stdout).toBe("HELLO /a\n");
      expect(rb.stdout).toBe("OTHER /b\n");
      const byOwner = Object.fromEntries(asked.map((t) => [t.owner, `${t.host}:${t.port}`]));
      expect(byOwner).toEqual({ "owner-1": `127.0.0.2:${upstream.port}`, "owner-2": `127.0.0.3:${other.port}` });
    } finally {
      await other.close();
    }
  });

  it("the env holds exactly 0.169's proxy variables with the proxy's ports, and no NODE_CHANNEL_*", async () => {
    const { ws } = workspace();
    const r = await runManaged("env", "owner-E", ws);
    const env = new Map(
      r.stdout
        .split("\n")
        .filter((l) => l.includes("="))
        .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)] as const),
    );
    expect([...env.keys()].filter((k) => k.startsWith("NODE_CHANNEL"))).toEqual([]);
    expect([...MANAGED_PROXY_ENV_KEYS].sort()).toEqual([...REFERENCE_0_169_KEYS].sort());
    for (const k of REFERENCE_0_169_KEYS) expect(env.has(k), k).toBe(true);
    expect(env.get("HTTP_PROXY")).toBe(`http://127.0.0.1:${ports.httpPort}`);
    expect(env.get("https_proxy")).toBe(`http://127.0.0.1:${ports.httpPort}`);
    expect(env.get("ALL_PROXY")).toBe(`socks5h://127.0.0.1:${ports.socksPort}`);
    expect(env.get("ftp_proxy")).toBe(`socks5h://127.0.0.1:${ports.socksPort}`);
    expect(env.get("NO_PROXY")).toBe(MANAGED_NO_PROXY);
    expect(env.get("NODE_USE_ENV_PROXY")).toBe("1");
    expect(env.get("CODEX_NETWORK_PROXY_ACTIVE")).toBe("1");
    expect(env.has("CODEX_SANDBOX_NETWORK_DISABLED")).toBe(false);
  });

  // The relay's IPC fd must not reach the command: the command's fd table is the same as in a run
  // without managed networking. Shown to fail: with the relay spawning the command through
  // `stdio: ["inherit", "inherit", "inherit", <channel fd>]`, ls listed fd 4 too.
  it("the command sees no extra fd (the IPC channel stays with the relay)", async () => {
    const { ws } = workspace();
    const script = "ls /proc/self/fd | tr '\\n' ' '";
    const plain = await run(bash(script), WS_ONLY, ws);
    const r = await runManaged(script, "owner-F", ws);
    expect(plain.exitCode).toBe(0);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(plain.stdout);
    expect(r.stdout.trim().split(" ")).toEqual(["0", "1", "2", "3"]);
  });

  // The relay is Node, under the full seccomp filter: io_uring is refused with EPERM and libuv must
  // fall back. UV_USE_IO_URING=1 asks libuv to use it for the relay and a Node command alike.
  it("Node works under the full seccomp filter with io_uring requested (libuv falls back)", async () => {
    const { ws } = workspace();
    fs.writeFileSync(path.join(ws, "data.txt"), "from disk\n");
    const r = await runManaged(
      `curl -sS ${url("/uring")} && ${process.execPath} -e 'require("fs").promises.readFile("data.txt","utf8").then(t=>process.stdout.write(t))'`,
      "owner-U",
      ws,
      { env: { UV_USE_IO_URING: "1" } },
    );
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("HELLO /uring\nfrom disk\n");
  });

  // Shown to fail: with the relay exiting 0 after its child, exit 7 came back as 0; with it exiting 1
  // instead of re-raising the child's signal, SIGTERM came back as 1, not 143.
  it("exit codes and signals propagate as without the relay", async () => {
    const { ws } = workspace();
    expect((await runManaged("exit 7", "owner-X", ws)).exitCode).toBe(7);
    const plain = await run(bash("kill -TERM $$"), WS_ONLY, ws);
    const r = await runManaged("kill -TERM $$", "owner-X", ws);
    expect(plain.exitCode).toBe(143);
    expect(r.exitCode).toBe(plain.exitCode);
    const missing = await runManaged("exec /no/such/program", "owner-X", ws);
    expect(missing.exitCode).toBe(127);
  });

  it("a command not found is 127 with the relay too", async () => {
    const { ws } = workspace();
    const r = await run(["/no/such/program"], WS_NET, ws, { deps: deps(), launch: managed("owner-N") });
    expect(r.exitCode).toBe(127);
    expect(r.sandboxSetupFailed).toBe(false);
    expect(r.stderr).toContain("/no/such/program: command not found");
  });

  // The timeout kills bwrap's process group; --die-with-parent and the pid namespace take the relay
  // with it. Checked on the host's /proc, after the result.
  it("a timeout kills the command and the relay: no relay process survives", async () => {
    const { ws } = workspace();
    const req = await transform(bash("sleep 600"), WS_NET, ws, { deps: deps(), launch: managed("owner-T") });
    const h = startExec(req, { timeoutMs: 1_000, killGraceMs: 200 });
    expect(await waitFor(() => livePidsWith(relayScript).length > 0)).toBe(true);
    const res = await h.result;
    expect(res.timedOut).toBe(true);
    expect(livePidsWith(relayScript)).toEqual([]);
  }, 30_000);

  // Fail closed: a relay that never says "ready" means the command did not run, reported as a
  // sandbox set-up failure, not as the command's exit.
  it("a relay that fails before it is ready is a set-up failure and the command does not run", async () => {
    const { ws } = workspace();
    const bad = path.join(tempDir("badrelay"), "netRelay.mjs");
    fs.writeFileSync(bad, 'process.stderr.write("gatehouse-net-relay: cannot listen: EADDRINUSE\\n"); process.exit(3);\n');
    const r = await run(bash("touch ran"), WS_NET, ws, { deps: { relay: { script: bad } }, launch: managed("owner-B") });
    expect(r.sandboxSetupFailed).toBe(true);
    expect(r.sandboxDenial?.message).toContain("managed networking's relay could not start (cannot listen: EADDRINUSE)");
    expect(fs.existsSync(path.join(ws, "ran"))).toBe(false);
  });
});

describe("when managed networking does not apply", () => {
  it("a restricted network stays isolated: no relay, no proxy variables", async () => {
    const { ws } = workspace();
    const r = await run(bash(`env; curl -sS ${url()}; echo "curl=$?"`), WS_ONLY, ws, { deps: deps(), launch: managed("owner-R") });
    expect(r.request.relay).toBeUndefined();
    expect(r.request.argv).not.toContain(relayScript);
    expect(r.request.argv).toContain("--unshare-net");
    expect(r.stdout).not.toMatch(/^(HTTP_PROXY|ALL_PROXY|CODEX_NETWORK_PROXY_ACTIVE)=/m);
    expect(r.stdout).toMatch(/^CODEX_SANDBOX_NETWORK_DISABLED=1$/m);
    expect(r.stdout).toMatch(/curl=7\n/);
    expect(asked).toEqual([]);
  });

  it("dangerFullAccess runs unwrapped with no proxy (the option is ignored)", async () => {
    const { ws } = workspace();
    const r = await run(bash("env"), { type: "dangerFullAccess" }, ws, { deps: deps(), launch: managed("owner-F") });
    expect(r.request.sandbox).toBe("none");
    expect(r.request.relay).toBeUndefined();
    expect(r.stdout).not.toMatch(/^(HTTP_PROXY|ALL_PROXY|CODEX_NETWORK_PROXY_ACTIVE)=/m);
  });

  it("a PTY session with managed networking is refused, with the reason and the remedy", async () => {
    const { ws } = workspace();
    const e = await transform(["true"], WS_NET, ws, { deps: deps(), launch: { ...managed("owner-P"), tty: true } }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SandboxUnavailableError);
    expect(e).toMatchObject({ code: "managed-network-unavailable" });
    expect((e as Error).message).toMatch(/tty.*tty: false/s);
  });

  it("a missing relay script refuses the launch instead of running without the proxy", async () => {
    const { ws } = workspace();
    const e = await transform(["true"], WS_NET, ws, { deps: { relay: { script: path.join(ws, "nope.mjs") } }, launch: managed("owner-M") }).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(SandboxUnavailableError);
    expect(e).toMatchObject({ code: "managed-network-unavailable" });
  });
});
