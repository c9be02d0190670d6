// mcp: v2 protocol payloads, field for field as the reference (codex-cli 0.169.0).
// Bootstrapped from the reference JSON Schema by scripts/protocol-from-reference.mjs; maintained by hand since.
// Conventions: optional params fields are .nullish(), optional result fields .nullable()
// and always present; every named type is registered with .register(z.globalRegistry, { id }) so the generated
// schema's definitions match (not .meta({ id }), which builds the schema twice: a clone to register).
import * as z from "zod";
import { NoParams, request, type RequestTable } from "../define.js";

export const McpServerStatusDetail = z.enum(["full", "toolsAndAuthOnly"]).register(z.globalRegistry, { id: "McpServerStatusDetail" });
export type McpServerStatusDetail = z.infer<typeof McpServerStatusDetail>;

export const ListMcpServerStatusParams = z
  .object({
    /** Opaque pagination cursor returned by a previous call. */
    cursor: z.string().nullish(),
    /** Controls how much MCP inventory data to fetch for each server. Defaults to `Full` when omitted. */
    detail: McpServerStatusDetail.nullish(),
    /** Optional page size; defaults to a server-defined value. */
    limit: z.int().min(0).nullish(),
    /** Limit discovery to one server. With a thread ID, reuse that thread's MCP connection. */
    serverName: z.string().nullish(),
    threadId: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "ListMcpServerStatusParams" });
export type ListMcpServerStatusParams = z.infer<typeof ListMcpServerStatusParams>;

export const McpAuthStatus = z.enum(["unknown", "unsupported", "notLoggedIn", "bearerToken", "oAuth"]).register(z.globalRegistry, { id: "McpAuthStatus" });
export type McpAuthStatus = z.infer<typeof McpAuthStatus>;

export const McpServerConnectionStatus = z
  .enum(["notStarted", "starting", "connected", "authenticationRequired", "failed", "cancelled", "disabled"])
  .register(z.globalRegistry, { id: "McpServerConnectionStatus" });
export type McpServerConnectionStatus = z.infer<typeof McpServerConnectionStatus>;

/** Presentation metadata advertised by an initialized MCP server. */
export const McpServerInfo = z
  .object({
    description: z.string().nullish(),
    icons: z.array(z.unknown()).nullish(),
    name: z.string(),
    title: z.string().nullish(),
    version: z.string(),
    websiteUrl: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "McpServerInfo" });
export type McpServerInfo = z.infer<typeof McpServerInfo>;

/** A known resource that the server is capable of reading. */
export const Resource = z
  .object({
    _meta: z.unknown().optional(),
    annotations: z.unknown().optional(),
    description: z.string().nullish(),
    icons: z.array(z.unknown()).nullish(),
    mimeType: z.string().nullish(),
    name: z.string(),
    size: z.int().nullish(),
    title: z.string().nullish(),
    uri: z.string(),
  })
  .register(z.globalRegistry, { id: "Resource" });
export type Resource = z.infer<typeof Resource>;

/** A template description for resources available on the server. */
export const ResourceTemplate = z
  .object({
    annotations: z.unknown().optional(),
    description: z.string().nullish(),
    mimeType: z.string().nullish(),
    name: z.string(),
    title: z.string().nullish(),
    uriTemplate: z.string(),
  })
  .register(z.globalRegistry, { id: "ResourceTemplate" });
export type ResourceTemplate = z.infer<typeof ResourceTemplate>;

/** Definition for a tool the client can call. */
export const Tool = z
  .object({
    _meta: z.unknown().optional(),
    annotations: z.unknown().optional(),
    description: z.string().nullish(),
    icons: z.array(z.unknown()).nullish(),
    inputSchema: z.unknown(),
    name: z.string(),
    outputSchema: z.unknown().optional(),
    title: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "Tool" });
export type Tool = z.infer<typeof Tool>;

