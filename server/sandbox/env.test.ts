import { describe, expect, it } from "vitest";
import { applyEnvOverrides, applySandboxEnv, buildShellEnvironment, envNameMatches } from "./env.js";

const source = {
  PATH: "/usr/bin",
  HOME: "/home/u",
  OPENAI_API_KEY: "sk-1",
  aws_secret_access_key: "s",
  GH_TOKEN: "t",
  MonkeyBusiness: "m",
  LANG: "C.UTF-8",
  TMPDIR: "/tmp/u",
  NODE_CHANNEL_FD: "3",
  UNDEFINED: undefined,
};

describe("buildShellEnvironment", () => {
  it("inherits all by default and drops *KEY*, *SECRET*, *TOKEN* case-insensitively", () => {
    const env = buildShellEnvironment(source);
    expect(Object.keys(env).sort()).toEqual(["HOME", "LANG", "NODE_CHANNEL_FD", "PATH", "TMPDIR"]);
  });

  it("inherit core keeps only the core variables; none keeps nothing", () => {
    expect(Object.keys(buildShellEnvironment(source, { inherit: "core" })).sort()).toEqual(["HOME", "PATH", "TMPDIR"]);
    expect(buildShellEnvironment(source, { inherit: "none" })).toEqual({});
  });

  it("ignore_default_excludes keeps secrets; exclude, set and include_only apply in that order", () => {
    expect(buildShellEnvironment(source, { ignore_default_excludes: true })["OPENAI_API_KEY"]).toBe("sk-1");
    const env = buildShellEnvironment(source, {
      exclude: ["LA*"],
      set: { EXTRA: "1", LANG: "set-wins-over-exclude" },
      include_only: ["PATH", "EXTRA", "lang"],
    });
    expect(env).toEqual({ PATH: "/usr/bin", EXTRA: "1", LANG: "set-wins-over-exclude" });
  });

  it("matches glob patterns against the whole name", () => {
    expect(envNameMatches("MY_API_KEY", "*KEY*")).toBe(true);
    expect(envNameMatches("KEYBOARD", "*KEY*")).toBe(true);
    expect(envNameMatches("PATH", "PAT")).toBe(false);
    expect(envNameMatches("A.B", "A?B")).toBe(true);
    expect(envNameMatches("AXB", "A.B")).toBe(false);
  });
});

describe("sandbox env rules", () => {
  it("sets the network marker when restricted, removes a forged one otherwise, strips Node IPC vars", () => {
    const env = applySandboxEnv({ NODE_CHANNEL_FD: "3", NODE_CHANNEL_SERIALIZATION_MODE: "json", A: "1" }, { networkDisabled: true });
    expect(env).toEqual({ A: "1", CODEX_SANDBOX_NETWORK_DISABLED: "1" });
    expect(applySandboxEnv({ CODEX_SANDBOX_NETWORK_DISABLED: "1" }, { networkDisabled: false })).toEqual({});
  });

  it("overrides set and unset", () => {
    expect(applyEnvOverrides({ A: "1", B: "2" }, { A: null, C: "3" })).toEqual({ B: "2", C: "3" });
  });
});
