// thread: v2 protocol payloads, field for field as the reference (codex-cli 0.169.0).
// Bootstrapped from the reference JSON Schema by scripts/protocol-from-reference.mjs; maintained by hand since.
// Conventions: optional params fields are .nullish(), optional result fields .nullable()
// and always present; every named type is registered with .register(z.globalRegistry, { id }) so the generated
// schema's definitions match (not .meta({ id }), which builds the schema twice: a clone to register).
import * as z from "zod";
import { byThread, request, type RequestTable } from "../define.js";
import {
  AbsolutePathBuf,
  ApprovalsReviewer,
  AskForApproval,
  CollaborationMode,
  FunctionCallOutputBody,
  ImageDetail,
  LegacyAppPathString,
  MessagePhase,
  MultiAgentMode,
  Personality,
  ReasoningEffort,
  SandboxMode,
  SandboxPolicy,
  ThreadId,
  ThreadItem,
  Turn,
  TurnEnvironmentParams,
  TurnItemsView,
} from "./shared.js";

export const ActivePermissionProfile = z
  .object({
    /** Parent profile identifier from the selected permissions profile's `extends` setting, when present. */
    extends: z.string().nullish(),
    /** Identifier from `default_permissions` or the implicit built-in default, such as `:workspace` or a user-defined `[permissions.<id>]` profile. */
    id: z.string(),
  })
  .register(z.globalRegistry, { id: "ActivePermissionProfile" });
export type ActivePermissionProfile = z.infer<typeof ActivePermissionProfile>;

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

export const AgentPath = z.string().register(z.globalRegistry, { id: "AgentPath" });
export type AgentPath = z.infer<typeof AgentPath>;

/** Location used to resolve a selected capability root. */
export const CapabilityRootLocation = z
  .object({
    environmentId: z.string(),
    /** Absolute path for the root in the selected environment. */
    path: z.string(),
    type: z.literal("environment"),
  })
  .register(z.globalRegistry, { id: "CapabilityRootLocation" });
export type CapabilityRootLocation = z.infer<typeof CapabilityRootLocation>;

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

/** Deprecated: Use `ContextCompaction` item type instead. */
export const ContextCompactedNotification = z
  .object({
    threadId: z.string(),
    turnId: z.string(),
  })
  .register(z.globalRegistry, { id: "ContextCompactedNotification" });
export type ContextCompactedNotification = z.infer<typeof ContextCompactedNotification>;

export const DynamicToolNamespaceTool = z
  .object({
    deferLoading: z.boolean().optional(),
    description: z.string(),
    inputSchema: z.unknown(),
    name: z.string(),
    type: z.literal("function"),
  })
  .register(z.globalRegistry, { id: "DynamicToolNamespaceTool" });
export type DynamicToolNamespaceTool = z.infer<typeof DynamicToolNamespaceTool>;

export const DynamicToolSpec = z
  .discriminatedUnion("type", [
    z.object({
      deferLoading: z.boolean().optional(),
      description: z.string(),
      inputSchema: z.unknown(),
      name: z.string(),
      type: z.literal("function"),
    }),
    z.object({
      description: z.string(),
      name: z.string(),
      tools: z.array(DynamicToolNamespaceTool),
      type: z.literal("namespace"),
    }),
  ])
  .register(z.globalRegistry, { id: "DynamicToolSpec" });
export type DynamicToolSpec = z.infer<typeof DynamicToolSpec>;

export const GitInfo = z
  .object({
    branch: z.string().nullish(),
    originUrl: z.string().nullish(),
    sha: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "GitInfo" });
export type GitInfo = z.infer<typeof GitInfo>;

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

/** A user-selected root that can expose one or more runtime capabilities. */
export const SelectedCapabilityRoot = z
  .object({
    /** Stable identifier supplied by the capability selection platform. */
    id: z.string(),
    /** Where the selected root can be resolved. */
    location: CapabilityRootLocation,
  })
  .register(z.globalRegistry, { id: "SelectedCapabilityRoot" });
export type SelectedCapabilityRoot = z.infer<typeof SelectedCapabilityRoot>;

export const SubAgentSource = z
  .union([
    z.enum(["review", "compact", "memory_consolidation"]),
    z.strictObject({
      thread_spawn: z.object({
        agent_nickname: z.string().nullish(),
        agent_path: AgentPath.nullish(),
        agent_role: z.string().nullish(),
        depth: z.int(),
        parent_thread_id: ThreadId,
      }),
    }),
    z.strictObject({
      other: z.string(),
    }),
  ])
  .register(z.globalRegistry, { id: "SubAgentSource" });
export type SubAgentSource = z.infer<typeof SubAgentSource>;

export const SessionSource = z
  .union([
    z.enum(["cli", "vscode", "exec", "appServer", "unknown"]),
    z.strictObject({
      custom: z.string(),
    }),
    z.strictObject({
      subAgent: SubAgentSource,
    }),
  ])
  .register(z.globalRegistry, { id: "SessionSource" });
export type SessionSource = z.infer<typeof SessionSource>;

export const SortDirection = z.enum(["asc", "desc"]).register(z.globalRegistry, { id: "SortDirection" });
export type SortDirection = z.infer<typeof SortDirection>;

/** An environment selected by a loaded thread, independent of connection status. */
export const ThreadEnvironment = z
  .object({
    cwd: LegacyAppPathString,
    environmentId: z.string(),
    runtimeWorkspaceRoots: z.array(LegacyAppPathString),
  })
  .register(z.globalRegistry, { id: "ThreadEnvironment" });
export type ThreadEnvironment = z.infer<typeof ThreadEnvironment>;

/** Extra app-server data for a thread. */
export const ThreadExtra = z.record(z.string(), z.unknown()).register(z.globalRegistry, { id: "ThreadExtra" });
export type ThreadExtra = z.infer<typeof ThreadExtra>;

export const ThreadHistoryMode = z.enum(["legacy", "paginated"]).register(z.globalRegistry, { id: "ThreadHistoryMode" });
export type ThreadHistoryMode = z.infer<typeof ThreadHistoryMode>;

/** Extensible visual presentation for a custom thread section. */
export const ThreadSectionAppearance = z
  .object({
    color: z.string().nullish(),
    icon: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "ThreadSectionAppearance" });
