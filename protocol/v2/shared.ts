// shared: v2 protocol payloads, field for field as the reference (codex-cli 0.169.0).
// Bootstrapped from the reference JSON Schema by scripts/protocol-from-reference.mjs; maintained by hand since.
// Conventions: optional params fields are .nullish(), optional result fields .nullable()
// and always present; every named type is registered with .register(z.globalRegistry, { id }) so the generated
// schema's definitions match (not .meta({ id }), which builds the schema twice: a clone to register).
import * as z from "zod";
import { AbsolutePathBuf } from "./paths.js";
import { DynamicToolCallOutputContentItem } from "./toolCall.js";
import { FunctionCallOutputBody, LegacyAppPathString, MessagePhase, ReasoningEffort, TurnItemsView, UserInput } from "./sharedParams.js";

export { AbsolutePathBuf } from "./paths.js";
export {
  ApprovalsReviewer,
  AskForApproval,
  ByteRange,
  CollaborationMode,
  CyberAccessProgram,
  FunctionCallOutputBody,
  FunctionCallOutputContentItem,
  ImageDetail,
  LegacyAppPathString,
  MessagePhase,
  ModeKind,
  MultiAgentMode,
  NetworkAccess,
  Personality,
  ReasoningEffort,
  ReasoningSummary,
  SandboxMode,
  SandboxPolicy,
  Settings,
  TextElement,
  ThreadId,
  TurnEnvironmentParams,
  TurnItemsView,
  UserInput,
} from "./sharedParams.js";

export const AgentMessageDelivery = z.literal("async").register(z.globalRegistry, { id: "AgentMessageDelivery" });
export type AgentMessageDelivery = z.infer<typeof AgentMessageDelivery>;

/** A presentation instruction for Chat to apply to this answer when recovering history. */
export const AgentMessageDisplay = z
  .object({
    /** Unknown actions must be left for the producing client to handle. */
    action: z.string(),
    blockType: z.string().nullish(),
    checkTrustedContacts: z.boolean().nullish(),
    cyberTrustedAccess: z.boolean().nullish(),
  })
  .register(z.globalRegistry, { id: "AgentMessageDisplay" });
export type AgentMessageDisplay = z.infer<typeof AgentMessageDisplay>;

export const AgentMessageModeration = z
  .object({
    display: AgentMessageDisplay.nullish(),
    moderated: z.boolean(),
  })
  .register(z.globalRegistry, { id: "AgentMessageModeration" });
export type AgentMessageModeration = z.infer<typeof AgentMessageModeration>;

export const AsyncUserInputQuestion = z
  .strictObject({
    options: z.array(z.string()).nullish(),
    title: z.string(),
  })
  .register(z.globalRegistry, { id: "AsyncUserInputQuestion" });
export type AsyncUserInputQuestion = z.infer<typeof AsyncUserInputQuestion>;

export const NonSteerableTurnKind = z.enum(["review", "compact"]).register(z.globalRegistry, { id: "NonSteerableTurnKind" });
export type NonSteerableTurnKind = z.infer<typeof NonSteerableTurnKind>;

/** This translation layer make sure that we expose codex error code in camel case.
 *
 * When an upstream HTTP status is available (for example, from the Responses API or a provider), it is forwarded in `httpStatusCode` on the relevant `codexErrorInfo` variant. */
export const CodexErrorInfo = z
  .union([
    z.enum([
      "contextWindowExceeded",
      "sessionBudgetExceeded",
      "usageLimitExceeded",
      "rateLimitExceeded",
      "flexUnavailable",
      "serverOverloaded",
      "modelNotFound",
      "policyCapacityUnavailable",
      "cyberPolicy",
      "misalignmentPolicyViolation",
      "tooManyDenials",
      "internalServerError",
      "unauthorized",
      "badRequest",
      "threadRollbackFailed",
      "sandboxError",
      "other",
    ]),
    z.literal("inferenceHookDenied"),
    z.strictObject({
      httpConnectionFailed: z.object({
        httpStatusCode: z.int().min(0).nullish(),
      }),
    }),
    z.strictObject({
      responseStreamConnectionFailed: z.object({
        httpStatusCode: z.int().min(0).nullish(),
      }),
    }),
    z.strictObject({
      responseStreamDisconnected: z.object({
        httpStatusCode: z.int().min(0).nullish(),
      }),
    }),
    z.strictObject({
      responseTooManyFailedAttempts: z.object({
        httpStatusCode: z.int().min(0).nullish(),
      }),
    }),
    z.strictObject({
      activeTurnNotSteerable: z.object({
        turnKind: NonSteerableTurnKind,
      }),
    }),
    z.union([z.string(), z.record(z.string(), z.unknown())]),
  ])
  .register(z.globalRegistry, { id: "CodexErrorInfo" });
