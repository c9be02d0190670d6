// How each request kind's settings combine with a thread's current settings and config, and what
// carries over to later turns and resumes.
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { buildEffectiveConfig } from "../config/effective.js";
import { InvalidInputError } from "../errors.js";
import { SandboxPolicyInputError } from "../commandSetup/sandboxFromWire.js";
import type { TurnContextPayload } from "../store/rolloutTypes.js";
import type { ThreadSettings } from "./threadState.js";
import {
  storedThreadSettings,
  threadSessionFields,
  threadSettings,
  turnSettings,
  type StoredSettings,
  type ThreadOverrides,
  type TurnOverrides,
} from "./threadSettings.js";

const cfg = buildEffectiveConfig({
  home: "/h",
  userConfigFile: "/h/config.toml",
  profile: null,
  env: {},
  merged: {
    model: "cfg-model",
    approval_policy: "untrusted",
    sandbox_mode: "workspace-write",
    sandbox_workspace_write: { writable_roots: ["/cfg/root"], network_access: true },
    model_reasoning_effort: "low",
    model_reasoning_summary: "concise",
    instructions: "cfg base",
    developer_instructions: "cfg dev",
  },
}).config;

/** A workspace-write policy, the same in the domain and on the wire once every field is present. */
const workspaceWrite = (writableRoots: string[], networkAccess: boolean) => ({
  type: "workspaceWrite" as const,
  writableRoots,
  networkAccess,
  excludeTmpdirEnvVar: false,
  excludeSlashTmp: false,
});
const CFG_SANDBOX = workspaceWrite(["/cfg/root"], true);
const READ_ONLY = { type: "readOnly", networkAccess: false } as const;
const FULL = { type: "dangerFullAccess" } as const;

const FROM_CONFIG: ThreadSettings = {
  model: "cfg-model",
  modelProviderId: "openai",
  cwd: process.cwd(),
  approvalPolicy: "untrusted",
  sandboxPolicy: CFG_SANDBOX,
  sandboxWire: CFG_SANDBOX,
  effort: "low",
  summary: "concise",
  baseInstructions: "cfg base",
  developerInstructions: "cfg dev",
};

/** A thread's settings that differ from config in every field. */
const BASE: ThreadSettings = {
  model: "base-model",
  modelProviderId: "ollama",
  cwd: "/base",
  approvalPolicy: "on-request",
  sandboxPolicy: READ_ONLY,
  sandboxWire: READ_ONLY,
  effort: "high",
  summary: "detailed",
  baseInstructions: "base base",
  developerInstructions: "base dev",
};

const NULL_THREAD_OVERRIDES: ThreadOverrides = {
  model: null,
  modelProvider: null,
  cwd: null,
  approvalPolicy: null,
  sandbox: null,
  baseInstructions: null,
  developerInstructions: null,
};

