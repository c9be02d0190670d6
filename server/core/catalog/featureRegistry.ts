// Feature flags: which `[features]` keys exist, what they default to, and how legacy spellings map.
// The names, stages and defaults are 0.169's (features.data.ts). Aliases and deprecation texts were
// observed on 0.169: `[features].collab = false` turns `multi_agent` off and, at thread start, yields
// the deprecationNotice "`[features].collab` is deprecated. Use `[features].multi_agent` instead.".
// Keys that older references (0.80) knew are accepted without effect, so the 0.80 conformance config
// loads without warnings.
import { FEATURE_ROWS, type FeatureRow } from "./features.data.js";

export interface FeatureNotice {
  summary: string;
  details: string | null;
}

const FEATURE_FLAGS_URL = "https://developers.openai.com/codex/config-basic#feature-flags";

/** Legacy key → canonical feature (0.169). */
export const LEGACY_FEATURE_ALIASES: Readonly<Record<string, string>> = {
  codex_hooks: "hooks",
  collab: "multi_agent",
  connectors: "apps",
  enable_experimental_windows_sandbox: "experimental_windows_sandbox",
  experimental_use_unified_exec_tool: "unified_exec",
  memory_tool: "memories",
  request_permissions: "exec_permission_approvals",
  web_search: "web_search_request",
};

const WEB_SEARCH_DETAILS =
  'Set `web_search` to `"live"`, `"indexed"`, `"cached"`, or `"disabled"` at the top level (or under a profile) in config.toml if you want to override it.';

/** Canonical keys that are themselves deprecated (0.169 texts). */
const DEPRECATED_CANONICAL: Readonly<Record<string, FeatureNotice>> = {
  transcript_v2: {
    summary: "`[features].transcript_v2` is deprecated and ignored.",
    details: "Use `[tui].fullscreen_transcript` in config.toml instead.",
  },
  use_legacy_landlock: {
    summary: "`[features].use_legacy_landlock` is deprecated and will be removed soon.",
    details: "Remove this setting to stop opting into the legacy Linux sandbox behavior.",
  },
  web_search_request: {
    summary: "`[features].web_search_request` is deprecated because web search is enabled by default.",
    details: WEB_SEARCH_DETAILS,
  },
  web_search_cached: {
    summary: "`[features].web_search_cached` is deprecated because web search is enabled by default.",
    details: WEB_SEARCH_DETAILS,
  },
};

/** Feature keys of older references (0.80) that 0.169 dropped: accepted silently, no effect. */
export const RETIRED_FEATURE_KEYS: ReadonlySet<string> = new Set(["exec_policy", "remote_compaction", "powershell_utf8", "tui2"]);

/** Keys 0.169 reports as unknown but that once meant something; Gatehouse says what became of them. */
export const REMOVED_FEATURE_KEYS: Readonly<Record<string, FeatureNotice>> = {
  include_apply_patch_tool: {
    summary: "`[features].include_apply_patch_tool` is no longer supported and is ignored.",
    details: "The apply_patch tool is offered according to the model; remove this setting.",
  },
  experimental_use_freeform_apply_patch: {
    summary: "`[features].experimental_use_freeform_apply_patch` is no longer supported and is ignored.",
    details: "Use `[features].apply_patch_freeform` instead.",
  },
};

/** 0.169 answers this one as a configWarning, not a deprecationNotice. */
export const MULTI_AGENT_WARNING =
  "`[features].multi_agent` is deprecated. It still controls the V1 fallback. `[agents].enabled = false` disables subagent tools even when the model selects a subagent version, unless `[features].multi_agent_v2` is enabled.";

const ROWS_BY_NAME: ReadonlyMap<string, FeatureRow> = new Map(FEATURE_ROWS.map((row) => [row[0], row]));

export function featureRows(): readonly FeatureRow[] {
  return FEATURE_ROWS;
}

/** Every key accepted in a `[features]` table without an unknown-key warning. */
export function knownFeatureKeys(): string[] {
  return [...ROWS_BY_NAME.keys(), ...Object.keys(LEGACY_FEATURE_ALIASES), ...RETIRED_FEATURE_KEYS, ...Object.keys(REMOVED_FEATURE_KEYS)];
}

