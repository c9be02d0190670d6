// Thread names, stored as 0.169 stores them [obs]: thread/name/set appends
//   {"id":"<thread id>","thread_name":"<trimmed name>","updated_at":"<UTC ISO>"}
// to $CODEX_HOME/session_index.jsonl (not to the rollout, whose mtime, and so updatedAt, does not
// change). The last line for an id wins (sideFiles.ts says how the file is written and read).
import { join } from "node:path";
import { appendRecord, readRecords } from "./sideFiles.js";

export const SESSION_INDEX_FILE = "session_index.jsonl";

export async function appendThreadName(home: string, threadId: string, name: string, now = new Date()): Promise<void> {
  await appendRecord(join(home, SESSION_INDEX_FILE), { id: threadId, thread_name: name, updated_at: now.toISOString() });
}

/** id → latest name. A missing file means no names. */
export async function readThreadNames(home: string): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const v of (await readRecords(join(home, SESSION_INDEX_FILE))) as Array<{ id?: unknown; thread_name?: unknown } | null>) {
    if (typeof v?.id === "string" && typeof v.thread_name === "string") names.set(v.id, v.thread_name);
  }
  return names;
}
