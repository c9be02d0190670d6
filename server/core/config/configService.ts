// ConfigService: the one owner of config.toml. It loads the layers (system /etc/codex/config.toml,
// user <home>/config.toml, trusted project .codex/config.toml files when a cwd is given, and the
// `-c` session flags, in rising precedence), keeps the daemon's EffectiveConfig, answers
// config/read, config/value/write, config/batchWrite and configRequirements/read in 0.169's shapes,
// and serves the catalogs that depend on config.
//
// Invariants:
// - Loading never throws for user content; problems become ConfigWarningNotification /
//   DeprecationNoticeNotification data (and a warn log line), and the daemon runs on what was good.
// - Writes go only to the user config.toml, one at a time (a promise chain), each as an atomic
//   replace (atomicWrite.ts) with mode 0600. A batch is all-or-nothing: every edit is applied and
//   validated in memory before the single write. `expectedVersion` is compared with the version of
//   the file on disk inside the lock, so two writers with the same version cannot both succeed.
// - A layer's version is "sha256:" + SHA-256 of its table as canonical JSON, as 0.169 computes it,
//   so versions from config/read and from writes agree with the reference's for the same content.
// - Writes re-serialize the file with smol-toml: values and tables are kept, comments and
//   formatting are not (0.169 edits in place with toml_edit).
// - Every load and config/read sees the files as they are at that moment. What is derived from a
//   file (parsed, validated, versioned) is kept while the file's stamp says it has not changed
//   (stampedFileCache.ts), and config/read's last answer while the layers it came from are the
//   same objects, so an unchanged config costs a stat per file.
import { realpath } from "node:fs/promises";
import path from "node:path";
import { stat } from "node:fs/promises";
import { parse as parseToml, stringify } from "smol-toml";
import type { Logger } from "../../log.js";
import { listExperimentalFeatures } from "../catalog/experimentalFeatures.js";
import { listModels } from "../catalog/modelCatalog.js";
import { listModelProviders } from "../catalog/modelProviders.js";
import type {
  ExperimentalFeatureListParams,
  ExperimentalFeatureListResponse,
  ModelListParams,
  ModelListResponse,
  ModelProviderListResponse,
} from "../catalog/types.js";
import { writeFileAtomic, type AtomicWriteOptions } from "../fs/atomicWrite.js";
import { parseCliOverride, sessionFlagsTable, type CliOverride } from "./cliOverrides.js";
import { invalidValueWarning, parseConfigText, readRawFile, unknownKeysWarning, validateTable, type InvalidValue, type ValidatedTable } from "./configToml.js";
import { buildEffectiveConfig, type EffectiveConfig } from "./effective.js";
import { ConfigWriteError, USER_CONFIG_ONLY_MESSAGE, VERSION_CONFLICT_MESSAGE } from "./errors.js";
import { ensureHome, userConfigPath } from "./home.js";
import { cloneJson, deepMerge, isPlainObject, isTomlTable, layerVersion, tomlToJson, type JsonObject, type JsonValue, type TomlDocument } from "./json.js";
import { applyEdit, formatPath, keyPathOf, KeyPathError, leafPaths, parseKeyPath } from "./keyPath.js";
import { buildReadConfig } from "./readView.js";
import { DEFAULT_REQUIREMENTS_PATH, requirementsFromText, unreadableRequirements, type LoadedRequirements } from "./requirements.js";
import { StampedFileCache } from "./stampedFileCache.js";
import type {
  ConfigBatchWriteParams,
  ConfigEdit,
  ConfigLayer,
  ConfigLayerMetadata,
  ConfigLayerSource,
  ConfigReadParams,
  ConfigReadResponse,
  ConfigRequirementsReadResponse,
  ConfigValueWriteParams,
  ConfigWarningNotification,
  ConfigWriteResponse,
  DeprecationNoticeNotification,
  OverriddenMetadata,
} from "./types.js";

export const DEFAULT_SYSTEM_CONFIG_PATH = "/etc/codex/config.toml";