export type CodexErrorInfo = z.infer<typeof CodexErrorInfo>;

export const CollabAgentStatus = z
  .enum(["pendingInit", "running", "interrupted", "completed", "errored", "shutdown", "notFound"])
  .register(z.globalRegistry, { id: "CollabAgentStatus" });
export type CollabAgentStatus = z.infer<typeof CollabAgentStatus>;

export const CollabAgentState = z
  .object({
    message: z.string().nullish(),
    status: CollabAgentStatus,
  })
  .register(z.globalRegistry, { id: "CollabAgentState" });
export type CollabAgentState = z.infer<typeof CollabAgentState>;

export const CollabAgentTool = z
  .enum(["spawnAgent", "sendInput", "resumeAgent", "wait", "closeAgent", "sendMessage", "followupTask", "interruptAgent", "listAgents"])
  .register(z.globalRegistry, { id: "CollabAgentTool" });
export type CollabAgentTool = z.infer<typeof CollabAgentTool>;

export const CollabAgentToolCallStatus = z
  .enum(["inProgress", "completed", "failed", "interrupted"])
  .register(z.globalRegistry, { id: "CollabAgentToolCallStatus" });
export type CollabAgentToolCallStatus = z.infer<typeof CollabAgentToolCallStatus>;

export const CommandAction = z
  .discriminatedUnion("type", [
    z.object({
      command: z.string(),
      name: z.string(),
      path: LegacyAppPathString,
      type: z.literal("read"),
    }),
    z.object({
      command: z.string(),
      path: z.string().nullish(),
      type: z.literal("listFiles"),
    }),
    z.object({
      command: z.string(),
      path: z.string().nullish(),
      query: z.string().nullish(),
      type: z.literal("search"),
    }),
    z.object({
      command: z.string(),
      type: z.literal("unknown"),
    }),
  ])
  .register(z.globalRegistry, { id: "CommandAction" });
export type CommandAction = z.infer<typeof CommandAction>;

export const CommandExecutionSource = z
  .enum(["agent", "userShell", "unifiedExecStartup", "unifiedExecInteraction"])
  .register(z.globalRegistry, { id: "CommandExecutionSource" });
export type CommandExecutionSource = z.infer<typeof CommandExecutionSource>;

export const CommandExecutionStatus = z.enum(["inProgress", "completed", "failed", "declined"]).register(z.globalRegistry, { id: "CommandExecutionStatus" });
export type CommandExecutionStatus = z.infer<typeof CommandExecutionStatus>;

export const DynamicToolCallStatus = z.enum(["inProgress", "completed", "failed"]).register(z.globalRegistry, { id: "DynamicToolCallStatus" });
export type DynamicToolCallStatus = z.infer<typeof DynamicToolCallStatus>;

export const PatchChangeKind = z
  .discriminatedUnion("type", [
    z.object({
      type: z.literal("add"),
    }),
    z.object({
      type: z.literal("delete"),
    }),
    z.object({
      move_path: z.string().nullish(),
      type: z.literal("update"),
    }),
  ])
  .register(z.globalRegistry, { id: "PatchChangeKind" });
export type PatchChangeKind = z.infer<typeof PatchChangeKind>;

export const FileUpdateChange = z
  .object({
    diff: z.string(),
    kind: PatchChangeKind,
    path: z.string(),
  })
  .register(z.globalRegistry, { id: "FileUpdateChange" });
export type FileUpdateChange = z.infer<typeof FileUpdateChange>;

export const HookPromptFragment = z
  .object({
    hookRunId: z.string(),
    text: z.string(),
  })
  .register(z.globalRegistry, { id: "HookPromptFragment" });
export type HookPromptFragment = z.infer<typeof HookPromptFragment>;

export const ImageGenerationFailure = z
  .object({
    limitId: z.string(),
    resetsAt: z.int().nullish(),
    type: z.literal("usageLimitExceeded"),
  })
  .register(z.globalRegistry, { id: "ImageGenerationFailure" });
export type ImageGenerationFailure = z.infer<typeof ImageGenerationFailure>;

/** A local image file successfully read for this exact image-generation request. */
export const ImageGenerationInputImage = z
  .object({
    path: AbsolutePathBuf,
    /** Lowercase SHA-256 of the file bytes read before image normalization. */
    sha256: z.string(),
  })
  .register(z.globalRegistry, { id: "ImageGenerationInputImage" });
