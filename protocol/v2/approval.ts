// approval: v2 protocol payloads, field for field as the reference (codex-cli 0.169.0).
// Bootstrapped from the reference JSON Schema by scripts/protocol-from-reference.mjs; maintained by hand since.
// Conventions: optional params fields are .nullish(), optional result fields .nullable()
// and always present; every named type is registered with .register(z.globalRegistry, { id }) so the generated
// schema's definitions match (not .meta({ id }), which builds the schema twice: a clone to register).
import * as z from "zod";
import { CommandAction, LegacyAppPathString, ThreadId } from "./shared.js";

export const FileSystemAccessMode = z.enum(["read", "write", "deny"]).register(z.globalRegistry, { id: "FileSystemAccessMode" });
export type FileSystemAccessMode = z.infer<typeof FileSystemAccessMode>;

export const FileSystemSpecialPath = z
  .discriminatedUnion("kind", [
    z.object({
      kind: z.literal("root"),
    }),
    z.object({
      kind: z.literal("minimal"),
    }),
    z.object({
      kind: z.literal("project_roots"),
      subpath: LegacyAppPathString.nullish(),
    }),
    z.object({
      kind: z.literal("tmpdir"),
    }),
    z.object({
      kind: z.literal("slash_tmp"),
    }),
    z.object({
      kind: z.literal("unknown"),
      path: z.string(),
      subpath: LegacyAppPathString.nullish(),
    }),
  ])
  .register(z.globalRegistry, { id: "FileSystemSpecialPath" });
export type FileSystemSpecialPath = z.infer<typeof FileSystemSpecialPath>;

export const FileSystemPath = z
  .discriminatedUnion("type", [
    z.object({
      path: LegacyAppPathString,
      type: z.literal("path"),
    }),
    z.object({
      pattern: z.string(),
      type: z.literal("glob_pattern"),
    }),
    z.object({
      type: z.literal("special"),
      value: FileSystemSpecialPath,
    }),
  ])
  .register(z.globalRegistry, { id: "FileSystemPath" });
export type FileSystemPath = z.infer<typeof FileSystemPath>;

export const FileSystemSandboxEntry = z
  .object({
    access: FileSystemAccessMode,
    path: FileSystemPath,
  })
  .register(z.globalRegistry, { id: "FileSystemSandboxEntry" });
export type FileSystemSandboxEntry = z.infer<typeof FileSystemSandboxEntry>;

export const AdditionalFileSystemPermissions = z
  .object({
    entries: z.array(FileSystemSandboxEntry).nullish(),
    globScanMaxDepth: z.int().nullish(),
    /** This will be removed in favor of `entries`. */
    read: z.array(LegacyAppPathString).nullish(),
    /** This will be removed in favor of `entries`. */
    write: z.array(LegacyAppPathString).nullish(),
  })
  .register(z.globalRegistry, { id: "AdditionalFileSystemPermissions" });
export type AdditionalFileSystemPermissions = z.infer<typeof AdditionalFileSystemPermissions>;

export const AdditionalNetworkPermissions = z
  .object({
    enabled: z.boolean().nullish(),
  })
  .register(z.globalRegistry, { id: "AdditionalNetworkPermissions" });
export type AdditionalNetworkPermissions = z.infer<typeof AdditionalNetworkPermissions>;

export const AdditionalPermissionProfile = z
  .object({
    fileSystem: AdditionalFileSystemPermissions.nullish(),
    /** Partial overlay used for per-command permission requests. */
    network: AdditionalNetworkPermissions.nullish(),
  })
  .register(z.globalRegistry, { id: "AdditionalPermissionProfile" });
export type AdditionalPermissionProfile = z.infer<typeof AdditionalPermissionProfile>;

export const FileChange = z
  .discriminatedUnion("type", [
    z.object({
      content: z.string(),
      type: z.literal("add"),
    }),
    z.object({
      content: z.string(),
      type: z.literal("delete"),
    }),
    z.object({
      move_path: z.string().nullish(),
      type: z.literal("update"),
      unified_diff: z.string(),
    }),
  ])
  .register(z.globalRegistry, { id: "FileChange" });
