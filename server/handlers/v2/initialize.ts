// initialize: records what the client negotiated on its session and answers who we are.
// The once-only gate lives in dispatch, so no handler can forget it.
import type { Handler, ClientRequestTable } from "../handlerMap.js";
import type { ConfigService } from "../../core/config/configService.js";
import { platformFields, userAgent } from "../../core/identity.js";

/** After the response, the client hears about config problems found at start-up (configWarning, deprecationNotice). */
export function initializeHandler(home: string, config: ConfigService): Handler<ClientRequestTable["initialize"]> {
  return (params, ctx) => {
    setImmediate(() => {
      for (const w of config.report.warnings) ctx.client.notify("configWarning", w);
      for (const d of config.report.deprecations) ctx.client.notify("deprecationNotice", d);
    });
    const session = ctx.client.session;
    session.clientInfo = params.clientInfo;
    session.experimentalApi = params.capabilities?.experimentalApi ?? false;
    session.optOutNotificationMethods = new Set(params.capabilities?.optOutNotificationMethods ?? []);
    return { userAgent: userAgent(params.clientInfo), codexHome: home, ...platformFields() };
  };
}
