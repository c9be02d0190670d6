// gitDiffToRemote (0.80) → core/git/diffToRemote.ts. No service: the function is imported on the
// first request, so start-up never reads it.
import type { ClientRequestTable, Handler } from "../handlerMap.js";

type Handlers = { gitDiffToRemote: Handler<ClientRequestTable["gitDiffToRemote"]> };

export function gitDiffHandlers(): Handlers {
  return {
    gitDiffToRemote: async (params) => (await import("../../core/git/diffToRemote.js")).gitDiffToRemote(params.cwd),
  };
}
