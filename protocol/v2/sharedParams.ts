// sharedParams: the shared v2 types that request params use, field for field as the reference (codex-cli 0.169.0).
// Moved out of shared.ts (which re-exports them), so that validating a thread or turn request builds these
// and not the items and results the rest of shared.ts defines: building the whole of thread.ts and
// shared.ts was two thirds of a fresh daemon's first thread/start. Conventions as shared.ts. Nothing here may
// import shared.ts, thread.ts or turn.ts (server/handlers/requestHeads.test.ts checks what loading a group builds).
import * as z from "zod";
import { AbsolutePathBuf } from "./paths.js";

export const ThreadId = z.string().register(z.globalRegistry, { id: "ThreadId" });
export type ThreadId = z.infer<typeof ThreadId>;

/** Configures who approval requests are routed to for review. Examples include sandbox escapes, blocked network access, MCP approval prompts, and ARC escalations. Defaults to `user`. `auto_review` uses a carefully prompted subagent to gather relevant context and apply a risk-based decision framework before approving or denying the request. The legacy value `guardian_subagent` is accepted for compatibility. */
export const ApprovalsReviewer = z.enum(["user", "auto_review", "guardian_subagent"]).register(z.globalRegistry, { id: "ApprovalsReviewer" });
export type ApprovalsReviewer = z.infer<typeof ApprovalsReviewer>;

export const AskForApproval = z
  .union([
    z.enum(["untrusted", "on-request", "never"]),
    z.strictObject({
      granular: z.object({
        mcp_elicitations: z.boolean(),
        request_permissions: z.boolean().optional(),
        rules: z.boolean(),
        sandbox_approval: z.boolean(),
        skill_approval: z.boolean().optional(),
      }),
    }),
  ])
  .register(z.globalRegistry, { id: "AskForApproval" });
export type AskForApproval = z.infer<typeof AskForApproval>;

export const ByteRange = z
  .object({
    end: z.int().min(0),
    start: z.int().min(0),
  })
  .register(z.globalRegistry, { id: "ByteRange" });
export type ByteRange = z.infer<typeof ByteRange>;

/** Initial collaboration mode to use when the TUI starts. */
export const ModeKind = z.enum(["plan", "default"]).register(z.globalRegistry, { id: "ModeKind" });
export type ModeKind = z.infer<typeof ModeKind>;

/** A non-empty reasoning effort value advertised by the model. */
export const ReasoningEffort = z.string().register(z.globalRegistry, { id: "ReasoningEffort" });
export type ReasoningEffort = z.infer<typeof ReasoningEffort>;

/** Settings for a collaboration mode. */
export const Settings = z
  .object({
    developer_instructions: z.string().nullish(),
    model: z.string(),
    reasoning_effort: ReasoningEffort.nullish(),
  })
  .register(z.globalRegistry, { id: "Settings" });
export type Settings = z.infer<typeof Settings>;

/** Collaboration mode for a Codex session. */
export const CollaborationMode = z
  .object({
    mode: ModeKind,
    settings: Settings,
  })
  .register(z.globalRegistry, { id: "CollaborationMode" });
export type CollaborationMode = z.infer<typeof CollaborationMode>;

export const LegacyAppPathString = z.string().register(z.globalRegistry, { id: "LegacyAppPathString" });
export type LegacyAppPathString = z.infer<typeof LegacyAppPathString>;

/** Requested cyber treatment for an OpenAI model turn. Authorization and model-tier restrictions remain server-owned. */
export const CyberAccessProgram = z.enum(["standard", "daybreakBlue", "daybreakRed"]).register(z.globalRegistry, { id: "CyberAccessProgram" });
export type CyberAccessProgram = z.infer<typeof CyberAccessProgram>;

export const ImageDetail = z.enum(["auto", "low", "high", "original"]).register(z.globalRegistry, { id: "ImageDetail" });
export type ImageDetail = z.infer<typeof ImageDetail>;

/** Responses API compatible content items that can be returned by a tool call. This is a subset of ContentItem with the types we support as function call outputs. */
export const FunctionCallOutputContentItem = z
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
      encrypted_content: z.string(),
      type: z.literal("encrypted_content"),
    }),
  ])
  .register(z.globalRegistry, { id: "FunctionCallOutputContentItem" });
export type FunctionCallOutputContentItem = z.infer<typeof FunctionCallOutputContentItem>;

export const FunctionCallOutputBody = z
  .union([z.string(), z.array(FunctionCallOutputContentItem)])
  .register(z.globalRegistry, { id: "FunctionCallOutputBody" });
export type FunctionCallOutputBody = z.infer<typeof FunctionCallOutputBody>;

/** Classifies assistant text as commentary, a partial answer, or a terminal answer.
 *
 * Providers do not emit this consistently, so callers must treat `None` as "phase unknown" and keep compatibility behavior for legacy models. */
