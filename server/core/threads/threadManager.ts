// Loaded threads, their subscribers and their turns. thread/* and turn/* handlers call this; it owns
// which connection hears which thread (several clients may subscribe to one thread; each gets every
// event), unloads a thread when its last subscriber leaves (thread/closed), and starts turns. When
// the last subscriber's connection drops mid-turn, the unload waits for `disconnect_grace_ms` so a
// reconnecting client can resume the turn and answer its pending requests (disconnectGrace.ts).
import type { ManagedNetworkService } from "../approval/managedNetworkService.js";
import type { ManagedNetworkHook } from "../tools/toolTypes.js";
import { v7 as uuidv7 } from "uuid";
import type {
  DynamicToolSpec,
  ModeKind,
  Thread,
  ThreadListParams,
  ThreadListResponse,
  ThreadResumeResponse,
  ThreadStartResponse,
  Turn,
  UserInput,
} from "../../../protocol/v2/index.js";
import type { Logger } from "../../log.js";
import type { SandboxLauncher } from "../../sandbox/launcherTypes.js";
import type { ConfigService } from "../config/configService.js";
import type { EffectiveConfig } from "../config/effective.js";
import type { WireApi } from "../config/providers.js";
import { ServerRequestBroker } from "./serverRequestBroker.js";
import type { ReviewRequest } from "../engine/review.js";
import type { ActiveTurn, ModelStreamer, TurnRollout } from "../engine/activeTurn.js";
import { commandEnvironment, shellEnvironmentPolicy } from "../commandSetup/commandEnv.js";
import { ConflictError, NotFoundError } from "../errors.js";
import { daemonPathsFor } from "../commandSetup/daemonPaths.js";
import { sandboxPolicyFromConfig } from "../commandSetup/sandboxFromWire.js";
import { keyPathOf } from "../config/keyPath.js";
import type { ApprovalGate, ClientSink } from "../ports.js";
import { loadBashParser } from "../tools/bashParse.js";
import { defaultShell } from "../tools/defaultShell.js";
import type { CommandShell } from "../tools/shellSnapshot.js";
import { ShellSnapshotSlot } from "../tools/shellSnapshotSlot.js";
import { UnifiedExecSessions } from "../tools/unifiedExecSessions.js";
import type { RolloutWriteError } from "../store/errors.js";
import { RolloutWriter } from "../store/rolloutWriter.js";
import { ThreadIndex } from "../store/threadIndex.js";
import { DisconnectGrace } from "./disconnectGrace.js";
import type { ThreadApi } from "../events/v2Projection.js";
import { ThreadState, type Projections, type ThreadBase, type ThreadSettings } from "./threadState.js";
import { storedThreadSettings, threadSessionFields, threadSettings, turnSettings, type ThreadOverrides, type TurnOverrides } from "./threadSettings.js";
import type { ThreadToolDeps } from "./threadTools.js";
import type { McpEarlyLaunches } from "../mcp/stdioLaunch.js";
import type { ThreadMcpHost } from "../mcp/threadMcpHost.js";
import { NO_METRICS, type DaemonMetrics } from "../metrics/daemonMetrics.js";
import type { McpTurnTools } from "../tools/router.js";

export interface ModelClientFactory {
  /** `wireApi` picks the tool variants the wire can carry (no custom tools on chat); responses when absent. */
  (providerId: string, config: EffectiveConfig): Promise<{ client: ModelStreamer; streamMaxRetries: number; wireApi?: WireApi }>;
}

/** How long after thread/start or thread/resume a thread's warm-up waits for a turn to do it instead (see warmUpWhenIdle). */
const WARM_UP_IDLE_MS = 100;

export interface ThreadManagerDeps {
  readonly config: ConfigService;
  readonly models: ModelClientFactory;
  /** Loads the model client's code without creating a client (no credentials read or refreshed); the warm-up calls it. */
  readonly prepareModels?: () => Promise<unknown>;
  /**
   * Built on first need (a turn, a prewarm after an answer), so that a fresh daemon's first
   * thread/start does not wait for the approval and sandbox code to load.
   */
  readonly approvals: () => Promise<ApprovalGate>;
  readonly launcher: () => Promise<SandboxLauncher>;
  readonly log: Logger;
  readonly cliVersion: string;
  readonly contextWindow: (model: string) => number | null;
  /** Every initialized connection (thread/status/changed goes to all of them, as in 0.169). */
  readonly broadcast?: (method: string, params: unknown) => void;
  /** The daemon's managed network service, built on first use (only when config turns it on). */
  readonly network?: () => Promise<ManagedNetworkService>;
  /** Counts turns, the tools' server requests and the MCP servers' states. */
  readonly metrics?: DaemonMetrics;
}

