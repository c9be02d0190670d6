// The heads (define.ts RequestHead: params, gate, scope) of the client requests only v1 has: what the
// dispatcher loads for a legacy client's first request (server/handlers/lazyTable.ts), so that it builds
// these params and not 0.80's results and events (every EventMsg kind: most of the v1 table's schemas).
// methods.ts builds the full rows from these very heads (withResult). Nothing here may import
// conversation.ts, shared.ts, events.ts or a v2 results module (server/handlers/requestHeads.test.ts).
import { NoParams, requestHead, type RequestHeadTable } from "../define.js";
import {
  AddConversationListenerParams,
  ArchiveConversationParams,
  ExecOneOffCommandParams,
  ForkConversationParams,
  GetAuthStatusParams,
  GetConversationSummaryParams,
  GitDiffToRemoteParams,
  InterruptConversationParams,
  ListConversationsParams,
  LoginApiKeyParams,
  NewConversationParams,
  RemoveConversationListenerParams,
  ResumeConversationParams,
  SendUserMessageParams,
  SendUserTurnParams,
  SetDefaultModelParams,
} from "./conversationParams.js";

export const v1RequestHeads = {
  newConversation: requestHead(NewConversationParams),
  getConversationSummary: requestHead(GetConversationSummaryParams),
  listConversations: requestHead(ListConversationsParams),
  resumeConversation: requestHead(ResumeConversationParams),
  forkConversation: requestHead(ForkConversationParams),
  archiveConversation: requestHead(ArchiveConversationParams),
  sendUserMessage: requestHead(SendUserMessageParams),
  sendUserTurn: requestHead(SendUserTurnParams),
  interruptConversation: requestHead(InterruptConversationParams),
  addConversationListener: requestHead(AddConversationListenerParams),
  removeConversationListener: requestHead(RemoveConversationListenerParams),
  gitDiffToRemote: requestHead(GitDiffToRemoteParams),
  loginApiKey: requestHead(LoginApiKeyParams),
  getAuthStatus: requestHead(GetAuthStatusParams),
  getUserSavedConfig: requestHead(NoParams),
  setDefaultModel: requestHead(SetDefaultModelParams),
  getUserAgent: requestHead(NoParams),
  execOneOffCommand: requestHead(ExecOneOffCommandParams),
} as const satisfies RequestHeadTable;
