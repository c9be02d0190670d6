// turn/start, turn/steer, turn/interrupt → ThreadManager (ActiveTurn does the work).
import type { ThreadManager } from "../../core/threads/threadManager.js";
import type { ClientRequestTable, Handler } from "../handlerMap.js";

type Handlers = {
  "turn/start": Handler<ClientRequestTable["turn/start"]>;
  "turn/steer": Handler<ClientRequestTable["turn/steer"]>;
  "turn/interrupt": Handler<ClientRequestTable["turn/interrupt"]>;
};

export function turnHandlers(threads: ThreadManager): Handlers {
  return {
    "turn/start": async (params, ctx) => ({ turn: await threads.startTurn(params, ctx.client) }),
    "turn/steer": (params) => ({ turnId: threads.steer(params.threadId, params.expectedTurnId, params.input) }),
    "turn/interrupt": async (params) => {
      await threads.interrupt(params.threadId, params.turnId);
      return {};
    },
  };
}
