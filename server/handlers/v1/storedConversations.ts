// listConversations, getConversationSummary, archiveConversation (0.80) → the thread store that
// thread/list and thread/archive use (core/store/conversationSummaries.ts has 0.80's behaviour).
// archiveConversation checks that rolloutPath is the conversation's rollout, then archives as
// thread/archive does: a loaded conversation is unloaded first (its turn interrupted).
import type { ConfigService } from "../../core/config/configService.js";
import type { ConversationSummaries } from "../../core/store/conversationSummaries.js";
import type { ThreadManager } from "../../core/threads/threadManager.js";
import type { ClientRequestTable, Handler } from "../handlerMap.js";

type Handlers = {
  listConversations: Handler<ClientRequestTable["listConversations"]>;
  getConversationSummary: Handler<ClientRequestTable["getConversationSummary"]>;
  archiveConversation: Handler<ClientRequestTable["archiveConversation"]>;
};

export function storedConversationHandlers(threads: ThreadManager, config: ConfigService): Handlers {
  const summaries = async (): Promise<ConversationSummaries> =>
    new (await import("../../core/store/conversationSummaries.js")).ConversationSummaries(threads.store, threads.home);
  return {
    listConversations: async (params) => (await summaries()).list(params, config.effective.modelProviderId),
    getConversationSummary: async (params) => {
      const store = await summaries();
      return { summary: await ("conversationId" in params ? store.byId(params.conversationId) : store.byPath(params.rolloutPath)) };
    },
    archiveConversation: async (params) => {
      await (await summaries()).checkArchivable(params.conversationId, params.rolloutPath);
      await threads.archive(params.conversationId);
      return {};
    },
  };
}
