// THE v1 method table (reference: codex-cli 0.80.0, the legacy conversation API).
// One row per wire method; see protocol/define.ts for what is derived from it.
import { NoParams, notification, request, type NotificationTable, type RequestTable } from "../define.js";
import { ApplyPatchApprovalParams, ApplyPatchApprovalResponse, ExecCommandApprovalParams, ExecCommandApprovalResponse } from "../v2/approval.js";
import { InitializeParams, InitializeResponse } from "../v2/initialize.js";
import {
  AddConversationListenerParams,
  AddConversationSubscriptionResponse,
  ArchiveConversationParams,
  ArchiveConversationResponse,
  AuthStatusChangeNotification,
  ExecOneOffCommandParams,
  ExecOneOffCommandResponse,
  ForkConversationParams,
  ForkConversationResponse,
  GetAuthStatusParams,
  GetAuthStatusResponse,
  GetConversationSummaryParams,
  GetConversationSummaryResponse,
  GetUserAgentResponse,
  GetUserSavedConfigResponse,
  GitDiffToRemoteParams,
  GitDiffToRemoteResponse,
  InterruptConversationParams,
  InterruptConversationResponse,
  ListConversationsParams,
  ListConversationsResponse,
  LoginApiKeyParams,
  LoginApiKeyResponse,
  NewConversationParams,
  NewConversationResponse,
  RemoveConversationListenerParams,
  RemoveConversationSubscriptionResponse,
  ResumeConversationParams,
  ResumeConversationResponse,
  SendUserMessageParams,
  SendUserMessageResponse,
  SendUserTurnParams,
  SendUserTurnResponse,
  SessionConfiguredNotification,
  SetDefaultModelParams,
  SetDefaultModelResponse,
} from "./conversation.js";

export const clientRequests = {
  initialize: request(InitializeParams, InitializeResponse),
  newConversation: request(NewConversationParams, NewConversationResponse),
  getConversationSummary: request(GetConversationSummaryParams, GetConversationSummaryResponse),
  listConversations: request(ListConversationsParams, ListConversationsResponse),
  resumeConversation: request(ResumeConversationParams, ResumeConversationResponse),
  forkConversation: request(ForkConversationParams, ForkConversationResponse),
  archiveConversation: request(ArchiveConversationParams, ArchiveConversationResponse),
  sendUserMessage: request(SendUserMessageParams, SendUserMessageResponse),
  sendUserTurn: request(SendUserTurnParams, SendUserTurnResponse),
  interruptConversation: request(InterruptConversationParams, InterruptConversationResponse),
  addConversationListener: request(AddConversationListenerParams, AddConversationSubscriptionResponse),
  removeConversationListener: request(RemoveConversationListenerParams, RemoveConversationSubscriptionResponse),
  gitDiffToRemote: request(GitDiffToRemoteParams, GitDiffToRemoteResponse),
  loginApiKey: request(LoginApiKeyParams, LoginApiKeyResponse),
  getAuthStatus: request(GetAuthStatusParams, GetAuthStatusResponse),
  getUserSavedConfig: request(NoParams, GetUserSavedConfigResponse),
  setDefaultModel: request(SetDefaultModelParams, SetDefaultModelResponse),
  getUserAgent: request(NoParams, GetUserAgentResponse),
  execOneOffCommand: request(ExecOneOffCommandParams, ExecOneOffCommandResponse),
} as const satisfies RequestTable;

export const serverRequests = {
  applyPatchApproval: request(ApplyPatchApprovalParams, ApplyPatchApprovalResponse),
  execCommandApproval: request(ExecCommandApprovalParams, ExecCommandApprovalResponse),
} as const satisfies RequestTable;

export const serverNotifications = {
  authStatusChange: notification(AuthStatusChangeNotification),
  sessionConfigured: notification(SessionConfiguredNotification),
} as const satisfies NotificationTable;

export const clientNotifications = {
  initialized: notification(NoParams),
} as const satisfies NotificationTable;

export const v1Table = { clientRequests, serverRequests, serverNotifications, clientNotifications };
