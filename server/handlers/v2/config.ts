// config/read, config/value/write, config/batchWrite, configRequirements/read → ConfigService.
// A version conflict answers as 0.169 does: -32600 with data.config_write_error_code.
import { RpcError } from "../../../protocol/errors.js";
import type { ConfigService } from "../../core/config/daemonConfig.js";
import { ConfigVersionConflict, type ConfigEdit } from "../../core/config/configStore.js";
import type { ClientRequestTable, Handler } from "../handlerMap.js";

type Handlers = {
  "config/read": Handler<ClientRequestTable["config/read"]>;
  "config/value/write": Handler<ClientRequestTable["config/value/write"]>;
  "config/batchWrite": Handler<ClientRequestTable["config/batchWrite"]>;
  "configRequirements/read": Handler<ClientRequestTable["configRequirements/read"]>;
};

function write(config: ConfigService, edits: ConfigEdit[], expectedVersion: string | null | undefined) {
  try {
    return config.write(edits, expectedVersion) as ReturnType<Handlers["config/value/write"]> extends Promise<infer R> ? R : never;
  } catch (error) {
    if (error instanceof ConfigVersionConflict) throw RpcError.invalidRequest(error.message, { config_write_error_code: "configVersionConflict" });
    if (error instanceof Error && /invalid keyPath/.test(error.message)) throw RpcError.invalidParams(error.message, { config_write_error_code: "configValidationError" });
    throw error;
  }
}

export function configHandlers(config: ConfigService): Handlers {
  return {
    "config/read": (params) => config.read(params) as Awaited<ReturnType<Handlers["config/read"]>>,
    "config/value/write": (params) =>
      write(config, [{ keyPath: params.keyPath, value: params.value, mergeStrategy: params.mergeStrategy }], params.expectedVersion),
    "config/batchWrite": (params) =>
      write(
        config,
        params.edits.map((e) => ({ keyPath: e.keyPath, value: e.value, mergeStrategy: e.mergeStrategy })),
        params.expectedVersion,
      ),
    "configRequirements/read": () => config.readRequirements() as Awaited<ReturnType<Handlers["configRequirements/read"]>>,
  };
}
