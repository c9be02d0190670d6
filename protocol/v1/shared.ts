// shared: v1 protocol payloads, field for field as the reference (codex-cli 0.80.0).
// Bootstrapped from the reference JSON Schema by scripts/protocol-from-reference.mjs; maintained by hand since.
// Conventions: optional params fields are .nullish(), optional result fields .nullable()
// and always present; every named type is registered with .register(z.globalRegistry, { id }) so the generated
// schema's definitions match (not .meta({ id }), which builds the schema twice: a clone to register).
import * as z from "zod";
import { ThreadId } from "../v2/sharedParams.js";
import { V1AskForApproval, V1ReasoningEffort, V1ResponseItem, V1SandboxPolicy } from "./sharedParams.js";

export {
  FunctionCallOutputPayload,
  GhostCommit,
  V1AskForApproval,
  V1ContentItem,
  V1FunctionCallOutputContentItem,
  V1LocalShellAction,
  V1LocalShellStatus,
  V1NetworkAccess,
  V1ReasoningEffort,
  V1ReasoningItemContent,
  V1ReasoningItemReasoningSummary,
  V1ResponseItem,
  V1SandboxPolicy,
  V1WebSearchAction,
} from "./sharedParams.js";

export const AgentMessageContent = z
  .object({
    text: z.string(),
    type: z.literal("Text"),
  })
  .register(z.globalRegistry, { id: "AgentMessageContent" });
export type AgentMessageContent = z.infer<typeof AgentMessageContent>;

/** The sender or recipient of messages and data in a conversation. */
export const Role = z.enum(["assistant", "user"]).register(z.globalRegistry, { id: "Role" });
export type Role = z.infer<typeof Role>;

/** Optional annotations for the client. The client can use annotations to inform how objects are used or displayed */
export const Annotations = z
  .object({
    audience: z.array(Role).nullish(),
    lastModified: z.string().nullish(),
    priority: z.number().nullish(),
  })
  .register(z.globalRegistry, { id: "Annotations" });
export type Annotations = z.infer<typeof Annotations>;

/** Audio provided to or from an LLM. */
export const AudioContent = z
  .object({
    annotations: Annotations.nullish(),
    data: z.string(),
    mimeType: z.string(),
    type: z.string(),
  })
  .register(z.globalRegistry, { id: "AudioContent" });
export type AudioContent = z.infer<typeof AudioContent>;

export const BlobResourceContents = z
  .object({
    blob: z.string(),
    mimeType: z.string().nullish(),
    uri: z.string(),
  })
  .register(z.globalRegistry, { id: "BlobResourceContents" });
export type BlobResourceContents = z.infer<typeof BlobResourceContents>;

export const TextResourceContents = z
  .object({
    mimeType: z.string().nullish(),
    text: z.string(),
    uri: z.string(),
  })
  .register(z.globalRegistry, { id: "TextResourceContents" });
export type TextResourceContents = z.infer<typeof TextResourceContents>;

export const EmbeddedResourceResource = z.union([TextResourceContents, BlobResourceContents]).register(z.globalRegistry, { id: "EmbeddedResourceResource" });
export type EmbeddedResourceResource = z.infer<typeof EmbeddedResourceResource>;

/** The contents of a resource, embedded into a prompt or tool call result.
 *
 * It is up to the client how best to render embedded resources for the benefit of the LLM and/or the user. */
export const EmbeddedResource = z
  .object({
    annotations: Annotations.nullish(),
    resource: EmbeddedResourceResource,
    type: z.string(),
  })
  .register(z.globalRegistry, { id: "EmbeddedResource" });
export type EmbeddedResource = z.infer<typeof EmbeddedResource>;

/** An image provided to or from an LLM. */
export const ImageContent = z
  .object({
    annotations: Annotations.nullish(),
    data: z.string(),
    mimeType: z.string(),
    type: z.string(),
  })
  .register(z.globalRegistry, { id: "ImageContent" });
export type ImageContent = z.infer<typeof ImageContent>;

/** A resource that the server is capable of reading, included in a prompt or tool call result.
 *
 * Note: resource links returned by tools are not guaranteed to appear in the results of `resources/list` requests. */