/**
 * ThreadManager's record of a loaded thread: its state and what keeps it loaded (rollout, exec
 * sessions, the running turn or task). Not merged into ThreadState: the engine imports ThreadState,
 * and this holds the engine's ActiveTurn.
 */
export interface LoadedThread {
  readonly thread: ThreadState;
  readonly rollout: RolloutWriter;
  readonly sessions: UnifiedExecSessions;
  turn: ActiveTurn | null;
  /** A queued or running thread task that is not a model turn (thread/shellCommand). */
  task: Promise<void> | null;
  /** Aborted when the thread unloads, so a long task does not outlive its rollout. */
  readonly taskAbort: AbortController;
  /** The client's dynamic tools (thread/start `dynamicTools`, kept in session_meta). */
  dynamicTools?: readonly DynamicToolSpec[];
  /** The collaboration mode of the last turn/start that set one (0.169 keeps it for later turns). */
  collaborationMode?: ModeKind;
  /** The user's login environment for this thread's `-lc` commands (tools/shellSnapshot.ts). */
  readonly loginShell: ShellSnapshotSlot;
  /** The thread's MCP servers, opened after the request that opened the thread (only when config names any). */
  mcp: Promise<ThreadMcpHost> | null;
  /** Its stdio servers, launched with thread/start for the MCP host to adopt (launchMcpEarly); consumed by openMcp. */
  earlyMcp: Promise<McpEarlyLaunches | null> | null;
}

/** How thread/start and thread/resume (and their v1 forms) open a thread for a client. */
export interface ThreadOpenOptions {
  /** The API that loads it (when it is not loaded yet); default v2. */
  readonly api?: ThreadApi;
  /** What the client hears; default the v2 notifications. */
  readonly projections?: Projections;
}

/** What a thread task that is not a model turn works with (see queueTask). */
export interface ThreadTaskHost {
  readonly thread: ThreadState;
  readonly rollout: TurnRollout;
  readonly launcher: SandboxLauncher;
  readonly log: Logger;
  readonly signal: AbortSignal;
  readonly commandShell: CommandShell;
  warnOnce(message: string): void;
}

export class ThreadManager {
  private readonly live = new Map<string, LoadedThread>();
  private readonly warned = new Set<string>();
  private readonly index: ThreadIndex;
  /** Server requests of tools (request_user_input, dynamic tools); approvals have their own. */
  private readonly toolRequests: ServerRequestBroker;
  private readonly grace = new DisconnectGrace();
  private readonly metrics: DaemonMetrics;

  private get broadcast(): { broadcast?: (method: string, params: unknown) => void } {
    return this.deps.broadcast ? { broadcast: this.deps.broadcast } : {};
  }

  /** Managed networking for the turns' commands; the service is loaded only once config turns it on. */
  private readonly managedNetwork: ManagedNetworkHook | null;

  constructor(private readonly deps: ThreadManagerDeps) {
    this.index = new ThreadIndex({ home: deps.config.home, statusOf: (id) => this.live.get(id)?.thread.status });
    this.metrics = deps.metrics ?? NO_METRICS;
    this.toolRequests = new ServerRequestBroker({ log: deps.log, timeoutMs: () => null, metrics: this.metrics });
    const network = deps.network;
    this.managedNetwork = network
      ? {
          enabled: () => deps.config.effective.managedNetwork !== null,
          forCommand: async (owner, policy, sandboxed) =>
            deps.config.effective.managedNetwork === null ? null : (await network()).forCommand(owner, policy, sandboxed),
        }
      : null;
  }

  private get toolDeps(): ThreadToolDeps {
    return { broker: this.toolRequests, features: () => this.deps.config.effective.features };
  }

  private subscribe(live: LoadedThread, client: ClientSink, projections?: Projections): void {
    if (!live.thread.addSubscriber(client, projections)) return;
    this.grace.cancel(live.thread.id);
    client.onClose(() => this.dropped(live.thread.id, client));
  }

  /**
   * A subscriber's connection closed. The last one of a thread with a running turn leaves the turn and
   * its pending requests to whoever subscribes within `disconnect_grace_ms`; otherwise as unsubscribe.
   */
  private dropped(threadId: string, client: ClientSink): void {
    const live = this.live.get(threadId);
    const graceMs = this.deps.config.effective.disconnectGraceMs;
    if (!live || !live.turn || graceMs === 0 || live.thread.subscribers.size !== 1 || !live.thread.subscribers.has(client)) {
      this.unsubscribe(threadId, client).catch((e: unknown) => this.deps.log.error({ err: e, threadId }, "could not unload a thread"));
      return;
    }
    live.thread.removeSubscriber(client);
    const log = this.deps.log.child({ threadId });
    log.info({ graceMs }, "last subscriber disconnected mid-turn; keeping the turn for a client to resume it");
    this.grace.start(threadId, graceMs, () => {
      if (this.live.get(threadId) !== live || live.thread.subscribers.size > 0) return;
      log.info({ graceMs }, "disconnect grace over with no subscriber; unloading the thread");
      this.unload(live).catch((error: unknown) => log.warn({ err: error }, "unload after the disconnect grace failed"));
    });
  }

