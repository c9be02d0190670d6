// getUserSavedConfig, setDefaultModel (0.80) → ConfigService. Config is built at start-up, so this
// group is not lazy; the wire mapping is imported on first use (handlers/lazyTable.ts says why).
import type { ConfigService } from "../../core/config/configService.js";
import type { ClientRequestTable, Handler } from "../handlerMap.js";

type Handlers = {
  getUserSavedConfig: Handler<ClientRequestTable["getUserSavedConfig"]>;
  setDefaultModel: Handler<ClientRequestTable["setDefaultModel"]>;
};

export function settingsHandlers(config: ConfigService): Handlers {
  return {
    getUserSavedConfig: async () => {
      const { userSavedConfig } = await import("../../core/config/userSavedConfig.js");
      return { config: userSavedConfig(await config.savedConfig()) };
    },
    setDefaultModel: async (params) => {
      await config.setDefaultModel(params.model ?? null, params.reasoningEffort ?? null);
      return {};
    },
  };
}
