// One turn of a thread: the user's input, then sampling rounds until the model stops calling tools;
// steer input joins at the next sampling boundary (so no partial output is thrown away); interrupt aborts the
// stream and kills the turn's processes; the calls of one response run concurrently where the tools allow
// it (their outputs join history in call order); retryable model failures are retried with "Reconnecting…"
// notices. Invariants: every item/started gets one item/completed (dangling ones are completed
// with what they had: no half-open items); an item is on disk before its completion goes out; turn/completed comes
// after the rollout is synced.
import { v7 as uuidv7 } from "uuid";
import type { ThreadItem, Turn, TurnError, UserInput } from "../../../protocol/v2/index.js";
import type { Logger } from "../../log.js";
import type { DaemonPaths } from "../../sandbox/bwrapPlan.js";
import type { CommandShell } from "../tools/shellSnapshot.js";
import type { SandboxLauncher } from "../../sandbox/launcherTypes.js";
import type { EventDetail } from "../events/eventDetail.js";
import { ModelError } from "../model/errors.js";
import { TOOL_SEARCH, toolSearchOutput } from "../tools/toolSearch.js";
import type { ModelEvent, ModelRequest, ResponseItem } from "../model/types.js";
import { finalTurnError, retryDelayMs, retryNotice, shouldRetry } from "../model/samplingRetry.js";
import type { ApprovalGate } from "../ports.js";
import { itemCompleted, taskComplete, taskStarted, tokenCount, turnAborted, turnError } from "../store/rolloutLines.js";
import type { RolloutWriter } from "../store/rolloutWriter.js";
import type { ThreadState, ThreadSettings } from "../threads/threadState.js";
import type { ToolRouter } from "../tools/router.js";
import { TurnCancelled, type ManagedNetworkHook, type ToolCall, type ToolOutput } from "../tools/toolTypes.js";
import { CallGate } from "./callGate.js";
import { compact as runCompaction, overLimit, recordUsage } from "./compaction.js";
import { environmentContext, initialContext, userTextMessage } from "./context.js";
import { TurnItems } from "./turnItems.js";
import type { TurnMode } from "./turnMode.js";

/** What a turn needs from the model client. */
export interface ModelStreamer {
  stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelEvent>;
}

/** What a turn needs from the thread's rollout. */
export type TurnRollout = Pick<RolloutWriter, "append" | "sync">;

