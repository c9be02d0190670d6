// Managed networking end to end: the real daemon, real bubblewrap, real tools (curl, git, pip, Node's
// fetch through undici's EnvHttpProxyAgent) inside the sandbox, reaching loopback upstreams on
// 127.0.0.2 and up through the daemon's proxy. The configuration is a managed-network deployment
// (on-request, workspace-write with network_access, [features.network_proxy], and an admin
// requirements file with [experimental_network], given through GATEHOUSE_REQUIREMENTS_FILE). The
// test plays the client and answers each network prompt by its host and port. Every upstream counts
// its requests, so "nothing reached it" is a number. No timing assertions.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startDaemon, type RawDaemon } from "../helpers/daemon.js";
import { tempHome, type TempHome } from "../helpers/home.js";
import { evFunctionCall, evMessage, mockDaemonConfig, startMockResponses, turn, type MockResponses } from "../helpers/mockResponses.js";
import {
  isNotification,
  isServerRequest,
  itemAs,
  type Item,
  type NamedApprovalPolicy,
  type ServerRequestParams,
  type ServerRequestResult,
} from "../helpers/protocol.js";
import { makeBareRepo, makePipIndex, startUpstream } from "../helpers/upstreams.js";

const hasBwrap = existsSync("/usr/bin/bwrap");
const hasCurl = existsSync("/usr/bin/curl");
const UNDICI = createRequire(import.meta.url).resolve("undici");
const pipWorks = ((): boolean => {
  try {
    execFileSync("python3", ["-m", "pip", "--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A temp home removed after the test, once every daemon using it has stopped (cleanups run in reverse). */
function newHome(prefix: string): TempHome {
  const home = tempHome(prefix);
  cleanups.unshift(() => home.cleanup());
  return home;
}

type Prompt = ServerRequestParams<"item/commandExecution/requestApproval">;
type Answer = ServerRequestResult<"item/commandExecution/requestApproval">;
const exec = (callId: string, cmd: string) => turn(evFunctionCall(callId, "exec_command", { cmd, yield_time_ms: 20_000 }));
const curl = (url: string) => `curl -sS --max-time 20 ${url}`;

function config(mockUrl: string, o: { policy?: NamedApprovalPolicy; allowLocal?: boolean; domains?: Record<string, string> } = {}): string {
  const domains = Object.entries(o.domains ?? {})
    .map(([k, v]) => `"${k}" = "${v}"`)
    .join(", ");
  const tables = `[sandbox_workspace_write]
network_access = true
[features.network_proxy]
enabled = true
allow_local_binding = ${o.allowLocal ?? true}
domains = { ${domains} }`;
  return mockDaemonConfig(mockUrl, { approvalPolicy: o.policy ?? "on-request", sandboxMode: "workspace-write", tables });
}

interface Net {
  readonly d: RawDaemon;
  readonly home: TempHome;
  readonly cwd: string;
  /** Runs one turn; each prompt is answered by `answer(host, port, params)` (host null: not a network prompt); returns the prompts' params. */
  runTurn(answer?: (host: string | null, port: number, params: Prompt) => Answer): Promise<Prompt[]>;
  /** The command item as completed. */
  completed(itemId: string): Item<"commandExecution">;
}

async function start(
  mock: MockResponses,
  home: TempHome,
  o: Parameters<typeof config>[1] = {},
  requirements = true,
  env: NodeJS.ProcessEnv = {},
): Promise<Net> {
  const cwd = join(home.base, "cwd");
  mkdirSync(cwd, { recursive: true });
  const req = join(home.base, "requirements.toml");
  writeFileSync(req, "[experimental_network]\nenabled = true\nallow_local_binding = true\n");
  const d = startDaemon({
    home,
    config: config(mock.baseUrl, o),
    env: { ...env, GATEHOUSE_REQUIREMENTS_FILE: requirements ? req : join(home.base, "none.toml") },
  });
  cleanups.push(async () => {
    await d.stop();
  });
  await d.initialize();
  const threadId = (await d.result("thread/start", { cwd, approvalPolicy: o.policy ?? "on-request", sandbox: "workspace-write" })).thread.id;
  return {
    d,
    home,
    cwd,
    async runTurn(answer = () => ({ decision: "decline" })) {
      const from = d.messages.length;
      const prompts: Prompt[] = [];
      const turnId = (await d.result("turn/start", { threadId, input: [{ type: "text", text: "go" }] })).turn.id;
      const isEnd = isNotification("turn/completed", (p) => p.turn.id === turnId);
      const isPrompt = isServerRequest("item/commandExecution/requestApproval");
      // Answer prompts as they come, until the turn completes.
      for (let seen = from; ;) {
        const next = await d.waitFor((m) => isEnd(m) || isPrompt(m), 60_000, seen);
        if (!isPrompt(next)) break;
        seen = d.messages.indexOf(next) + 1;
        const p = next.params;
        prompts.push(p);
        const port = Number(p.itemId.split("#")[4]);
        d.respond(next, answer(p.networkApprovalContext?.host ?? null, port, p));
      }
      return prompts;
    },
    completed: (itemId) => {
      const m = d.messages.find(isNotification("item/completed", (p) => p.item.id === itemId));
      if (!m) throw new Error(`no item/completed for ${itemId}`);
      return itemAs(m.params.item, "commandExecution");
    },
  };
}

describe.runIf(hasBwrap && hasCurl)("managed networking (real daemon, real bubblewrap, real tools)", () => {
  it("allow and deny lists, prompts by (host, protocol, port), session cache, once, concurrent sharing, decline, amendment persisted across a restart, and tools that ignore the proxy fail closed", async () => {
    const home = newHome("gatehouse-net");
    const files = join(home.base, "www");
    mkdirSync(join(files, "repo.git"), { recursive: true });
    const head = makeBareRepo(join(files, "repo.git"));
    if (pipWorks) makePipIndex(files);
    for (const name of ["listed", "undici", "fetch", "bypass"]) writeFileSync(join(files, name), "hello from 127.0.0.4\n");
    const allowed = await startUpstream("127.0.0.4", { root: files });
    const denied = await startUpstream("127.0.0.5");
    const asked = await startUpstream("127.0.0.2");
    const askedOtherPort = await startUpstream("127.0.0.2");
    const shared = await startUpstream("127.0.0.3");
    for (const u of [allowed, denied, asked, askedOtherPort, shared]) cleanups.push(() => u.close());
    const undiciFetch = (url: string) =>
      `${process.execPath} -e 'const u = require(${JSON.stringify(UNDICI)}); u.setGlobalDispatcher(new u.EnvHttpProxyAgent()); u.fetch(${JSON.stringify(url)}).then(r => r.text()).then(t => console.log("undici:", t.trim()), e => { console.log("undici failed:", e.cause?.code ?? e.message); process.exit(3); })'`;
    const plainFetch = (url: string) =>
      `${process.execPath} -e 'fetch(${JSON.stringify(url)}).then(r => r.text()).then(t => console.log("fetch:", t.trim()), e => { console.log("fetch failed:", e.cause?.code ?? e.message); process.exit(3); })'`;
    const mock = await startMockResponses({
      script: [
        exec("allow", curl(`${allowed.url}/listed`)),
        exec("deny", `curl -sS -o /dev/null -w '%{http_code} %header{x-proxy-error}' ${denied.url}/listed`),
        exec("ask", curl(`${asked.url}/first`)),
        exec("cached", `${curl(`${asked.url}/second`)} && ${curl(`${askedOtherPort.url}/other-port`)}`),
        exec("together", `for i in 1 2 3; do ${curl(`${shared.url}/together-$i`)} & done; wait`),
        exec("again", curl(`${shared.url}/again`)),
        exec("bypass", `curl -sS --max-time 5 --noproxy '*' ${allowed.url}/bypass; echo rc=$?`),
        exec("bypassFails", `curl -sS --max-time 5 --noproxy '*' ${allowed.url}/bypass`),
        exec("undici", undiciFetch(`${allowed.url}/undici`)),
        exec("nodeFetch", plainFetch(`${allowed.url}/fetch`)),
        exec("git", `git ls-remote ${allowed.url}/repo.git`),
        ...(pipWorks
          ? [exec("pip", `python3 -m pip download --no-deps --disable-pip-version-check -q -d pipdl --index-url ${allowed.url}/simple/ tinypkg && ls pipdl`)]
          : []),
        turn(evMessage("m1", "done")),
        // After the restart: the amendment still allows 127.0.0.3.
        exec("afterRestart", curl(`${shared.url}/after-restart`)),
        turn(evMessage("m2", "done")),
      ],
    });
    cleanups.push(() => mock.close());
    let net = await start(mock, home, { domains: { "127.0.0.4": "allow", "127.0.0.5": "deny" } });

    const answers: Record<string, Answer[]> = {
      [`127.0.0.2:${asked.port}`]: [{ decision: "acceptForSession" }],
      [`127.0.0.2:${askedOtherPort.port}`]: [{ decision: "decline" }],
      [`127.0.0.3:${shared.port}`]: [
        { decision: "accept" },
        { decision: { applyNetworkPolicyAmendment: { network_policy_amendment: { host: "127.0.0.3", action: "allow" } } } },
      ],
    };
    const prompts = await net.runTurn((host, port) => answers[`${host}:${port}`]?.shift() ?? { decision: "decline" });

    // Exactly these prompts, in this order: the allow and deny lists ask nothing, the session cache
    // covers the second request to 127.0.0.2 on the same port, another port asks again, three
    // concurrent requests share one prompt, and an `accept` (once) is asked again next time.
    expect(prompts.map((p) => `${p.networkApprovalContext?.host}:${p.itemId.split("#")[4]}`)).toEqual([
      `127.0.0.2:${asked.port}`,
      `127.0.0.2:${askedOtherPort.port}`,
      `127.0.0.3:${shared.port}`,
      `127.0.0.3:${shared.port}`,
    ]);
    // 0.169's shape, field for field (observed on 0.169.0 with this configuration).
    const [first] = prompts;
    expect(first).toMatchObject({
      kind: "command",
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
    expect(first?.itemId).toMatch(new RegExp(`^network#local#http#127\\.0\\.0\\.2#${asked.port}#[0-9a-f-]{36}$`));
    expect(first).not.toHaveProperty("command");

    expect(net.completed("allow")).toMatchObject({ status: "completed", exitCode: 0, aggregatedOutput: expect.stringContaining("hello from 127.0.0.4") });
    expect(net.completed("deny").aggregatedOutput).toContain("403 blocked-by-denylist");
    expect(net.completed("deny").aggregatedOutput).toContain('Network access to "127.0.0.5" was blocked: domain is explicitly denied by policy.');
    expect(denied.requests).toEqual([]);
    expect(net.completed("ask")).toMatchObject({ status: "completed", aggregatedOutput: expect.stringContaining("hello from 127.0.0.2") });
    // Declined: the command that asked ends as 0.169 ends it, and the other port saw nothing.
    expect(net.completed("cached")).toMatchObject({
      status: "failed",
      exitCode: -1,
      aggregatedOutput: expect.stringMatching(/hello from 127\.0\.0\.2\n[\s\S]*rejected by user$/),
    });
    expect(asked.requests).toEqual(["GET /first", "GET /second"]);
    expect(askedOtherPort.requests).toEqual([]);
    expect(shared.requests.filter((r) => r.startsWith("GET /together-")).sort()).toEqual(["GET /together-1", "GET /together-2", "GET /together-3"]);
    expect(net.completed("again")).toMatchObject({ status: "completed" });
    // A tool that ignores the proxy variables has no route out.
    expect(net.completed("bypass").aggregatedOutput).toMatch(/rc=(7|28)/);
    expect(allowed.requests).not.toContain("GET /bypass");
    // The sandbox's report names the way out rather than saying the network is off.
    expect(net.completed("bypassFails")).toMatchObject({ status: "failed", aggregatedOutput: expect.stringContaining("only the managed proxy is reachable") });
    // Node's fetch through undici's EnvHttpProxyAgent works; Node 20's own fetch ignores the proxy variables and fails closed.
    expect(net.completed("undici").aggregatedOutput).toContain("undici: hello from 127.0.0.4");
    expect(net.completed("nodeFetch")).toMatchObject({ status: "failed" });
    expect(allowed.requests).not.toContain("GET /fetch");
    expect(net.completed("git")).toMatchObject({ status: "completed", aggregatedOutput: expect.stringContaining(`${head}\tHEAD`) });
    if (pipWorks)
      expect(net.completed("pip")).toMatchObject({ status: "completed", aggregatedOutput: expect.stringContaining("tinypkg-0.1-py3-none-any.whl") });

    // The amendment is where 0.169 writes it, and survives a restart: no prompt for 127.0.0.3 now.
    expect(readFileSync(join(home.home, "rules", "default.rules"), "utf8")).toMatch(/network_rule\(host="127\.0\.0\.3", protocol="http", decision="allow"/);
    await net.d.stop();
    net = await start(mock, home, { domains: { "127.0.0.4": "allow", "127.0.0.5": "deny" } });
    expect(await net.runTurn()).toEqual([]);
    expect(net.completed("afterRestart")).toMatchObject({ status: "completed", aggregatedOutput: expect.stringContaining("hello from 127.0.0.3") });
  });

  it("without allow_local_binding a name resolving to a loopback address is refused unasked; under never nothing is asked; without requirements nothing is asked", async () => {
    const home = newHome("gatehouse-net-local");
    const local = await startUpstream("127.0.0.2");
    cleanups.push(() => local.close());
    const mock = await startMockResponses({
      script: [
        // --noproxy '' clears NO_PROXY's localhost exception: the proxy gets the name and resolves it.
        exec("byName", `curl -sS --max-time 20 --noproxy '' -o /dev/null -w '%{http_code} %header{x-proxy-error}' http://localhost:${local.port}/`),
        exec("literal", `curl -sS --max-time 20 -o /dev/null -w '%{http_code}' ${local.url}/`),
        turn(evMessage("m1", "done")),
        exec("never", curl(`${local.url}/never`)),
        turn(evMessage("m2", "done")),
        exec("noRequirements", curl(`${local.url}/no-requirements`)),
        turn(evMessage("m3", "done")),
      ],
    });
    cleanups.push(() => mock.close());
    const strict = await start(mock, home, { allowLocal: false });
    expect(await strict.runTurn()).toEqual([]);
    expect(strict.completed("byName").aggregatedOutput).toContain("403 blocked-by-policy");
    expect(strict.completed("byName").aggregatedOutput).toContain(
      'Network access to "localhost" was blocked: local/private network addresses are blocked by the sandbox policy.',
    );
    expect(strict.completed("literal").aggregatedOutput).toContain("403");
    await strict.d.stop();

    const never = await start(mock, newHome("gatehouse-net-never"), { policy: "never" });
    expect(await never.runTurn()).toEqual([]);
    expect(never.completed("never").aggregatedOutput).toContain('Network access to "127.0.0.2" was blocked by policy.');
    await never.d.stop();

    const noReq = await start(mock, newHome("gatehouse-net-noreq"), {}, false);
    expect(await noReq.runTurn()).toEqual([]);
    expect(noReq.completed("noRequirements").aggregatedOutput).toContain('Network access to "127.0.0.2" was blocked');
    expect(local.requests).toEqual([]);
  });

  it("two commands of one turn prompt separately and each answer reaches its own command; an escalated command gets no proxy variables", async () => {
    const home = newHome("gatehouse-net-two");
    const a = await startUpstream("127.0.0.6");
    const b = await startUpstream("127.0.0.7");
    for (const u of [a, b]) cleanups.push(() => u.close());
    const escalated = evFunctionCall("esc", "exec_command", {
      cmd: "env | grep -i _proxy= | sort; echo end",
      sandbox_permissions: "require_escalated",
      justification: "outside",
    });
    const mock = await startMockResponses({
      script: [exec("cmdA", curl(`${a.url}/a`)), exec("cmdB", curl(`${b.url}/b`)), turn(escalated), turn(evMessage("m1", "done"))],
    });
    cleanups.push(() => mock.close());
    // The daemon's own environment has a proxy: an escalated command must not be pointed at ours, nor keep that one.
    const net = await start(mock, home, {}, true, { HTTP_PROXY: "http://127.0.0.9:9", https_proxy: "http://127.0.0.9:9" });
    const prompts = await net.runTurn((host, _port, p) =>
      host === null ? { decision: p.itemId === "esc" ? "accept" : "decline" } : { decision: host === "127.0.0.6" ? "decline" : "accept" },
    );
    expect(prompts.map((p) => p.networkApprovalContext?.host ?? p.itemId)).toEqual(["127.0.0.6", "127.0.0.7", "esc"]);
    expect(net.completed("cmdA")).toMatchObject({ status: "failed", exitCode: -1, aggregatedOutput: expect.stringMatching(/rejected by user$/) });
    expect(net.completed("cmdB")).toMatchObject({ status: "completed", aggregatedOutput: expect.stringContaining("hello from 127.0.0.7") });
    expect(a.requests).toEqual([]);
    expect(b.requests).toEqual(["GET /b"]);
    expect(net.completed("esc")).toMatchObject({ status: "completed", aggregatedOutput: "end\n" });
  });
});
