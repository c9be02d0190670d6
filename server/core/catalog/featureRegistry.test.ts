// Which non-default feature flags get the "has no effect" configWarning: those Gatehouse does not read,
// once each; not the ones it honours, not a removed one (0.169 ignores it too), not one turned off
// that Gatehouse does not have, not one that already has a deprecationNotice.
import { describe, expect, it } from "vitest";
import { TOOL_FEATURE_KEYS } from "../tools/toolFlags.js";
import { HONOURED_FEATURES, resolveFeatureStates, unhonouredFeatureWarnings } from "./featureRegistry.js";

const warned = (features: Record<string, unknown>): string[] => unhonouredFeatureWarnings(resolveFeatureStates([features])).map((w) => w.summary);

describe("unhonouredFeatureWarnings", () => {
  it("names each enabled feature Gatehouse does not implement, once", () => {
    // js_repl is in 0.169's "removed" stage: no warning for it.
    expect(warned({ memories: true, js_repl: true, code_mode: true }).sort()).toEqual([
      "`[features].code_mode = true` has no effect: Gatehouse does not implement this feature.",
      "`[features].memories = true` has no effect: Gatehouse does not implement this feature.",
    ]);
    expect(warned({ memories: true })).toHaveLength(1);
    // An alias counts as its canonical feature (memory_tool → memories), and is named by it.
    expect(warned({ memory_tool: true })).toEqual(["`[features].memories = true` has no effect: Gatehouse does not implement this feature."]);
  });

  it("is silent for honoured flags, defaults, removed flags, absent features turned off, deprecated keys", () => {
    expect(
      warned({ shell_tool: false, view_image: false, unified_exec: false, request_permissions_tool: true, unified_exec_tty: false, shell_snapshot: false }),
    ).toEqual([]);
    expect(warned({ plugins: false, remote_plugin: false, apps: false, in_app_updates: false, goals: false })).toEqual([]);
    expect(warned({ apply_patch_freeform: true, tool_search: true })).toEqual([]);
    expect(warned({ web_search_request: true })).toEqual([]);
    expect(warned({ memories: false })).toEqual([]);
  });

  it("counts every flag the tool router reads as honoured", () => {
    for (const key of TOOL_FEATURE_KEYS) expect(HONOURED_FEATURES.has(key), key).toBe(true);
  });
});