export type ThreadSectionAppearance = z.infer<typeof ThreadSectionAppearance>;

/** An independently persisted, user-visible thread section. */
export const ThreadSection = z
  .object({
    /** Optional appearance synchronized across clients. */
    appearance: ThreadSectionAppearance.nullish(),
    /** Opaque UUIDv7 identity that remains stable when the section is renamed. */
    id: z.string(),
    /** The current user-visible section name. */
    name: z.string(),
  })
  .register(z.globalRegistry, { id: "ThreadSection" });
export type ThreadSection = z.infer<typeof ThreadSection>;

export const ThreadSource = z.string().register(z.globalRegistry, { id: "ThreadSource" });
export type ThreadSource = z.infer<typeof ThreadSource>;

export const ThreadActiveFlag = z.enum(["waitingOnApproval", "waitingOnUserInput"]).register(z.globalRegistry, { id: "ThreadActiveFlag" });
export type ThreadActiveFlag = z.infer<typeof ThreadActiveFlag>;

export const ThreadStatus = z
  .discriminatedUnion("type", [
    z.object({
      type: z.literal("notLoaded"),
    }),
    z.object({
      type: z.literal("idle"),
    }),
    z.object({
      type: z.literal("systemError"),
    }),
    z.object({
      activeFlags: z.array(ThreadActiveFlag),
      type: z.literal("active"),
    }),
  ])
  .register(z.globalRegistry, { id: "ThreadStatus" });
export type ThreadStatus = z.infer<typeof ThreadStatus>;

export const Thread = z
  .object({
    /** Optional random unique nickname assigned to an AgentControl-spawned sub-agent. */
    agentNickname: z.string().nullish(),
    /** Optional role (agent_role) assigned to an AgentControl-spawned sub-agent. */
    agentRole: z.string().nullish(),
    /** Parent that owns this persisted attached thread, independent of fork or spawn lineage. */
    attachedToThreadId: z.string().nullish().meta({ experimental: true }),
    /** Whether the app server accepts direct turn input for this loaded thread. `None` means the capability is unavailable, such as for an unloaded stored thread. */
    canAcceptDirectInput: z.boolean().nullish().meta({ experimental: true }),
    /** Version of the CLI that created the thread. */
    cliVersion: z.string(),
    /** Unix timestamp (in seconds) when the thread was created. */
    createdAt: z.int(),
    /** Working directory captured for the thread. */
    cwd: AbsolutePathBuf,
    /** Saved Daybreak choice, independent of turn execution. Null if unset. */
    daybreakEnabled: z.boolean().nullish().meta({ experimental: true }),
    /** Current environments for a loaded thread, in priority order, primary first. `null` means the thread is not loaded or the server does not expose its selection. An empty list means no environments are selected. This does not report connection status. */
    environments: z.array(ThreadEnvironment).nullish().meta({ experimental: true }),
    /** Whether the thread is ephemeral and should not be materialized on disk. */
    ephemeral: z.boolean(),
    /** Optional implementation-specific thread data. */
    extra: ThreadExtra.nullish().meta({ experimental: true }),
    /** Source thread id when this thread was created by forking another thread. */
    forkedFromId: z.string().nullish(),
    /** Optional Git metadata captured when the thread was created. */
    gitInfo: GitInfo.nullish(),
    /** Persisted thread history contract selected when this thread was created. */
    historyMode: ThreadHistoryMode.optional(),
    /** Identifier for this thread. Codex-generated thread IDs are UUIDv7. */
    id: z.string(),
    /** Current configured model when loaded, otherwise the latest persisted model. Null when unavailable. This is not per-turn execution telemetry. */
    model: z.string().nullish(),
    /** Model provider used for this thread (for example, 'openai'). */
    modelProvider: z.string(),
    /** Optional user-facing thread title. */
    name: z.string().nullish(),
    /** Originator recorded when the thread was created, independent of its current client or executor. Null when the recorded originator is unavailable. */
    originator: z.string().nullish(),
    /** The ID of the parent thread. This will only be set if this thread is a subagent. */
    parentThreadId: z.string().nullish(),
    /** [UNSTABLE] Path to the thread on disk. */
    path: z.string().nullish(),
    /** Usually the first user message in the thread, if available. */
    preview: z.string(),
    /** Canonical project assignment owned by app-server, if any. */
    projectId: z.string().nullable(),
    /** Current configured reasoning effort when loaded, otherwise the latest persisted effort. Null when unset or unavailable. This is not per-turn execution telemetry. */
    reasoningEffort: ReasoningEffort.nullish(),
    /** Unix timestamp (in seconds) used for thread recency ordering. */
    recencyAt: z.int().nullish(),
    /** The independently persisted section selected for this thread, if any. */
    section: ThreadSection.nullish(),
    /** Unix timestamp in seconds when the thread entered its current section. */
    sectionEnteredAt: z.int().nullish(),
    /** Session id shared by threads that belong to the same session tree. */
    sessionId: z.string(),
    /** Origin of the thread (CLI, VSCode, codex exec, codex app-server, etc.). */
    source: SessionSource,
    /** Current runtime status for the thread. */
    status: ThreadStatus,
    /** Optional analytics source classification for this thread. */
    threadSource: ThreadSource.nullish(),
    /** Only populated on `thread/resume`, `thread/fork`, and `thread/read` (when `includeTurns` is true) responses. For all other responses and notifications returning a Thread, the turns field will be an empty list. */
    turns: z.array(Turn),
    /** Unix timestamp (in seconds) when the thread was last updated. */
    updatedAt: z.int(),
  })
  .register(z.globalRegistry, { id: "Thread" });
export type Thread = z.infer<typeof Thread>;

export const ThreadArchiveParams = z
  .object({
    threadId: z.string(),
  })
  .register(z.globalRegistry, { id: "ThreadArchiveParams" });
export type ThreadArchiveParams = z.infer<typeof ThreadArchiveParams>;

export const ThreadArchiveResponse = z.record(z.string(), z.unknown()).register(z.globalRegistry, { id: "ThreadArchiveResponse" });
export type ThreadArchiveResponse = z.infer<typeof ThreadArchiveResponse>;

