// The daemon's configuration as one service: the effective config the rest of the daemon reads,
// config/read in the reference's shape (config, origins, layers), writes, and requirements.
import { existsSync, readFileSync } from "node:fs";
import { parse as parseToml } from "smol-toml";
import type { Logger } from "../../log.js";
import {
  getPath,
  layerVersion,
  loadConfig,
  writeConfigEdits,
  type ConfigEdit,
  type LoadedConfig,
  type Table,
} from "./configStore.js";

export type LayerName = { type: "user"; file: string; profile: string | null } | { type: "sessionFlags" };

export interface ConfigLayerView {
  name: LayerName;
  version: string;
  config: Table;
  disabledReason: string | null;
}

export class ConfigService {
  private loaded: LoadedConfig;

  constructor(
    readonly home: string,
    private readonly overrides: readonly string[],
    private readonly log: Logger,
  ) {
    this.loaded = loadConfig(home, overrides);
    for (const w of this.loaded.warnings) log.warn({ details: w.details, path: w.path }, w.summary);
    for (const d of this.loaded.deprecations) log.warn({ details: d.details }, d.summary);
  }

  get effective(): Table {
    return this.loaded.effective;
  }
  get warnings(): LoadedConfig["warnings"] {
    return this.loaded.warnings;
  }
  get deprecations(): LoadedConfig["deprecations"] {
    return this.loaded.deprecations;
  }

  reload(): void {
    this.loaded = loadConfig(this.home, this.overrides);
  }

  private layers(): ConfigLayerView[] {
    const profile = typeof this.loaded.effective["profile"] === "string" ? (this.loaded.effective["profile"] as string) : null;
    const out: ConfigLayerView[] = [
      { name: { type: "user", file: this.loaded.path, profile }, version: layerVersion(this.loaded.user), config: this.loaded.user, disabledReason: null },
    ];
    if (Object.keys(this.loaded.sessionFlags).length) {
      out.push({ name: { type: "sessionFlags" }, version: layerVersion(this.loaded.sessionFlags), config: this.loaded.sessionFlags, disabledReason: null });
    }
    return out;
  }

  /** config/read: the effective config, which layer each leaf came from, and optionally the layers. */
  read(params: { includeLayers?: boolean | null | undefined }): { config: Table; origins: Record<string, { name: LayerName; version: string }>; layers: ConfigLayerView[] | null } {
    this.reload();
    const layers = this.layers();
    const origins: Record<string, { name: LayerName; version: string }> = {};
    for (const layer of layers) {
      for (const keyPath of leafPaths(layer.config)) origins[keyPath] = { name: layer.name, version: layer.version };
    }
    return { config: this.loaded.effective, origins, layers: params.includeLayers ? layers : null };
  }

  write(edits: readonly ConfigEdit[], expectedVersion: string | null | undefined): { status: "ok" | "okOverridden"; version: string; filePath: string; overriddenMetadata: unknown } {
    const { version } = writeConfigEdits(this.loaded.path, edits, expectedVersion);
    this.reload();
    const overridden = edits.find((e) => getPath(this.loaded.sessionFlags, e.keyPath.split(".")) !== undefined);
    const session = this.layers().find((l) => l.name.type === "sessionFlags");
    return {
      status: overridden ? "okOverridden" : "ok",
      version,
      filePath: this.loaded.path,
      overriddenMetadata:
        overridden && session
          ? {
              message: `${overridden.keyPath} is overridden by a -c flag given to this daemon; the file was written but the flag wins until restart`,
              overridingLayer: { name: session.name, version: session.version },
              effectiveValue: getPath(this.loaded.effective, overridden.keyPath.split(".")) ?? null,
            }
          : null,
    };
  }

  /** configRequirements/read: admin requirements from /etc/codex/requirements.toml when present. */
  readRequirements(path = "/etc/codex/requirements.toml"): { requirements: Table | null; supportsIndependentSpeedModes: boolean } {
    let requirements: Table | null = null;
    if (existsSync(path)) {
      try {
        requirements = parseToml(readFileSync(path, "utf8")) as Table;
      } catch (error) {
        this.log.warn({ err: error, path }, "could not parse requirements; ignoring them");
      }
    }
    return { requirements, supportsIndependentSpeedModes: true };
  }
}

function leafPaths(table: Table, prefix = ""): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(table)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === "object" && !Array.isArray(v)) out.push(...leafPaths(v as Table, path));
    else out.push(path);
  }
  return out;
}
