// thread: v2 protocol payloads, field for field as the reference (codex-cli 0.169.0).
// Bootstrapped from the reference JSON Schema by scripts/protocol-from-reference.mjs; maintained by hand since.
// Conventions: optional params fields are .nullish(), optional result fields .nullable()
// and always present; every named type is registered with .register(z.globalRegistry, { id }) so the generated
// schema's definitions match (not .meta({ id }), which builds the schema twice: a clone to register).
import * as z from "zod";
import { withResult, type RequestTable } from "../define.js";
import { AbsolutePathBuf } from "./paths.js";
import { ThreadId, ThreadItem, Turn } from "./shared.js";
import { ApprovalsReviewer, AskForApproval, CollaborationMode, LegacyAppPathString, MultiAgentMode, ReasoningEffort, SandboxPolicy } from "./sharedParams.js";
import { threadRequestHeads } from "./threadParams.js";
import { threadStartRequestHeads, ThreadHistoryMode, ThreadSource } from "./threadStartParams.js";
import { threadResumeRequestHeads } from "./threadResumeParams.js";

export {
  SortDirection,
  ThreadArchiveParams,
  ThreadCompactStartParams,
  ThreadDeleteParams,
  ThreadForkParams,
  ThreadItemOutputDeferral,
  ThreadItemsListAnchor,
  ThreadItemsListCursor,
  ThreadItemsListParams,
  ThreadListCwdFilter,
  ThreadListParams,
  ThreadLoadedListParams,
  ThreadMetadataGitInfoUpdateParams,
  ThreadMetadataUpdateParams,
  ThreadReadParams,
  ThreadRevertParams,
  ThreadSetNameParams,
  ThreadShellCommandParams,
  ThreadSortKey,
  ThreadSourceKind,
  ThreadTurnsListParams,
  ThreadUnarchiveParams,
  ThreadUnsubscribeParams,
} from "./threadParams.js";
export {
  CapabilityRootLocation,
  DynamicToolNamespaceTool,
  DynamicToolSpec,
  SelectedCapabilityRoot,
  ThreadHistoryMode,
  ThreadSource,
  ThreadStartParams,
  ThreadStartSource,
} from "./threadStartParams.js";
export {
  AgentMessageInputContent,
  ConfigurationReasoning,
  ContentItem,
  InternalChatMessageMetadataPassthrough,
  LocalShellAction,
  LocalShellStatus,
  ReasoningItemContent,
  ReasoningItemReasoningSummary,
  ResponseItem,
  ResponsesApiWebSearchAction,
  ThreadResumeInitialTurnsPageParams,
  ThreadResumeParams,
} from "./threadResumeParams.js";

export const ActivePermissionProfile = z
  .object({
    /** Parent profile identifier from the selected permissions profile's `extends` setting, when present. */
    extends: z.string().nullish(),
    /** Identifier from `default_permissions` or the implicit built-in default, such as `:workspace` or a user-defined `[permissions.<id>]` profile. */
    id: z.string(),
  })
  .register(z.globalRegistry, { id: "ActivePermissionProfile" });
export type ActivePermissionProfile = z.infer<typeof ActivePermissionProfile>;

export const AgentPath = z.string().register(z.globalRegistry, { id: "AgentPath" });
export type AgentPath = z.infer<typeof AgentPath>;

/** Deprecated: Use `ContextCompaction` item type instead. */
export const ContextCompactedNotification = z
  .object({
    threadId: z.string(),
    turnId: z.string(),
  })
  .register(z.globalRegistry, { id: "ContextCompactedNotification" });
export type ContextCompactedNotification = z.infer<typeof ContextCompactedNotification>;

export const GitInfo = z
  .object({
    branch: z.string().nullish(),
    originUrl: z.string().nullish(),
    sha: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "GitInfo" });
export type GitInfo = z.infer<typeof GitInfo>;

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

