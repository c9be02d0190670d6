// Which tools a model is offered, and where its calls go (agent-loop.md §2.1, decision of 2026-11-23):
// 0.169's families (gpt-5.2 and later, and every model of the 0.169 catalog) get unified exec
// (exec_command + write_stdin) and apply_patch; the others get shell_command (shell for the
// gpt-5/o3/gpt-4.1 argv family), update_plan and apply_patch. On the Chat Completions wire, which
// has no custom tools, apply_patch is the JSON-function variant.
import { findModel } from "../catalog/modelCatalog.js";
import type { WireApi } from "../config/providers.js";
import { applyPatchFunctionTool, applyPatchTool } from "./applyPatchTool.js";
import { requestPermissionsTool } from "./requestPermissions.js";
import { shellCommandTool, shellTool } from "./shellTools.js";
import { functionOutput, type Tool, type ToolCall, type ToolContext, type ToolOutput } from "./toolTypes.js";
import { unifiedExecTools, type UnifiedExecSessions } from "./unifiedExec.js";
import { updatePlanTool } from "./updatePlan.js";

export type ModelFamily = "unifiedExec" | "shellCommand" | "shellArgv";

export function modelFamily(model: string): ModelFamily {
  if (findModel(model) !== undefined || /^gpt-(5\.([2-9]|\d\d)|[6-9])/.test(model)) return "unifiedExec";
  if (/^(gpt-5(-|$)|o3|o4|gpt-4)/.test(model)) return "shellArgv";
  return "shellCommand";
}

/** Whether the model family calls tools in parallel by default (the catalog's setting in 0.169). */
export function parallelToolCalls(model: string): boolean {
  return modelFamily(model) === "unifiedExec";
}

export class ToolRouter {
  private readonly byName: Map<string, Tool>;

  constructor(readonly tools: readonly Tool[]) {
    this.byName = new Map(tools.map((t) => [t.name, t]));
  }

  /**
   * `wireApi`: chat has no custom tools, so apply_patch is the JSON-function variant there.
   * `requestPermissions`: `features.request_permissions_tool`; 0.169 lists the tool after its shell tools.
   */
  static forModel(model: string, sessions: UnifiedExecSessions, options: { wireApi?: WireApi; requestPermissions?: boolean } = {}): ToolRouter {
    const applyPatch = options.wireApi === "chat" ? applyPatchFunctionTool : applyPatchTool;
    const extra = options.requestPermissions ? [requestPermissionsTool] : [];
    switch (modelFamily(model)) {
      case "unifiedExec":
        return new ToolRouter([...unifiedExecTools(sessions), ...extra, applyPatch]);
      case "shellArgv":
        return new ToolRouter([shellTool, updatePlanTool, ...extra, applyPatch]);
      case "shellCommand":
        return new ToolRouter([shellCommandTool, updatePlanTool, ...extra, applyPatch]);
    }
  }

  specs(): Record<string, unknown>[] {
    return this.tools.map((t) => t.spec);
  }

  run(call: ToolCall, ctx: ToolContext): Promise<ToolOutput> {
    const tool = this.byName.get(call.name);
    if (!tool) return Promise.resolve(functionOutput(call, `unsupported call: ${call.name}`));
    return tool.run(call, ctx);
  }
}
