import { describe, expect, it } from "vitest";
import { parse } from "smol-toml";
import { GetUserSavedConfigResponse } from "../../../protocol/v1/index.js";
import type { JsonObject } from "./json.js";
import { userSavedConfig } from "./userSavedConfig.js";

describe("userSavedConfig", () => {
  it("answers what 0.80 answered for the same config.toml", () => {
    const toml = parse(`
model = "gpt-5.1-codex"
model_provider = "mock"
approval_policy = "never"
sandbox_mode = "read-only"
profile = "fast"
model_reasoning_effort = "low"
model_reasoning_summary = "concise"
model_verbosity = "high"
forced_login_method = "api"

[sandbox_workspace_write]
writable_roots = ["/tmp/wr"]
network_access = true
exclude_slash_tmp = true

[tools]
web_search = true
view_image = false

[profiles.fast]
model = "gpt-5.1-codex-mini"
approval_policy = "on-request"
model_reasoning_effort = "minimal"
model_provider = "mock"
chatgpt_base_url = "http://x"

[profiles.other]
model_verbosity = "low"
`) as JsonObject;
    // 0.80.0's getUserSavedConfig for this file, key order included.
    const observed = {
      approvalPolicy: "never",
      sandboxMode: "read-only",
      sandboxSettings: { writableRoots: ["/tmp/wr"], networkAccess: true, excludeTmpdirEnvVar: false, excludeSlashTmp: true },
      forcedChatgptWorkspaceId: null,
      forcedLoginMethod: "api",
      model: "gpt-5.1-codex",
      modelReasoningEffort: "low",
      modelReasoningSummary: "concise",
      modelVerbosity: "high",
      tools: { webSearch: true, viewImage: false },
      profile: "fast",
      profiles: {
        fast: {
          model: "gpt-5.1-codex-mini",
          modelProvider: "mock",
          approvalPolicy: "on-request",
          modelReasoningEffort: "minimal",
          modelReasoningSummary: null,
          modelVerbosity: null,
          chatgptBaseUrl: "http://x",
        },
        other: {
          model: null,
          modelProvider: null,
          approvalPolicy: null,
          modelReasoningEffort: null,
          modelReasoningSummary: null,
          modelVerbosity: "low",
          chatgptBaseUrl: null,
        },
      },
    };
    const config = userSavedConfig(toml);
    expect(config).toEqual(observed);
    expect(JSON.stringify(config)).toBe(JSON.stringify(observed));
    expect(GetUserSavedConfigResponse.safeParse({ config }).success).toBe(true);
  });

  it("reports unset keys as null and profiles as {}", () => {
    expect(userSavedConfig({})).toEqual({
      approvalPolicy: null,
      sandboxMode: null,
      sandboxSettings: null,
      forcedChatgptWorkspaceId: null,
      forcedLoginMethod: null,
      model: null,
      modelReasoningEffort: null,
      modelReasoningSummary: null,
      modelVerbosity: null,
      tools: null,
      profile: null,
      profiles: {},
    });
  });

  it("leaves out values the v1 wire cannot carry instead of failing", () => {
    const config = userSavedConfig({
      approval_policy: { granular: { sandbox_approval: true, rules: true, mcp_elicitations: true } },
      model_reasoning_effort: "extreme",
      sandbox_workspace_write: {},
      tools: { web_search: "live" },
    });
    expect(config).toMatchObject({
      approvalPolicy: null,
      modelReasoningEffort: null,
      sandboxSettings: { writableRoots: [], networkAccess: false, excludeTmpdirEnvVar: false, excludeSlashTmp: false },
      tools: { webSearch: null, viewImage: null },
    });
  });
});
