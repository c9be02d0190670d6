// conversationParams: the v1 types that requests' params use (reference: codex-cli 0.80.0), apart from the
// results and events so that a legacy client's first request builds only these (server/handlers/
// lazyTable.ts loads protocol/v1/requestHeads.ts). conversation.ts re-exports them; moved here unchanged.
// Conventions as in conversation.ts: optional params fields are .nullish(), every named type is registered
// with .register(z.globalRegistry, { id }).
import * as z from "zod";
import { ThreadId } from "../v2/sharedParams.js";
import { V1AskForApproval, V1ReasoningEffort, V1ResponseItem, V1SandboxPolicy } from "./sharedParams.js";

export const AddConversationListenerParams = z
  .object({
    conversationId: ThreadId,
    experimentalRawEvents: z.boolean().optional(),
  })
  .register(z.globalRegistry, { id: "AddConversationListenerParams" });
export type AddConversationListenerParams = z.infer<typeof AddConversationListenerParams>;

export const ArchiveConversationParams = z
  .object({
    conversationId: ThreadId,
    rolloutPath: z.string(),
  })
  .register(z.globalRegistry, { id: "ArchiveConversationParams" });
export type ArchiveConversationParams = z.infer<typeof ArchiveConversationParams>;

export const ExecOneOffCommandParams = z
  .object({
    command: z.array(z.string()),
    cwd: z.string().nullish(),
    sandboxPolicy: V1SandboxPolicy.nullish(),
    timeoutMs: z.int().min(0).nullish(),
  })
  .register(z.globalRegistry, { id: "ExecOneOffCommandParams" });
export type ExecOneOffCommandParams = z.infer<typeof ExecOneOffCommandParams>;

export const V1SandboxMode = z.enum(["read-only", "workspace-write", "danger-full-access"]).register(z.globalRegistry, { id: "V1SandboxMode" });
export type V1SandboxMode = z.infer<typeof V1SandboxMode>;

export const NewConversationParams = z
  .object({
    approvalPolicy: V1AskForApproval.nullish(),
    baseInstructions: z.string().nullish(),
    compactPrompt: z.string().nullish(),
    config: z.record(z.string(), z.unknown()).nullish(),
    cwd: z.string().nullish(),
    developerInstructions: z.string().nullish(),
    includeApplyPatchTool: z.boolean().nullish(),
    model: z.string().nullish(),
    modelProvider: z.string().nullish(),
    profile: z.string().nullish(),
    sandbox: V1SandboxMode.nullish(),
  })
  .register(z.globalRegistry, { id: "NewConversationParams" });
export type NewConversationParams = z.infer<typeof NewConversationParams>;

export const ForkConversationParams = z
  .object({
    conversationId: ThreadId.nullish(),
    overrides: NewConversationParams.nullish(),
    path: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "ForkConversationParams" });
export type ForkConversationParams = z.infer<typeof ForkConversationParams>;

export const GetAuthStatusParams = z
  .object({
    includeToken: z.boolean().nullish(),
    refreshToken: z.boolean().nullish(),
  })
  .register(z.globalRegistry, { id: "GetAuthStatusParams" });
export type GetAuthStatusParams = z.infer<typeof GetAuthStatusParams>;

export const GetConversationSummaryParams = z
  .union([
    z.object({
      rolloutPath: z.string(),
    }),
    z.object({
      conversationId: ThreadId,
    }),
  ])
  .register(z.globalRegistry, { id: "GetConversationSummaryParams" });
export type GetConversationSummaryParams = z.infer<typeof GetConversationSummaryParams>;

/** A summary of the reasoning performed by the model. This can be useful for debugging and understanding the model's reasoning process. See https://platform.openai.com/docs/guides/reasoning?api-mode=responses#reasoning-summaries */
export const V1ReasoningSummary = z
  .union([z.enum(["auto", "concise", "detailed"]), z.literal("none")])
  .register(z.globalRegistry, { id: "V1ReasoningSummary" });
export type V1ReasoningSummary = z.infer<typeof V1ReasoningSummary>;

export const GitDiffToRemoteParams = z
  .object({
    cwd: z.string(),
  })
  .register(z.globalRegistry, { id: "GitDiffToRemoteParams" });
export type GitDiffToRemoteParams = z.infer<typeof GitDiffToRemoteParams>;

export const InputItem = z
  .discriminatedUnion("type", [
    z.object({
      data: z.object({
        text: z.string(),
      }),
      type: z.literal("text"),
    }),
    z.object({
      data: z.object({
        image_url: z.string(),
      }),
      type: z.literal("image"),
    }),
    z.object({
      data: z.object({
        path: z.string(),
      }),
      type: z.literal("localImage"),
    }),
  ])
  .register(z.globalRegistry, { id: "InputItem" });
export type InputItem = z.infer<typeof InputItem>;

export const InterruptConversationParams = z
  .object({
    conversationId: ThreadId,
  })
  .register(z.globalRegistry, { id: "InterruptConversationParams" });
export type InterruptConversationParams = z.infer<typeof InterruptConversationParams>;

export const ListConversationsParams = z
  .object({
    cursor: z.string().nullish(),
    modelProviders: z.array(z.string()).nullish(),
    pageSize: z.int().min(0).nullish(),
  })
  .register(z.globalRegistry, { id: "ListConversationsParams" });
export type ListConversationsParams = z.infer<typeof ListConversationsParams>;

export const LoginApiKeyParams = z
  .object({
    apiKey: z.string(),
  })
  .register(z.globalRegistry, { id: "LoginApiKeyParams" });
export type LoginApiKeyParams = z.infer<typeof LoginApiKeyParams>;

export const RemoveConversationListenerParams = z
  .object({
    subscriptionId: z.string(),
  })
  .register(z.globalRegistry, { id: "RemoveConversationListenerParams" });
export type RemoveConversationListenerParams = z.infer<typeof RemoveConversationListenerParams>;

export const ResumeConversationParams = z
  .object({
    conversationId: ThreadId.nullish(),
    history: z.array(V1ResponseItem).nullish(),
    overrides: NewConversationParams.nullish(),
    path: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "ResumeConversationParams" });
export type ResumeConversationParams = z.infer<typeof ResumeConversationParams>;

export const SendUserMessageParams = z
  .object({
    conversationId: ThreadId,
    items: z.array(InputItem),
  })
  .register(z.globalRegistry, { id: "SendUserMessageParams" });
export type SendUserMessageParams = z.infer<typeof SendUserMessageParams>;

export const SendUserTurnParams = z
  .object({
    approvalPolicy: V1AskForApproval,
    conversationId: ThreadId,
    cwd: z.string(),
    effort: V1ReasoningEffort.nullish(),
    items: z.array(InputItem),
    model: z.string(),
    /** Optional JSON Schema used to constrain the final assistant message for this turn. */
    outputSchema: z.unknown().optional(),
    sandboxPolicy: V1SandboxPolicy,
    summary: V1ReasoningSummary,
  })
  .register(z.globalRegistry, { id: "SendUserTurnParams" });
export type SendUserTurnParams = z.infer<typeof SendUserTurnParams>;

export const SetDefaultModelParams = z
  .object({
    model: z.string().nullish(),
    reasoningEffort: V1ReasoningEffort.nullish(),
  })
  .register(z.globalRegistry, { id: "SetDefaultModelParams" });
export type SetDefaultModelParams = z.infer<typeof SetDefaultModelParams>;