export function defaultFeatureStates(): Map<string, boolean> {
  return new Map(FEATURE_ROWS.map((row) => [row[0], row[2]]));
}

/** The deprecation notice for using `key` in `[features]`, if any (0.169 wording). */
export function featureKeyNotice(key: string): FeatureNotice | undefined {
  const special = DEPRECATED_CANONICAL[key];
  if (special) return special;
  const removed = REMOVED_FEATURE_KEYS[key];
  if (removed) return removed;
  const canonical = LEGACY_FEATURE_ALIASES[key];
  if (canonical === undefined) return undefined;
  if (canonical === "web_search_request") {
    return { summary: `\`[features].${key}\` is deprecated because web search is enabled by default.`, details: WEB_SEARCH_DETAILS };
  }
  return {
    summary: `\`[features].${key}\` is deprecated. Use \`[features].${canonical}\` instead.`,
    details: `Enable it with \`--enable ${canonical}\` or \`[features].${canonical}\` in config.toml. See ${FEATURE_FLAGS_URL} for details.`,
  };
}

/** A `[features]` value: a boolean, or a table whose `enabled` (if boolean) decides. */
function toggleOf(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const enabled = (value as Record<string, unknown>)["enabled"];
    if (typeof enabled === "boolean") return enabled;
  }
  return undefined;
}

/**
 * Effective feature states: defaults, then `legacyToggles` (top-level keys such as
 * `experimental_use_unified_exec_tool`), then the `[features]` tables in order (later wins; keys
 * within one table apply in sorted order, as the reference's BTreeMap does), then `required`.
 */
export function resolveFeatureStates(
  tables: readonly Readonly<Record<string, unknown>>[],
  legacyToggles: Readonly<Record<string, boolean>> = {},
  required: Readonly<Record<string, boolean>> = {},
): Map<string, boolean> {
  const states = defaultFeatureStates();
  const set = (key: string, on: boolean | undefined): void => {
    if (on === undefined) return;
    const canonical = ROWS_BY_NAME.has(key) ? key : LEGACY_FEATURE_ALIASES[key];
    if (canonical !== undefined) states.set(canonical, on);
  };
  for (const [key, on] of Object.entries(legacyToggles)) set(key, on);
  for (const table of tables) {
    for (const key of Object.keys(table).sort()) set(key, toggleOf(table[key]));
  }
  for (const [key, on] of Object.entries(required)) set(key, on);
  return states;
}

/**
 * The feature flags Gatehouse reads, and where. Every other flag is accepted (config/read and
 * experimentalFeature/list show it) and changes nothing here.
 *  - tools/toolFlags.ts: shell_tool, view_image, request_permissions_tool, unified_exec_tty; and
 *    unified_exec, apply_patch_freeform, sleep_tool, which change no tool in 0.169 either (observed);
 *  - threads/threadManager.ts: shell_snapshot, default_mode_request_user_input;
 *  - config/managedNetwork.ts: network_proxy.
 */
export const HONOURED_FEATURES: ReadonlySet<string> = new Set([
  "shell_tool",
  "view_image",
  "request_permissions_tool",
  "unified_exec_tty",
  "unified_exec",
  "apply_patch_freeform",
  "sleep_tool",
  "shell_snapshot",
  "default_mode_request_user_input",
  "network_proxy",
]);

/**
 * One configWarning per feature whose effective state is not its default and that Gatehouse does not
 * honour. Left out: flags in 0.169's "removed" stage (0.169 ignores them too), flags that already get
 * a deprecationNotice, and a feature turned off that Gatehouse does not have (off is what it is).
 */
export function unhonouredFeatureWarnings(states: ReadonlyMap<string, boolean>): FeatureNotice[] {
  const out: FeatureNotice[] = [];
  for (const [name, stage, defaultEnabled] of FEATURE_ROWS) {
    const on = states.get(name);
    if (on === undefined || on === defaultEnabled || !on) continue;
    if (stage === "removed" || HONOURED_FEATURES.has(name) || featureKeyNotice(name) !== undefined) continue;
    out.push({
      summary: `\`[features].${name} = true\` has no effect: Gatehouse does not implement this feature.`,
      details:
        "Gatehouse accepts the feature flags of Codex 0.169 so that their configurations load, but only some of them change what it does. Remove this setting to silence this warning.",
    });
  }
  return out;
}
