import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parse } from "smol-toml";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Logger } from "../../log.js";
import { ConfigService, type ConfigServiceOptions } from "./configService.js";
import { ConfigWriteError } from "./errors.js";

let root: string;
let home: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "gh-config-"));
  home = path.join(root, "home");
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A service that never looks at the real /etc/codex. */
function open(extra: Partial<ConfigServiceOptions> = {}): Promise<ConfigService> {
  return ConfigService.create({
    home,
    env: {},
    systemConfigFile: path.join(root, "etc", "config.toml"),
    requirementsFile: path.join(root, "etc", "requirements.toml"),
    ...extra,
  });
}

async function writeConfig(text: string): Promise<void> {
  await mkdir(home, { recursive: true });
  await writeFile(path.join(home, "config.toml"), text);
}

const EMPTY_VERSION = `sha256:${createHash("sha256").update("{}").digest("hex")}`;

async function expectWriteError(p: Promise<unknown>, code: string, message?: string | RegExp): Promise<void> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigWriteError);
  expect((err as ConfigWriteError).code).toBe(code);
  if (message !== undefined) expect((err as ConfigWriteError).message).toMatch(message);
}

describe("loading", () => {
  it("creates the home and runs on defaults when there is no config", async () => {
    const svc = await open();
    expect((await stat(home)).mode & 0o777).toBe(0o700);
    expect(svc.report).toEqual({ warnings: [], deprecations: [] });
    expect(svc.effective).toMatchObject({
      model: "gpt-6.1-sol",
      modelConfigured: false,
      modelProviderId: "openai",
      approvalPolicy: "on-request",
      sandboxMode: "read-only",
      sandboxWorkspaceWrite: { writableRoots: [], networkAccess: false, excludeTmpdirEnvVar: false, excludeSlashTmp: false },
      shellEnvironmentPolicy: { inherit: "all", ignoreDefaultExcludes: false, exclude: [], set: {}, includeOnly: [] },
      projectDocMaxBytes: 32768,
    });
    expect(svc.effective.modelProvider).toMatchObject({
      id: "openai",
      baseUrl: "https://api.openai.com/v1",
      requestMaxRetries: 4,
      streamMaxRetries: 5,
      streamIdleTimeoutMs: 300000,
    });
    expect(Object.isFrozen(svc.effective.sandboxWorkspaceWrite.writableRoots)).toBe(true);
  });

  it("logs each problem on stderr's logger once, not again on every write", async () => {
    await writeConfig("foo = 1\n");
    const lines: string[] = [];
    const log = { warn: (_obj: unknown, msg: string) => lines.push(msg) } as unknown as Logger;
    const svc = await open({ log });
    await svc.writeValue({ keyPath: "model", value: "o3", mergeStrategy: "replace" });
    expect(lines).toEqual([expect.stringContaining("`foo` is ignored.")]);
  });

  it("reads the conformance config into the effective settings", async () => {
    await writeConfig(`model = "gpt-5.5"
model_provider = "mock"
approval_policy = "never"
sandbox_mode = "read-only"
check_for_update_on_startup = false
[features]
plugins = false
apps = false
[model_providers.mock]
name = "conformance mock"
base_url = "http://127.0.0.1:9/v1"
wire_api = "responses"
request_max_retries = 0
stream_max_retries = 0
`);
    const svc = await open();
    expect(svc.report).toEqual({ warnings: [], deprecations: [] });
    expect(svc.effective.model).toBe("gpt-5.5");
    expect(svc.effective.approvalPolicy).toBe("never");
    expect(svc.effective.modelProvider).toMatchObject({
      id: "mock",
      name: "conformance mock",
      baseUrl: "http://127.0.0.1:9/v1",
      requestMaxRetries: 0,
      streamMaxRetries: 0,
      builtIn: false,
    });
    expect(svc.effective.features["apps"]).toBe(false);
    expect(svc.effective.features["shell_tool"]).toBe(true);
    expect(svc.effective.checkForUpdateOnStartup).toBe(false);
  });

  it("known_safe_commands (Gatehouse only): on by default, false turns the table off, and config/read does not echo it", async () => {
    expect((await open()).effective.knownSafeCommands).toBe(true);
    await writeConfig("known_safe_commands = false\n");
    const svc = await open();
    expect(svc.report).toEqual({ warnings: [], deprecations: [] });
    expect(svc.effective.knownSafeCommands).toBe(false);
    // Like approval_timeout_ms: config/read answers the reference's keys only.
    expect(Object.keys((await svc.read({})).config)).not.toContain("known_safe_commands");
    await writeConfig('known_safe_commands = "no"\n');
    const bad = await open();
    expect(bad.report.warnings).toEqual([expect.objectContaining({ summary: expect.stringContaining("known_safe_commands") })]);
    expect(bad.effective.knownSafeCommands).toBe(true);
  });

  it("disconnect_grace_ms (Gatehouse only): 60 000 when absent, 0 kept (no grace), a bad value warned and ignored", async () => {
    expect((await open()).effective.disconnectGraceMs).toBe(60_000);
    await writeConfig("disconnect_grace_ms = 0\n");
    const none = await open();
    expect(none.report).toEqual({ warnings: [], deprecations: [] });
    expect(none.effective.disconnectGraceMs).toBe(0);
    expect(Object.keys((await none.read({})).config)).not.toContain("disconnect_grace_ms");
    await writeConfig("disconnect_grace_ms = -5\n");
    const bad = await open();
    expect(bad.report.warnings).toEqual([expect.objectContaining({ summary: expect.stringContaining("disconnect_grace_ms") })]);
    expect(bad.effective.disconnectGraceMs).toBe(60_000);
  });

  it("keeps going on defaults when config.toml is not TOML, with a positioned warning", async () => {
    await writeConfig('model = "o3"\nthis is not toml\n');
    const svc = await open();
    expect(svc.effective.model).toBe("gpt-6.1-sol");
    expect(svc.report.warnings).toEqual([
      expect.objectContaining({
        summary: "Invalid configuration; using defaults.",
        path: path.join(home, "config.toml"),
        range: { start: { line: 2, column: 6 }, end: { line: 2, column: 6 } },
      }),
    ]);
    const read = await svc.read({ includeLayers: true });
    expect(read.config["model"]).toBeNull();
    const user = read.layers?.find((l) => l.name.type === "user");
    expect(user).toMatchObject({
      config: {},
      version: EMPTY_VERSION,
      disabledReason: expect.stringMatching(/config\.toml:2:6: .*using defaults for this file\.$/),
    });
  });

  it("applies the good keys of a file that has bad ones", async () => {
    await writeConfig('model = "o3"\nsandbox_mode = "bogus"\napproval_policy = "never"\nfoo = 1\n');
    const svc = await open();
    expect(svc.effective.model).toBe("o3");
    expect(svc.effective.sandboxMode).toBe("read-only");
    expect(svc.effective.approvalPolicy).toBe("never");
    expect(svc.report.warnings.map((w) => w.summary)).toEqual([
      "Invalid value for `sandbox_mode`; using the default.",
      `Codex is ignoring 1 unrecognized configuration setting. Check for typos or deprecated settings.\n  user (${path.join(home, "config.toml")}): \`foo\` is ignored.`,
    ]);
  });

  it("-c overrides win over config.toml, are validated, and form the sessionFlags layer", async () => {
    await writeConfig('model = "gpt-5.5"\n[shell_environment_policy]\ninherit = "none"\n');
    const svc = await open({
      cliOverrides: [
        'model="o3"',
        "features.memories=true",
        'sandbox_workspace_write.writable_roots=["/a","/b"]',
        "shell_environment_policy.inherit=all",
        "foo.bar=hello world",
        "sandbox_mode=nope",
        "broken",
      ],
    });
    expect(svc.effective.model).toBe("o3");
    expect(svc.effective.features["memories"]).toBe(true);
    expect(svc.effective.sandboxWorkspaceWrite.writableRoots).toEqual(["/a", "/b"]);
    expect(svc.effective.shellEnvironmentPolicy.inherit).toBe("all");
    expect(svc.report.warnings.map((w) => w.summary)).toEqual([
      "Ignoring an invalid -c override.",
      "Invalid value for `sandbox_mode`; using the default.",
      "Codex is ignoring 1 unrecognized configuration setting. Check for typos or deprecated settings.\n  session-flags: `foo` is ignored.",
      // Gatehouse has no memories: the flag is accepted, and the user is told it does nothing.
      "`[features].memories = true` has no effect: Gatehouse does not implement this feature.",
    ]);
    const read = await svc.read({ includeLayers: true });
    expect(read.origins["model"]?.name).toEqual({ type: "sessionFlags" });
    expect(Object.keys(read.origins).sort()).toEqual([
      "features.memories",
      "foo.bar",
      "model",
      "sandbox_workspace_write.writable_roots.0",
      "sandbox_workspace_write.writable_roots.1",
      "shell_environment_policy.inherit",
    ]);
    expect(read.layers?.map((l) => l.name.type)).toEqual(["sessionFlags", "user", "system"]);
  });

  it("a legacy profile overlays the top-level keys; -c still wins", async () => {
    await writeConfig(
      'profile = "fast"\nmodel = "gpt-5.5"\napproval_policy = "on-request"\n[profiles.fast]\nmodel = "o3"\napproval_policy = "never"\n[profiles.fast.features]\nmemories = true\n',
    );
    const svc = await open({ cliOverrides: ["approval_policy=untrusted"] });
    expect(svc.effective.profile).toBe("fast");
    expect(svc.effective.model).toBe("o3");
    expect(svc.effective.approvalPolicy).toBe("untrusted");
    expect(svc.effective.features["memories"]).toBe(true);
    expect(svc.report.deprecations.map((d) => d.summary)).toEqual(['`profile = "fast"` selects the legacy `[profiles.fast]` table.']);
    const read = await svc.read({});
    expect(read.config["model"]).toBe("o3");
    expect(read.origins["model"]?.name).toMatchObject({ type: "user" });
    expect(read.origins["approval_policy"]?.name).toEqual({ type: "sessionFlags" });
  });

  it("warns about a profile that does not exist and uses the top level", async () => {
    await writeConfig('profile = "nope"\nmodel = "gpt-5.5"\n');
    const svc = await open();
    expect(svc.effective.model).toBe("gpt-5.5");
    expect(svc.effective.profile).toBeNull();
    expect(svc.report.warnings.map((w) => w.summary)).toContain("Profile `nope` is not defined; using the top-level settings.");
  });

  it("falls back to openai when model_provider names nothing", async () => {
    await writeConfig('model_provider = "nope"\n');
    const svc = await open();
    expect(svc.effective.modelProviderId).toBe("openai");
    expect(svc.report.warnings.map((w) => w.summary)).toEqual(["Model provider `nope` not found; using `openai`."]);
  });

  it("reports deprecations once and normalizes on-failure", async () => {
    await writeConfig('approval_policy = "on-failure"\nexperimental_use_exec_command_tool = true\n[features]\ncollab = false\n');
    const svc = await open();
    expect(svc.effective.approvalPolicy).toBe("on-request");
    expect(svc.effective.features["multi_agent"]).toBe(false);
    expect(svc.report.deprecations.map((d) => d.summary)).toEqual([
      '`approval_policy = "on-failure"` is deprecated; it is read as "on-request".',
      "`[features].collab` is deprecated. Use `[features].multi_agent` instead.",
      "`experimental_use_exec_command_tool` is no longer supported and is ignored.",
    ]);
    // The change of meaning is also a configWarning.
    expect(svc.report.warnings.map((w) => w.summary)).toEqual([
      '`approval_policy = "on-failure"` is read as "on-request": commands run sandboxed and a sandbox denial is reported to the model, with no offer to rerun outside the sandbox.',
    ]);
  });

  it("reload() picks up an edit made outside and tells listeners", async () => {
    await writeConfig('model = "a"\n');
    const svc = await open();
    const seen: string[] = [];
    const off = svc.onReload((c) => seen.push(c.model));
    await writeConfig('model = "b"\n');
    expect(svc.effective.model).toBe("a");
    await svc.reload();
    expect(svc.effective.model).toBe("b");
    off();
    await svc.reload();
    expect(seen).toEqual(["b"]);
  });

  it("applies requirements: disallowed approval policy and sandbox mode fall back, feature pins win", async () => {
    await mkdir(path.join(root, "etc"), { recursive: true });
    await writeFile(
      path.join(root, "etc", "requirements.toml"),
      'allowed_approval_policies = ["on-request"]\nallowed_sandbox_modes = ["read-only"]\n[features]\nmemories = false\n',
    );
    await writeConfig('approval_policy = "never"\nsandbox_mode = "danger-full-access"\n[features]\nmemories = true\n');
    const svc = await open();
    expect(svc.effective.approvalPolicy).toBe("on-request");
    expect(svc.effective.sandboxMode).toBe("read-only");
    expect(svc.effective.features["memories"]).toBe(false);
    expect(svc.report.warnings.map((w) => w.summary)).toEqual([
      "default approval policy is disallowed by requirements; falling back to required default",
      'sandbox_mode = "danger-full-access" is disallowed by requirements; falling back to "read-only".',
    ]);
  });
});

