// Tolerant rollout reader. A rollout is written by us, by codex 0.80 or 0.169, or cut off by a
// crash, so: unparsable lines (a torn last line, garbage) and line types we do not know
// (0.169's world_state, token_usage_record, …) are skipped and counted, never fatal. Payloads are
// returned unvalidated; rebuild.ts checks each field it uses, because foreign files vary.
// Only a file that cannot be read at all is an error, and it names the path.
import { open, readFile } from "node:fs/promises";
import { RolloutNotFoundError, RolloutUnreadableError } from "./errors.js";

export const KNOWN_LINE_TYPES = ["session_meta", "turn_context", "response_item", "compacted", "event_msg"] as const;
export type KnownLineType = (typeof KNOWN_LINE_TYPES)[number];

export interface RawLine {
  /** 0-based line number in the file (torn and skipped lines count). */
  index: number;
  timestamp: string | null;
  type: KnownLineType;
  payload: unknown;
}

export interface ReadResult {
  lines: RawLine[];
  /** Lines that did not parse, had no envelope, or had an unknown type. */
  skipped: number;
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function toReadError(path: string, e: unknown): Error {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (code === "ENOENT" || code === "ENOTDIR") return new RolloutNotFoundError(null, path);
  return new RolloutUnreadableError(path, errText(e));
}

/** Parses one line; null when it is not a line we understand. */
export function parseLine(text: string, index: number): RawLine | null {
  if (text.trim() === "") return null;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) return null;
  const o = v as Record<string, unknown>;
  if (typeof o.type !== "string" || !(KNOWN_LINE_TYPES as readonly string[]).includes(o.type)) return null;
  if (typeof o.payload !== "object" || o.payload === null) return null;
  return { index, timestamp: typeof o.timestamp === "string" ? o.timestamp : null, type: o.type as KnownLineType, payload: o.payload };
}

/** Splits a whole file; a last line without its newline is still tried (it may be complete). */
export function parseRolloutText(text: string): ReadResult {
  const parts = text.split("\n");
  if (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  const lines: RawLine[] = [];
  let skipped = 0;
  parts.forEach((part, i) => {
    const line = parseLine(part, i);
    if (line) lines.push(line);
    else skipped++;
  });
  return { lines, skipped };
}

export async function readRolloutFile(path: string): Promise<ReadResult> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw toReadError(path, e);
  }
  return parseRolloutText(text);
}

/**
 * Reads lines from the start until `visit` returns false or `maxBytes` have been read; for
 * thread/list, which needs only the head (session_meta and the first user message).
 */
export async function scanRolloutHead(path: string, visit: (line: RawLine) => boolean, maxBytes = 1024 * 1024): Promise<void> {
  let fh;
  try {
    fh = await open(path, "r");
  } catch (e) {
    throw toReadError(path, e);
  }
  try {
    const chunk = Buffer.alloc(64 * 1024);
    let pending = Buffer.alloc(0);
    let read = 0;
    let index = 0;
    while (read < maxBytes) {
      const { bytesRead } = await fh.read(chunk, 0, chunk.length, read);
      if (bytesRead === 0) break;
      read += bytesRead;
      // Splitting bytes on 0x0a is safe: no UTF-8 multi-byte sequence contains it.
      let buf = Buffer.concat([pending, chunk.subarray(0, bytesRead)]);
      let nl;
      while ((nl = buf.indexOf(0x0a)) >= 0) {
        const line = parseLine(buf.subarray(0, nl).toString("utf8"), index++);
        buf = buf.subarray(nl + 1);
        if (line && !visit(line)) return;
      }
      pending = Buffer.from(buf);
    }
    if (pending.length > 0 && read < maxBytes) {
      const line = parseLine(pending.toString("utf8"), index);
      if (line) visit(line);
    }
  } catch (e) {
    throw toReadError(path, e);
  } finally {
    await fh.close();
  }
}