export interface TurnDeps {
  readonly model: ModelStreamer;
  readonly tools: ToolRouter;
  /**
   * The turn's tools once something they need is ready (the thread's MCP servers started or failed):
   * awaited after turn/started, before the first request, so turn/start is answered at once.
   */
  readonly toolsWhenReady?: Promise<ToolRouter>;
  readonly rollout: TurnRollout;
  readonly approvals: ApprovalGate;
  readonly launcher: SandboxLauncher;
  readonly log: Logger;
  readonly streamMaxRetries: number;
  readonly contextWindow: number | null;
  /** How the thread's MCP servers started, read once toolsWhenReady has settled (0.80's mcp_startup_complete, on the v1 projection). */
  readonly mcpStartup?: () => NonNullable<EventDetail["mcpStartup"]>;
  /** A JSON Schema for this turn's final message (turn/start and sendUserTurn `outputSchema`). */
  readonly outputSchema?: unknown;
  readonly warnOnce: (message: string) => void;
  readonly daemonPaths?: DaemonPaths;
  readonly commandShell?: CommandShell;
  readonly managedNetwork?: ManagedNetworkHook;
  /** Auto-compaction limit (compaction.ts); `only` makes this a thread/compact/start turn. */
  readonly compaction?: { readonly limit: number | null; readonly only?: boolean };
  /** A review turn: its own history, not steerable, its model output shown only through the mode. */
  readonly mode?: TurnMode;
  /** Seam for tests of the retry timing; defaults to a timer that the turn's abort cuts short. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

function sleepFor(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function userInputText(input: readonly UserInput[]): string {
  return input
    .map((i) => (i.type === "text" ? i.text : ""))
    .filter((t) => t !== "")
    .join("\n");
}

/** The Responses message for the user's input: text parts, images as data or remote URLs. */
function userMessageItem(input: readonly UserInput[]): Record<string, unknown> {
  const content: Record<string, unknown>[] = [];
  for (const part of input) {
    if (part.type === "text") content.push({ type: "input_text", text: part.text });
    else if (part.type === "image" && "url" in part) content.push({ type: "input_image", image_url: part.url });
    else if (part.type === "localImage") content.push({ type: "input_text", text: `<image path="${part.path}">` });
    else if (part.type === "skill" || part.type === "mention") content.push({ type: "input_text", text: `${part.name}: ${part.path}` });
  }
  return { type: "message", role: "user", content };
}

function normalizeInput(input: readonly UserInput[]): UserInput[] {
  return input.map((i) => (i.type === "text" ? { ...i, text_elements: i.text_elements ?? [] } : i));
}

function messageText(item: ResponseItem): string {
  const content = (item as { content?: unknown }).content;
  if (!Array.isArray(content)) return "";
  return content.map((c: { type?: string; text?: string }) => (c.type === "output_text" || c.type === "text" ? (c.text ?? "") : "")).join("");
}

function reasoningParts(item: ResponseItem): { summary: string[]; content: string[] } {
  const r = item as { summary?: { text?: string }[]; content?: { text?: string }[] | null };
  return { summary: (r.summary ?? []).map((s) => s.text ?? ""), content: (r.content ?? []).map((c) => c.text ?? "") };
}

type RoundResult = { items: ResponseItem[]; calls: ToolCall[] };

/**
 * The request's `parallel_tool_calls`. 0.169.0 sends `true` for every model it was tried with
 * (gpt-5.5 from its catalog; gpt-5.1-codex, o3, gpt-4.1 and qwen3-coder on its fallback metadata)
 * [obs 2026-12-06]; the `false` of the gpt-5.1-codex era was 0.80's. One place, should a family
 * ever need `false` again.
 */
export function parallelToolCallsFor(_model: string): boolean {
  return true;
}

export class ActiveTurn {
  readonly id = uuidv7();
  readonly controller = new AbortController();
  readonly startedAt = nowSeconds();
  private readonly startedMs = Date.now();
  private readonly steerQueue: UserInput[][] = [];
  private readonly items: TurnItems;
  /** Where the model's messages and reasoning go: the turn's items, or nowhere in a mode turn. */
  private readonly modelItems: TurnItems;
  private lastAgentMessage: string | null = null;
  /** deps.tools, or what deps.toolsWhenReady gives once the turn has started. */
  private tools: ToolRouter;
  private cancelled = false;
  /** Resolves when the turn's final state is on disk, just before turn/completed is sent. */
  readonly settled: Promise<void>;
  private settle!: () => void;
  /** Resolves once turn/completed has been sent (0.80 answers interruptConversation only after it). */
  readonly announced: Promise<void>;
  private announce!: () => void;
  /** Resolves when the model's first answer begins (its first event), or when the turn settles without one. */
  readonly answering: Promise<void>;
  private answer!: () => void;

  constructor(
    private readonly thread: ThreadState,
    private readonly settings: ThreadSettings,
    private readonly input: UserInput[],
    private readonly deps: TurnDeps,
  ) {
    this.items = new TurnItems(thread, this.id, { persistItem: (turnId, item) => deps.rollout.append(itemCompleted(thread.id, turnId, item)) });
    // 0.169 shows none of a reviewer's own messages (no deltas, no completion) [obs].
    this.modelItems = deps.mode ? new TurnItems(thread, this.id, { persistItem: () => Promise.resolve() }, { silent: true }) : this.items;
    this.tools = deps.tools;
    this.settled = new Promise((r) => (this.settle = r));
    this.announced = new Promise((r) => (this.announce = r));
    this.answering = new Promise((r) => (this.answer = r));
    void this.settled.then(() => this.answer());
  }