export type FileChange = z.infer<typeof FileChange>;

export const ApplyPatchApprovalParams = z
  .object({
    /** Use to correlate this with [codex_protocol::protocol::PatchApplyBeginEvent] and [codex_protocol::protocol::PatchApplyEndEvent]. */
    callId: z.string(),
    conversationId: ThreadId,
    fileChanges: z.record(z.string(), FileChange),
    /** When set, the agent is asking the user to allow writes under this root for the remainder of the session (unclear if this is honored today). */
    grantRoot: z.string().nullish(),
    /** Optional explanatory reason (e.g. request for extra write access). */
    reason: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "ApplyPatchApprovalParams" });
export type ApplyPatchApprovalParams = z.infer<typeof ApplyPatchApprovalParams>;

export const NetworkPolicyRuleAction = z.enum(["allow", "deny"]).register(z.globalRegistry, { id: "NetworkPolicyRuleAction" });
export type NetworkPolicyRuleAction = z.infer<typeof NetworkPolicyRuleAction>;

export const NetworkPolicyAmendment = z
  .object({
    action: NetworkPolicyRuleAction,
    host: z.string(),
  })
  .register(z.globalRegistry, { id: "NetworkPolicyAmendment" });
export type NetworkPolicyAmendment = z.infer<typeof NetworkPolicyAmendment>;

/** User's decision in response to an ExecApprovalRequest. */
export const ReviewDecision = z
  .union([
    z.literal("approved"),
    z.strictObject({
      approved_execpolicy_amendment: z.object({
        proposed_execpolicy_amendment: z.array(z.string()),
      }),
    }),
    z.literal("approved_for_session"),
    z.literal("approved_mcp_policy_amendment"),
    z.strictObject({
      network_policy_amendment: z.object({
        network_policy_amendment: NetworkPolicyAmendment,
      }),
    }),
    z.strictObject({
      denied: z.object({
        rejection: z.string(),
      }),
    }),
    z.literal("timed_out"),
    z.literal("abort"),
  ])
  .register(z.globalRegistry, { id: "ReviewDecision" });
export type ReviewDecision = z.infer<typeof ReviewDecision>;

export const ApplyPatchApprovalResponse = z
  .object({
    decision: ReviewDecision,
  })
  .register(z.globalRegistry, { id: "ApplyPatchApprovalResponse" });
export type ApplyPatchApprovalResponse = z.infer<typeof ApplyPatchApprovalResponse>;

export const CommandExecutionApprovalDecision = z
  .union([
    z.literal("accept"),
    z.literal("acceptForSession"),
    z.strictObject({
      acceptWithExecpolicyAmendment: z.object({
        execpolicy_amendment: z.array(z.string()),
      }),
    }),
    z.strictObject({
      applyNetworkPolicyAmendment: z.object({
        network_policy_amendment: NetworkPolicyAmendment,
      }),
    }),
    z.literal("decline"),
    z.literal("cancel"),
  ])
  .register(z.globalRegistry, { id: "CommandExecutionApprovalDecision" });
export type CommandExecutionApprovalDecision = z.infer<typeof CommandExecutionApprovalDecision>;

/** Distinguishes a command approval from input sent to an existing terminal. */
export const CommandExecutionApprovalKind = z
  .union([z.enum(["command", "writeStdin"]), z.literal("humanCommand")])
  .register(z.globalRegistry, { id: "CommandExecutionApprovalKind" });
export type CommandExecutionApprovalKind = z.infer<typeof CommandExecutionApprovalKind>;

export const NetworkApprovalProtocol = z.enum(["http", "https", "socks5Tcp", "socks5Udp"]).register(z.globalRegistry, { id: "NetworkApprovalProtocol" });
export type NetworkApprovalProtocol = z.infer<typeof NetworkApprovalProtocol>;

