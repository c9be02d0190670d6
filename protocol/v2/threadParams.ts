// threadParams: the params of the thread/* requests but thread/start and thread/resume (modules of their own) and
// the types only they use, field for field as the reference (codex-cli 0.169.0), with the requests' heads: what
// dispatching one needs (its params' schema, scope, gate). thread.ts re-exports these and adds each request's
// result. Why apart: see sharedParams.ts.
import * as z from "zod";
import { byThread, requestHead, type RequestHeadTable } from "../define.js";
import { AbsolutePathBuf } from "./paths.js";
import { ApprovalsReviewer, AskForApproval, SandboxMode, TurnItemsView } from "./sharedParams.js";
import { ThreadSource } from "./threadStartParams.js";

export const SortDirection = z.enum(["asc", "desc"]).register(z.globalRegistry, { id: "SortDirection" });
export type SortDirection = z.infer<typeof SortDirection>;

export const ThreadArchiveParams = z
  .object({
    threadId: z.string(),
  })
  .register(z.globalRegistry, { id: "ThreadArchiveParams" });
export type ThreadArchiveParams = z.infer<typeof ThreadArchiveParams>;

export const ThreadCompactStartParams = z
  .object({
    threadId: z.string(),
  })
  .register(z.globalRegistry, { id: "ThreadCompactStartParams" });
export type ThreadCompactStartParams = z.infer<typeof ThreadCompactStartParams>;

export const ThreadDeleteParams = z
  .object({
    threadId: z.string(),
  })
  .register(z.globalRegistry, { id: "ThreadDeleteParams" });
export type ThreadDeleteParams = z.infer<typeof ThreadDeleteParams>;

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

export const ThreadLoadedListParams = z
  .object({
    /** Opaque pagination cursor returned by a previous call. */
    cursor: z.string().nullish(),
    /** Optional page size; defaults to no limit. */
    limit: z.int().min(0).nullish(),
  })
  .register(z.globalRegistry, { id: "ThreadLoadedListParams" });
export type ThreadLoadedListParams = z.infer<typeof ThreadLoadedListParams>;

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

export const ThreadReadParams = z
  .object({
    /** When true, include turns and their items from rollout history. Full-history hydration is deprecated for paginated threads; prefer a metadata-only read and page with `thread/turns/list` and `thread/items/list`. */
    includeTurns: z.boolean().optional(),
    threadId: z.string(),
  })
  .register(z.globalRegistry, { id: "ThreadReadParams" });
export type ThreadReadParams = z.infer<typeof ThreadReadParams>;

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

export const ThreadSetNameParams = z
  .object({
    name: z.string(),
    threadId: z.string(),
  })
  .register(z.globalRegistry, { id: "ThreadSetNameParams" });
export type ThreadSetNameParams = z.infer<typeof ThreadSetNameParams>;

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

export const ThreadUnarchiveParams = z
  .object({
    threadId: z.string(),
  })
  .register(z.globalRegistry, { id: "ThreadUnarchiveParams" });
export type ThreadUnarchiveParams = z.infer<typeof ThreadUnarchiveParams>;

export const ThreadUnsubscribeParams = z
  .object({
    threadId: z.string(),
  })
  .register(z.globalRegistry, { id: "ThreadUnsubscribeParams" });
export type ThreadUnsubscribeParams = z.infer<typeof ThreadUnsubscribeParams>;

/** What dispatching each of these requests needs (define.ts, RequestHead); the full rows add their results. */
export const threadRequestHeads = {
  "thread/fork": requestHead(ThreadForkParams, { scope: byThread }),
  "thread/archive": requestHead(ThreadArchiveParams, { scope: byThread }),
  "thread/delete": requestHead(ThreadDeleteParams, { scope: byThread }),
  "thread/unsubscribe": requestHead(ThreadUnsubscribeParams, { scope: byThread }),
  "thread/name/set": requestHead(ThreadSetNameParams, { scope: byThread }),
  "thread/metadata/update": requestHead(ThreadMetadataUpdateParams, { scope: byThread }),
  "thread/unarchive": requestHead(ThreadUnarchiveParams, { scope: byThread }),
  "thread/compact/start": requestHead(ThreadCompactStartParams, { scope: byThread }),
  "thread/shellCommand": requestHead(ThreadShellCommandParams, { scope: byThread }),
  "thread/revert": requestHead(ThreadRevertParams, { scope: byThread }),
  "thread/list": requestHead(ThreadListParams),
  "thread/loaded/list": requestHead(ThreadLoadedListParams),
  "thread/read": requestHead(ThreadReadParams, { scope: byThread }),
  "thread/turns/list": requestHead(ThreadTurnsListParams, { scope: byThread }),
  "thread/items/list": requestHead(ThreadItemsListParams, { scope: byThread }),
} as const satisfies RequestHeadTable;
