// Composition root: the only place services are constructed and wired, so every dependency is visible here.
import { join } from "node:path";
import * as z from "zod";
import type { MessageReader, MessageWriter } from "vscode-jsonrpc";
import type { Session } from "./core/ports.js";
import { Dispatcher } from "./dispatch/dispatcher.js";
import { ScopeQueues } from "./dispatch/scopeQueues.js";
import type { HandlerMap } from "./handlers/handlerMap.js";
import { lazyHandlers, lazyService } from "./handlers/lazy.js";
import { notImplementedHandlers } from "./handlers/notImplemented.js";
import { ConfigService } from "./core/config/configService.js";
import { catalogHandlers } from "./handlers/v2/catalog.js";
import { configHandlers } from "./handlers/v2/config.js";
import { commandExecHandlers } from "./handlers/v2/commandExec.js";
import { fsHandlers } from "./handlers/v2/fs.js";
import { permissionHandlers } from "./handlers/v2/permissions.js";
import { initializeHandler } from "./handlers/v2/initialize.js";
import { threadHandlers } from "./handlers/v2/thread.js";
import { threadHistoryHandlers } from "./handlers/v2/threadHistory.js";
import { turnHandlers } from "./handlers/v2/turn.js";
import { shellCommandHandlers } from "./handlers/v2/shellCommand.js";
import { skillsHandlers } from "./handlers/v2/skills.js";
import { searchHandlers } from "./handlers/v2/search.js";
import { accountHandlers } from "./handlers/v2/account.js";
import { reviewHandlers } from "./handlers/v2/review.js";
import { conversationHandlers } from "./handlers/v1/conversation.js";
import { mcpHandlers } from "./handlers/v2/mcp.js";
import { v1AccountHandlers } from "./handlers/v1/account.js";
import { gitDiffHandlers } from "./handlers/v1/gitDiff.js";
import { oneOffCommandHandlers } from "./handlers/v1/oneOffCommand.js";
import { settingsHandlers } from "./handlers/v1/settings.js";
import { storedConversationHandlers } from "./handlers/v1/storedConversations.js";
import { userAgentHandlers } from "./handlers/v1/userAgent.js";
import type { Logger } from "./log.js";
import { NO_METRICS, type DaemonMetrics } from "./core/metrics/daemonMetrics.js";
import { GATEHOUSE_VERSION } from "./version.js";
import { RpcConnection } from "./rpc/connection.js";
import { killEveryProcessTree } from "./sandbox/processTrees.js";

export interface AppOptions {
  home: string;
  log: Logger;
  /** `-c key=value` overrides, in order. */
  configOverrides: string[];
  maxInFlight?: number;
  /** requirements.toml to read instead of /etc/codex/requirements.toml (the CLI's GATEHOUSE_REQUIREMENTS_FILE). */
  requirementsFile?: string;
  /** Where the daemon's events are counted (a listening daemon's /metrics); none by default. */
  metrics?: DaemonMetrics;
}

export interface App {
  connect(reader: MessageReader, writer: MessageWriter, transport: Session["transport"]): RpcConnection;
  readonly connections: ReadonlySet<RpcConnection>;
  close(): Promise<void>;
  /** The steps of close() that have not finished (all of them before it starts), in order. */
  unfinishedClose(): string[];
  /** SIGKILLs every command's process tree not yet reaped, now (a shutdown out of time); returns how many. */
  killProcessTrees(): number;
}

