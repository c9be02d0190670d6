// THE v2 method table (reference: codex-cli 0.169.0).
// One row per wire method; see protocol/define.ts for what is derived from it.
import { NoParams, notification, request, type NotificationTable, type RequestTable } from "../define.js";
import { AccountLoginCompletedNotification, accountRequests, AccountUpdatedNotification } from "./account.js";
import {
  ApplyPatchApprovalParams,
  ApplyPatchApprovalResponse,
  CommandExecutionRequestApprovalParams,
  CommandExecutionRequestApprovalResponse,
  ExecCommandApprovalParams,
  ExecCommandApprovalResponse,
  FileChangeRequestApprovalParams,
  FileChangeRequestApprovalResponse,
  PermissionsRequestApprovalParams,
  PermissionsRequestApprovalResponse,
} from "./approval.js";
import { catalogRequests, SkillsChangedNotification } from "./catalog.js";
import { CommandExecOutputDeltaNotification, commandExecRequests } from "./commandExec.js";
import { configRequests, ConfigWarningNotification, DeprecationNoticeNotification } from "./config.js";
import { FsChangedNotification, fsRequests } from "./fs.js";
import { initializeRequests } from "./initialize.js";
import {
  AgentMessageDeltaNotification,
  CommandExecutionOutputDeltaNotification,
  FileChangeOutputDeltaNotification,
  ItemCompletedNotification,
  ItemStartedNotification,
  McpToolCallProgressNotification,
  PlanDeltaNotification,
  ReasoningSummaryPartAddedNotification,
  ReasoningSummaryTextDeltaNotification,
  ReasoningTextDeltaNotification,
  TerminalInteractionNotification,
} from "./item.js";
import { mcpRequests, McpServerElicitationRequestParams, McpServerElicitationRequestResponse, McpServerStatusUpdatedNotification } from "./mcp.js";
import { fuzzyFileSearchRequests } from "./fuzzyFileSearch.js";
import { ErrorNotification, miscRequests, ServerRequestResolvedNotification, WarningNotification, WindowsWorldWritableWarningNotification } from "./misc.js";
import {
  ContextCompactedNotification,
  ThreadArchivedNotification,
  ThreadClosedNotification,
  ThreadDeletedNotification,
  ThreadNameUpdatedNotification,
  threadRequests,
  ThreadRevertedNotification,
  ThreadStartedNotification,
  ThreadStatusChangedNotification,
  ThreadTokenUsageUpdatedNotification,
  ThreadUnarchivedNotification,
} from "./thread.js";
import { DynamicToolCallParams, DynamicToolCallResponse, ToolRequestUserInputParams, ToolRequestUserInputResponse } from "./toolCall.js";
import { TurnCompletedNotification, TurnDiffUpdatedNotification, TurnPlanUpdatedNotification, turnRequests, TurnStartedNotification } from "./turn.js";

