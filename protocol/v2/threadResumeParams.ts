// threadResumeParams: thread/resume's params, whose history items (ResponseItem) are most of what the thread
// requests' params would build: a module of their own, so a first thread/start does not build them. Field for
// field as the reference (codex-cli 0.169.0); thread.ts re-exports these. Why apart: see sharedParams.ts.
import * as z from "zod";
import { byThread, requestHead, type RequestHeadTable } from "../define.js";
import { AbsolutePathBuf } from "./paths.js";
import {
  ApprovalsReviewer,
  AskForApproval,
  FunctionCallOutputBody,
  ImageDetail,
  MessagePhase,
  Personality,
  ReasoningEffort,
  SandboxMode,
  TurnItemsView,
} from "./sharedParams.js";
import { SortDirection } from "./threadParams.js";

export const AgentMessageInputContent = z
  .discriminatedUnion("type", [
    z.object({
      text: z.string(),
      type: z.literal("input_text"),
    }),
    z.object({
      encrypted_content: z.string(),
      type: z.literal("encrypted_content"),
    }),
  ])
  .register(z.globalRegistry, { id: "AgentMessageInputContent" });
export type AgentMessageInputContent = z.infer<typeof AgentMessageInputContent>;

/** Reasoning settings interpreted by the backend for the routed model. */
export const ConfigurationReasoning = z
  .object({
    effort: ReasoningEffort,
  })
  .register(z.globalRegistry, { id: "ConfigurationReasoning" });
export type ConfigurationReasoning = z.infer<typeof ConfigurationReasoning>;

export const ContentItem = z
  .union([
    z.object({
      text: z.string(),
      type: z.literal("input_text"),
    }),
    z.intersection(
      z.object({
        detail: ImageDetail.nullish(),
        type: z.literal("input_image"),
      }),
      z.union([
        z.object({
          image_url: z.string(),
        }),
        z.object({
          file_id: z.string(),
        }),
      ]),
    ),
    z.intersection(
      z.object({
        type: z.literal("input_audio"),
      }),
      z.union([
        z.object({
          audio_url: z.string(),
        }),
        z.object({
          file_id: z.string(),
        }),
      ]),
    ),
    z.object({
      annotations: z.array(z.unknown()).nullish(),
      logprobs: z.array(z.unknown()).nullish(),
      text: z.string(),
      type: z.literal("output_text"),
    }),
  ])
  .register(z.globalRegistry, { id: "ContentItem" });
export type ContentItem = z.infer<typeof ContentItem>;

/** Internal Responses API passthrough metadata copied into underlying chat messages.
 *
 * Responses API strongly types this payload. Do not modify it without first getting API approval and making the corresponding Responses API change. */
export const InternalChatMessageMetadataPassthrough = z
  .object({
    turn_id: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "InternalChatMessageMetadataPassthrough" });
export type InternalChatMessageMetadataPassthrough = z.infer<typeof InternalChatMessageMetadataPassthrough>;

export const LocalShellAction = z
  .object({
    command: z.array(z.string()),
    env: z.record(z.string(), z.string()).nullish(),
    timeout_ms: z.int().min(0).nullish(),
    type: z.literal("exec"),
    user: z.string().nullish(),
    working_directory: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "LocalShellAction" });
export type LocalShellAction = z.infer<typeof LocalShellAction>;

export const LocalShellStatus = z.enum(["completed", "in_progress", "incomplete"]).register(z.globalRegistry, { id: "LocalShellStatus" });
export type LocalShellStatus = z.infer<typeof LocalShellStatus>;

export const ReasoningItemContent = z
  .discriminatedUnion("type", [
    z.object({
      text: z.string(),
      type: z.literal("reasoning_text"),
    }),
    z.object({
      text: z.string(),
      type: z.literal("text"),
    }),
  ])
  .register(z.globalRegistry, { id: "ReasoningItemContent" });
export type ReasoningItemContent = z.infer<typeof ReasoningItemContent>;

export const ReasoningItemReasoningSummary = z
  .object({
    text: z.string(),
    type: z.literal("summary_text"),
  })
  .register(z.globalRegistry, { id: "ReasoningItemReasoningSummary" });
export type ReasoningItemReasoningSummary = z.infer<typeof ReasoningItemReasoningSummary>;

export const ResponsesApiWebSearchAction = z
  .discriminatedUnion("type", [
    z.object({
      queries: z.array(z.string()).nullish(),
      query: z.string().nullish(),
      type: z.literal("search"),
    }),
    z.object({
      type: z.literal("open_page"),
      url: z.string().nullish(),
    }),
    z.object({
      pattern: z.string().nullish(),
      type: z.literal("find_in_page"),
      url: z.string().nullish(),
    }),
    z.object({
      type: z.literal("other"),
    }),
  ])
  .register(z.globalRegistry, { id: "ResponsesApiWebSearchAction" });
