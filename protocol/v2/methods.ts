// THE v2 method table (reference: codex-cli 0.169.0).
// One row per wire method; see protocol/define.ts for what is derived from it.
import { NoParams, byThread, global, notification, request, type NotificationTable, type RequestTable } from "../define.js";
import { AccountLoginCompletedNotification, AccountUpdatedNotification, CancelLoginAccountParams, CancelLoginAccountResponse, GetAccountParams, GetAccountResponse, LoginAccountParams, LoginAccountResponse, LogoutAccountResponse } from "./account.js";
import { ApplyPatchApprovalParams, ApplyPatchApprovalResponse, CommandExecutionRequestApprovalParams, CommandExecutionRequestApprovalResponse, ExecCommandApprovalParams, ExecCommandApprovalResponse, FileChangeRequestApprovalParams, FileChangeRequestApprovalResponse, PermissionsRequestApprovalParams, PermissionsRequestApprovalResponse } from "./approval.js";
import { ExperimentalFeatureListParams, ExperimentalFeatureListResponse, ModelListParams, ModelListResponse, ModelProviderListParams, ModelProviderListResponse, SkillsChangedNotification, SkillsListParams, SkillsListResponse } from "./catalog.js";
import { CommandExecOutputDeltaNotification, CommandExecParams, CommandExecResizeParams, CommandExecResizeResponse, CommandExecResponse, CommandExecTerminateParams, CommandExecTerminateResponse, CommandExecWriteParams, CommandExecWriteResponse } from "./commandExec.js";
import { ConfigBatchWriteParams, ConfigReadParams, ConfigReadResponse, ConfigRequirementsReadResponse, ConfigValueWriteParams, ConfigWarningNotification, ConfigWriteResponse, DeprecationNoticeNotification, PermissionProfileListParams, PermissionProfileListResponse } from "./config.js";
import { FsChangedNotification, FsCopyParams, FsCopyResponse, FsCreateDirectoryParams, FsCreateDirectoryResponse, FsGetMetadataParams, FsGetMetadataResponse, FsReadDirectoryParams, FsReadDirectoryResponse, FsReadFileParams, FsReadFileResponse, FsRemoveParams, FsRemoveResponse, FsUnwatchParams, FsUnwatchResponse, FsWatchParams, FsWatchResponse, FsWriteFileParams, FsWriteFileResponse } from "./fs.js";
import { InitializeParams, InitializeResponse } from "./initialize.js";
import { AgentMessageDeltaNotification, CommandExecutionOutputDeltaNotification, FileChangeOutputDeltaNotification, ItemCompletedNotification, ItemStartedNotification, McpToolCallProgressNotification, PlanDeltaNotification, ReasoningSummaryPartAddedNotification, ReasoningSummaryTextDeltaNotification, ReasoningTextDeltaNotification, TerminalInteractionNotification } from "./item.js";
import { ListMcpServerStatusParams, ListMcpServerStatusResponse, McpResourceReadParams, McpResourceReadResponse, McpServerElicitationRequestParams, McpServerElicitationRequestResponse, McpServerRefreshResponse, McpServerStatusUpdatedNotification, McpServerToolCallParams, McpServerToolCallResponse } from "./mcp.js";
import { ErrorNotification, FuzzyFileSearchParams, FuzzyFileSearchResponse, ServerRequestResolvedNotification, WarningNotification, WindowsSandboxReadinessResponse, WindowsWorldWritableWarningNotification } from "./misc.js";
import { ContextCompactedNotification, ThreadArchiveParams, ThreadArchiveResponse, ThreadArchivedNotification, ThreadClosedNotification, ThreadCompactStartParams, ThreadCompactStartResponse, ThreadDeleteParams, ThreadDeleteResponse, ThreadDeletedNotification, ThreadForkParams, ThreadForkResponse, ThreadItemsListParams, ThreadItemsListResponse, ThreadListParams, ThreadListResponse, ThreadLoadedListParams, ThreadLoadedListResponse, ThreadMetadataUpdateParams, ThreadMetadataUpdateResponse, ThreadNameUpdatedNotification, ThreadReadParams, ThreadReadResponse, ThreadResumeParams, ThreadResumeResponse, ThreadRevertParams, ThreadRevertResponse, ThreadRevertedNotification, ThreadSetNameParams, ThreadSetNameResponse, ThreadShellCommandParams, ThreadShellCommandResponse, ThreadStartParams, ThreadStartResponse, ThreadStartedNotification, ThreadStatusChangedNotification, ThreadTokenUsageUpdatedNotification, ThreadTurnsListParams, ThreadTurnsListResponse, ThreadUnarchiveParams, ThreadUnarchiveResponse, ThreadUnarchivedNotification, ThreadUnsubscribeParams, ThreadUnsubscribeResponse } from "./thread.js";
import { DynamicToolCallParams, DynamicToolCallResponse, ToolRequestUserInputParams, ToolRequestUserInputResponse } from "./toolCall.js";
import { ReviewStartParams, ReviewStartResponse, TurnCompletedNotification, TurnDiffUpdatedNotification, TurnInterruptParams, TurnInterruptResponse, TurnPlanUpdatedNotification, TurnStartParams, TurnStartResponse, TurnStartedNotification, TurnSteerParams, TurnSteerResponse } from "./turn.js";