export const McpServerStatus = z
  .object({
    authStatus: McpAuthStatus,
    /** HTTP origin of the effective configured endpoint, including plugin servers. Excludes credentials, path, query, and fragment; null for non-HTTP transports. */
    httpOrigin: z.string().nullish(),
    name: z.string(),
    pluginId: z.string().nullish(),
    resourceTemplates: z.array(ResourceTemplate),
    resources: z.array(Resource),
    /** Current thread-runtime connection state; null when unavailable or the configuration changed. */
    runtimeStatus: McpServerConnectionStatus.nullish(),
    /** Capabilities advertised by the initialized MCP server; null when unavailable. */
    serverCapabilities: z.unknown().optional(),
    serverInfo: McpServerInfo.nullish(),
    /** Opaque `_meta` from the first page of the corresponding MCP tool catalog. Null when unavailable. */
    toolListMeta: z.unknown().optional(),
    tools: z.record(z.string(), Tool),
    /** Tool discovery failed and no catalog was returned. Null when a catalog is returned, including cached or empty catalogs. */
    toolsError: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "McpServerStatus" });
export type McpServerStatus = z.infer<typeof McpServerStatus>;

export const ListMcpServerStatusResponse = z
  .object({
    data: z.array(McpServerStatus),
    /** Opaque cursor to pass to the next call to continue after the last item. If None, there are no more items to return. */
    nextCursor: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "ListMcpServerStatusResponse" });
export type ListMcpServerStatusResponse = z.infer<typeof ListMcpServerStatusResponse>;

export const McpElicitationArrayType = z.literal("array").register(z.globalRegistry, { id: "McpElicitationArrayType" });
export type McpElicitationArrayType = z.infer<typeof McpElicitationArrayType>;

export const McpElicitationBooleanType = z.literal("boolean").register(z.globalRegistry, { id: "McpElicitationBooleanType" });
export type McpElicitationBooleanType = z.infer<typeof McpElicitationBooleanType>;

export const McpElicitationBooleanSchema = z
  .strictObject({
    default: z.boolean().nullish(),
    description: z.string().nullish(),
    title: z.string().nullish(),
    type: McpElicitationBooleanType,
  })
  .register(z.globalRegistry, { id: "McpElicitationBooleanSchema" });
export type McpElicitationBooleanSchema = z.infer<typeof McpElicitationBooleanSchema>;

export const McpElicitationConstOption = z
  .strictObject({
    const: z.string(),
    title: z.string(),
  })
  .register(z.globalRegistry, { id: "McpElicitationConstOption" });
export type McpElicitationConstOption = z.infer<typeof McpElicitationConstOption>;

export const McpElicitationStringType = z.literal("string").register(z.globalRegistry, { id: "McpElicitationStringType" });
export type McpElicitationStringType = z.infer<typeof McpElicitationStringType>;

export const McpElicitationLegacyTitledEnumSchema = z
  .strictObject({
    default: z.string().nullish(),
    description: z.string().nullish(),
    enum: z.array(z.string()),
    enumNames: z.array(z.string()).nullish(),
    title: z.string().nullish(),
    type: McpElicitationStringType,
  })
  .register(z.globalRegistry, { id: "McpElicitationLegacyTitledEnumSchema" });
export type McpElicitationLegacyTitledEnumSchema = z.infer<typeof McpElicitationLegacyTitledEnumSchema>;

export const McpElicitationTitledEnumItems = z
  .strictObject({
    anyOf: z.array(McpElicitationConstOption),
  })
  .register(z.globalRegistry, { id: "McpElicitationTitledEnumItems" });
export type McpElicitationTitledEnumItems = z.infer<typeof McpElicitationTitledEnumItems>;

export const McpElicitationTitledMultiSelectEnumSchema = z
  .strictObject({
    default: z.array(z.string()).nullish(),
    description: z.string().nullish(),
    items: McpElicitationTitledEnumItems,
    maxItems: z.int().min(0).nullish(),
    minItems: z.int().min(0).nullish(),
    title: z.string().nullish(),
    type: McpElicitationArrayType,
  })
  .register(z.globalRegistry, { id: "McpElicitationTitledMultiSelectEnumSchema" });
export type McpElicitationTitledMultiSelectEnumSchema = z.infer<typeof McpElicitationTitledMultiSelectEnumSchema>;

export const McpElicitationUntitledEnumItems = z
  .strictObject({
    enum: z.array(z.string()),
    type: McpElicitationStringType,
  })
  .register(z.globalRegistry, { id: "McpElicitationUntitledEnumItems" });
