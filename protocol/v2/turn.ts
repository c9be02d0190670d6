// turn: v2 protocol payloads, field for field as the reference (codex-cli 0.169.0).
// Bootstrapped from the reference JSON Schema by scripts/protocol-from-reference.mjs; maintained by hand since.
// Conventions: optional params fields are .nullish(), optional result fields .nullable()
// and always present; every named type is registered with .register(z.globalRegistry, { id }) so the generated
// schema's definitions match (not .meta({ id }), which builds the schema twice: a clone to register).
import * as z from "zod";
import { withResult, type RequestTable } from "../define.js";
import { Turn } from "./shared.js";
import { turnRequestHeads } from "./turnParams.js";

export {
  AdditionalContextEntry,
  AdditionalContextKind,
  ReviewDelivery,
  ReviewStartParams,
  ReviewTarget,
  TurnInterruptParams,
  TurnStartParams,
  TurnSteerParams,
  TurnToolOutput,
} from "./turnParams.js";

export const ReviewStartResponse = z
  .object({
    /** The thread id supplied to `review/start`. */
    reviewThreadId: z.string(),
    turn: Turn,
  })
  .register(z.globalRegistry, { id: "ReviewStartResponse" });
export type ReviewStartResponse = z.infer<typeof ReviewStartResponse>;

export const TurnCompletedNotification = z
  .object({
    threadId: z.string(),
    turn: Turn,
  })
  .register(z.globalRegistry, { id: "TurnCompletedNotification" });
export type TurnCompletedNotification = z.infer<typeof TurnCompletedNotification>;

/** Notification that the turn-level unified diff has changed. Contains the latest aggregated diff across all file changes in the turn. */
export const TurnDiffUpdatedNotification = z
  .object({
    diff: z.string(),
    threadId: z.string(),
    turnId: z.string(),
  })
  .register(z.globalRegistry, { id: "TurnDiffUpdatedNotification" });
export type TurnDiffUpdatedNotification = z.infer<typeof TurnDiffUpdatedNotification>;

export const TurnInterruptResponse = z.record(z.string(), z.unknown()).register(z.globalRegistry, { id: "TurnInterruptResponse" });
export type TurnInterruptResponse = z.infer<typeof TurnInterruptResponse>;

export const TurnPlanStepStatus = z.enum(["pending", "inProgress", "completed"]).register(z.globalRegistry, { id: "TurnPlanStepStatus" });
export type TurnPlanStepStatus = z.infer<typeof TurnPlanStepStatus>;

export const TurnPlanStep = z
  .object({
    status: TurnPlanStepStatus,
    step: z.string(),
  })
  .register(z.globalRegistry, { id: "TurnPlanStep" });
export type TurnPlanStep = z.infer<typeof TurnPlanStep>;

export const TurnPlanUpdatedNotification = z
  .object({
    explanation: z.string().nullish(),
    plan: z.array(TurnPlanStep),
    threadId: z.string(),
    turnId: z.string(),
  })
  .register(z.globalRegistry, { id: "TurnPlanUpdatedNotification" });
export type TurnPlanUpdatedNotification = z.infer<typeof TurnPlanUpdatedNotification>;

export const TurnStartResponse = z
  .object({
    turn: Turn,
  })
  .register(z.globalRegistry, { id: "TurnStartResponse" });
export type TurnStartResponse = z.infer<typeof TurnStartResponse>;

export const TurnStartedNotification = z
  .object({
    threadId: z.string(),
    turn: Turn,
  })
  .register(z.globalRegistry, { id: "TurnStartedNotification" });
export type TurnStartedNotification = z.infer<typeof TurnStartedNotification>;

export const TurnSteerResponse = z
  .object({
    turnId: z.string(),
  })
  .register(z.globalRegistry, { id: "TurnSteerResponse" });
export type TurnSteerResponse = z.infer<typeof TurnSteerResponse>;

/** This module's client requests: rows of the v2 table (methods.ts puts them in wire order); the dispatcher loads one module's rows on the first request for one of them (v2/requestGroups.ts). */
export const turnRequests = {
  "turn/start": withResult(turnRequestHeads["turn/start"], TurnStartResponse),
  "turn/steer": withResult(turnRequestHeads["turn/steer"], TurnSteerResponse),
  "turn/interrupt": withResult(turnRequestHeads["turn/interrupt"], TurnInterruptResponse),
  "review/start": withResult(turnRequestHeads["review/start"], ReviewStartResponse),
} as const satisfies RequestTable;
