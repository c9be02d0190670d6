// item: v2 protocol payloads, field for field as the reference (codex-cli 0.169.0).
// Bootstrapped from the reference JSON Schema by scripts/protocol-from-reference.mjs; maintained by hand since.
// Conventions: optional params fields are .nullish(), optional result fields .nullable()
// and always present; every named type is registered with .register(z.globalRegistry, { id }) so the generated
// schema's definitions match (not .meta({ id }), which builds the schema twice: a clone to register).
import * as z from "zod";
import { ThreadItem } from "./shared.js";

export const AgentMessageDeltaNotification = z
  .object({
    delta: z.string(),
    itemId: z.string(),
    threadId: z.string(),
    turnId: z.string(),
  })
  .register(z.globalRegistry, { id: "AgentMessageDeltaNotification" });
export type AgentMessageDeltaNotification = z.infer<typeof AgentMessageDeltaNotification>;

export const CommandExecutionOutputDeltaNotification = z
  .object({
    delta: z.string(),
    itemId: z.string(),
    threadId: z.string(),
    turnId: z.string(),
  })
  .register(z.globalRegistry, { id: "CommandExecutionOutputDeltaNotification" });
export type CommandExecutionOutputDeltaNotification = z.infer<typeof CommandExecutionOutputDeltaNotification>;

/** Deprecated legacy notification for `apply_patch` textual output.
 *
 * The server no longer emits this notification. */
export const FileChangeOutputDeltaNotification = z
  .object({
    delta: z.string(),
    itemId: z.string(),
    threadId: z.string(),
    turnId: z.string(),
  })
  .register(z.globalRegistry, { id: "FileChangeOutputDeltaNotification" });
export type FileChangeOutputDeltaNotification = z.infer<typeof FileChangeOutputDeltaNotification>;

export const ItemCompletedNotification = z
  .object({
    /** Unix timestamp (in milliseconds) when this item lifecycle completed. */
    completedAtMs: z.int(),
    /** Native content tokens for the completed assistant message, including a sampled footer. Null when unavailable. Completion telemetry is not part of the stored thread item. */
    contentTokenCount: z.int().min(0).nullish(),
    item: ThreadItem,
    threadId: z.string(),
    turnId: z.string(),
  })
  .register(z.globalRegistry, { id: "ItemCompletedNotification" });
export type ItemCompletedNotification = z.infer<typeof ItemCompletedNotification>;

export const ItemStartedNotification = z
  .object({
    item: ThreadItem,
    /** Unix timestamp (in milliseconds) when this item lifecycle started. */
    startedAtMs: z.int(),
    threadId: z.string(),
    turnId: z.string(),
  })
  .register(z.globalRegistry, { id: "ItemStartedNotification" });
export type ItemStartedNotification = z.infer<typeof ItemStartedNotification>;

export const McpToolCallProgressNotification = z
  .object({
    itemId: z.string(),
    message: z.string(),
    threadId: z.string(),
    turnId: z.string(),
  })
  .register(z.globalRegistry, { id: "McpToolCallProgressNotification" });
export type McpToolCallProgressNotification = z.infer<typeof McpToolCallProgressNotification>;

/** EXPERIMENTAL - proposed plan streaming deltas for plan items. Clients should not assume concatenated deltas match the completed plan item content. */
export const PlanDeltaNotification = z
  .object({
    delta: z.string(),
    itemId: z.string(),
    threadId: z.string(),
    turnId: z.string(),
  })
  .register(z.globalRegistry, { id: "PlanDeltaNotification" });
export type PlanDeltaNotification = z.infer<typeof PlanDeltaNotification>;

export const ReasoningSummaryPartAddedNotification = z
  .object({
    itemId: z.string(),
    summaryIndex: z.int(),
    threadId: z.string(),
    turnId: z.string(),
  })
  .register(z.globalRegistry, { id: "ReasoningSummaryPartAddedNotification" });
export type ReasoningSummaryPartAddedNotification = z.infer<typeof ReasoningSummaryPartAddedNotification>;

export const ReasoningSummaryTextDeltaNotification = z
  .object({
    delta: z.string(),
    itemId: z.string(),
    summaryIndex: z.int(),
    threadId: z.string(),
    turnId: z.string(),
  })
  .register(z.globalRegistry, { id: "ReasoningSummaryTextDeltaNotification" });
export type ReasoningSummaryTextDeltaNotification = z.infer<typeof ReasoningSummaryTextDeltaNotification>;

export const ReasoningTextDeltaNotification = z
  .object({
    contentIndex: z.int(),
    delta: z.string(),
    itemId: z.string(),
    threadId: z.string(),
    turnId: z.string(),
  })
  .register(z.globalRegistry, { id: "ReasoningTextDeltaNotification" });
export type ReasoningTextDeltaNotification = z.infer<typeof ReasoningTextDeltaNotification>;

export const TerminalInteractionNotification = z
  .object({
    itemId: z.string(),
    processId: z.string(),
    stdin: z.string(),
    threadId: z.string(),
    turnId: z.string(),
  })
  .register(z.globalRegistry, { id: "TerminalInteractionNotification" });
export type TerminalInteractionNotification = z.infer<typeof TerminalInteractionNotification>;
