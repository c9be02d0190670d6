// The v1 projection of a thread's event stream: 0.80's `codex/event/<type>` messages (EventMsg) from
// the same events the v2 subscribers get, plus the detail the engine attaches (eventDetail.ts). One
// projector per thread, created when its first v1 listener subscribes; each event is projected once
// and the result sent to every v1 listener. Shapes follow 0.80 as observed (snake_case fields,
// base64 output chunks, `turn_id` = the turn's id).
import type { ThreadItem, Turn, TurnError, UserInput } from "../../../protocol/v2/index.js";
import type { EventDetail, ExecApprovalRequestedEvent, PatchApprovalRequestedEvent } from "./eventDetail.js";
import { parsedCmdOf, snake, userMessageEvent, v1ErrorInfo, v1FileChanges, type V1FileChange } from "./v1Shapes.js";

/** One EventMsg and the turn it belongs to ("" for thread-level events, as 0.80 sends mcp_startup_complete). */
export interface V1Event {
  readonly id: string;
  readonly msg: { readonly type: string } & Record<string, unknown>;
}

type Item = ThreadItem & Record<string, unknown>;
/** The items 0.80 had events for; the others (MCP calls, images, review markers, …) it shows nothing of. */
const SHOWN = ["userMessage", "agentMessage", "reasoning", "webSearch", "commandExecution", "fileChange", "mcpToolCall"] as const;
type ShownItem = Extract<ThreadItem, { type: (typeof SHOWN)[number] }>;
const isShown = (item: ThreadItem): item is ShownItem => (SHOWN as readonly string[]).includes(item.type);
type CommandItem = Extract<ThreadItem, { type: "commandExecution" }>;
type FileChangeItem = Extract<ThreadItem, { type: "fileChange" }>;

function v1UserInput(input: readonly UserInput[]): unknown[] {
  const out: unknown[] = [];
  for (const i of input) {
    if (i.type === "text") out.push({ type: "text", text: i.text });
    else if (i.type === "image" && "url" in i) out.push({ type: "image", image_url: i.url });
    else if (i.type === "localImage") out.push({ type: "local_image", path: i.path });
    else if (i.type === "skill") out.push({ type: "skill", name: i.name, path: i.path });
  }
  return out;
}

const execSource = (source: CommandItem["source"]): string => (source ? snake(source) : "agent");

function duration(ms: number | null): { secs: number; nanos: number } {
  const total = Math.max(0, ms ?? 0);
  return { secs: Math.floor(total / 1000), nanos: (total % 1000) * 1_000_000 };
}

interface Params {
  readonly threadId: string;
  readonly turnId?: string;
  readonly itemId?: string;
  readonly item?: Item;
  readonly delta?: string;
  readonly summaryIndex?: number;
  readonly contentIndex?: number;
}

/** Gatehouse reads no rate limits from a provider; 0.80 sends this same empty snapshot without them [obs]. */
const NO_RATE_LIMITS = { primary: null, secondary: null, credits: null, plan_type: null };

export class V1Projector {
  private mcpStartupSent = false;
  /** fileChange items started but not yet announced: 0.80's patch_apply_begin says whether the patch was approved without asking. */
  private readonly patchesNotBegun = new Map<string, FileChangeItem>();
  /** Argv of each command item begun, for its end event when its completion carries none. */
  private readonly argvOf = new Map<string, readonly string[]>();