export const ResourceLink = z
  .object({
    annotations: Annotations.nullish(),
    description: z.string().nullish(),
    mimeType: z.string().nullish(),
    name: z.string(),
    size: z.int().nullish(),
    title: z.string().nullish(),
    type: z.string(),
    uri: z.string(),
  })
  .register(z.globalRegistry, { id: "ResourceLink" });
export type ResourceLink = z.infer<typeof ResourceLink>;

/** Text provided to or from an LLM. */
export const TextContent = z
  .object({
    annotations: Annotations.nullish(),
    text: z.string(),
    type: z.string(),
  })
  .register(z.globalRegistry, { id: "TextContent" });
export type TextContent = z.infer<typeof TextContent>;

export const ContentBlock = z
  .union([TextContent, ImageContent, AudioContent, ResourceLink, EmbeddedResource])
  .register(z.globalRegistry, { id: "ContentBlock" });
export type ContentBlock = z.infer<typeof ContentBlock>;

/** The server's response to a tool call. */
export const CallToolResult = z
  .object({
    content: z.array(ContentBlock),
    isError: z.boolean().nullish(),
    structuredContent: z.unknown().optional(),
  })
  .register(z.globalRegistry, { id: "CallToolResult" });
export type CallToolResult = z.infer<typeof CallToolResult>;

/** Codex errors that we expose to clients. */
export const V1CodexErrorInfo = z
  .union([
    z.enum([
      "context_window_exceeded",
      "usage_limit_exceeded",
      "internal_server_error",
      "unauthorized",
      "bad_request",
      "sandbox_error",
      "thread_rollback_failed",
      "other",
    ]),
    z.strictObject({
      http_connection_failed: z.object({
        http_status_code: z.int().min(0).nullish(),
      }),
    }),
    z.strictObject({
      response_stream_connection_failed: z.object({
        http_status_code: z.int().min(0).nullish(),
      }),
    }),
    z.strictObject({
      response_stream_disconnected: z.object({
        http_status_code: z.int().min(0).nullish(),
      }),
    }),
    z.strictObject({
      response_too_many_failed_attempts: z.object({
        http_status_code: z.int().min(0).nullish(),
      }),
    }),
  ])
  .register(z.globalRegistry, { id: "V1CodexErrorInfo" });
export type V1CodexErrorInfo = z.infer<typeof V1CodexErrorInfo>;

export const CreditsSnapshot = z
  .object({
    balance: z.string().nullish(),
    has_credits: z.boolean(),
    unlimited: z.boolean(),
  })
  .register(z.globalRegistry, { id: "CreditsSnapshot" });
export type CreditsSnapshot = z.infer<typeof CreditsSnapshot>;

export const CustomPrompt = z
  .object({
    argument_hint: z.string().nullish(),
    content: z.string(),
    description: z.string().nullish(),
    name: z.string(),
    path: z.string(),
  })
  .register(z.globalRegistry, { id: "CustomPrompt" });
export type CustomPrompt = z.infer<typeof CustomPrompt>;

export const Duration = z
  .object({
    nanos: z.int().min(0),
    secs: z.int().min(0),
  })
  .register(z.globalRegistry, { id: "Duration" });
export type Duration = z.infer<typeof Duration>;

export const ExecCommandSource = z
  .enum(["agent", "user_shell", "unified_exec_startup", "unified_exec_interaction"])
  .register(z.globalRegistry, { id: "ExecCommandSource" });
export type ExecCommandSource = z.infer<typeof ExecCommandSource>;

export const ExecOutputStream = z.enum(["stdout", "stderr"]).register(z.globalRegistry, { id: "ExecOutputStream" });
export type ExecOutputStream = z.infer<typeof ExecOutputStream>;

export const V1FileChange = z
  .discriminatedUnion("type", [
    z.object({
      content: z.string(),
      type: z.literal("add"),
    }),
    z.object({
      content: z.string(),
      type: z.literal("delete"),
    }),
    z.object({
      move_path: z.string().nullish(),
      type: z.literal("update"),
      unified_diff: z.string(),
    }),
  ])
  .register(z.globalRegistry, { id: "V1FileChange" });
export type V1FileChange = z.infer<typeof V1FileChange>;

export const HistoryEntry = z
  .object({
    conversation_id: z.string(),
    text: z.string(),
    ts: z.int().min(0),
  })
  .register(z.globalRegistry, { id: "HistoryEntry" });