export type ResponsesApiWebSearchAction = z.infer<typeof ResponsesApiWebSearchAction>;

export const ResponseItem = z
  .discriminatedUnion("type", [
    z.object({
      id: z.string().nullish(),
      role: z.string(),
      tools: z.array(z.unknown()),
      type: z.literal("additional_tools"),
    }),
    z.object({
      content: z.array(ContentItem),
      encrypted_content: z.string().nullish(),
      id: z.string().nullish(),
      internal_chat_message_metadata_passthrough: InternalChatMessageMetadataPassthrough.nullish(),
      phase: MessagePhase.nullish(),
      role: z.string(),
      status: z.string().nullish(),
      type: z.literal("message"),
    }),
    z.object({
      author: z.string(),
      content: z.array(AgentMessageInputContent),
      id: z.string().nullish(),
      internal_chat_message_metadata_passthrough: InternalChatMessageMetadataPassthrough.nullish(),
      recipient: z.string(),
      type: z.literal("agent_message"),
    }),
    z.object({
      content: z.array(ReasoningItemContent).nullish(),
      encrypted_content: z.string().nullish(),
      id: z.string().nullish(),
      internal_chat_message_metadata_passthrough: InternalChatMessageMetadataPassthrough.nullish(),
      summary: z.array(ReasoningItemReasoningSummary),
      type: z.literal("reasoning"),
    }),
    z.object({
      action: LocalShellAction,
      /** Set when using the Responses API. */
      call_id: z.string().nullish(),
      encrypted_content: z.string().nullish(),
      /** Legacy id field retained for compatibility with older payloads. */
      id: z.string().nullish(),
      internal_chat_message_metadata_passthrough: InternalChatMessageMetadataPassthrough.nullish(),
      status: LocalShellStatus,
      type: z.literal("local_shell_call"),
    }),
    z.object({
      arguments: z.string(),
      call_id: z.string(),
      encrypted_content: z.string().nullish(),
      encrypted_function_args: z.array(z.string()).nullish(),
      id: z.string().nullish(),
      internal_chat_message_metadata_passthrough: InternalChatMessageMetadataPassthrough.nullish(),
      name: z.string(),
      namespace: z.string().nullish(),
      status: z.string().nullish(),
      type: z.literal("function_call"),
    }),
    z.object({
      arguments: z.unknown(),
      call_id: z.string().nullish(),
      encrypted_content: z.string().nullish(),
      execution: z.string(),
      id: z.string().nullish(),
      internal_chat_message_metadata_passthrough: InternalChatMessageMetadataPassthrough.nullish(),
      status: z.string().nullish(),
      type: z.literal("tool_search_call"),
    }),
    z.object({
      call_id: z.string().nullish(),
      id: z.string().nullish(),
      internal_chat_message_metadata_passthrough: InternalChatMessageMetadataPassthrough.nullish(),
      name: z.string().nullish(),
      namespace: z.string().nullish(),
      output: FunctionCallOutputBody,
      type: z.literal("function_call_output"),
    }),
    z.object({
      call_id: z.string(),
      encrypted_content: z.string().nullish(),
      id: z.string().nullish(),
      input: z.string(),
      internal_chat_message_metadata_passthrough: InternalChatMessageMetadataPassthrough.nullish(),
      name: z.string(),
      namespace: z.string().nullish(),
      status: z.string().nullish(),
      type: z.literal("custom_tool_call"),
    }),
    z.object({
      call_id: z.string(),
      id: z.string().nullish(),
      internal_chat_message_metadata_passthrough: InternalChatMessageMetadataPassthrough.nullish(),
      name: z.string().nullish(),
      output: FunctionCallOutputBody,
      type: z.literal("custom_tool_call_output"),
    }),
    z.object({
      call_id: z.string().nullish(),
      execution: z.string(),
      id: z.string().nullish(),
      internal_chat_message_metadata_passthrough: InternalChatMessageMetadataPassthrough.nullish(),
      status: z.string(),
      tools: z.array(z.unknown()),
      type: z.literal("tool_search_output"),
    }),
    z.object({
      action: ResponsesApiWebSearchAction.nullish(),
      encrypted_content: z.string().nullish(),
      id: z.string().nullish(),
      internal_chat_message_metadata_passthrough: InternalChatMessageMetadataPassthrough.nullish(),
      status: z.string().nullish(),
      type: z.literal("web_search_call"),
    }),
    z.object({
      encrypted_content: z.string().nullish(),
      id: z.string().nullish(),
      internal_chat_message_metadata_passthrough: InternalChatMessageMetadataPassthrough.nullish(),
      result: z.string(),
      revised_prompt: z.string().nullish(),
      status: z.string(),
      type: z.literal("image_generation_call"),
    }),
    z.object({
      encrypted_content: z.string(),
      id: z.string().nullish(),
      internal_chat_message_metadata_passthrough: InternalChatMessageMetadataPassthrough.nullish(),
      type: z.literal("compaction"),
    }),
    z.object({
      reasoning: ConfigurationReasoning,
      type: z.literal("configuration_update"),
    }),
    z.object({
      type: z.literal("compaction_trigger"),
    }),
    z.object({
      encrypted_content: z.string().nullish(),
      id: z.string().nullish(),
      internal_chat_message_metadata_passthrough: InternalChatMessageMetadataPassthrough.nullish(),
      type: z.literal("context_compaction"),
    }),
    z.object({
      type: z.literal("other"),
    }),
  ])
  .register(z.globalRegistry, { id: "ResponseItem" });
