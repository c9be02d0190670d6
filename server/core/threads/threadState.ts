// One thread held in memory: its settings, model history, subscribers and status. Every event of the
// thread goes out through `emit`, to each subscribed connection (several clients may watch one thread).
// Persistence is the rollout writer's; this object only holds what the next turn needs. ThreadManager's
// LoadedThread keeps it with the rollout, the exec sessions and the turn, so the engine sees none of those.
import type { AskForApproval, SandboxPolicy as WireSandboxPolicy, Thread, ThreadStatus, Turn } from "../../../protocol/v2/index.js";
import type { SandboxPolicy } from "../../sandbox/sandboxPolicy.js";
import type { ClientSink } from "../ports.js";

/** What a turn runs with; thread/start sets it, turn/start may override parts of it for good. */
export interface ThreadSettings {
  model: string;
  modelProviderId: string;
  cwd: string;
  approvalPolicy: AskForApproval;
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
  addSubscriber(client: ClientSink): boolean {
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

  emit(method: string, params: unknown): void {
    for (const client of this.subscribers) if (!client.closed) client.notify(method, params);
  }

  setStatus(status: ThreadStatus): void {
    if (JSON.stringify(status) === JSON.stringify(this.status)) return;
    this.status = status;
    const params = { threadId: this.id, status };
    if (this.#broadcast) this.#broadcast("thread/status/changed", params);
    else this.emit("thread/status/changed", params);
  }
}
