// Shared by the turn/thread e2e suites: the real built daemon on stdio with a temp home whose
// config.toml points a provider at the loopback Responses mock, plus helpers to run a turn, collect
// its notifications and record a transcript for wire-check. Every wait is under a deadline so a hang
// fails with a message; nothing asserts timings.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { startDaemon, type Json, type RawDaemon } from "../helpers/daemon.js";
import { tempHome, type TempHome } from "../helpers/home.js";
import { startMockResponses, type MockResponses, type ScriptEntry } from "../helpers/mockResponses.js";
import {
  isItem,
  isNotification,
  ok,
  type Item,
  type ItemType,
  type Params,
  type ServerNotificationMethod,
  type ThreadItem,
  type Turn,
} from "../helpers/protocol.js";
import { wireCheckTraffic } from "../helpers/wireCheck.js";
import { homedir } from "node:os";

export interface ProviderOptions {
  model?: string;
  requestMaxRetries?: number;
  streamMaxRetries?: number;
  sandbox?: "read-only" | "workspace-write" | "danger-full-access";
  extra?: string;
}

export function configToml(baseUrl: string, o: ProviderOptions = {}): string {
  return `model = "${o.model ?? "gpt-5.5"}"
model_provider = "mock"
approval_policy = "never"
sandbox_mode = "${o.sandbox ?? "workspace-write"}"
${o.extra ?? ""}
[model_providers.mock]
name = "e2e mock"
base_url = "${baseUrl}"
wire_api = "responses"
request_max_retries = ${o.requestMaxRetries ?? 0}
stream_max_retries = ${o.streamMaxRetries ?? 0}
`;
}

export interface Session {
  mock: MockResponses;
  home: TempHome;
  /** The thread's cwd (a workspace dir under the temp base). */
  cwd: string;
  daemon: RawDaemon;
  /** Starts another daemon on the same home (after a crash). */
  restart(): Promise<RawDaemon>;
}

const cleanups: Array<() => Promise<void> | void> = [];

export async function cleanupAll(): Promise<void> {
  for (const fn of cleanups.splice(0).reverse()) {
    try {
      await fn();
    } catch {
      // a cleanup failing must not hide the test's own result
    }
  }
}

export async function session(script: ScriptEntry[] = [], o: ProviderOptions = {}): Promise<Session> {
  const mock = await startMockResponses({ script });
  const home = tempHome("gatehouse-turns");
  const cwd = join(home.base, "work");
  mkdirSync(cwd);
  home.writeConfig(configToml(mock.baseUrl, o));
  const daemons: RawDaemon[] = [];
  const spawnOne = async (): Promise<RawDaemon> => {
    const d = recording(startDaemon({ home }));
    daemons.push(d);
    await d.initialize();
    return d;
  };
  cleanups.push(async () => {
    // A daemon still running shuts down through stop(), which asserts exit 0 and a clean stderr; one
    // the test killed on purpose (a crash scenario) has already exited.
    for (const d of daemons) {
      if (d.child.exitCode === null && d.child.signalCode === null) await d.stop();
    }
    await mock.close();
    home.cleanup();
  });
  const daemon = await spawnOne();
  return { mock, home, cwd, daemon, restart: spawnOne };
}

export { ok };

export async function startThread(d: RawDaemon, cwd: string, extra: Params<"thread/start"> = {}): Promise<string> {
  return ok(await d.request("thread/start", { cwd, ...extra })).thread.id;
}

type UserInput = Params<"turn/start">["input"][number];
export const text = (t: string): UserInput[] => [{ type: "text", text: t, text_elements: [] }];

/** A message's params, for scans across methods (a notification of a known method reads typed params). */
export const params = (m: Json): Json => (m["params"] ?? {}) as Json;
/** A notification with this method, of `threadId`'s thread when given. */
export const isNote = <M extends ServerNotificationMethod>(method: M, threadId?: string) =>
  isNotification(method, (p) => threadId === undefined || ("threadId" in p && p.threadId === threadId));