export interface ConfigServiceOptions {
  home: string;
  /** Raw `-c key=value` strings, in command-line order. */
  cliOverrides?: readonly string[];
  env?: Readonly<Record<string, string | undefined>>;
  systemConfigFile?: string;
  requirementsFile?: string;
  log?: Logger;
  /** Test seam for the atomic writer (e.g. a failing `beforeRename`). */
  atomicWrite?: Omit<AtomicWriteOptions, "mode">;
  /** Test seam: RACY_MS of stampedFileCache.ts, lowered to exercise reuse of files a test has just written. */
  racyMs?: number;
}

/** What a load found wrong or outdated; the caller sends these as configWarning / deprecationNotice. */
export interface ConfigLoadReport {
  warnings: ConfigWarningNotification[];
  deprecations: DeprecationNoticeNotification[];
}

/** What one config.toml's text amounts to; frozen, and shared by every load until the file changes. */
interface ParsedFile {
  text: string | null;
  validated: ValidatedTable;
  version: string;
  parseWarning: ConfigWarningNotification | null;
  disabledReason: string | null;
}

interface Layer {
  source: ConfigLayerSource;
  /** For the unknown-keys warning: "user (<file>)", "session-flags", … */
  label: string;
  file: string | null;
  /** What the layer's fields come from; null for the session flags and for a file that could not be read. */
  parsed: ParsedFile | null;
  text: string | null;
  validated: ValidatedTable;
  version: string;
  parseWarning: ConfigWarningNotification | null;
  disabledReason: string | null;
}

/** The applied layers merged, with each key's origin. */
interface Composition {
  applied: Layer[];
  /** Known keys of the applied layers, profile applied. */
  merged: JsonObject;
  origins: Record<string, ConfigLayerMetadata>;
  profileName: string | null;
  /** The selected profile's table, null when none is selected or it does not exist. */
  profileTable: JsonObject | null;
  /** The missing-profile warning, if any. */
  warnings: ConfigWarningNotification[];
}

interface ReadAnswer {
  /** readKey() of the layers it was built from. */
  key: readonly unknown[];
  response: ConfigReadResponse;
}

interface Snapshot {
  /** Lowest precedence first. */
  layers: Layer[];
  requirements: LoadedRequirements;
  /** Known keys of the applied layers, profile applied. */
  merged: JsonObject;
  origins: Record<string, ConfigLayerMetadata>;
  effective: EffectiveConfig;
  report: ConfigLoadReport;
}

const EMPTY_VALIDATED = (): ValidatedTable => ({ table: {}, known: {}, unknownKeys: [], invalid: [], deprecations: [], notes: [] });

/** text: null when the file does not exist. */
function parseLayerFile(file: string, text: string | null): ParsedFile {
  let validated = EMPTY_VALIDATED();
  let parseWarning: ConfigWarningNotification | null = null;
  let disabledReason: string | null = null;
  if (text !== null) {
    const parsed = parseConfigText(text, file);
    if (parsed.ok) validated = validateTable(parsed.table);
    else {
      parseWarning = parsed.warning;
      disabledReason = `${parsed.message}; using defaults for this file.`;
    }
  }
  return deepFreeze({ text, validated, version: layerVersion(validated.table), parseWarning, disabledReason });
}

/**
 * What a config/read answer depends on, as values compared by identity: config/read is a function
 * of its layers (source, version, tables, disabledReason), and a ParsedFile object stands for one
 * file's content. null: a layer has no ParsedFile (an unreadable file), so the answer is not kept.
 */
function readKey(layers: readonly Layer[], session: Layer | null): unknown[] | null {
  const key: unknown[] = [];
  for (const layer of layers) {
    if (layer === session) key.push(layer);
    else if (layer.parsed === null) return null;
    else key.push(layer.parsed, layer.source.type, layer.disabledReason);
  }
  return key;
}

