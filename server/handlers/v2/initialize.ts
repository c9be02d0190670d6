// initialize: records what the client negotiated on its session and answers who we are.
// The once-only gate lives in dispatch (architecture.md §8).
import type { Handler, ClientRequestTable } from "../handlerMap.js";
import { platformFields, userAgent } from "../../core/identity.js";

export function initializeHandler(home: string): Handler<ClientRequestTable["initialize"]> {
  return (params, ctx) => {
    const session = ctx.client.session;
    session.clientInfo = params.clientInfo;
    session.experimentalApi = params.capabilities?.experimentalApi ?? false;
    session.optOutNotificationMethods = new Set(params.capabilities?.optOutNotificationMethods ?? []);
    return { userAgent: userAgent(params.clientInfo), codexHome: home, ...platformFields() };
  };
}