export type McpElicitationUntitledEnumItems = z.infer<typeof McpElicitationUntitledEnumItems>;

export const McpElicitationUntitledMultiSelectEnumSchema = z
  .strictObject({
    default: z.array(z.string()).nullish(),
    description: z.string().nullish(),
    items: McpElicitationUntitledEnumItems,
    maxItems: z.int().min(0).nullish(),
    minItems: z.int().min(0).nullish(),
    title: z.string().nullish(),
    type: McpElicitationArrayType,
  })
  .register(z.globalRegistry, { id: "McpElicitationUntitledMultiSelectEnumSchema" });
export type McpElicitationUntitledMultiSelectEnumSchema = z.infer<typeof McpElicitationUntitledMultiSelectEnumSchema>;

export const McpElicitationMultiSelectEnumSchema = z
  .union([McpElicitationUntitledMultiSelectEnumSchema, McpElicitationTitledMultiSelectEnumSchema])
  .register(z.globalRegistry, { id: "McpElicitationMultiSelectEnumSchema" });
export type McpElicitationMultiSelectEnumSchema = z.infer<typeof McpElicitationMultiSelectEnumSchema>;

export const McpElicitationTitledSingleSelectEnumSchema = z
  .strictObject({
    default: z.string().nullish(),
    description: z.string().nullish(),
    oneOf: z.array(McpElicitationConstOption),
    title: z.string().nullish(),
    type: McpElicitationStringType,
  })
  .register(z.globalRegistry, { id: "McpElicitationTitledSingleSelectEnumSchema" });
export type McpElicitationTitledSingleSelectEnumSchema = z.infer<typeof McpElicitationTitledSingleSelectEnumSchema>;

export const McpElicitationUntitledSingleSelectEnumSchema = z
  .strictObject({
    default: z.string().nullish(),
    description: z.string().nullish(),
    enum: z.array(z.string()),
    title: z.string().nullish(),
    type: McpElicitationStringType,
  })
  .register(z.globalRegistry, { id: "McpElicitationUntitledSingleSelectEnumSchema" });
export type McpElicitationUntitledSingleSelectEnumSchema = z.infer<typeof McpElicitationUntitledSingleSelectEnumSchema>;

export const McpElicitationSingleSelectEnumSchema = z
  .union([McpElicitationUntitledSingleSelectEnumSchema, McpElicitationTitledSingleSelectEnumSchema])
  .register(z.globalRegistry, { id: "McpElicitationSingleSelectEnumSchema" });
export type McpElicitationSingleSelectEnumSchema = z.infer<typeof McpElicitationSingleSelectEnumSchema>;

export const McpElicitationEnumSchema = z
  .union([McpElicitationSingleSelectEnumSchema, McpElicitationMultiSelectEnumSchema, McpElicitationLegacyTitledEnumSchema])
  .register(z.globalRegistry, { id: "McpElicitationEnumSchema" });
export type McpElicitationEnumSchema = z.infer<typeof McpElicitationEnumSchema>;

export const McpElicitationNumberType = z.enum(["number", "integer"]).register(z.globalRegistry, { id: "McpElicitationNumberType" });
export type McpElicitationNumberType = z.infer<typeof McpElicitationNumberType>;

export const McpElicitationNumberSchema = z
  .strictObject({
    default: z.number().nullish(),
    description: z.string().nullish(),
    maximum: z.number().nullish(),
    minimum: z.number().nullish(),
    title: z.string().nullish(),
    type: McpElicitationNumberType,
  })
  .register(z.globalRegistry, { id: "McpElicitationNumberSchema" });
export type McpElicitationNumberSchema = z.infer<typeof McpElicitationNumberSchema>;

export const McpElicitationObjectType = z.literal("object").register(z.globalRegistry, { id: "McpElicitationObjectType" });
export type McpElicitationObjectType = z.infer<typeof McpElicitationObjectType>;

export const McpElicitationStringFormat = z.enum(["email", "uri", "date", "date-time"]).register(z.globalRegistry, { id: "McpElicitationStringFormat" });
export type McpElicitationStringFormat = z.infer<typeof McpElicitationStringFormat>;

