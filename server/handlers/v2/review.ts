// review/start → a review turn on the thread (core/engine/review.ts). Reviews run inline on the given
// thread, as 0.169 does; the response's turn names what is reviewed as a synthetic userMessage.
import { reviewRequest } from "../../core/engine/review.js";
import type { ThreadManager } from "../../core/threads/threadManager.js";
import type { ClientRequestTable, Handler } from "../handlerMap.js";

type Handlers = { "review/start": Handler<ClientRequestTable["review/start"]> };

export function reviewHandlers(threads: ThreadManager): Handlers {
  return {
    "review/start": async (params, ctx) => {
      const live = threads.peek(params.threadId) ?? (await threads.acquire(params.threadId, ctx.client));
      const request = await reviewRequest(params.target, live.thread.settings.cwd);
      const turn = await threads.startTurn({ threadId: params.threadId, input: [{ type: "text", text: request.hint, text_elements: [] }] }, ctx.client, {
        review: request,
      });
      // 0.169's response: no root turn yet, and the hint as a userMessage whose id is the turn's.
      const hint = {
        type: "userMessage" as const,
        id: turn.id,
        clientId: null,
        content: [{ type: "text" as const, text: request.hint, text_elements: [] }],
        startedAtMs: null,
        completedAtMs: null,
      };
      return { turn: { ...turn, rootTurnId: null, items: [hint] }, reviewThreadId: params.threadId };
    },
  };
}
