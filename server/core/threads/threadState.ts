// One thread held in memory: its settings, model history, subscribers and status. Every event of the
// thread goes out through `emit`, to each subscribed connection (several clients may watch one thread),
// through the projections that subscriber asked for: the v2 notifications (core/events/v2Projection.ts)
// and, for a v1 listener (addConversationListener), 0.80's `codex/event/*` (core/events/v1Projector.ts).
// Persistence is the rollout writer's; this object only holds what the next turn needs. ThreadManager's
// LoadedThread keeps it with the rollout, the exec sessions and the turn, so the engine sees none of those.
import type { SandboxPolicy as WireSandboxPolicy, Thread, ThreadStatus, Turn } from "../../../protocol/v2/index.js";
import type { SandboxPolicy } from "../../sandbox/sandboxPolicy.js";
import type { EventDetail } from "../events/eventDetail.js";
import type { V1Projector } from "../events/v1Projector.js";
import { v2Delivers, type ThreadApi } from "../events/v2Projection.js";
import type { ApprovalPolicy, ClientSink } from "../ports.js";

/**
 * How a client subscribes: "v2" (thread/start, thread/resume, turn/start: the v2 notifications),
 * "v1Listener" (addConversationListener: 0.80's codex/event/* plus the v2 notifications, as 0.80's
 * listeners got both) or "holder" (a v1 call that opened the thread: it stays loaded while the
 * connection lives, and the connection hears nothing until it adds a listener).
 */
export type Projections = "v2" | "v1Listener" | "holder";

/** What one subscriber hears: the v2 notifications it asked for itself, and how many v1 listeners it added. */
interface Hearing {
  readonly v2: boolean;
  readonly listeners: number;
}

/** What a turn runs with; thread/start sets it, turn/start may override parts of it for good. */
export interface ThreadSettings {
  model: string;
  modelProviderId: string;
  cwd: string;
  /** "on-failure" only from the v1 API (0.80): run sandboxed, ask to rerun outside the sandbox after a denial. */
  approvalPolicy: ApprovalPolicy;
  sandboxPolicy: SandboxPolicy;
  sandboxWire: WireSandboxPolicy;
  effort: string | null;
  summary: string | null;
  baseInstructions: string | null;
  developerInstructions: string | null;
}

export interface TokenTotals {
  totalTokens: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  reasoningOutputTokens: number;
}

/** The Thread fields fixed at creation. */
export type ThreadBase = Pick<
  Thread,
  | "sessionId"
  | "forkedFromId"
  | "parentThreadId"
  | "ephemeral"
  | "projectId"
  | "cliVersion"
  | "originator"
  | "source"
  | "gitInfo"
  | "agentNickname"
  | "agentRole"
>;

export class ThreadState {
  readonly subscribers = new Set<ClientSink>();
  readonly #projections = new Map<ClientSink, Hearing>();
  /** Set while any subscriber hears the v1 projection (it keeps per-thread state). */
  #v1: V1Projector | null = null;
  /**
   * The API that loaded the thread: it picks the approval requests' family (0.80's execCommandApproval
   * and applyPatchApproval for "v1") and what its v2 subscribers hear (v2Projection.ts).
   */
  api: ThreadApi = "v2";
  readonly #subscribeListeners = new Set<(client: ClientSink) => void>();
  /** Every initialized connection, subscribed or not: where 0.169 sends thread/status/changed. */
  readonly #broadcast: ((method: string, params: unknown) => void) | null;
  status: ThreadStatus = { type: "idle" };
  /** The Responses items sent to the model on the next request, in order. */
  history: unknown[] = [];
  /** Turns finished while loaded or rebuilt at load, newest last (thread/read of a loaded thread). */
  turns: Turn[] = [];
  tokenTotals: TokenTotals = { totalTokens: 0, inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, reasoningOutputTokens: 0 };
  /** The settings the model last saw in an environment_context message; null before the first turn. */
  contextSent: ThreadSettings | null = null;
  activeTurnId: string | null = null;
  name: string | null;
  preview: string;
  updatedAt: number;
  /** thread/metadata/update can change it after creation. */
  gitInfo: Thread["gitInfo"];