describe("config/read", () => {
  it("answers 0.169's shape for an empty home", async () => {
    const svc = await open();
    const read = await svc.read({ includeLayers: true });
    expect(Object.keys(read.config)).toHaveLength(107);
    expect(read.config).toMatchObject({
      model: null,
      approval_policy: null,
      file_opener: "vscode",
      project_doc_max_bytes: 32768,
      history: { persistence: "save-all", max_bytes: null },
    });
    expect(read.origins).toEqual({});
    expect(read.layers).toEqual([
      { name: { type: "user", file: path.join(home, "config.toml"), profile: null }, version: EMPTY_VERSION, config: {} },
      { name: { type: "system", file: path.join(root, "etc", "config.toml") }, version: EMPTY_VERSION, config: {} },
    ]);
    expect(await svc.read()).not.toHaveProperty("layers");
  });

  it("versions a layer as 0.169 does: sha256 of its table as sorted compact JSON", async () => {
    // The conformance config with port 1234: 0.169 answered sha256:8814d8bc… for this user layer.
    await writeConfig(`model = "gpt-5.5"
model_provider = "mock"
approval_policy = "never"
sandbox_mode = "read-only"
check_for_update_on_startup = false

[features]
plugins = false
remote_plugin = false
apps = false
in_app_updates = false

[analytics]
enabled = false

[otel]
metrics_exporter = "none"

[model_providers.mock]
name = "conformance mock"
base_url = "http://127.0.0.1:1234/v1"
wire_api = "responses"
request_max_retries = 0
stream_max_retries = 0
`);
    const read = await (await open()).read({ includeLayers: true });
    expect(read.layers?.[0]?.version).toBe("sha256:8814d8bcc81566b7c8ced188874839b694a61e83f61a6ea772887c20f87c937b");
    expect(read.origins["model_providers.mock.base_url"]?.version).toBe("sha256:8814d8bcc81566b7c8ced188874839b694a61e83f61a6ea772887c20f87c937b");
    expect(read.config["model_providers"]).toEqual({
      mock: expect.objectContaining({
        name: "conformance mock",
        base_url: "http://127.0.0.1:1234/v1",
        env_key: null,
        wire_api: "responses",
        request_max_retries: 0,
        requires_openai_auth: false,
      }),
    });
    expect(read.config["otel"]).toMatchObject({ metrics_exporter: "none", exporter: null });
    expect(read.config["features"]).toMatchObject({ network_proxy: null, apps: false, plugins: false, mentions_v2: true });
  });

  it("includes project layers for cwd: applied when the project is trusted, listed as disabled otherwise", async () => {
    const project = path.join(root, "proj");
    execFileSync("git", ["init", "-q", project]);
    await mkdir(path.join(project, ".codex"), { recursive: true });
    await mkdir(path.join(project, "sub", ".codex"), { recursive: true });
    await writeFile(path.join(project, ".codex", "config.toml"), 'model = "proj-model"\nsandbox_mode = "workspace-write"\n');
    await writeFile(path.join(project, "sub", ".codex", "config.toml"), 'model_reasoning_effort = "high"\n');

    await writeConfig('model = "user"\n');
    let read = await (await open()).read({ includeLayers: true, cwd: path.join(project, "sub") });
    expect(read.config["model"]).toBe("user");
    expect(read.layers?.map((l) => [l.name.type, l.disabledReason ?? null])).toEqual([
      ["project", `To load project-local config, hooks, and exec policies, add ${project} as a trusted project in ${path.join(home, "config.toml")}.`],
      ["project", expect.stringContaining("as a trusted project")],
      ["user", null],
      ["system", null],
    ]);

    await writeConfig(`model = "user"\n[projects."${project}"]\ntrust_level = "trusted"\n`);
    read = await (await open()).read({ includeLayers: true, cwd: path.join(project, "sub") });
    expect(read.config["model"]).toBe("proj-model");
    expect(read.config["model_reasoning_effort"]).toBe("high");
    expect(read.origins["model"]?.name).toEqual({ type: "project", dotCodexFolder: path.join(project, ".codex") });
    expect(read.layers?.slice(0, 2).map((l) => l.name)).toEqual([
      { type: "project", dotCodexFolder: path.join(project, "sub", ".codex") },
      { type: "project", dotCodexFolder: path.join(project, ".codex") },
    ]);
  });
});

