// The legacy v1 (0.80) methods outside conversations and turns, on the real daemon: saved config and
// the default model, the API-key login, the user agent, the git diff to the remote, one-off commands
// under real bubblewrap, and the stored conversations (list, summary, archive). The v1 traffic of
// each test is validated against 0.80's schema with ../shared/tools/wire-check.mjs.
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { parse as parseToml } from "smol-toml";
import { afterEach, describe, expect, it } from "vitest";
import { V1_ONLY_METHODS } from "../../server/handlers/lazyTable.js";
import { REF_DIR } from "../helpers/globalSetup.js";
import { evMessage, mockDaemonConfig, turn } from "../helpers/mockResponses.js";
import { errorOf, ok, type Json } from "../helpers/protocol.js";
import { startSession, type Session } from "../helpers/session.js";
import { WIRE_CHECK, wireCheckTraffic } from "../helpers/wireCheck.js";

const REF_SCHEMA_V1 = join(REF_DIR, "0.80.0/schema-json");
const hasBwrap = existsSync("/usr/bin/bwrap");

let session: Session | undefined;
afterEach(async () => {
  await session?.stop();
  session = undefined;
});

const v1Methods: ReadonlySet<string> = new Set(V1_ONLY_METHODS);

/** The v1 methods without params, whose answers wire-check cannot map to a type: checked here with its validator. */
const PARAMLESS_RESULTS: Readonly<Record<string, string>> = { getUserSavedConfig: "GetUserSavedConfigResponse", getUserAgent: "GetUserAgentResponse" };

/**
 * Validates the session's v1 requests' answers and authStatusChange against 0.80's schema; the v2
 * traffic a test uses to set things up is 0.169's and checked by the v2 tests.
 */
function checkV1Wire(s: Session, expectedResponses: readonly string[]): void {
  const v1Requests = s.sent.filter((m) => typeof m["method"] === "string" && v1Methods.has(m["method"]) && "id" in m);
  const methodOf = new Map(v1Requests.map((m) => [JSON.stringify(m["id"]), m["method"] as string]));
  const answers = s.daemon.messages.filter((m) => (!("method" in m) && methodOf.has(JSON.stringify(m["id"]))) || m["method"] === "authStatusChange");
  const file = join(s.daemon.home.base, "transcript-v1.jsonl");
  const lines = [...v1Requests.map((msg) => ({ dir: "in", msg })), ...answers.map((msg) => ({ dir: "out", msg }))];
  writeFileSync(file, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
  const check = wireCheckTraffic(REF_SCHEMA_V1, file);
  for (const method of expectedResponses.filter((m) => !(m in PARAMLESS_RESULTS))) {
    expect(check.stdout).toMatch(new RegExp(`ok +response ${method}: [1-9]\\d* valid, 0 invalid`));
  }
  expect(check.stdout).not.toMatch(/INVALID/);
  expect(check.status, check.stdout + check.stderr).toBe(0);

  const Ajv = createRequire(WIRE_CHECK)("ajv") as new (o: object) => { compile(schema: unknown): ((v: unknown) => boolean) & { errors?: unknown } };
  const ajv = new Ajv({ strict: false });
  for (const method of expectedResponses.filter((m) => m in PARAMLESS_RESULTS)) {
    const validate = ajv.compile(JSON.parse(readFileSync(join(REF_SCHEMA_V1, "v1", `${PARAMLESS_RESULTS[method]}.json`), "utf8")));
    const results = answers.filter((m) => methodOf.get(JSON.stringify(m["id"])) === method && "result" in m);
    expect(results.length, method).toBeGreaterThan(0);
    for (const r of results) expect(validate(r["result"]), `${method}: ${JSON.stringify(validate.errors)}`).toBe(true);
  }
}

function git(cwd: string, ...args: string[]): string {
  const identity = { GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@x", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@x" };
  return execFileSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, ...identity } }).trim();
}

