// initialize: v2 protocol payloads, field for field as the reference (codex-cli 0.169.0).
// Bootstrapped from the reference JSON Schema by scripts/protocol-from-reference.mjs; maintained by hand since.
// Conventions: optional params fields are .nullish(), optional result fields .nullable()
// and always present; every named type is registered with .register(z.globalRegistry, { id }) so the generated
// schema's definitions match (not .meta({ id }), which builds the schema twice: a clone to register).
import * as z from "zod";
import { request, type RequestTable } from "../define.js";
import { AbsolutePathBuf } from "./paths.js";

export const ClientInfo = z
  .object({
    name: z.string(),
    title: z.string().nullish(),
    version: z.string(),
  })
  .register(z.globalRegistry, { id: "ClientInfo" });
export type ClientInfo = z.infer<typeof ClientInfo>;

/** Client-declared capabilities negotiated during initialize. */
export const InitializeCapabilities = z
  .object({
    /** Opt into receiving experimental API methods and fields. */
    experimentalApi: z.boolean().optional(),
    /** Use explicit gateway OAuth login instead of automatic browser authorization. Applies to this app-server's gateway runtime; later connections cannot undo it. */
    explicitGatewayOauth: z.boolean().optional(),
    /** MCP extension settings declared by the app-server client. */
    extensions: z.record(z.string(), z.unknown()).nullish(),
    /** Legacy opt-in for the `openai/form` MCP extension.
     *
     * New clients should declare `openai/form` in [`Self::extensions`]. */
    mcpServerOpenaiFormElicitation: z.boolean().optional(),
    /** Exact notification method names that should be suppressed for this connection (for example `thread/started`). */
    optOutNotificationMethods: z.array(z.string()).nullish(),
    /** Opt into `attestation/generate` requests for upstream `x-oai-attestation`. */
    requestAttestation: z.boolean().optional(),
    /** Present `humanCommand` approvals to a person and return only a one-time decision. Requires `experimentalApi`. Pending requests can be replayed to compatible clients. */
    requiredHumanApproval: z.boolean().optional(),
  })
  .register(z.globalRegistry, { id: "InitializeCapabilities" });
export type InitializeCapabilities = z.infer<typeof InitializeCapabilities>;

export const InitializeParams = z
  .object({
    capabilities: InitializeCapabilities.nullish(),
    clientInfo: ClientInfo,
  })
  .register(z.globalRegistry, { id: "InitializeParams" });
export type InitializeParams = z.infer<typeof InitializeParams>;

export const InitializeResponse = z
  .object({
    /** Absolute path to the server's $CODEX_HOME directory. */
    codexHome: AbsolutePathBuf,
    /** Platform family for the running app-server target, for example `"unix"` or `"windows"`. */
    platformFamily: z.string(),
    /** Operating system for the running app-server target, for example `"macos"`, `"linux"`, or `"windows"`. */
    platformOs: z.string(),
    userAgent: z.string(),
  })
  .register(z.globalRegistry, { id: "InitializeResponse" });
export type InitializeResponse = z.infer<typeof InitializeResponse>;

/** This module's client requests: rows of the v2 table (methods.ts puts them in wire order); the dispatcher loads one module's rows on the first request for one of them (v2/requestGroups.ts). */
export const initializeRequests = {
  initialize: request(InitializeParams, InitializeResponse),
} as const satisfies RequestTable;
