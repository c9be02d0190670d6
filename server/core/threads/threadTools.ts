// The tools a turn takes from its thread rather than from its model family: request_user_input and
// the client's dynamic tools, both asking the client through the tools' own broker; and the turn's
// ToolRouter, which puts them beside the family's tools as config's `[features]` shape them.
import type { DynamicToolSpec, ModeKind } from "../../../protocol/v2/index.js";
import type { ServerRequestBroker } from "./serverRequestBroker.js";
import type { WireApi } from "../config/providers.js";
import { dynamicTools } from "../tools/dynamicTools.js";
import { requestUserInputTool } from "../tools/requestUserInput.js";
import { ToolRouter, type McpTurnTools, type ThreadTools } from "../tools/router.js";
import { toolFlagsFrom } from "../tools/toolFlags.js";
import type { UnifiedExecSessions } from "../tools/unifiedExecSessions.js";

/** What of a loaded thread its tools read. */
export interface ThreadToolState {
  /** Read when the model calls request_user_input, so the mode is the one of that moment. */
  readonly collaborationMode?: ModeKind | undefined;
  readonly dynamicTools?: readonly DynamicToolSpec[] | undefined;
}

export interface ThreadToolDeps {
  /** Where the tools' server requests go; approvals have their own broker. */
  readonly broker: ServerRequestBroker;
  /** Config's `[features]` now: request_user_input reads it at each call, the router once per turn. */
  readonly features: () => Readonly<Record<string, boolean>>;
}

/** request_user_input and (unless excluded: a review turn) the thread's dynamic tools. */
export function threadTools(thread: ThreadToolState, deps: ThreadToolDeps, include: { dynamic: boolean }): ThreadTools {
  const requestUserInput = requestUserInputTool({
    broker: deps.broker,
    allowed: () => thread.collaborationMode === "plan" || deps.features()["default_mode_request_user_input"] === true,
  });
  const specs = include.dynamic ? (thread.dynamicTools ?? []) : [];
  return { requestUserInput, ...(specs.length > 0 ? { dynamic: { specs, tools: dynamicTools(specs, { broker: deps.broker }) } } : {}) };
}

/** The tools one turn offers its model: `wireApi` as the model client reports it (responses when absent). */
export function turnToolRouter(
  thread: ThreadToolState & { readonly sessions: UnifiedExecSessions },
  deps: ThreadToolDeps,
  turn: { model: string; wireApi?: WireApi | undefined; dynamic: boolean; mcp?: McpTurnTools },
): ToolRouter {
  return ToolRouter.forModel(turn.model, thread.sessions, {
    ...threadTools(thread, deps, { dynamic: turn.dynamic }),
    ...(turn.wireApi ? { wireApi: turn.wireApi } : {}),
    ...(turn.mcp ? { mcp: turn.mcp } : {}),
    flags: toolFlagsFrom(deps.features()),
  });
}