  warnOnce(thread: ThreadState, message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.deps.log.warn({ threadId: thread.id }, message);
    thread.emit("warning", { threadId: thread.id, message });
  }

  async start(
    params: ThreadOverrides & { ephemeral?: boolean | null | undefined; dynamicTools?: DynamicToolSpec[] | null | undefined },
    client: ClientSink,
    opts: ThreadOpenOptions = {},
  ): Promise<ThreadStartResponse> {
    const settings = threadSettings(this.deps.config.effective, params, null);
    const id = uuidv7();
    const earlyMcp = this.launchMcpEarly(settings, id);
    const now = new Date();
    const originator = client.session.clientInfo?.name ?? "gatehouse";
    const rollout = await RolloutWriter.create(this.deps.config.home, {
      threadId: id,
      createdAt: now,
      meta: {
        cwd: settings.cwd,
        originator,
        cli_version: this.deps.cliVersion,
        source: "vscode",
        model_provider: settings.modelProviderId,
        model: settings.model,
        base_instructions: settings.baseInstructions ? { text: settings.baseInstructions } : null,
        session_id: id,
        ...(params.dynamicTools?.length ? { dynamic_tools: params.dynamicTools } : {}),
      },
    }).catch((error: unknown) => {
      void earlyMcp?.then((launches) => launches?.dispose());
      throw error;
    });
    const path = rollout.path;
    const createdAt = Math.floor(now.getTime() / 1000);
    const thread = new ThreadState(id, path, createdAt, settings, this.baseFields(id, originator, null, params.ephemeral ?? false), {
      name: null,
      preview: "",
      updatedAt: createdAt,
      ...this.broadcast,
    });
    thread.history = [];
    thread.api = opts.api ?? "v2";
    const live = this.newLoadedThread(thread, rollout, params.dynamicTools ?? []);
    live.earlyMcp = earlyMcp;
    this.live.set(id, live);
    this.subscribe(live, client, opts.projections);
    setImmediate(() => {
      thread.emit("thread/started", { thread: thread.toWire() });
      void this.openMcp(live);
      this.startLoginSnapshot(live);
      this.warmUpWhenIdle(live);
    });
    return { thread: thread.toWire(), ...threadSessionFields(thread.settings) };
  }

  private newLoadedThread(thread: ThreadState, rollout: RolloutWriter, dynamicTools: readonly DynamicToolSpec[]): LoadedThread {
    rollout.watchFailures((e) => this.rolloutFailed(thread, e));
    const loginShell = new ShellSnapshotSlot(() => {
      const config = this.deps.config.effective;
      if (config.features["shell_snapshot"] === false) return null;
      const shell = defaultShell();
      const env = commandEnvironment(config);
      const envPolicy = shellEnvironmentPolicy(config.shellEnvironmentPolicy);
      const { cwd, sandboxPolicy } = thread.settings;
      return {
        key: JSON.stringify([shell, env, envPolicy]),
        run: async (signal: AbortSignal) =>
          (await import("../tools/shellSnapshot.js")).captureShellSnapshot({
            shell,
            cwd,
            env,
            envPolicy,
            launcher: await this.deps.launcher(),
            sandboxPolicy,
            daemonPaths: daemonPathsFor(this.deps.config.home, this.deps.config.userConfigFile, cwd),
            signal,
            log: this.deps.log.child({ threadId: thread.id }),
          }),
      };
    });
    return {
      thread,
      rollout,
      sessions: new UnifiedExecSessions(),
      turn: null,
      task: null,
      taskAbort: new AbortController(),
      dynamicTools,
      loginShell,
      mcp: null,
      earlyMcp: null,
    };
  }

  /**
   * The first failed write of a failure episode (store/rolloutWriter.ts): the turn that made it
   * fails on its own; the clients hear once, in a warning, that the thread was not fully saved.
   */
  private rolloutFailed(thread: ThreadState, e: RolloutWriteError): void {
    this.deps.log.warn({ err: e, threadId: thread.id, path: thread.path }, "rollout write failed");
    const message =
      `Gatehouse could not save this thread to ${thread.path} (${e.reason}). ` +
      "What could not be written is dropped and the turn that wrote it fails; the thread carries on, and later turns are saved as soon as writing works again.";
    thread.emit("warning", { threadId: thread.id, message });
  }

  /** How this thread's commands start (tools/shellSnapshot.ts). */
  private commandShell(live: LoadedThread): CommandShell {
    return { env: commandEnvironment(this.deps.config.effective), snapshot: (signal) => live.loginShell.whenReady(undefined, signal) };
  }

