// thread/fork, revert, delete, metadata/update, compact/start, turns/list, items/list → ThreadHistory.
import type { ThreadHistory } from "../../core/threads/threadHistory.js";
import type { ClientRequestTable, Handler } from "../handlerMap.js";

type Handlers = {
  "thread/fork": Handler<ClientRequestTable["thread/fork"]>;
  "thread/revert": Handler<ClientRequestTable["thread/revert"]>;
  "thread/delete": Handler<ClientRequestTable["thread/delete"]>;
  "thread/metadata/update": Handler<ClientRequestTable["thread/metadata/update"]>;
  "thread/compact/start": Handler<ClientRequestTable["thread/compact/start"]>;
  "thread/turns/list": Handler<ClientRequestTable["thread/turns/list"]>;
  "thread/items/list": Handler<ClientRequestTable["thread/items/list"]>;
};

export function threadHistoryHandlers(history: ThreadHistory): Handlers {
  return {
    "thread/fork": (params, ctx) => history.fork(params, ctx.client),
    "thread/revert": (params, ctx) => history.revert(params.threadId, params.beforeTurnId, ctx.client),
    "thread/delete": async (params, ctx) => {
      await history.delete(params.threadId, ctx.client);
      return {};
    },
    "thread/metadata/update": async (params) => ({ thread: await history.updateMetadata(params) }),
    "thread/compact/start": async (params, ctx) => {
      await history.compact(params.threadId, ctx.client);
      return {};
    },
    "thread/turns/list": (params) => history.listTurns(params),
    "thread/items/list": (params) => history.listItems(params),
  };
}
