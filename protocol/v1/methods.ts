// THE v1 method table (reference: codex-cli 0.80.0, the legacy conversation API).
// One row per wire method; see protocol/define.ts for what is derived from it.
import { NoParams, notification, request, withResult, type NotificationTable, type RequestTable } from "../define.js";
import { ApplyPatchApprovalParams, ApplyPatchApprovalResponse, ExecCommandApprovalParams, ExecCommandApprovalResponse } from "../v2/approval.js";
import { InitializeParams, InitializeResponse } from "../v2/initialize.js";
import {
  AddConversationSubscriptionResponse,
  ArchiveConversationResponse,
  AuthStatusChangeNotification,
  ExecOneOffCommandResponse,
  ForkConversationResponse,
  GetAuthStatusResponse,
  GetConversationSummaryResponse,
  GetUserAgentResponse,
  GetUserSavedConfigResponse,
  GitDiffToRemoteResponse,
  InterruptConversationResponse,
  ListConversationsResponse,
  LoginApiKeyResponse,
  NewConversationResponse,
  RemoveConversationSubscriptionResponse,
  ResumeConversationResponse,
  SendUserMessageResponse,
  SendUserTurnResponse,
  SessionConfiguredNotification,
  SetDefaultModelResponse,
} from "./conversation.js";
import { v1RequestHeads } from "./requestHeads.js";

export const clientRequests = {
  initialize: request(InitializeParams, InitializeResponse),
  newConversation: withResult(v1RequestHeads.newConversation, NewConversationResponse),
  getConversationSummary: withResult(v1RequestHeads.getConversationSummary, GetConversationSummaryResponse),
  listConversations: withResult(v1RequestHeads.listConversations, ListConversationsResponse),
  resumeConversation: withResult(v1RequestHeads.resumeConversation, ResumeConversationResponse),
  forkConversation: withResult(v1RequestHeads.forkConversation, ForkConversationResponse),
  archiveConversation: withResult(v1RequestHeads.archiveConversation, ArchiveConversationResponse),
  sendUserMessage: withResult(v1RequestHeads.sendUserMessage, SendUserMessageResponse),
  sendUserTurn: withResult(v1RequestHeads.sendUserTurn, SendUserTurnResponse),
  interruptConversation: withResult(v1RequestHeads.interruptConversation, InterruptConversationResponse),
  addConversationListener: withResult(v1RequestHeads.addConversationListener, AddConversationSubscriptionResponse),
  removeConversationListener: withResult(v1RequestHeads.removeConversationListener, RemoveConversationSubscriptionResponse),
  gitDiffToRemote: withResult(v1RequestHeads.gitDiffToRemote, GitDiffToRemoteResponse),
  loginApiKey: withResult(v1RequestHeads.loginApiKey, LoginApiKeyResponse),
  getAuthStatus: withResult(v1RequestHeads.getAuthStatus, GetAuthStatusResponse),
  getUserSavedConfig: withResult(v1RequestHeads.getUserSavedConfig, GetUserSavedConfigResponse),
  setDefaultModel: withResult(v1RequestHeads.setDefaultModel, SetDefaultModelResponse),
  getUserAgent: withResult(v1RequestHeads.getUserAgent, GetUserAgentResponse),
  execOneOffCommand: withResult(v1RequestHeads.execOneOffCommand, ExecOneOffCommandResponse),
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
