// A turn's MCP tools: the servers' tools (each call an mcpToolCall item, asked about first where 0.169
// asks, through mcpServer/elicitation/request) and the resource tools, built from what the thread's MCP
// connections offer now. The model-facing shapes (names, specs, outputs, texts, the approval rule) are
// mcpModelTools.ts's and mcpResourceTools.ts's; this module runs them against the thread's servers.
import type { ToolOutputContent } from "../model/types.js";
import type { ServerRequestBroker } from "../threads/serverRequestBroker.js";
import {
  mcpApprovalAnswer,
  mcpApprovalDecision,
  mcpApprovalRequestParams,
  mcpCallCompleted,
  mcpCallFailed,
  mcpCallStarted,
  mcpDeferredEntries,
  mcpErrorOutput,
  mcpFunctionSpec,
  mcpNamespaceSpecs,
  mcpProgressMessage,
  mcpResultOutput,
  modelToolNames,
  outputBudgetTokens,
  parseMcpArguments,
  resultForModel,
  type McpApprovalMode,
  type McpCallIdentity,
  type McpCallToolResult,
  type McpModelTool,
  type McpServerTool,
} from "./mcpModelTools.js";
import { mcpResourceTools, type McpResourceSource } from "./mcpResourceTools.js";
import type { McpTurnTools, NamespacedTool } from "./router.js";
import { functionOutput, TurnCancelled, type Tool, type ToolCall, type ToolContext } from "./toolTypes.js";

/** One tool of a connected server, with what decides its approval. */
export interface McpOfferedTool extends McpServerTool {
  /** `[mcp_servers.<server>.tools.<tool>] approval_mode`, else the server's `default_tools_approval_mode`, else "auto". */
  readonly approvalMode: McpApprovalMode;
}

/** What the thread's MCP connections give a turn (core/mcp backs it). */
export interface McpTurnSource extends McpResourceSource {
  /** The tools of every connected server, now. */
  tools(): readonly McpOfferedTool[];
  /** Calls a tool; rejects with the text the model and the item get (mcpModelTools.ts's messages). */
  callTool(
    server: string,
    tool: string,
    args: unknown,
    options: { signal: AbortSignal; onProgress: (progress: number, total?: number, message?: string) => void },
  ): Promise<McpCallToolResult>;
}

export interface McpToolDeps {
  /** Where the approval prompt (mcpServer/elicitation/request) goes: the thread's tool-request broker. */
  readonly broker: ServerRequestBroker;
  /** Tools accepted "for the session" in this thread, by `server/tool` (0.169 stops asking for them). */
  readonly approvedForSession: Set<string>;
  /**
   * An "always" answer: 0.169 writes `approval_mode = "approve"` for the tool to config.toml, so later
   * sessions run it unasked too. Failing to write is reported by the callee; the session remembers it either way.
   */
  readonly approveAlways?: (server: string, tool: string) => Promise<void>;
  /** `tool_output_token_limit` from config, if set. */
  readonly toolOutputTokenLimit?: number | null;
}

type PolicyKind = "untrusted" | "on-request" | "never" | "granular";

function policyKind(policy: ToolContext["settings"]["approvalPolicy"]): PolicyKind {
  if (typeof policy === "object") return "granular";
  // on-failure (v1) asks where on-request asks.
  return policy === "on-failure" ? "on-request" : policy;
}

function mcpTool(model: McpModelTool & { approvalMode: McpApprovalMode }, source: McpTurnSource, deps: McpToolDeps): Tool {
  const budget = outputBudgetTokens(deps.toolOutputTokenLimit ?? undefined);
  const key = `${model.server}/${model.tool.name}`;
  return {
    name: model.name,
    spec: mcpFunctionSpec(model, { deferred: false }),
    // 0.169 lets read-only tools run beside other calls.
    supportsParallel: model.tool.annotations?.readOnlyHint === true,
    async run(call: ToolCall, ctx: ToolContext) {
      const started = Date.now();
      const parsed = parseMcpArguments(call.input);
      if (!parsed.ok) return functionOutput(call, parsed.error);
      const identity: McpCallIdentity = {
        callId: call.callId,
        server: model.server,
        tool: model.tool.name,
        arguments: parsed.value,
        readOnlyHint: model.tool.annotations?.readOnlyHint ?? null,
      };
      const fail = async (message: string): Promise<ToolOutputContent> => {
        await ctx.items.complete(mcpCallFailed(identity, message, Date.now() - started));
        return mcpErrorOutput(message, Date.now() - started, budget);
      };
      ctx.items.start(mcpCallStarted(identity), () => mcpCallFailed(identity, "aborted", Date.now() - started));
      const decision = mcpApprovalDecision({
        approvalPolicy: policyKind(ctx.settings.approvalPolicy),
        sandbox: ctx.settings.sandboxWire.type,
        mode: model.approvalMode,
        annotations: model.tool.annotations,
        approvedForSession: deps.approvedForSession.has(key),
      });
      if (decision.kind === "reject") return { type: "function_call_output", call_id: call.callId, output: await fail(decision.message) };
      if (decision.kind === "ask") {
        const params = mcpApprovalRequestParams({
          threadId: ctx.thread.id,
          turnId: ctx.turnId,
          server: model.server,
          tool: model.tool,
          arguments: parsed.value,
          persist: decision.persist,
        });
        const answer = await deps.broker.ask(ctx.thread, "mcpServer/elicitation/request", params, ctx.signal);
        if (answer.kind === "aborted") throw new TurnCancelled();
        const verdict = answer.kind === "answered" ? mcpApprovalAnswer(answer.result) : mcpApprovalAnswer(null);
        if (verdict.kind === "decline") return { type: "function_call_output", call_id: call.callId, output: await fail(verdict.message) };
        if (verdict.persist !== null) deps.approvedForSession.add(key);
        if (verdict.persist === "always") await deps.approveAlways?.(model.server, model.tool.name);
      }
      try {
        const result = resultForModel(
          await source.callTool(model.server, model.tool.name, parsed.value, {
            signal: ctx.signal,
            onProgress: (progress, total, message) =>
              ctx.items.delta("item/mcpToolCall/progress", { itemId: call.callId, message: mcpProgressMessage(progress, total, message) }),
          }),
        );
        const wall = Date.now() - started;
        await ctx.items.complete(mcpCallCompleted(identity, result, wall));
        return { type: "function_call_output", call_id: call.callId, output: mcpResultOutput(result, wall, budget) };
      } catch (error) {
        return { type: "function_call_output", call_id: call.callId, output: await fail(error instanceof Error ? error.message : String(error)) };
      }
    },
  };
}

/** The turn's MCP tools from the thread's connected servers, as they are now. */
export function mcpTurnTools(source: McpTurnSource, deps: McpToolDeps): McpTurnTools {
  const offered = source.tools();
  const modeOf = new Map(offered.map((t) => [`${t.server}/${t.tool.name}`, t.approvalMode]));
  const named = modelToolNames(offered);
  const tools: NamespacedTool[] = named.map((m) => ({
    namespace: m.namespace,
    name: m.name,
    tool: mcpTool({ ...m, approvalMode: modeOf.get(`${m.server}/${m.tool.name}`) ?? "auto" }, source, deps),
  }));
  const budgetTokens = outputBudgetTokens(deps.toolOutputTokenLimit ?? undefined);
  return { tools, resourceTools: mcpResourceTools(source, { budgetTokens }), deferred: mcpDeferredEntries(named), upFront: mcpNamespaceSpecs(named) };
}
