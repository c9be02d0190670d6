// The legacy v1 conversation API (0.80) over the same threads, turns, store and approvals as v2: a
// conversation id is a thread id, and its rollout is a thread's rollout. What only v1 has lives here:
// listener subscriptions by id, the creating connection that holds a conversation without hearing it,
// per-turn settings given in 0.80's shapes, and answers shaped as 0.80 answers them.
//
// Which API loaded a thread decides its approval requests (threadState.ts `api`): a conversation that
// newConversation, resumeConversation or forkConversation loads asks with execCommandApproval and
// applyPatchApproval; a thread that is already loaded keeps what it had until it unloads.
import { randomUUID } from "node:crypto";
import { isAbsolute } from "node:path";
import type {
  ForkConversationParams,
  ForkConversationResponse,
  InputItem,
  NewConversationParams,
  NewConversationResponse,
  ResumeConversationParams,
  ResumeConversationResponse,
  SendUserTurnParams,
  V1ReasoningEffort,
} from "../../../protocol/v1/index.js";
import type { Turn } from "../../../protocol/v2/index.js";
import { sandboxPolicyFromV1, userInputFromV1 } from "../commandSetup/v1Wire.js";
import { userMessageEvent } from "../events/v1Shapes.js";
import { DomainError, InvalidInputError, InvalidParamsError, NotFoundError } from "../errors.js";
import type { ClientSink } from "../ports.js";
import { readRolloutHead } from "../store/threadSummary.js";
import type { ThreadHistory } from "./threadHistory.js";
import type { ThreadManager } from "./threadManager.js";
import type { ThreadOverrides } from "./threadSettings.js";
import type { ThreadSettings } from "./threadState.js";

/** A conversation or subscription id that is not a UUID: 0.80 refuses it while reading the params. */
export class MalformedIdError extends DomainError {
  override readonly name = "MalformedIdError";
  readonly kind = "malformedParams";
}

interface Listener {
  readonly threadId: string;
  readonly client: ClientSink;
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** A conversation id as a thread id, or the refusal 0.80 gives an id that is not a UUID. */
export function conversationId(raw: string): string {
  if (!UUID.test(raw)) throw new MalformedIdError(`conversation id is not a UUID: ${raw}`);
  return raw.toLowerCase();
}

/** 0.80 accepted a relative cwd or path silently; here it gets a clear -32602. */
function absolute(what: string, path: string): string {
  if (!isAbsolute(path)) throw new InvalidParamsError(`${what} must be an absolute path, got ${JSON.stringify(path)}`);
  return path;
}

function overridesFrom(p: NewConversationParams | null | undefined): ThreadOverrides {
  if (!p) return {};
  if (p.cwd) absolute("cwd", p.cwd);
  return {
    model: p.model,
    modelProvider: p.modelProvider,
    cwd: p.cwd,
    approvalPolicy: p.approvalPolicy,
    sandbox: p.sandbox,
    baseInstructions: p.baseInstructions,
    developerInstructions: p.developerInstructions,
  };
}

/** The EventMsgs 0.80 replays from a stored conversation (resume and fork answers, sessionConfigured). */
export function initialMessages(turns: readonly Turn[]): unknown[] {
  const out: unknown[] = [];
  for (const turn of turns) {
    for (const item of turn.items) {
      if (item.type === "userMessage") out.push(userMessageEvent(item.content));
      else if (item.type === "agentMessage") out.push({ type: "agent_message", message: item.text });
      else if (item.type === "reasoning") for (const text of item.summary ?? []) out.push({ type: "agent_reasoning", text });
    }
  }
  return out;
}

const effortOf = (s: ThreadSettings): V1ReasoningEffort | null => (s.effort as V1ReasoningEffort | null) ?? null;

export class V1Conversations {
  private readonly listeners = new Map<string, Listener>();

  constructor(
    private readonly threads: ThreadManager,
    private readonly history: () => Promise<ThreadHistory>,
  ) {}

  async newConversation(params: NewConversationParams, client: ClientSink): Promise<NewConversationResponse> {
    const res = await this.threads.start(overridesFrom(params), client, { api: "v1", projections: "holder" });
    return {
      conversationId: res.thread.id,
      model: res.model,
      reasoningEffort: (res.reasoningEffort as V1ReasoningEffort | null) ?? null,
      rolloutPath: res.thread.path ?? "",
    };
  }