export const clientRequests = {
  "initialize": request(InitializeParams, InitializeResponse),
  "thread/start": request(ThreadStartParams, ThreadStartResponse),
  "thread/resume": request(ThreadResumeParams, ThreadResumeResponse, { scope: byThread }),
  "thread/fork": request(ThreadForkParams, ThreadForkResponse, { scope: byThread }),
  "thread/archive": request(ThreadArchiveParams, ThreadArchiveResponse, { scope: byThread }),
  "thread/delete": request(ThreadDeleteParams, ThreadDeleteResponse, { scope: byThread }),
  "thread/unsubscribe": request(ThreadUnsubscribeParams, ThreadUnsubscribeResponse, { scope: byThread }),
  "thread/name/set": request(ThreadSetNameParams, ThreadSetNameResponse, { scope: byThread }),
  "thread/metadata/update": request(ThreadMetadataUpdateParams, ThreadMetadataUpdateResponse, { scope: byThread }),
  "thread/unarchive": request(ThreadUnarchiveParams, ThreadUnarchiveResponse, { scope: byThread }),
  "thread/compact/start": request(ThreadCompactStartParams, ThreadCompactStartResponse, { scope: byThread }),
  "thread/shellCommand": request(ThreadShellCommandParams, ThreadShellCommandResponse, { scope: byThread }),
  "thread/revert": request(ThreadRevertParams, ThreadRevertResponse, { scope: byThread }),
  "thread/list": request(ThreadListParams, ThreadListResponse),
  "thread/loaded/list": request(ThreadLoadedListParams, ThreadLoadedListResponse),
  "thread/read": request(ThreadReadParams, ThreadReadResponse, { scope: byThread }),
  "thread/turns/list": request(ThreadTurnsListParams, ThreadTurnsListResponse, { scope: byThread }),
  "thread/items/list": request(ThreadItemsListParams, ThreadItemsListResponse, { scope: byThread }),
  "skills/list": request(SkillsListParams, SkillsListResponse),
  "fs/readFile": request(FsReadFileParams, FsReadFileResponse),
  "fs/writeFile": request(FsWriteFileParams, FsWriteFileResponse),
  "fs/createDirectory": request(FsCreateDirectoryParams, FsCreateDirectoryResponse),
  "fs/getMetadata": request(FsGetMetadataParams, FsGetMetadataResponse),
  "fs/readDirectory": request(FsReadDirectoryParams, FsReadDirectoryResponse),
  "fs/remove": request(FsRemoveParams, FsRemoveResponse),
  "fs/copy": request(FsCopyParams, FsCopyResponse),
  "fs/watch": request(FsWatchParams, FsWatchResponse),
  "fs/unwatch": request(FsUnwatchParams, FsUnwatchResponse),
  "turn/start": request(TurnStartParams, TurnStartResponse, { scope: byThread }),
  "turn/steer": request(TurnSteerParams, TurnSteerResponse, { scope: byThread }),
  "turn/interrupt": request(TurnInterruptParams, TurnInterruptResponse, { scope: byThread }),
  "review/start": request(ReviewStartParams, ReviewStartResponse, { scope: byThread }),
  "model/list": request(ModelListParams, ModelListResponse),
  "modelProvider/list": request(ModelProviderListParams, ModelProviderListResponse),
  "experimentalFeature/list": request(ExperimentalFeatureListParams, ExperimentalFeatureListResponse),
  "permissionProfile/list": request(PermissionProfileListParams, PermissionProfileListResponse),
  "config/mcpServer/reload": request(NoParams, McpServerRefreshResponse),
  "mcpServerStatus/list": request(ListMcpServerStatusParams, ListMcpServerStatusResponse),
  "mcpServer/resource/read": request(McpResourceReadParams, McpResourceReadResponse),
  "mcpServer/tool/call": request(McpServerToolCallParams, McpServerToolCallResponse),
  "windowsSandbox/readiness": request(NoParams, WindowsSandboxReadinessResponse),
  "account/login/start": request(LoginAccountParams, LoginAccountResponse),
  "account/login/cancel": request(CancelLoginAccountParams, CancelLoginAccountResponse),
  "account/logout": request(NoParams, LogoutAccountResponse),
  "command/exec": request(CommandExecParams, CommandExecResponse),
  "command/exec/write": request(CommandExecWriteParams, CommandExecWriteResponse),
  "command/exec/terminate": request(CommandExecTerminateParams, CommandExecTerminateResponse),
  "command/exec/resize": request(CommandExecResizeParams, CommandExecResizeResponse),
  "config/read": request(ConfigReadParams, ConfigReadResponse),
  "config/value/write": request(ConfigValueWriteParams, ConfigWriteResponse, { scope: global("config") }),
  "config/batchWrite": request(ConfigBatchWriteParams, ConfigWriteResponse, { scope: global("config") }),
  "configRequirements/read": request(NoParams, ConfigRequirementsReadResponse),
  "account/read": request(GetAccountParams, GetAccountResponse),
  "fuzzyFileSearch": request(FuzzyFileSearchParams, FuzzyFileSearchResponse),
} as const satisfies RequestTable;

