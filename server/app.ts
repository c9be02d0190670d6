// Composition root: the only place services are constructed and wired (architecture.md).
import { join } from "node:path";
import type { MessageReader, MessageWriter } from "vscode-jsonrpc";
import type { Session } from "./core/ports.js";
import { Dispatcher } from "./dispatch/dispatcher.js";
import { ScopeQueues } from "./dispatch/scopes.js";
import type { HandlerMap } from "./handlers/handlerMap.js";
import { notImplementedHandlers } from "./handlers/notImplemented.js";
import { ConfigService } from "./core/config/configService.js";
import { catalogHandlers } from "./handlers/v2/catalog.js";
import { configHandlers } from "./handlers/v2/config.js";
import { commandExecHandlers } from "./handlers/v2/commandExec.js";
import { ExecService } from "./core/exec/execService.js";
import { FsService } from "./core/fs/fsService.js";
import { fsHandlers } from "./handlers/v2/fs.js";
import { permissionHandlers } from "./handlers/v2/permissions.js";
import { initializeHandler } from "./handlers/v2/initialize.js";
import { ApprovalService } from "./core/approval/gate.js";
import { DemoProviderHost } from "./core/model/demoServer.js";
import { ResponsesClient } from "./core/model/responsesClient.js";
import { ThreadManager } from "./core/threads/threadManager.js";
import { threadHandlers } from "./handlers/v2/thread.js";
import { threadHistoryHandlers } from "./handlers/v2/threadHistory.js";
import { ThreadHistory } from "./core/threads/threadHistory.js";
import { turnHandlers } from "./handlers/v2/turn.js";
import { shellCommandHandlers } from "./handlers/v2/shellCommand.js";
import { SkillsService } from "./core/skills/skillsService.js";
import { skillsHandlers } from "./handlers/v2/skills.js";
import { FileSearch } from "./core/search/fileSearch.js";
import { searchHandlers } from "./handlers/v2/search.js";
import type { Logger } from "./log.js";
import { selectLauncher } from "./sandbox/launcher.js";
import { GATEHOUSE_VERSION } from "./version.js";
import { RpcConnection } from "./rpc/connection.js";

export interface AppOptions {
  home: string;
  log: Logger;
  /** `-c key=value` overrides, in order. */
  configOverrides: string[];
  maxInFlight?: number;
}

export interface App {
  connect(reader: MessageReader, writer: MessageWriter, transport: Session["transport"]): RpcConnection;
  readonly connections: ReadonlySet<RpcConnection>;
  close(): Promise<void>;
}

export async function createApp(options: AppOptions): Promise<App> {
  const { log } = options;
  const config = await ConfigService.create({ home: options.home, cliOverrides: options.configOverrides, log });
  // Placeholders bwrap leaves on the host are recorded under the home, so a restart can sweep them.
  const launcher = selectLauncher(process.platform, { placeholderDir: join(options.home, "sandbox", "placeholders") });
  const demo = new DemoProviderHost({ log });
  const threads = new ThreadManager({
    config,
    approvals: new ApprovalService({ home: options.home, log }),
    launcher,
    log,
    cliVersion: GATEHOUSE_VERSION,
    contextWindow: (model) => config.effective.modelContextWindow ?? (model.startsWith("gpt-5") ? 258_400 : null),
    models: async (providerId, effective) => {
      const info = await demo.resolve(effective.modelProviders[providerId] ?? effective.modelProvider);
      return {
        client: new ResponsesClient(info, { userAgent: `gatehouse/${GATEHOUSE_VERSION}`, originator: "gatehouse", log }),
        streamMaxRetries: info.streamMaxRetries,
      };
    },
  });
  const exec = new ExecService({ launcher, config: () => config.effective, log });
  const connections = new Set<RpcConnection>();
  const broadcast = (method: string, params: unknown): void => {
    for (const c of connections) if (c.session.initialized) c.channel.notify(method, params);
  };
  const skills = new SkillsService({ home: options.home, log, broadcast });
  const handlers: HandlerMap = {
    initialize: initializeHandler(options.home, config),
    ...configHandlers(config),
    ...catalogHandlers(config),
    ...threadHandlers(threads),
    ...turnHandlers(threads),
    ...commandExecHandlers(exec),
    ...fsHandlers(new FsService({ log: log.child({ component: "fs" }) })),
    ...permissionHandlers(config),
    ...shellCommandHandlers(threads),
    ...skillsHandlers(skills),
    ...searchHandlers(new FileSearch()),
    ...threadHistoryHandlers(new ThreadHistory(threads)),
    ...notImplementedHandlers(),
  };
  const dispatcher = new Dispatcher(handlers, new ScopeQueues());
  return {
    connections,
    connect(reader, writer, transport) {
      const connection = new RpcConnection({ reader, writer, transport, dispatcher, log, ...(options.maxInFlight ? { maxInFlight: options.maxInFlight } : {}) });
      connections.add(connection);
      void connection.closed.then(() => connections.delete(connection));
      return connection;
    },
    async close() {
      skills.close();
      await threads.closeAll();
      await exec.shutdown();
      await demo.close();
    },
  };
}
