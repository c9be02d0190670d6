import { describe, expect, it } from "vitest";
import { listExperimentalFeatures } from "./experimentalFeatures.js";
import { featureKeyNotice, knownFeatureKeys, resolveFeatureStates } from "./featureRegistry.js";

function states(...tables: Record<string, unknown>[]): Record<string, boolean> {
  return Object.fromEntries(resolveFeatureStates(tables));
}

describe("experimentalFeature/list", () => {
  it("lists 0.169's 215 flags in its order with enabled = default on a fresh config", () => {
    const res = listExperimentalFeatures({}, states());
    expect(res.data).toHaveLength(215);
    expect(res.nextCursor).toBeNull();
    expect(res.data.slice(0, 3).map((f) => f.name)).toEqual(["analytics_plan_history", "cli_resume_account_check", "daemon_auto_start"]);
    expect(res.data.every((f) => f.enabled === f.defaultEnabled)).toBe(true);
    expect(res.data[0]).toEqual({
      name: "analytics_plan_history",
      stage: "beta",
      displayName: "Analytics plan history",
      description: "Preview five-hour and weekly allowance history for consumer accounts in /analytics.",
      announcement: "",
      enabled: false,
      defaultEnabled: false,
    });
  });

  it("reflects config features.* (the conformance config turns four off)", () => {
    const res = listExperimentalFeatures({}, states({ plugins: false, remote_plugin: false, apps: false, in_app_updates: false }));
    const changed = res.data
      .filter((f) => f.enabled !== f.defaultEnabled)
      .map((f) => f.name)
      .sort();
    expect(changed).toEqual(["apps", "in_app_updates", "plugins", "remote_plugin"]);
  });

  it("pages like model/list", () => {
    expect(listExperimentalFeatures({ limit: 3 }, states()).nextCursor).toBe("3");
    expect(listExperimentalFeatures({ cursor: "215" }, states())).toEqual({ data: [], nextCursor: null });
    expect(() => listExperimentalFeatures({ cursor: "216" }, states())).toThrow("cursor 216 exceeds total feature flags 215");
    expect(() => listExperimentalFeatures({ cursor: "x" }, states())).toThrow("invalid cursor: x");
  });
});

describe("feature registry", () => {
  it("maps legacy aliases onto their canonical flags (observed on 0.169)", () => {
    const s = states({ collab: false, connectors: false, memory_tool: true, request_permissions: true, web_search: true, codex_hooks: true });
    expect(s["multi_agent"]).toBe(false);
    expect(s["apps"]).toBe(false);
    expect(s["memories"]).toBe(true);
    expect(s["exec_permission_approvals"]).toBe(true);
    expect(s["web_search_request"]).toBe(true);
    expect(s["hooks"]).toBe(true);
  });

  it("applies keys in sorted order within a table, later tables, then requirements", () => {
    expect(states({ multi_agent: true, collab: false })["multi_agent"]).toBe(true);
    expect(states({ memories: true }, { memories: false })["memories"]).toBe(false);
    expect(Object.fromEntries(resolveFeatureStates([{ memories: true }], {}, { memories: false }))["memories"]).toBe(false);
    expect(states({ multi_agent_v2: { enabled: true } })["multi_agent_v2"]).toBe(true);
  });

  it("words deprecation notices as 0.169 does", () => {
    expect(featureKeyNotice("collab")).toEqual({
      summary: "`[features].collab` is deprecated. Use `[features].multi_agent` instead.",
      details:
        "Enable it with `--enable multi_agent` or `[features].multi_agent` in config.toml. See https://developers.openai.com/codex/config-basic#feature-flags for details.",
    });
    expect(featureKeyNotice("web_search")?.summary).toBe("`[features].web_search` is deprecated because web search is enabled by default.");
    expect(featureKeyNotice("transcript_v2")).toEqual({
      summary: "`[features].transcript_v2` is deprecated and ignored.",
      details: "Use `[tui].fullscreen_transcript` in config.toml instead.",
    });
    expect(featureKeyNotice("apps")).toBeUndefined();
  });

  it("knows the keys the 0.80 conformance config uses", () => {
    expect(knownFeatureKeys()).toEqual(expect.arrayContaining(["remote_models", "remote_compaction", "plugins", "remote_plugin", "apps", "in_app_updates"]));
  });
});