describe("config/read while files change", () => {
  /** Moves the files' mtimes an hour back, so a later write moves them forward whatever the clock's granularity. */
  async function backdate(...files: string[]): Promise<void> {
    const past = new Date(Date.now() - 3_600_000);
    for (const f of files) await utimes(f, past, past);
  }
  /** A service that trusts every file stamp, so reuse happens on files this test has just written. */
  const trusting = (): Promise<ConfigService> => open({ racyMs: Number.NEGATIVE_INFINITY });
  const userFile = (): string => path.join(home, "config.toml");

  it("answers the same frozen object while nothing changed, and sees config.toml edited in place, replaced and removed on the next read", async () => {
    await writeConfig('model = "aaa"\n');
    await backdate(userFile());
    const svc = await trusting();
    const first = await svc.read();
    expect(first.config["model"]).toBe("aaa");
    expect(await svc.read()).toBe(first);
    expect(Object.isFrozen(first.config)).toBe(true);
    expect(() => {
      first.config["model"] = "mutated";
    }).toThrow(TypeError);
    expect((await svc.read({ includeLayers: true })).layers?.[0]?.config).toEqual({ model: "aaa" });

    await writeFile(userFile(), 'model = "bbb"\n');
    expect((await svc.read()).config["model"]).toBe("bbb");
    await backdate(userFile());

    await writeFile(`${userFile()}.new`, 'model = "ccc"\n');
    await backdate(`${userFile()}.new`);
    await rename(`${userFile()}.new`, userFile());
    expect((await svc.read()).config["model"]).toBe("ccc");
    expect((await svc.read({ includeLayers: true })).layers?.[0]?.config).toEqual({ model: "ccc" });

    await rm(userFile());
    expect((await svc.read()).config["model"]).toBeNull();
  });

  it("builds the answer again while config.toml is younger than the racy window", async () => {
    await writeConfig('model = "aaa"\n');
    const svc = await open();
    const first = await svc.read();
    const second = await svc.read();
    expect(second).not.toBe(first);
    expect(second).toEqual(first);
  });

  it("sees its own writes and the system config.toml on the next read", async () => {
    await writeConfig('model = "aaa"\n');
    await backdate(userFile());
    const svc = await trusting();
    expect((await svc.read()).config["model"]).toBe("aaa");
    await svc.writeValue({ keyPath: "model", value: "written", mergeStrategy: "replace" });
    expect((await svc.read()).config["model"]).toBe("written");
    await svc.batchWrite({ edits: [{ keyPath: "model_reasoning_effort", value: "high", mergeStrategy: "replace" }] });
    expect((await svc.read()).config).toMatchObject({ model: "written", model_reasoning_effort: "high" });

    await mkdir(path.join(root, "etc"), { recursive: true });
    await writeFile(path.join(root, "etc", "config.toml"), 'model_verbosity = "low"\n');
    const read = await svc.read();
    expect(read.config["model_verbosity"]).toBe("low");
    expect(read.origins["model_verbosity"]?.name.type).toBe("system");
  });

  it("sees a project's config.toml change, and the project becoming trusted, on the next read with cwd", async () => {
    const project = path.join(root, "proj");
    execFileSync("git", ["init", "-q", project]);
    const projectFile = path.join(project, ".codex", "config.toml");
    await mkdir(path.dirname(projectFile), { recursive: true });
    await writeFile(projectFile, 'model = "proj-a"\n');
    await writeConfig('model = "user"\n');
    await backdate(projectFile, userFile());
    const svc = await trusting();

    const first = await svc.read({ cwd: project, includeLayers: true });
    expect(first.config["model"]).toBe("user");
    expect(first.layers?.[0]?.disabledReason).toContain("as a trusted project");
    expect(await svc.read({ cwd: project, includeLayers: true })).toBe(first);

    await writeConfig(`model = "user"\n[projects."${project}"]\ntrust_level = "trusted"\n`);
    const trusted = await svc.read({ cwd: project, includeLayers: true });
    expect(trusted.config["model"]).toBe("proj-a");
    expect(trusted.layers?.[0]).not.toHaveProperty("disabledReason");

    await writeFile(projectFile, 'model = "proj-b"\n');
    expect((await svc.read({ cwd: project })).config["model"]).toBe("proj-b");
    // Without cwd the project is not a layer.
    expect((await svc.read()).config["model"]).toBe("user");
  });

  it("sees the project root move on the next read: a .git made above cwd brings that folder's trust to the same layer", async () => {
    const project = path.join(root, "proj");
    const sub = path.join(project, "sub");
    const subFile = path.join(sub, ".codex", "config.toml");
    await mkdir(path.dirname(subFile), { recursive: true });
    await writeFile(subFile, 'model = "sub"\n');
    await writeConfig(`[projects."${project}"]\ntrust_level = "trusted"\n`);
    await backdate(subFile, userFile());
    const svc = await trusting();

    const before = await svc.read({ cwd: sub, includeLayers: true });
    expect(before.config["model"]).toBeNull();
    expect(before.layers?.[0]?.disabledReason).toContain(`add ${sub} as a trusted project`);

    execFileSync("git", ["init", "-q", project]);
    const after = await svc.read({ cwd: sub, includeLayers: true });
    expect(after.layers?.map((l) => l.name)).toEqual(before.layers?.map((l) => l.name));
    expect(after.config["model"]).toBe("sub");
    expect(after.layers?.[0]).not.toHaveProperty("disabledReason");
  });

  it("configRequirements/read and reload() see requirements.toml created, changed and removed", async () => {
    const requirementsFile = path.join(root, "etc", "requirements.toml");
    await writeConfig('sandbox_mode = "danger-full-access"\n');
    await backdate(userFile());
    const svc = await trusting();
    expect(await svc.readRequirements()).toEqual({ requirements: null, supportsIndependentSpeedModes: true });

    await mkdir(path.dirname(requirementsFile), { recursive: true });
    await writeFile(requirementsFile, 'allowed_sandbox_modes = ["read-only"]\n');
    expect((await svc.readRequirements()).requirements?.allowedSandboxModes).toEqual(["read-only"]);
    await svc.reload();
    expect(svc.effective.sandboxMode).toBe("read-only");
    await backdate(requirementsFile);

    await writeFile(requirementsFile, 'allowed_sandbox_modes = ["workspace-write", "danger-full-access"]\n');
    expect((await svc.readRequirements()).requirements?.allowedSandboxModes).toEqual(["workspace-write", "danger-full-access"]);
    await svc.reload();
    expect(svc.effective.sandboxMode).toBe("danger-full-access");

    await rm(requirementsFile);
    expect((await svc.readRequirements()).requirements).toBeNull();
  });
});

