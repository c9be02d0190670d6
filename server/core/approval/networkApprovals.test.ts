// Network approvals through the real managed proxy on loopback: real HTTP upstreams on 127.0.0.2–4,
// requests sent through a command's own proxy endpoint (`openEndpoint(owner)`, attributed to that
// command as a relay's sockets would be), the real ConfigService reading a temp home and
// requirements file, and a scripted client that records every server request. What a test asserts
// is observed on the wire or on disk: prompts sent, answers the command's HTTP client got, what the
// upstream received, lines written to the rules file.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AskForApproval, CommandExecutionRequestApprovalParams } from "../../../protocol/v2/index.js";
import { createLogger } from "../../log.js";
import { exchange, httpUpstream, parseAnswer, type RecordedRequest, type Upstream } from "../../sandbox/networkProxy/proxy.testutil.js";
import type { ProxyEndpoint } from "../../sandbox/networkProxy/index.js";
import { ConfigService } from "../config/configService.js";
import { ServerRequestAbandoned, type ServerRequestThread, type ClientSink, type ServerRequestOptions, type Session } from "../ports.js";
import { appendNetworkDenials, protocolNames, type NetworkOwner } from "./networkApprovals.js";
import { ManagedNetworkService } from "./managedNetworkService.js";

const log = createLogger("silent");

type Answer = (params: CommandExecutionRequestApprovalParams) => Promise<unknown>;

interface Client extends ClientSink {
  readonly prompts: CommandExecutionRequestApprovalParams[];
  readonly notifications: { method: string; params: unknown }[];
  answer: Answer;
  /** Resolves when the n-th prompt has arrived. */
  promptCount(n: number): Promise<void>;
}

/** A client that answers server requests with `answer`, honouring the broker's signal and timeout as the rpc layer does. */
function client(closed = false): Client {
  const prompts: CommandExecutionRequestApprovalParams[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  let nextId = 0;
  const sink: Client = {
    session: {
      connectionId: 1,
      transport: "stdio",
      initialized: true,
      clientInfo: null,
      experimentalApi: false,
      optOutNotificationMethods: new Set(),
    } satisfies Session,
    closed,
    prompts,
    notifications: [],
    answer: () => Promise.resolve({ decision: "decline" }),
    promptCount: (n) => (prompts.length >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }))),
    notify: (method, params) => sink.notifications.push({ method, params }),
    request: (method, params, options: ServerRequestOptions = {}) => {
      expect(method).toBe("item/commandExecution/requestApproval");
      const p = params as CommandExecutionRequestApprovalParams;
      prompts.push(p);
      options.onSent?.(nextId++);
      for (const w of waiters.filter((x) => prompts.length >= x.n)) w.resolve();
      return new Promise((resolve, reject) => {
        const timer =
          options.timeoutMs === undefined ? undefined : setTimeout(() => reject(new ServerRequestAbandoned(method, "timed out")), options.timeoutMs);
        options.signal?.addEventListener("abort", () => {
          clearTimeout(timer);
          reject(new ServerRequestAbandoned(method, "cancelled"));
        });
        sink.answer(p).then(
          (v) => {
            clearTimeout(timer);
            resolve(v);
          },
          () => undefined,
        );
      });
    },
    onClose: () => {},
  };
  return sink;
}

function thread(c: ClientSink, warnings: string[] = []): ServerRequestThread {
  let status: ServerRequestThread["status"] = { type: "active", activeFlags: [] };
  return {
    id: "thr-1",
    subscribers: new Set([c]),
    get status() {
      return status;
    },
    setStatus: (s) => (status = s),
    emit: (method, params) => {
      if (method === "warning") warnings.push((params as { message: string }).message);
    },
  };
}

const never = (): Promise<unknown> => new Promise(() => undefined);

let root: string;
let home: string;
let requirements: string;
let upstreams: Record<"a" | "a2" | "b" | "c", Upstream & { requests: RecordedRequest[] }>;
const services: ManagedNetworkService[] = [];
const endpoints: ProxyEndpoint[] = [];

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "gh-netappr-"));
  home = path.join(root, "home");
  requirements = path.join(root, "requirements.toml");
  await mkdir(home);
  await writeFile(
    path.join(home, "config.toml"),
    'sandbox_mode = "workspace-write"\napproval_policy = "on-request"\n[sandbox_workspace_write]\nnetwork_access = true\n[features.network_proxy]\nenabled = true\nallow_local_binding = true\n',
  );
  await writeFile(requirements, "[experimental_network]\nenabled = true\nallow_local_binding = true\n");
  // a and a2: one host, two ports (the a:443 and a:80); b and c: other hosts.
  const [a, a2, b, c] = await Promise.all([httpUpstream("127.0.0.2"), httpUpstream("127.0.0.2"), httpUpstream("127.0.0.3"), httpUpstream("127.0.0.4")]);
  upstreams = { a, a2, b, c };
});

