import type { CommandAction } from "../../../protocol/v2/index.js";

// What the engine knows about an event beyond its v2 notification, for projections that show more
// (the v1 `codex/event/*` stream): never sent as is. Each field is set only on the events named.
export interface EventDetail {
  /** A command item's argv (commandExecution item/started and item/completed). */
  readonly argv?: readonly string[];
  /** Which stream an output delta came from (item/commandExecution/outputDelta). */
  readonly stream?: "stdout" | "stderr";
  /** A command's or a patch's output per stream (their item/completed). */
  readonly stdout?: string;
  readonly stderr?: string;
  /** The model's context window (turn/started). */
  readonly modelContextWindow?: number | null;
  /** The thread's MCP servers are still starting: their mcp_startup_complete follows (turn/started). */
  readonly mcpStartupLater?: boolean;
  /** How the thread's MCP servers started, as 0.80's mcp_startup_complete lists them (engine/mcpStartupComplete). */
  readonly mcpStartup?: {
    readonly ready: readonly string[];
    readonly failed: readonly { server: string; error: string }[];
    readonly cancelled: readonly string[];
  };
  /** The final agent message of a turn (turn/completed). */
  readonly lastAgentMessage?: string | null;
}

/**
 * Events of the thread stream that no v2 notification carries. The v2 projection drops them; the v1
 * projection turns them into 0.80's approval events.
 */
export const ENGINE_EVENT_PREFIX = "engine/";

export interface ExecApprovalRequestedEvent {
  readonly commandActions: readonly CommandAction[];
  readonly turnId: string;
  readonly itemId: string;
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly reason: string | null;
  readonly proposedAmendment: readonly string[] | null;
}

export interface PatchApprovalRequestedEvent {
  readonly turnId: string;
  readonly itemId: string;
  readonly reason: string | null;
  readonly grantRoot: string | null;
}