export const McpElicitationStringSchema = z
  .strictObject({
    default: z.string().nullish(),
    description: z.string().nullish(),
    format: McpElicitationStringFormat.nullish(),
    maxLength: z.int().min(0).nullish(),
    minLength: z.int().min(0).nullish(),
    title: z.string().nullish(),
    type: McpElicitationStringType,
  })
  .register(z.globalRegistry, { id: "McpElicitationStringSchema" });
export type McpElicitationStringSchema = z.infer<typeof McpElicitationStringSchema>;

export const McpElicitationPrimitiveSchema = z
  .union([McpElicitationEnumSchema, McpElicitationStringSchema, McpElicitationNumberSchema, McpElicitationBooleanSchema])
  .register(z.globalRegistry, { id: "McpElicitationPrimitiveSchema" });
export type McpElicitationPrimitiveSchema = z.infer<typeof McpElicitationPrimitiveSchema>;

/** Typed form schema for MCP `elicitation/create` requests.
 *
 * This matches the `requestedSchema` shape from the MCP 2025-11-25 `ElicitRequestFormParams` schema. */
export const McpElicitationSchema = z
  .strictObject({
    $schema: z.string().nullish(),
    properties: z.record(z.string(), McpElicitationPrimitiveSchema),
    required: z.array(z.string()).nullish(),
    type: McpElicitationObjectType,
  })
  .register(z.globalRegistry, { id: "McpElicitationSchema" });
export type McpElicitationSchema = z.infer<typeof McpElicitationSchema>;

export const McpResourceReadTarget = z
  .object({
    connectorId: z.string(),
    /** Null explicitly requests no-auth access, subject to the app's resource policy. */
    linkId: z.string().nullable(),
  })
  .register(z.globalRegistry, { id: "McpResourceReadTarget" });
export type McpResourceReadTarget = z.infer<typeof McpResourceReadTarget>;

export const McpResourceReadParams = z
  .object({
    /** Additional MCP request metadata. Account and turn routing keys are reserved. */
    _meta: z.record(z.string(), z.unknown()).nullish(),
    connectorId: z.string().nullish(),
    /** Originating MCP tool call used to select the resource's app. */
    originCallId: z.string().nullish(),
    server: z.string(),
    /** Explicit hosted app/account. Omit to retain legacy resource discovery. */
    target: McpResourceReadTarget.nullish(),
    threadId: z.string().nullish(),
    uri: z.string(),
  })
  .register(z.globalRegistry, { id: "McpResourceReadParams" });
export type McpResourceReadParams = z.infer<typeof McpResourceReadParams>;

/** Contents returned when reading a resource from an MCP server. */
export const ResourceContent = z
  .union([
    z.object({
      _meta: z.unknown().optional(),
      mimeType: z.string().nullish(),
      text: z.string(),
      /** The URI of this resource. */
      uri: z.string(),
    }),
    z.object({
      _meta: z.unknown().optional(),
      blob: z.string(),
      mimeType: z.string().nullish(),
      /** The URI of this resource. */
      uri: z.string(),
    }),
  ])
  .register(z.globalRegistry, { id: "ResourceContent" });
export type ResourceContent = z.infer<typeof ResourceContent>;

export const McpResourceReadResponse = z
  .object({
    contents: z.array(ResourceContent),
    /** Originating call when the server applied app-specific resource scoping. */
    originCallId: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "McpResourceReadResponse" });
export type McpResourceReadResponse = z.infer<typeof McpResourceReadResponse>;

export const McpServerElicitationAction = z.enum(["accept", "decline", "cancel"]).register(z.globalRegistry, { id: "McpServerElicitationAction" });
export type McpServerElicitationAction = z.infer<typeof McpServerElicitationAction>;

