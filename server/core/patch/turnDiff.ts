// The turn diff: what this turn's apply_patch calls changed, as one git-style
// unified diff of each touched file's baseline (content at first touch) against its current content.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import type { VerifiedFileChange, VerifiedPatch } from "./apply.js";
import { unifiedHunks } from "./unifiedDiff.js";

const ZERO_OID = "0".repeat(40);

/** The git blob id of `content` (`git hash-object`). */
export function gitBlobSha1(content: string): string {
  const bytes = Buffer.from(content, "utf8");
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

interface Entry {
  /** Path at first touch (the diff's left side). */
  origin: string;
  baseline: string | null;
  /** Where the file is now, and its content (null: deleted). */
  current: string;
  content: string | null;
}

export interface TurnDiffOptions {
  cwd: string;
  /** Finds the git work tree root above a path (default: the nearest ancestor holding `.git`). */
  gitRoot?: (p: string) => string | null;
}

export class TurnDiffTracker {
  private readonly entries: Entry[] = [];
  /** Current path → entry, so later patches and renames continue the same history. */
  private readonly byCurrent = new Map<string, Entry>();
  private readonly gitRootOf: (p: string) => string | null;
  private readonly rootCache = new Map<string, string | null>();
  private lastSent: string | null = null;

  constructor(private readonly opts: TurnDiffOptions) {
    this.gitRootOf = opts.gitRoot ?? findGitRoot;
  }

  /** Records a patch that was applied (pass only the changes written when it failed halfway). */
  record(changes: VerifiedPatch | readonly VerifiedFileChange[]): void {
    const list = "changes" in changes ? changes.changes : changes;
    for (const c of list) {
      let entry = this.byCurrent.get(c.path);
      if (entry === undefined) {
        entry = { origin: c.path, baseline: c.oldContent, current: c.path, content: c.oldContent };
        this.entries.push(entry);
        this.byCurrent.set(c.path, entry);
      }
      if (c.kind === "delete") {
        entry.content = null;
        continue;
      }
      entry.content = c.newContent;
      if (c.kind === "update" && c.movePath !== null && c.movePath !== c.path) {
        this.byCurrent.delete(c.path);
        // A move onto a file touched earlier this turn supersedes that file's history.
        const clobbered = this.byCurrent.get(c.movePath);
        if (clobbered !== undefined && clobbered !== entry) clobbered.content = null;
        entry.current = c.movePath;
        this.byCurrent.set(c.movePath, entry);
      }
    }
  }

  /** The whole turn's diff, or null when nothing changed on net. */
  diff(): string | null {
    const blocks = this.entries
      .map((e) => ({ e, name: this.display(e.current) }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map(({ e }) => this.block(e))
      .filter((b) => b !== "");
    return blocks.length === 0 ? null : blocks.join("");
  }

  /** The diff when it differs from the one this method last returned (clients replace, so a repeat is noise). */
  diffIfChanged(): string | null {
    const d = this.diff();
    if (d === null || d === this.lastSent) return null;
    this.lastSent = d;
    return d;
  }

  private block(e: Entry): string {
    const left = e.baseline;
    const right = e.content;
    const renamed = e.current !== e.origin;
    if (left === null && right === null) return "";
    if (left === right && !renamed) return "";
    const a = this.display(e.origin);
    const b = this.display(e.current);
    let out = `diff --git a/${a} b/${b}\n`;
    if (left === null) out += "new file mode 100644\n";
    else if (right === null) out += "deleted file mode 100644\n";
    out += `index ${left === null ? ZERO_OID : gitBlobSha1(left)}..${right === null ? ZERO_OID : gitBlobSha1(right)}\n`;
    out += `--- ${left === null ? "/dev/null" : `a/${a}`}\n`;
    out += `+++ ${right === null ? "/dev/null" : `b/${b}`}\n`;
    out += unifiedHunks(left ?? "", right ?? "", 3);
    return out;
  }

  /** Relative to the file's git root, else to the cwd when inside it, else absolute; always with `/`. */
  private display(p: string): string {
    const dir = path.dirname(p);
    let root = this.rootCache.get(dir);
    if (root === undefined) {
      root = this.gitRootOf(p);
      this.rootCache.set(dir, root);
    }
    const base = root ?? this.opts.cwd;
    const rel = path.relative(base, p);
    if (rel === "" || rel.startsWith("..") || path.isAbsolute(rel)) return p;
    return rel.split(path.sep).join("/");
  }
}

function findGitRoot(p: string): string | null {
  for (let dir = path.dirname(p); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, ".git"))) return dir;
    if (path.dirname(dir) === dir) return null;
  }
}
