// Where rollout files live (the reference's layout):
//   <home>/sessions/YYYY/MM/DD/rollout-YYYY-MM-DDThh-mm-ss-<uuid>.jsonl   (LOCAL time, as the reference)
//   <home>/archived_sessions/<same file name>                             (flat)
// The file name alone carries the list order key (timestamp, uuid), so listing never has to open
// a file to sort it, and the key never changes while the file grows.
import { join } from "node:path";

export const SESSIONS_DIR = "sessions";
export const ARCHIVED_DIR = "archived_sessions";

const NAME_RE =
  /^rollout-(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})-(\d{2})-([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\.jsonl$/;

export interface RolloutFileName {
  /** "YYYY-MM-DDThh-mm-ss" as in the name: sorts lexicographically in time order. */
  stamp: string;
  year: string;
  month: string;
  day: string;
  threadId: string;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** Local-time stamp "YYYY-MM-DDThh-mm-ss". */
export function localStamp(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}-${pad(date.getMinutes())}-${pad(date.getSeconds())}`;
}

export function rolloutFileName(createdAt: Date, threadId: string): string {
  return `rollout-${localStamp(createdAt)}-${threadId}.jsonl`;
}

export function parseRolloutFileName(name: string): RolloutFileName | null {
  const m = NAME_RE.exec(name);
  if (!m) return null;
  // Every group is mandatory, so a match has them all; the defaults only satisfy the index type.
  const [, year = "", month = "", day = "", hh = "", mm = "", ss = "", id = ""] = m;
  return { stamp: `${year}-${month}-${day}T${hh}-${mm}-${ss}`, year, month, day, threadId: id.toLowerCase() };
}

/** The dated folder a rollout belongs in; unarchive takes the date from the file name. */
export function sessionDayDir(home: string, f: Pick<RolloutFileName, "year" | "month" | "day">): string {
  return join(home, SESSIONS_DIR, f.year, f.month, f.day);
}

export function archivedDir(home: string): string {
  return join(home, ARCHIVED_DIR);
}

export function sessionsDir(home: string): string {
  return join(home, SESSIONS_DIR);
}
