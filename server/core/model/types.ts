// The Responses wire vocabulary shared by the model client, the turn engine's history and the rollout
// store (rollout `response_item` payloads): one ResponseItem is exactly the JSON the Responses API streams in
// `response.output_item.done` and takes back in `input`. The schemas are loose objects on purpose:
// items are echoed back to the model verbatim (reasoning `encrypted_content`, message `status`, output
// `annotations`, fields newer providers add), so whatever we do not model must survive a round trip.
import * as z from "zod";

export const InputTextContent = z.looseObject({ type: z.literal("input_text"), text: z.string() });
export const InputImageContent = z.looseObject({ type: z.literal("input_image"), image_url: z.string() });
export const OutputTextContent = z.looseObject({ type: z.literal("output_text"), text: z.string() });
/** A model may decline instead of answering; the part is kept so the history stays verbatim. */
export const RefusalContent = z.looseObject({ type: z.literal("refusal"), refusal: z.string() });
export const MessageContent = z.discriminatedUnion("type", [InputTextContent, InputImageContent, OutputTextContent, RefusalContent]);
export type MessageContent = z.infer<typeof MessageContent>;

export const MessageItem = z.looseObject({
  type: z.literal("message"),
  /** 0.169 adds `msg_<uuid>` ids to the items it creates; provider items carry their own. */
  id: z.string().optional(),
  role: z.enum(["user", "assistant", "developer", "system"]),
  content: z.array(MessageContent),
});

export const ReasoningSummaryText = z.looseObject({ type: z.literal("summary_text"), text: z.string() });
export const ReasoningContentText = z.looseObject({ type: z.enum(["reasoning_text", "text"]), text: z.string() });

export const ReasoningItem = z.looseObject({
  type: z.literal("reasoning"),
  id: z.string(),
  summary: z.array(ReasoningSummaryText),
  content: z.array(ReasoningContentText).nullish(),
  encrypted_content: z.string().nullish(),
});

export const FunctionCallItem = z.looseObject({
  type: z.literal("function_call"),
  id: z.string().optional(),
  name: z.string(),
  /** A JSON document as a string, exactly as the model produced it (it may not parse). */
  arguments: z.string(),
  call_id: z.string(),
});

/** Tool output as text, or as content items when the tool returns images. */
export const ToolOutputContent = z.union([z.string(), z.array(z.discriminatedUnion("type", [InputTextContent, InputImageContent]))]);
export type ToolOutputContent = z.infer<typeof ToolOutputContent>;

export const FunctionCallOutputItem = z.looseObject({
  type: z.literal("function_call_output"),
  call_id: z.string(),
  output: ToolOutputContent,
});

export const CustomToolCallItem = z.looseObject({
  type: z.literal("custom_tool_call"),
  id: z.string().optional(),
  call_id: z.string(),
  name: z.string(),
  /** Raw freeform input (apply_patch sends the patch text here). */
  input: z.string(),
});

export const CustomToolCallOutputItem = z.looseObject({
  type: z.literal("custom_tool_call_output"),
  call_id: z.string(),
  output: ToolOutputContent,
});

/** codex-mini's built-in shell; `call_id` may be absent on older providers (then `id` names the call). */
export const LocalShellCallItem = z.looseObject({
  type: z.literal("local_shell_call"),
  id: z.string().nullish(),
  call_id: z.string().nullish(),
  status: z.string(),
  action: z.looseObject({
    type: z.literal("exec"),
    command: z.array(z.string()),
    working_directory: z.string().nullish(),
    timeout_ms: z.number().nullish(),
    env: z.record(z.string(), z.string()).nullish(),
    user: z.string().nullish(),
  }),
});

/** Hosted web search: shown to clients, echoed back, never executed by us. */
export const WebSearchCallItem = z.looseObject({
  type: z.literal("web_search_call"),
  id: z.string().nullish(),
  status: z.string().nullish(),
});

/**
 * The model's tool_search request (core/tools/toolSearch.ts): a call of its own kind, not a function
 * call. `arguments` is an object ({query, limit?}); `execution` "client" means we run the search.
 */
export const ToolSearchCallItem = z.looseObject({
  type: z.literal("tool_search_call"),
  id: z.string().nullish(),
  call_id: z.string().nullish(),
  status: z.string().nullish(),
  execution: z.string(),
  arguments: z.unknown(),
});
export type ToolSearchCallItem = z.infer<typeof ToolSearchCallItem>;

/** The answer to a tool_search call: the specs of the tools it found, which the model may call from then on. */
export const ToolSearchOutputItem = z.looseObject({
  type: z.literal("tool_search_output"),
  call_id: z.string().nullish(),
  status: z.string(),
  execution: z.string(),
  tools: z.array(z.unknown()),
});
export type ToolSearchOutputItem = z.infer<typeof ToolSearchOutputItem>;

export const ResponseItem = z.discriminatedUnion("type", [
  MessageItem,
  ReasoningItem,
  FunctionCallItem,
  FunctionCallOutputItem,
  CustomToolCallItem,
  CustomToolCallOutputItem,
  LocalShellCallItem,
  WebSearchCallItem,
  ToolSearchCallItem,
  ToolSearchOutputItem,
]);
export type ResponseItem = z.infer<typeof ResponseItem>;
export type ResponseItemType = ResponseItem["type"];
export type ResponseItemOf<T extends ResponseItemType> = Extract<ResponseItem, { type: T }>;

/** Token counts of one response; assignable to the v2 `TokenUsageBreakdown`. */
export interface TokenUsageBreakdown {
  totalTokens: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  reasoningOutputTokens: number;
}

export interface ReasoningParams {
  effort?: string | null;
  summary?: string | null;
}

/** One sampling request; the client turns it into the request body. */
export interface ModelRequest {
  model: string;
  /** Base instructions; 0.169 sends none (the prompt is a leading developer message), so "" omits the key. */
  instructions: string;
  input: ResponseItem[];
  tools: unknown[];
  /** Defaults to "auto". */
  toolChoice?: unknown;
  parallelToolCalls: boolean;
  /** null or undefined for non-reasoning models: the key is omitted. */
  reasoning?: ReasoningParams | null;
  include: string[];
  /** The thread id, so the provider's prompt cache follows the conversation. */
  promptCacheKey: string;
  text?: unknown;
  threadId: string;
  turnId?: string;
}

export type ModelEvent =
  | { type: "created" }
  | { type: "outputItemAdded"; item: ResponseItem }
  | { type: "outputTextDelta"; itemId: string; delta: string }
  | { type: "reasoningSummaryPartAdded"; itemId: string; summaryIndex: number }
  | { type: "reasoningSummaryTextDelta"; itemId: string; summaryIndex: number; delta: string }
  | { type: "reasoningTextDelta"; itemId: string; contentIndex: number; delta: string }
  | { type: "outputItemDone"; item: ResponseItem }
  | { type: "completed"; responseId: string; usage: TokenUsageBreakdown | null };
