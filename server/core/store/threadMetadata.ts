// thread/metadata/update's Git fields. A rollout's session_meta is its first line and never
// rewritten, so later edits live beside it, the way thread names do (sessionIndex.ts): one line
//   {"id":"<thread id>","git":{"commit_hash"?,"branch"?,"repository_url"?},"updated_at":"<UTC ISO>"}
// appended to $HOME/thread_metadata.jsonl per update. A key present in `git` replaces the stored
// value (null clears it); an absent key leaves it. Lines for an id apply in order over the
// session_meta's git. Each append is one small O_APPEND write; a torn line is skipped on read.
// 0.169 keeps these in its state DB; it answers with the patched gitInfo [obs].
import { join } from "node:path";
import type { RolloutGitInfo } from "./rolloutTypes.js";
import { appendRecord, readRecords } from "./sideFiles.js";

export const THREAD_METADATA_FILE = "thread_metadata.jsonl";

export type GitPatch = Partial<Record<keyof RolloutGitInfo, string | null>>;

export async function appendGitPatch(home: string, threadId: string, git: GitPatch, now = new Date()): Promise<void> {
  await appendRecord(join(home, THREAD_METADATA_FILE), { id: threadId.toLowerCase(), git, updated_at: now.toISOString() });
}

/** id → the patches for it, oldest first. A missing file means none. */
export async function readGitPatches(home: string): Promise<Map<string, GitPatch[]>> {
  const out = new Map<string, GitPatch[]>();
  for (const v of (await readRecords(join(home, THREAD_METADATA_FILE))) as Array<{ id?: unknown; git?: unknown } | null>) {
    if (typeof v?.id !== "string" || typeof v.git !== "object" || v.git === null) continue;
    const list = out.get(v.id) ?? [];
    list.push(v.git as GitPatch);
    out.set(v.id, list);
  }
  return out;
}

/** The session_meta git with the patches applied; null when nothing is left. */
export function applyGitPatches(base: RolloutGitInfo | null | undefined, patches: readonly GitPatch[] | undefined): RolloutGitInfo | null {
  if (!patches?.length) return base ?? null;
  const git: RolloutGitInfo = { ...(base ?? {}) };
  for (const p of patches) {
    for (const key of ["commit_hash", "branch", "repository_url"] as const) if (key in p) git[key] = p[key] ?? null;
  }
  return git.commit_hash == null && git.branch == null && git.repository_url == null ? null : git;
}
