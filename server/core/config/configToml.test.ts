import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "smol-toml";
import { describe, expect, it } from "vitest";
import { invalidValueWarning, parseConfigText, unknownKeysWarning, validateTable } from "./configToml.js";
import type { JsonObject } from "./json.js";
import { locateKey } from "./tomlLocate.js";

const FILE = "/h/config.toml";
/** ../shared beside the repository root, as every clone has it (a missing one fails the read below). */
const SHARED = resolve(dirname(fileURLToPath(import.meta.url)), "../../../../shared");

function load(text: string) {
  const parsed = parseConfigText(text, FILE);
  if (!parsed.ok) throw new Error(parsed.message);
  return validateTable(parsed.table);
}

describe("parseConfigText", () => {
  it("turns a TOML syntax error into 0.169's warning shape, with position", () => {
    const res = parseConfigText('model = "o3"\nthis is not toml\n', FILE);
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.warning.summary).toBe("Invalid configuration; using defaults.");
    expect(res.warning.path).toBe(FILE);
    expect(res.warning.details).toMatch(/^\/h\/config\.toml:2:6: /);
    expect(res.warning.range).toEqual({ start: { line: 2, column: 6 }, end: { line: 2, column: 6 } });
  });

  it("reads dates as text and numbers as numbers", () => {
    const res = parseConfigText("a = 1979-05-27\nb = 3\nc = 1.5\n", FILE);
    expect(res).toEqual({ ok: true, table: { a: "1979-05-27", b: 3, c: 1.5 } });
  });
});