export const MessagePhase = z
  .union([z.literal("commentary"), z.literal("partial_answer"), z.literal("final_answer")])
  .register(z.globalRegistry, { id: "MessagePhase" });
export type MessagePhase = z.infer<typeof MessagePhase>;

/** Controls the effective multi-agent delegation instructions for a turn. `custom` means the configured mode hint defines the policy instead of a built-in policy. */
export const MultiAgentMode = z
  .union([
    z.enum(["explicitRequestOnly", "proactive"]),
    z.strictObject({
      custom: z.string(),
    }),
  ])
  .register(z.globalRegistry, { id: "MultiAgentMode" });
export type MultiAgentMode = z.infer<typeof MultiAgentMode>;

export const NetworkAccess = z.enum(["restricted", "enabled"]).register(z.globalRegistry, { id: "NetworkAccess" });
export type NetworkAccess = z.infer<typeof NetworkAccess>;

/** Deprecated: `friendly` and `pragmatic` no longer select a style. */
export const Personality = z.enum(["none", "friendly", "pragmatic"]).register(z.globalRegistry, { id: "Personality" });
export type Personality = z.infer<typeof Personality>;

/** A summary of the reasoning performed by the model. This can be useful for debugging and understanding the model's reasoning process. See https://platform.openai.com/docs/guides/reasoning?api-mode=responses#reasoning-summaries */
export const ReasoningSummary = z.union([z.enum(["auto", "concise", "detailed"]), z.literal("none")]).register(z.globalRegistry, { id: "ReasoningSummary" });
export type ReasoningSummary = z.infer<typeof ReasoningSummary>;

export const SandboxMode = z.enum(["read-only", "workspace-write", "danger-full-access"]).register(z.globalRegistry, { id: "SandboxMode" });
export type SandboxMode = z.infer<typeof SandboxMode>;

export const SandboxPolicy = z
  .discriminatedUnion("type", [
    z.object({
      type: z.literal("dangerFullAccess"),
    }),
    z.object({
      networkAccess: z.boolean().optional(),
      type: z.literal("readOnly"),
    }),
    z.object({
      networkAccess: NetworkAccess.optional(),
      type: z.literal("externalSandbox"),
    }),
    z.object({
      excludeSlashTmp: z.boolean().optional(),
      excludeTmpdirEnvVar: z.boolean().optional(),
      networkAccess: z.boolean().optional(),
      type: z.literal("workspaceWrite"),
      writableRoots: z.array(AbsolutePathBuf).optional(),
    }),
  ])
  .register(z.globalRegistry, { id: "SandboxPolicy" });
export type SandboxPolicy = z.infer<typeof SandboxPolicy>;

export const TextElement = z
  .object({
    /** Byte range in the parent `text` buffer that this element occupies. */
    byteRange: ByteRange,
    /** Optional human-readable placeholder for the element, displayed in the UI. */
    placeholder: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "TextElement" });
export type TextElement = z.infer<typeof TextElement>;

export const UserInput = z
  .union([
    z.object({
      text: z.string(),
      /** UI-defined spans within `text` used to render or persist special elements. */
      text_elements: z.array(TextElement).optional(),
      type: z.literal("text"),
    }),
    z.intersection(
      z.object({
        detail: ImageDetail.nullish(),
        type: z.literal("image"),
      }),
      z.union([
        z.object({
          url: z.string(),
        }),
        z.object({
          fileId: z.string(),
        }),
      ]),
    ),
    z.object({
      detail: ImageDetail.nullish(),
      path: z.string(),
      type: z.literal("localImage"),
    }),
    z.intersection(
      z.object({
        type: z.literal("audio"),
      }),
      z.union([
        z.object({
          url: z.string(),
        }),
        z.object({
          fileId: z.string(),
        }),
      ]),
    ),
    z.object({
      path: z.string(),
      type: z.literal("localAudio"),
    }),
    z.object({
      name: z.string(),
      path: z.string(),
      type: z.literal("skill"),
    }),
    z.object({
      name: z.string(),
      path: z.string(),
      type: z.literal("mention"),
    }),
  ])
  .register(z.globalRegistry, { id: "UserInput" });
export type UserInput = z.infer<typeof UserInput>;

export const TurnItemsView = z.union([z.literal("notLoaded"), z.literal("summary"), z.literal("full")]).register(z.globalRegistry, { id: "TurnItemsView" });
export type TurnItemsView = z.infer<typeof TurnItemsView>;

export const TurnEnvironmentParams = z
  .object({
    cwd: LegacyAppPathString,
    environmentId: z.string(),
    /** Environment-native runtime workspace roots. Omitted defaults to `cwd`. */
    runtimeWorkspaceRoots: z.array(LegacyAppPathString).nullish(),
  })
  .register(z.globalRegistry, { id: "TurnEnvironmentParams" });
export type TurnEnvironmentParams = z.infer<typeof TurnEnvironmentParams>;
