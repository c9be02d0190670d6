// Which tools a model is offered, and where its calls go (per model family, as the reference does):
// 0.169's families (gpt-5.2 and later, and every model of the 0.169 catalog) get unified exec
// (exec_command + write_stdin) and apply_patch; the others get shell_command (shell for the
// gpt-5/o3/gpt-4.1 argv family), update_plan and apply_patch. 0.169's families also get
// request_user_input after write_stdin; a client's dynamic tools come last (dynamicTools.ts). On the
// Chat Completions wire, which has no custom tools, apply_patch is the JSON-function variant.
// The `[features]` flags that change this list (shell_tool, view_image, request_permissions_tool,
// unified_exec_tty) are applied as 0.169 applies them; toolFlags.ts has the observations. view_image
// comes after apply_patch, as in 0.169 (and last before the MCP/dynamic tools in 0.80).
import type { DynamicToolSpec } from "../../../protocol/v2/index.js";
import { findModel } from "../catalog/modelCatalog.js";
import type { WireApi } from "../config/providers.js";
import { applyPatchFunctionTool, applyPatchTool } from "./applyPatchTool.js";
import { dynamicToolKey, dynamicToolSpecs } from "./dynamicTools.js";
import { unsupportedCallOutput } from "./mcpModelTools.js";
import { runToolSearch, TOOL_SEARCH_SPEC, toolSearchOutput, ToolSearchIndex, type DeferredToolEntry } from "./toolSearch.js";
import { requestPermissionsTool } from "./requestPermissions.js";
import { shellCommandTool, shellTool } from "./shellTools.js";
import { DEFAULT_TOOL_FLAGS, withoutTty, type ToolFlags } from "./toolFlags.js";
import { functionOutput, type Tool, type ToolCall, type ToolContext, type ToolOutput } from "./toolTypes.js";
import { unifiedExecTools } from "./unifiedExec.js";
import type { UnifiedExecSessions } from "./unifiedExecSessions.js";
import { updatePlanTool } from "./updatePlan.js";
import { viewImageTool } from "./viewImage.js";

export type ModelFamily = "unifiedExec" | "shellCommand" | "shellArgv";

export function modelFamily(model: string): ModelFamily {
  if (findModel(model) !== undefined || /^gpt-(5\.([2-9]|\d\d)|[6-9])/.test(model)) return "unifiedExec";
  if (/^(gpt-5(-|$)|o3|o4|gpt-4)/.test(model)) return "shellArgv";
  return "shellCommand";
}

/** Tools that depend on the thread rather than the model family. */
export interface ThreadTools {
  /** request_user_input, offered to the families that 0.169 offers it to. */
  readonly requestUserInput?: Tool;
  /** The client's declarations (for the specs) and their tools (for the calls). */
  readonly dynamic?: { readonly specs: readonly DynamicToolSpec[]; readonly tools: readonly Tool[] };
  readonly wireApi?: WireApi;
  /** The tool-shaping `[features]` flags (toolFlags.ts); absent = 0.169's defaults. */
  readonly flags?: ToolFlags;
  /** The thread's MCP servers' tools (mcpTools.ts builds them from the thread's MCP connections). */
  readonly mcp?: McpTurnTools;
}

/** One MCP tool as the router holds it: called as `namespace` + `name` (0.169's names, mcpModelTools.ts). */
export interface NamespacedTool {
  readonly namespace: string;
  readonly name: string;
  readonly tool: Tool;
}

/**
 * What MCP adds to a turn's tools, as 0.169 offers them: the resource tools beside the shell tools,
 * and the servers' tools either deferred behind tool_search (the models of 0.169's catalog: only a
 * search exposes them, through its output item) or, for other models, as namespace specs up front.
 */
export interface McpTurnTools {
  readonly tools: readonly NamespacedTool[];
  readonly resourceTools: readonly Tool[];
  /** For tool_search: each tool's search text and the spec a match exposes. */
  readonly deferred: readonly DeferredToolEntry[];
  /** For models without tool_search: one namespace spec per server. */
  readonly upFront: readonly Record<string, unknown>[];
}

export class ToolRouter {
  private readonly byName: Map<string, Tool>;
  /** Set when the model finds MCP tools through tool_search instead of being given them. */
  private readonly search: ToolSearchIndex | null;