export const NetworkApprovalContext = z
  .object({
    host: z.string(),
    protocol: NetworkApprovalProtocol,
  })
  .register(z.globalRegistry, { id: "NetworkApprovalContext" });
export type NetworkApprovalContext = z.infer<typeof NetworkApprovalContext>;

export const CommandExecutionRequestApprovalParams = z
  .object({
    /** Optional additional permissions requested for this command. */
    additionalPermissions: AdditionalPermissionProfile.nullish().meta({ experimental: true }),
    /** Unique identifier for this specific approval callback.
     *
     * For regular shell/unified_exec approvals, this is null.
     *
     * For zsh-exec-bridge subcommand approvals, multiple callbacks can belong to one parent `itemId`, so `approvalId` is a distinct opaque callback id (a UUID) used to disambiguate routing. Stdin approvals also use a distinct callback id; inspect `kind` to distinguish them. */
    approvalId: z.string().nullish(),
    /** Ordered list of decisions the client may present for this prompt. */
    availableDecisions: z.array(CommandExecutionApprovalDecision).nullish().meta({ experimental: true }),
    /** The command to be executed. */
    command: z.string().nullish(),
    /** Best-effort parsed command actions for friendly display. */
    commandActions: z.array(CommandAction).nullish(),
    /** The command's working directory. */
    cwd: LegacyAppPathString.nullish(),
    /** Environment in which the command will run. */
    environmentId: z.string().nullish(),
    itemId: z.string(),
    /** Kind of action under review. Defaults to `command` for older servers. */
    kind: CommandExecutionApprovalKind.optional(),
    /** Optional context for a managed-network approval prompt. */
    networkApprovalContext: NetworkApprovalContext.nullish(),
    /** Optional proposed execpolicy amendment to allow similar commands without prompting. */
    proposedExecpolicyAmendment: z.array(z.string()).nullish(),
    /** Optional proposed network policy amendments (allow/deny host) for future requests. */
    proposedNetworkPolicyAmendments: z.array(NetworkPolicyAmendment).nullish(),
    /** Optional explanatory reason (e.g. request for network access). */
    reason: z.string().nullish(),
    /** Unix timestamp (in milliseconds) when this approval request started. */
    startedAtMs: z.int(),
    threadId: z.string(),
    turnId: z.string(),
  })
  .register(z.globalRegistry, { id: "CommandExecutionRequestApprovalParams" });
export type CommandExecutionRequestApprovalParams = z.infer<typeof CommandExecutionRequestApprovalParams>;

export const CommandExecutionRequestApprovalResponse = z
  .object({
    decision: CommandExecutionApprovalDecision,
  })
  .register(z.globalRegistry, { id: "CommandExecutionRequestApprovalResponse" });
export type CommandExecutionRequestApprovalResponse = z.infer<typeof CommandExecutionRequestApprovalResponse>;

export const ParsedCommand = z
  .discriminatedUnion("type", [
    z.object({
      cmd: z.string(),
      name: z.string(),
      /** (Best effort) Path to the file being read by the command. When possible, this is an absolute path, though when relative, it should be resolved against the `cwd`` that will be used to run the command to derive the absolute path. */
      path: z.string(),
      type: z.literal("read"),
    }),
    z.object({
      cmd: z.string(),
      path: z.string().nullish(),
      type: z.literal("list_files"),
    }),
    z.object({
      cmd: z.string(),
      path: z.string().nullish(),
      query: z.string().nullish(),
      type: z.literal("search"),
    }),
    z.object({
      cmd: z.string(),
      type: z.literal("unknown"),
    }),
  ])
  .register(z.globalRegistry, { id: "ParsedCommand" });
export type ParsedCommand = z.infer<typeof ParsedCommand>;

export const ExecCommandApprovalParams = z
  .object({
    /** Identifier for this specific approval callback. */
    approvalId: z.string().nullish(),
    /** Use to correlate this with [codex_protocol::protocol::ExecCommandBeginEvent] and [codex_protocol::protocol::ExecCommandEndEvent]. */
    callId: z.string(),
    command: z.array(z.string()),
    conversationId: ThreadId,
    cwd: z.string(),
    parsedCmd: z.array(ParsedCommand),
    reason: z.string().nullish(),
  })
  .register(z.globalRegistry, { id: "ExecCommandApprovalParams" });