  private baseFields(id: string, originator: string | null, forkedFromId: string | null, ephemeral: boolean): ThreadBase {
    return {
      sessionId: id,
      forkedFromId,
      parentThreadId: null,
      ephemeral,
      projectId: null,
      cliVersion: this.deps.cliVersion,
      originator,
      source: "vscode",
      gitInfo: null,
      agentNickname: null,
      agentRole: null,
    };
  }

  /** A loaded thread, or the thread loaded from its rollout. */
  private async load(threadId: string, api: ThreadApi = "v2"): Promise<LoadedThread> {
    const existing = this.live.get(threadId);
    if (existing) return existing;
    const stored = await this.index.load(threadId);
    const meta = stored.thread;
    const settings = storedThreadSettings(this.deps.config.effective, stored);
    const rollout = await RolloutWriter.open(stored.path);
    const thread = new ThreadState(
      meta.id,
      stored.path,
      meta.createdAt,
      settings,
      this.baseFields(meta.id, meta.originator ?? null, meta.forkedFromId ?? null, false),
      { name: stored.name, preview: stored.preview, updatedAt: meta.updatedAt, ...this.broadcast },
    );
    thread.gitInfo = stored.thread.gitInfo;
    // A loaded thread keeps the API that loaded it until it unloads (approvals follow it).
    thread.api = api;
    thread.history = [...stored.history];
    thread.turns = [...stored.turns];
    // The model has seen this environment already; only changes are sent again.
    thread.contextSent = stored.turns.length > 0 ? settings : null;
    // Written by start() from thread/start's validated dynamicTools; not checked again on the way back.
    const dynamic = Array.isArray(stored.meta.dynamic_tools) ? (stored.meta.dynamic_tools as DynamicToolSpec[]) : [];
    const live = this.newLoadedThread(thread, rollout, dynamic);
    this.live.set(threadId, live);
    return live;
  }

  async resume(
    params: ThreadOverrides & { threadId: string; excludeTurns?: boolean | undefined },
    client: ClientSink,
    opts: ThreadOpenOptions = {},
  ): Promise<ThreadResumeResponse> {
    const live = await this.load(params.threadId, opts.api);
    if (!live.turn) live.thread.settings = threadSettings(this.deps.config.effective, params, live.thread.settings);
    this.subscribe(live, client, opts.projections);
    setImmediate(() => {
      void this.openMcp(live);
      this.startLoginSnapshot(live);
      this.warmUpWhenIdle(live);
    });
    // A running turn is in the answer (inProgress); its pending requests follow it (serverRequestBroker.ts).
    return { thread: live.thread.toWire(params.excludeTurns ? [] : this.turnsOf(live)), ...threadSessionFields(live.thread.settings) };
  }

  async read(threadId: string, includeTurns: boolean): Promise<Thread> {
    const live = this.live.get(threadId);
    if (live) return live.thread.toWire(includeTurns ? this.turnsOf(live) : []);
    const stored = await this.index.load(threadId);
    return { ...stored.thread, turns: includeTurns ? stored.thread.turns : [] };
  }

  private turnsOf(live: LoadedThread): Turn[] {
    const turns = [...live.thread.turns];
    if (live.turn) turns.push(live.turn.wire("inProgress", { startedAt: live.turn.startedAt }));
    return turns;
  }

  list(params: ThreadListParams): Promise<ThreadListResponse> {
    return this.index.list(params);
  }

  loadedIds(): string[] {
    return [...this.live.keys()];
  }

  async unsubscribe(threadId: string, client: ClientSink): Promise<"notLoaded" | "notSubscribed" | "unsubscribed"> {
    const live = this.live.get(threadId);
    if (!live) return "notLoaded";
    if (!live.thread.removeSubscriber(client)) return "notSubscribed";
    if (live.thread.subscribers.size === 0) {
      await this.unload(live);
      // unload's emit reaches no subscriber any more: the connection whose unsubscribe closed the
      // thread is the one that must hear thread/closed (after its answer, as unarchive does).
      setImmediate(() => {
        if (!client.closed) client.notify("thread/closed", { threadId });
      });
    }
    return "unsubscribed";
  }

  private async unload(live: LoadedThread): Promise<void> {
    const { thread } = live;
    if (live.turn) await live.turn.interrupt();
    live.taskAbort.abort();
    live.loginShell.close();
    if (live.task) await live.task;
    await live.sessions.killAll();
    if (live.mcp) await (await live.mcp.catch(() => null))?.close();
    await disposeEarlyMcp(live);
    this.live.delete(thread.id);
    await this.closeRollout(live);
    // Nobody is subscribed any more, but a client that asked for the id may still be listening.
    thread.emit("thread/closed", { threadId: thread.id });
  }