export type ResponseItem = z.infer<typeof ResponseItem>;

export const ThreadResumeInitialTurnsPageParams = z
  .object({
    /** How much item detail to include for each returned turn; defaults to summary. */
    itemsView: TurnItemsView.nullish(),
    /** Optional turn page size. */
    limit: z.int().min(0).nullish(),
    /** Optional turn pagination direction; defaults to descending. */
    sortDirection: SortDirection.nullish(),
  })
  .register(z.globalRegistry, { id: "ThreadResumeInitialTurnsPageParams" });
export type ThreadResumeInitialTurnsPageParams = z.infer<typeof ThreadResumeInitialTurnsPageParams>;

/** There are three ways to resume a thread: 1. By thread_id: load the thread from disk by thread_id and resume it. 2. By history: instantiate the thread from memory and resume it. 3. By path: load the thread from disk by path and resume it.
 *
 * For non-running threads, the precedence is: history > non-empty path > thread_id. If using history or a non-empty path for a non-running thread, the thread_id param will be ignored.
 *
 * If thread_id identifies a running thread, app-server rejoins that thread and treats a non-empty path as a consistency check against the active rollout path. Empty string path values are treated as absent.
 *
 * Prefer using thread_id whenever possible. */
export const ThreadResumeParams = z
  .object({
    approvalPolicy: AskForApproval.nullish(),
    /** Override where approval requests are routed for review on this thread and subsequent turns. */
    approvalsReviewer: ApprovalsReviewer.nullish(),
    baseInstructions: z.string().nullish(),
    config: z.record(z.string(), z.unknown()).nullish(),
    cwd: z.string().nullish(),
    developerInstructions: z.string().nullish(),
    /** When true, return only thread metadata and live-resume state without populating `thread.turns`. This is useful when the client plans to call `thread/turns/list` immediately after resuming. Full-history hydration is deprecated for paginated threads; use this with `thread/turns/list` and `thread/items/list` instead. */
    excludeTurns: z.boolean().optional(),
    /** [UNSTABLE] FOR CODEX CLOUD - DO NOT USE. If specified, the thread will be resumed with the provided history instead of loaded from disk. */
    history: z.array(ResponseItem).nullish().meta({ experimental: true }),
    /** When present, include a `thread/turns/list` page in the resume response so clients can bootstrap recent turns without a second request. */
    initialTurnsPage: ThreadResumeInitialTurnsPageParams.nullish().meta({ experimental: true }),
    /** Configuration overrides for the resumed thread, if any. */
    model: z.string().nullish(),
    modelProvider: z.string().nullish(),
    /** [UNSTABLE] Specify the rollout path to resume from. If specified for a non-running thread, the thread_id param will be ignored. If thread_id identifies a running thread, the path must match the active rollout path. */
    path: z.string().nullish().meta({ experimental: true }),
    /** Named profile id for the resumed thread. Cannot be combined with `sandbox`. */
    permissions: z.string().nullish().meta({ experimental: true }),
    /** @deprecated `friendly` and `pragmatic` no longer select a style. Changing this does not rewrite the thread's existing instructions. */
    personality: Personality.nullish(),
    /** Replace the thread's runtime workspace roots. Paths must be absolute. */
    runtimeWorkspaceRoots: z.array(AbsolutePathBuf).nullish().meta({ experimental: true }),
    sandbox: SandboxMode.nullish(),
    serviceTier: z.string().nullish(),
    threadId: z.string(),
  })
  .register(z.globalRegistry, { id: "ThreadResumeParams" });
export type ThreadResumeParams = z.infer<typeof ThreadResumeParams>;

/** What dispatching each of these requests needs (define.ts, RequestHead); the full rows add their results. */
export const threadResumeRequestHeads = {
  "thread/resume": requestHead(ThreadResumeParams, { scope: byThread }),
} as const satisfies RequestHeadTable;