export const ThreadArchivedNotification = z
  .object({
    threadId: z.string(),
  })
  .register(z.globalRegistry, { id: "ThreadArchivedNotification" });
export type ThreadArchivedNotification = z.infer<typeof ThreadArchivedNotification>;

export const ThreadClosedNotification = z
  .object({
    threadId: z.string(),
  })
  .register(z.globalRegistry, { id: "ThreadClosedNotification" });
export type ThreadClosedNotification = z.infer<typeof ThreadClosedNotification>;

export const ThreadCompactStartParams = z
  .object({
    threadId: z.string(),
  })
  .register(z.globalRegistry, { id: "ThreadCompactStartParams" });
export type ThreadCompactStartParams = z.infer<typeof ThreadCompactStartParams>;

export const ThreadCompactStartResponse = z.record(z.string(), z.unknown()).register(z.globalRegistry, { id: "ThreadCompactStartResponse" });
export type ThreadCompactStartResponse = z.infer<typeof ThreadCompactStartResponse>;

export const ThreadDeleteParams = z
  .object({
    threadId: z.string(),
  })
  .register(z.globalRegistry, { id: "ThreadDeleteParams" });
export type ThreadDeleteParams = z.infer<typeof ThreadDeleteParams>;

export const ThreadDeleteResponse = z.record(z.string(), z.unknown()).register(z.globalRegistry, { id: "ThreadDeleteResponse" });
export type ThreadDeleteResponse = z.infer<typeof ThreadDeleteResponse>;

export const ThreadDeletedNotification = z
  .object({
    threadId: z.string(),
  })
  .register(z.globalRegistry, { id: "ThreadDeletedNotification" });
export type ThreadDeletedNotification = z.infer<typeof ThreadDeletedNotification>;

/** There are two ways to fork a thread: 1. By thread_id: load the thread from disk by thread_id and fork it into a new thread. 2. By path: load the thread from disk by path and fork it into a new thread.
 *
 * If using a non-empty path, the thread_id param will be ignored. Empty string path values are treated as absent.
 *
 * Prefer using thread_id whenever possible. */
export const ThreadForkParams = z
  .object({
    approvalPolicy: AskForApproval.nullish(),
    /** Override where approval requests are routed for review on this thread and subsequent turns. */
    approvalsReviewer: ApprovalsReviewer.nullish(),
    /** Persist the fork as an attached thread of its resolved source, hidden from ordinary lists. The source cannot be deleted while attached threads exist. Requires a paginated source and local storage; incompatible with ephemeral and deferGoalContinuation. Omitted or false creates an ordinary fork. */
    attachToSource: z.boolean().optional().meta({ experimental: true }),
    baseInstructions: z.string().nullish(),
    /** Optional turn id to fork before, excluding that turn and all later turns. Cannot be combined with `last_turn_id`. */
    beforeTurnId: z.string().nullish().meta({ experimental: true }),
    config: z.record(z.string(), z.unknown()).nullish(),
    cwd: z.string().nullish(),
    /** When true, carry the source thread's current goal into the fork without starting its initial automatic continuation. The next explicit turn owns the goal lifecycle, and normal automatic continuation resumes after it. */
    deferGoalContinuation: z.boolean().optional().meta({ experimental: true }),
    developerInstructions: z.string().nullish(),
    ephemeral: z.boolean().optional(),
    /** When true, return only thread metadata and live fork state without populating `thread.turns`. This is useful when the client plans to call `thread/turns/list` immediately after forking. Full-history hydration is deprecated for paginated threads; use this with `thread/turns/list` and `thread/items/list` instead. */
    excludeTurns: z.boolean().optional(),
    /** Disable MCP servers in prediction mode when the inherited window uses incremental tools on Responses Lite. Requires `experimentalPredictionMode: true`. */
    experimentalDisablePredictionMcp: z.boolean().optional().meta({ experimental: true }),
    /** Start from the loaded parent's effective config, tools, environments, and persisted history to maximize prompt-cache reuse. Requires a loaded, persisted parent and `ephemeral: true`. Enables `features.reasoning_effort_override` on the fork. Only `config.thread_unload_delay_secs` may override the inherited config. Cannot be combined with `path`, `lastTurnId`, or `beforeTurnId`. */
    experimentalPredictionMode: z.boolean().optional().meta({ experimental: true }),
    /** Optional last turn id to fork through, inclusive.
     *
     * When specified, turns after `last_turn_id` are omitted from the fork. The referenced turn cannot be in progress. */
    lastTurnId: z.string().nullish(),
    /** Configuration overrides for the forked thread, if any. */
    model: z.string().nullish(),
    modelProvider: z.string().nullish(),
    /** [UNSTABLE] Specify the rollout path to fork from. If specified, the thread_id param will be ignored. */
    path: z.string().nullish().meta({ experimental: true }),
    /** Named profile id for the forked thread. Cannot be combined with `sandbox`. */
    permissions: z.string().nullish().meta({ experimental: true }),
    /** Replace the thread's runtime workspace roots. Paths must be absolute. */
    runtimeWorkspaceRoots: z.array(AbsolutePathBuf).nullish().meta({ experimental: true }),
    sandbox: SandboxMode.nullish(),
    serviceTier: z.string().nullish(),
    threadId: z.string(),
    /** Optional client-supplied analytics source classification for this forked thread. */
    threadSource: ThreadSource.nullish(),
  })
  .register(z.globalRegistry, { id: "ThreadForkParams" });
export type ThreadForkParams = z.infer<typeof ThreadForkParams>;

export const ThreadForkResponse = z
  .object({
    /** Named or implicit built-in profile that produced the active permissions, when known. */
    activePermissionProfile: ActivePermissionProfile.nullish().meta({ experimental: true }),
    approvalPolicy: AskForApproval,
    /** Reviewer currently used for approval requests on this thread. */
    approvalsReviewer: ApprovalsReviewer,
    cwd: AbsolutePathBuf,
    /** Saved list of disabled plugin IDs. Does not yet filter plugin capabilities. */
    disabledPluginIds: z.array(z.string()).optional(),
    /** Environment-native paths to instruction source files currently loaded for this thread. */
    instructionSources: z.array(LegacyAppPathString).optional(),
    model: z.string(),
    modelProvider: z.string(),
    /** @deprecated Always `explicitRequestOnly`. Use `reasoningEffort` for Ultra behavior. */
    multiAgentMode: MultiAgentMode.optional().meta({ experimental: true }),
    reasoningEffort: ReasoningEffort.nullish(),
    /** Thread-scoped runtime workspace roots used to materialize `:workspace_roots`. */
    runtimeWorkspaceRoots: z.array(AbsolutePathBuf).optional().meta({ experimental: true }),
    /** Legacy sandbox policy retained for compatibility. Experimental clients should prefer `activePermissionProfile` for profile provenance. */
    sandbox: SandboxPolicy,
    serviceTier: z.string().nullish(),
    thread: Thread,
  })
  .register(z.globalRegistry, { id: "ThreadForkResponse" });