describe("validateTable", () => {
  it("accepts both conformance base configs without a warning or notice", () => {
    for (const name of ["default.json", "codex-0.80.json"]) {
      const json = readFileSync(join(SHARED, "conformance", "config", name), "utf8").replace("{{MODEL_BASE_URL}}", "http://127.0.0.1:1/v1");
      const v = load(stringify(JSON.parse(json) as JsonObject));
      expect({ name, unknown: v.unknownKeys, invalid: v.invalid, deprecations: v.deprecations, notes: v.notes }).toEqual({
        name,
        unknown: [],
        invalid: [],
        deprecations: [],
        notes: [],
      });
    }
  });

  it("accepts the keys the brief and the reference document", () => {
    const v = load(`
model = "o3"
model_provider = "p"
approval_policy = "untrusted"
sandbox_mode = "workspace-write"
model_reasoning_effort = "high"
model_reasoning_summary = "detailed"
model_verbosity = "low"
check_for_update_on_startup = false
notify = ["notify-send", "done"]
project_doc_max_bytes = 1000
file_opener = "cursor"
hide_agent_reasoning = true
show_raw_agent_reasoning = true
model_context_window = 200000
model_auto_compact_token_limit = 150000
review_model = "o3"
default_permissions = "ro"
[sandbox_workspace_write]
writable_roots = ["/a"]
network_access = true
exclude_tmpdir_env_var = true
exclude_slash_tmp = true
[shell_environment_policy]
inherit = "core"
ignore_default_excludes = false
exclude = ["AWS_*"]
set = { A = "1" }
include_only = ["PATH"]
[model_providers.p]
name = "P"
base_url = "http://localhost/v1"
env_key = "P_KEY"
wire_api = "responses"
query_params = { "api-version" = "1" }
http_headers = { X = "y" }
env_http_headers = { Y = "ENV" }
request_max_retries = 1
stream_max_retries = 2
stream_idle_timeout_ms = 3000
[features]
memories = true
[profiles.fast]
model = "gpt-5.5"
approval_policy = "never"
[mcp_servers.docs]
command = "docs-mcp"
args = ["--stdio"]
[projects."/work"]
trust_level = "trusted"
[history]
persistence = "none"
[tools]
web_search = true
[otel]
exporter = "none"
[analytics]
enabled = false
[tui]
notifications = true
[permissions.ro]
`);
    expect(v.unknownKeys).toEqual([]);
    expect(v.invalid).toEqual([]);
    expect(v.deprecations).toEqual([]);
  });

  it("reports unknown keys at any depth, keeps them in the layer, drops them from the known table", () => {
    const v = load('model = "o3"\nfoo = 1\n[features]\nbogus_feature = true\n[sandbox_workspace_write]\nzzz = 1\n[model_providers.x]\nname = "X"\nzz = 1\n');
    expect(v.unknownKeys).toEqual([["features", "bogus_feature"], ["foo"], ["model_providers", "x", "zz"], ["sandbox_workspace_write", "zzz"]]);
    expect(v.table["foo"]).toBe(1);
    expect(v.known["foo"]).toBeUndefined();
    expect(v.known["sandbox_workspace_write"]).toEqual({});
    expect(v.known["features"]).toEqual({ bogus_feature: true }); // 0.169 echoes unknown features in config/read
    expect(v.known["model"]).toBe("o3");
  });

  it("reports an unknown [mcp_servers.x] key as 0.169 does, and leaves the values to core/mcp, which fails that server", () => {
    const v = load('[mcp_servers.x]\ncommand = "srv"\nargs = "not a list"\nsandbox = false\nscopes = ["a"]\ntool_timout_sec = 5\n');
    expect(v.unknownKeys).toEqual([["mcp_servers", "x", "tool_timout_sec"]]);
    expect(v.invalid).toEqual([]);
    expect(v.known["mcp_servers"]).toEqual({ x: { command: "srv", args: "not a list", sandbox: false, scopes: ["a"] } });
  });

  it("drops only the bad values (0.169 drops the whole file) and says why in serde's words", () => {
    const v = load(
      'model = 5\nsandbox_mode = "bogus"\napproval_policy = "sometimes"\nmodel_provider = "p"\nnotify = ["a", 5]\n[model_providers.openai]\nname = "mine"\n',
    );
    expect(v.known).toEqual({ model_provider: "p", model_providers: {} });
    expect(v.invalid).toEqual(
      expect.arrayContaining([
        { path: ["model"], message: "invalid type: integer `5`, expected a string" },
        { path: ["sandbox_mode"], message: "unknown variant `bogus`, expected one of `read-only`, `workspace-write`, `danger-full-access`" },
        { path: ["approval_policy"], message: "unknown variant `sometimes`, expected one of `untrusted`, `on-failure`, `on-request`, `granular`, `never`" },
        { path: ["notify"], message: "invalid type: integer `5`, expected a string" },
        {
          path: ["model_providers", "openai"],
          message:
            "model_providers contains reserved built-in provider IDs: `openai`. Built-in providers cannot be overridden. Rename your custom provider (for example, `openai-custom`).",
        },
      ]),
    );
    expect(v.invalid).toHaveLength(5);
  });

  it("positions a bad value like the reference (config.toml:2:16 … 2:22)", () => {
    const text = 'model = "x"\nsandbox_mode = "bogus"\n';
    const v = load(text);
    const w = invalidValueWarning(v.invalid[0] ?? { path: [], message: "" }, FILE, text);
    expect(w).toEqual({
      summary: "Invalid value for `sandbox_mode`; using the default.",
      details: "/h/config.toml:2:16: unknown variant `bogus`, expected one of `read-only`, `workspace-write`, `danger-full-access`\nin `sandbox_mode`",
      path: FILE,
      range: { start: { line: 2, column: 16 }, end: { line: 2, column: 22 } },
    });
  });

  it('reads approval_policy = "on-failure" as on-request, with a deprecation notice', () => {
    const v = load('approval_policy = "on-failure"\n[profiles.p]\napproval_policy = "on-failure"\n');
    expect(v.table["approval_policy"]).toBe("on-request");
    expect(v.known["profiles"]).toEqual({ p: { approval_policy: "on-request" } });
    expect(v.deprecations.map((d) => d.summary)).toEqual([
      '`approval_policy = "on-failure"` is deprecated; it is read as "on-request".',
      '`profiles.p.approval_policy = "on-failure"` is deprecated; it is read as "on-request".',
    ]);
  });

  it("gives 0.169's deprecation notices for legacy feature keys, sorted by key, and its multi_agent warning", () => {
    const v = load(
      "experimental_use_unified_exec_tool = false\n[features]\nweb_search_request = true\ncollab = false\ncodex_hooks = true\nmulti_agent = true\n",
    );
    expect(v.unknownKeys).toEqual([]);
    expect(v.deprecations.map((d) => d.summary)).toEqual([
      "`[features].codex_hooks` is deprecated. Use `[features].hooks` instead.",
      "`[features].collab` is deprecated. Use `[features].multi_agent` instead.",
      "`[features].experimental_use_unified_exec_tool` is deprecated. Use `[features].unified_exec` instead.",
      "`[features].web_search_request` is deprecated because web search is enabled by default.",
    ]);
    expect(v.notes.map((n) => n.summary)).toEqual([expect.stringMatching(/^`\[features\]\.multi_agent` is deprecated\. It still controls the V1 fallback\./)]);
  });

  it("says what became of keys older versions read, instead of calling them typos", () => {
    const v = load("experimental_use_exec_command_tool = true\n");
    expect(v.unknownKeys).toEqual([]);
    expect(v.deprecations).toEqual([
      {
        summary: "`experimental_use_exec_command_tool` is no longer supported and is ignored.",
        details: "The shell tools are offered according to the model; `[features].shell_tool = false` turns them off.",
      },
    ]);
    expect(v.known).toEqual({});
  });

  it("notes the legacy profile selector", () => {
    const v = load('profile = "p"\n[profiles.p]\nmodel = "o3"\n');
    expect(v.deprecations[0]?.summary).toBe('`profile = "p"` selects the legacy `[profiles.p]` table.');
  });

  it("does not modify its input", () => {
    const input: JsonObject = { approval_policy: "on-failure", model: 5 };
    validateTable(input);
    expect(input).toEqual({ approval_policy: "on-failure", model: 5 });
  });
});