export type ExecCommandApprovalParams = z.infer<typeof ExecCommandApprovalParams>;

export const ExecCommandApprovalResponse = z
  .object({
    decision: ReviewDecision,
  })
  .register(z.globalRegistry, { id: "ExecCommandApprovalResponse" });
export type ExecCommandApprovalResponse = z.infer<typeof ExecCommandApprovalResponse>;

export const FileChangeApprovalDecision = z
  .union([z.literal("accept"), z.literal("acceptForSession"), z.literal("decline"), z.literal("cancel")])
  .register(z.globalRegistry, { id: "FileChangeApprovalDecision" });
export type FileChangeApprovalDecision = z.infer<typeof FileChangeApprovalDecision>;

export const FileChangeRequestApprovalParams = z
  .object({
    /** [UNSTABLE] When set, the agent is asking the user to allow writes under this root for the remainder of the session (unclear if this is honored today). */
    grantRoot: z.string().nullish(),
    itemId: z.string(),
    /** Optional explanatory reason (e.g. request for extra write access). */
    reason: z.string().nullish(),
    /** Unix timestamp (in milliseconds) when this approval request started. */
    startedAtMs: z.int(),
    threadId: z.string(),
    turnId: z.string(),
  })
  .register(z.globalRegistry, { id: "FileChangeRequestApprovalParams" });
export type FileChangeRequestApprovalParams = z.infer<typeof FileChangeRequestApprovalParams>;

export const FileChangeRequestApprovalResponse = z
  .object({
    decision: FileChangeApprovalDecision,
  })
  .register(z.globalRegistry, { id: "FileChangeRequestApprovalResponse" });
export type FileChangeRequestApprovalResponse = z.infer<typeof FileChangeRequestApprovalResponse>;

export const GrantedPermissionProfile = z
  .object({
    fileSystem: AdditionalFileSystemPermissions.nullish(),
    network: AdditionalNetworkPermissions.nullish(),
  })
  .register(z.globalRegistry, { id: "GrantedPermissionProfile" });
export type GrantedPermissionProfile = z.infer<typeof GrantedPermissionProfile>;

export const PermissionGrantScope = z.enum(["turn", "session"]).register(z.globalRegistry, { id: "PermissionGrantScope" });
export type PermissionGrantScope = z.infer<typeof PermissionGrantScope>;

export const RequestPermissionProfile = z
  .strictObject({
    fileSystem: AdditionalFileSystemPermissions.nullish(),
    network: AdditionalNetworkPermissions.nullish(),
  })
  .register(z.globalRegistry, { id: "RequestPermissionProfile" });
export type RequestPermissionProfile = z.infer<typeof RequestPermissionProfile>;

export const PermissionsRequestApprovalParams = z
  .object({
    cwd: LegacyAppPathString,
    environmentId: z.string().nullish(),
    itemId: z.string(),
    permissions: RequestPermissionProfile,
    reason: z.string().nullish(),
    /** Unix timestamp (in milliseconds) when this approval request started. */
    startedAtMs: z.int(),
    threadId: z.string(),
    turnId: z.string(),
  })
  .register(z.globalRegistry, { id: "PermissionsRequestApprovalParams" });
export type PermissionsRequestApprovalParams = z.infer<typeof PermissionsRequestApprovalParams>;

export const PermissionsRequestApprovalResponse = z
  .object({
    permissions: GrantedPermissionProfile,
    scope: PermissionGrantScope.optional(),
    /** Review every subsequent command in this turn before normal sandboxed execution. */
    strictAutoReview: z.boolean().nullish(),
  })
  .register(z.globalRegistry, { id: "PermissionsRequestApprovalResponse" });
export type PermissionsRequestApprovalResponse = z.infer<typeof PermissionsRequestApprovalResponse>;