  wire(status: Turn["status"], extra: Partial<Turn> = {}): Turn {
    return {
      id: this.id,
      rootTurnId: this.id,
      items: [],
      itemsView: "notLoaded",
      status,
      error: null,
      startedAt: null,
      completedAt: null,
      durationMs: null,
      ...extra,
    };
  }

  /** Items completed so far, in order (thread/items/list on a running turn). */
  get completedItems(): readonly ThreadItem[] {
    return this.items.completed;
  }

  /** False once the turn has stopped sampling: the input would never reach the model. */
  /** Set for a turn that input can never join (a review), whatever its state. */
  get nonSteerableKind(): TurnMode["kind"] | null {
    return this.deps.mode?.kind ?? null;
  }

  get acceptsInput(): boolean {
    return !this.closing && !this.deps.mode;
  }

  steer(input: UserInput[]): boolean {
    if (!this.acceptsInput) return false;
    this.steerQueue.push(normalizeInput(input));
    return true;
  }

  private closing = false;
  /** How the turn ended; null until it has. */
  finalStatus: Turn["status"] | null = null;

  interrupt(): Promise<void> {
    this.controller.abort();
    return this.settled;
  }

  /** Runs the turn to its end; never throws. */
  async run(): Promise<void> {
    const { thread, deps } = this;
    const signal = this.controller.signal;
    let status: Turn["status"] = "completed";
    let error: TurnError | null = null;
    try {
      thread.setStatus({ type: "active", activeFlags: [] });
      thread.emit(
        "turn/started",
        { threadId: thread.id, turn: this.wire("inProgress", { startedAt: this.startedAt }) },
        { modelContextWindow: deps.contextWindow, ...(deps.mcpStartup ? { mcpStartupLater: true } : {}) },
      );
      if (deps.toolsWhenReady) this.tools = await deps.toolsWhenReady;
      if (deps.mcpStartup) thread.emit("engine/mcpStartupComplete", { turnId: this.id }, { mcpStartup: deps.mcpStartup() });
      await deps.rollout.append([
        taskStarted(this.id, this.startedAt, deps.contextWindow),
        {
          type: "turn_context",
          payload: {
            turn_id: this.id,
            cwd: this.settings.cwd,
            approval_policy: this.settings.approvalPolicy,
            sandbox_policy: this.settings.sandboxWire,
            model: this.settings.model,
            effort: this.settings.effort,
            summary: this.settings.summary ?? "auto",
          },
        },
      ]);
      const compactOnly = deps.compaction?.only === true;
      if (!deps.mode && (compactOnly || overLimit(thread, deps.compaction?.limit ?? null))) await this.compact();
      if (deps.mode) await deps.mode.begin(this.items);
      else if (!compactOnly) await this.addUserMessage(normalizeInput(this.input));
      for (;;) {
        if (signal.aborted || compactOnly) break;
        const round = await this.sample();
        if (round === null) break;
        await this.appendHistory(round.items);
        // The outputs join history in call order, whatever order the calls finished in.
        const outputs = await this.runCalls(round.calls);
        if (outputs.length > 0) await this.appendHistory(outputs as ResponseItem[]);
        if (signal.aborted) break;
        const steered = this.steerQueue.length > 0;
        while (this.steerQueue.length > 0) await this.addUserMessage(this.steerQueue.shift() as UserInput[]);
        if (round.calls.length === 0 && !steered) break;
        if (!deps.mode && overLimit(thread, deps.compaction?.limit ?? null)) await this.compact();
      }
      if (signal.aborted || this.cancelled) status = "interrupted";
      else if (deps.mode) await deps.mode.end(this.lastAgentMessage, this.items);
    } catch (e) {
      if (e instanceof TurnCancelled || signal.aborted) status = "interrupted";
      else {
        status = "failed";
        error =
          e instanceof ModelError
            ? finalTurnError(e, this.lastFailureWasStream)
            : { message: e instanceof Error ? e.message : String(e), codexErrorInfo: "other", additionalDetails: null };
        deps.log.warn({ err: e, threadId: thread.id, turnId: this.id }, "turn failed");
      }
    }
    this.closing = true;
    if (deps.mode && status === "interrupted") {
      await deps.mode.interrupted(this.items).catch((e: unknown) => deps.log.error({ err: e, threadId: thread.id }, "could not close an interrupted turn"));
    }
    await this.finish(status, error);
  }

