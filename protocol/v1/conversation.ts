// conversation: v1 protocol payloads, field for field as the reference (codex-cli 0.80.0).
// Bootstrapped from the reference JSON Schema by scripts/protocol-from-reference.mjs; maintained by hand since.
// Conventions: optional params fields are .nullish(), optional result fields .nullable()
// and always present; every named type is registered with .register(z.globalRegistry, { id }) so the generated
// schema's definitions match (not .meta({ id }), which builds the schema twice: a clone to register).
import * as z from "zod";
import { AbsolutePathBuf } from "../v2/paths.js";
import { ThreadId } from "../v2/sharedParams.js";
import { V1ReasoningSummary, V1SandboxMode } from "./conversationParams.js";
import { EventMsg, TurnAbortReason, V1AskForApproval, V1ReasoningEffort } from "./shared.js";

export {
  AddConversationListenerParams,
  ArchiveConversationParams,
  ExecOneOffCommandParams,
  ForkConversationParams,
  GetAuthStatusParams,
  GetConversationSummaryParams,
  GitDiffToRemoteParams,
  InputItem,
  InterruptConversationParams,
  ListConversationsParams,
  LoginApiKeyParams,
  NewConversationParams,
  RemoveConversationListenerParams,
  ResumeConversationParams,
  SendUserMessageParams,
  SendUserTurnParams,
  SetDefaultModelParams,
  V1ReasoningSummary,
  V1SandboxMode,
} from "./conversationParams.js";

export const AddConversationSubscriptionResponse = z
  .object({
    subscriptionId: z.string(),
  })
  .register(z.globalRegistry, { id: "AddConversationSubscriptionResponse" });
export type AddConversationSubscriptionResponse = z.infer<typeof AddConversationSubscriptionResponse>;

export const ArchiveConversationResponse = z.record(z.string(), z.unknown()).register(z.globalRegistry, { id: "ArchiveConversationResponse" });
export type ArchiveConversationResponse = z.infer<typeof ArchiveConversationResponse>;

export const V1AuthMode = z.enum(["apikey", "chatgpt"]).register(z.globalRegistry, { id: "V1AuthMode" });
export type V1AuthMode = z.infer<typeof V1AuthMode>;

/** Deprecated notification. Use AccountUpdatedNotification instead. */
export const AuthStatusChangeNotification = z
  .object({
    authMethod: V1AuthMode.nullish(),
  })
  .register(z.globalRegistry, { id: "AuthStatusChangeNotification" });
export type AuthStatusChangeNotification = z.infer<typeof AuthStatusChangeNotification>;

export const ConversationGitInfo = z
  .object({
    branch: z.string().nullish(),
    origin_url: z.string().nullish(),
    sha: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "ConversationGitInfo" });
export type ConversationGitInfo = z.infer<typeof ConversationGitInfo>;

export const V1SubAgentSource = z
  .union([
    z.enum(["review", "compact"]),
    z.strictObject({
      other: z.string(),
    }),
  ])
  .register(z.globalRegistry, { id: "V1SubAgentSource" });
export type V1SubAgentSource = z.infer<typeof V1SubAgentSource>;

export const V1SessionSource = z
  .union([
    z.enum(["cli", "vscode", "exec", "mcp", "unknown"]),
    z.strictObject({
      subagent: V1SubAgentSource,
    }),
  ])
  .register(z.globalRegistry, { id: "V1SessionSource" });
export type V1SessionSource = z.infer<typeof V1SessionSource>;

export const ConversationSummary = z
  .object({
    cliVersion: z.string(),
    conversationId: ThreadId,
    cwd: z.string(),
    gitInfo: ConversationGitInfo.nullish(),
    modelProvider: z.string(),
    path: z.string(),
    preview: z.string(),
    source: V1SessionSource,
    timestamp: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "ConversationSummary" });
export type ConversationSummary = z.infer<typeof ConversationSummary>;