  /** resumeConversation: by id or rollout path; `history` (a conversation from items alone) is not supported. */
  async resumeConversation(params: ResumeConversationParams, client: ClientSink): Promise<ResumeConversationResponse> {
    if (params.history && !params.path && !params.conversationId)
      throw new InvalidInputError("resumeConversation from `history` alone is not supported; give `conversationId` or `path`");
    const threadId = await this.threadIdOf(params);
    await this.threads.resume({ threadId, ...overridesFrom(params.overrides) }, client, { api: "v1", projections: "holder" });
    return this.configured(threadId, client);
  }

  async forkConversation(params: ForkConversationParams, client: ClientSink): Promise<ForkConversationResponse> {
    const threadId = await this.threadIdOf(params);
    const history = await this.history();
    const res = await history.fork({ threadId, ...(params.path ? { path: params.path } : {}), ...overridesFrom(params.overrides) }, client, {
      api: "v1",
      projections: "holder",
    });
    return this.configured(res.thread.id, client);
  }

  /** 0.80 sends sessionConfigured to the caller before its resume or fork answer [obs]. */
  private configured(threadId: string, client: ClientSink): ResumeConversationResponse {
    const live = this.threads.peek(threadId);
    if (!live) throw new NotFoundError(`conversation not found: ${threadId}`);
    const { thread } = live;
    const messages = initialMessages(thread.turns) as ResumeConversationResponse["initialMessages"];
    client.notify("sessionConfigured", {
      sessionId: thread.id,
      model: thread.settings.model,
      reasoningEffort: effortOf(thread.settings),
      historyLogId: 0,
      historyEntryCount: 0,
      initialMessages: messages,
      rolloutPath: thread.path,
    });
    return { conversationId: thread.id, model: thread.settings.model, initialMessages: messages, rolloutPath: thread.path };
  }

  private async threadIdOf(params: { conversationId?: string | null; path?: string | null }): Promise<string> {
    if (params.path) {
      absolute("path", params.path);
      const head = await readRolloutHead(params.path).catch(() => null);
      if (!head?.meta) throw new NotFoundError(`no conversation rollout at ${params.path}`);
      return head.meta.id;
    }
    if (params.conversationId) return conversationId(params.conversationId);
    throw new InvalidInputError("give `conversationId` or `path`");
  }

  async sendUserMessage(rawId: string, items: readonly InputItem[], client: ClientSink): Promise<void> {
    const threadId = this.loaded(rawId);
    await this.threads.startTurn({ threadId, input: userInputFromV1(items) }, client, { projections: "holder" });
  }

  /** A turn with its settings, which persist for later turns; during a running turn the input joins it, as in 0.80. */
  async sendUserTurn(params: SendUserTurnParams, client: ClientSink): Promise<void> {
    const threadId = this.loaded(params.conversationId);
    absolute("cwd", params.cwd);
    await this.threads.startTurn(
      {
        threadId,
        input: userInputFromV1(params.items),
        cwd: params.cwd,
        approvalPolicy: params.approvalPolicy,
        sandboxPolicy: sandboxPolicyFromV1(params.sandboxPolicy),
        model: params.model,
        effort: params.effort ?? null,
        summary: params.summary,
        outputSchema: params.outputSchema,
      },
      client,
      { projections: "holder" },
    );
  }

  /** Answered once the turn's end has gone out (0.80: after turn_aborted); at once when nothing runs. */
  async interruptConversation(rawId: string): Promise<void> {
    await this.threads.interruptRunning(this.loaded(rawId));
  }

  async addConversationListener(rawId: string, client: ClientSink): Promise<string> {
    const threadId = conversationId(rawId);
    // 0.80's words: only a loaded conversation can be listened to.
    if (!this.threads.peek(threadId)) throw new NotFoundError(`thread not found: ${threadId}`);
    await this.threads.listen(threadId, client);
    const id = randomUUID();
    this.listeners.set(id, { threadId, client });
    client.onClose(() => this.listeners.delete(id));
    return id;
  }

  removeConversationListener(subscriptionId: string, client: ClientSink): void {
    if (!UUID.test(subscriptionId)) throw new MalformedIdError(`subscription id is not a UUID: ${subscriptionId}`);
    const id = subscriptionId.toLowerCase();
    const listener = this.listeners.get(id);
    if (!listener || listener.client !== client) throw new NotFoundError(`subscription not found: ${subscriptionId}`);
    this.listeners.delete(id);
    this.threads.unlisten(listener.threadId, client);
  }

  /** The thread id of a loaded conversation, or 0.80's refusal. */
  private loaded(rawId: string): string {
    const threadId = conversationId(rawId);
    if (!this.threads.peek(threadId)) throw new NotFoundError(`conversation not found: ${threadId}`);
    return threadId;
  }
}
