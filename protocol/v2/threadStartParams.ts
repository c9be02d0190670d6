// threadStartParams: thread/start's params and the types only they (and a few other thread requests' params)
// use, field for field as the reference (codex-cli 0.169.0), with thread/start's head: a module of its own because
// thread/start is the request a client sends first, and its params are a third of the thread requests' params
// (threadParams.ts). thread.ts re-exports these. Why apart: see sharedParams.ts.
import * as z from "zod";
import { requestHead, type RequestHeadTable } from "../define.js";
import { AbsolutePathBuf } from "./paths.js";
import { ApprovalsReviewer, AskForApproval, MultiAgentMode, Personality, SandboxMode, TurnEnvironmentParams } from "./sharedParams.js";

/** Location used to resolve a selected capability root. */
export const CapabilityRootLocation = z
  .object({
    environmentId: z.string(),
    /** Absolute path for the root in the selected environment. */
    path: z.string(),
    type: z.literal("environment"),
  })
  .register(z.globalRegistry, { id: "CapabilityRootLocation" });
export type CapabilityRootLocation = z.infer<typeof CapabilityRootLocation>;

export const DynamicToolNamespaceTool = z
  .object({
    deferLoading: z.boolean().optional(),
    description: z.string(),
    inputSchema: z.unknown(),
    name: z.string(),
    type: z.literal("function"),
  })
  .register(z.globalRegistry, { id: "DynamicToolNamespaceTool" });
export type DynamicToolNamespaceTool = z.infer<typeof DynamicToolNamespaceTool>;

export const DynamicToolSpec = z
  .discriminatedUnion("type", [
    z.object({
      deferLoading: z.boolean().optional(),
      description: z.string(),
      inputSchema: z.unknown(),
      name: z.string(),
      type: z.literal("function"),
    }),
    z.object({
      description: z.string(),
      name: z.string(),
      tools: z.array(DynamicToolNamespaceTool),
      type: z.literal("namespace"),
    }),
  ])
  .register(z.globalRegistry, { id: "DynamicToolSpec" });
export type DynamicToolSpec = z.infer<typeof DynamicToolSpec>;

/** A user-selected root that can expose one or more runtime capabilities. */
export const SelectedCapabilityRoot = z
  .object({
    /** Stable identifier supplied by the capability selection platform. */
    id: z.string(),
    /** Where the selected root can be resolved. */
    location: CapabilityRootLocation,
  })
  .register(z.globalRegistry, { id: "SelectedCapabilityRoot" });
export type SelectedCapabilityRoot = z.infer<typeof SelectedCapabilityRoot>;

export const ThreadHistoryMode = z.enum(["legacy", "paginated"]).register(z.globalRegistry, { id: "ThreadHistoryMode" });
export type ThreadHistoryMode = z.infer<typeof ThreadHistoryMode>;

export const ThreadSource = z.string().register(z.globalRegistry, { id: "ThreadSource" });
export type ThreadSource = z.infer<typeof ThreadSource>;

export const ThreadStartSource = z.enum(["startup", "clear"]).register(z.globalRegistry, { id: "ThreadStartSource" });
export type ThreadStartSource = z.infer<typeof ThreadStartSource>;

export const ThreadStartParams = z
  .object({
    /** Allow a provider with an authoritative static model catalog to replace an unavailable requested model with its default. */
    allowProviderModelFallback: z.boolean().optional().meta({ experimental: true }),
    approvalPolicy: AskForApproval.nullish(),
    /** Override where approval requests are routed for review on this thread and subsequent turns. */
    approvalsReviewer: ApprovalsReviewer.nullish(),
    baseInstructions: z.string().nullish(),
    config: z.record(z.string(), z.unknown()).nullish(),
    cwd: z.string().nullish(),
    /** Initial Daybreak choice for this persistent thread. Omitted or null leaves it unset. This does not select a turn's `cyberAccessProgram` or grant access. Not supported for ephemeral threads. */
    daybreakEnabled: z.boolean().nullish().meta({ experimental: true }),
    developerInstructions: z.string().nullish(),
    dynamicTools: z.array(DynamicToolSpec).nullish().meta({ experimental: true }),
    /** Optional sticky environments for this thread.
     *
     * Omitted selects the default environment when environment access is enabled. Empty disables environment access for turns that do not provide a turn override. Non-empty selects the first environment as the current turn environment. */
    environments: z.array(TurnEnvironmentParams).nullish().meta({ experimental: true }),
    ephemeral: z.boolean().nullish(),
    /** If true, opt into emitting raw Responses API items on the event stream. This is for internal use only (e.g. Codex Cloud). */
    experimentalRawEvents: z.boolean().optional().meta({ experimental: true }),
    /** Persisted thread history contract to use for this new thread. */
    historyMode: ThreadHistoryMode.nullish().meta({ experimental: true }),
    /** Test-only experimental field used to validate experimental gating and schema filtering behavior in a stable way. */
    mockExperimentalField: z.string().nullish().meta({ experimental: true }),
    model: z.string().nullish(),
    modelProvider: z.string().nullish(),
    /** @deprecated Ignored. Use Ultra reasoning effort for proactive multi-agent behavior. */
    multiAgentMode: MultiAgentMode.nullish().meta({ experimental: true }),
    /** Named profile id for this thread. Cannot be combined with `sandbox`. */
    permissions: z.string().nullish().meta({ experimental: true }),
    /** @deprecated `friendly` and `pragmatic` no longer select a style. */
    personality: Personality.nullish(),
    /** Optional project identity for this new thread. Durable threads persist the assignment; ephemeral threads expose it only in live responses. */
    projectId: z.string().nullish().meta({ experimental: true }),
    /** Replace the thread's runtime workspace roots. Paths must be absolute. */
    runtimeWorkspaceRoots: z.array(AbsolutePathBuf).nullish().meta({ experimental: true }),
    sandbox: SandboxMode.nullish(),
    /** Capability roots selected for this thread by the hosting platform. */
    selectedCapabilityRoots: z.array(SelectedCapabilityRoot).nullish().meta({ experimental: true }),
    serviceName: z.string().nullish(),
    serviceTier: z.string().nullish(),
    sessionStartSource: ThreadStartSource.nullish(),
    /** Optional client-supplied analytics source classification for this thread. */
    threadSource: ThreadSource.nullish(),
  })
  .register(z.globalRegistry, { id: "ThreadStartParams" });
export type ThreadStartParams = z.infer<typeof ThreadStartParams>;

/** What dispatching thread/start needs (define.ts, RequestHead); the full row adds its result. */
export const threadStartRequestHeads = {
  "thread/start": requestHead(ThreadStartParams),
} as const satisfies RequestHeadTable;