  constructor(
    readonly tools: readonly Tool[],
    private readonly dynamic: ThreadTools["dynamic"] = undefined,
    private readonly mcp: (McpTurnTools & { readonly searchable: boolean }) | undefined = undefined,
  ) {
    // Built-in tools win a name clash with a declared one; an MCP tool's key has its namespace.
    const mcpTools: [string, Tool][] = (mcp?.tools ?? []).map((t) => [dynamicToolKey(t.namespace, t.name), t.tool]);
    this.byName = new Map([...mcpTools, ...(dynamic?.tools ?? []).map((t): [string, Tool] => [t.name, t]), ...tools.map((t): [string, Tool] => [t.name, t])]);
    this.search = mcp?.searchable && mcp.tools.length > 0 ? new ToolSearchIndex(mcp.deferred) : null;
  }

  /**
   * `wireApi`: chat has no custom tools, so apply_patch is the JSON-function variant there; nor can a
   * chat tool message carry an image, so view_image, whose output is one, is not offered on chat.
   * `flags`: toolFlags.ts.
   */
  static forModel(model: string, sessions: UnifiedExecSessions, extra: ThreadTools = {}): ToolRouter {
    const flags = extra.flags ?? DEFAULT_TOOL_FLAGS;
    const applyPatch = extra.wireApi === "chat" ? applyPatchFunctionTool : applyPatchTool;
    const ask = extra.requestUserInput ? [extra.requestUserInput] : [];
    const perms = flags.requestPermissions ? [requestPermissionsTool] : [];
    const view = flags.viewImage && extra.wireApi !== "chat" ? [viewImageTool] : [];
    const shell = (tools: Tool[]): Tool[] => (flags.shellTool ? tools : []);
    // 0.169 puts the resource tools right after the shell tools, and gives its catalog's models
    // tool_search instead of the servers' tools.
    const resources = [...(extra.mcp?.resourceTools ?? [])];
    const mcp = extra.mcp ? { ...extra.mcp, searchable: findModel(model) !== undefined } : undefined;
    switch (modelFamily(model)) {
      case "unifiedExec": {
        const exec = unifiedExecTools(sessions).map((t) => (flags.execTty || t.name !== "exec_command" ? t : withoutTty(t)));
        return new ToolRouter([...shell(exec), ...resources, ...ask, ...perms, applyPatch, ...view], extra.dynamic, mcp);
      }
      case "shellArgv":
        return new ToolRouter([...shell([shellTool]), ...resources, updatePlanTool, ...perms, applyPatch, ...view], extra.dynamic, mcp);
      case "shellCommand":
        return new ToolRouter([...shell([shellCommandTool]), ...resources, updatePlanTool, ...perms, applyPatch, ...view], extra.dynamic, mcp);
    }
  }

  specs(): Record<string, unknown>[] {
    const mcp = this.search ? [TOOL_SEARCH_SPEC as Record<string, unknown>] : [...(this.mcp?.upFront ?? [])];
    return [...this.tools.map((t) => t.spec), ...mcp, ...dynamicToolSpecs(this.dynamic?.specs ?? [])];
  }

  /** A namespaced (MCP) tool's own parallel flag; false for anything unknown. */
  supportsParallel(call: ToolCall): boolean {
    return this.byName.get(dynamicToolKey(call.namespace, call.name))?.supportsParallel === true;
  }

  run(call: ToolCall, ctx: ToolContext): Promise<ToolOutput> {
    if (call.kind === "toolSearch") {
      let args: unknown;
      try {
        args = JSON.parse(call.input);
      } catch {
        args = null;
      }
      const item = { type: "tool_search_call" as const, call_id: call.callId, execution: "client", arguments: args };
      return Promise.resolve(this.search ? runToolSearch(item, this.search) : toolSearchOutput(call.callId, []));
    }
    const tool = this.byName.get(call.namespace ? dynamicToolKey(call.namespace, call.name) : call.name);
    if (!tool)
      return Promise.resolve(functionOutput(call, call.namespace ? unsupportedCallOutput(call.namespace, call.name) : `unsupported call: ${call.name}`));
    return tool.run(call, ctx);
  }
}