export type ThreadForkResponse = z.infer<typeof ThreadForkResponse>;

export const ThreadItemEntry = z
  .object({
    /** Unix timestamp (milliseconds) when the item completed, if recorded by the producer. */
    completedAtMs: z.int().nullish(),
    item: ThreadItem,
    /** The saved output was omitted. Fetch the complete item with `thread/items/read`. */
    outputDeferred: z.boolean().optional().meta({ experimental: true }),
    /** Unix timestamp (milliseconds) when the item started, if recorded by the producer. */
    startedAtMs: z.int().nullish(),
    /** Turn containing this item. */
    turnId: z.string(),
  })
  .register(z.globalRegistry, { id: "ThreadItemEntry" });
export type ThreadItemEntry = z.infer<typeof ThreadItemEntry>;

export const ThreadItemOutputDeferral = z
  .object({
    /** Defer nonempty output from successful commands. */
    commandExecution: z.boolean().optional().meta({ experimental: true }),
    /** Defer nonempty plain-text results from successful MCP tool calls. */
    mcpToolCall: z.boolean().optional().meta({ experimental: true }),
  })
  .register(z.globalRegistry, { id: "ThreadItemOutputDeferral" });
export type ThreadItemOutputDeferral = z.infer<typeof ThreadItemOutputDeferral>;

/** An exclusive item position within the requested visible turn. */
export const ThreadItemsListAnchor = z
  .object({
    itemId: z.string(),
    type: z.literal("item"),
  })
  .register(z.globalRegistry, { id: "ThreadItemsListAnchor" });
export type ThreadItemsListAnchor = z.infer<typeof ThreadItemsListAnchor>;

/** Starting position for an item-history page. */
export const ThreadItemsListCursor = z.union([z.string(), ThreadItemsListAnchor]).register(z.globalRegistry, { id: "ThreadItemsListCursor" });
export type ThreadItemsListCursor = z.infer<typeof ThreadItemsListCursor>;

export const ThreadItemsListParams = z
  .object({
    /** Opaque continuation cursor or an exclusive item anchor in the requested visible turn. An item anchor requires a non-empty `turnId`; ascending (the default) returns items after it, and descending returns items before it. Continue with the returned string cursor. */
    cursor: ThreadItemsListCursor.nullish(),
    /** For a single turn, choose which saved outputs to fetch separately by item ID. */
    deferOutput: ThreadItemOutputDeferral.nullish(),
    /** Optional item page size. */
    limit: z.int().min(0).nullish(),
    /** Optional item pagination direction; defaults to ascending. */
    sortDirection: SortDirection.nullish(),
    threadId: z.string(),
    /** Optional turn id to filter by. When omitted, returns items across the thread. */
    turnId: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "ThreadItemsListParams" });
export type ThreadItemsListParams = z.infer<typeof ThreadItemsListParams>;

export const ThreadItemsListResponse = z
  .object({
    /** Opaque cursor to pass as `cursor` when reversing `sortDirection`. This is only populated when the page contains at least one item. */
    backwardsCursor: z.string().nullish(),
    data: z.array(ThreadItemEntry),
    /** Opaque cursor to pass to the next call to continue after the last item. if None, there are no more items to return. */
    nextCursor: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "ThreadItemsListResponse" });
export type ThreadItemsListResponse = z.infer<typeof ThreadItemsListResponse>;

export const ThreadListCwdFilter = z.union([z.string(), z.array(z.string())]).register(z.globalRegistry, { id: "ThreadListCwdFilter" });
export type ThreadListCwdFilter = z.infer<typeof ThreadListCwdFilter>;

export const ThreadSortKey = z.enum(["created_at", "updated_at", "recency_at", "section_position"]).register(z.globalRegistry, { id: "ThreadSortKey" });
export type ThreadSortKey = z.infer<typeof ThreadSortKey>;

export const ThreadSourceKind = z
  .enum(["cli", "vscode", "exec", "appServer", "subAgent", "subAgentReview", "subAgentCompact", "subAgentThreadSpawn", "subAgentOther", "unknown"])
  .register(z.globalRegistry, { id: "ThreadSourceKind" });
export type ThreadSourceKind = z.infer<typeof ThreadSourceKind>;

