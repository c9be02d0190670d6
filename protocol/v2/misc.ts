// misc: v2 protocol payloads, field for field as the reference (codex-cli 0.169.0).
// Bootstrapped from the reference JSON Schema by scripts/protocol-from-reference.mjs; maintained by hand since.
// Conventions: optional params fields are .nullish(), optional result fields .nullable()
// and always present; every named type is registered with .register(z.globalRegistry, { id }) so the generated
// schema's definitions match (not .meta({ id }), which builds the schema twice: a clone to register).
import * as z from "zod";
import { NoParams, request, type RequestTable } from "../define.js";
import { TurnError } from "./shared.js";

export const ErrorNotification = z
  .object({
    error: TurnError,
    threadId: z.string(),
    turnId: z.string(),
    willRetry: z.boolean(),
  })
  .register(z.globalRegistry, { id: "ErrorNotification" });
export type ErrorNotification = z.infer<typeof ErrorNotification>;

export const RequestId = z.union([z.string(), z.int()]).register(z.globalRegistry, { id: "RequestId" });
export type RequestId = z.infer<typeof RequestId>;

export const ServerRequestResolvedNotification = z
  .object({
    requestId: RequestId,
    threadId: z.string(),
  })
  .register(z.globalRegistry, { id: "ServerRequestResolvedNotification" });
export type ServerRequestResolvedNotification = z.infer<typeof ServerRequestResolvedNotification>;

export const WarningNotification = z
  .object({
    /** Concise warning message for the user. */
    message: z.string(),
    /** Optional thread target when the warning applies to a specific thread. */
    threadId: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "WarningNotification" });
export type WarningNotification = z.infer<typeof WarningNotification>;

export const WindowsSandboxReadiness = z.enum(["ready", "notConfigured", "updateRequired"]).register(z.globalRegistry, { id: "WindowsSandboxReadiness" });
export type WindowsSandboxReadiness = z.infer<typeof WindowsSandboxReadiness>;

export const WindowsSandboxReadinessResponse = z
  .object({
    status: WindowsSandboxReadiness,
  })
  .register(z.globalRegistry, { id: "WindowsSandboxReadinessResponse" });
export type WindowsSandboxReadinessResponse = z.infer<typeof WindowsSandboxReadinessResponse>;

export const WindowsWorldWritableWarningNotification = z
  .object({
    extraCount: z.int().min(0),
    failedScan: z.boolean(),
    samplePaths: z.array(z.string()),
  })
  .register(z.globalRegistry, { id: "WindowsWorldWritableWarningNotification" });
export type WindowsWorldWritableWarningNotification = z.infer<typeof WindowsWorldWritableWarningNotification>;

// fuzzyFileSearch's rows are in fuzzyFileSearch.ts: a first search need not build this module's shared types.
/** This module's client requests: rows of the v2 table (methods.ts puts them in wire order); the dispatcher loads one module's rows on the first request for one of them (v2/requestGroups.ts). */
export const miscRequests = {
  "windowsSandbox/readiness": request(NoParams, WindowsSandboxReadinessResponse),
} as const satisfies RequestTable;