export type ImageGenerationInputImage = z.infer<typeof ImageGenerationInputImage>;

export const McpAppDisplayMode = z.enum(["inline", "fullscreen"]).register(z.globalRegistry, { id: "McpAppDisplayMode" });
export type McpAppDisplayMode = z.infer<typeof McpAppDisplayMode>;

/** UI resource and display preference for model invocations, captured from the tool descriptor. */
export const McpAppUi = z
  .object({
    preferredModelDisplayMode: McpAppDisplayMode,
    resourceUri: z.string(),
  })
  .register(z.globalRegistry, { id: "McpAppUi" });
export type McpAppUi = z.infer<typeof McpAppUi>;

export const McpToolCallAppContext = z
  .object({
    actionName: z.string().nullish(),
    appName: z.string().nullish(),
    connectorId: z.string(),
    linkId: z.string().nullish(),
    resourceUri: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "McpToolCallAppContext" });
export type McpToolCallAppContext = z.infer<typeof McpToolCallAppContext>;

export const McpToolCallError = z
  .object({
    message: z.string(),
  })
  .register(z.globalRegistry, { id: "McpToolCallError" });
export type McpToolCallError = z.infer<typeof McpToolCallError>;

export const McpToolCallResult = z
  .object({
    _meta: z.unknown().optional(),
    content: z.array(z.unknown()),
    structuredContent: z.unknown().optional(),
  })
  .register(z.globalRegistry, { id: "McpToolCallResult" });
export type McpToolCallResult = z.infer<typeof McpToolCallResult>;

export const McpToolCallStatus = z.enum(["inProgress", "completed", "failed"]).register(z.globalRegistry, { id: "McpToolCallStatus" });
export type McpToolCallStatus = z.infer<typeof McpToolCallStatus>;

export const MemoryCitationEntry = z
  .object({
    lineEnd: z.int().min(0),
    lineStart: z.int().min(0),
    note: z.string(),
    path: z.string(),
  })
  .register(z.globalRegistry, { id: "MemoryCitationEntry" });
export type MemoryCitationEntry = z.infer<typeof MemoryCitationEntry>;

export const MemoryCitation = z
  .object({
    entries: z.array(MemoryCitationEntry),
    threadIds: z.array(z.string()),
  })
  .register(z.globalRegistry, { id: "MemoryCitation" });
export type MemoryCitation = z.infer<typeof MemoryCitation>;

export const MisalignmentSteer = z
  .object({
    message: z.string(),
  })
  .register(z.globalRegistry, { id: "MisalignmentSteer" });
export type MisalignmentSteer = z.infer<typeof MisalignmentSteer>;

export const MisalignmentErrorDetails = z
  .object({
    /** A substantive localized explanation is required before offering continuation. */
    detailedExplanation: z.string().nullish(),
    /** Open-ended classification; clients must accept categories added by Responses. */
    errorType: z.string().nullish(),
    /** Opaque server-issued block target. Presence alone does not enable target-based continuation. */
    reviewTarget: z.string().nullish(),
    /** Instruction to submit as the next turn's user input if continuation is confirmed. */
    steer: MisalignmentSteer.nullish(),
  })
  .register(z.globalRegistry, { id: "MisalignmentErrorDetails" });
export type MisalignmentErrorDetails = z.infer<typeof MisalignmentErrorDetails>;

export const PatchApplyStatus = z.enum(["inProgress", "completed", "failed", "declined"]).register(z.globalRegistry, { id: "PatchApplyStatus" });
export type PatchApplyStatus = z.infer<typeof PatchApplyStatus>;

export const SubAgentActivityKind = z.enum(["started", "interacted", "interrupted", "completed"]).register(z.globalRegistry, { id: "SubAgentActivityKind" });
export type SubAgentActivityKind = z.infer<typeof SubAgentActivityKind>;

export const WebSearchAction = z
  .discriminatedUnion("type", [
    z.object({
      queries: z.array(z.string()).nullish(),
      query: z.string().nullish(),
      type: z.literal("search"),
    }),
    z.object({
      type: z.literal("openPage"),
      url: z.string().nullish(),
    }),
    z.object({
      pattern: z.string().nullish(),
      type: z.literal("findInPage"),
      url: z.string().nullish(),
    }),
    z.object({
      type: z.literal("other"),
    }),
  ])
  .register(z.globalRegistry, { id: "WebSearchAction" });
