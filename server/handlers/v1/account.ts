// getAuthStatus, loginApiKey (0.80) → AccountService, the login v2's account/* methods use.
import type { AccountService } from "../../core/account/accountService.js";
import type { ClientRequestTable, Handler } from "../handlerMap.js";

type Handlers = {
  getAuthStatus: Handler<ClientRequestTable["getAuthStatus"]>;
  loginApiKey: Handler<ClientRequestTable["loginApiKey"]>;
};

export function v1AccountHandlers(account: AccountService): Handlers {
  return {
    // refreshToken only matters for ChatGPT tokens, which Gatehouse does not use.
    getAuthStatus: (params) => account.authStatus(params.includeToken === true),
    loginApiKey: async (params, ctx) => {
      await account.saveApiKey(params.apiKey);
      // After the response, as 0.80 sends it; to the asking connection only, because
      // authStatusChange is 0.80's (0.169 clients on other connections do not know it) and 0.80
      // served one client.
      setImmediate(() => ctx.client.notify("authStatusChange", { authMethod: "apikey" }));
      return {};
    },
  };
}
