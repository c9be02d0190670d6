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
}

export class ToolRouter {
  private readonly byName: Map<string, Tool>;

  constructor(
    readonly tools: readonly Tool[],
    private readonly dynamic: ThreadTools["dynamic"] = undefined,
  ) {
    // Built-in tools win a name clash with a declared one.
    this.byName = new Map([...(dynamic?.tools ?? []), ...tools].map((t) => [t.name, t]));
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
    switch (modelFamily(model)) {
      case "unifiedExec": {
        const exec = unifiedExecTools(sessions).map((t) => (flags.execTty || t.name !== "exec_command" ? t : withoutTty(t)));
        return new ToolRouter([...shell(exec), ...ask, ...perms, applyPatch, ...view], extra.dynamic);
      }
      case "shellArgv":
        return new ToolRouter([...shell([shellTool]), updatePlanTool, ...perms, applyPatch, ...view], extra.dynamic);
      case "shellCommand":
        return new ToolRouter([...shell([shellCommandTool]), updatePlanTool, ...perms, applyPatch, ...view], extra.dynamic);
    }
  }

  specs(): Record<string, unknown>[] {
    return [...this.tools.map((t) => t.spec), ...dynamicToolSpecs(this.dynamic?.specs ?? [])];
  }

  run(call: ToolCall, ctx: ToolContext): Promise<ToolOutput> {
    const tool = this.byName.get(call.namespace ? dynamicToolKey(call.namespace, call.name) : call.name);
    if (!tool) return Promise.resolve(functionOutput(call, `unsupported call: ${call.name}`));
    return tool.run(call, ctx);
  }
}
