// Catalog shapes, field for field as codex-cli 0.169.0 answers model/list, modelProvider/list and
// experimentalFeature/list (schema-json/v2/ModelListResponse.json and friends). Declared in core until
// core imports protocol/; unit tests validate real outputs against the reference schema files.

export type InputModality = "text" | "image" | "audio";
export type MultiAgentVersion = "disabled" | "v1" | "v2";
export type CyberAccessProgram = "standard" | "daybreakBlue" | "daybreakRed";

export interface ReasoningEffortOption {
  reasoningEffort: string;
  description: string;
}
export interface ModelServiceTier {
  id: string;
  name: string;
  description: string;
}
export interface ModelUpgradeInfo {
  model: string;
  upgradeCopy?: string | null;
  modelLink?: string | null;
  migrationMarkdown?: string | null;
  retirementAt?: number | null;
}

export interface Model {
  id: string;
  model: string;
  upgrade: string | null;
  upgradeInfo: ModelUpgradeInfo | null;
  availabilityNux: { message: string } | null;
  displayName: string;
  description: string;
  modelSpecialty: string | null;
  hidden: boolean;
  supportedReasoningEfforts: ReasoningEffortOption[];
  defaultReasoningEffort: string;
  inputModalities: InputModality[];
  supportsPersonality: boolean;
  multiAgentVersion: MultiAgentVersion | null;
  additionalSpeedTiers: string[];
  serviceTiers: ModelServiceTier[];
  defaultServiceTier: string | null;
  availableAccessPrograms: { cyber: CyberAccessProgram[] } | null;
  isDefault: boolean;
}

export interface ModelListParams {
  cursor?: string | null;
  limit?: number | null;
  includeHidden?: boolean | null;
  modelProvider?: string | null;
}
export interface ModelListResponse {
  data: Model[];
  nextCursor: string | null;
}

export type ExperimentalFeatureStage = "beta" | "underDevelopment" | "stable" | "deprecated" | "removed";

export interface ExperimentalFeature {
  name: string;
  stage: ExperimentalFeatureStage;
  displayName: string | null;
  description: string | null;
  announcement: string | null;
  enabled: boolean;
  defaultEnabled: boolean;
}
export interface ExperimentalFeatureListParams {
  cursor?: string | null;
  limit?: number | null;
  threadId?: string | null;
}
export interface ExperimentalFeatureListResponse {
  data: ExperimentalFeature[];
  nextCursor: string | null;
}

export type GatewayAuth = { mode: "none" } | { mode: "environmentVariable"; envKey: string } | { mode: "externallyConfigured"; envKey: string | null };

export type ProviderSettings =
  | { type: "openai" }
  | { type: "customGateway"; auth: GatewayAuth }
  | { type: "bedrock"; profile: string | null; region: string | null }
  | { type: "gcp"; projectId: string | null; location: string | null; credentialFile: string | null };

export interface ModelProviderSummary {
  id: string;
  name: string;
  canEdit: boolean;
  baseUrl: string | null;
  settings: ProviderSettings;
}
export interface ModelProviderListResponse {
  data: ModelProviderSummary[];
  defaultProviderId: string;
  canChangeDefault: boolean;
}
