// The `[features]` flags that shape the tools a model is offered, as codex-cli 0.169.0 reads them.
//
// Observed with the conformance harness (shared/conformance, hello.json with `config.model` and
// `config.features` set; the summary's `toolNames`), one run per cell, 0.169.0:
//
// | flag (non-default value)          | gpt-5.5 (catalog model)                              | gpt-5, llama3 (not in the catalog: "fallback metadata") |
// |-----------------------------------|------------------------------------------------------|----------------------------------------------------------|
// | (none)                            | exec_command write_stdin request_user_input          | exec_command write_stdin request_user_input view_image   |
// |                                   | apply_patch view_image + goal/tool_search/web_search | + multi_agent_v1, goal tools, web_search (no apply_patch)|
// | unified_exec = false              | unchanged                                            | unchanged                                                |
// | shell_tool = false                | exec_command and write_stdin gone                    | exec_command and write_stdin gone                        |
// | unified_exec = shell_tool = false | as shell_tool = false                                | as shell_tool = false                                    |
// | view_image = false                | view_image gone                                      | view_image gone                                          |
// | apply_patch_freeform = true       | unchanged (stage "removed")                          | unchanged                                                |
// | request_permissions_tool = true   | request_permissions after request_user_input         | request_permissions after request_user_input             |
// | unified_exec_tty = false          | same names; exec_command loses its `tty` property    | (not run)                                                |
// | sleep_tool = false                | unchanged (no sleep tool is offered either way)      | (not run)                                                |
// | goals = false                     | goal tools gone (Gatehouse has none)                 | (not run)                                                |
//
// So in 0.169 `unified_exec` does not choose the shell tool (every family gets exec_command), and
// `shell_tool` is what removes the shell tools. Gatehouse keeps its per-family shell tools (the
// reference offers tools per model family) and applies the flags the same way to each family:
// `shell_tool = false` removes that family's shell tools (exec_command + write_stdin, shell, or
// shell_command), `unified_exec` changes nothing, `view_image = false` removes view_image,
// `request_permissions_tool` adds request_permissions, `unified_exec_tty = false` drops exec_command's
// `tty`, and `apply_patch_freeform` is ignored as 0.169 ignores it. Flags not listed here do not
// shape Gatehouse's tools; catalog/featureRegistry.ts says which of them get a configWarning.
import type { Tool, ToolCall } from "./toolTypes.js";

export interface ToolFlags {
  /** `shell_tool` (default on): the family's shell tools are offered. */
  readonly shellTool: boolean;
  /** `view_image` (default on). */
  readonly viewImage: boolean;
  /** `request_permissions_tool` (default off). */
  readonly requestPermissions: boolean;
  /** `unified_exec_tty` (default on): exec_command has a `tty` parameter. */
  readonly execTty: boolean;
}

export const DEFAULT_TOOL_FLAGS: ToolFlags = { shellTool: true, viewImage: true, requestPermissions: false, execTty: true };

/** The feature keys this module reads (honoured, so they never get an "ignored" warning). */
export const TOOL_FEATURE_KEYS = [
  "shell_tool",
  "view_image",
  "request_permissions_tool",
  "unified_exec_tty",
  "unified_exec",
  "apply_patch_freeform",
  "sleep_tool",
] as const;

/** Tool flags from effective feature states (config's `features`, already defaulted). */
export function toolFlagsFrom(features: Readonly<Record<string, boolean>>): ToolFlags {
  const on = (key: string, dflt: boolean): boolean => features[key] ?? dflt;
  return {
    shellTool: on("shell_tool", DEFAULT_TOOL_FLAGS.shellTool),
    viewImage: on("view_image", DEFAULT_TOOL_FLAGS.viewImage),
    requestPermissions: on("request_permissions_tool", DEFAULT_TOOL_FLAGS.requestPermissions),
    execTty: on("unified_exec_tty", DEFAULT_TOOL_FLAGS.execTty),
  };
}

/**
 * exec_command as 0.169 offers it with `unified_exec_tty = false`: the spec without `tty`, and a call
 * that still sends one runs with plain pipes.
 */