export const clientRequests = {
  initialize: initializeRequests["initialize"],
  "thread/start": threadRequests["thread/start"],
  "thread/resume": threadRequests["thread/resume"],
  "thread/fork": threadRequests["thread/fork"],
  "thread/archive": threadRequests["thread/archive"],
  "thread/delete": threadRequests["thread/delete"],
  "thread/unsubscribe": threadRequests["thread/unsubscribe"],
  "thread/name/set": threadRequests["thread/name/set"],
  "thread/metadata/update": threadRequests["thread/metadata/update"],
  "thread/unarchive": threadRequests["thread/unarchive"],
  "thread/compact/start": threadRequests["thread/compact/start"],
  "thread/shellCommand": threadRequests["thread/shellCommand"],
  "thread/revert": threadRequests["thread/revert"],
  "thread/list": threadRequests["thread/list"],
  "thread/loaded/list": threadRequests["thread/loaded/list"],
  "thread/read": threadRequests["thread/read"],
  "thread/turns/list": threadRequests["thread/turns/list"],
  "thread/items/list": threadRequests["thread/items/list"],
  "skills/list": catalogRequests["skills/list"],
  "fs/readFile": fsRequests["fs/readFile"],
  "fs/writeFile": fsRequests["fs/writeFile"],
  "fs/createDirectory": fsRequests["fs/createDirectory"],
  "fs/getMetadata": fsRequests["fs/getMetadata"],
  "fs/readDirectory": fsRequests["fs/readDirectory"],
  "fs/remove": fsRequests["fs/remove"],
  "fs/copy": fsRequests["fs/copy"],
  "fs/watch": fsRequests["fs/watch"],
  "fs/unwatch": fsRequests["fs/unwatch"],
  "turn/start": turnRequests["turn/start"],
  "turn/steer": turnRequests["turn/steer"],
  "turn/interrupt": turnRequests["turn/interrupt"],
  "review/start": turnRequests["review/start"],
  "model/list": catalogRequests["model/list"],
  "modelProvider/list": catalogRequests["modelProvider/list"],
  "experimentalFeature/list": catalogRequests["experimentalFeature/list"],
  "permissionProfile/list": configRequests["permissionProfile/list"],
  "config/mcpServer/reload": mcpRequests["config/mcpServer/reload"],
  "mcpServerStatus/list": mcpRequests["mcpServerStatus/list"],
  "mcpServer/resource/read": mcpRequests["mcpServer/resource/read"],
  "mcpServer/tool/call": mcpRequests["mcpServer/tool/call"],
  "windowsSandbox/readiness": miscRequests["windowsSandbox/readiness"],
  "account/login/start": accountRequests["account/login/start"],
  "account/login/cancel": accountRequests["account/login/cancel"],
  "account/logout": accountRequests["account/logout"],
  "command/exec": commandExecRequests["command/exec"],
  "command/exec/write": commandExecRequests["command/exec/write"],
  "command/exec/terminate": commandExecRequests["command/exec/terminate"],
  "command/exec/resize": commandExecRequests["command/exec/resize"],
  "config/read": configRequests["config/read"],
  "config/value/write": configRequests["config/value/write"],
  "config/batchWrite": configRequests["config/batchWrite"],
  "configRequirements/read": configRequests["configRequirements/read"],
  "account/read": accountRequests["account/read"],
  fuzzyFileSearch: fuzzyFileSearchRequests["fuzzyFileSearch"],
} as const satisfies RequestTable;

export const serverRequests = {
  "item/commandExecution/requestApproval": request(CommandExecutionRequestApprovalParams, CommandExecutionRequestApprovalResponse),
  "item/fileChange/requestApproval": request(FileChangeRequestApprovalParams, FileChangeRequestApprovalResponse),
  "item/tool/requestUserInput": request(ToolRequestUserInputParams, ToolRequestUserInputResponse),
  "mcpServer/elicitation/request": request(McpServerElicitationRequestParams, McpServerElicitationRequestResponse),
  "item/permissions/requestApproval": request(PermissionsRequestApprovalParams, PermissionsRequestApprovalResponse),
  "item/tool/call": request(DynamicToolCallParams, DynamicToolCallResponse),
  applyPatchApproval: request(ApplyPatchApprovalParams, ApplyPatchApprovalResponse),
  execCommandApproval: request(ExecCommandApprovalParams, ExecCommandApprovalResponse),
} as const satisfies RequestTable;

export const serverNotifications = {
  error: notification(ErrorNotification),
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
  warning: notification(WarningNotification),
  deprecationNotice: notification(DeprecationNoticeNotification),
  configWarning: notification(ConfigWarningNotification),
  "windows/worldWritableWarning": notification(WindowsWorldWritableWarningNotification),
  "account/login/completed": notification(AccountLoginCompletedNotification),
} as const satisfies NotificationTable;

export const clientNotifications = {
  initialized: notification(NoParams),
} as const satisfies NotificationTable;

export const v2Table = { clientRequests, serverRequests, serverNotifications, clientNotifications };