afterEach(async () => {
  await Promise.all(endpoints.splice(0).map((e) => e.close()));
  await Promise.all(services.splice(0).map((s) => s.close()));
  await Promise.all(Object.values(upstreams).map((u) => u.close()));
  await rm(root, { recursive: true, force: true });
});

async function start(overrides: string[] = [], withRequirements = true): Promise<ManagedNetworkService> {
  const config = await ConfigService.create({
    home,
    env: {},
    cliOverrides: overrides,
    systemConfigFile: path.join(root, "none.toml"),
    requirementsFile: withRequirements ? requirements : path.join(root, "absent.toml"),
  });
  const service = new ManagedNetworkService({ home, log, config });
  services.push(service);
  return service;
}

interface Owned {
  readonly owner: string;
  readonly endpoint: ProxyEndpoint;
  readonly declined: number[];
  readonly cancelled: number[];
  lines(): readonly string[];
  release(): Promise<void>;
}

/** Registers one command as the turn engine would and opens its own proxy endpoint. */
async function command(service: ManagedNetworkService, t: ServerRequestThread, approvalPolicy: AskForApproval = "on-request"): Promise<Owned> {
  const declined: number[] = [];
  const cancelled: number[] = [];
  const owner: NetworkOwner = {
    thread: t,
    threadId: t.id,
    turnId: "turn-1",
    itemId: "call-1",
    approvalPolicy,
    signal: new AbortController().signal,
    onDecline: () => declined.push(1),
    onCancel: () => cancelled.push(1),
  };
  const lease = await service.forCommand(owner, { type: "workspaceWrite", networkAccess: true }, true);
  if (!lease) throw new Error("managed networking did not apply");
  const endpoint = await lease.proxy.openEndpoint(lease.owner);
  endpoints.push(endpoint);
  return { owner: lease.owner, endpoint, declined, cancelled, lines: () => lease.deniedLines(), release: () => lease.release() };
}

/** A plain HTTP request for http://<up.host>:<up.port>/<pathname> through a proxy port. */
async function get(proxyPort: number, up: Upstream, pathname = "x"): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const target = `${up.host}:${up.port}`;
  return parseAnswer(await exchange(proxyPort, `GET http://${target}/${pathname} HTTP/1.1\r\nHost: ${target}\r\nConnection: close\r\n\r\n`));
}