  project(method: string, params: unknown, detail: EventDetail | undefined): V1Event[] {
    const p = params as Params;
    const turnId = p.turnId ?? "";
    const ev = (msg: V1Event["msg"], id = turnId): V1Event => ({ id, msg });
    switch (method) {
      case "turn/started": {
        const turn = (params as { turn: Turn }).turn;
        const out: V1Event[] = [];
        if (!this.mcpStartupSent && !detail?.mcpStartupLater) {
          this.mcpStartupSent = true;
          out.push(ev({ type: "mcp_startup_complete", ready: [], failed: [], cancelled: [] }, ""));
        }
        out.push(ev({ type: "task_started", model_context_window: detail?.modelContextWindow ?? null }, turn.id));
        return out;
      }
      case "item/started":
        return this.itemStarted(p.item!, turnId, p.threadId, detail);
      case "item/completed":
        return this.itemCompleted(p.item!, turnId, p.threadId, detail);
      case "item/agentMessage/delta":
        return [
          ev({ type: "agent_message_content_delta", thread_id: p.threadId, turn_id: turnId, item_id: p.itemId, delta: p.delta }),
          ev({ type: "agent_message_delta", delta: p.delta }),
        ];
      case "item/reasoning/summaryPartAdded":
        return [ev({ type: "agent_reasoning_section_break", item_id: p.itemId, summary_index: p.summaryIndex })];
      case "item/reasoning/summaryTextDelta":
        return [
          ev({ type: "reasoning_content_delta", thread_id: p.threadId, turn_id: turnId, item_id: p.itemId, delta: p.delta, summary_index: p.summaryIndex }),
          ev({ type: "agent_reasoning_delta", delta: p.delta }),
        ];
      case "item/reasoning/textDelta":
        return [
          ev({ type: "reasoning_raw_content_delta", thread_id: p.threadId, turn_id: turnId, item_id: p.itemId, delta: p.delta, content_index: p.contentIndex }),
          ev({ type: "agent_reasoning_raw_content_delta", delta: p.delta }),
        ];
      case "item/commandExecution/outputDelta":
        return [
          ev({
            type: "exec_command_output_delta",
            call_id: p.itemId,
            stream: detail?.stream ?? "stdout",
            chunk: Buffer.from(p.delta ?? "", "utf8").toString("base64"),
          }),
        ];
      case "turn/diff/updated":
        return [ev({ type: "turn_diff", unified_diff: (params as { diff: string }).diff })];
      case "turn/plan/updated": {
        const { explanation, plan } = params as { explanation: string | null; plan: { step: string; status: string }[] };
        return [ev({ type: "plan_update", explanation, plan: plan.map((s) => ({ step: s.step, status: snake(s.status) })) })];
      }
      case "thread/tokenUsage/updated":
        return [ev({ type: "token_count", info: this.tokenInfo(params), rate_limits: NO_RATE_LIMITS })];
      case "thread/compacted":
        return [ev({ type: "context_compacted" })];
      case "warning":
        return [ev({ type: "warning", message: (params as { message: string }).message })];
      case "error": {
        const { error, willRetry } = params as { error: TurnError; willRetry: boolean };
        return willRetry
          ? [
              ev({
                type: "stream_error",
                message: error.message,
                codex_error_info: v1ErrorInfo(error.codexErrorInfo),
                additional_details: error.additionalDetails ?? null,
              }),
            ]
          : [ev({ type: "error", message: error.message, codex_error_info: v1ErrorInfo(error.codexErrorInfo) })];
      }
      case "turn/completed": {
        const turn = (params as { turn: Turn }).turn;
        if (turn.status === "interrupted") return [ev({ type: "turn_aborted", reason: "interrupted" }, turn.id)];
        // 0.80 ends a failed turn with task_complete too, after its error event [obs].
        return [ev({ type: "task_complete", last_agent_message: detail?.lastAgentMessage ?? lastAgentText(turn) }, turn.id)];
      }
      case "engine/mcpStartupComplete": {
        if (this.mcpStartupSent) return [];
        this.mcpStartupSent = true;
        const m = detail?.mcpStartup;
        return [ev({ type: "mcp_startup_complete", ready: [...(m?.ready ?? [])], failed: [...(m?.failed ?? [])], cancelled: [...(m?.cancelled ?? [])] }, "")];
      }
      case "engine/execApprovalRequested": {
        const r = params as ExecApprovalRequestedEvent;
        return [
          ev(
            {
              type: "exec_approval_request",
              call_id: r.itemId,
              turn_id: r.turnId,
              command: [...r.argv],
              cwd: r.cwd,
              reason: r.reason,
              proposed_execpolicy_amendment: r.proposedAmendment ? [...r.proposedAmendment] : null,
              parsed_cmd: parsedCmdOf(r.commandActions),
            },
            r.turnId,
          ),
        ];
      }
      case "engine/patchApprovalRequested": {
        const r = params as PatchApprovalRequestedEvent;
        const out = this.beginPatch(r.itemId, r.turnId, false);
        const changes = out.length > 0 ? (out[0]!.msg["changes"] as Record<string, V1FileChange>) : {};
        out.push(
          ev({ type: "apply_patch_approval_request", call_id: r.itemId, turn_id: r.turnId, changes, reason: r.reason, grant_root: r.grantRoot }, r.turnId),
        );
        return out;
      }
      default:
        return [];
    }
  }

  private tokenInfo(params: unknown): unknown {
    const usage = (params as { tokenUsage?: { total: TokenBreakdown; last: TokenBreakdown; modelContextWindow: number | null } }).tokenUsage;
    if (!usage) return null;
    return { total_token_usage: tokens(usage.total), last_token_usage: tokens(usage.last), model_context_window: usage.modelContextWindow };
  }

  private itemStarted(item: Item, turnId: string, threadId: string, detail: EventDetail | undefined): V1Event[] {
    const ev = (msg: V1Event["msg"]): V1Event => ({ id: turnId, msg });
    if (!isShown(item)) return [];
    switch (item.type) {
      case "userMessage":
      case "agentMessage":
      case "reasoning":
      case "webSearch":
        return [ev({ type: "item_started", thread_id: threadId, turn_id: turnId, item: turnItem(item, false) })];
      case "commandExecution": {
        const argv = detail?.argv ?? [item.command];
        this.argvOf.set(item.id, argv);
        return [
          ev({
            type: "exec_command_begin",
            call_id: item.id,
            turn_id: turnId,
            command: [...argv],
            cwd: item.cwd,
            parsed_cmd: parsedCmdOf(item.commandActions),
            source: execSource(item.source),
            process_id: item.processId,
          }),
        ];
      }
      case "fileChange":
        this.patchesNotBegun.set(item.id, item);
        return [];
      case "mcpToolCall":
        return [ev({ type: "mcp_tool_call_begin", call_id: item.id, invocation: invocation(item) })];
    }
  }