describe("threadSettings (thread/start, thread/resume, thread/fork)", () => {
  const cases: { name: string; o: ThreadOverrides; base: ThreadSettings | null; changes: Partial<ThreadSettings> }[] = [
    { name: "thread/start without overrides takes config", o: {}, base: null, changes: {} },
    { name: "thread/start with null overrides takes config", o: NULL_THREAD_OVERRIDES, base: null, changes: {} },
    { name: "model", o: { model: "m" }, base: null, changes: { model: "m" } },
    { name: "configured provider", o: { modelProvider: "ollama" }, base: null, changes: { modelProviderId: "ollama" } },
    { name: "absolute cwd as given", o: { cwd: "/work/x" }, base: null, changes: { cwd: "/work/x" } },
    { name: "relative cwd against the daemon's", o: { cwd: "sub/dir" }, base: null, changes: { cwd: resolve(process.cwd(), "sub/dir") } },
    { name: "approval policy", o: { approvalPolicy: "never" }, base: null, changes: { approvalPolicy: "never" } },
    { name: "sandbox read-only", o: { sandbox: "read-only" }, base: null, changes: { sandboxPolicy: READ_ONLY, sandboxWire: READ_ONLY } },
    { name: "sandbox danger-full-access", o: { sandbox: "danger-full-access" }, base: null, changes: { sandboxPolicy: FULL, sandboxWire: FULL } },
    {
      name: "instructions",
      o: { baseInstructions: "b", developerInstructions: "d" },
      base: null,
      changes: { baseInstructions: "b", developerInstructions: "d" },
    },
    { name: "thread/resume without overrides keeps the thread's", o: {}, base: BASE, changes: {} },
    { name: "thread/resume with null overrides keeps the thread's", o: NULL_THREAD_OVERRIDES, base: BASE, changes: {} },
    {
      name: "thread/resume overrides over the thread's",
      o: { model: "m2", modelProvider: "openai", cwd: "/elsewhere", approvalPolicy: "never", baseInstructions: "b2", developerInstructions: "d2" },
      base: BASE,
      changes: { model: "m2", modelProviderId: "openai", cwd: "/elsewhere", approvalPolicy: "never", baseInstructions: "b2", developerInstructions: "d2" },
    },
    {
      name: "sandbox workspace-write reads config's [sandbox_workspace_write], not the thread's policy",
      o: { sandbox: "workspace-write" },
      base: BASE,
      changes: { sandboxPolicy: CFG_SANDBOX, sandboxWire: CFG_SANDBOX },
    },
  ];

  it.each(cases)("$name", ({ o, base, changes }) => {
    expect(threadSettings(cfg, o, base)).toEqual({ ...(base ?? FROM_CONFIG), ...changes });
  });

  it("refuses a provider config does not define, from the request or from the thread", () => {
    expect(() => threadSettings(cfg, { modelProvider: "nowhere" }, null)).toThrow(new InvalidInputError("model provider `nowhere` is not configured"));
    expect(() => threadSettings(cfg, {}, { ...BASE, modelProviderId: "removed" })).toThrow(InvalidInputError);
  });

  it("leaves the thread's settings as they were", () => {
    const base = structuredClone(BASE);
    threadSettings(cfg, { model: "m", sandbox: "danger-full-access" }, base);
    expect(base).toEqual(BASE);
  });
});

describe("turnSettings (turn/start)", () => {
  const ww = workspaceWrite(["/b"], false);
  const cases: { name: string; o: TurnOverrides; changes: Partial<ThreadSettings> }[] = [
    { name: "without overrides keeps the thread's", o: {}, changes: {} },
    {
      name: "with null overrides keeps the thread's",
      o: { cwd: null, model: null, approvalPolicy: null, sandboxPolicy: null, effort: null, summary: null },
      changes: {},
    },
    { name: "cwd", o: { cwd: "/turn" }, changes: { cwd: "/turn" } },
    { name: "relative cwd against the daemon's", o: { cwd: "rel" }, changes: { cwd: resolve(process.cwd(), "rel") } },
    { name: "model", o: { model: "turn-model" }, changes: { model: "turn-model" } },
    { name: "approval policy", o: { approvalPolicy: "never" }, changes: { approvalPolicy: "never" } },
    {
      name: "wire sandbox policy, defaults filled and roots normalised",
      o: { sandboxPolicy: { type: "workspaceWrite", writableRoots: ["/a/../b/"] } },
      changes: { sandboxPolicy: ww, sandboxWire: ww },
    },
    { name: "effort", o: { effort: "minimal" }, changes: { effort: "minimal" } },
    { name: "summary", o: { summary: "none" }, changes: { summary: "none" } },
  ];

  it.each(cases)("$name", ({ o, changes }) => {
    expect(turnSettings(cfg, o, BASE)).toEqual({ ...BASE, ...changes });
  });

  it("refuses a relative writable root, and a provider config no longer defines", () => {
    expect(() => turnSettings(cfg, { sandboxPolicy: { type: "workspaceWrite", writableRoots: ["rel"] } }, BASE)).toThrow(SandboxPolicyInputError);
    expect(() => turnSettings(cfg, {}, { ...BASE, modelProviderId: "removed" })).toThrow(InvalidInputError);
  });

  it("what a turn sets stays for later turns and resumes, and the thread's earlier settings are untouched", () => {
    const base = structuredClone(BASE);
    const first = turnSettings(
      cfg,
      { model: "m", cwd: "/t", approvalPolicy: "never", sandboxPolicy: { type: "dangerFullAccess" }, effort: "xhigh", summary: "auto" },
      base,
    );
    expect(base).toEqual(BASE);
    const expected = { ...BASE, model: "m", cwd: "/t", approvalPolicy: "never", sandboxPolicy: FULL, sandboxWire: FULL, effort: "xhigh", summary: "auto" };
    expect(first).toEqual(expected);
    const second = turnSettings(cfg, {}, first);
    expect(second).toEqual(expected);
    expect(threadSettings(cfg, {}, second)).toEqual(expected);
    expect(threadSettings(cfg, { model: "resumed" }, second)).toEqual({ ...expected, model: "resumed" });
  });
});