export type WebSearchAction = z.infer<typeof WebSearchAction>;

/** A thread item and its recorded lifecycle times. The payload stays flat on the wire. */
export const ThreadItem = z
  .intersection(
    z.object({
      /** Unix timestamp in milliseconds when the item completed, if recorded. */
      completedAtMs: z.int().nullish(),
      /** Unix timestamp in milliseconds when the item started, if recorded. */
      startedAtMs: z.int().nullish(),
    }),
    z.union([
      z.object({
        clientId: z.string().nullish(),
        content: z.array(UserInput),
        id: z.string(),
        type: z.literal("userMessage"),
      }),
      z.object({
        fragments: z.array(HookPromptFragment),
        id: z.string(),
        type: z.literal("hookPrompt"),
      }),
      z.object({
        delivery: AgentMessageDelivery.nullish(),
        id: z.string(),
        memoryCitation: MemoryCitation.nullish(),
        moderation: AgentMessageModeration.nullish(),
        phase: MessagePhase.nullish(),
        questions: z.array(AsyncUserInputQuestion).nullish(),
        text: z.string(),
        type: z.literal("agentMessage"),
      }),
      z.object({
        id: z.string(),
        name: z.string(),
        namespace: z.string().nullish(),
        output: FunctionCallOutputBody,
        type: z.literal("functionCallOutput"),
      }),
      z.object({
        id: z.string(),
        text: z.string(),
        type: z.literal("plan"),
      }),
      z.object({
        content: z.array(z.string()).optional(),
        id: z.string(),
        summary: z.array(z.string()).optional(),
        type: z.literal("reasoning"),
      }),
      z.object({
        /** The command's output, aggregated from stdout and stderr. */
        aggregatedOutput: z.string().nullish(),
        /** The command to be executed. */
        command: z.string(),
        /** A best-effort parsing of the command to understand the action(s) it will perform. This returns a list of CommandAction objects because a single shell command may be composed of many commands piped together. */
        commandActions: z.array(CommandAction),
        /** The command's working directory. */
        cwd: LegacyAppPathString,
        /** The duration of the command execution in milliseconds. */
        durationMs: z.int().nullish(),
        /** The command's exit code. */
        exitCode: z.int().nullish(),
        id: z.string(),
        /** Trusted first-party plugin id when this command resolves to one plugin script. */
        pluginId: z.string().nullish(),
        /** Identifier for the underlying PTY process (when available). */
        processId: z.string().nullish(),
        /** Safe plugin-relative path when this command resolves to one plugin script. */
        scriptPath: z.string().nullish(),
        source: CommandExecutionSource.optional(),
        status: CommandExecutionStatus,
        type: z.literal("commandExecution"),
      }),
      z.object({
        changes: z.array(FileUpdateChange),
        id: z.string(),
        status: PatchApplyStatus,
        type: z.literal("fileChange"),
      }),
      z.object({
        appContext: McpToolCallAppContext.nullish(),
        arguments: z.unknown(),
        /** The duration of the MCP tool call in milliseconds. */
        durationMs: z.int().nullish(),
        error: McpToolCallError.nullish(),
        id: z.string(),
        /** Legacy compatibility field; prefer `mcpAppUi.resourceUri` when available. */
        mcpAppResourceUri: z.string().nullish(),
        /** Presentation captured from the invoked descriptor; absent in older history. */
        mcpAppUi: McpAppUi.nullish(),
        pluginId: z.string().nullish(),
        readOnlyHint: z.boolean().nullish(),
        result: McpToolCallResult.nullish(),
        server: z.string(),
        status: McpToolCallStatus,
        tool: z.string(),
        type: z.literal("mcpToolCall"),
      }),
      z.object({
        arguments: z.unknown(),
        contentItems: z.array(DynamicToolCallOutputContentItem).nullish(),
        /** The duration of the dynamic tool call in milliseconds. */
        durationMs: z.int().nullish(),
        id: z.string(),
        namespace: z.string().nullish(),
        status: DynamicToolCallStatus,
        success: z.boolean().nullish(),
        tool: z.string(),
        type: z.literal("dynamicToolCall"),
      }),
      z.object({
        /** Last known status of the target agents, when available. */
        agentsStates: z.record(z.string(), CollabAgentState),
        /** Unique identifier for this collab tool call. */
        id: z.string(),
        /** Model requested for the spawned agent, when applicable. */
        model: z.string().nullish(),
        /** Prompt text sent as part of the collab tool call, when available. */
        prompt: z.string().nullish(),
        /** Reasoning effort requested for the spawned agent, when applicable. */
        reasoningEffort: ReasoningEffort.nullish(),
        /** Thread ID of the receiving agent, when applicable. In case of spawn operation, this corresponds to the newly spawned agent. */
        receiverThreadIds: z.array(z.string()),
        /** Thread ID of the agent issuing the collab request. */
        senderThreadId: z.string(),
        /** Current status of the collab tool call. */
        status: CollabAgentToolCallStatus,
        /** Name of the collab tool that was invoked. */
        tool: CollabAgentTool,
        type: z.literal("collabAgentToolCall"),
      }),
      z.object({
        agentPath: z.string(),
        agentThreadId: z.string(),
        id: z.string(),
        kind: SubAgentActivityKind,
        /** Resolved model at sub-agent creation; absent from older records and other activities. */
        model: z.string().nullish(),
        /** Resolved reasoning effort at sub-agent creation, when known. */
        reasoningEffort: ReasoningEffort.nullish(),
        type: z.literal("subAgentActivity"),
      }),
      z.object({
        action: WebSearchAction.nullish(),
        id: z.string(),
        query: z.string(),
        /** Structured search results returned out-of-band by standalone web search.
         *
         * These stay as opaque JSON at the extension/app-server boundary so new result fields and result types can pass through without a Codex release. */
        results: z.array(z.unknown()).nullish(),
        type: z.literal("webSearch"),
      }),
      z.object({
        id: z.string(),
        path: LegacyAppPathString,
        type: z.literal("imageView"),
      }),
      z.object({
        durationMs: z.int().min(0),
        id: z.string(),
        type: z.literal("sleep"),
      }),
      z.intersection(
        z.object({
          failure: ImageGenerationFailure.nullish(),
          /** Image generation identifier for the generated image, when provided by the image backend. */
          generationId: z.string().nullish(),
          id: z.string(),
          /** Observed local inputs for a completed generation, absent on older items. */
          inputImages: z.array(ImageGenerationInputImage).optional(),
          revisedPrompt: z.string().nullish(),
          savedPath: AbsolutePathBuf.nullish(),
          status: z.string(),
          transparentBackground: z.boolean().nullish(),
          type: z.literal("imageGeneration"),
        }),
        z.union([
          z.object({
            fileId: z.string(),
          }),
          z.object({
            result: z.string(),
          }),
        ]),
      ),
      z.object({
        id: z.string(),
        review: z.string(),
        type: z.literal("enteredReviewMode"),
      }),
      z.object({
        id: z.string(),
        review: z.string(),
        type: z.literal("exitedReviewMode"),
      }),
      z.object({
        id: z.string(),
        type: z.literal("contextCompaction"),
      }),
    ]),
  )
  .register(z.globalRegistry, { id: "ThreadItem" });
