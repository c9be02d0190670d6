// One skill: its SKILL.md front matter (YAML between `---` lines) and the optional
// `agents/openai.yaml` beside it, which carries the UI `interface` and tool `dependencies`.
// Error wording is 0.169's, as skills/list reported it for the same files (observed):
//   "missing YAML frontmatter delimited by ---", "missing field `description`".
import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import type { SkillDependencies, SkillInterface, SkillMetadata, SkillScope } from "../../../protocol/v2/index.js";

export type SkillParse = { ok: true; skill: SkillMetadata } | { ok: false; message: string };

const FRONT_MATTER = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

function str(v: unknown): string | null {
  return typeof v === "string" ? v : null;
}

function record(v: unknown): Record<string, unknown> | null {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

function yamlError(e: unknown): string {
  return `invalid YAML: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`;
}

/** Parses SKILL.md text; `path` is the file's absolute path. */
export function parseSkillMarkdown(text: string, path: string, scope: SkillScope): SkillParse {
  const m = FRONT_MATTER.exec(text);
  if (!m) return { ok: false, message: "missing YAML frontmatter delimited by ---" };
  let data: unknown;
  try {
    data = parseYaml(m[1] ?? "");
  } catch (e) {
    return { ok: false, message: yamlError(e) };
  }
  const fm = record(data);
  if (!fm) return { ok: false, message: "front matter is not a YAML mapping" };
  const name = str(fm["name"]);
  if (name === null) return { ok: false, message: "missing field `name`" };
  const description = str(fm["description"]);
  if (description === null) return { ok: false, message: "missing field `description`" };
  const meta = record(fm["metadata"]);
  const shortDescription = str(meta?.["short-description"]) ?? str(meta?.["short_description"]);
  const skill: SkillMetadata = { name, description, path, scope, enabled: true, pluginId: null };
  // 0.169 leaves shortDescription out rather than sending null.
  if (shortDescription !== null) skill.shortDescription = shortDescription;
  return { ok: true, skill };
}

function iconPath(v: unknown, skillDir: string): string | null {
  const s = str(v);
  if (s === null || s === "") return null;
  return isAbsolute(s) ? s : resolve(skillDir, s);
}

/** `agents/openai.yaml`: display fields and declared tool dependencies; absent or unreadable → null. */
export function parseAgentsYaml(text: string, skillDir: string): { interface: SkillInterface | null; dependencies: SkillDependencies | null } {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch {
    return { interface: null, dependencies: null };
  }
  const root = record(data);
  const ui = record(root?.["interface"]);
  const iface: SkillInterface | null = ui
    ? {
        displayName: str(ui["display_name"]),
        shortDescription: str(ui["short_description"]),
        iconSmall: iconPath(ui["icon_small"], skillDir),
        iconLarge: iconPath(ui["icon_large"], skillDir),
        iconSmallUrl: null,
        iconLargeUrl: null,
        brandColor: str(ui["brand_color"]),
        defaultPrompt: str(ui["default_prompt"]),
      }
    : null;
  const deps = record(root?.["dependencies"]);
  const tools = Array.isArray(deps?.["tools"]) ? (deps["tools"] as unknown[]) : null;
  const dependencies: SkillDependencies | null = tools
    ? {
        tools: tools.flatMap((t) => {
          const r = record(t);
          const type = str(r?.["type"]);
          const value = str(r?.["value"]);
          if (!r || type === null || value === null) return [];
          return [{ type, value, description: str(r["description"]), transport: str(r["transport"]), command: str(r["command"]), url: str(r["url"]) }];
        }),
      }
    : null;
  return { interface: iface, dependencies };
}

/** Reads and parses one SKILL.md and its agents/openai.yaml. */
export async function readSkill(path: string, scope: SkillScope): Promise<SkillParse> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    return { ok: false, message: `could not read: ${e instanceof Error ? e.message : String(e)}` };
  }
  const parsed = parseSkillMarkdown(text, path, scope);
  if (!parsed.ok) return parsed;
  const dir = dirname(path);
  const agents = await readFile(resolve(dir, "agents/openai.yaml"), "utf8").catch(() => null);
  if (agents !== null) {
    const extra = parseAgentsYaml(agents, dir);
    if (extra.interface) parsed.skill.interface = extra.interface;
    if (extra.dependencies) parsed.skill.dependencies = extra.dependencies;
  }
  return parsed;
}
