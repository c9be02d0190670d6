// thread/* (the turn engine's part) → ThreadManager.
import type { ThreadManager } from "../../core/threads/threadManager.js";
import type { ClientRequestTable, Handler } from "../handlerMap.js";

type Handlers = {
  "thread/start": Handler<ClientRequestTable["thread/start"]>;
  "thread/resume": Handler<ClientRequestTable["thread/resume"]>;
  "thread/read": Handler<ClientRequestTable["thread/read"]>;
  "thread/list": Handler<ClientRequestTable["thread/list"]>;
  "thread/loaded/list": Handler<ClientRequestTable["thread/loaded/list"]>;
  "thread/archive": Handler<ClientRequestTable["thread/archive"]>;
  "thread/unarchive": Handler<ClientRequestTable["thread/unarchive"]>;
  "thread/name/set": Handler<ClientRequestTable["thread/name/set"]>;
  "thread/unsubscribe": Handler<ClientRequestTable["thread/unsubscribe"]>;
};

export function threadHandlers(threads: ThreadManager): Handlers {
  return {
    "thread/start": (params, ctx) => threads.start(params, ctx.client),
    "thread/resume": (params, ctx) => threads.resume(params, ctx.client),
    "thread/read": async (params) => ({ thread: await threads.read(params.threadId, params.includeTurns ?? false) }),
    "thread/list": (params) => threads.list(params),
    "thread/loaded/list": (params) => {
      const ids = threads.loadedIds().sort();
      const start = params.cursor ? Math.max(0, ids.indexOf(params.cursor) + 1) : 0;
      const limit = params.limit && params.limit > 0 ? params.limit : ids.length;
      const page = ids.slice(start, start + limit);
      return { data: page, nextCursor: start + limit < ids.length ? (page[page.length - 1] ?? null) : null };
    },
    "thread/archive": async (params) => {
      await threads.archive(params.threadId);
      return {};
    },
    "thread/unarchive": async (params, ctx) => ({ thread: await threads.unarchive(params.threadId, ctx.client) }),
    "thread/name/set": async (params) => {
      await threads.setName(params.threadId, params.name ?? null);
      return {};
    },
    "thread/unsubscribe": async (params, ctx) => ({ status: await threads.unsubscribe(params.threadId, ctx.client) }),
  };
}
