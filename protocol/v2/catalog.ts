// catalog: v2 protocol payloads, field for field as the reference (codex-cli 0.169.0).
// Bootstrapped from the reference JSON Schema by scripts/protocol-from-reference.mjs; maintained by hand since.
// Conventions: optional params fields are .nullish(), optional result fields .nullable()
// and always present; every named type is registered with .register(z.globalRegistry, { id }) so the generated
// schema's definitions match (not .meta({ id }), which builds the schema twice: a clone to register).
import * as z from "zod";
import { request, type RequestTable } from "../define.js";
import { AbsolutePathBuf, CyberAccessProgram, LegacyAppPathString, ReasoningEffort } from "./shared.js";

export const ExperimentalFeatureStage = z
  .union([z.literal("beta"), z.literal("underDevelopment"), z.literal("stable"), z.literal("deprecated"), z.literal("removed")])
  .register(z.globalRegistry, { id: "ExperimentalFeatureStage" });
export type ExperimentalFeatureStage = z.infer<typeof ExperimentalFeatureStage>;

export const ExperimentalFeature = z
  .object({
    /** Announcement copy shown to users when the feature is introduced. Null when this feature is not in beta. */
    announcement: z.string().nullish(),
    /** Whether this feature is enabled by default. */
    defaultEnabled: z.boolean(),
    /** Short summary describing what the feature does. Null when this feature is not in beta. */
    description: z.string().nullish(),
    /** User-facing display name shown in the experimental features UI. Null when this feature is not in beta. */
    displayName: z.string().nullish(),
    /** Whether this feature is currently enabled in the loaded config. */
    enabled: z.boolean(),
    /** Stable key used in config.toml and CLI flag toggles. */
    name: z.string(),
    /** Lifecycle stage of this feature flag. */
    stage: ExperimentalFeatureStage,
  })
  .register(z.globalRegistry, { id: "ExperimentalFeature" });
export type ExperimentalFeature = z.infer<typeof ExperimentalFeature>;

export const ExperimentalFeatureListParams = z
  .object({
    /** Opaque pagination cursor returned by a previous call. */
    cursor: z.string().nullish(),
    /** Optional page size; defaults to a reasonable server-side value. */
    limit: z.int().min(0).nullish(),
    /** Optional loaded thread id. Pass this when showing feature state for an existing thread so enablement is computed from that thread's refreshed config, including project-local config for the thread's cwd. */
    threadId: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "ExperimentalFeatureListParams" });
export type ExperimentalFeatureListParams = z.infer<typeof ExperimentalFeatureListParams>;

export const ExperimentalFeatureListResponse = z
  .object({
    data: z.array(ExperimentalFeature),
    /** Opaque cursor to pass to the next call to continue after the last item. If None, there are no more items to return. */
    nextCursor: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "ExperimentalFeatureListResponse" });
export type ExperimentalFeatureListResponse = z.infer<typeof ExperimentalFeatureListResponse>;

export const GatewayAuth = z
  .discriminatedUnion("mode", [
    z.object({
      mode: z.literal("none"),
    }),
    z.object({
      envKey: z.string(),
      mode: z.literal("environmentVariable"),
    }),
    z.object({
      envKey: z.string().nullish(),
      mode: z.literal("externallyConfigured"),
    }),
  ])
  .register(z.globalRegistry, { id: "GatewayAuth" });
export type GatewayAuth = z.infer<typeof GatewayAuth>;

/** Canonical user-input modality tags advertised by a model. */
export const InputModality = z.union([z.literal("text"), z.literal("image"), z.literal("audio")]).register(z.globalRegistry, { id: "InputModality" });
export type InputModality = z.infer<typeof InputModality>;

/** Caller-specific explicit access programs advertised by model discovery. */
export const ModelAccessPrograms = z
  .object({
    /** Accepted explicit selections. */
    cyber: z.array(CyberAccessProgram),
  })
  .register(z.globalRegistry, { id: "ModelAccessPrograms" });
export type ModelAccessPrograms = z.infer<typeof ModelAccessPrograms>;

export const ModelAvailabilityNux = z
  .object({
    message: z.string(),
  })
  .register(z.globalRegistry, { id: "ModelAvailabilityNux" });
export type ModelAvailabilityNux = z.infer<typeof ModelAvailabilityNux>;

export const ModelServiceTier = z
  .object({
    description: z.string(),
    id: z.string(),
    name: z.string(),
  })
  .register(z.globalRegistry, { id: "ModelServiceTier" });
export type ModelServiceTier = z.infer<typeof ModelServiceTier>;

