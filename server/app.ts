// Composition root: the only place services are constructed and wired (architecture.md).
import type { MessageReader, MessageWriter } from "vscode-jsonrpc";
import type { Session } from "./core/ports.js";
import { Dispatcher } from "./dispatch/dispatcher.js";
import { ScopeQueues } from "./dispatch/scopes.js";
import type { HandlerMap } from "./handlers/handlerMap.js";
import { notImplementedHandlers } from "./handlers/notImplemented.js";
import { ConfigService } from "./core/config/configService.js";
import { catalogHandlers } from "./handlers/v2/catalog.js";
import { configHandlers } from "./handlers/v2/config.js";
import { FsService } from "./core/fs/fsService.js";
import { fsHandlers } from "./handlers/v2/fs.js";
import { permissionHandlers } from "./handlers/v2/permissions.js";
import { initializeHandler } from "./handlers/v2/initialize.js";
import type { Logger } from "./log.js";
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
  const handlers: HandlerMap = {
    initialize: initializeHandler(options.home, config),
    ...configHandlers(config),
    ...catalogHandlers(config),
    ...fsHandlers(new FsService({ log: log.child({ component: "fs" }) })),
    ...permissionHandlers(config),
    ...notImplementedHandlers(),
  };
  const dispatcher = new Dispatcher(handlers, new ScopeQueues());
  const connections = new Set<RpcConnection>();
  return {
    connections,
    connect(reader, writer, transport) {
      const connection = new RpcConnection({ reader, writer, transport, dispatcher, log, ...(options.maxInFlight ? { maxInFlight: options.maxInFlight } : {}) });
      connections.add(connection);
      void connection.closed.then(() => connections.delete(connection));
      return connection;
    },
    async close() {
      await Promise.resolve();
    },
  };
}