  private lastFailureWasStream = false;

  /** A mode turn's transcript is its own: not the thread's history, not the rollout's. */
  private async appendHistory(items: ResponseItem[]): Promise<void> {
    if (this.deps.mode) {
      this.deps.mode.history.push(...items);
      return;
    }
    // History follows the file: items whose write failed never reach the model (the turn fails).
    await this.deps.rollout.append(items.map((payload) => ({ type: "response_item", payload })));
    this.thread.history.push(...items);
  }

  private async addUserMessage(input: UserInput[]): Promise<void> {
    const { thread, settings, deps } = this;
    const context = environmentContext(settings, thread.contextSent);
    // A thread's first input opens its history with the base and developer instructions (0.169 sends
    // them as leading developer messages with `instructions: ""`).
    const historyItems: Record<string, unknown>[] = thread.history.length === 0 ? initialContext(settings) : [];
    if (context !== null) historyItems.push(userTextMessage(context));
    historyItems.push(userMessageItem(input));
    await deps.rollout.append(historyItems.map((payload) => ({ type: "response_item", payload })));
    thread.history.push(...historyItems);
    thread.contextSent = settings;
    if (thread.preview === "") thread.preview = userInputText(input);
    await this.items.complete({ type: "userMessage", id: uuidv7(), clientId: null, content: input });
  }

  private request(): ModelRequest {
    const s = this.settings;
    return {
      model: s.model,
      instructions: "",
      input: (this.deps.mode?.history ?? this.thread.history) as ResponseItem[],
      tools: this.tools.specs(),
      toolChoice: "auto",
      parallelToolCalls: parallelToolCallsFor(s.model),
      reasoning:
        s.effort || s.summary ? { ...(s.effort ? { effort: s.effort } : {}), ...(s.summary && s.summary !== "none" ? { summary: s.summary } : {}) } : null,
      include: s.effort ? ["reasoning.encrypted_content"] : [],
      promptCacheKey: this.thread.id,
      threadId: this.thread.id,
      turnId: this.id,
      // turn/start's and sendUserTurn's outputSchema constrains this turn's final message, as 0.80 and 0.169 send it.
      ...(this.deps.outputSchema !== undefined && this.deps.outputSchema !== null
        ? { text: { format: { type: "json_schema", name: "codex_output_schema", schema: this.deps.outputSchema, strict: true } } }
        : {}),
    } as ModelRequest;
  }

  /** One sampling round with the turn-level retries; null when the turn was aborted meanwhile. */
  private async sample(): Promise<RoundResult | null> {
    const { deps } = this;
    const signal = this.controller.signal;
    for (let attempt = 1; ; attempt++) {
      const opened = new Set<string>();
      try {
        return await this.sampleOnce(opened);
      } catch (e) {
        if (signal.aborted) {
          await this.items.completeDangling();
          return null;
        }
        if (!(e instanceof ModelError)) throw e;
        this.lastFailureWasStream = e.retryable && (e.httpStatus === undefined || e.httpStatus === null);
        if (!shouldRetry(e, attempt, deps.streamMaxRetries)) throw e;
        this.modelItems.discard(opened);
        this.thread.emit("error", { ...retryNotice(e, attempt, deps.streamMaxRetries), threadId: this.thread.id, turnId: this.id });
        await (deps.sleep ?? sleepFor)(retryDelayMs(e, attempt), signal);
        if (signal.aborted) return null;
      }
    }
  }