export type HistoryEntry = z.infer<typeof HistoryEntry>;

export const V1McpAuthStatus = z.enum(["unsupported", "not_logged_in", "bearer_token", "o_auth"]).register(z.globalRegistry, { id: "V1McpAuthStatus" });
export type V1McpAuthStatus = z.infer<typeof V1McpAuthStatus>;

export const McpInvocation = z
  .object({
    /** Arguments to the tool call. */
    arguments: z.unknown().optional(),
    /** Name of the MCP server as defined in the config. */
    server: z.string(),
    /** Name of the tool as given by the MCP server. */
    tool: z.string(),
  })
  .register(z.globalRegistry, { id: "McpInvocation" });
export type McpInvocation = z.infer<typeof McpInvocation>;

export const McpStartupFailure = z
  .object({
    error: z.string(),
    server: z.string(),
  })
  .register(z.globalRegistry, { id: "McpStartupFailure" });
export type McpStartupFailure = z.infer<typeof McpStartupFailure>;

export const McpStartupStatus = z
  .discriminatedUnion("state", [
    z.object({
      state: z.literal("starting"),
    }),
    z.object({
      state: z.literal("ready"),
    }),
    z.object({
      error: z.string(),
      state: z.literal("failed"),
    }),
    z.object({
      state: z.literal("cancelled"),
    }),
  ])
  .register(z.globalRegistry, { id: "McpStartupStatus" });
export type McpStartupStatus = z.infer<typeof McpStartupStatus>;

export const V1ParsedCommand = z
  .discriminatedUnion("type", [
    z.object({
      cmd: z.string(),
      name: z.string(),
      /** (Best effort) Path to the file being read by the command. When possible, this is an absolute path, though when relative, it should be resolved against the `cwd`` that will be used to run the command to derive the absolute path. */
      path: z.string(),
      type: z.literal("read"),
    }),
    z.object({
      cmd: z.string(),
      path: z.string().nullish(),
      type: z.literal("list_files"),
    }),
    z.object({
      cmd: z.string(),
      path: z.string().nullish(),
      query: z.string().nullish(),
      type: z.literal("search"),
    }),
    z.object({
      cmd: z.string(),
      type: z.literal("unknown"),
    }),
  ])
  .register(z.globalRegistry, { id: "V1ParsedCommand" });
export type V1ParsedCommand = z.infer<typeof V1ParsedCommand>;

export const StepStatus = z.enum(["pending", "in_progress", "completed"]).register(z.globalRegistry, { id: "StepStatus" });
export type StepStatus = z.infer<typeof StepStatus>;

export const PlanItemArg = z
  .strictObject({
    status: StepStatus,
    step: z.string(),
  })
  .register(z.globalRegistry, { id: "PlanItemArg" });
export type PlanItemArg = z.infer<typeof PlanItemArg>;

export const V1PlanType = z.enum(["free", "plus", "pro", "team", "business", "enterprise", "edu", "unknown"]).register(z.globalRegistry, { id: "V1PlanType" });
export type V1PlanType = z.infer<typeof V1PlanType>;

export const RateLimitWindow = z
  .object({
    /** Unix timestamp (seconds since epoch) when the window resets. */
    resets_at: z.int().nullish(),
    /** Percentage (0-100) of the window that has been consumed. */
    used_percent: z.number(),
    /** Rolling window duration, in minutes. */
    window_minutes: z.int().nullish(),
  })
  .register(z.globalRegistry, { id: "RateLimitWindow" });
export type RateLimitWindow = z.infer<typeof RateLimitWindow>;

export const RateLimitSnapshot = z
  .object({
    credits: CreditsSnapshot.nullish(),
    plan_type: V1PlanType.nullish(),
    primary: RateLimitWindow.nullish(),
    secondary: RateLimitWindow.nullish(),
  })
  .register(z.globalRegistry, { id: "RateLimitSnapshot" });
export type RateLimitSnapshot = z.infer<typeof RateLimitSnapshot>;

export const V1RequestId = z.union([z.string(), z.int()]).register(z.globalRegistry, { id: "V1RequestId" });
export type V1RequestId = z.infer<typeof V1RequestId>;