export const ExecOneOffCommandResponse = z
  .object({
    exitCode: z.int(),
    stderr: z.string(),
    stdout: z.string(),
  })
  .register(z.globalRegistry, { id: "ExecOneOffCommandResponse" });
export type ExecOneOffCommandResponse = z.infer<typeof ExecOneOffCommandResponse>;

export const V1ForcedLoginMethod = z.enum(["chatgpt", "api"]).register(z.globalRegistry, { id: "V1ForcedLoginMethod" });
export type V1ForcedLoginMethod = z.infer<typeof V1ForcedLoginMethod>;

export const ForkConversationResponse = z
  .object({
    conversationId: ThreadId,
    initialMessages: z.array(EventMsg).nullish(),
    model: z.string(),
    rolloutPath: z.string(),
  })
  .register(z.globalRegistry, { id: "ForkConversationResponse" });
export type ForkConversationResponse = z.infer<typeof ForkConversationResponse>;

export const GetAuthStatusResponse = z
  .object({
    authMethod: V1AuthMode.nullish(),
    authToken: z.string().nullish(),
    requiresOpenaiAuth: z.boolean().nullish(),
  })
  .register(z.globalRegistry, { id: "GetAuthStatusResponse" });
export type GetAuthStatusResponse = z.infer<typeof GetAuthStatusResponse>;

export const GetConversationSummaryResponse = z
  .object({
    summary: ConversationSummary,
  })
  .register(z.globalRegistry, { id: "GetConversationSummaryResponse" });
export type GetConversationSummaryResponse = z.infer<typeof GetConversationSummaryResponse>;

export const GetUserAgentResponse = z
  .object({
    userAgent: z.string(),
  })
  .register(z.globalRegistry, { id: "GetUserAgentResponse" });
export type GetUserAgentResponse = z.infer<typeof GetUserAgentResponse>;

/** Controls output length/detail on GPT-5 models via the Responses API. Serialized with lowercase values to match the OpenAI API. */
export const V1Verbosity = z.enum(["low", "medium", "high"]).register(z.globalRegistry, { id: "V1Verbosity" });
export type V1Verbosity = z.infer<typeof V1Verbosity>;

export const Profile = z
  .object({
    approvalPolicy: V1AskForApproval.nullish(),
    chatgptBaseUrl: z.string().nullish(),
    model: z.string().nullish(),
    modelProvider: z.string().nullish(),
    modelReasoningEffort: V1ReasoningEffort.nullish(),
    modelReasoningSummary: V1ReasoningSummary.nullish(),
    modelVerbosity: V1Verbosity.nullish(),
  })
  .register(z.globalRegistry, { id: "Profile" });
export type Profile = z.infer<typeof Profile>;

export const SandboxSettings = z
  .object({
    excludeSlashTmp: z.boolean().nullish(),
    excludeTmpdirEnvVar: z.boolean().nullish(),
    networkAccess: z.boolean().nullish(),
    writableRoots: z.array(AbsolutePathBuf).optional(),
  })
  .register(z.globalRegistry, { id: "SandboxSettings" });
export type SandboxSettings = z.infer<typeof SandboxSettings>;

export const Tools = z
  .object({
    viewImage: z.boolean().nullish(),
    webSearch: z.boolean().nullish(),
  })
  .register(z.globalRegistry, { id: "Tools" });
export type Tools = z.infer<typeof Tools>;

export const UserSavedConfig = z
  .object({
    approvalPolicy: V1AskForApproval.nullish(),
    forcedChatgptWorkspaceId: z.string().nullish(),
    forcedLoginMethod: V1ForcedLoginMethod.nullish(),
    model: z.string().nullish(),
    modelReasoningEffort: V1ReasoningEffort.nullish(),
    modelReasoningSummary: V1ReasoningSummary.nullish(),
    modelVerbosity: V1Verbosity.nullish(),
    profile: z.string().nullish(),
    profiles: z.record(z.string(), Profile),
    sandboxMode: V1SandboxMode.nullish(),
    sandboxSettings: SandboxSettings.nullish(),
    tools: Tools.nullish(),
  })
  .register(z.globalRegistry, { id: "UserSavedConfig" });