  constructor(
    readonly id: string,
    readonly path: string,
    readonly createdAt: number,
    public settings: ThreadSettings,
    private readonly base: ThreadBase,
    init: { name: string | null; preview: string; updatedAt: number; broadcast?: (method: string, params: unknown) => void },
  ) {
    this.#broadcast = init.broadcast ?? null;
    this.name = init.name;
    this.preview = init.preview;
    this.updatedAt = init.updatedAt;
    this.gitInfo = base.gitInfo;
  }

  /** The wire Thread; `turns` only where the method includes them. */
  toWire(turns: Turn[] = []): Thread {
    return {
      ...this.base,
      gitInfo: this.gitInfo,
      id: this.id,
      path: this.path,
      createdAt: this.createdAt,
      updatedAt: this.updatedAt,
      recencyAt: this.updatedAt,
      preview: this.preview,
      name: this.name,
      status: this.status,
      model: this.settings.model,
      modelProvider: this.settings.modelProviderId,
      cwd: this.settings.cwd,
      reasoningEffort: this.settings.effort,
      turns,
    };
  }

  /**
   * Adds a subscriber (false if it already was one). Listeners hear of it on a later turn of the
   * event loop, after the response of the request that subscribed it (thread/resume) has gone out.
   */
  addSubscriber(client: ClientSink, projections: Projections = "v2"): boolean {
    const had = this.#projections.get(client) ?? { v2: false, listeners: 0 };
    this.#projections.set(client, { v2: had.v2 || projections === "v2", listeners: had.listeners + (projections === "v1Listener" ? 1 : 0) });
    if (this.subscribers.has(client)) return false;
    this.subscribers.add(client);
    if (this.#subscribeListeners.size > 0) {
      setImmediate(() => {
        if (client.closed || !this.subscribers.has(client)) return;
        for (const listener of [...this.#subscribeListeners]) listener(client);
      });
    }
    return true;
  }

  onSubscribe(listener: (client: ClientSink) => void): () => void {
    this.#subscribeListeners.add(listener);
    return () => this.#subscribeListeners.delete(listener);
  }

  /** Removes a subscriber; true if it was one. */
  removeSubscriber(client: ClientSink): boolean {
    this.#projections.delete(client);
    return this.subscribers.delete(client);
  }

  /** Whether `client` subscribed through v2 itself (not only as a v1 listener or holder): it hears every v2 notification. */
  subscribedThroughV2(client: ClientSink): boolean {
    return this.#projections.get(client)?.v2 ?? this.subscribers.has(client);
  }

  /** One of `client`'s v1 listeners went (removeConversationListener); it stays subscribed. */
  dropV1Listener(client: ClientSink): void {
    const had = this.#projections.get(client);
    if (had) this.#projections.set(client, { v2: had.v2, listeners: Math.max(0, had.listeners - 1) });
  }

  /** Starts the v1 projection (the first v1 listener). Its module is loaded by the caller, so v2-only daemons never load it. */
  useV1Projector(create: () => V1Projector): void {
    this.#v1 ??= create();
  }

  /** One event of the thread: `params` is its v2 notification; `detail` what only other projections show. */
  emit(method: string, params: unknown, detail?: EventDetail): void {
    let v1: { method: string; params: unknown }[] | null = null;
    for (const client of this.subscribers) {
      if (client.closed) continue;
      const p = this.#projections.get(client) ?? { v2: true, listeners: 0 };
      // 0.80 sends an event's codex/event/* message before its v2 notification [obs].
      if (p.listeners > 0 && this.#v1) {
        v1 ??= this.#v1
          .project(method, params, detail)
          .map((e) => ({ method: `codex/event/${e.msg.type}`, params: { id: e.id, msg: e.msg, conversationId: this.id } }));
        for (const e of v1) client.notify(e.method, e.params);
      }
      if ((p.v2 || p.listeners > 0) && v2Delivers(method, this.api, p.v2)) client.notify(method, params);
    }
  }

  setStatus(status: ThreadStatus): void {
    if (JSON.stringify(status) === JSON.stringify(this.status)) return;
    this.status = status;
    const params = { threadId: this.id, status };
    // 0.169 tells every connection; a thread the v1 API loaded tells its v2 subscribers only (v2Projection.ts).
    if (this.#broadcast && this.api === "v2") this.#broadcast("thread/status/changed", params);
    else this.emit("thread/status/changed", params);
  }
}