  private async sampleOnce(opened: Set<string>): Promise<RoundResult> {
    const { modelItems: items } = this;
    const out: ResponseItem[] = [];
    const calls: ToolCall[] = [];
    const text = new Map<string, string>();
    const summaries = new Map<string, string[]>();
    const raw = new Map<string, string[]>();
    const startMessage = (id: string): void => {
      if (items.isOpen(id)) return;
      opened.add(id);
      items.start({ type: "agentMessage", id, text: "", phase: null, memoryCitation: null, delivery: null, questions: null, moderation: null }, () => ({
        type: "agentMessage",
        id,
        text: text.get(id) ?? "",
        phase: null,
        memoryCitation: null,
        delivery: null,
        questions: null,
        moderation: null,
      }));
    };
    const startReasoning = (id: string): void => {
      if (items.isOpen(id)) return;
      opened.add(id);
      items.start({ type: "reasoning", id, summary: [], content: [] }, () => ({
        type: "reasoning",
        id,
        summary: summaries.get(id) ?? [],
        content: raw.get(id) ?? [],
      }));
    };
    for await (const ev of this.deps.model.stream(this.request(), this.controller.signal)) {
      this.answer();
      switch (ev.type) {
        case "created":
          break;
        case "outputItemAdded": {
          const item = ev.item as { type?: string; id?: string; role?: string };
          if (item.type === "message" && item.id && item.role !== "user") startMessage(item.id);
          else if (item.type === "reasoning" && item.id) startReasoning(item.id);
          break;
        }
        case "outputTextDelta":
          startMessage(ev.itemId);
          text.set(ev.itemId, (text.get(ev.itemId) ?? "") + ev.delta);
          items.delta("item/agentMessage/delta", { itemId: ev.itemId, delta: ev.delta });
          break;
        case "reasoningSummaryPartAdded": {
          startReasoning(ev.itemId);
          const parts = summaries.get(ev.itemId) ?? [];
          while (parts.length <= ev.summaryIndex) parts.push("");
          summaries.set(ev.itemId, parts);
          items.delta("item/reasoning/summaryPartAdded", { itemId: ev.itemId, summaryIndex: ev.summaryIndex });
          break;
        }
        case "reasoningSummaryTextDelta": {
          startReasoning(ev.itemId);
          const parts = summaries.get(ev.itemId) ?? [];
          while (parts.length <= ev.summaryIndex) parts.push("");
          parts[ev.summaryIndex] += ev.delta;
          summaries.set(ev.itemId, parts);
          items.delta("item/reasoning/summaryTextDelta", { itemId: ev.itemId, delta: ev.delta, summaryIndex: ev.summaryIndex });
          break;
        }
        case "reasoningTextDelta": {
          startReasoning(ev.itemId);
          const parts = raw.get(ev.itemId) ?? [];
          while (parts.length <= ev.contentIndex) parts.push("");
          parts[ev.contentIndex] += ev.delta;
          raw.set(ev.itemId, parts);
          items.delta("item/reasoning/textDelta", { itemId: ev.itemId, delta: ev.delta, contentIndex: ev.contentIndex });
          break;
        }
        case "outputItemDone": {
          const item = ev.item as ResponseItem & {
            type: string;
            id?: string;
            role?: string;
            call_id?: string;
            name?: string;
            arguments?: string;
            input?: string;
          };
          out.push(item);
          if (item.type === "message" && item.role !== "user") {
            const id = item.id ?? `msg_${uuidv7()}`;
            const finalText = messageText(item);
            this.lastAgentMessage = finalText;
            await items.complete({
              type: "agentMessage",
              id,
              text: finalText,
              phase: null,
              memoryCitation: null,
              delivery: null,
              questions: null,
              moderation: null,
            });
          } else if (item.type === "reasoning") {
            const id = item.id ?? `rs_${uuidv7()}`;
            const parts = reasoningParts(item);
            await items.complete({
              type: "reasoning",
              id,
              summary: parts.summary.length ? parts.summary : (summaries.get(id) ?? []),
              content: parts.content.length ? parts.content : (raw.get(id) ?? []),
            });
          } else if (item.type === "function_call") {
            const namespace = (item as { namespace?: unknown }).namespace;
            calls.push({
              kind: "function",
              name: item.name ?? "",
              callId: item.call_id ?? "",
              input: item.arguments ?? "",
              ...(typeof namespace === "string" && namespace !== "" ? { namespace } : {}),
            });
          } else if (item.type === "custom_tool_call") {
            calls.push({ kind: "custom", name: item.name ?? "", callId: item.call_id ?? "", input: item.input ?? "" });
          } else if (item.type === "tool_search_call" && item.execution === "client") {
            calls.push({ kind: "toolSearch", name: TOOL_SEARCH, callId: item.call_id ?? "", input: JSON.stringify(item.arguments ?? {}) });
          }
          break;
        }
        case "completed":
          // A reviewer's usage is not the thread's context (0.169 reports none for it [obs]).
          if (ev.usage && !this.deps.mode) this.addUsage(ev.usage);
          break;
      }
    }
    return { items: out, calls };
  }