export type ThreadItem = z.infer<typeof ThreadItem>;

export const TurnError = z
  .object({
    additionalDetails: z.string().nullish(),
    codexErrorInfo: CodexErrorInfo.nullish(),
    message: z.string(),
    /** Optional public explanation and continuation instruction for a misalignment block. */
    misalignment: MisalignmentErrorDetails.nullish(),
  })
  .register(z.globalRegistry, { id: "TurnError" });
export type TurnError = z.infer<typeof TurnError>;

export const TurnStatus = z.enum(["completed", "interrupted", "failed", "inProgress"]).register(z.globalRegistry, { id: "TurnStatus" });
export type TurnStatus = z.infer<typeof TurnStatus>;

export const Turn = z
  .object({
    /** Unix timestamp (in seconds) when the turn completed. */
    completedAt: z.int().nullish(),
    /** Duration between turn start and completion in milliseconds, if known. */
    durationMs: z.int().nullish(),
    /** Error associated with a failed or interrupted turn. */
    error: TurnError.nullish(),
    /** Identifier for this turn. Codex-generated turn IDs are UUIDv7. */
    id: z.string(),
    /** Thread items currently included in this turn payload. */
    items: z.array(ThreadItem),
    /** Describes how much of `items` has been loaded for this turn. */
    itemsView: TurnItemsView.optional(),
    /** ID of the first turn in the chain of work that led to this turn. Pass this as `rootTurnId` when starting work on behalf of this turn. May be null in older history or a `review/start` response. */
    rootTurnId: z.string().nullish(),
    /** Unix timestamp (in seconds) when the turn started. */
    startedAt: z.int().nullish(),
    status: TurnStatus,
  })
  .register(z.globalRegistry, { id: "Turn" });
export type Turn = z.infer<typeof Turn>;