describe("storedThreadSettings (a thread loaded from its rollout)", () => {
  const context = (over: Partial<TurnContextPayload> = {}): TurnContextPayload => ({
    cwd: "/ctx",
    approval_policy: "never",
    sandbox_policy: { type: "dangerFullAccess" },
    model: "ctx-model",
    ...over,
  });
  const stored = (lastTurnContext: TurnContextPayload | null, thread: Partial<StoredSettings["thread"]> = {}): StoredSettings => ({
    thread: { cwd: "/stored", modelProvider: "openai", model: null, ...thread },
    lastTurnContext,
  });
  const cases: { name: string; stored: StoredSettings; changes: Partial<ThreadSettings> }[] = [
    { name: "without a turn context: the thread's cwd and provider, config for the rest", stored: stored(null), changes: { cwd: "/stored" } },
    {
      name: "without a turn context: the thread's model",
      stored: stored(null, { model: "meta-model", modelProvider: "ollama" }),
      changes: { cwd: "/stored", model: "meta-model", modelProviderId: "ollama" },
    },
    {
      name: "the last turn context's model, approval, sandbox and effort; the cwd stays the thread's",
      stored: stored(context({ effort: "high" })),
      changes: { cwd: "/stored", model: "ctx-model", approvalPolicy: "never", sandboxPolicy: FULL, sandboxWire: FULL, effort: "high" },
    },
    {
      name: "a saved approval policy taken as written",
      stored: stored(context({ approval_policy: "on-failure" })),
      changes: { cwd: "/stored", model: "ctx-model", approvalPolicy: "on-failure" as ThreadSettings["approvalPolicy"], sandboxPolicy: FULL, sandboxWire: FULL },
    },
    {
      name: "a saved null effort stays null",
      stored: stored(context({ effort: null })),
      changes: { cwd: "/stored", model: "ctx-model", approvalPolicy: "never", sandboxPolicy: FULL, sandboxWire: FULL, effort: null },
    },
    { name: "a provider config no longer defines: config's", stored: stored(null, { modelProvider: "removed" }), changes: { cwd: "/stored" } },
    {
      name: "0.169's own sandbox spelling: config's policy",
      stored: stored(context({ sandbox_policy: { type: "read-only" } })),
      changes: { cwd: "/stored", model: "ctx-model", approvalPolicy: "never" },
    },
    {
      name: "a saved relative writable root: config's policy",
      stored: stored(context({ sandbox_policy: { type: "workspaceWrite", writableRoots: ["rel"] } })),
      changes: { cwd: "/stored", model: "ctx-model", approvalPolicy: "never" },
    },
    {
      name: "a saved read-only policy",
      stored: stored(context({ sandbox_policy: { type: "readOnly" } })),
      changes: { cwd: "/stored", model: "ctx-model", approvalPolicy: "never", sandboxPolicy: READ_ONLY, sandboxWire: READ_ONLY },
    },
  ];

  it.each(cases)("$name", ({ stored, changes }) => {
    expect(storedThreadSettings(cfg, stored)).toEqual({ ...FROM_CONFIG, ...changes });
  });
});

describe("threadSessionFields", () => {
  it("answers the thread's settings in thread/start's fields", () => {
    expect(threadSessionFields(BASE)).toEqual({
      model: "base-model",
      modelProvider: "ollama",
      serviceTier: null,
      cwd: "/base",
      approvalPolicy: "on-request",
      approvalsReviewer: "user",
      sandbox: READ_ONLY,
      reasoningEffort: "high",
    });
  });
});