  private compact(): Promise<void> {
    return runCompaction({
      thread: this.thread,
      settings: this.settings,
      turnId: this.id,
      items: this.items,
      appendCompacted: (message, replacement) => this.deps.rollout.append({ type: "compacted", payload: { message, replacement_history: replacement } }),
      baseRequest: () => this.request(),
      stream: (request) => this.deps.model.stream(request, this.controller.signal),
      onUsage: (usage) => {
        if (usage) this.addUsage(usage);
      },
    });
  }

  private addUsage(last: { totalTokens: number; inputTokens: number; cachedInputTokens: number; outputTokens: number; reasoningOutputTokens: number }): void {
    recordUsage(this.thread, last.totalTokens);
    const t = this.thread.tokenTotals;
    t.totalTokens += last.totalTokens;
    t.inputTokens += last.inputTokens;
    t.cachedInputTokens += last.cachedInputTokens;
    t.outputTokens += last.outputTokens;
    t.reasoningOutputTokens += last.reasoningOutputTokens;
    const tokenUsage = { total: { ...t, cacheWriteInputTokens: 0 }, last: { ...last, cacheWriteInputTokens: 0 }, modelContextWindow: this.deps.contextWindow };
    void this.deps.rollout.append(tokenCount(tokenUsage)).catch((e: unknown) => this.deps.log.warn({ err: e }, "could not record token usage"));
    this.thread.emit("thread/tokenUsage/updated", { threadId: this.thread.id, turnId: this.id, tokenUsage });
  }

  private abortedOutput(call: ToolCall): ToolOutput {
    if (call.kind === "toolSearch") return toolSearchOutput(call.callId, []);
    return call.kind === "custom"
      ? { type: "custom_tool_call_output", call_id: call.callId, output: "aborted" }
      : { type: "function_call_output", call_id: call.callId, output: "aborted" };
  }

  /**
   * Runs one response's calls, each through its own approval and sandbox: concurrently where the
   * request allowed parallel calls and the tool supports them, one at a time around a tool that does
   * not (0.169's read/write gate, taken in call order). Returns the outputs in call order. A call
   * cut short by the interrupt, or never started because of it, answers "aborted".
   */
  private async runCalls(calls: readonly ToolCall[]): Promise<ToolOutput[]> {
    const signal = this.controller.signal;
    const parallel = parallelToolCallsFor(this.settings.model);
    const gate = new CallGate();
    return Promise.all(
      calls.map(async (call) => {
        const release = await gate.enter(!(parallel && this.supportsParallel(call)));
        try {
          if (signal.aborted) return this.abortedOutput(call);
          const output = await this.runTool(call);
          // A tool cut short by the interrupt may still return what it had (unified exec yields a
          // "still running" result): the model must learn that the call was aborted instead.
          return signal.aborted ? this.abortedOutput(call) : output;
        } finally {
          release();
        }
      }),
    );
  }

