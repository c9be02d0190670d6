// turnParams: the params of turn/start, turn/steer, turn/interrupt and review/start and the types only they use,
// field for field as the reference (codex-cli 0.169.0), with the requests' heads (see threadParams.ts). turn.ts
// re-exports these and adds each request's result. Why apart: see sharedParams.ts.
import * as z from "zod";
import { byThread, requestHead, type RequestHeadTable } from "../define.js";
import { AbsolutePathBuf } from "./paths.js";
import {
  ApprovalsReviewer,
  AskForApproval,
  CollaborationMode,
  CyberAccessProgram,
  FunctionCallOutputBody,
  MultiAgentMode,
  Personality,
  ReasoningEffort,
  ReasoningSummary,
  SandboxPolicy,
  TurnEnvironmentParams,
  UserInput,
} from "./sharedParams.js";

export const AdditionalContextKind = z.enum(["untrusted", "application"]).register(z.globalRegistry, { id: "AdditionalContextKind" });
export type AdditionalContextKind = z.infer<typeof AdditionalContextKind>;

export const AdditionalContextEntry = z
  .object({
    kind: AdditionalContextKind,
    /** Optional name for untrusted context, used to label its tool output. */
    name: z.string().nullish(),
    value: z.string(),
  })
  .register(z.globalRegistry, { id: "AdditionalContextEntry" });
export type AdditionalContextEntry = z.infer<typeof AdditionalContextEntry>;

export const ReviewDelivery = z.literal("inline").register(z.globalRegistry, { id: "ReviewDelivery" });
export type ReviewDelivery = z.infer<typeof ReviewDelivery>;

export const ReviewTarget = z
  .discriminatedUnion("type", [
    z.object({
      type: z.literal("uncommittedChanges"),
    }),
    z.object({
      branch: z.string(),
      type: z.literal("baseBranch"),
    }),
    z.object({
      sha: z.string(),
      /** Optional human-readable label (e.g., commit subject) for UIs. */
      title: z.string().nullish(),
      type: z.literal("commit"),
    }),
    z.object({
      instructions: z.string(),
      type: z.literal("custom"),
    }),
  ])
  .register(z.globalRegistry, { id: "ReviewTarget" });
export type ReviewTarget = z.infer<typeof ReviewTarget>;

export const ReviewStartParams = z
  .object({
    /** Reviews run inline on the supplied thread. Omit this field or pass `inline`. To review on a separate thread, start a thread first and use its id. */
    delivery: ReviewDelivery.nullish(),
    target: ReviewTarget,
    threadId: z.string(),
  })
  .register(z.globalRegistry, { id: "ReviewStartParams" });
export type ReviewStartParams = z.infer<typeof ReviewStartParams>;

export const TurnInterruptParams = z
  .object({
    threadId: z.string(),
    turnId: z.string(),
  })
  .register(z.globalRegistry, { id: "TurnInterruptParams" });
export type TurnInterruptParams = z.infer<typeof TurnInterruptParams>;

export const TurnToolOutput = z
  .object({
    name: z.string(),
    namespace: z.string().nullish(),
    output: FunctionCallOutputBody,
    /** Requests retention of this output in the thread's model history. */
    retain: z.boolean().optional(),
  })
  .register(z.globalRegistry, { id: "TurnToolOutput" });
export type TurnToolOutput = z.infer<typeof TurnToolOutput>;

