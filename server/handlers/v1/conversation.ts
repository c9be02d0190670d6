// The v1 conversation methods (0.80) → V1Conversations, over the same threads as v2.
import type { V1Conversations } from "../../core/threads/v1Conversations.js";
import type { ClientRequestTable, Handler } from "../handlerMap.js";

type Handlers = {
  newConversation: Handler<ClientRequestTable["newConversation"]>;
  resumeConversation: Handler<ClientRequestTable["resumeConversation"]>;
  forkConversation: Handler<ClientRequestTable["forkConversation"]>;
  sendUserMessage: Handler<ClientRequestTable["sendUserMessage"]>;
  sendUserTurn: Handler<ClientRequestTable["sendUserTurn"]>;
  interruptConversation: Handler<ClientRequestTable["interruptConversation"]>;
  addConversationListener: Handler<ClientRequestTable["addConversationListener"]>;
  removeConversationListener: Handler<ClientRequestTable["removeConversationListener"]>;
};

export function conversationHandlers(conversations: V1Conversations): Handlers {
  return {
    newConversation: (params, ctx) => conversations.newConversation(params, ctx.client),
    resumeConversation: (params, ctx) => conversations.resumeConversation(params, ctx.client),
    forkConversation: (params, ctx) => conversations.forkConversation(params, ctx.client),
    sendUserMessage: async (params, ctx) => {
      await conversations.sendUserMessage(params.conversationId, params.items, ctx.client);
      return {};
    },
    sendUserTurn: async (params, ctx) => {
      await conversations.sendUserTurn(params, ctx.client);
      return {};
    },
    interruptConversation: async (params) => {
      await conversations.interruptConversation(params.conversationId);
      return { abortReason: "interrupted" };
    },
    addConversationListener: async (params, ctx) => ({ subscriptionId: await conversations.addConversationListener(params.conversationId, ctx.client) }),
    removeConversationListener: (params, ctx) => {
      conversations.removeConversationListener(params.subscriptionId, ctx.client);
      return {};
    },
  };
}