export const ThreadListParams = z
  .object({
    /** Optional ancestor thread filter. Returns spawned descendants at any depth, excluding the ancestor itself. Mutually exclusive with `parentThreadId`. */
    ancestorThreadId: z.string().nullish().meta({ experimental: true }),
    /** Optional archived filter; when set to true, only archived threads are returned. If false or null, only non-archived threads are returned. */
    archived: z.boolean().nullish(),
    /** Return only persistent threads attached to this thread, including empty threads. Mutually exclusive with parentThreadId and ancestorThreadId. Omitting this filter keeps attached threads hidden from ordinary listings. */
    attachedToThreadId: z.string().nullish().meta({ experimental: true }),
    /** Show local history visible to the current ChatGPT account. Defaults to false. */
    currentAccountOnly: z.boolean().optional(),
    /** Opaque pagination cursor returned by a previous call. */
    cursor: z.string().nullish(),
    /** Optional cwd filter or filters; when set, only threads whose session cwd exactly matches one of these paths are returned. */
    cwd: ThreadListCwdFilter.nullish(),
    /** Thread IDs to exclude before applying the result limit. Up to 100 entries; invalid IDs or a larger list are rejected, never truncated. Send the same exclusions on each page. Omitted, null, or empty means no exclusions. */
    excludedThreadIds: z.array(z.string()).nullish(),
    /** Include persistent threads attached to a parent when searching by title. */
    includeAttachedThreads: z.boolean().optional().meta({ experimental: true }),
    /** Optional page size; defaults to a reasonable server-side value. */
    limit: z.int().min(0).nullish(),
    /** Optional provider filter; when set, only sessions recorded under these providers are returned. When present but empty, includes all providers. */
    modelProviders: z.array(z.string()).nullish(),
    /** Optional originator allowlist, matching any supplied value exactly. Supported by hosted backends only; the local app-server rejects a nonempty list. Omitted or empty lists leave originators unrestricted. */
    originators: z.array(z.string()).nullish(),
    /** Optional direct parent thread filter. Mutually exclusive with `ancestorThreadId`. */
    parentThreadId: z.string().nullish().meta({ experimental: true }),
    /** Omit to include every project, set to null for unassigned threads, or provide a project ID to return only threads in that project. */
    projectId: z.string().nullish().meta({ experimental: true }),
    /** Optional substring filter for the extracted thread title. */
    searchTerm: z.string().nullish(),
    /** Omit to include every section, set to `null` for unsectioned threads, or provide a section ID to return only threads in that section. */
    sectionId: z.string().nullish(),
    /** Optional sort direction; defaults to descending (newest first). */
    sortDirection: SortDirection.nullish(),
    /** Optional sort key; defaults to created_at. */
    sortKey: ThreadSortKey.nullish(),
    /** Optional source filter; when set, only sessions from these source kinds are returned. When omitted or empty, defaults to interactive sources. */
    sourceKinds: z.array(ThreadSourceKind).nullish(),
    /** If true, return from the state DB without scanning JSONL rollouts to repair thread metadata. Omitted or false preserves scan-and-repair behavior. */
    useStateDbOnly: z.boolean().optional(),
  })
  .register(z.globalRegistry, { id: "ThreadListParams" });
export type ThreadListParams = z.infer<typeof ThreadListParams>;

export const ThreadUnreadPosition = z
  .discriminatedUnion("type", [
    z.object({
      type: z.literal("threadStart"),
    }),
    z.object({
      turnId: z.string(),
      type: z.literal("turn"),
    }),
  ])
  .register(z.globalRegistry, { id: "ThreadUnreadPosition" });
export type ThreadUnreadPosition = z.infer<typeof ThreadUnreadPosition>;

/** The first unread position in a durable local thread. A null position means read. The opaque revision guards edits against activity or marks the caller has not seen. */
export const ThreadReadState = z
  .object({
    firstUnread: ThreadUnreadPosition.nullish(),
    revision: z.string(),
  })
  .register(z.globalRegistry, { id: "ThreadReadState" });
export type ThreadReadState = z.infer<typeof ThreadReadState>;

export const ThreadListResponse = z
  .object({
    /** Opaque cursor to pass as `cursor` when reversing `sortDirection`. This is only populated when the page contains at least one thread. Use it with the opposite `sortDirection`; for timestamp sorts it anchors at the start of the page timestamp so same-second updates are not skipped. */
    backwardsCursor: z.string().nullish(),
    data: z.array(Thread),
    /** Opaque cursor to pass to the next call to continue after the last item. if None, there are no more items to return. */
    nextCursor: z.string().nullish(),
    /** Local receipts for eligible threads on this page, keyed by thread ID. Null means durable read state is unavailable; an absent key means that row is ineligible. */
    readStates: z.record(z.string(), ThreadReadState).nullish().meta({ experimental: true }),
  })
  .register(z.globalRegistry, { id: "ThreadListResponse" });
export type ThreadListResponse = z.infer<typeof ThreadListResponse>;

export const ThreadLoadedListParams = z
  .object({
    /** Opaque pagination cursor returned by a previous call. */
    cursor: z.string().nullish(),
    /** Optional page size; defaults to no limit. */
    limit: z.int().min(0).nullish(),
  })
  .register(z.globalRegistry, { id: "ThreadLoadedListParams" });
export type ThreadLoadedListParams = z.infer<typeof ThreadLoadedListParams>;

export const ThreadLoadedListResponse = z
  .object({
    /** Thread ids for sessions currently loaded in memory. */
    data: z.array(z.string()),
    /** Opaque cursor to pass to the next call to continue after the last item. if None, there are no more items to return. */
    nextCursor: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "ThreadLoadedListResponse" });
export type ThreadLoadedListResponse = z.infer<typeof ThreadLoadedListResponse>;

export const ThreadMetadataGitInfoUpdateParams = z
  .object({
    /** Omit to leave the stored branch unchanged, set to `null` to clear it, or provide a non-empty string to replace it. */
    branch: z.string().nullish(),
    /** Omit to leave the stored origin URL unchanged, set to `null` to clear it, or provide a non-empty string to replace it. */
    originUrl: z.string().nullish(),
    /** Omit to leave the stored commit unchanged, set to `null` to clear it, or provide a non-empty string to replace it. */
    sha: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "ThreadMetadataGitInfoUpdateParams" });
export type ThreadMetadataGitInfoUpdateParams = z.infer<typeof ThreadMetadataGitInfoUpdateParams>;

export const ThreadMetadataUpdateParams = z
  .object({
    /** Save the client's Daybreak choice for this persistent thread. Omitted or null leaves it unchanged. This does not select a turn's `cyberAccessProgram` or grant access. */
    daybreakEnabled: z.boolean().nullish().meta({ experimental: true }),
    /** Patch the stored Git metadata for this thread. Omit a field to leave it unchanged, set it to `null` to clear it, or provide a string to replace the stored value. */
    gitInfo: ThreadMetadataGitInfoUpdateParams.nullish(),
    /** Omit to leave the project unchanged, use an empty string to clear it, or provide an existing project ID to assign it. */
    projectId: z.string().nullish().meta({ experimental: true }),
    threadId: z.string(),
  })
  .register(z.globalRegistry, { id: "ThreadMetadataUpdateParams" });
export type ThreadMetadataUpdateParams = z.infer<typeof ThreadMetadataUpdateParams>;

export const ThreadMetadataUpdateResponse = z
  .object({
    thread: Thread,
  })
  .register(z.globalRegistry, { id: "ThreadMetadataUpdateResponse" });