  /** The tool's own flag (0.169's per-tool parallel support); anything else, a client's dynamic tool included, runs alone. */
  private supportsParallel(call: ToolCall): boolean {
    // A search only reads the index; an MCP tool says for itself (the router knows it).
    if (call.kind === "toolSearch") return true;
    if (call.namespace !== undefined) return this.tools.supportsParallel(call);
    const tool = this.tools.tools.find((t) => t.name === call.name);
    if (!tool) return false;
    return tool.supportsParallel === true;
  }

  private async runTool(call: ToolCall): Promise<ToolOutput> {
    const { deps } = this;
    try {
      return await this.tools.run(call, {
        thread: this.thread,
        turnId: this.id,
        items: this.items,
        settings: this.settings,
        signal: this.controller.signal,
        approvals: deps.approvals,
        launcher: deps.launcher,
        log: deps.log,
        warnOnce: deps.warnOnce,
        ...(deps.daemonPaths ? { daemonPaths: deps.daemonPaths } : {}),
        ...(deps.commandShell ? { commandShell: deps.commandShell } : {}),
        ...(deps.managedNetwork ? { managedNetwork: deps.managedNetwork } : {}),
        interruptTurn: () => {
          this.cancelled = true;
          this.controller.abort();
        },
      });
    } catch (e) {
      if (e instanceof TurnCancelled) {
        this.cancelled = true;
        this.controller.abort();
        return this.abortedOutput(call);
      }
      deps.log.error({ err: e, tool: call.name }, "tool failed");
      const message = `tool ${call.name} failed: ${e instanceof Error ? e.message : String(e)}`;
      if (call.kind === "toolSearch") return toolSearchOutput(call.callId, []);
      return call.kind === "custom"
        ? { type: "custom_tool_call_output", call_id: call.callId, output: message }
        : { type: "function_call_output", call_id: call.callId, output: message };
    }
  }

  private async finish(status: Turn["status"], error: TurnError | null): Promise<void> {
    const { thread, deps } = this;
    this.finalStatus = status;
    // One clock reading for the rollout and the wire, so a reread turn equals the live one.
    const seconds = nowSeconds();
    const duration = Date.now() - this.startedMs;
    try {
      await this.items.completeDangling();
      const tail =
        status === "completed"
          ? [taskComplete(this.id, this.lastAgentMessage, seconds, duration)]
          : status === "interrupted"
            ? [turnAborted(this.id, "interrupted", seconds, duration)]
            : [turnError(this.id, error?.message ?? "", error?.codexErrorInfo ?? null, error?.additionalDetails ?? null)];
      await deps.rollout.append(tail);
      await deps.rollout.sync();
    } catch (e) {
      deps.log.error({ err: e, threadId: thread.id }, "could not persist the end of a turn");
    }
    const completedAt = seconds;
    const summaryItems = this.items.completed.filter((i) => i.type === "agentMessage").slice(-1);
    const turn = this.wire(status, { startedAt: this.startedAt, completedAt, durationMs: duration, error, items: summaryItems, itemsView: "summary" });
    thread.turns.push({ ...turn, items: [...this.items.completed], itemsView: "full" });
    thread.updatedAt = completedAt;
    thread.activeTurnId = null;
    this.settle();
    // After settle: an interrupt's response goes out before these, as in the reference.
    setImmediate(() => {
      if (error) thread.emit("error", { error, willRetry: false, threadId: thread.id, turnId: this.id });
      thread.setStatus(status === "failed" && error?.codexErrorInfo !== "contextWindowExceeded" ? { type: "systemError" } : { type: "idle" });
      thread.emit("turn/completed", { threadId: thread.id, turn }, { lastAgentMessage: this.lastAgentMessage });
      this.announce();
    });
  }
}