export type UserSavedConfig = z.infer<typeof UserSavedConfig>;

export const GetUserSavedConfigResponse = z
  .object({
    config: UserSavedConfig,
  })
  .register(z.globalRegistry, { id: "GetUserSavedConfigResponse" });
export type GetUserSavedConfigResponse = z.infer<typeof GetUserSavedConfigResponse>;

export const GitSha = z.string().register(z.globalRegistry, { id: "GitSha" });
export type GitSha = z.infer<typeof GitSha>;

export const GitDiffToRemoteResponse = z
  .object({
    diff: z.string(),
    sha: GitSha,
  })
  .register(z.globalRegistry, { id: "GitDiffToRemoteResponse" });
export type GitDiffToRemoteResponse = z.infer<typeof GitDiffToRemoteResponse>;

export const InterruptConversationResponse = z
  .object({
    abortReason: TurnAbortReason,
  })
  .register(z.globalRegistry, { id: "InterruptConversationResponse" });
export type InterruptConversationResponse = z.infer<typeof InterruptConversationResponse>;

export const ListConversationsResponse = z
  .object({
    items: z.array(ConversationSummary),
    nextCursor: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "ListConversationsResponse" });
export type ListConversationsResponse = z.infer<typeof ListConversationsResponse>;

export const LoginApiKeyResponse = z.record(z.string(), z.unknown()).register(z.globalRegistry, { id: "LoginApiKeyResponse" });
export type LoginApiKeyResponse = z.infer<typeof LoginApiKeyResponse>;

export const NewConversationResponse = z
  .object({
    conversationId: ThreadId,
    model: z.string(),
    reasoningEffort: V1ReasoningEffort.nullish(),
    rolloutPath: z.string(),
  })
  .register(z.globalRegistry, { id: "NewConversationResponse" });
export type NewConversationResponse = z.infer<typeof NewConversationResponse>;

export const RemoveConversationSubscriptionResponse = z
  .record(z.string(), z.unknown())
  .register(z.globalRegistry, { id: "RemoveConversationSubscriptionResponse" });
export type RemoveConversationSubscriptionResponse = z.infer<typeof RemoveConversationSubscriptionResponse>;

export const ResumeConversationResponse = z
  .object({
    conversationId: ThreadId,
    initialMessages: z.array(EventMsg).nullish(),
    model: z.string(),
    rolloutPath: z.string(),
  })
  .register(z.globalRegistry, { id: "ResumeConversationResponse" });
export type ResumeConversationResponse = z.infer<typeof ResumeConversationResponse>;

export const SendUserMessageResponse = z.record(z.string(), z.unknown()).register(z.globalRegistry, { id: "SendUserMessageResponse" });
export type SendUserMessageResponse = z.infer<typeof SendUserMessageResponse>;

export const SendUserTurnResponse = z.record(z.string(), z.unknown()).register(z.globalRegistry, { id: "SendUserTurnResponse" });
export type SendUserTurnResponse = z.infer<typeof SendUserTurnResponse>;

export const SessionConfiguredNotification = z
  .object({
    historyEntryCount: z.int().min(0),
    historyLogId: z.int().min(0),
    initialMessages: z.array(EventMsg).nullish(),
    model: z.string(),
    reasoningEffort: V1ReasoningEffort.nullish(),
    rolloutPath: z.string(),
    sessionId: ThreadId,
  })
  .register(z.globalRegistry, { id: "SessionConfiguredNotification" });
export type SessionConfiguredNotification = z.infer<typeof SessionConfiguredNotification>;

export const SetDefaultModelResponse = z.record(z.string(), z.unknown()).register(z.globalRegistry, { id: "SetDefaultModelResponse" });
export type SetDefaultModelResponse = z.infer<typeof SetDefaultModelResponse>;
