// The stored login: `auth.json` under the daemon home, the file 0.169 writes and reads [obs]:
// `{"auth_mode": "apikey", "OPENAI_API_KEY": "<key>"}` pretty-printed with two spaces, no trailing
// newline, mode 0600 (written atomically here, so a crash never leaves half a key). The key is kept
// verbatim, as 0.169 keeps it (it neither trims nor rejects an empty key). Each read goes to the
// file, so a login made by another process sharing the home (the codex CLI) is seen at the next turn.
// The key itself is never logged.
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { decodeJwt } from "jose";
import { writeFileAtomic } from "../fs/atomicWrite.js";

export const AUTH_FILE = "auth.json";

export type StoredAuth =
  | { mode: "apikey"; apiKey: string }
  /** A ChatGPT login written by the codex CLI: reported, but its tokens are not used (no ChatGPT backend here). */
  | { mode: "chatgpt"; email: string | null; planType: string | null };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** auth.json's contents → what is stored; null for no login or a file we cannot read. */
export function parseAuthFile(text: string): StoredAuth | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(json)) return null;
  const mode = json["auth_mode"];
  const key = json["OPENAI_API_KEY"];
  if ((mode === "apikey" || mode === undefined || mode === null) && typeof key === "string") return { mode: "apikey", apiKey: key };
  if (mode === "chatgpt" || isObject(json["tokens"])) return { mode: "chatgpt", ...idTokenClaims(json["tokens"]) };
  return null;
}

/** Email and plan from the id_token's claims (unverified: they are only shown, never trusted). */
function idTokenClaims(tokens: unknown): { email: string | null; planType: string | null } {
  const idToken = isObject(tokens) ? tokens["id_token"] : undefined;
  if (typeof idToken !== "string") return { email: null, planType: null };
  try {
    const claims = decodeJwt(idToken);
    const auth = claims["https://api.openai.com/auth"];
    const plan = isObject(auth) ? auth["chatgpt_plan_type"] : undefined;
    return { email: typeof claims["email"] === "string" ? claims["email"] : null, planType: typeof plan === "string" ? plan : null };
  } catch {
    return { email: null, planType: null };
  }
}

export class AuthStore {
  private readonly file: string;
  // One write at a time, so a login racing a logout ends in the order the requests came.
  private queue: Promise<unknown> = Promise.resolve();

  constructor(home: string) {
    this.file = join(home, AUTH_FILE);
  }

  async read(): Promise<StoredAuth | null> {
    try {
      return parseAuthFile(await readFile(this.file, "utf8"));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw e;
    }
  }

  saveApiKey(apiKey: string): Promise<void> {
    const text = JSON.stringify({ auth_mode: "apikey", OPENAI_API_KEY: apiKey }, null, 2);
    return this.serial(() => writeFileAtomic(this.file, text, { mode: 0o600 }));
  }

  /** Removes the login; true when there was a file. */
  remove(): Promise<boolean> {
    return this.serial(async () => {
      try {
        await rm(this.file);
        return true;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return false;
        throw e;
      }
    });
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