/** Sends turn/start and returns the turn id and the index in `messages` from which its notifications count. */
export async function startTurn(
  d: RawDaemon,
  threadId: string,
  input: string | UserInput[],
  extra: Partial<Params<"turn/start">> = {},
): Promise<{ turnId: string; from: number }> {
  const from = d.messages.length;
  const r = ok(await d.request("turn/start", { threadId, input: typeof input === "string" ? text(input) : input, ...extra }));
  return { turnId: r.turn.id, from };
}

export async function waitTurnCompleted(d: RawDaemon, turnId: string, from = 0, timeoutMs = 20_000): Promise<Turn> {
  const m = await d.waitFor(
    isNotification("turn/completed", (p) => p.turn.id === turnId),
    timeoutMs,
    from,
  );
  return m.params.turn;
}

/** Runs a whole turn; returns the completed turn and the notifications that belong to it. */
export async function runTurn(
  d: RawDaemon,
  threadId: string,
  input: string | UserInput[],
  extra: Partial<Params<"turn/start">> = {},
): Promise<{ turn: Turn; turnId: string; notes: Json[] }> {
  const { turnId, from } = await startTurn(d, threadId, input, extra);
  const turn = await waitTurnCompleted(d, turnId, from);
  const notes = d.messages
    .slice(from)
    .filter((m) => ("method" in m && !("id" in m) && params(m)["turnId"] === turnId) || String(m["method"]).startsWith("turn/"));
  return { turn, turnId, notes };
}

/** The items of `notes`' item/started or item/completed notifications, of one type when given. */
export function items<T extends ItemType>(notes: Json[], method: "item/started" | "item/completed", type: T): Item<T>[];
export function items(notes: Json[], method: "item/started" | "item/completed"): ThreadItem[];
export function items(notes: Json[], method: "item/started" | "item/completed", type?: ItemType): ThreadItem[] {
  const all = notes.filter(isNotification(method)).map((m) => m.params.item);
  return type === undefined ? all : all.filter(isItem(type));
}

/** The `input` array of a recorded model request. */
export function inputOf(mock: MockResponses, n: number): Json[] {
  const body = mock.responsesRequests()[n]?.body;
  if (!body) throw new Error(`no model request #${n} (got ${mock.responsesRequests().length})`);
  return body["input"] as Json[];
}

/** Every text of every message in an input list, flattened. */
export function inputTexts(input: Json[]): string[] {
  return input.flatMap((i) => (Array.isArray(i["content"]) ? (i["content"] as Json[]).map((c) => String(c["text"] ?? "")) : []));
}

export const REF_SCHEMA = join(process.env["REF_DIR"] ?? join(homedir(), ".cache/app-server-reference"), "0.169.0", "schema-json");

const sentLog = new WeakMap<RawDaemon, Array<{ at: number; msg: Json }>>();

/** Keeps what the test sends, with its position among the received messages, for the transcript. */
function recording(d: RawDaemon): RawDaemon {
  const sent: Array<{ at: number; msg: Json }> = [];
  sentLog.set(d, sent);
  const send = d.sendJson.bind(d);
  d.sendJson = (msg) => {
    sent.push({ at: d.messages.length, msg });
    send(msg);
  };
  return d;
}

/**
 * Writes the daemon's traffic as a run-scenario transcript (`{dir:"in"|"out", msg}` lines in order)
 * and validates it with `wire-check traffic` against the 0.169 schema.
 */
export function checkTraffic(d: RawDaemon, name: string): void {
  const file = join(d.home.base, `${name}.jsonl`);
  const sent = sentLog.get(d) ?? [];
  const lines: string[] = [];
  let s = 0;
  d.messages.forEach((msg, i) => {
    while (s < sent.length && sent[s]!.at <= i) lines.push(JSON.stringify({ dir: "in", msg: sent[s++]!.msg }));
    if (!("__raw" in msg)) lines.push(JSON.stringify({ dir: "out", msg }));
  });
  while (s < sent.length) lines.push(JSON.stringify({ dir: "in", msg: sent[s++]!.msg }));
  writeFileSync(file, lines.join("\n") + "\n");
  const r = wireCheckTraffic(REF_SCHEMA, file);
  expect(r.status, `wire-check traffic ${file}:\n${r.stdout}\n${r.stderr}`).toBe(0);
}