describe("network approvals through the managed proxy", () => {
  it("prompts once per (host, protocol, port) in 0.169's shape; acceptForSession caches, accept does not", async () => {
    const service = await start();
    const c = client();
    const t = thread(c);
    const cmd = await command(service, t);
    const { a, a2, b } = upstreams;
    const cUp = upstreams.c;
    const answers = ["acceptForSession", "accept", "accept", "accept", "accept"];
    c.answer = () => Promise.resolve({ decision: answers[c.prompts.length - 1] });

    expect((await get(cmd.endpoint.httpPort, a, "1")).status).toBe(200);
    expect(c.prompts[0]).toEqual({
      kind: "command",
      threadId: "thr-1",
      turnId: "turn-1",
      itemId: expect.stringMatching(new RegExp(`^network#local#http#127\\.0\\.0\\.2#${a.port}#[0-9a-f-]{36}$`)) as unknown,
      startedAtMs: expect.any(Number) as unknown,
      environmentId: "local",
      reason: "Network access to 127.0.0.2 requires approval",
      networkApprovalContext: { host: "127.0.0.2", protocol: "http" },
      proposedNetworkPolicyAmendments: [
        { host: "127.0.0.2", action: "allow" },
        { host: "127.0.0.2", action: "deny" },
      ],
      availableDecisions: [
        "accept",
        "acceptForSession",
        { applyNetworkPolicyAmendment: { network_policy_amendment: { host: "127.0.0.2", action: "allow" } } },
        "cancel",
      ],
    });
    expect(Object.keys(c.prompts[0] ?? {})).toEqual([
      "kind",
      "threadId",
      "turnId",
      "itemId",
      "startedAtMs",
      "environmentId",
      "reason",
      "networkApprovalContext",
      "proposedNetworkPolicyAmendments",
      "availableDecisions",
    ]);
    expect((await get(cmd.endpoint.httpPort, b, "2")).status).toBe(200);
    expect((await get(cmd.endpoint.httpPort, a, "3")).status).toBe(200);
    expect(c.prompts).toHaveLength(2);
    // Another port of the same host is another key.
    expect((await get(cmd.endpoint.httpPort, a2, "4")).status).toBe(200);
    expect(c.prompts).toHaveLength(3);
    // accept lets through once: the same key asks again.
    expect((await get(cmd.endpoint.httpPort, cUp, "5")).status).toBe(200);
    expect((await get(cmd.endpoint.httpPort, cUp, "6")).status).toBe(200);
    expect(c.prompts.map((p) => p.networkApprovalContext?.host)).toEqual(["127.0.0.2", "127.0.0.3", "127.0.0.2", "127.0.0.4", "127.0.0.4"]);
    expect(a.requests.map((r) => r.url)).toEqual(["/1", "/3"]);
    expect(cUp.requests.map((r) => r.url)).toEqual(["/5", "/6"]);
    // Every prompt was followed by serverRequest/resolved with its id.
    expect(c.notifications).toEqual([0, 1, 2, 3, 4].map((requestId) => ({ method: "serverRequest/resolved", params: { threadId: "thr-1", requestId } })));
    expect(cmd.lines()).toEqual([]);
  });

  it("concurrent requests for one key share one prompt and its answer", async () => {
    const service = await start();
    const c = client();
    const cmd = await command(service, thread(c));
    let release: (v: unknown) => void = () => undefined;
    c.answer = () => new Promise((resolve) => (release = resolve));
    const requests = [1, 2, 3].map((i) => get(cmd.endpoint.httpPort, upstreams.b, String(i)));
    await c.promptCount(1);
    // The other two may still be on their way: answer once all three wait on the one prompt.
    await waitForWaiters(service, 3);
    release({ decision: "accept" });
    const answers = await Promise.all(requests);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(c.prompts).toHaveLength(1);
    expect(upstreams.b.requests).toHaveLength(3);
  });

  it("decline denies with 403 and ends the owning command; the upstream sees nothing", async () => {
    const service = await start();
    const c = client();
    const cmd = await command(service, thread(c));
    c.answer = () => Promise.resolve({ decision: "decline" });
    const answer = await get(cmd.endpoint.httpPort, upstreams.b);
    expect(answer.status).toBe(403);
    expect(answer.headers["x-proxy-error"]).toBe("blocked-by-allowlist");
    expect(cmd.declined).toEqual([1]);
    expect(cmd.cancelled).toEqual([]);
    expect(upstreams.b.accepted()).toBe(0);
    // 0.169 ends the command with "rejected by user", not with the proxy's line.
    expect(cmd.lines()).toEqual([]);
  });

  it("cancel denies and interrupts the turn", async () => {
    const service = await start();
    const c = client();
    const cmd = await command(service, thread(c));
    c.answer = () => Promise.resolve({ decision: "cancel" });
    expect((await get(cmd.endpoint.httpPort, upstreams.b)).status).toBe(403);
    expect(cmd.cancelled).toEqual([1]);
    expect(cmd.declined).toEqual([]);
    expect(upstreams.b.accepted()).toBe(0);
  });

  it("under approval policy never nothing prompts and the denial is reported in §5.3's words", async () => {
    const service = await start();
    const c = client();
    const cmd = await command(service, thread(c), "never");
    expect((await get(cmd.endpoint.httpPort, upstreams.b)).status).toBe(403);
    expect(c.prompts).toEqual([]);
    expect(cmd.lines()).toEqual(['Network access to "127.0.0.3" was blocked by policy.']);
    // granular without sandbox_approval cannot ask either.
    const g = await command(service, thread(c), { granular: { sandbox_approval: false, rules: true, mcp_elicitations: true } });
    expect((await get(g.endpoint.httpPort, upstreams.b)).status).toBe(403);
    expect(c.prompts).toEqual([]);
    expect(upstreams.b.accepted()).toBe(0);
  });

  it("without managed network requirements nothing prompts (as 0.169) and the block is reported", async () => {
    const service = await start([], false);
    const c = client();
    const cmd = await command(service, thread(c));
    expect((await get(cmd.endpoint.httpPort, upstreams.b)).status).toBe(403);
    expect(c.prompts).toEqual([]);
    expect(cmd.lines()).toHaveLength(1);
    expect(cmd.lines()[0]).toMatch(/^Network access to "127\.0\.0\.3" was blocked: domain is not on the allowlist for the current sandbox mode/);
  });

  it("a prompt nobody answers times out into a denial, withdrawn with serverRequest/resolved", async () => {
    const service = await start(["network_approval_timeout_ms=50"]);
    const c = client();
    const warnings: string[] = [];
    const cmd = await command(service, thread(c, warnings));
    c.answer = never;
    const answer = await get(cmd.endpoint.httpPort, upstreams.b);
    expect(answer.status).toBe(403);
    expect(c.prompts).toHaveLength(1);
    expect(warnings).toEqual(["network approval request timed out after 50 ms; denied"]);
    expect(c.notifications).toEqual([{ method: "serverRequest/resolved", params: { threadId: "thr-1", requestId: 0 } }]);
    expect(cmd.lines()[0]).toContain("no approval decision arrived within 50 ms");
  });

  it("with no client left to answer, the target is denied", async () => {
    const service = await start();
    const gone = client(true);
    const warnings: string[] = [];
    const cmd = await command(service, thread(gone, warnings));
    expect((await get(cmd.endpoint.httpPort, upstreams.b)).status).toBe(403);
    expect(gone.prompts).toEqual([]);
    expect(warnings).toEqual(["network approval request failed: no client left to answer it; denied"]);
  });

  it("applyNetworkPolicyAmendment is written as 0.169 writes it, applied at once and read again after a restart", async () => {
    const service = await start();
    const c = client();
    const cmd = await command(service, thread(c));
    c.answer = (p) =>
      Promise.resolve({ decision: { applyNetworkPolicyAmendment: { network_policy_amendment: { host: p.networkApprovalContext?.host, action: "allow" } } } });
    expect((await get(cmd.endpoint.httpPort, upstreams.a)).status).toBe(200);
    expect(await readFile(path.join(home, "rules", "default.rules"), "utf8")).toBe(
      'network_rule(host="127.0.0.2", protocol="http", decision="allow", justification="Allow http access to 127.0.0.2")\n',
    );
    // Applied at once: the other port of the same host is now allow-listed, no prompt.
    expect((await get(cmd.endpoint.httpPort, upstreams.a2)).status).toBe(200);
    expect(c.prompts).toHaveLength(1);
    // A new daemon reads it back.
    const restarted = await start();
    await restarted.refresh();
    expect(restarted.policy().allowedDomains).toEqual(["127.0.0.2"]);

    // A deny amendment goes to the deny list and blocks at once.
    const d = client();
    const other = await command(service, thread(d));
    d.answer = () => Promise.resolve({ decision: { applyNetworkPolicyAmendment: { network_policy_amendment: { host: "127.0.0.4", action: "deny" } } } });
    expect((await get(other.endpoint.httpPort, upstreams.c)).status).toBe(403);
    expect(service.policy().deniedDomains).toEqual(["127.0.0.4"]);
    const again = await get(other.endpoint.httpPort, upstreams.c);
    expect(again.headers["x-proxy-error"]).toBe("blocked-by-denylist");
    expect(d.prompts).toHaveLength(1);
    expect(upstreams.c.accepted()).toBe(0);
  });

  it("a connection no running command owns is denied without a prompt", async () => {
    const service = await start();
    const c = client();
    const cmd = await command(service, thread(c));
    const proxy = await service.proxy();
    const ghost = await proxy.openEndpoint("cmd-not-registered");
    endpoints.push(ghost);
    expect((await get(ghost.httpPort, upstreams.b)).status).toBe(403);
    // The shared ports: what dials them directly is unattributed.
    const shared = await proxy.ensureStarted();
    expect((await get(shared.httpPort, upstreams.b)).status).toBe(403);
    // A command that ended is no longer an owner either.
    await cmd.release();
    const late = await proxy.openEndpoint(cmd.owner);
    endpoints.push(late);
    expect((await get(late.httpPort, upstreams.b)).status).toBe(403);
    expect(c.prompts).toEqual([]);
    expect(upstreams.b.accepted()).toBe(0);
  });
});

/** Waits (bounded by the test's timeout) until `n` connections wait on the approvals layer's prompts. */
async function waitForWaiters(service: ManagedNetworkService, n: number): Promise<void> {
  for (let i = 0; i < 10_000; i++) {
    if (service.approvals.pendingWaiters() >= n) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`never saw ${n} waiters`);
}

describe("helpers", () => {
  it("appends each blocked line on its own line", () => {
    expect(appendNetworkDenials("", ["A."])).toBe("A.\n");
    expect(appendNetworkDenials("out", ["A.", "B."])).toBe("out\nA.\nB.\n");
    expect(appendNetworkDenials("out\n", [])).toBe("out\n");
  });

  it("maps the cache's protocol names to the wire's and the rules file's", () => {
    expect(protocolNames("socks5-tcp")).toEqual({ wire: "socks5Tcp", rules: "socks5_tcp" });
    expect(protocolNames("socks5-udp")).toEqual({ wire: "socks5Udp", rules: "socks5_udp" });
    expect(protocolNames("https")).toEqual({ wire: "https", rules: "https" });
  });
});