export function withoutTty(tool: Tool): Tool {
  const params = tool.spec["parameters"] as { properties?: Record<string, unknown> } | undefined;
  if (!params?.properties || !("tty" in params.properties)) return tool;
  const properties = Object.fromEntries(Object.entries(params.properties).filter(([k]) => k !== "tty"));
  const spec = { ...tool.spec, parameters: { ...params, properties } };
  return {
    name: tool.name,
    spec,
    run(call: ToolCall, ctx) {
      let input = call.input;
      try {
        const args: unknown = JSON.parse(call.input || "{}");
        if (args !== null && typeof args === "object" && !Array.isArray(args) && "tty" in args) {
          input = JSON.stringify(Object.fromEntries(Object.entries(args).filter(([k]) => k !== "tty")));
        }
      } catch {
        // The tool reports unparseable arguments itself.
      }
      return tool.run(input === call.input ? call : { ...call, input }, ctx);
    },
  };
}

/**
 * The table above as data (toolNames of 0.169.0's first request), for the tests that check
 * Gatehouse against it. `catalog`: gpt-5.5; `fallback`: gpt-5 and llama3 (identical lists).
 */
export const OBSERVED_0169: readonly {
  readonly features: Readonly<Record<string, boolean>>;
  readonly catalog: readonly string[];
  readonly fallback: readonly string[];
}[] = [
  {
    features: {},
    catalog: [
      "exec_command",
      "write_stdin",
      "request_user_input",
      "apply_patch",
      "view_image",
      "get_goal",
      "create_goal",
      "update_goal",
      "tool_search",
      "web_search",
    ],
    fallback: ["exec_command", "write_stdin", "request_user_input", "view_image", "multi_agent_v1", "get_goal", "create_goal", "update_goal", "web_search"],
  },
  {
    features: { unified_exec: false },
    catalog: [
      "exec_command",
      "write_stdin",
      "request_user_input",
      "apply_patch",
      "view_image",
      "get_goal",
      "create_goal",
      "update_goal",
      "tool_search",
      "web_search",
    ],
    fallback: ["exec_command", "write_stdin", "request_user_input", "view_image", "multi_agent_v1", "get_goal", "create_goal", "update_goal", "web_search"],
  },
  {
    features: { shell_tool: false },
    catalog: ["request_user_input", "apply_patch", "view_image", "get_goal", "create_goal", "update_goal", "tool_search", "web_search"],
    fallback: ["request_user_input", "view_image", "multi_agent_v1", "get_goal", "create_goal", "update_goal", "web_search"],
  },
  {
    features: { unified_exec: false, shell_tool: false },
    catalog: ["request_user_input", "apply_patch", "view_image", "get_goal", "create_goal", "update_goal", "tool_search", "web_search"],
    fallback: ["request_user_input", "view_image", "multi_agent_v1", "get_goal", "create_goal", "update_goal", "web_search"],
  },
  {
    features: { view_image: false },
    catalog: ["exec_command", "write_stdin", "request_user_input", "apply_patch", "get_goal", "create_goal", "update_goal", "tool_search", "web_search"],
    fallback: ["exec_command", "write_stdin", "request_user_input", "multi_agent_v1", "get_goal", "create_goal", "update_goal", "web_search"],
  },
  {
    features: { apply_patch_freeform: true },
    catalog: [
      "exec_command",
      "write_stdin",
      "request_user_input",
      "apply_patch",
      "view_image",
      "get_goal",
      "create_goal",
      "update_goal",
      "tool_search",
      "web_search",
    ],
    fallback: ["exec_command", "write_stdin", "request_user_input", "view_image", "multi_agent_v1", "get_goal", "create_goal", "update_goal", "web_search"],
  },
  {
    features: { request_permissions_tool: true },
    catalog: [
      "exec_command",
      "write_stdin",
      "request_user_input",
      "request_permissions",
      "apply_patch",
      "view_image",
      "get_goal",
      "create_goal",
      "update_goal",
      "tool_search",
      "web_search",
    ],
    fallback: [
      "exec_command",
      "write_stdin",
      "request_user_input",
      "request_permissions",
      "view_image",
      "multi_agent_v1",
      "get_goal",
      "create_goal",
      "update_goal",
      "web_search",
    ],
  },
];

/** 0.169's tools that Gatehouse does not have (goals, tool search, web search, sub-agents). */
export const NOT_IN_GATEHOUSE: ReadonlySet<string> = new Set(["get_goal", "create_goal", "update_goal", "tool_search", "web_search", "multi_agent_v1"]);
