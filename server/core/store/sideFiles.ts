// The small append-only JSONL files beside the rollouts (session_index.jsonl, thread_metadata.jsonl):
// each record is one O_APPEND write, so concurrent writers do not interleave, and a torn or foreign
// line is skipped on read. A missing file reads as no records.
import { appendFile, readFile } from "node:fs/promises";

export async function appendRecord(file: string, record: unknown): Promise<void> {
  await appendFile(file, JSON.stringify(record) + "\n", { encoding: "utf8", mode: 0o644 });
}

/** Every line that parses, in file order. */
export async function readRecords(file: string): Promise<unknown[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
  const out: unknown[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      /* torn or foreign line */
    }
  }
  return out;
}