const sameKey = (a: readonly unknown[], b: readonly unknown[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

function metadata(layer: Layer): ConfigLayerMetadata {
  return { name: structuredClone(layer.source), version: layer.version };
}

/** Value at a path that may run through arrays (for origins). */
function valueAt(root: JsonValue, segments: readonly (string | number)[]): JsonValue | undefined {
  let cur: JsonValue | undefined = root;
  for (const seg of segments) {
    if (Array.isArray(cur) && typeof seg === "number") cur = cur[seg];
    else if (isPlainObject(cur) && Object.hasOwn(cur, String(seg))) cur = cur[String(seg)];
    else return undefined;
  }
  return cur;
}

function related(a: readonly (string | number)[], b: readonly string[]): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (String(a[i]) !== b[i]) return false;
  return true;
}

/** JSON from the wire → a TOML-representable value: null members of tables are dropped (null removes), null array elements refused. */
function tomlable(value: JsonValue, at: string): JsonValue {
  if (Array.isArray(value)) {
    return value.map((v, i) => {
      if (v === null) throw new ConfigWriteError("configValidationError", `Invalid configuration: null is not a valid TOML value\nin \`${at}.${i}\`\n`);
      return tomlable(v, `${at}.${i}`);
    });
  }
  if (isPlainObject(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = tomlable(v, `${at}.${k}`);
    return out;
  }
  if (typeof value === "number" && !Number.isFinite(value))
    throw new ConfigWriteError("configValidationError", `Invalid configuration: ${value} is not a valid TOML value\nin \`${at}\`\n`);
  return value;
}

function stripNulls(table: TomlDocument): void {
  for (const [k, v] of Object.entries(table)) {
    if (v === null) delete table[k];
    else if (isTomlTable(v)) stripNulls(v);
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

/** A `.git` marker counts when it is a worktree file or a directory with HEAD, as a real repository has. */
async function isMarker(dir: string, marker: string): Promise<boolean> {
  const p = path.join(dir, marker);
  try {
    const st = await stat(p);
    if (marker === ".git" && st.isDirectory()) return exists(path.join(p, "HEAD"));
    return true;
  } catch {
    return false;
  }
}

export class ConfigService {
  private snapshot: Snapshot;
  private readonly overrides: CliOverride[];
  private readonly env: Readonly<Record<string, string | undefined>>;
  private readonly systemFile: string;
  private readonly requirementsFile: string;
  private writeChain: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<(config: EffectiveConfig) => void>();
  private readonly session: Layer | null;
  private readonly layerFiles: StampedFileCache<ParsedFile>;
  private readonly requirementFiles: StampedFileCache<LoadedRequirements>;
  /** config/read's last answers, without and with `layers`. */
  private readonly lastReads: { plain: ReadAnswer | null; withLayers: ReadAnswer | null } = { plain: null, withLayers: null };
  readonly home: string;
  readonly userConfigFile: string;

  private constructor(
    private readonly options: ConfigServiceOptions,
    snapshot: Snapshot | null,
  ) {
    this.home = path.resolve(options.home);
    this.userConfigFile = userConfigPath(this.home);
    this.overrides = (options.cliOverrides ?? []).map(parseCliOverride);
    this.env = options.env ?? process.env;
    this.systemFile = options.systemConfigFile ?? DEFAULT_SYSTEM_CONFIG_PATH;
    this.requirementsFile = options.requirementsFile ?? DEFAULT_REQUIREMENTS_PATH;
    this.snapshot = snapshot as Snapshot;
    this.session = this.sessionLayer();
    this.layerFiles = new StampedFileCache(parseLayerFile, options.racyMs);
    this.requirementFiles = new StampedFileCache((file, text) => deepFreeze(requirementsFromText(file, text)), options.racyMs);
  }

  /** Creates the home if needed (0700) and loads the configuration. Never throws for config content. */
  static async create(options: ConfigServiceOptions): Promise<ConfigService> {
    const service = new ConfigService(options, null);
    await ensureHome(service.home);
    service.snapshot = await service.load(null);
    service.logReport(service.snapshot.report);
    return service;
  }

  /** The configuration the daemon runs with (deeply frozen). Replaced, never mutated, by reload() and by writes. */
  get effective(): EffectiveConfig {
    return this.snapshot.effective;
  }

  /** Warnings and deprecations of the last load, for configWarning / deprecationNotice. */
  get report(): ConfigLoadReport {
    return this.snapshot.report;
  }

  /**
   * Re-reads every file; the new EffectiveConfig is visible at once and passed to onReload listeners.
   * Queued behind pending writes, so a reload never replaces a newer snapshot with an older one.
   */
  reload(): Promise<ConfigLoadReport> {
    return this.serialize(() => this.reloadNow());
  }

  private async reloadNow(): Promise<ConfigLoadReport> {
    // A reload is a promise to read every file again, whatever the stamps say.
    this.layerFiles.forget();
    this.requirementFiles.forget();
    const previous = this.snapshot.report;
    this.snapshot = await this.load(null);
    // Writes reload too; say each problem once, not after every write.
    if (JSON.stringify(previous) !== JSON.stringify(this.snapshot.report)) this.logReport(this.snapshot.report);
    for (const listener of this.listeners) listener(this.snapshot.effective);
    return this.snapshot.report;
  }

  onReload(listener: (config: EffectiveConfig) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * config/read, from the files as they are now; with `cwd`, includes that directory's project layers.
   * The answer is frozen: the same object is answered again while no layer changes.
   */
  async read(params: ConfigReadParams = {}): Promise<ConfigReadResponse> {
    const layers = await this.layersFor(params.cwd ?? null);
    const includeLayers = params.includeLayers === true;
    const slot = includeLayers ? "withLayers" : "plain";
    const key = readKey(layers, this.session);
    const last = this.lastReads[slot];
    if (key !== null && last !== null && sameKey(last.key, key)) return last.response;

    const { merged, origins } = this.compose(layers);
    const response: ConfigReadResponse = { config: buildReadConfig(merged), origins };
    if (includeLayers) {
      response.layers = [...layers].reverse().map((layer) => {
        const out: ConfigLayer = { name: structuredClone(layer.source), version: layer.version, config: cloneJson(layer.validated.table) };
        if (layer.disabledReason !== null) out.disabledReason = layer.disabledReason;
        return out;
      });
    }
    deepFreeze(response);
    if (key !== null) this.lastReads[slot] = { key, response };
    return response;
  }

  /** config/value/write */
  writeValue(params: ConfigValueWriteParams): Promise<ConfigWriteResponse> {
    return this.serialize(() =>
      this.write(
        [{ keyPath: params.keyPath, value: params.value, mergeStrategy: params.mergeStrategy }],
        params.filePath ?? null,
        params.expectedVersion ?? null,
      ),
    );
  }

  /** config/batchWrite: all edits or none. */
  batchWrite(params: ConfigBatchWriteParams): Promise<ConfigWriteResponse> {
    return this.serialize(() => this.write(params.edits, params.filePath ?? null, params.expectedVersion ?? null));
  }

  /**
   * The system and user config.toml merged as they are on disk now, without the session flags and
   * without the selected profile applied (invalid values left out): what 0.80's getUserSavedConfig reads.
   */
  async savedConfig(): Promise<JsonObject> {
    let merged: JsonObject = {};
    for (const layer of await this.layersFor(null)) {
      if (layer.source.type === "system" || layer.source.type === "user") merged = deepMerge(merged, layer.validated.table);
    }
    return merged;
  }

  /**
   * 0.80's setDefaultModel: sets `model` and `model_reasoning_effort` in the user config.toml, under
   * the profile the daemon runs with (`profile`, `-c profile=…`) if one is applied, else at the top
   * level; null removes the key, as in 0.80.
   */
  setDefaultModel(model: string | null, reasoningEffort: string | null): Promise<ConfigWriteResponse> {
    return this.serialize(() => {
      const profile = this.snapshot.effective.profile;
      const keyPath = (key: string): string => keyPathOf(profile === null ? [key] : ["profiles", profile, key]);
      const edits: ConfigEdit[] = [
        { keyPath: keyPath("model"), value: model, mergeStrategy: "replace" },
        { keyPath: keyPath("model_reasoning_effort"), value: reasoningEffort, mergeStrategy: "replace" },
      ];
      return this.write(edits, null, null);
    });
  }

  /** configRequirements/read, from the requirements file as it is now. */
  async readRequirements(): Promise<ConfigRequirementsReadResponse> {
    const loaded = await this.loadRequirements();
    return structuredClone(loaded.response);
  }

  /** model/list against the current config (`modelProvider` must be configured or built in). */
  listModels(params: ModelListParams): ModelListResponse {
    return listModels(params, new Set(Object.keys(this.snapshot.effective.modelProviders)));
  }

  /** modelProvider/list against the current config. */
  listModelProviders(): ModelProviderListResponse {
    const providers: Record<string, JsonObject> = {};
    const table = this.snapshot.merged["model_providers"];
    if (isPlainObject(table)) for (const [id, entry] of Object.entries(table)) if (isPlainObject(entry)) providers[id] = entry;
    const user = this.snapshot.layers.find((l) => l.source.type === "user");
    const userProviders = user?.validated.known["model_providers"];
    const editable = new Set(isPlainObject(userProviders) ? Object.keys(userProviders) : []);
    const pinned = this.snapshot.requirements.toml?.model_provider !== undefined;
    return listModelProviders({ providers, defaultProviderId: this.snapshot.effective.modelProviderId, editable, canChangeDefault: !pinned });
  }

  /** experimentalFeature/list against the current config. */
  listExperimentalFeatures(params: ExperimentalFeatureListParams): ExperimentalFeatureListResponse {
    return listExperimentalFeatures(params, this.snapshot.effective.features);
  }

  // ---- loading ----

  private async loadRequirements(): Promise<LoadedRequirements> {
    try {
      return await this.requirementFiles.get(this.requirementsFile);
    } catch (err) {
      return unreadableRequirements(this.requirementsFile, err);
    }
  }

  private async loadFileLayer(source: ConfigLayerSource, label: string, file: string): Promise<Layer> {
    try {
      const parsed = await this.layerFiles.get(file);
      return { source, label, file, parsed, ...parsed };
    } catch (err) {
      const parseWarning = {
        summary: "Could not read configuration; using defaults.",
        details: `${file}: ${err instanceof Error ? err.message : String(err)}`,
        path: file,
      };
      const validated = EMPTY_VALIDATED();
      return {
        source,
        label,
        file,
        parsed: null,
        text: null,
        validated,
        version: layerVersion(validated.table),
        parseWarning,
        disabledReason: parseWarning.details,
      };
    }
  }

  private async projectLayers(cwd: string, userLevel: JsonObject): Promise<Layer[]> {
    const start = path.resolve(cwd);
    const markersValue = userLevel["project_root_markers"];
    const markers = Array.isArray(markersValue) ? markersValue.filter((m): m is string => typeof m === "string") : [".git"];
    const chain: string[] = [];
    let root = start;
    let found = false;
    for (let dir = start; ;) {
      chain.push(dir);
      let hit = false;
      for (const marker of markers) if (await isMarker(dir, marker)) hit = true;
      if (hit) {
        root = dir;
        found = true;
        break;
      }
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
    const dirs = found ? chain : [start];
    const projects = userLevel["projects"];
    const trustOf = (p: string): JsonValue | undefined => (isPlainObject(projects) && isPlainObject(projects[p]) ? projects[p]["trust_level"] : undefined);
    const trusted = trustOf(root) === "trusted";
    const layers: Layer[] = [];
    // Farthest first, so the one nearest to cwd ends up with the highest precedence.
    for (const dir of [...dirs].reverse()) {
      const dotCodex = path.join(dir, ".codex");
      const file = path.join(dotCodex, "config.toml");
      if (!(await exists(file))) continue;
      const layer = await this.loadFileLayer({ type: "project", dotCodexFolder: dotCodex }, `project (${file})`, file);
      if (!trusted) {
        layer.disabledReason = `To load project-local config, hooks, and exec policies, add ${root} as a trusted project in ${this.userConfigFile}.`;
      }
      layers.push(layer);
    }
    return layers;
  }

  private sessionLayer(): Layer | null {
    if (this.overrides.length === 0) return null;
    const validated = validateTable(sessionFlagsTable(this.overrides));
    return {
      source: { type: "sessionFlags" },
      label: "session-flags",
      file: null,
      parsed: null,
      text: null,
      validated,
      version: layerVersion(validated.table),
      parseWarning: null,
      disabledReason: null,
    };
  }

  /** Lowest precedence first: system, user, the project layers of `cwd`, the session flags. */
  private async layersFor(cwd: string | null): Promise<Layer[]> {
    // Independent reads, side by side: at start-up each is a few thread-pool round trips.
    const [system, user] = await Promise.all([
      this.loadFileLayer({ type: "system", file: this.systemFile }, `system (${this.systemFile})`, this.systemFile),
      this.loadFileLayer({ type: "user", file: this.userConfigFile, profile: null }, `user (${this.userConfigFile})`, this.userConfigFile),
    ]);
    const session = this.session;
    let projects: Layer[] = [];
    if (cwd !== null) {
      const userLevel = deepMerge(deepMerge(system.validated.known, user.validated.known), session?.validated.known ?? {});
      projects = await this.projectLayers(cwd, userLevel);
    }
    return [system, user, ...projects, ...(session ? [session] : [])];
  }

  private compose(layers: readonly Layer[]): Composition {
    const session = this.session;
    const applied = layers.filter((l) => l.disabledReason === null || l.source.type === "user" || l.source.type === "system");

    // Known keys, lowest precedence first; the legacy profile overlays everything below the session flags.
    let base: JsonObject = {};
    for (const layer of applied) if (layer !== session) base = deepMerge(base, layer.validated.known);
    const withSession = session ? deepMerge(base, session.validated.known) : base;
    const warnings: ConfigWarningNotification[] = [];
    const profileName = typeof withSession["profile"] === "string" ? withSession["profile"] : null;
    let profileTable: JsonObject | null = null;
    if (profileName !== null) {
      const profiles = withSession["profiles"];
      const candidate = isPlainObject(profiles) ? profiles[profileName] : undefined;
      if (isPlainObject(candidate)) {
        profileTable = candidate;
        base = deepMerge(base, candidate);
      } else {
        warnings.push({
          summary: `Profile \`${profileName}\` is not defined; using the top-level settings.`,
          details: `Add a [profiles.${profileName}] table to config.toml or remove \`profile\`.`,
        });
      }
    }
    const merged = session ? deepMerge(base, session.validated.known) : base;

    // Origins: every leaf of the merged layers (unknown keys included, as 0.169 reports them) → highest layer that sets it.
    let all: JsonObject = {};
    for (const layer of applied) all = deepMerge(all, layer.validated.table);
    const origins: Record<string, ConfigLayerMetadata> = {};
    for (const [segments] of leafPaths(all)) {
      for (let i = applied.length - 1; i >= 0; i--) {
        const layer = applied[i] as Layer;
        if (valueAt(layer.validated.table, segments) !== undefined) {
          origins[formatPath(segments)] = metadata(layer);
          break;
        }
      }
    }
    if (profileName !== null && profileTable !== null) {
      for (const [segments] of leafPaths(profileTable)) {
        const key = formatPath(segments);
        if (origins[key]?.name.type === "sessionFlags") continue;
        const from = origins[formatPath(["profiles", profileName, ...segments])];
        if (from) origins[key] = structuredClone(from);
      }
    }
    return { applied, merged, origins, profileName, profileTable, warnings };
  }

  private async load(cwd: string | null): Promise<Snapshot> {
    const [requirements, layers] = await Promise.all([this.loadRequirements(), this.layersFor(cwd)]);
    const { applied, merged, origins, profileName, profileTable, warnings } = this.compose(layers);
    const req = requirements.toml;
    const { config: effective, warnings: effectiveWarnings } = buildEffectiveConfig({
      home: this.home,
      userConfigFile: this.userConfigFile,
      merged,
      profile: profileTable !== null ? profileName : null,
      env: this.env,
      requirements: req
        ? {
            allowedApprovalPolicies: req.allowed_approval_policies?.map((p) => (p === "on-failure" ? "on-request" : p)) ?? null,
            allowedSandboxModes: req.allowed_sandbox_modes ?? null,
            features: req.features ?? null,
            modelProvider: req.model_provider ?? null,
            network: req.experimental_network,
          }
        : null,
    });

    for (const o of this.overrides) if (!o.ok) warnings.push({ summary: "Ignoring an invalid -c override.", details: o.error });
    for (const layer of layers) {
      if (layer.parseWarning) warnings.push(layer.parseWarning);
    }
    for (const layer of applied) {
      for (const invalid of layer.validated.invalid) warnings.push(invalidValueWarning(invalid as InvalidValue, layer.file, layer.text));
    }
    const unknown = unknownKeysWarning(applied.flatMap((layer) => layer.validated.unknownKeys.map((p) => ({ label: layer.label, path: p }))));
    if (unknown) warnings.push(unknown);
    for (const layer of applied) for (const note of layer.validated.notes) if (!warnings.some((w) => w.summary === note.summary)) warnings.push(note);
    warnings.push(...effectiveWarnings, ...requirements.warnings);

    const deprecations: DeprecationNoticeNotification[] = [];
    for (const layer of applied) for (const d of layer.validated.deprecations) if (!deprecations.some((x) => x.summary === d.summary)) deprecations.push(d);

    return { layers, requirements, merged, origins, effective: deepFreeze(effective), report: { warnings, deprecations } };
  }

  private logReport(report: ConfigLoadReport): void {
    const log = this.options.log;
    if (!log) return;
    for (const w of report.warnings) log.warn({ details: w.details, path: w.path ?? undefined }, w.summary);
    for (const d of report.deprecations) log.warn({ details: d.details }, `deprecated: ${d.summary}`);
  }

  // ---- writing ----

  private serialize<T>(task: () => Promise<T>): Promise<T> {
    const run = this.writeChain.then(task, task);
    this.writeChain = run.catch(() => undefined);
    return run;
  }

  private async write(edits: readonly ConfigEdit[], filePath: string | null, expectedVersion: string | null): Promise<ConfigWriteResponse> {
    const target = this.userConfigFile;
    if (filePath !== null && path.resolve(filePath) !== target) {
      const [a, b] = await Promise.all([realpath(path.resolve(filePath)).catch(() => null), realpath(target).catch(() => null)]);
      if (a === null || a !== b) throw new ConfigWriteError("configLayerReadonly", USER_CONFIG_ONLY_MESSAGE);
    }
    const parsed = edits.map((edit) => {
      try {
        return { segments: parseKeyPath(edit.keyPath), value: tomlable((edit.value ?? null) as JsonValue, edit.keyPath), strategy: edit.mergeStrategy };
      } catch (err) {
        if (err instanceof KeyPathError) throw new ConfigWriteError("configValidationError", err.message);
        throw err;
      }
    });

    await ensureHome(this.home);
    const raw = await readRawFile(target);
    // Edits apply to the document as smol-toml parsed it, so values JSON cannot hold (TOML dates) are written back unchanged.
    let table: TomlDocument = {};
    if (raw.text !== null) {
      const result = parseConfigText(raw.text, target);
      if (!result.ok) throw new ConfigWriteError("configUnreadable", `failed to load configuration: ${result.message}`);
      table = parseToml(raw.text);
    }
    const asJson = (): JsonObject => tomlToJson(table) as JsonObject;
    const current = layerVersion(validateTable(asJson()).table);
    if (expectedVersion !== null && expectedVersion !== current) throw new ConfigWriteError("configVersionConflict", VERSION_CONFLICT_MESSAGE);

    for (const edit of parsed) {
      try {
        applyEdit(table, edit.segments, edit.value, edit.strategy);
      } catch (err) {
        if (err instanceof KeyPathError) throw new ConfigWriteError("configValidationError", err.message);
        throw err;
      }
    }
    stripNulls(table);
    const after = validateTable(asJson());
    // Values elsewhere in the file that were already invalid stay as the user left them (they are warned about on load).
    const bad = after.invalid.find((iv) => parsed.some((edit) => related(iv.path, edit.segments)));
    if (bad) throw new ConfigWriteError("configValidationError", `Invalid configuration: ${bad.message}\nin \`${formatPath(bad.path)}\`\n`);

    await writeFileAtomic(target, stringify(table), { ...this.options.atomicWrite, mode: 0o600 });
    const version = layerVersion(after.table);
    await this.reloadNow();

    let overriddenMetadata: OverriddenMetadata | null = null;
    const session = this.snapshot.layers.find((l) => l.source.type === "sessionFlags");
    if (session) {
      for (const edit of parsed) {
        const hit = leafPaths(session.validated.table).some(([p]) => related(p, edit.segments));
        if (hit) {
          overriddenMetadata = {
            message: "Overridden by session flags",
            overridingLayer: metadata(session),
            effectiveValue: cloneJson(valueAt(deepMerge(this.snapshot.merged, session.validated.table), edit.segments) ?? null),
          };
          break;
        }
      }
    }
    return { status: overriddenMetadata ? "okOverridden" : "ok", version, filePath: await realpath(target), overriddenMetadata };
  }
}