  /** Closes a thread's rollout; what could not be written or flushed is logged, never thrown. */
  private async closeRollout(live: LoadedThread): Promise<void> {
    const { rollout, thread } = live;
    try {
      await rollout.close();
    } catch (e) {
      this.deps.log.error({ err: e, threadId: thread.id, path: rollout.path }, "could not flush the rollout on close");
    }
    if (rollout.unwrittenLines > 0) {
      this.deps.log.warn(
        { threadId: thread.id, path: rollout.path, lines: rollout.unwrittenLines },
        `${rollout.unwrittenLines} rollout lines of this thread could not be written`,
      );
    }
  }

  async archive(threadId: string): Promise<void> {
    const live = this.live.get(threadId);
    // thread/archived is 0.169's: not for a connection that only listens through the v1 API.
    const listeners = live ? [...live.thread.subscribers].filter((c) => live.thread.subscribedThroughV2(c)) : [];
    if (live) await this.unload(live);
    await this.index.archive(threadId);
    for (const c of listeners) if (!c.closed) c.notify("thread/archived", { threadId });
  }

  async unarchive(threadId: string, client: ClientSink): Promise<Thread> {
    const thread = await this.index.unarchive(threadId);
    setImmediate(() => client.notify("thread/unarchived", { threadId }));
    return thread;
  }

  async setName(threadId: string, requested: string): Promise<void> {
    const live = this.live.get(threadId);
    const name = await this.index.setName(threadId, requested);
    if (live) {
      live.thread.name = name;
      live.thread.emit("thread/name/updated", { threadId, threadName: name });
    }
  }

  /** The loaded state of a thread, if it is loaded. */
  peek(threadId: string): LoadedThread | undefined {
    return this.live.get(threadId);
  }

  /** Loads a thread (if needed) and subscribes the client to it. */
  async acquire(threadId: string, client: ClientSink): Promise<LoadedThread> {
    const live = await this.load(threadId);
    this.subscribe(live, client);
    return live;
  }

  /** Unloads a thread (thread/delete); returns who was subscribed. */
  async forget(threadId: string): Promise<ClientSink[]> {
    const live = this.live.get(threadId);
    if (!live) return [];
    const listeners = [...live.thread.subscribers];
    await this.unload(live);
    return listeners;
  }

  get store(): ThreadIndex {
    return this.index;
  }

  get home(): string {
    return this.deps.config.home;
  }

  private loaded(threadId: string): LoadedThread {
    const live = this.live.get(threadId);
    if (!live) throw new NotFoundError(`thread not found: ${threadId}`);
    return live;
  }

  /**
   * The thread's MCP servers: opened once, when config names any (only then is the MCP code loaded),
   * and started at once, as 0.169 starts them with the thread. A failure to load is logged; the thread
   * goes on without MCP.
   */
  private openMcp(live: LoadedThread): Promise<ThreadMcpHost> | null {
    if (live.mcp || Object.keys(this.deps.config.effective.mcpServers).length === 0 || this.live.get(live.thread.id) !== live) {
      void disposeEarlyMcp(live);
      return live.mcp;
    }
    const { thread } = live;
    const earlyMcp = live.earlyMcp;
    live.earlyMcp = null;
    live.mcp = (async () => {
      // The sandbox probe that the first stdio server's launch waits for runs while the MCP code loads.
      const [{ ThreadMcpHost }, launcher, earlyLaunches] = await Promise.all([
        import("../mcp/threadMcpHost.js"),
        this.probingLauncher(thread.settings.sandboxPolicy),
        earlyMcp,
      ]);
      const host = new ThreadMcpHost({
        earlyLaunches,
        config: () => this.deps.config.effective,
        launcher,
        log: this.deps.log.child({ threadId: thread.id }),
        thread,
        sandboxPolicy: () => thread.settings.sandboxPolicy,
        cwd: thread.settings.cwd,
        broker: this.toolRequests,
        metrics: this.metrics,
        approveAlways: async (server, tool) => {
          try {
            await this.deps.config.writeValue({
              keyPath: keyPathOf(["mcp_servers", server, "tools", tool, "approval_mode"]),
              value: "approve",
              mergeStrategy: "upsert",
            });
          } catch (error) {
            this.deps.log.warn({ err: error, server, tool }, "could not write the MCP tool's approval to config.toml; it holds for this session");
          }
        },
        elicitationsAllowed: () => {
          const p = thread.settings.approvalPolicy;
          // granular `mcp_elicitations: false` declines a server's own elicitations, as 0.169 does.
          return typeof p !== "object" || p.granular.mcp_elicitations;
        },
      });
      // start() hands every server its early process at once; what is left was launched for a config
      // that no longer names it.
      void host.start();
      void earlyLaunches?.dispose();
      return host;
    })();
    live.mcp.catch((error: unknown) => this.deps.log.error({ err: error, threadId: thread.id }, "could not open the thread's MCP servers"));
    return live.mcp;
  }