export const ModelUpgradeInfo = z
  .object({
    migrationMarkdown: z.string().nullish(),
    model: z.string(),
    modelLink: z.string().nullish(),
    /** Informational Unix timestamp for this upgrade's scheduled retirement, if known. */
    retirementAt: z.int().nullish(),
    upgradeCopy: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "ModelUpgradeInfo" });
export type ModelUpgradeInfo = z.infer<typeof ModelUpgradeInfo>;

/** Multi-agent runtime supported by a model. */
export const MultiAgentVersion = z.enum(["disabled", "v1", "v2"]).register(z.globalRegistry, { id: "MultiAgentVersion" });
export type MultiAgentVersion = z.infer<typeof MultiAgentVersion>;

export const ReasoningEffortOption = z
  .object({
    description: z.string(),
    reasoningEffort: ReasoningEffort,
  })
  .register(z.globalRegistry, { id: "ReasoningEffortOption" });
export type ReasoningEffortOption = z.infer<typeof ReasoningEffortOption>;

export const Model = z
  .object({
    /** Deprecated: use `serviceTiers` instead. */
    additionalSpeedTiers: z.array(z.string()).optional(),
    availabilityNux: ModelAvailabilityNux.nullish(),
    /** Null when the catalog does not provide access-program metadata. */
    availableAccessPrograms: ModelAccessPrograms.nullish(),
    defaultReasoningEffort: ReasoningEffort,
    /** Catalog default service tier id for this model, when one is configured. */
    defaultServiceTier: z.string().nullish(),
    description: z.string(),
    displayName: z.string(),
    hidden: z.boolean(),
    id: z.string(),
    inputModalities: z.array(InputModality).optional(),
    isDefault: z.boolean(),
    model: z.string(),
    modelSpecialty: z.string().nullish(),
    /** Multi-agent runtime declared by this model, when available. */
    multiAgentVersion: MultiAgentVersion.nullish(),
    serviceTiers: z.array(ModelServiceTier).optional(),
    supportedReasoningEfforts: z.array(ReasoningEffortOption),
    /** @deprecated Always false; models no longer support personality selection. */
    supportsPersonality: z.boolean().optional(),
    upgrade: z.string().nullish(),
    upgradeInfo: ModelUpgradeInfo.nullish(),
  })
  .register(z.globalRegistry, { id: "Model" });
export type Model = z.infer<typeof Model>;

export const ModelListParams = z
  .object({
    /** Opaque pagination cursor returned by a previous call. */
    cursor: z.string().nullish(),
    /** When true, include models that are hidden from the default picker list. */
    includeHidden: z.boolean().nullish(),
    /** Optional page size; defaults to a reasonable server-side value. */
    limit: z.int().min(0).nullish(),
    /** List models for this configured provider instead of the app-server default. */
    modelProvider: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "ModelListParams" });
export type ModelListParams = z.infer<typeof ModelListParams>;

export const ModelListResponse = z
  .object({
    data: z.array(Model),
    /** Opaque cursor to pass to the next call to continue after the last item. If None, there are no more items to return. */
    nextCursor: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "ModelListResponse" });
export type ModelListResponse = z.infer<typeof ModelListResponse>;

export const ModelProviderListParams = z.record(z.string(), z.unknown()).register(z.globalRegistry, { id: "ModelProviderListParams" });
export type ModelProviderListParams = z.infer<typeof ModelProviderListParams>;

export const ProviderSettings = z
  .discriminatedUnion("type", [
    z.object({
      type: z.literal("openai"),
    }),
    z.object({
      auth: GatewayAuth,
      type: z.literal("customGateway"),
    }),
    z.object({
      profile: z.string().nullish(),
      region: z.string().nullish(),
      type: z.literal("bedrock"),
    }),
    z.object({
      /** Path on the app-server host, without credential-file contents. */
      credentialFile: z.string().nullish(),
      location: z.string().nullish(),
      projectId: z.string().nullish(),
      type: z.literal("gcp"),
    }),
  ])
  .register(z.globalRegistry, { id: "ProviderSettings" });
export type ProviderSettings = z.infer<typeof ProviderSettings>;

export const ModelProviderSummary = z
  .object({
    /** Null when the endpoint is absent or cannot be safely displayed. */
    baseUrl: z.string().nullish(),
    /** Whether a supported configuration field can be edited in the active user layer. */
    canEdit: z.boolean(),
    id: z.string(),
    name: z.string(),
    settings: ProviderSettings,
  })
  .register(z.globalRegistry, { id: "ModelProviderSummary" });