export async function createApp(options: AppOptions): Promise<App> {
  // zod compiles a schema's parser with `new Function` on its first parse: tens of milliseconds for
  // a large params schema (turn/start's), paid by the first request of each method, against a few
  // microseconds saved on each later parse. A daemon parses each schema a handful of times per
  // turn at most, so every parse runs interpreted.
  z.config({ jitless: true });
  const { log } = options;
  const metrics = options.metrics ?? NO_METRICS;
  const config = await ConfigService.create({
    home: options.home,
    cliOverrides: options.configOverrides,
    log,
    ...(options.requirementsFile ? { requirementsFile: options.requirementsFile } : {}),
  });
  const startupConfig = config.effective;
  const connections = new Set<RpcConnection>();
  const broadcast = (method: string, params: unknown): void => {
    for (const c of connections) if (c.session.initialized) c.channel.notify(method, params);
  };
  // Services `initialize` does not need are imported and built by the first request that uses them
  // (handlers/lazy.ts says why); each is one Lazy, shared by the handler groups that use it.
  // Placeholders bwrap leaves on the host are recorded under the home, so a restart can sweep them.
  const launcher = lazyService(async () => {
    const selected = (await import("./sandbox/launcher.js")).selectLauncher(process.platform, {
      placeholderDir: join(options.home, "sandbox", "placeholders"),
    });
    return metrics === NO_METRICS ? selected : (await import("./core/metrics/countedLauncher.js")).countedLauncher(selected, metrics);
  });
  const demo = lazyService(async () => new (await import("./core/model/demoServer.js")).DemoProviderHost({ log }));
  const account = lazyService(
    async () =>
      new (await import("./core/account/accountService.js")).AccountService({
        home: options.home,
        activeProvider: () => config.effective.modelProvider,
        broadcast,
        log,
      }),
  );
  /** What creating a model client needs: its module and the provider and account services. */
  const modelClientCode = () => Promise.all([import("./core/model/modelClient.js"), demo.get(), account.get()]);
  // The one managed network proxy and its approvals: the module is imported, and the proxy started,
  // by the first command that runs with managed networking (config turns it on), never at start-up.
  const network = lazyService(
    async () => new (await import("./core/approval/managedNetworkService.js")).ManagedNetworkService({ home: options.home, log, config, metrics }),
  );
  // thread/start needs the manager and the store only: the approval, sandbox and model-client code
  // load on the first turn (or the prewarm after the first answer), not on the first thread request.
  const approvals = lazyService(
    async () =>
      new (await import("./core/approval/approvalService.js")).ApprovalService({
        home: options.home,
        log,
        timeoutMs: () => config.effective.approvalTimeoutMs,
        knownSafeCommands: () => config.effective.knownSafeCommands,
        metrics,
      }),
  );
  const threads = lazyService(async () => {
    const { ThreadManager } = await import("./core/threads/threadManager.js");
    return new ThreadManager({
      config,
      approvals: () => approvals.get(),
      launcher: () => launcher.get(),
      log,
      cliVersion: GATEHOUSE_VERSION,
      network: () => network.get(),
      broadcast,
      metrics,
      contextWindow: (model) => config.effective.modelContextWindow ?? (model.startsWith("gpt-5") ? 258_400 : null),
      prepareModels: modelClientCode,
      models: async (providerId, effective) => {
        const [{ createModelClient }, providers, accounts] = await modelClientCode();
        const info = await providers.resolve(effective.modelProviders[providerId] ?? effective.modelProvider);
        return {
          client: createModelClient(info, {
            userAgent: `gatehouse/${GATEHOUSE_VERSION}`,
            originator: "gatehouse",
            log,
            bearerToken: await accounts.bearerFor(info),
          }),
          streamMaxRetries: info.streamMaxRetries,
          wireApi: info.wireApi,
        };
      },
    });
  });
  const exec = lazyService(
    async () =>
      new (await import("./core/exec/execService.js")).ExecService({ launcher: await launcher.get(), config: () => config.effective, startupConfig, log }),
  );
  const fs = lazyService(async () => new (await import("./core/fs/fsService.js")).FsService({ log: log.child({ component: "fs" }) }));
  const skills = lazyService(async () => new (await import("./core/skills/skillsService.js")).SkillsService({ home: options.home, log, broadcast }));
  const search = lazyService(async () => new (await import("./core/search/fileSearch.js")).FileSearch());
  const history = lazyService(async () => new (await import("./core/threads/threadHistory.js")).ThreadHistory(await threads.get()));
  const mcp = lazyService(
    async () =>
      new (await import("./core/mcp/mcpMethods.js")).McpMethods({ threads: await threads.get(), config, launcher: () => launcher.get(), log, metrics }),
  );
  const conversations = lazyService(
    async () => new (await import("./core/threads/v1Conversations.js")).V1Conversations(await threads.get(), () => history.get()),
  );
  // One line per handler group. A group whose service initialize does not need is registered as
  // `...lazyHandlers(xHandlers, service)` with `service` a lazyService above.
  const handlers: HandlerMap = {
    initialize: initializeHandler(options.home, config),
    ...configHandlers(config),
    ...catalogHandlers(config),
    ...lazyHandlers(threadHandlers, threads),
    ...lazyHandlers(conversationHandlers, conversations),
    ...lazyHandlers(turnHandlers, threads),
    ...lazyHandlers(commandExecHandlers, exec),
    ...lazyHandlers(fsHandlers, fs),
    ...permissionHandlers(config),
    ...lazyHandlers(shellCommandHandlers, threads),
    ...lazyHandlers(skillsHandlers, skills),
    ...lazyHandlers(searchHandlers, search),
    ...lazyHandlers(threadHistoryHandlers, history),
    ...lazyHandlers(accountHandlers, account),
    ...lazyHandlers(reviewHandlers, threads),
    ...settingsHandlers(config),
    ...userAgentHandlers(),
    ...gitDiffHandlers(),
    ...lazyHandlers(v1AccountHandlers, account),
    ...lazyHandlers(oneOffCommandHandlers, exec),
    ...lazyHandlers((t) => storedConversationHandlers(t, config), threads),
    ...lazyHandlers(mcpHandlers, mcp),
    ...notImplementedHandlers(),
  };
  // A client with MCP servers configured will start a thread, and the thread its servers. At once:
  // the launcher and its sandbox probe, which the servers' launch with thread/start waits for (a few
  // milliseconds of the loop; the probe's bwrap runs on the other core while thread/start's own code
  // loads). Once the client is idle: the MCP client code, which is needed only after the launch.
  const mcpConfigured = (): boolean => Object.keys(config.effective.mcpServers).length > 0;
  const dispatcher = new Dispatcher(handlers, new ScopeQueues(), metrics, {
    handshake: () => {
      if (!mcpConfigured()) return;
      void Promise.all([launcher.get(), import("./core/commandSetup/sandboxFromWire.js"), import("./core/mcp/stdioLaunch.js")]).then(
        ([l, { sandboxPolicyFromConfig }]) => l.prewarm?.(sandboxPolicyFromConfig(config.effective)),
        () => undefined,
      );
    },
    idle: () => {
      if (!mcpConfigured()) return;
      void threads.get().then(
        (t) => t.prepareMcp(),
        () => undefined,
      );
    },
  });
  const closeSteps: [string, () => Promise<void>][] = [
    ["skills", async () => (await skills.ifStarted())?.close()],
    ["threads", async () => (await threads.ifStarted())?.closeAll()],
    ["mcp", async () => (await mcp.ifStarted())?.close()],
    ["command/exec", async () => (await exec.ifStarted())?.shutdown()],
    ["demo provider", async () => (await demo.ifStarted())?.close()],
    ["network proxy", async () => (await network.ifStarted())?.close()],
  ];
  const unfinished = new Set(closeSteps.map(([name]) => name));
  return {
    connections,
    connect(reader, writer, transport) {
      const connection = new RpcConnection({
        reader,
        writer,
        transport,
        dispatcher,
        log,
        ...(options.maxInFlight ? { maxInFlight: options.maxInFlight } : {}),
      });
      connections.add(connection);
      metrics.connectionOpened(transport);
      void connection.closed.then(() => {
        connections.delete(connection);
        metrics.connectionClosed(transport);
      });
      return connection;
    },
    // The daemon's shutdown (cli/appServer.ts `serve`): every step runs, and a failed one is logged,
    // so a broken service never keeps the others from closing or the process from exiting 0.
    async close() {
      dispatcher.stopAccepting();
      for (const [name, step] of closeSteps) {
        await step().catch((e: unknown) => log.error({ err: e, service: name }, "could not close a service"));
        unfinished.delete(name);
      }
    },
    unfinishedClose: () => [...unfinished],
    killProcessTrees: killEveryProcessTree,
  };
}