export const McpServerElicitationRequestParams = z
  .intersection(
    z.object({
      serverName: z.string(),
      threadId: z.string(),
      /** Active Codex turn when this elicitation was observed, if app-server could correlate one.
       *
       * This is nullable because MCP models elicitation as a standalone server-to-client request identified by the MCP server request id. It may be triggered during a turn, but turn context is app-server correlation rather than part of the protocol identity of the elicitation itself. */
      turnId: z.string().nullish(),
    }),
    z.discriminatedUnion("mode", [
      z.object({
        _meta: z.unknown().optional(),
        challenge: z.string(),
        description: z.string(),
        mode: z.literal("openai/userVerification"),
        title: z.string(),
      }),
      z.object({
        _meta: z.unknown().optional(),
        message: z.string(),
        mode: z.literal("form"),
        requestedSchema: McpElicitationSchema,
      }),
      z.object({
        _meta: z.unknown().optional(),
        message: z.string(),
        mode: z.literal("openai/form"),
        requestedSchema: z.unknown(),
      }),
      z.object({
        _meta: z.unknown().optional(),
        message: z.string(),
        mode: z.literal("openaiForm"),
        requestedSchema: z.unknown(),
      }),
      z.object({
        _meta: z.unknown().optional(),
        elicitationId: z.string(),
        message: z.string(),
        mode: z.literal("url"),
        url: z.string(),
      }),
    ]),
  )
  .register(z.globalRegistry, { id: "McpServerElicitationRequestParams" });
export type McpServerElicitationRequestParams = z.infer<typeof McpServerElicitationRequestParams>;

export const McpServerElicitationRequestResponse = z
  .object({
    /** Optional client metadata for form-mode action handling. */
    _meta: z.unknown().optional(),
    action: McpServerElicitationAction,
    /** Structured user input for accepted elicitations, mirroring RMCP `CreateElicitationResult`.
     *
     * This is nullable because decline/cancel responses have no content. */
    content: z.unknown().optional(),
  })
  .register(z.globalRegistry, { id: "McpServerElicitationRequestResponse" });
export type McpServerElicitationRequestResponse = z.infer<typeof McpServerElicitationRequestResponse>;

export const McpServerRefreshResponse = z.record(z.string(), z.unknown()).register(z.globalRegistry, { id: "McpServerRefreshResponse" });
export type McpServerRefreshResponse = z.infer<typeof McpServerRefreshResponse>;

export const McpServerStartupFailureReason = z.literal("reauthenticationRequired").register(z.globalRegistry, { id: "McpServerStartupFailureReason" });
export type McpServerStartupFailureReason = z.infer<typeof McpServerStartupFailureReason>;

export const McpServerStartupState = z.enum(["starting", "ready", "failed", "cancelled"]).register(z.globalRegistry, { id: "McpServerStartupState" });
export type McpServerStartupState = z.infer<typeof McpServerStartupState>;

export const McpServerStatusUpdatedNotification = z
  .object({
    error: z.string().nullish(),
    failureReason: McpServerStartupFailureReason.nullish(),
    name: z.string(),
    status: McpServerStartupState,
    threadId: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "McpServerStatusUpdatedNotification" });
export type McpServerStatusUpdatedNotification = z.infer<typeof McpServerStatusUpdatedNotification>;

export const McpServerToolCallParams = z
  .object({
    _meta: z.unknown().optional(),
    arguments: z.unknown().optional(),
    server: z.string(),
    threadId: z.string(),
    tool: z.string(),
  })
  .register(z.globalRegistry, { id: "McpServerToolCallParams" });
export type McpServerToolCallParams = z.infer<typeof McpServerToolCallParams>;

export const McpServerToolCallResponse = z
  .object({
    _meta: z.unknown().optional(),
    content: z.array(z.unknown()),
    isError: z.boolean().nullish(),
    structuredContent: z.unknown().optional(),
  })
  .register(z.globalRegistry, { id: "McpServerToolCallResponse" });
export type McpServerToolCallResponse = z.infer<typeof McpServerToolCallResponse>;

/** This module's client requests: rows of the v2 table (methods.ts puts them in wire order); the dispatcher loads one module's rows on the first request for one of them (v2/requestGroups.ts). */
export const mcpRequests = {
  "config/mcpServer/reload": request(NoParams, McpServerRefreshResponse),
  "mcpServerStatus/list": request(ListMcpServerStatusParams, ListMcpServerStatusResponse),
  "mcpServer/resource/read": request(McpResourceReadParams, McpResourceReadResponse),
  "mcpServer/tool/call": request(McpServerToolCallParams, McpServerToolCallResponse),
} as const satisfies RequestTable;
