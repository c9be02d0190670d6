// account/read, account/login/start, account/login/cancel, account/logout → AccountService; the
// account/updated and account/login/completed notifications are the service's.
import type { AccountService } from "../../core/account/accountService.js";
import type { ClientRequestTable, Handler } from "../handlerMap.js";

type Handlers = {
  "account/read": Handler<ClientRequestTable["account/read"]>;
  "account/login/start": Handler<ClientRequestTable["account/login/start"]>;
  "account/login/cancel": Handler<ClientRequestTable["account/login/cancel"]>;
  "account/logout": Handler<ClientRequestTable["account/logout"]>;
};

export function accountHandlers(account: AccountService): Handlers {
  return {
    "account/read": () => account.read(),
    "account/login/start": (params) => account.loginStart(params),
    "account/login/cancel": (params) => account.loginCancel(params.loginId),
    "account/logout": () => account.logout(),
  };
}
