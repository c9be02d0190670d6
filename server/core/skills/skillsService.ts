// skills/list and skills/changed: SKILL.md files under the workspace and the daemon home.
//
// Roots, as 0.169 reported them (observed with the conformance harness; its skills message lists
// them as "Skill roots"): for each folder from the cwd up to its git root, `.codex/skills` and
// `.agents/skills` (scope "repo"); `<home>/skills` ("user"); `<home>/skills/.system` ("system";
// 0.169 installs bundled skills there, we ship none but list what is there). A skill is a folder
// with a SKILL.md; hidden folders are skipped, and a skill's own subfolders are not searched.
// Entries are sorted by scope (repo, user, system, admin), then name, as 0.169 returned them.
//
// skills/changed: 0.169 sent one (about 0.5 s after the write) when a skill was added under the
// workspace's `.agents/skills`, and none for a write elsewhere in the workspace. Here every listed
// root is watched (recursively where it exists; where it does not, its nearest existing ancestor is
// watched for the folder that would create it), changes are coalesced over a short window, the cache
// is dropped and every connection hears one `skills/changed`. 0.169 did not report a skill added
// under the home within 5 s; we do, which is what the notification's description promises.
import { existsSync, watch, type FSWatcher } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import type { SkillErrorInfo, SkillMetadata, SkillScope, SkillsListEntry } from "../../../protocol/v2/index.js";
import type { Logger } from "../../log.js";
import { readSkill } from "./skillFile.js";

interface Root {
  readonly path: string;
  readonly scope: SkillScope;
  /** The folder a watch may fall back to; never above it. */
  readonly base: string;
}

const SCOPE_ORDER: Record<SkillScope, number> = { repo: 0, user: 1, system: 2, admin: 3 };
const MAX_DEPTH = 6;
const COALESCE_MS = 200;

export interface SkillsServiceOptions {
  readonly home: string;
  readonly log: Logger;
  /** Sends a notification to every connected client. */
  readonly broadcast: (method: string, params: unknown) => void;
  /** The cwd used when skills/list names none (0.169: the session's working directory). */
  readonly defaultCwd?: string;
}

function gitRoot(cwd: string): string | null {
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (existsSync(join(dir, ".git"))) return dir;
    if (dirname(dir) === dir) return null;
  }
}

export class SkillsService {
  private readonly cache = new Map<string, SkillsListEntry>();
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly watchedRoots = new Map<string, Root>();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly opts: SkillsServiceOptions) {}

  rootsFor(cwd: string): Root[] {
    const roots: Root[] = [];
    const top = gitRoot(cwd) ?? cwd;
    for (let dir = cwd; ; dir = dirname(dir)) {
      roots.push({ path: join(dir, ".codex", "skills"), scope: "repo", base: dir });
      roots.push({ path: join(dir, ".agents", "skills"), scope: "repo", base: dir });
      if (dir === top || dirname(dir) === dir) break;
    }
    const home = this.opts.home;
    roots.push({ path: join(home, "skills"), scope: "user", base: home });
    roots.push({ path: join(home, "skills", ".system"), scope: "system", base: home });
    return roots;
  }

  async list(cwds: readonly string[], forceReload: boolean): Promise<SkillsListEntry[]> {
    const wanted = cwds.length > 0 ? cwds.map((c) => resolve(c)) : [this.opts.defaultCwd ?? process.cwd()];
    const out: SkillsListEntry[] = [];
    for (const cwd of wanted) {
      const cached = forceReload ? undefined : this.cache.get(cwd);
      if (cached) {
        out.push(cached);
        continue;
      }
      const roots = this.rootsFor(cwd);
      const entry = await this.scan(cwd, roots);
      this.cache.set(cwd, entry);
      for (const r of roots) this.watchRoot(r);
      out.push(entry);
    }
    return out;
  }

  private async scan(cwd: string, roots: readonly Root[]): Promise<SkillsListEntry> {
    const skills: SkillMetadata[] = [];
    const errors: SkillErrorInfo[] = [];
    const seen = new Set<string>();
    for (const root of roots) {
      for (const file of await this.skillFiles(root.path, 0)) {
        if (seen.has(file)) continue;
        seen.add(file);
        const parsed = await readSkill(file, root.scope);
        if (parsed.ok) skills.push(parsed.skill);
        else errors.push({ path: file, message: parsed.message });
      }
    }
    skills.sort((a, b) => SCOPE_ORDER[a.scope] - SCOPE_ORDER[b.scope] || a.name.localeCompare(b.name) || a.path.localeCompare(b.path));
    return { cwd, skills, errors };
  }

  /** SKILL.md files under `dir`: a folder holding one is a skill and is not searched further. */
  private async skillFiles(dir: string, depth: number): Promise<string[]> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return [];
    }
    if (depth > 0 && entries.some((e) => e.name === "SKILL.md" && (e.isFile() || e.isSymbolicLink()))) return [join(dir, "SKILL.md")];
    if (depth >= MAX_DEPTH) return [];
    const out: string[] = [];
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name.startsWith(".")) continue;
      let isDir = e.isDirectory();
      if (e.isSymbolicLink())
        isDir = await stat(join(dir, e.name)).then(
          (s) => s.isDirectory(),
          () => false,
        );
      if (isDir) out.push(...(await this.skillFiles(join(dir, e.name), depth + 1)));
    }
    return out;
  }

  private watchRoot(root: Root): void {
    if (this.closed) return;
    this.watchedRoots.set(root.path, root);
    // The root itself when it exists, else the nearest existing ancestor down from its base.
    let target = root.path;
    while (!existsSync(target) && target !== root.base && target.startsWith(root.base + sep)) target = dirname(target);
    if (!existsSync(target)) return;
    const recursive = target === root.path;
    const key = `${recursive ? "r" : "n"}:${target}`;
    if (this.watchers.has(key)) return;
    try {
      const w = watch(target, { recursive, persistent: false }, (_event, name) => {
        if (recursive) return this.changed();
        // An ancestor only matters when the next folder toward a root appeared or went.
        const next = name ? join(target, String(name)) : null;
        for (const r of this.watchedRoots.values()) {
          if (next && (r.path === next || r.path.startsWith(next + sep))) {
            this.changed();
            return;
          }
        }
      });
      w.on("error", () => {
        w.close();
        this.watchers.delete(key);
      });
      this.watchers.set(key, w);
    } catch (e) {
      this.opts.log.debug({ err: e, path: target }, "cannot watch a skills root");
    }
  }

  private changed(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.cache.clear();
      // A root may have appeared (or gone): watch the right folders from now on.
      for (const w of this.watchers.values()) w.close();
      this.watchers.clear();
      for (const r of this.watchedRoots.values()) this.watchRoot(r);
      this.opts.broadcast("skills/changed", {});
    }, COALESCE_MS);
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }
}
