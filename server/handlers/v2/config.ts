// config/read, config/value/write, config/batchWrite, configRequirements/read → ConfigService.
// Write failures are ConfigWriteError, which rpc/toRpcError.ts maps to the reference's wire form.
import type { ConfigRequirementsReadResponse } from "../../../protocol/v2/config.js";
import type { ConfigService } from "../../core/config/configService.js";
import type { ClientRequestTable, Handler } from "../handlerMap.js";

type Handlers = {
  "config/read": Handler<ClientRequestTable["config/read"]>;
  "config/value/write": Handler<ClientRequestTable["config/value/write"]>;
  "config/batchWrite": Handler<ClientRequestTable["config/batchWrite"]>;
  "configRequirements/read": Handler<ClientRequestTable["configRequirements/read"]>;
};

// The wire schema is imported on first use, not at start-up (handlers/lazyTable.ts says why).
let requirementsSchema: typeof ConfigRequirementsReadResponse | undefined;

export function configHandlers(config: ConfigService): Handlers {
  return {
    "config/read": (params) => config.read(params),
    "config/value/write": (params) => config.writeValue(params),
    "config/batchWrite": (params) => config.batchWrite(params),
    // Core passes the nested requirement tables through as JSON; the wire schema gives them their shape.
    "configRequirements/read": async () => {
      const requirements = await config.readRequirements();
      requirementsSchema ??= (await import("../../../protocol/v2/config.js")).ConfigRequirementsReadResponse;
      return requirementsSchema.parse(requirements);
    },
  };
}