describe("config writes", () => {
  it("writes a value atomically with mode 0600 and answers ok with the new version", async () => {
    const svc = await open();
    const res = await svc.writeValue({ keyPath: "model", value: "o3", mergeStrategy: "replace" });
    expect(res).toEqual({
      status: "ok",
      // 0.169 answered this version for the same write on an empty home.
      version: "sha256:61edcac5e5f1caddc0a8719c9f02d0343e69cb0b8e9952d18f585aadf653b074",
      filePath: path.join(home, "config.toml"),
      overriddenMetadata: null,
    });
    expect(parse(await readFile(path.join(home, "config.toml"), "utf8"))).toEqual({ model: "o3" });
    expect((await stat(path.join(home, "config.toml"))).mode & 0o777).toBe(0o600);
    expect(await readdir(home)).toEqual(["config.toml"]);
    expect(svc.effective.model).toBe("o3");
    const read = await svc.read({ includeLayers: true });
    expect(read.layers?.[0]?.version).toBe(res.version);
  });

  it("replace, upsert (deep merge) and null (delete) behave as 0.169's", async () => {
    await writeConfig("keep = 1\n[a]\nx = 1\n[a.b]\nc = 1\nd = 2\n");
    const svc = await open();
    await svc.writeValue({ keyPath: "a", value: { b: { c: 5 }, y: 2 }, mergeStrategy: "upsert" });
    await svc.writeValue({ keyPath: "model_providers.x", value: { name: "X", base_url: "http://a" }, mergeStrategy: "replace" });
    await svc.writeValue({ keyPath: "model_providers.x", value: { wire_api: "responses" }, mergeStrategy: "upsert" });
    await svc.writeValue({ keyPath: 'projects."/tmp/x y".trust_level', value: "trusted", mergeStrategy: "replace" });
    await svc.writeValue({ keyPath: "keep", value: null, mergeStrategy: "replace" });
    expect(parse(await readFile(path.join(home, "config.toml"), "utf8"))).toEqual({
      a: { x: 1, y: 2, b: { c: 5, d: 2 } },
      model_providers: { x: { name: "X", base_url: "http://a", wire_api: "responses" } },
      projects: { "/tmp/x y": { trust_level: "trusted" } },
    });
  });

  it("refuses invalid edits with the reference's codes and messages, leaving the file alone", async () => {
    await writeConfig('model = "a"\n');
    const before = await readFile(path.join(home, "config.toml"), "utf8");
    const svc = await open();
    await expectWriteError(
      svc.writeValue({ keyPath: "model", value: 5, mergeStrategy: "replace" }),
      "configValidationError",
      "Invalid configuration: invalid type: integer `5`, expected a string\nin `model`\n",
    );
    await expectWriteError(svc.writeValue({ keyPath: "", value: 1, mergeStrategy: "replace" }), "configValidationError", "keyPath must not be empty");
    await expectWriteError(
      svc.writeValue({ keyPath: "model.x", value: 1, mergeStrategy: "replace" }),
      "configValidationError",
      "cannot set value on non-table parent",
    );
    await expectWriteError(
      svc.writeValue({ keyPath: 'a."b', value: 1, mergeStrategy: "replace" }),
      "configValidationError",
      "unterminated quoted keyPath segment",
    );
    await expectWriteError(
      svc.writeValue({ keyPath: "model", value: "o3", mergeStrategy: "replace", filePath: path.join(root, "other.toml") }),
      "configLayerReadonly",
      "Only writes to the user config are allowed",
    );
    await expectWriteError(
      svc.writeValue({ keyPath: "notify", value: ["a", null], mergeStrategy: "replace" }),
      "configValidationError",
      /null is not a valid TOML value/,
    );
    expect(await readFile(path.join(home, "config.toml"), "utf8")).toBe(before);
  });

  it("writes other values back unchanged, TOML dates included", async () => {
    await writeConfig("since = 1979-05-27T07:32:00Z\nday = 1979-05-27\n[tui]\nnotifications = false\n");
    const svc = await open();
    await svc.writeValue({ keyPath: "model", value: "o3", mergeStrategy: "replace" });
    const text = await readFile(path.join(home, "config.toml"), "utf8");
    const doc = parse(text) as Record<string, unknown>;
    expect(doc["since"]).toBeInstanceOf(Date);
    expect(text).toMatch(/^day = 1979-05-27$/m);
    expect(doc["tui"]).toEqual({ notifications: false });
  });

  it("accepts unknown keys (as 0.169 does) and the explicit user file path", async () => {
    const svc = await open();
    const res = await svc.writeValue({ keyPath: "bogus_key", value: 5, mergeStrategy: "replace", filePath: path.join(home, "config.toml") });
    expect(res.status).toBe("ok");
    expect(svc.report.warnings.map((w) => w.summary)).toEqual([expect.stringContaining("`bogus_key` is ignored.")]);
  });

  it("a batch is all or nothing", async () => {
    await writeConfig('model = "a"\n');
    const svc = await open();
    await expectWriteError(
      svc.batchWrite({
        edits: [
          { keyPath: "model_provider", value: "zz", mergeStrategy: "replace" },
          { keyPath: "sandbox_mode", value: "bogus", mergeStrategy: "replace" },
        ],
      }),
      "configValidationError",
      "Invalid configuration: unknown variant `bogus`, expected one of `read-only`, `workspace-write`, `danger-full-access`\nin `sandbox_mode`\n",
    );
    expect(await readFile(path.join(home, "config.toml"), "utf8")).toBe('model = "a"\n');
    const res = await svc.batchWrite({
      edits: [
        { keyPath: "m1", value: 1, mergeStrategy: "replace" },
        { keyPath: "sandbox_mode", value: "workspace-write", mergeStrategy: "replace" },
      ],
    });
    expect(res.status).toBe("ok");
    expect(parse(await readFile(path.join(home, "config.toml"), "utf8"))).toEqual({ model: "a", m1: 1, sandbox_mode: "workspace-write" });
    expect(svc.effective.sandboxMode).toBe("workspace-write");
  });

  it("detects a version conflict against the file on disk", async () => {
    await writeConfig('model = "a"\n');
    const svc = await open();
    const version = (await svc.read({ includeLayers: true })).layers?.[0]?.version ?? null;
    await writeConfig('model = "changed elsewhere"\n');
    await expectWriteError(
      svc.writeValue({ keyPath: "model", value: "b", mergeStrategy: "replace", expectedVersion: version }),
      "configVersionConflict",
      "Configuration was modified since last read. Fetch latest version and retry.",
    );
    expect(await readFile(path.join(home, "config.toml"), "utf8")).toBe('model = "changed elsewhere"\n');
    const fresh = (await svc.read({ includeLayers: true })).layers?.[0]?.version ?? null;
    expect((await svc.writeValue({ keyPath: "model", value: "b", mergeStrategy: "replace", expectedVersion: fresh })).status).toBe("ok");
  });

  it("serializes concurrent batches: with one expected version only the first wins; without, both land", async () => {
    const svc = await open();
    const results = await Promise.allSettled([
      svc.batchWrite({ edits: [{ keyPath: "model", value: "first", mergeStrategy: "replace" }], expectedVersion: EMPTY_VERSION }),
      svc.batchWrite({ edits: [{ keyPath: "model", value: "second", mergeStrategy: "replace" }], expectedVersion: EMPTY_VERSION }),
    ]);
    expect(results[0]?.status).toBe("fulfilled");
    expect(results[1]).toMatchObject({ status: "rejected", reason: { code: "configVersionConflict" } });
    expect(parse(await readFile(path.join(home, "config.toml"), "utf8"))).toEqual({ model: "first" });

    await Promise.all(Array.from({ length: 10 }, (_, i) => svc.batchWrite({ edits: [{ keyPath: `features.f${i}`, value: true, mergeStrategy: "upsert" }] })));
    const features = (parse(await readFile(path.join(home, "config.toml"), "utf8")) as { features: Record<string, boolean> }).features;
    expect(Object.keys(features).sort()).toEqual(["f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9"]);
  });

  it("a reload queued behind a write cannot bring back the old values", async () => {
    await writeConfig('model = "a"\n');
    const svc = await open();
    const write = svc.writeValue({ keyPath: "model", value: "b", mergeStrategy: "replace" });
    const reload = svc.reload();
    await Promise.all([write, reload]);
    expect(svc.effective.model).toBe("b");
  });

  it("keeps the old file, leaves no temporary file and stays usable when the write itself fails", async () => {
    await writeConfig('model = "a"\n');
    let fail = true;
    const svc = await open({
      atomicWrite: {
        beforeRename: () => {
          if (fail) throw Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" });
        },
      },
    });
    await expect(svc.writeValue({ keyPath: "model", value: "b", mergeStrategy: "replace" })).rejects.toMatchObject({ code: "ENOSPC" });
    expect(await readFile(path.join(home, "config.toml"), "utf8")).toBe('model = "a"\n');
    expect(await readdir(home)).toEqual(["config.toml"]);
    expect(svc.effective.model).toBe("a");
    fail = false;
    expect((await svc.writeValue({ keyPath: "model", value: "b", mergeStrategy: "replace" })).status).toBe("ok");
    expect(svc.effective.model).toBe("b");
  });

  it("refuses to overwrite a config.toml that does not parse", async () => {
    await writeConfig('model = "o3"\nthis is bad\n');
    const svc = await open();
    await expectWriteError(
      svc.writeValue({ keyPath: "model", value: "o4", mergeStrategy: "replace" }),
      "configUnreadable",
      /^failed to load configuration: .*config\.toml:2:6: /,
    );
    expect(await readFile(path.join(home, "config.toml"), "utf8")).toBe('model = "o3"\nthis is bad\n');
  });

  it("answers okOverridden when a -c flag overrides the written key", async () => {
    const svc = await open({ cliOverrides: ['model="o3"'] });
    const res = await svc.writeValue({ keyPath: "model", value: "o9", mergeStrategy: "replace" });
    expect(res).toMatchObject({
      status: "okOverridden",
      overriddenMetadata: {
        message: "Overridden by session flags",
        // 0.169: the sessionFlags layer for -c model="o3" has this version.
        overridingLayer: { name: { type: "sessionFlags" }, version: "sha256:61edcac5e5f1caddc0a8719c9f02d0343e69cb0b8e9952d18f585aadf653b074" },
        effectiveValue: "o3",
      },
    });
    expect(svc.effective.model).toBe("o3");
    expect((await svc.writeValue({ keyPath: "review_model", value: "x", mergeStrategy: "replace" })).status).toBe("ok");
  });
});