export type ModelProviderSummary = z.infer<typeof ModelProviderSummary>;

export const ModelProviderListResponse = z
  .object({
    canChangeDefault: z.boolean(),
    data: z.array(ModelProviderSummary),
    defaultProviderId: z.string(),
  })
  .register(z.globalRegistry, { id: "ModelProviderListResponse" });
export type ModelProviderListResponse = z.infer<typeof ModelProviderListResponse>;

export const SkillToolDependency = z
  .object({
    command: z.string().nullish(),
    description: z.string().nullish(),
    transport: z.string().nullish(),
    type: z.string(),
    url: z.string().nullish(),
    value: z.string(),
  })
  .register(z.globalRegistry, { id: "SkillToolDependency" });
export type SkillToolDependency = z.infer<typeof SkillToolDependency>;

export const SkillDependencies = z
  .object({
    tools: z.array(SkillToolDependency),
  })
  .register(z.globalRegistry, { id: "SkillDependencies" });
export type SkillDependencies = z.infer<typeof SkillDependencies>;

export const SkillErrorInfo = z
  .object({
    message: z.string(),
    path: z.string(),
  })
  .register(z.globalRegistry, { id: "SkillErrorInfo" });
export type SkillErrorInfo = z.infer<typeof SkillErrorInfo>;

export const SkillInterface = z
  .object({
    brandColor: z.string().nullish(),
    defaultPrompt: z.string().nullish(),
    displayName: z.string().nullish(),
    iconLarge: AbsolutePathBuf.nullish(),
    /** Remote large icon URL from the plugin catalog. */
    iconLargeUrl: z.string().nullish(),
    iconSmall: AbsolutePathBuf.nullish(),
    /** Remote small icon URL from the plugin catalog. */
    iconSmallUrl: z.string().nullish(),
    shortDescription: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "SkillInterface" });
export type SkillInterface = z.infer<typeof SkillInterface>;

export const SkillScope = z.enum(["user", "repo", "system", "admin"]).register(z.globalRegistry, { id: "SkillScope" });
export type SkillScope = z.infer<typeof SkillScope>;

export const SkillMetadata = z
  .object({
    dependencies: SkillDependencies.nullish(),
    description: z.string(),
    enabled: z.boolean(),
    interface: SkillInterface.nullish(),
    name: z.string(),
    path: LegacyAppPathString,
    /** Owning plugin ID, matching `PluginSummary.id`, when known. */
    pluginId: z.string().nullish(),
    scope: SkillScope,
    /** Legacy short_description from SKILL.md. Prefer SKILL.json interface.short_description. */
    shortDescription: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "SkillMetadata" });
export type SkillMetadata = z.infer<typeof SkillMetadata>;

/** Notification emitted when watched local skill files change.
 *
 * Treat this as an invalidation signal and re-run `skills/list` with the client's current parameters when refreshed skill metadata is needed. */
export const SkillsChangedNotification = z.record(z.string(), z.unknown()).register(z.globalRegistry, { id: "SkillsChangedNotification" });
export type SkillsChangedNotification = z.infer<typeof SkillsChangedNotification>;

export const SkillsListEntry = z
  .object({
    cwd: z.string(),
    errors: z.array(SkillErrorInfo),
    skills: z.array(SkillMetadata),
  })
  .register(z.globalRegistry, { id: "SkillsListEntry" });
export type SkillsListEntry = z.infer<typeof SkillsListEntry>;

export const SkillsListParams = z
  .object({
    /** When empty, defaults to the current session working directory. */
    cwds: z.array(z.string()).optional(),
    /** When true, bypass the skills cache and re-scan skills from disk. */
    forceReload: z.boolean().optional(),
  })
  .register(z.globalRegistry, { id: "SkillsListParams" });
export type SkillsListParams = z.infer<typeof SkillsListParams>;

export const SkillsListResponse = z
  .object({
    data: z.array(SkillsListEntry),
  })
  .register(z.globalRegistry, { id: "SkillsListResponse" });
export type SkillsListResponse = z.infer<typeof SkillsListResponse>;

/** This module's client requests: rows of the v2 table (methods.ts puts them in wire order); the dispatcher loads one module's rows on the first request for one of them (v2/requestGroups.ts). */
export const catalogRequests = {
  "skills/list": request(SkillsListParams, SkillsListResponse),
  "model/list": request(ModelListParams, ModelListResponse),
  "modelProvider/list": request(ModelProviderListParams, ModelProviderListResponse),
  "experimentalFeature/list": request(ExperimentalFeatureListParams, ExperimentalFeatureListResponse),
} as const satisfies RequestTable;
