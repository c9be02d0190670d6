// getUserAgent (0.80): the userAgent `initialize` answered this connection, in the same shape.
import { userAgent } from "../../core/identity.js";
import type { ClientRequestTable, Handler } from "../handlerMap.js";

type Handlers = { getUserAgent: Handler<ClientRequestTable["getUserAgent"]> };

export function userAgentHandlers(): Handlers {
  return {
    getUserAgent: (_params, ctx) => {
      const client = ctx.client.session.clientInfo;
      // Dispatch serves nothing but initialize before initialize, which records clientInfo: a bug.
      if (client === null) throw new Error("getUserAgent on a connection without clientInfo");
      return { userAgent: userAgent(client) };
    },
  };
}
