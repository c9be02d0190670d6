// Thread names, stored as 0.169 stores them [obs]: thread/name/set appends
//   {"id":"<thread id>","thread_name":"<trimmed name>","updated_at":"<UTC ISO>"}
// to $CODEX_HOME/session_index.jsonl (not to the rollout, whose mtime, and so updatedAt, does not
// change). The last line for an id wins. Each append is one small O_APPEND write, so lines from
// concurrent writers do not interleave; a torn line is skipped on read.
import { appendFile, readFile } from "node:fs/promises";
import { join } from "node:path";

export const SESSION_INDEX_FILE = "session_index.jsonl";

export async function appendThreadName(home: string, threadId: string, name: string, now = new Date()): Promise<void> {
  const line = JSON.stringify({ id: threadId, thread_name: name, updated_at: now.toISOString() }) + "\n";
  await appendFile(join(home, SESSION_INDEX_FILE), line, { encoding: "utf8", mode: 0o644 });
}

/** id → latest name. A missing file means no names. */
export async function readThreadNames(home: string): Promise<Map<string, string>> {
  let text: string;
  try {
    text = await readFile(join(home, SESSION_INDEX_FILE), "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return new Map();
    throw e;
  }
  const names = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      const v = JSON.parse(line) as { id?: unknown; thread_name?: unknown };
      if (typeof v.id === "string" && typeof v.thread_name === "string") names.set(v.id, v.thread_name);
    } catch {
      /* torn or foreign line */
    }
  }
  return names;
}