describe("unknownKeysWarning", () => {
  it("is 0.169's text, one line per key up to three", () => {
    expect(unknownKeysWarning([{ label: "user (/h/config.toml)", path: ["foo"] }])).toEqual({
      summary: "Codex is ignoring 1 unrecognized configuration setting. Check for typos or deprecated settings.\n  user (/h/config.toml): `foo` is ignored.",
      details: null,
    });
    const many = unknownKeysWarning(["a", "b", "c", "d", "e"].map((k) => ({ label: "session-flags", path: [k] })));
    expect(many?.summary).toBe(
      "Codex is ignoring 5 unrecognized configuration settings. Check for typos or deprecated settings.\n  session-flags: `a` is ignored.\n  session-flags: `b` is ignored.\n  session-flags: `c` is ignored.\n  ... and 2 more ignored settings.",
    );
    expect(unknownKeysWarning([])).toBeNull();
  });
});

describe("locateKey", () => {
  const text = 'model = 5 # comment\n\n[model_providers."my.p"]\nname = "x"\nretries = { a = 1 }\n[[arr]]\nb = 1\n';
  it("finds scalar values, quoted table headers and the enclosing key of inline tables", () => {
    expect(locateKey(text, ["model"])).toEqual({ start: { line: 1, column: 9 }, end: { line: 1, column: 9 } });
    expect(locateKey(text, ["model_providers", "my.p", "name"])).toEqual({ start: { line: 4, column: 8 }, end: { line: 4, column: 10 } });
    expect(locateKey(text, ["model_providers", "my.p", "retries", "a"])?.start).toEqual({ line: 5, column: 11 });
    expect(locateKey(text, ["model_providers", "my.p"])?.start).toEqual({ line: 3, column: 1 });
    expect(locateKey(text, ["missing"])).toBeNull();
  });
});