export type ThreadMetadataUpdateResponse = z.infer<typeof ThreadMetadataUpdateResponse>;

export const ThreadNameUpdatedNotification = z
  .object({
    threadId: z.string(),
    threadName: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "ThreadNameUpdatedNotification" });
export type ThreadNameUpdatedNotification = z.infer<typeof ThreadNameUpdatedNotification>;

export const ThreadReadParams = z
  .object({
    /** When true, include turns and their items from rollout history. Full-history hydration is deprecated for paginated threads; prefer a metadata-only read and page with `thread/turns/list` and `thread/items/list`. */
    includeTurns: z.boolean().optional(),
    threadId: z.string(),
  })
  .register(z.globalRegistry, { id: "ThreadReadParams" });
export type ThreadReadParams = z.infer<typeof ThreadReadParams>;

export const ThreadReadResponse = z
  .object({
    /** Local receipt. Null means this thread's durable read state is unavailable. */
    readState: ThreadReadState.nullish().meta({ experimental: true }),
    thread: Thread,
  })
  .register(z.globalRegistry, { id: "ThreadReadResponse" });
export type ThreadReadResponse = z.infer<typeof ThreadReadResponse>;

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

export const TurnsPage = z
  .object({
    backwardsCursor: z.string().nullish(),
    data: z.array(Turn),
    nextCursor: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "TurnsPage" });
export type TurnsPage = z.infer<typeof TurnsPage>;

export const ThreadResumeResponse = z
  .object({
    /** Named or implicit built-in profile that produced the active permissions, when known. */
    activePermissionProfile: ActivePermissionProfile.nullish().meta({ experimental: true }),
    approvalPolicy: AskForApproval,
    /** Reviewer currently used for approval requests on this thread. */
    approvalsReviewer: ApprovalsReviewer,
    /** Effective collaboration mode. Absent when resuming from an older server. */
    collaborationMode: CollaborationMode.nullish(),
    cwd: AbsolutePathBuf,
    /** Saved list of disabled plugin IDs. Does not yet filter plugin capabilities. */
    disabledPluginIds: z.array(z.string()).optional(),
    /** `thread/turns/list` page returned when requested by `initialTurnsPage`. */
    initialTurnsPage: TurnsPage.nullish().meta({ experimental: true }),
    /** Environment-native paths to instruction source files currently loaded for this thread. */
    instructionSources: z.array(LegacyAppPathString).optional(),
    /** Opaque cursor for hydrating paginated items backwards.
     *
     * Pass this as `cursor` to `thread/items/list` with `sortDirection: "desc"`. The first page includes the item identified by the cursor. */
    itemsBackwardsCursor: z.string().nullish(),
    model: z.string(),
    modelProvider: z.string(),
    /** @deprecated Always `explicitRequestOnly`. Use `reasoningEffort` for Ultra behavior. */
    multiAgentMode: MultiAgentMode.optional().meta({ experimental: true }),
    reasoningEffort: ReasoningEffort.nullish(),
    /** Thread-scoped runtime workspace roots used to materialize `:workspace_roots`. */
    runtimeWorkspaceRoots: z.array(AbsolutePathBuf).optional().meta({ experimental: true }),
    /** Legacy sandbox policy retained for compatibility. Experimental clients should prefer `activePermissionProfile` for profile provenance. */
    sandbox: SandboxPolicy,
    serviceTier: z.string().nullish(),
    thread: Thread,
    /** Opaque cursor for hydrating paginated turns backwards.
     *
     * Pass this as `cursor` to `thread/turns/list` with `sortDirection: "desc"`. The first page includes the turn identified by the cursor. */
    turnsBackwardsCursor: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "ThreadResumeResponse" });
export type ThreadResumeResponse = z.infer<typeof ThreadResumeResponse>;

/** Replace a paginated thread's durable history with the prefix before one turn.
 *
 * This only changes persisted conversation history. It does not revert local file changes. */
export const ThreadRevertParams = z
  .object({
    /** Turn excluded from the replacement history, together with every later turn. */
    beforeTurnId: z.string(),
    threadId: z.string(),
  })
  .register(z.globalRegistry, { id: "ThreadRevertParams" });
export type ThreadRevertParams = z.infer<typeof ThreadRevertParams>;

export const ThreadRevertResponse = z
  .object({
    /** Opaque cursor for hydrating paginated items backwards.
     *
     * Pass this as `cursor` to `thread/items/list` with `sortDirection: "desc"`. The first page includes the item identified by the cursor. */
    itemsBackwardsCursor: z.string().nullish(),
    /** Updated loaded thread metadata. `turns` is always empty; hydrate retained history through `thread/turns/list`. */
    thread: Thread,
    /** Opaque cursor for hydrating paginated turns backwards.
     *
     * Pass this as `cursor` to `thread/turns/list` with `sortDirection: "desc"`. The first page includes the turn identified by the cursor. */
    turnsBackwardsCursor: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "ThreadRevertResponse" });
export type ThreadRevertResponse = z.infer<typeof ThreadRevertResponse>;

export const ThreadRevertedNotification = z
  .object({
    threadId: z.string(),
  })
  .register(z.globalRegistry, { id: "ThreadRevertedNotification" });
export type ThreadRevertedNotification = z.infer<typeof ThreadRevertedNotification>;

export const ThreadSetNameParams = z
  .object({
    name: z.string(),
    threadId: z.string(),
  })
  .register(z.globalRegistry, { id: "ThreadSetNameParams" });
export type ThreadSetNameParams = z.infer<typeof ThreadSetNameParams>;

export const ThreadSetNameResponse = z.record(z.string(), z.unknown()).register(z.globalRegistry, { id: "ThreadSetNameResponse" });
export type ThreadSetNameResponse = z.infer<typeof ThreadSetNameResponse>;

export const ThreadShellCommandParams = z
  .object({
    /** Shell command string evaluated by the thread's configured shell. Unlike `command/exec`, this intentionally preserves shell syntax such as pipes, redirects, and quoting. This runs unsandboxed with full access rather than inheriting the thread sandbox policy. */
    command: z.string(),
    threadId: z.string(),
    /** Maximum execution time in milliseconds. Defaults to one hour when omitted or null. Must be non-negative; zero requests an immediate timeout, not unlimited execution. Does not affect the immediate RPC acknowledgement. */
    timeoutMs: z.int().nullish(),
  })
  .register(z.globalRegistry, { id: "ThreadShellCommandParams" });