  /**
   * The thread's stdio MCP servers, launched now, before the MCP client code is loaded (a server's own
   * start-up is the longest part of the first turn's wait for its tools; stdioLaunch.ts). Null when
   * config names no MCP server; never rejects (a launch that fails is reported by the server's client).
   */
  private launchMcpEarly(settings: ThreadSettings, threadId: string): Promise<McpEarlyLaunches | null> | null {
    const config = this.deps.config.effective;
    if (Object.keys(config.mcpServers).length === 0) return null;
    return (async () => {
      const [{ McpEarlyLaunches, mcpStdioEnvironment }, launcher] = await Promise.all([
        import("../mcp/stdioLaunch.js"),
        this.probingLauncher(settings.sandboxPolicy),
      ]);
      const stdio = mcpStdioEnvironment(config, { launcher, sandboxPolicy: () => settings.sandboxPolicy, cwd: settings.cwd });
      return new McpEarlyLaunches(config, stdio, this.deps.log.child({ threadId, component: "mcp" }));
    })().catch((error: unknown) => {
      this.deps.log.warn({ err: error }, "could not launch the thread's MCP servers early; they start with the MCP host");
      return null;
    });
  }

  /**
   * Loads the MCP client code and starts the sandbox probe, before any thread needs them (the App calls
   * this once a client is idle after its handshake, when config names MCP servers). Both are cached;
   * nothing starts.
   */
  prepareMcp(): void {
    void import("../mcp/threadMcpHost.js").catch(() => undefined);
    void this.probingLauncher(sandboxPolicyFromConfig(this.deps.config.effective)).catch(() => undefined);
  }

  /** A loaded thread's MCP host (opened now if need be); null when config names no MCP server. */
  async mcpOf(threadId: string): Promise<ThreadMcpHost | null> {
    return (await this.openMcp(this.loaded(threadId))) ?? null;
  }

  /** config/mcpServer/reload: each loaded thread's servers as config now names them. */
  async reloadMcp(): Promise<void> {
    await Promise.all(
      [...this.live.values()].map(async (live) => {
        const host = live.mcp ? await live.mcp.catch(() => null) : await this.openMcp(live)?.catch(() => null);
        await host?.reload();
      }),
    );
  }

  /**
   * The first command of a daemon otherwise waits for the bwrap probe and the bash grammar; both are
   * cached per daemon, so starting them with the thread or turn overlaps them with the model request.
   */
  private prewarm(policy: ThreadSettings["sandboxPolicy"]): void {
    void this.probingLauncher(policy).catch(() => undefined);
    void loadBashParser().catch(() => undefined);
  }

  /**
   * The code a thread's first turn loads (the engine, the turn's tools, approvals): in the warm-up, a
   * client that starts its first turn after a quiet moment gets turn/start answered at once instead of
   * after tens of milliseconds of module loading. Cached by the module loader and the lazy services.
   */
  private preloadEngine(): void {
    void Promise.all([engineModules(), this.deps.approvals(), this.deps.prepareModels?.()]).catch(() => undefined);
  }

  /** The daemon's launcher, with the once-per-daemon sandbox probe that runs of `policy` need started. */
  private async probingLauncher(policy: ThreadSettings["sandboxPolicy"]): Promise<SandboxLauncher> {
    const launcher = await this.deps.launcher();
    launcher.prewarm?.(policy);
    return launcher;
  }

  /**
   * The prewarm above and the thread's login snapshot, which the first command would otherwise wait
   * for. Both fork the daemon (the bwrap probe, the snapshot's shell), which costs the event loop a few
   * milliseconds per child, so they run once the request that led here has been answered.
   */
  private warmUp(live: LoadedThread): void {
    if (this.live.get(live.thread.id) !== live) return;
    // While the thread's MCP servers start, the turn waits for them before its first model request,
    // and the warm-up (the bash grammar's wasm, the login shell: often the heaviest fork of all, with
    // profile scripts and version managers) would only take CPU from them and then from that request:
    // it runs once they have started or failed and the model has begun to answer. (Their launch does
    // its own sandbox probe.)
    const mcp = live.mcp;
    if (mcp === null) {
      this.warmUpNow(live);
      return;
    }
    void mcp
      .then((host) => host.start())
      .catch(() => undefined)
      .then(() => live.turn?.answering)
      .finally(() => this.warmUpNow(live));
  }