export const TurnStartParams = z
  .object({
    /** Optional client-provided context fragments keyed by an opaque source identifier. */
    additionalContext: z.record(z.string(), AdditionalContextEntry).nullish().meta({ experimental: true }),
    /** Override the approval policy for this turn and subsequent turns. */
    approvalPolicy: AskForApproval.nullish(),
    /** Override where approval requests are routed for review on this turn and subsequent turns. */
    approvalsReviewer: ApprovalsReviewer.nullish(),
    clientUserMessageId: z.string().nullish(),
    /** EXPERIMENTAL - Set a pre-set collaboration mode. Takes precedence over model, reasoning_effort, and developer instructions if set.
     *
     * For `collaboration_mode.settings.developer_instructions`, `null` means "use the built-in instructions for the selected mode". */
    collaborationMode: CollaborationMode.nullish().meta({ experimental: true }),
    /** Override the working directory for this turn and subsequent turns. */
    cwd: z.string().nullish(),
    /** EXPERIMENTAL - Request an authorized cyber program for this turn. Omission preserves automatic behavior. This does not grant access. */
    cyberAccessProgram: CyberAccessProgram.nullish().meta({ experimental: true }),
    /** Replace this thread's disabled plugin IDs. Omitted/null preserves the list; [] clears it. */
    disabledPluginIds: z.array(z.string()).nullish(),
    /** Override the reasoning effort for this turn and subsequent turns. */
    effort: ReasoningEffort.nullish(),
    /** Optional environments for this turn and subsequent turns.
     *
     * Omitted uses the thread sticky environments. Empty disables environment access for this turn. Non-empty selects the first environment as the current turn environment for this turn. */
    environments: z.array(TurnEnvironmentParams).nullish().meta({ experimental: true }),
    input: z.array(UserInput),
    /** Override the model for this turn and subsequent turns. */
    model: z.string().nullish(),
    /** @deprecated Ignored. Use `effort: "ultra"` for proactive multi-agent behavior. */
    multiAgentMode: MultiAgentMode.nullish().meta({ experimental: true }),
    /** Optional JSON Schema used to constrain the final assistant message for this turn. */
    outputSchema: z.unknown().optional(),
    /** ID of the turn that caused this new turn to start.
     *
     * Set this when starting work on behalf of another turn, such as delegated work in a different thread. Leave unset for work started directly by the user. Ignored when this request adds input to an active turn. */
    parentTurnId: z.string().nullish(),
    /** Select a named permissions profile id for this turn and subsequent turns. Cannot be combined with `sandboxPolicy`. */
    permissions: z.string().nullish().meta({ experimental: true }),
    /** @deprecated `friendly` and `pragmatic` no longer select a style. Changing this does not rewrite the thread's existing instructions. */
    personality: Personality.nullish(),
    /** Optional metadata to enrich Codex's ResponsesAPI turn metadata. Replaces unprotected client-provided entries when supplied; an empty map clears them.
     *
     * Entries are flattened into the JSON string sent as `client_metadata["x-codex-turn-metadata"]` on ResponsesAPI HTTP and websocket requests.
     *
     * They are not sent as top-level ResponsesAPI `client_metadata` keys, and reserved keys such as `session_id`, `thread_id`, `turn_id`, and `window_id` cannot be overridden. */
    responsesapiClientMetadata: z.record(z.string(), z.string()).nullish().meta({ experimental: true }),
    /** Merge entries into the ResponsesAPI turn metadata without removing existing entries. Applied after `responsesapiClientMetadata` if both are provided; reserved keys remain protected. */
    responsesapiClientMetadataPatch: z.record(z.string(), z.string()).nullish().meta({ experimental: true }),
    /** ID of the first turn in the chain of work that led to this new turn.
     *
     * When setting `parentTurnId`, set this to the parent turn's `rootTurnId` when known. This keeps descendant work attributed to the original turn. If omitted, the new turn becomes its own root. Ignored when this request adds input to an active turn. */
    rootTurnId: z.string().nullish(),
    /** Replace the thread's runtime workspace roots for this turn and subsequent turns. Paths must be absolute. */
    runtimeWorkspaceRoots: z.array(AbsolutePathBuf).nullish().meta({ experimental: true }),
    /** Override the sandbox policy for this turn and subsequent turns. */
    sandboxPolicy: SandboxPolicy.nullish(),
    /** Override the service tier for this turn and subsequent turns. */
    serviceTier: z.string().nullish(),
    /** Override the service tier only when this request starts a new turn. Use "default" for standard speed. Omitted or null inherits the thread's tier. Does not change the thread's tier or a turn being steered. */
    serviceTierForTurn: z.string().nullish(),
    /** Override the reasoning summary for this turn and subsequent turns. */
    summary: ReasoningSummary.nullish(),
    threadId: z.string(),
    toolOutput: TurnToolOutput.nullish(),
    /** Optional source classification for the caller that starts this turn. Ignored when this request steers an already-active turn. */
    turnTrigger: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "TurnStartParams" });
export type TurnStartParams = z.infer<typeof TurnStartParams>;

export const TurnSteerParams = z
  .object({
    /** Optional client-provided context fragments keyed by an opaque source identifier. */
    additionalContext: z.record(z.string(), AdditionalContextEntry).nullish().meta({ experimental: true }),
    clientUserMessageId: z.string().nullish(),
    /** Required active turn id precondition. The request fails when it does not match the currently active turn. */
    expectedTurnId: z.string(),
    input: z.array(UserInput),
    /** Optional metadata to enrich Codex's ResponsesAPI turn metadata. Replaces unprotected client-provided entries when supplied; an empty map clears them.
     *
     * Entries are flattened into the JSON string sent as `client_metadata["x-codex-turn-metadata"]` on ResponsesAPI HTTP and websocket requests.
     *
     * They are not sent as top-level ResponsesAPI `client_metadata` keys, and reserved keys such as `session_id`, `thread_id`, `turn_id`, and `window_id` cannot be overridden. */
    responsesapiClientMetadata: z.record(z.string(), z.string()).nullish().meta({ experimental: true }),
    /** Merge entries into the ResponsesAPI turn metadata without removing existing entries. Applied after `responsesapiClientMetadata` if both are provided; reserved keys remain protected. */
    responsesapiClientMetadataPatch: z.record(z.string(), z.string()).nullish().meta({ experimental: true }),
    threadId: z.string(),
  })
  .register(z.globalRegistry, { id: "TurnSteerParams" });
export type TurnSteerParams = z.infer<typeof TurnSteerParams>;

/** What dispatching each of these requests needs (define.ts, RequestHead); the full rows add their results. */
export const turnRequestHeads = {
  "turn/start": requestHead(TurnStartParams, { scope: byThread }),
  "turn/steer": requestHead(TurnSteerParams, { scope: byThread }),
  "turn/interrupt": requestHead(TurnInterruptParams, { scope: byThread }),
  "review/start": requestHead(ReviewStartParams, { scope: byThread }),
} as const satisfies RequestHeadTable;
