// model/list, modelProvider/list, experimentalFeature/list → core/catalog.
import { RpcError } from "../../../protocol/errors.js";
import { listExperimentalFeatures, listModelProviders, listModels } from "../../core/catalog/lists.js";
import type { ConfigService } from "../../core/config/daemonConfig.js";
import type { ClientRequestTable, Handler } from "../handlerMap.js";

type Handlers = {
  "model/list": Handler<ClientRequestTable["model/list"]>;
  "modelProvider/list": Handler<ClientRequestTable["modelProvider/list"]>;
  "experimentalFeature/list": Handler<ClientRequestTable["experimentalFeature/list"]>;
};

function pageOrInvalid<T>(f: () => T): T {
  try {
    return f();
  } catch (error) {
    if (error instanceof RangeError) throw RpcError.invalidParams(error.message);
    throw error;
  }
}

export function catalogHandlers(config: ConfigService): Handlers {
  return {
    "model/list": (params) => pageOrInvalid(() => listModels(params)) as Awaited<ReturnType<Handlers["model/list"]>>,
    "modelProvider/list": () => listModelProviders(config.effective) as Awaited<ReturnType<Handlers["modelProvider/list"]>>,
    "experimentalFeature/list": (params) =>
      pageOrInvalid(() => listExperimentalFeatures(config.effective, params)) as Awaited<ReturnType<Handlers["experimentalFeature/list"]>>,
  };
}
