// model/list, modelProvider/list, experimentalFeature/list → ConfigService (catalogs against the current config).
import type { ConfigService } from "../../core/config/configService.js";
import type { ClientRequestTable, Handler } from "../handlerMap.js";

type Handlers = {
  "model/list": Handler<ClientRequestTable["model/list"]>;
  "modelProvider/list": Handler<ClientRequestTable["modelProvider/list"]>;
  "experimentalFeature/list": Handler<ClientRequestTable["experimentalFeature/list"]>;
};

export function catalogHandlers(config: ConfigService): Handlers {
  return {
    "model/list": (params) => config.listModels(params),
    "modelProvider/list": () => config.listModelProviders(),
    "experimentalFeature/list": (params) => config.listExperimentalFeatures(params),
  };
}