export const serverRequests = {
  "item/commandExecution/requestApproval": request(CommandExecutionRequestApprovalParams, CommandExecutionRequestApprovalResponse),
  "item/fileChange/requestApproval": request(FileChangeRequestApprovalParams, FileChangeRequestApprovalResponse),
  "item/tool/requestUserInput": request(ToolRequestUserInputParams, ToolRequestUserInputResponse),
  "mcpServer/elicitation/request": request(McpServerElicitationRequestParams, McpServerElicitationRequestResponse),
  "item/permissions/requestApproval": request(PermissionsRequestApprovalParams, PermissionsRequestApprovalResponse),
  "item/tool/call": request(DynamicToolCallParams, DynamicToolCallResponse),
  "applyPatchApproval": request(ApplyPatchApprovalParams, ApplyPatchApprovalResponse),
  "execCommandApproval": request(ExecCommandApprovalParams, ExecCommandApprovalResponse),
} as const satisfies RequestTable;

export const serverNotifications = {
  "error": notification(ErrorNotification),
  "thread/started": notification(ThreadStartedNotification),
  "thread/status/changed": notification(ThreadStatusChangedNotification),
  "thread/archived": notification(ThreadArchivedNotification),
  "thread/deleted": notification(ThreadDeletedNotification),
  "thread/unarchived": notification(ThreadUnarchivedNotification),
  "thread/closed": notification(ThreadClosedNotification),
  "thread/reverted": notification(ThreadRevertedNotification),
  "skills/changed": notification(SkillsChangedNotification),
  "thread/name/updated": notification(ThreadNameUpdatedNotification),
  "thread/tokenUsage/updated": notification(ThreadTokenUsageUpdatedNotification),
  "turn/started": notification(TurnStartedNotification),
  "turn/completed": notification(TurnCompletedNotification),
  "turn/diff/updated": notification(TurnDiffUpdatedNotification),
  "turn/plan/updated": notification(TurnPlanUpdatedNotification),
  "item/started": notification(ItemStartedNotification),
  "item/completed": notification(ItemCompletedNotification),
  "item/agentMessage/delta": notification(AgentMessageDeltaNotification),
  "item/plan/delta": notification(PlanDeltaNotification),
  "command/exec/outputDelta": notification(CommandExecOutputDeltaNotification),
  "item/commandExecution/outputDelta": notification(CommandExecutionOutputDeltaNotification),
  "item/commandExecution/terminalInteraction": notification(TerminalInteractionNotification),
  "item/fileChange/outputDelta": notification(FileChangeOutputDeltaNotification),
  "serverRequest/resolved": notification(ServerRequestResolvedNotification),
  "item/mcpToolCall/progress": notification(McpToolCallProgressNotification),
  "mcpServer/startupStatus/updated": notification(McpServerStatusUpdatedNotification),
  "account/updated": notification(AccountUpdatedNotification),
  "fs/changed": notification(FsChangedNotification),
  "item/reasoning/summaryTextDelta": notification(ReasoningSummaryTextDeltaNotification),
  "item/reasoning/summaryPartAdded": notification(ReasoningSummaryPartAddedNotification),
  "item/reasoning/textDelta": notification(ReasoningTextDeltaNotification),
  "thread/compacted": notification(ContextCompactedNotification),
  "warning": notification(WarningNotification),
  "deprecationNotice": notification(DeprecationNoticeNotification),
  "configWarning": notification(ConfigWarningNotification),
  "windows/worldWritableWarning": notification(WindowsWorldWritableWarningNotification),
  "account/login/completed": notification(AccountLoginCompletedNotification),
} as const satisfies NotificationTable;

export const clientNotifications = {
  "initialized": notification(NoParams),
} as const satisfies NotificationTable;

export const v2Table = { clientRequests, serverRequests, serverNotifications, clientNotifications };