describe("getUserSavedConfig and setDefaultModel", () => {
  it("report config.toml as 0.80 does and write the model under the active profile", async () => {
    session = await startSession({
      config: (url) =>
        mockDaemonConfig(url, {
          tables: `profile = "fast"
model_verbosity = "high"
forced_login_method = "api"

[sandbox_workspace_write]
writable_roots = ["/tmp/wr"]
network_access = true

[tools]
web_search = true

[profiles.fast]
model = "gpt-5.1-codex-mini"
model_reasoning_effort = "minimal"
`,
        }),
    });
    const s = session;
    const configFile = join(s.daemon.home.home, "config.toml");
    const fast = { model: "gpt-5.1-codex-mini", modelProvider: null, approvalPolicy: null, modelReasoningEffort: "minimal" };
    const rest = { modelReasoningSummary: null, modelVerbosity: null, chatgptBaseUrl: null };
    expect(await s.result("getUserSavedConfig")).toEqual({
      config: {
        approvalPolicy: "never",
        sandboxMode: "read-only",
        sandboxSettings: { writableRoots: ["/tmp/wr"], networkAccess: true, excludeTmpdirEnvVar: false, excludeSlashTmp: false },
        forcedChatgptWorkspaceId: null,
        forcedLoginMethod: "api",
        model: "gpt-5.5",
        modelReasoningEffort: null,
        modelReasoningSummary: null,
        modelVerbosity: "high",
        tools: { webSearch: true, viewImage: null },
        profile: "fast",
        profiles: { fast: { ...fast, ...rest } },
      },
    });

    expect(await s.result("setDefaultModel", { model: "gpt-5.2", reasoningEffort: "high" })).toEqual({});
    const written = parseToml(readFileSync(configFile, "utf8")) as { model: string; profiles: { fast: Record<string, unknown> } };
    expect(written.model).toBe("gpt-5.5");
    expect(written.profiles.fast).toEqual({ model: "gpt-5.2", model_reasoning_effort: "high" });
    expect((await s.result("getUserSavedConfig")).config.profiles["fast"]).toEqual({ ...fast, model: "gpt-5.2", modelReasoningEffort: "high", ...rest });
    // The daemon runs with what it wrote (the profile applies over the top level).
    expect((await s.result("config/read", {})).config.model).toBe("gpt-5.2");

    // Both fields are set each time, so what is left out is removed, as in 0.80.
    expect(await s.result("setDefaultModel", {})).toEqual({});
    expect((parseToml(readFileSync(configFile, "utf8")) as { profiles: { fast: Record<string, unknown> } }).profiles.fast).toEqual({});
    checkV1Wire(s, ["getUserSavedConfig", "setDefaultModel"]);
  });

  it("writes the top level when no profile is selected", async () => {
    session = await startSession();
    const s = session;
    expect(await s.result("setDefaultModel", { model: "gpt-5.1-codex", reasoningEffort: "low" })).toEqual({});
    expect(await s.result("getUserSavedConfig")).toMatchObject({
      config: { model: "gpt-5.1-codex", modelReasoningEffort: "low", profile: null, profiles: {} },
    });
    expect((await s.result("config/read", {})).config).toMatchObject({ model: "gpt-5.1-codex", model_reasoning_effort: "low" });
    const refused = await s.requestRaw("setDefaultModel", { model: 5 });
    expect((refused["error"] as { code: number }).code).toBe(-32602);
    checkV1Wire(s, ["getUserSavedConfig", "setDefaultModel"]);
  });
});

describe("getAuthStatus and loginApiKey", () => {
  const KEY = "sk-gatehouse-v1-0123";

  it("log in with an API key, announce it with authStatusChange and report it to the openai provider", async () => {
    session = await startSession({ config: (url) => `model = "gpt-5.5"\nopenai_base_url = "${url}"\napproval_policy = "never"\nsandbox_mode = "read-only"\n` });
    const s = session;
    expect(await s.result("getAuthStatus", { includeToken: true, refreshToken: true })).toEqual({
      authMethod: null,
      authToken: null,
      requiresOpenaiAuth: true,
    });
    const from = s.daemon.messages.length;
    expect(await s.result("loginApiKey", { apiKey: KEY })).toEqual({});
    const change = await s.notification("authStatusChange", () => true, from);
    expect(change.params).toEqual({ authMethod: "apikey" });
    const authFile = join(s.daemon.home.home, "auth.json");
    expect(readFileSync(authFile, "utf8")).toBe(`{\n  "auth_mode": "apikey",\n  "OPENAI_API_KEY": "${KEY}"\n}`);
    expect(await s.result("getAuthStatus", { includeToken: true })).toEqual({ authMethod: "apikey", authToken: KEY, requiresOpenaiAuth: true });
    expect(await s.result("getAuthStatus", {})).toEqual({ authMethod: "apikey", authToken: null, requiresOpenaiAuth: true });
    // One login for both APIs; 0.80 sends nothing but authStatusChange for it.
    expect((await s.result("account/read", {})).account).toEqual({ type: "apiKey" });
    const sinceLogin = s.daemon.messages.slice(from).map((m) => m["method"]);
    expect(sinceLogin.filter((m) => m !== undefined)).toEqual(["authStatusChange"]);
    expect(s.daemon.stderr()).not.toContain(KEY);
    checkV1Wire(s, ["getAuthStatus", "loginApiKey"]);
  });

  it("report no login to a custom provider that did not ask for OpenAI auth", async () => {
    session = await startSession();
    const s = session;
    await s.result("loginApiKey", { apiKey: KEY });
    await s.notification("authStatusChange");
    expect(await s.result("getAuthStatus", { includeToken: true })).toEqual({ authMethod: null, authToken: null, requiresOpenaiAuth: false });
    checkV1Wire(s, ["getAuthStatus", "loginApiKey"]);
  });
});

