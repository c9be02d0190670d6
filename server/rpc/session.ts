// Per-connection state negotiated by `initialize`.
import type { Session } from "../core/ports.js";

export function createSession(connectionId: number, transport: Session["transport"]): Session {
  return { connectionId, transport, initialized: false, clientInfo: null, experimentalApi: false, optOutNotificationMethods: new Set() };
}