export type ThreadShellCommandParams = z.infer<typeof ThreadShellCommandParams>;

export const ThreadShellCommandResponse = z.record(z.string(), z.unknown()).register(z.globalRegistry, { id: "ThreadShellCommandResponse" });
export type ThreadShellCommandResponse = z.infer<typeof ThreadShellCommandResponse>;

export const ThreadStartSource = z.enum(["startup", "clear"]).register(z.globalRegistry, { id: "ThreadStartSource" });
export type ThreadStartSource = z.infer<typeof ThreadStartSource>;

export const ThreadStartParams = z
  .object({
    /** Allow a provider with an authoritative static model catalog to replace an unavailable requested model with its default. */
    allowProviderModelFallback: z.boolean().optional().meta({ experimental: true }),
    approvalPolicy: AskForApproval.nullish(),
    /** Override where approval requests are routed for review on this thread and subsequent turns. */
    approvalsReviewer: ApprovalsReviewer.nullish(),
    baseInstructions: z.string().nullish(),
    config: z.record(z.string(), z.unknown()).nullish(),
    cwd: z.string().nullish(),
    /** Initial Daybreak choice for this persistent thread. Omitted or null leaves it unset. This does not select a turn's `cyberAccessProgram` or grant access. Not supported for ephemeral threads. */
    daybreakEnabled: z.boolean().nullish().meta({ experimental: true }),
    developerInstructions: z.string().nullish(),
    dynamicTools: z.array(DynamicToolSpec).nullish().meta({ experimental: true }),
    /** Optional sticky environments for this thread.
     *
     * Omitted selects the default environment when environment access is enabled. Empty disables environment access for turns that do not provide a turn override. Non-empty selects the first environment as the current turn environment. */
    environments: z.array(TurnEnvironmentParams).nullish().meta({ experimental: true }),
    ephemeral: z.boolean().nullish(),
    /** If true, opt into emitting raw Responses API items on the event stream. This is for internal use only (e.g. Codex Cloud). */
    experimentalRawEvents: z.boolean().optional().meta({ experimental: true }),
    /** Persisted thread history contract to use for this new thread. */
    historyMode: ThreadHistoryMode.nullish().meta({ experimental: true }),
    /** Test-only experimental field used to validate experimental gating and schema filtering behavior in a stable way. */
    mockExperimentalField: z.string().nullish().meta({ experimental: true }),
    model: z.string().nullish(),
    modelProvider: z.string().nullish(),
    /** @deprecated Ignored. Use Ultra reasoning effort for proactive multi-agent behavior. */
    multiAgentMode: MultiAgentMode.nullish().meta({ experimental: true }),
    /** Named profile id for this thread. Cannot be combined with `sandbox`. */
    permissions: z.string().nullish().meta({ experimental: true }),
    /** @deprecated `friendly` and `pragmatic` no longer select a style. */
    personality: Personality.nullish(),
    /** Optional project identity for this new thread. Durable threads persist the assignment; ephemeral threads expose it only in live responses. */
    projectId: z.string().nullish().meta({ experimental: true }),
    /** Replace the thread's runtime workspace roots. Paths must be absolute. */
    runtimeWorkspaceRoots: z.array(AbsolutePathBuf).nullish().meta({ experimental: true }),
    sandbox: SandboxMode.nullish(),
    /** Capability roots selected for this thread by the hosting platform. */
    selectedCapabilityRoots: z.array(SelectedCapabilityRoot).nullish().meta({ experimental: true }),
    serviceName: z.string().nullish(),
    serviceTier: z.string().nullish(),
    sessionStartSource: ThreadStartSource.nullish(),
    /** Optional client-supplied analytics source classification for this thread. */
    threadSource: ThreadSource.nullish(),
  })
  .register(z.globalRegistry, { id: "ThreadStartParams" });
export type ThreadStartParams = z.infer<typeof ThreadStartParams>;

export const ThreadStartResponse = z
  .object({
    /** Named or implicit built-in profile that produced the active permissions, when known. */
    activePermissionProfile: ActivePermissionProfile.nullish().meta({ experimental: true }),
    approvalPolicy: AskForApproval,
    /** Reviewer currently used for approval requests on this thread. */
    approvalsReviewer: ApprovalsReviewer,
    cwd: AbsolutePathBuf,
    /** Saved list of disabled plugin IDs. Does not yet filter plugin capabilities. */
    disabledPluginIds: z.array(z.string()).optional(),
    /** Environment-native paths to instruction source files currently loaded for this thread. */
    instructionSources: z.array(LegacyAppPathString).optional(),
    model: z.string(),
    modelProvider: z.string(),
    /** @deprecated Always `explicitRequestOnly`. Use `reasoningEffort` for Ultra behavior. */
    multiAgentMode: MultiAgentMode.optional().meta({ experimental: true }),
    reasoningEffort: ReasoningEffort.nullish(),
    /** Thread-scoped runtime workspace roots used to materialize `:workspace_roots`. */
    runtimeWorkspaceRoots: z.array(AbsolutePathBuf).optional().meta({ experimental: true }),
    /** Legacy sandbox policy retained for compatibility. Experimental clients should prefer `activePermissionProfile` for profile provenance. */
    sandbox: SandboxPolicy,
    serviceTier: z.string().nullish(),
    thread: Thread,
  })
  .register(z.globalRegistry, { id: "ThreadStartResponse" });
export type ThreadStartResponse = z.infer<typeof ThreadStartResponse>;

export const ThreadStartedNotification = z
  .object({
    thread: Thread,
  })
  .register(z.globalRegistry, { id: "ThreadStartedNotification" });
export type ThreadStartedNotification = z.infer<typeof ThreadStartedNotification>;

export const ThreadStatusChangedNotification = z
  .object({
    status: ThreadStatus,
    threadId: z.string(),
  })
  .register(z.globalRegistry, { id: "ThreadStatusChangedNotification" });
export type ThreadStatusChangedNotification = z.infer<typeof ThreadStatusChangedNotification>;