  /**
   * The login snapshot, right after the answer that opened the thread, as 0.169 takes it with the
   * session: the capture's login shell then runs on another core while the client's next request
   * (usually turn/start, whose first answer loads the engine) is served, and is ready for the turn's
   * commands instead of competing with the first one's own login. Not while the thread's MCP servers
   * start (warmUp waits for them).
   */
  private startLoginSnapshot(live: LoadedThread): void {
    if (live.mcp === null && this.live.get(live.thread.id) === live) live.loginShell.peek();
  }

  private warmUpNow(live: LoadedThread): void {
    if (this.live.get(live.thread.id) !== live) return;
    this.prewarm(live.thread.settings.sandboxPolicy);
    this.preloadEngine();
    live.loginShell.peek();
  }

  /**
   * After thread/start or thread/resume: warm up once the client has been quiet for a moment. A client
   * that starts a turn at once has it done by the turn instead (after turn/start's answer), so the warm-up
   * does not compete with the request the client is waiting for; one that lets the user type first
   * finds everything ready. Doing it twice is free: both parts are cached.
   */
  private warmUpWhenIdle(live: LoadedThread): void {
    setTimeout(() => {
      if (!live.turn) this.warmUp(live);
    }, WARM_UP_IDLE_MS).unref();
  }

  /** turn/start; on a thread with an active turn it steers that turn, as 0.169 documents. */
  async startTurn(
    params: TurnOverrides & {
      threadId: string;
      input: UserInput[];
      collaborationMode?: { mode: ModeKind } | null | undefined;
      outputSchema?: unknown;
    },
    client: ClientSink,
    opts: { compactOnly?: boolean; review?: ReviewRequest; projections?: Projections } = {},
  ): Promise<Turn> {
    const live = this.live.get(params.threadId) ?? (await this.load(params.threadId));
    this.subscribe(live, client, opts.projections);
    if (opts.compactOnly && live.turn) throw new ConflictError("cannot compact a thread while a turn is running");
    // A review never joins a running turn as steer input: it waits and runs as its own turn.
    if (!opts.review && live.turn?.steer(params.input)) return live.turn.wire("inProgress");
    // A turn that has stopped sampling finishes first; this input starts the next one.
    if (live.turn) await live.turn.settled;
    if (live.task) await live.task;
    const thread = live.thread;
    const next = turnSettings(this.deps.config.effective, params, thread.settings);
    thread.settings = next;
    if (params.collaborationMode) live.collaborationMode = params.collaborationMode.mode;
    // The engine loads with the first turn, not with the first thread (a fresh daemon's thread/start
    // answers without compiling it).
    const [{ client: model, streamMaxRetries, wireApi }, approvals, launcher, [{ ActiveTurn }, { turnToolRouter }, { reviewMode }, { autoCompactLimit }]] =
      await Promise.all([this.deps.models(next.modelProviderId, this.deps.config.effective), this.deps.approvals(), this.deps.launcher(), engineModules()]);
    // A turn waits for the thread's MCP servers to start (or fail), as 0.169's does, after turn/start's
    // answer and turn/started: its tools are complete only then (ActiveTurn awaits toolsWhenReady).
    const mcpOpening = opts.review ? null : this.openMcp(live);
    const routerWith = (mcp?: McpTurnTools) =>
      turnToolRouter(live, this.toolDeps, { model: next.model, wireApi, dynamic: !opts.review, ...(mcp ? { mcp } : {}) });
    let mcpHost: ThreadMcpHost | null = null;
    const toolsWhenReady = mcpOpening
      ? mcpOpening.then(
          async (host) => ((mcpHost = host), routerWith(await host.turnTools())),
          () => routerWith(),
        )
      : null;
    const turn = new ActiveTurn(thread, next, params.input, {
      model,
      tools: routerWith(),
      ...(toolsWhenReady ? { toolsWhenReady, mcpStartup: () => mcpHost?.startupSummary() ?? { ready: [], failed: [], cancelled: [] } } : {}),
      ...(opts.review ? { mode: reviewMode({ thread, settings: next, rollout: live.rollout, request: opts.review }) } : {}),
      rollout: live.rollout,
      approvals,
      launcher,
      log: this.deps.log.child({ threadId: thread.id }),
      ...(this.managedNetwork ? { managedNetwork: this.managedNetwork } : {}),
      streamMaxRetries,
      contextWindow: this.deps.contextWindow(next.model),
      ...(params.outputSchema !== undefined && params.outputSchema !== null ? { outputSchema: params.outputSchema } : {}),
      warnOnce: (m) => this.warnOnce(thread, m),
      daemonPaths: daemonPathsFor(this.deps.config.home, this.deps.config.userConfigFile, next.cwd),
      commandShell: this.commandShell(live),
      compaction: {
        limit: autoCompactLimit(this.deps.config.effective.modelAutoCompactTokenLimit, this.deps.contextWindow(next.model)),
        only: opts.compactOnly === true,
      },
    });
    live.turn = turn;
    thread.activeTurnId = turn.id;
    // The response goes out first; the turn's notifications follow it. The warm-up follows the turn's
    // start, so its forks overlap the model's answer instead of delaying the answer to turn/start.
    setImmediate(() => {
      this.metrics.turnStarted();
      void turn.run().finally(() => {
        if (live.turn === turn) live.turn = null;
        const status = turn.finalStatus;
        this.metrics.turnFinished(status === "completed" || status === "interrupted" ? status : "failed");
      });
      this.warmUp(live);
    });
    return turn.wire("inProgress");
  }