/** A known resource that the server is capable of reading. */
export const V1Resource = z
  .object({
    annotations: Annotations.nullish(),
    description: z.string().nullish(),
    mimeType: z.string().nullish(),
    name: z.string(),
    size: z.int().nullish(),
    title: z.string().nullish(),
    uri: z.string(),
  })
  .register(z.globalRegistry, { id: "V1Resource" });
export type V1Resource = z.infer<typeof V1Resource>;

/** A template description for resources available on the server. */
export const V1ResourceTemplate = z
  .object({
    annotations: Annotations.nullish(),
    description: z.string().nullish(),
    mimeType: z.string().nullish(),
    name: z.string(),
    title: z.string().nullish(),
    uriTemplate: z.string(),
  })
  .register(z.globalRegistry, { id: "V1ResourceTemplate" });
export type V1ResourceTemplate = z.infer<typeof V1ResourceTemplate>;

export const Result_of_CallToolResult_or_String = z
  .union([
    z.object({
      Ok: CallToolResult,
    }),
    z.object({
      Err: z.string(),
    }),
  ])
  .register(z.globalRegistry, { id: "Result_of_CallToolResult_or_String" });
export type Result_of_CallToolResult_or_String = z.infer<typeof Result_of_CallToolResult_or_String>;

/** Inclusive line range in a file associated with the finding. */
export const ReviewLineRange = z
  .object({
    end: z.int().min(0),
    start: z.int().min(0),
  })
  .register(z.globalRegistry, { id: "ReviewLineRange" });
export type ReviewLineRange = z.infer<typeof ReviewLineRange>;

/** Location of the code related to a review finding. */
export const ReviewCodeLocation = z
  .object({
    absolute_file_path: z.string(),
    line_range: ReviewLineRange,
  })
  .register(z.globalRegistry, { id: "ReviewCodeLocation" });
export type ReviewCodeLocation = z.infer<typeof ReviewCodeLocation>;

/** A single review finding describing an observed issue or recommendation. */
export const ReviewFinding = z
  .object({
    body: z.string(),
    code_location: ReviewCodeLocation,
    confidence_score: z.number(),
    priority: z.int(),
    title: z.string(),
  })
  .register(z.globalRegistry, { id: "ReviewFinding" });
export type ReviewFinding = z.infer<typeof ReviewFinding>;

/** Structured review result produced by a child review session. */
export const ReviewOutputEvent = z
  .object({
    findings: z.array(ReviewFinding),
    overall_confidence_score: z.number(),
    overall_correctness: z.string(),
    overall_explanation: z.string(),
  })
  .register(z.globalRegistry, { id: "ReviewOutputEvent" });
export type ReviewOutputEvent = z.infer<typeof ReviewOutputEvent>;

export const V1ReviewTarget = z
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
  .register(z.globalRegistry, { id: "V1ReviewTarget" });
export type V1ReviewTarget = z.infer<typeof V1ReviewTarget>;

export const V1SkillErrorInfo = z
  .object({
    message: z.string(),
    path: z.string(),
  })
  .register(z.globalRegistry, { id: "V1SkillErrorInfo" });
export type V1SkillErrorInfo = z.infer<typeof V1SkillErrorInfo>;

export const V1SkillScope = z.enum(["user", "repo", "system", "admin"]).register(z.globalRegistry, { id: "V1SkillScope" });
export type V1SkillScope = z.infer<typeof V1SkillScope>;

export const V1SkillMetadata = z
  .object({
    description: z.string(),
    name: z.string(),
    path: z.string(),
    scope: V1SkillScope,
    short_description: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "V1SkillMetadata" });
export type V1SkillMetadata = z.infer<typeof V1SkillMetadata>;

export const V1SkillsListEntry = z
  .object({
    cwd: z.string(),
    errors: z.array(V1SkillErrorInfo),
    skills: z.array(V1SkillMetadata),
  })
  .register(z.globalRegistry, { id: "V1SkillsListEntry" });
export type V1SkillsListEntry = z.infer<typeof V1SkillsListEntry>;

export const TokenUsage = z
  .object({
    cached_input_tokens: z.int(),
    input_tokens: z.int(),
    output_tokens: z.int(),
    reasoning_output_tokens: z.int(),
    total_tokens: z.int(),
  })
  .register(z.globalRegistry, { id: "TokenUsage" });
export type TokenUsage = z.infer<typeof TokenUsage>;