export const TokenUsageBreakdown = z
  .object({
    cacheWriteInputTokens: z.int().optional(),
    cachedInputTokens: z.int(),
    inputTokens: z.int(),
    outputTokens: z.int(),
    reasoningOutputTokens: z.int(),
    totalTokens: z.int(),
  })
  .register(z.globalRegistry, { id: "TokenUsageBreakdown" });
export type TokenUsageBreakdown = z.infer<typeof TokenUsageBreakdown>;

export const ThreadTokenUsage = z
  .object({
    last: TokenUsageBreakdown,
    modelContextWindow: z.int().nullish(),
    total: TokenUsageBreakdown,
  })
  .register(z.globalRegistry, { id: "ThreadTokenUsage" });
export type ThreadTokenUsage = z.infer<typeof ThreadTokenUsage>;

export const ThreadTokenUsageUpdatedNotification = z
  .object({
    threadId: z.string(),
    tokenUsage: ThreadTokenUsage,
    turnId: z.string(),
  })
  .register(z.globalRegistry, { id: "ThreadTokenUsageUpdatedNotification" });
export type ThreadTokenUsageUpdatedNotification = z.infer<typeof ThreadTokenUsageUpdatedNotification>;

export const ThreadTurnsListParams = z
  .object({
    /** Opaque cursor to pass to the next call to continue after the last turn. */
    cursor: z.string().nullish(),
    /** How much item detail to include for each returned turn; defaults to summary. */
    itemsView: TurnItemsView.nullish(),
    /** Optional turn page size. */
    limit: z.int().min(0).nullish(),
    /** Optional turn pagination direction; defaults to descending. */
    sortDirection: SortDirection.nullish(),
    threadId: z.string(),
  })
  .register(z.globalRegistry, { id: "ThreadTurnsListParams" });
export type ThreadTurnsListParams = z.infer<typeof ThreadTurnsListParams>;

export const ThreadTurnsListResponse = z
  .object({
    /** Opaque cursor to pass as `cursor` when reversing `sortDirection`. This is only populated when the page contains at least one turn. Use it with the opposite `sortDirection` to include the anchor turn again and catch updates to that turn. */
    backwardsCursor: z.string().nullish(),
    data: z.array(Turn),
    /** Opaque cursor to pass to the next call to continue after the last turn. if None, there are no more turns to return. */
    nextCursor: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "ThreadTurnsListResponse" });
export type ThreadTurnsListResponse = z.infer<typeof ThreadTurnsListResponse>;

export const ThreadUnarchiveParams = z
  .object({
    threadId: z.string(),
  })
  .register(z.globalRegistry, { id: "ThreadUnarchiveParams" });
export type ThreadUnarchiveParams = z.infer<typeof ThreadUnarchiveParams>;

export const ThreadUnarchiveResponse = z
  .object({
    thread: Thread,
  })
  .register(z.globalRegistry, { id: "ThreadUnarchiveResponse" });
export type ThreadUnarchiveResponse = z.infer<typeof ThreadUnarchiveResponse>;

export const ThreadUnarchivedNotification = z
  .object({
    threadId: z.string(),
  })
  .register(z.globalRegistry, { id: "ThreadUnarchivedNotification" });
export type ThreadUnarchivedNotification = z.infer<typeof ThreadUnarchivedNotification>;

export const ThreadUnsubscribeParams = z
  .object({
    threadId: z.string(),
  })
  .register(z.globalRegistry, { id: "ThreadUnsubscribeParams" });
export type ThreadUnsubscribeParams = z.infer<typeof ThreadUnsubscribeParams>;

export const ThreadUnsubscribeStatus = z.enum(["notLoaded", "notSubscribed", "unsubscribed"]).register(z.globalRegistry, { id: "ThreadUnsubscribeStatus" });
export type ThreadUnsubscribeStatus = z.infer<typeof ThreadUnsubscribeStatus>;

export const ThreadUnsubscribeResponse = z
  .object({
    status: ThreadUnsubscribeStatus,
  })
  .register(z.globalRegistry, { id: "ThreadUnsubscribeResponse" });
export type ThreadUnsubscribeResponse = z.infer<typeof ThreadUnsubscribeResponse>;

/** This module's client requests: rows of the v2 table (methods.ts puts them in wire order); the dispatcher loads one module's rows on the first request for one of them (v2/requestGroups.ts). */
export const threadRequests = {
  "thread/start": request(ThreadStartParams, ThreadStartResponse),
  "thread/resume": request(ThreadResumeParams, ThreadResumeResponse, { scope: byThread }),
  "thread/fork": request(ThreadForkParams, ThreadForkResponse, { scope: byThread }),
  "thread/archive": request(ThreadArchiveParams, ThreadArchiveResponse, { scope: byThread }),
  "thread/delete": request(ThreadDeleteParams, ThreadDeleteResponse, { scope: byThread }),
  "thread/unsubscribe": request(ThreadUnsubscribeParams, ThreadUnsubscribeResponse, { scope: byThread }),
  "thread/name/set": request(ThreadSetNameParams, ThreadSetNameResponse, { scope: byThread }),
  "thread/metadata/update": request(ThreadMetadataUpdateParams, ThreadMetadataUpdateResponse, { scope: byThread }),
  "thread/unarchive": request(ThreadUnarchiveParams, ThreadUnarchiveResponse, { scope: byThread }),
  "thread/compact/start": request(ThreadCompactStartParams, ThreadCompactStartResponse, { scope: byThread }),
  "thread/shellCommand": request(ThreadShellCommandParams, ThreadShellCommandResponse, { scope: byThread }),
  "thread/revert": request(ThreadRevertParams, ThreadRevertResponse, { scope: byThread }),
  "thread/list": request(ThreadListParams, ThreadListResponse),
  "thread/loaded/list": request(ThreadLoadedListParams, ThreadLoadedListResponse),
  "thread/read": request(ThreadReadParams, ThreadReadResponse, { scope: byThread }),
  "thread/turns/list": request(ThreadTurnsListParams, ThreadTurnsListResponse, { scope: byThread }),
  "thread/items/list": request(ThreadItemsListParams, ThreadItemsListResponse, { scope: byThread }),
} as const satisfies RequestTable;