export const ThreadCompactStartResponse = z.record(z.string(), z.unknown()).register(z.globalRegistry, { id: "ThreadCompactStartResponse" });
export type ThreadCompactStartResponse = z.infer<typeof ThreadCompactStartResponse>;

export const ThreadDeleteResponse = z.record(z.string(), z.unknown()).register(z.globalRegistry, { id: "ThreadDeleteResponse" });
export type ThreadDeleteResponse = z.infer<typeof ThreadDeleteResponse>;

export const ThreadDeletedNotification = z
  .object({
    threadId: z.string(),
  })
  .register(z.globalRegistry, { id: "ThreadDeletedNotification" });
export type ThreadDeletedNotification = z.infer<typeof ThreadDeletedNotification>;

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

export const ThreadLoadedListResponse = z
  .object({
    /** Thread ids for sessions currently loaded in memory. */
    data: z.array(z.string()),
    /** Opaque cursor to pass to the next call to continue after the last item. if None, there are no more items to return. */
    nextCursor: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "ThreadLoadedListResponse" });
export type ThreadLoadedListResponse = z.infer<typeof ThreadLoadedListResponse>;

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

export const ThreadReadResponse = z
  .object({
    /** Local receipt. Null means this thread's durable read state is unavailable. */
    readState: ThreadReadState.nullish().meta({ experimental: true }),
    thread: Thread,
  })
  .register(z.globalRegistry, { id: "ThreadReadResponse" });
export type ThreadReadResponse = z.infer<typeof ThreadReadResponse>;

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

export const ThreadSetNameResponse = z.record(z.string(), z.unknown()).register(z.globalRegistry, { id: "ThreadSetNameResponse" });
export type ThreadSetNameResponse = z.infer<typeof ThreadSetNameResponse>;

export const ThreadShellCommandResponse = z.record(z.string(), z.unknown()).register(z.globalRegistry, { id: "ThreadShellCommandResponse" });
export type ThreadShellCommandResponse = z.infer<typeof ThreadShellCommandResponse>;

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
  "thread/start": withResult(threadStartRequestHeads["thread/start"], ThreadStartResponse),
  "thread/resume": withResult(threadResumeRequestHeads["thread/resume"], ThreadResumeResponse),
  "thread/fork": withResult(threadRequestHeads["thread/fork"], ThreadForkResponse),
  "thread/archive": withResult(threadRequestHeads["thread/archive"], ThreadArchiveResponse),
  "thread/delete": withResult(threadRequestHeads["thread/delete"], ThreadDeleteResponse),
  "thread/unsubscribe": withResult(threadRequestHeads["thread/unsubscribe"], ThreadUnsubscribeResponse),
  "thread/name/set": withResult(threadRequestHeads["thread/name/set"], ThreadSetNameResponse),
  "thread/metadata/update": withResult(threadRequestHeads["thread/metadata/update"], ThreadMetadataUpdateResponse),
  "thread/unarchive": withResult(threadRequestHeads["thread/unarchive"], ThreadUnarchiveResponse),
  "thread/compact/start": withResult(threadRequestHeads["thread/compact/start"], ThreadCompactStartResponse),
  "thread/shellCommand": withResult(threadRequestHeads["thread/shellCommand"], ThreadShellCommandResponse),
  "thread/revert": withResult(threadRequestHeads["thread/revert"], ThreadRevertResponse),
  "thread/list": withResult(threadRequestHeads["thread/list"], ThreadListResponse),
  "thread/loaded/list": withResult(threadRequestHeads["thread/loaded/list"], ThreadLoadedListResponse),
  "thread/read": withResult(threadRequestHeads["thread/read"], ThreadReadResponse),
  "thread/turns/list": withResult(threadRequestHeads["thread/turns/list"], ThreadTurnsListResponse),
  "thread/items/list": withResult(threadRequestHeads["thread/items/list"], ThreadItemsListResponse),
} as const satisfies RequestTable;