describe("getUserAgent", () => {
  it("answers the userAgent initialize gave this connection", async () => {
    session = await startSession();
    const s = session;
    const init = s.daemon.messages.find((m) => typeof (m["result"] as Json | undefined)?.["userAgent"] === "string");
    const { userAgent } = await s.result("getUserAgent");
    expect(userAgent).toBe((init?.["result"] as Json)["userAgent"]);
    expect(userAgent).toMatch(/^gatehouse-test\/\d+\.\d+\.\d+ \(.+; .+\) .+ \(gatehouse-test; 0\.0\.1\) gatehouse\//);
    checkV1Wire(s, ["getUserAgent"]);
  });
});

describe("gitDiffToRemote", () => {
  it("diffs the working tree against the pushed commit, and says why when it cannot", async () => {
    session = await startSession();
    const s = session;
    const base = realpathSync(s.daemon.home.base);
    git(base, "init", "-q", "--bare", "remote.git");
    const repo = join(base, "repo");
    mkdirSync(repo);
    git(repo, "init", "-q", "-b", "main");
    writeFileSync(join(repo, "a.txt"), "one\n");
    git(repo, "add", "a.txt");
    git(repo, "commit", "-qm", "init");
    git(repo, "remote", "add", "origin", join(base, "remote.git"));
    git(repo, "push", "-q", "-u", "origin", "main");
    const pushed = git(repo, "rev-parse", "HEAD");
    writeFileSync(join(repo, "a.txt"), "one\ntwo\n");
    writeFileSync(join(repo, "b.txt"), "new\n");

    expect(await s.result("gitDiffToRemote", { cwd: repo })).toEqual({
      sha: pushed,
      diff:
        "diff --git a/a.txt b/a.txt\nindex 5626abf..814f4a4 100644\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1,2 @@\n one\n+two\n" +
        "diff --git a/b.txt b/b.txt\nnew file mode 100644\nindex 0000000..3e75765\n--- /dev/null\n+++ b/b.txt\n@@ -0,0 +1 @@\n+new\n",
    });

    const plain = join(base, "plain");
    mkdirSync(plain);
    expect(errorOf(await s.request("gitDiffToRemote", { cwd: plain }))).toEqual({
      code: -32600,
      message: `failed to compute git diff to remote for cwd: ${JSON.stringify(plain)}: not inside a Git work tree`,
    });
    expect(errorOf(await s.request("gitDiffToRemote", { cwd: "repo" }))).toEqual({
      code: -32602,
      message: 'gitDiffToRemote cwd must be an absolute path, got "repo"',
    });
    checkV1Wire(s, ["gitDiffToRemote"]);
  });
});

describe.runIf(hasBwrap)("execOneOffCommand (real bubblewrap)", () => {
  it("runs the command as command/exec does, under the configured or the given v1 sandbox policy", async () => {
    session = await startSession();
    const s = session;
    const cwd = realpathSync(mkdtempSync(join(s.daemon.home.base, "cwd-")));

    expect(await s.result("execOneOffCommand", { command: ["/bin/sh", "-c", "echo out; echo err >&2"], cwd })).toEqual({
      exitCode: 0,
      stdout: "out\n",
      stderr: "err\n",
    });
    expect((await s.result("execOneOffCommand", { command: ["/bin/sh", "-c", "exit 7"], cwd })).exitCode).toBe(7);

    // No sandboxPolicy: the configured sandbox_mode (read-only), as 0.80 does.
    const denied = await s.result("execOneOffCommand", { command: ["/bin/sh", "-c", "echo no > ro.txt"], cwd });
    expect(denied.exitCode).not.toBe(0);
    expect(denied.stderr).toContain("Read-only file system");
    expect(existsSync(join(cwd, "ro.txt"))).toBe(false);
    const readOnly = await s.result("execOneOffCommand", { command: ["/bin/sh", "-c", "echo no > ro.txt"], cwd, sandboxPolicy: { type: "read-only" } });
    expect(readOnly.stderr).toContain("Read-only file system");

    // 0.80's kebab-case policy, read by the same mapping as a v2 one.
    const workspace = {
      type: "workspace-write" as const,
      writable_roots: [],
      network_access: false,
      exclude_tmpdir_env_var: true,
      exclude_slash_tmp: true,
    };
    const rw = await s.result("execOneOffCommand", { command: ["/bin/sh", "-c", "echo yes > rw.txt && cat rw.txt"], cwd, sandboxPolicy: workspace });
    expect(rw).toEqual({ exitCode: 0, stdout: "yes\n", stderr: "" });
    const outside = join(s.daemon.home.base, "outside.txt");
    const escaped = await s.result("execOneOffCommand", { command: ["/bin/sh", "-c", `echo x > ${outside}`], cwd, sandboxPolicy: workspace });
    expect(escaped.exitCode).not.toBe(0);
    expect(existsSync(outside)).toBe(false);

    const slow = await s.result("execOneOffCommand", { command: ["/bin/sh", "-c", "sleep 30"], cwd, timeoutMs: 200 });
    expect(slow.exitCode).toBe(124);
    expect(slow.stderr).toContain("command timed out after 200 ms");

    expect(errorOf(await s.request("execOneOffCommand", { command: [] }))).toEqual({ code: -32600, message: "command must not be empty" });
    expect(errorOf(await s.request("execOneOffCommand", { command: ["true"], cwd: "relative" })).code).toBe(-32602);
    checkV1Wire(s, ["execOneOffCommand"]);
  });
});

interface FakeRollout {
  readonly id: string;
  readonly path: string;
}

/** A rollout as 0.80 writes one (session_meta, the user message), for sources and providers a thread/start cannot make. */
function writeRollout(home: string, n: number, meta: Record<string, unknown>): FakeRollout {
  const id = `01900000-0000-7000-8000-${String(n).padStart(12, "0")}`;
  const timestamp = `2026-01-01T10:00:${String(n).padStart(2, "0")}.123Z`;
  const dir = join(home, "sessions/2026/01/01");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `rollout-2026-01-01T10-00-${String(n).padStart(2, "0")}-${id}.jsonl`);
  const lines = [
    {
      timestamp,
      type: "session_meta",
      payload: { id, timestamp, cwd: "/work/x", originator: "codex_cli_rs", cli_version: "0.80.0", source: "vscode", model_provider: "mock", ...meta },
    },
    { timestamp, type: "response_item", payload: { type: "message", role: "user", content: [{ type: "input_text", text: `hello ${n}` }] } },
    { timestamp, type: "event_msg", payload: { type: "user_message", message: `hello ${n}`, images: null } },
  ];
  writeFileSync(path, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
  return { id, path };
}

describe("listConversations, getConversationSummary and archiveConversation", () => {
  it("list, summarise and archive stored conversations as 0.80 does", async () => {
    session = await startSession({ script: [turn(evMessage("m1", "one")), turn(evMessage("m2", "two"))] });
    const s = session;
    const home = s.daemon.home.home;
    const cwd = realpathSync(s.daemon.home.base);
    const threads = [];
    for (const text of ["first", "second"]) {
      const { thread } = await s.result("thread/start", { cwd });
      const from = s.daemon.messages.length;
      await s.result("turn/start", { threadId: thread.id, input: [{ type: "text", text, text_elements: [] }] });
      await s.notification("turn/completed", (p) => p.threadId === thread.id, from);
      threads.push((await s.result("thread/read", { threadId: thread.id })).thread);
    }
    const [first, second] = threads as [(typeof threads)[0], (typeof threads)[0]];
    const git = writeRollout(home, 3, { git: { commit_hash: "abc", branch: "main", repository_url: "https://example.com/r.git" } });
    const other = writeRollout(home, 2, { model_provider: "other" });
    const exec = writeRollout(home, 1, { source: "exec" });

    const summaryOf = (t: typeof first) => ({
      conversationId: t.id,
      path: t.path,
      preview: t.preview,
      timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/) as unknown as string,
      modelProvider: "mock",
      cwd,
      cliVersion: t.cliVersion,
      source: "vscode",
      gitInfo: null,
    });
    const gitSummary = {
      conversationId: git.id,
      path: git.path,
      preview: "hello 3",
      timestamp: "2026-01-01T10:00:03.123Z",
      modelProvider: "mock",
      cwd: "/work/x",
      cliVersion: "0.80.0",
      source: "vscode",
      gitInfo: { sha: "abc", branch: "main", origin_url: "https://example.com/r.git" },
    };

    // Newest first; interactive sources and the configured provider only.
    const all = await s.result("listConversations", {});
    expect(all).toEqual({ items: [summaryOf(second), summaryOf(first), gitSummary], nextCursor: null });
    // session_meta's own timestamp, with the ms thread/read's createdAt (seconds) leaves out.
    expect(Math.floor(Date.parse(all.items[0]?.timestamp ?? "") / 1000)).toBe(second.createdAt);

    // Paging with 0.80's cursor form.
    const page1 = await s.result("listConversations", { pageSize: 1 });
    expect(page1.items.map((i) => i.conversationId)).toEqual([second.id]);
    expect(page1.nextCursor).toMatch(new RegExp(`^\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}\\|${second.id}$`));
    const page2 = await s.result("listConversations", { pageSize: 2, cursor: page1.nextCursor ?? null });
    expect(page2).toEqual({ items: [summaryOf(first), gitSummary], nextCursor: null });

    expect((await s.result("listConversations", { modelProviders: ["other"] })).items.map((i) => i.conversationId)).toEqual([other.id]);
    expect((await s.result("listConversations", { modelProviders: [] })).items.map((i) => i.conversationId)).toEqual([second.id, first.id, git.id, other.id]);
    expect(errorOf(await s.request("listConversations", { cursor: "garbage" }))).toEqual({ code: -32600, message: "invalid cursor: garbage" });

    // Summaries by id (under sessions/) and by path (any rollout; a relative one is taken from the home).
    expect(await s.result("getConversationSummary", { conversationId: first.id })).toEqual({ summary: summaryOf(first) });
    expect(await s.result("getConversationSummary", { rolloutPath: git.path })).toEqual({ summary: gitSummary });
    expect(await s.result("getConversationSummary", { rolloutPath: relative(home, git.path) })).toEqual({ summary: gitSummary });
    expect((await s.result("getConversationSummary", { conversationId: exec.id })).summary.source).toBe("exec");
    const unknown = "01900000-0000-7000-8000-999999999999";
    expect(errorOf(await s.request("getConversationSummary", { conversationId: unknown }))).toEqual({
      code: -32600,
      message: `no rollout found for conversation id ${unknown}`,
    });
    const notRollout = errorOf(await s.request("getConversationSummary", { rolloutPath: join(home, "config.toml") }));
    expect(notRollout).toEqual({ code: -32600, message: `${join(home, "config.toml")} is not a rollout: it does not start with session metadata` });

    // archiveConversation checks that the path is this conversation's rollout under sessions/.
    const firstPath = first.path ?? "";
    expect(errorOf(await s.request("archiveConversation", { conversationId: first.id, rolloutPath: relative(home, firstPath) })).code).toBe(-32602);
    expect(errorOf(await s.request("archiveConversation", { conversationId: first.id, rolloutPath: git.path }))).toEqual({
      code: -32600,
      message: `rollout path \`${git.path}\` does not match conversation id ${first.id}`,
    });
    const copy = join(s.daemon.home.base, basename(firstPath));
    copyFileSync(firstPath, copy);
    expect(errorOf(await s.request("archiveConversation", { conversationId: first.id, rolloutPath: copy }))).toEqual({
      code: -32600,
      message: `rollout path \`${copy}\` must be in the sessions directory ${realpathSync(join(home, "sessions"))}`,
    });

    // The first thread is loaded (thread/start): archiving unloads it, then moves its rollout.
    expect((await s.result("thread/loaded/list", {})).data).toContain(first.id);
    expect(await s.result("archiveConversation", { conversationId: first.id, rolloutPath: firstPath })).toEqual({});
    expect((await s.result("thread/loaded/list", {})).data).not.toContain(first.id);
    expect(existsSync(firstPath)).toBe(false);
    expect(existsSync(join(home, "archived_sessions", basename(firstPath)))).toBe(true);
    expect((await s.result("listConversations", {})).items.map((i) => i.conversationId)).toEqual([second.id, git.id]);
    expect(errorOf(await s.request("getConversationSummary", { conversationId: first.id })).message).toBe(`no rollout found for conversation id ${first.id}`);
    expect(errorOf(await s.request("archiveConversation", { conversationId: first.id, rolloutPath: firstPath }))).toEqual({
      code: -32600,
      message: `no rollout found at ${firstPath}`,
    });
    // A stored, unloaded conversation is archived too.
    expect(ok(await s.request("archiveConversation", { conversationId: git.id, rolloutPath: git.path }))).toEqual({});

    checkV1Wire(s, ["listConversations", "getConversationSummary", "archiveConversation"]);
  });
});