  private beginPatch(itemId: string, turnId: string, autoApproved: boolean): V1Event[] {
    const item = this.patchesNotBegun.get(itemId);
    if (!item) return [];
    this.patchesNotBegun.delete(itemId);
    return [
      { id: turnId, msg: { type: "patch_apply_begin", call_id: item.id, turn_id: turnId, auto_approved: autoApproved, changes: v1FileChanges(item.changes) } },
    ];
  }

  private itemCompleted(item: Item, turnId: string, threadId: string, detail: EventDetail | undefined): V1Event[] {
    const ev = (msg: V1Event["msg"]): V1Event => ({ id: turnId, msg });
    if (!isShown(item)) return [];
    switch (item.type) {
      case "userMessage":
        return [ev({ type: "item_completed", thread_id: threadId, turn_id: turnId, item: turnItem(item, true) }), ev(userMessageEvent(item.content))];
      case "agentMessage":
        return [
          ev({ type: "item_completed", thread_id: threadId, turn_id: turnId, item: turnItem(item, true) }),
          ev({ type: "agent_message", message: item.text }),
        ];
      case "reasoning":
        return [
          ev({ type: "item_completed", thread_id: threadId, turn_id: turnId, item: turnItem(item, true) }),
          ...(item.summary ?? []).map((text) => ev({ type: "agent_reasoning", text })),
          ...(item.content ?? []).map((text) => ev({ type: "agent_reasoning_raw_content", text })),
        ];
      case "webSearch":
        return [ev({ type: "item_completed", thread_id: threadId, turn_id: turnId, item: turnItem(item, true) })];
      case "commandExecution": {
        const argv = detail?.argv ?? this.argvOf.get(item.id) ?? [item.command];
        this.argvOf.delete(item.id);
        const aggregated = item.aggregatedOutput ?? "";
        return [
          ev({
            type: "exec_command_end",
            call_id: item.id,
            turn_id: turnId,
            command: [...argv],
            cwd: item.cwd,
            parsed_cmd: parsedCmdOf(item.commandActions),
            source: execSource(item.source),
            process_id: item.processId,
            stdout: detail?.stdout ?? "",
            stderr: detail?.stderr ?? "",
            aggregated_output: aggregated,
            exit_code: item.exitCode ?? -1,
            duration: duration(item.durationMs ?? null),
            formatted_output: aggregated,
          }),
        ];
      }
      case "mcpToolCall":
        return [
          ev({
            type: "mcp_tool_call_end",
            call_id: item.id,
            invocation: invocation(item),
            duration: duration(item.durationMs ?? null),
            result: item.result
              ? {
                  Ok: {
                    content: item.result.content,
                    ...(item.result.structuredContent != null ? { structuredContent: item.result.structuredContent } : {}),
                    ...(item.status === "failed" ? { isError: true } : {}),
                  },
                }
              : { Err: item.error?.message ?? "failed" },
          }),
        ];
      case "fileChange": {
        // Applied without asking: its begin is announced now, just before its end.
        const out = this.beginPatch(item.id, turnId, true);
        if (item.status === "declined") return out;
        out.push(
          ev({
            type: "patch_apply_end",
            call_id: item.id,
            turn_id: turnId,
            stdout: detail?.stdout ?? "",
            stderr: detail?.stderr ?? "",
            success: item.status === "completed",
            changes: v1FileChanges(item.changes),
          }),
        );
        return out;
      }
    }
  }
}

interface TokenBreakdown {
  totalTokens: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  reasoningOutputTokens: number;
}

function tokens(t: TokenBreakdown): Record<string, number> {
  return {
    input_tokens: t.inputTokens,
    cached_input_tokens: t.cachedInputTokens,
    output_tokens: t.outputTokens,
    reasoning_output_tokens: t.reasoningOutputTokens,
    total_tokens: t.totalTokens,
  };
}

type McpItem = Extract<ThreadItem, { type: "mcpToolCall" }>;
const invocation = (item: McpItem) => ({ server: item.server, tool: item.tool, arguments: item.arguments ?? null });

function lastAgentText(turn: Turn): string | null {
  const last = [...turn.items].reverse().find((i) => i.type === "agentMessage");
  return last && last.type === "agentMessage" ? last.text : null;
}

/** 0.80's TurnItem for the item kinds it has one for. */
function turnItem(item: ShownItem, completed: boolean): unknown {
  switch (item.type) {
    case "userMessage":
      return { type: "UserMessage", id: item.id, content: v1UserInput(item.content) };
    case "agentMessage":
      return { type: "AgentMessage", id: item.id, content: completed || item.text ? [{ type: "Text", text: item.text }] : [] };
    case "reasoning":
      return { type: "Reasoning", id: item.id, summary_text: item.summary, raw_content: item.content };
    case "webSearch":
      return { type: "WebSearch", id: item.id, query: item.query };
    case "commandExecution":
    case "fileChange":
    case "mcpToolCall":
      return null;
  }
}