describe("configRequirements/read", () => {
  it("answers null requirements when there is no file", async () => {
    expect(await (await open()).readRequirements()).toEqual({ requirements: null, supportsIndependentSpeedModes: true });
  });

  it("maps requirements.toml as 0.169 does", async () => {
    await mkdir(path.join(root, "etc"), { recursive: true });
    await writeFile(
      path.join(root, "etc", "requirements.toml"),
      'allowed_approval_policies = ["on-request", "never"]\nallowed_sandbox_modes = ["read-only", "workspace-write"]\nallowed_web_search_modes = ["cached"]\nenforce_residency = "us"\nlog_dir = "/x"\n[features]\nmemories = false\n',
    );
    const res = await (await open()).readRequirements();
    expect(res.supportsIndependentSpeedModes).toBe(true);
    expect(res.requirements).toMatchObject({
      allowedApprovalPolicies: ["on-request", "never"],
      allowedSandboxModes: ["read-only", "workspace-write"],
      allowedWebSearchModes: ["cached", "disabled"],
      allowedLoginMethods: ["api", "chatgpt"],
      enforceResidency: "us",
      featureRequirements: { memories: false },
      logDir: "file:///x",
      modelProvider: null,
      otel: null,
    });
    expect(Object.keys(res.requirements ?? {})).toHaveLength(34);
  });

  it("warns about unknown keys and unparsable files instead of failing", async () => {
    await mkdir(path.join(root, "etc"), { recursive: true });
    await writeFile(path.join(root, "etc", "requirements.toml"), 'allowed_sandbox_modes = ["read-only"]\nbogus = 1\n');
    let svc = await open();
    expect((await svc.readRequirements()).requirements?.allowedSandboxModes).toEqual(["read-only"]);
    expect(svc.report.warnings.map((w) => w.summary)).toEqual([
      `Codex is ignoring 1 unrecognized configuration setting. Check for typos or deprecated settings.\n  requirements (${path.join(root, "etc", "requirements.toml")}): \`bogus\` is ignored.`,
    ]);
    await writeFile(path.join(root, "etc", "requirements.toml"), 'allowed_sandbox_modes = ["read-only"\n');
    svc = await open();
    expect(await svc.readRequirements()).toEqual({ requirements: null, supportsIndependentSpeedModes: true });
    expect(svc.report.warnings[0]).toMatchObject({
      summary: "Invalid configuration; using defaults.",
      details: expect.stringMatching(/^failed to parse requirements layer /),
    });
  });
});

describe("catalogs against config", () => {
  it("lists providers with editability from the user layer and features from config", async () => {
    await writeConfig('model_provider = "mock"\n[model_providers.mock]\nname = "M"\nbase_url = "http://127.0.0.1:1/v1"\n[features]\napps = false\n');
    const svc = await open({ cliOverrides: ['model_providers.flag.name="F"'] });
    const providers = svc.listModelProviders();
    expect(providers.defaultProviderId).toBe("mock");
    expect(providers.data.map((p) => [p.id, p.canEdit])).toEqual([
      ["flag", false],
      ["mock", true],
      ["openai", false],
    ]);
    expect(svc.listExperimentalFeatures({}).data.find((f) => f.name === "apps")).toMatchObject({ enabled: false, defaultEnabled: true });
    expect(svc.listModels({ modelProvider: "mock", limit: 1 }).data).toHaveLength(1);
    expect(() => svc.listModels({ modelProvider: "nope" })).toThrow(/no longer configured/);
  });
});