export const TokenUsageInfo = z
  .object({
    last_token_usage: TokenUsage,
    model_context_window: z.int().nullish(),
    total_token_usage: TokenUsage,
  })
  .register(z.globalRegistry, { id: "TokenUsageInfo" });
export type TokenUsageInfo = z.infer<typeof TokenUsageInfo>;

/** Additional properties describing a Tool to clients.
 *
 * NOTE: all properties in ToolAnnotations are **hints**. They are not guaranteed to provide a faithful description of tool behavior (including descriptive properties like `title`).
 *
 * Clients should never make tool use decisions based on ToolAnnotations received from untrusted servers. */
export const ToolAnnotations = z
  .object({
    destructiveHint: z.boolean().nullish(),
    idempotentHint: z.boolean().nullish(),
    openWorldHint: z.boolean().nullish(),
    readOnlyHint: z.boolean().nullish(),
    title: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "ToolAnnotations" });
export type ToolAnnotations = z.infer<typeof ToolAnnotations>;

/** A JSON Schema object defining the expected parameters for the tool. */
export const ToolInputSchema = z
  .object({
    properties: z.unknown().optional(),
    required: z.array(z.string()).nullish(),
    type: z.string().optional(),
  })
  .register(z.globalRegistry, { id: "ToolInputSchema" });
export type ToolInputSchema = z.infer<typeof ToolInputSchema>;

/** An optional JSON Schema object defining the structure of the tool's output returned in the structuredContent field of a CallToolResult. */
export const ToolOutputSchema = z
  .object({
    properties: z.unknown().optional(),
    required: z.array(z.string()).nullish(),
    type: z.string().optional(),
  })
  .register(z.globalRegistry, { id: "ToolOutputSchema" });
export type ToolOutputSchema = z.infer<typeof ToolOutputSchema>;

/** Definition for a tool the client can call. */
export const V1Tool = z
  .object({
    annotations: ToolAnnotations.nullish(),
    description: z.string().nullish(),
    inputSchema: ToolInputSchema,
    name: z.string(),
    outputSchema: ToolOutputSchema.nullish(),
    title: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "V1Tool" });
export type V1Tool = z.infer<typeof V1Tool>;

export const TurnAbortReason = z.enum(["interrupted", "replaced", "review_ended"]).register(z.globalRegistry, { id: "TurnAbortReason" });
export type TurnAbortReason = z.infer<typeof TurnAbortReason>;

/** User input */
export const V1UserInput = z
  .discriminatedUnion("type", [
    z.object({
      text: z.string(),
      type: z.literal("text"),
    }),
    z.object({
      image_url: z.string(),
      type: z.literal("image"),
    }),
    z.object({
      path: z.string(),
      type: z.literal("local_image"),
    }),
    z.object({
      name: z.string(),
      path: z.string(),
      type: z.literal("skill"),
    }),
  ])
  .register(z.globalRegistry, { id: "V1UserInput" });
export type V1UserInput = z.infer<typeof V1UserInput>;

export const TurnItem = z
  .discriminatedUnion("type", [
    z.object({
      content: z.array(V1UserInput),
      id: z.string(),
      type: z.literal("UserMessage"),
    }),
    z.object({
      content: z.array(AgentMessageContent),
      id: z.string(),
      type: z.literal("AgentMessage"),
    }),
    z.object({
      id: z.string(),
      raw_content: z.array(z.string()).optional(),
      summary_text: z.array(z.string()),
      type: z.literal("Reasoning"),
    }),
    z.object({
      id: z.string(),
      query: z.string(),
      type: z.literal("WebSearch"),
    }),
  ])
  .register(z.globalRegistry, { id: "TurnItem" });
export type TurnItem = z.infer<typeof TurnItem>;