  /**
   * Runs a task that is not a model turn on a thread, after the thread's active turn and earlier tasks;
   * a turn/start that arrives meanwhile waits for it. Returns at once, so the caller's response goes out
   * before the task's notifications.
   */
  async queueTask(threadId: string, client: ClientSink, task: (host: ThreadTaskHost) => Promise<void>): Promise<void> {
    const live = this.live.get(threadId) ?? (await this.load(threadId));
    this.subscribe(live, client);
    const host: ThreadTaskHost = {
      thread: live.thread,
      rollout: live.rollout,
      launcher: await this.deps.launcher(),
      log: this.deps.log.child({ threadId }),
      signal: live.taskAbort.signal,
      commandShell: this.commandShell(live),
      warnOnce: (m) => this.warnOnce(live.thread, m),
    };
    const before = [live.task, live.turn?.settled];
    const run = Promise.all(before)
      .then(() => new Promise<void>((r) => setImmediate(r)))
      .then(() => task(host))
      .catch((e: unknown) => host.log.error({ err: e }, "thread task failed"))
      .finally(() => {
        if (live.task === run) live.task = null;
      });
    live.task = run;
  }

  steer(threadId: string, expectedTurnId: string, input: UserInput[]): string {
    const live = this.loaded(threadId);
    const kind = live.turn?.nonSteerableKind;
    if (kind) {
      // 0.169's refusal, checked before the turn id [obs].
      const message = `cannot steer a ${kind} turn`;
      throw new ConflictError(message, {
        message,
        codexErrorInfo: { activeTurnNotSteerable: { turnKind: kind } },
        additionalDetails: null,
        misalignment: null,
      });
    }
    if (!live.turn || !live.turn.acceptsInput) throw new ConflictError("no active turn to steer");
    if (live.turn.id !== expectedTurnId) throw new ConflictError(`expected active turn id \`${expectedTurnId}\` but found \`${live.turn.id}\``);
    live.turn.steer(input);
    return live.turn.id;
  }

  /**
   * addConversationListener: the client hears the thread's v1 projection (and its v2 notifications, as
   * 0.80's listeners did). Only a loaded thread has listeners, as in 0.80.
   */
  async listen(threadId: string, client: ClientSink): Promise<void> {
    const live = this.loaded(threadId);
    const { V1Projector } = await import("../events/v1Projector.js");
    live.thread.useV1Projector(() => new V1Projector());
    this.subscribe(live, client, "v1Listener");
  }

  /** removeConversationListener: one listener fewer; the connection stays subscribed (it keeps the thread loaded). */
  unlisten(threadId: string, client: ClientSink): void {
    this.live.get(threadId)?.thread.dropV1Listener(client);
  }

  /** The running turn's interrupt, resolved once its turn/completed has gone out (0.80's interruptConversation). */
  async interruptRunning(threadId: string): Promise<void> {
    const turn = this.loaded(threadId).turn;
    if (!turn) return;
    await turn.interrupt();
    await turn.announced;
  }

  async interrupt(threadId: string, turnId: string): Promise<void> {
    const live = this.loaded(threadId);
    if (!live.turn || live.turn.id !== turnId) return;
    await live.turn.interrupt();
  }

  /** Daemon shutdown: interrupt every turn, kill every session, flush every rollout. */
  async closeAll(): Promise<void> {
    // Shutdown does not wait for a disconnected client to come back.
    this.grace.clear();
    await Promise.all(
      [...this.live.values()].map((l) =>
        this.unload(l).catch((e: unknown) => this.deps.log.error({ err: e, threadId: l.thread.id }, "could not unload a thread")),
      ),
    );
  }
}

/** The engine's modules a turn needs: the one list startTurn awaits and the warm-up preloads. */
function engineModules() {
  return Promise.all([import("../engine/activeTurn.js"), import("./threadTools.js"), import("../engine/review.js"), import("../engine/compaction.js")]);
}

/** Stops the thread's early-launched MCP servers that no host took; resolves once they are gone. */
async function disposeEarlyMcp(live: LoadedThread): Promise<void> {
  const early = live.earlyMcp;
  live.earlyMcp = null;
  await (await early)?.dispose();
}
