// What a tool sees of the turn it runs in, and what it gives back to the model.
import type { ManagedNetworkLease } from "../approval/managedNetworkService.js";
import type { NetworkOwner } from "../approval/networkApprovals.js";
import type { Logger } from "../../log.js";
import type { DaemonPaths } from "../../sandbox/bwrapPlan.js";
import type { SandboxLauncher } from "../../sandbox/launcherTypes.js";
import type { SandboxPolicy } from "../../sandbox/sandboxPolicy.js";
import type { SplitSandboxPolicy } from "../../sandbox/splitSandboxPolicy.js";
import type { TurnItems } from "../engine/turnItems.js";
import type { ToolOutputContent, ToolSearchOutputItem } from "../model/types.js";
import type { ApprovalGate } from "../ports.js";
import type { ThreadState, ThreadSettings } from "../threads/threadState.js";
import type { CommandShell } from "./shellSnapshot.js";

/**
 * A call the model made: a function call (JSON arguments), a custom tool call (raw input), or a
 * tool_search call (its `arguments` object as JSON, answered with a tool_search_output item).
 */
export interface ToolCall {
  readonly kind: "function" | "custom" | "toolSearch";
  readonly name: string;
  readonly callId: string;
  /** The JSON argument string of a function call, or the raw input of a custom call. */
  readonly input: string;
  /** The namespace of a call to a namespaced tool (a client's dynamic tool namespace). */
  readonly namespace?: string;
}

/** The history item that answers a call. */
/** Text, or content items for a tool that answers with images (view_image, a client's dynamic tool). */
export type ToolOutput =
  | { type: "function_call_output"; call_id: string; output: ToolOutputContent }
  | { type: "custom_tool_call_output"; call_id: string; output: ToolOutputContent }
  | ToolSearchOutputItem;

/** Raised by a tool when the user cancelled an approval: the turn ends as interrupted. */
export class TurnCancelled extends Error {
  constructor() {
    super("turn cancelled by the user");
    this.name = "TurnCancelled";
  }
}

export interface ToolContext {
  readonly thread: ThreadState;
  readonly turnId: string;
  readonly items: TurnItems;
  readonly settings: ThreadSettings;
  readonly signal: AbortSignal;
  readonly approvals: ApprovalGate;
  readonly launcher: SandboxLauncher;
  readonly log: Logger;
  /** The daemon's own files as the sandbox must treat them (core/commandSetup/daemonPaths.ts). */
  readonly daemonPaths?: DaemonPaths;
  /** The commands' environment and login snapshot (shellSnapshot.ts); without it, the launcher's defaults. */
  readonly commandShell?: CommandShell;
  /** Managed networking (the daemon's proxy); absent in contexts that never run model commands. */
  readonly managedNetwork?: ManagedNetworkHook;
  /** Ends the turn as interrupted, as turn/interrupt does (a `cancel` answered to a network prompt). */
  readonly interruptTurn?: () => void;
  /** Sends a `warning` notification once per distinct text for this daemon. */
  warnOnce(message: string): void;
}

export interface ManagedNetworkHook {
  /** Managed networking is on: a command escalated out of the sandbox loses the proxy variables. */
  enabled(): boolean;
  /** The proxy lease for one command, or null when managed networking does not apply to it. */
  forCommand(owner: NetworkOwner, policy: SandboxPolicy | SplitSandboxPolicy, sandboxed: boolean): Promise<ManagedNetworkLease | null>;
}

export interface Tool {
  readonly name: string;
  /** The Responses `tools` entry. */
  readonly spec: Record<string, unknown>;
  /**
   * Whether calls of this tool may run alongside other calls of the same response (0.169's per-tool
   * `supports_parallel_tool_calls`). A tool that may not runs alone: it waits for the calls before it
   * and the calls after it wait for it. Unset: it runs alone. 0.169 marks the shell tools and view_image
   * (and the read-only MCP-resource and file tools); write_stdin, apply_patch, update_plan,
   * request_user_input, request_permissions and a client's dynamic tools run alone.
   */
  readonly supportsParallel?: boolean;
  run(call: ToolCall, ctx: ToolContext): Promise<ToolOutput>;
}

export function functionOutput(call: ToolCall, output: string): ToolOutput {
  return call.kind === "custom"
    ? { type: "custom_tool_call_output", call_id: call.callId, output }
    : { type: "function_call_output", call_id: call.callId, output };
}

/** A function call's JSON arguments as an object, or the text that tells the model what was wrong. */
export function parseToolArgs(input: string): Record<string, unknown> | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(input || "{}");
  } catch (error) {
    return `failed to parse function arguments: ${error instanceof Error ? error.message : String(error)}`;
  }
  return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : "failed to parse function arguments: arguments must be a JSON object";
}