/** Response event from the agent NOTE: Make sure none of these values have optional types, as it will mess up the extension code-gen. */
export const EventMsg = z
  .discriminatedUnion("type", [
    z.object({
      codex_error_info: V1CodexErrorInfo.nullish(),
      message: z.string(),
      type: z.literal("error"),
    }),
    z.object({
      message: z.string(),
      type: z.literal("warning"),
    }),
    z.object({
      type: z.literal("context_compacted"),
    }),
    z.object({
      /** Number of user turns that were removed from context. */
      num_turns: z.int().min(0),
      type: z.literal("thread_rolled_back"),
    }),
    z.object({
      model_context_window: z.int().nullish(),
      type: z.literal("task_started"),
    }),
    z.object({
      last_agent_message: z.string().nullish(),
      type: z.literal("task_complete"),
    }),
    z.object({
      info: TokenUsageInfo.nullish(),
      rate_limits: RateLimitSnapshot.nullish(),
      type: z.literal("token_count"),
    }),
    z.object({
      message: z.string(),
      type: z.literal("agent_message"),
    }),
    z.object({
      images: z.array(z.string()).nullish(),
      message: z.string(),
      type: z.literal("user_message"),
    }),
    z.object({
      delta: z.string(),
      type: z.literal("agent_message_delta"),
    }),
    z.object({
      text: z.string(),
      type: z.literal("agent_reasoning"),
    }),
    z.object({
      delta: z.string(),
      type: z.literal("agent_reasoning_delta"),
    }),
    z.object({
      text: z.string(),
      type: z.literal("agent_reasoning_raw_content"),
    }),
    z.object({
      delta: z.string(),
      type: z.literal("agent_reasoning_raw_content_delta"),
    }),
    z.object({
      item_id: z.string().optional(),
      summary_index: z.int().optional(),
      type: z.literal("agent_reasoning_section_break"),
    }),
    z.object({
      /** When to escalate for approval for execution */
      approval_policy: V1AskForApproval,
      /** Working directory that should be treated as the *root* of the session. */
      cwd: z.string(),
      /** Current number of entries in the history log. */
      history_entry_count: z.int().min(0),
      /** Identifier of the history log file (inode on Unix, 0 otherwise). */
      history_log_id: z.int().min(0),
      /** Optional initial messages (as events) for resumed sessions. When present, UIs can use these to seed the history. */
      initial_messages: z.array(z.lazy((): z.ZodType => EventMsg)).nullish(),
      /** Tell the client what model is being queried. */
      model: z.string(),
      model_provider_id: z.string(),
      /** The effort the model is putting into reasoning about the user's request. */
      reasoning_effort: V1ReasoningEffort.nullish(),
      rollout_path: z.string(),
      /** How to sandbox commands executed in the system */
      sandbox_policy: V1SandboxPolicy,
      /** Name left as session_id instead of thread_id for backwards compatibility. */
      session_id: ThreadId,
      type: z.literal("session_configured"),
    }),
    z.object({
      /** Server name being started. */
      server: z.string(),
      /** Current startup status. */
      status: McpStartupStatus,
      type: z.literal("mcp_startup_update"),
    }),
    z.object({
      cancelled: z.array(z.string()),
      failed: z.array(McpStartupFailure),
      ready: z.array(z.string()),
      type: z.literal("mcp_startup_complete"),
    }),
    z.object({
      /** Identifier so this can be paired with the McpToolCallEnd event. */
      call_id: z.string(),
      invocation: McpInvocation,
      type: z.literal("mcp_tool_call_begin"),
    }),
    z.object({
      /** Identifier for the corresponding McpToolCallBegin that finished. */
      call_id: z.string(),
      duration: Duration,
      invocation: McpInvocation,
      /** Result of the tool call. Note this could be an error. */
      result: Result_of_CallToolResult_or_String,
      type: z.literal("mcp_tool_call_end"),
    }),
    z.object({
      call_id: z.string(),
      type: z.literal("web_search_begin"),
    }),
    z.object({
      call_id: z.string(),
      query: z.string(),
      type: z.literal("web_search_end"),
    }),
    z.object({
      /** Identifier so this can be paired with the ExecCommandEnd event. */
      call_id: z.string(),
      /** The command to be executed. */
      command: z.array(z.string()),
      /** The command's working directory if not the default cwd for the agent. */
      cwd: z.string(),
      /** Raw input sent to a unified exec session (if this is an interaction event). */
      interaction_input: z.string().nullish(),
      parsed_cmd: z.array(V1ParsedCommand),
      /** Identifier for the underlying PTY process (when available). */
      process_id: z.string().nullish(),
      /** Where the command originated. Defaults to Agent for backward compatibility. */
      source: ExecCommandSource.optional(),
      /** Turn ID that this command belongs to. */
      turn_id: z.string(),
      type: z.literal("exec_command_begin"),
    }),
    z.object({
      /** Identifier for the ExecCommandBegin that produced this chunk. */
      call_id: z.string(),
      /** Raw bytes from the stream (may not be valid UTF-8). */
      chunk: z.string(),
      /** Which stream produced this chunk. */
      stream: ExecOutputStream,
      type: z.literal("exec_command_output_delta"),
    }),
    z.object({
      /** Identifier for the ExecCommandBegin that produced this chunk. */
      call_id: z.string(),
      /** Process id associated with the running command. */
      process_id: z.string(),
      /** Stdin sent to the running session. */
      stdin: z.string(),
      type: z.literal("terminal_interaction"),
    }),
    z.object({
      /** Captured aggregated output */
      aggregated_output: z.string().optional(),
      /** Identifier for the ExecCommandBegin that finished. */
      call_id: z.string(),
      /** The command that was executed. */
      command: z.array(z.string()),
      /** The command's working directory if not the default cwd for the agent. */
      cwd: z.string(),
      /** The duration of the command execution. */
      duration: Duration,
      /** The command's exit code. */
      exit_code: z.int(),
      /** Formatted output from the command, as seen by the model. */
      formatted_output: z.string(),
      /** Raw input sent to a unified exec session (if this is an interaction event). */
      interaction_input: z.string().nullish(),
      parsed_cmd: z.array(V1ParsedCommand),
      /** Identifier for the underlying PTY process (when available). */
      process_id: z.string().nullish(),
      /** Where the command originated. Defaults to Agent for backward compatibility. */
      source: ExecCommandSource.optional(),
      /** Captured stderr */
      stderr: z.string(),
      /** Captured stdout */
      stdout: z.string(),
      /** Turn ID that this command belongs to. */
      turn_id: z.string(),
      type: z.literal("exec_command_end"),
    }),
    z.object({
      /** Identifier for the originating tool call. */
      call_id: z.string(),
      /** Local filesystem path provided to the tool. */
      path: z.string(),
      type: z.literal("view_image_tool_call"),
    }),
    z.object({
      /** Identifier for the associated exec call, if available. */
      call_id: z.string(),
      /** The command to be executed. */
      command: z.array(z.string()),
      /** The command's working directory. */
      cwd: z.string(),
      parsed_cmd: z.array(V1ParsedCommand),
      /** Proposed execpolicy amendment that can be applied to allow future runs. */
      proposed_execpolicy_amendment: z.array(z.string()).nullish(),
      /** Optional human-readable reason for the approval (e.g. retry without sandbox). */
      reason: z.string().nullish(),
      /** Turn ID that this command belongs to. Uses `#[serde(default)]` for backwards compatibility. */
      turn_id: z.string().optional(),
      type: z.literal("exec_approval_request"),
    }),
    z.object({
      id: V1RequestId,
      message: z.string(),
      server_name: z.string(),
      type: z.literal("elicitation_request"),
    }),
    z.object({
      /** Responses API call id for the associated patch apply call, if available. */
      call_id: z.string(),
      changes: z.record(z.string(), V1FileChange),
      /** When set, the agent is asking the user to allow writes under this root for the remainder of the session. */
      grant_root: z.string().nullish(),
      /** Optional explanatory reason (e.g. request for extra write access). */
      reason: z.string().nullish(),
      /** Turn ID that this patch belongs to. Uses `#[serde(default)]` for backwards compatibility with older senders. */
      turn_id: z.string().optional(),
      type: z.literal("apply_patch_approval_request"),
    }),
    z.object({
      /** Optional extra guidance, such as migration steps or rationale. */
      details: z.string().nullish(),
      /** Concise summary of what is deprecated. */
      summary: z.string(),
      type: z.literal("deprecation_notice"),
    }),
    z.object({
      message: z.string(),
      type: z.literal("background_event"),
    }),
    z.object({
      message: z.string().nullish(),
      type: z.literal("undo_started"),
    }),
    z.object({
      message: z.string().nullish(),
      success: z.boolean(),
      type: z.literal("undo_completed"),
    }),
    z.object({
      /** Optional details about the underlying stream failure (often the same human-readable message that is surfaced as the terminal error if retries are exhausted). */
      additional_details: z.string().nullish(),
      codex_error_info: V1CodexErrorInfo.nullish(),
      message: z.string(),
      type: z.literal("stream_error"),
    }),
    z.object({
      /** If true, there was no ApplyPatchApprovalRequest for this patch. */
      auto_approved: z.boolean(),
      /** Identifier so this can be paired with the PatchApplyEnd event. */
      call_id: z.string(),
      /** The changes to be applied. */
      changes: z.record(z.string(), V1FileChange),
      /** Turn ID that this patch belongs to. Uses `#[serde(default)]` for backwards compatibility. */
      turn_id: z.string().optional(),
      type: z.literal("patch_apply_begin"),
    }),
    z.object({
      /** Identifier for the PatchApplyBegin that finished. */
      call_id: z.string(),
      /** The changes that were applied (mirrors PatchApplyBeginEvent::changes). */
      changes: z.record(z.string(), V1FileChange).optional(),
      /** Captured stderr (parser errors, IO failures, etc.). */
      stderr: z.string(),
      /** Captured stdout (summary printed by apply_patch). */
      stdout: z.string(),
      /** Whether the patch was applied successfully. */
      success: z.boolean(),
      /** Turn ID that this patch belongs to. Uses `#[serde(default)]` for backwards compatibility. */
      turn_id: z.string().optional(),
      type: z.literal("patch_apply_end"),
    }),
    z.object({
      type: z.literal("turn_diff"),
      unified_diff: z.string(),
    }),
    z.object({
      /** The entry at the requested offset, if available and parseable. */
      entry: HistoryEntry.nullish(),
      log_id: z.int().min(0),
      offset: z.int().min(0),
      type: z.literal("get_history_entry_response"),
    }),
    z.object({
      /** Authentication status for each configured MCP server. */
      auth_statuses: z.record(z.string(), V1McpAuthStatus),
      /** Known resource templates grouped by server name. */
      resource_templates: z.record(z.string(), z.array(V1ResourceTemplate)),
      /** Known resources grouped by server name. */
      resources: z.record(z.string(), z.array(V1Resource)),
      /** Fully qualified tool name -> tool definition. */
      tools: z.record(z.string(), V1Tool),
      type: z.literal("mcp_list_tools_response"),
    }),
    z.object({
      custom_prompts: z.array(CustomPrompt),
      type: z.literal("list_custom_prompts_response"),
    }),
    z.object({
      skills: z.array(V1SkillsListEntry),
      type: z.literal("list_skills_response"),
    }),
    z.object({
      type: z.literal("skills_update_available"),
    }),
    z.object({
      explanation: z.string().nullish(),
      plan: z.array(PlanItemArg),
      type: z.literal("plan_update"),
    }),
    z.object({
      reason: TurnAbortReason,
      type: z.literal("turn_aborted"),
    }),
    z.object({
      type: z.literal("shutdown_complete"),
    }),
    z.object({
      target: V1ReviewTarget,
      type: z.literal("entered_review_mode"),
      user_facing_hint: z.string().nullish(),
    }),
    z.object({
      review_output: ReviewOutputEvent.nullish(),
      type: z.literal("exited_review_mode"),
    }),
    z.object({
      item: V1ResponseItem,
      type: z.literal("raw_response_item"),
    }),
    z.object({
      item: TurnItem,
      thread_id: ThreadId,
      turn_id: z.string(),
      type: z.literal("item_started"),
    }),
    z.object({
      item: TurnItem,
      thread_id: ThreadId,
      turn_id: z.string(),
      type: z.literal("item_completed"),
    }),
    z.object({
      delta: z.string(),
      item_id: z.string(),
      thread_id: z.string(),
      turn_id: z.string(),
      type: z.literal("agent_message_content_delta"),
    }),
    z.object({
      delta: z.string(),
      item_id: z.string(),
      summary_index: z.int().optional(),
      thread_id: z.string(),
      turn_id: z.string(),
      type: z.literal("reasoning_content_delta"),
    }),
    z.object({
      content_index: z.int().optional(),
      delta: z.string(),
      item_id: z.string(),
      thread_id: z.string(),
      turn_id: z.string(),
      type: z.literal("reasoning_raw_content_delta"),
    }),
  ])
  .register(z.globalRegistry, { id: "EventMsg" });
export type EventMsg = z.infer<typeof EventMsg>;
