// Rewriting a thread's history through its rollout: what a fork copies and what a revert appends.
// Both are pure functions of the lines on disk, so the live thread and a restarted daemon rebuild
// the same turns and the same model history from the result (rebuild.ts is the only reader).
//
// Fork: a new file (its own session_meta first), then the source's lines up to the first dropped
// turn, timestamps kept. An explicit turn (task_started) is cut at its task_started line; a file
// without markers (0.80) is copied whole and followed by thread_rolled_back for the dropped turns.
//
// Revert: append-only, so a crash leaves either the old history or the new one. We append
// thread_rolled_back {num_turns} (what every codex reader understands), then a `compacted` line
// whose replacement_history is the exact model history as it stood before the dropped turn. The
// reducer's rollback rule for history (drop the last N user messages) is a heuristic that a steer
// (two user messages in one turn) or a compaction turn (none) would get wrong; the replacement
// makes the history exact. DEVIATION from 0.169 [obs]: 0.169 writes a new rollout file
// (`rollout-…-<id>_<uuid>.jsonl`) holding only the retained state; an append keeps one file per
// thread and thread/list's keys stable.
import { unlink } from "node:fs/promises";
import type { Turn } from "../../../protocol/v2/shared.js";
import { RolloutNotFoundError } from "./errors.js";
import { rebuild } from "./rebuild.js";
import type { RawLine } from "./rolloutReader.js";
import type { RolloutItem } from "./rolloutTypes.js";

function isTaskStartedFor(line: RawLine, turnId: string): boolean {
  const p = line.payload as Record<string, unknown>;
  return line.type === "event_msg" && (p.type === "task_started" || p.type === "turn_started") && p.turn_id === turnId;
}

/** Turns from the first one to drop on: `keepThrough` inclusive (fork's lastTurnId), else everything after `keepBefore`. */
export function turnsToDrop(turns: readonly Turn[], cut: { keepThrough: string } | { dropFrom: string } | { dropFrom: null }): Turn[] | null {
  if ("keepThrough" in cut) {
    const at = turns.findIndex((t) => t.id === cut.keepThrough);
    return at < 0 ? null : turns.slice(at + 1);
  }
  if (cut.dropFrom === null) return [];
  const at = turns.findIndex((t) => t.id === cut.dropFrom);
  return at < 0 ? null : turns.slice(at);
}

export interface ForkCopy {
  lines: RawLine[];
  /** Lines to append after the copy (a rollback for marker-less files). */
  tail: RolloutItem[];
}

/** What a fork copies from `lines` so that the `dropped` turns are gone. */
export function forkCopy(lines: readonly RawLine[], dropped: readonly Turn[]): ForkCopy {
  const first = dropped[0];
  if (!first) return { lines: [...lines], tail: [] };
  const cutAt = lines.findIndex((l) => isTaskStartedFor(l, first.id));
  if (cutAt >= 0) return { lines: lines.slice(0, cutAt), tail: [] };
  return { lines: [...lines], tail: [{ type: "event_msg", payload: { type: "thread_rolled_back", num_turns: dropped.length } }] };
}

/** The lines a revert appends to drop `dropped` (the last turns of the thread). */
export function revertLines(lines: readonly RawLine[], dropped: readonly Turn[]): RolloutItem[] {
  const first = dropped[0];
  if (!first) return [];
  const out: RolloutItem[] = [{ type: "event_msg", payload: { type: "thread_rolled_back", num_turns: dropped.length } }];
  const cutAt = lines.findIndex((l) => isTaskStartedFor(l, first.id));
  if (cutAt >= 0) out.push({ type: "compacted", payload: { message: "", replacement_history: rebuild(lines.slice(0, cutAt)).history } });
  return out;
}

/** thread/delete: removes the rollout file (one unlink, so a crash leaves it whole or gone). */
export async function removeRollout(threadId: string, path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException | null)?.code;
    if (code === "ENOENT" || code === "ENOTDIR") throw new RolloutNotFoundError(threadId, path);
    throw e;
  }
}
