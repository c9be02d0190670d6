// When request_user_input may ask, which dynamic tools a turn gets, and how a turn's router follows
// the model family, the wire and `[features]`.
import { describe, expect, it } from "vitest";
import type { DynamicToolSpec, ModeKind } from "../../../protocol/v2/index.js";
import { createLogger } from "../../log.js";
import { ServerRequestBroker } from "./serverRequestBroker.js";
import type { Tool, ToolContext } from "../tools/toolTypes.js";
import { UnifiedExecSessions } from "../tools/unifiedExecSessions.js";
import { threadTools, turnToolRouter, type ThreadToolDeps } from "./threadTools.js";

const SPECS: DynamicToolSpec[] = [
  { type: "function", name: "lookup", description: "Looks a thing up.", inputSchema: { type: "object", properties: {} } },
  { type: "namespace", name: "crm", description: "The CRM.", tools: [{ type: "function", name: "find", description: "Finds.", inputSchema: {} }] },
];

function setup(features: Record<string, boolean> = {}) {
  const deps: ThreadToolDeps = { broker: new ServerRequestBroker({ log: createLogger("silent"), timeoutMs: () => null }), features: () => features };
  const thread: { collaborationMode?: ModeKind; dynamicTools?: readonly DynamicToolSpec[]; sessions: UnifiedExecSessions } = {
    dynamicTools: SPECS,
    sessions: new UnifiedExecSessions(),
  };
  return { deps, thread, features };
}

/**
 * Whether the tool would ask: with unparseable arguments an allowed call stops at the parse and a
 * refused one before it, so neither reaches the client or the context.
 */
async function asks(tool: Tool | undefined): Promise<boolean> {
  if (!tool) throw new Error("no request_user_input");
  const out = await tool.run({ kind: "function", name: tool.name, callId: "c1", input: "{" }, {} as ToolContext);
  if (out.output === "request_user_input is unavailable in Default mode") return false;
  expect(out.output).toMatch(/^failed to parse function arguments/);
  return true;
}

describe("threadTools", () => {
  it("lets request_user_input ask in Plan mode only, as the mode is when the model calls it", async () => {
    const { deps, thread } = setup();
    const { requestUserInput } = threadTools(thread, deps, { dynamic: true });
    expect(await asks(requestUserInput)).toBe(false);
    thread.collaborationMode = "plan";
    expect(await asks(requestUserInput)).toBe(true);
    thread.collaborationMode = "default";
    expect(await asks(requestUserInput)).toBe(false);
  });

  it("lets request_user_input ask in Default mode once default_mode_request_user_input is on", async () => {
    const { deps, thread, features } = setup();
    const { requestUserInput } = threadTools(thread, deps, { dynamic: true });
    features["default_mode_request_user_input"] = true;
    expect(await asks(requestUserInput)).toBe(true);
  });

  it("includes the thread's dynamic tools unless excluded, and none when it declared none", () => {
    const { deps, thread } = setup();
    const included = threadTools(thread, deps, { dynamic: true }).dynamic;
    expect(included?.specs).toBe(SPECS);
    expect(included?.tools.map((t) => t.name)).toEqual(["lookup", "crm/find"]);
    expect(threadTools(thread, deps, { dynamic: false }).dynamic).toBeUndefined();
    expect(threadTools({ ...thread, dynamicTools: [] }, deps, { dynamic: true }).dynamic).toBeUndefined();
    expect(threadTools({}, deps, { dynamic: true }).dynamic).toBeUndefined();
  });
});

describe("turnToolRouter", () => {
  const names = (specs: Record<string, unknown>[]) => specs.map((s) => s["name"]);

  it("offers the family's tools, request_user_input, then the dynamic tools", () => {
    const { deps, thread } = setup();
    const router = turnToolRouter(thread, deps, { model: "gpt-5.5", dynamic: true });
    expect(names(router.specs())).toEqual(["exec_command", "write_stdin", "request_user_input", "apply_patch", "view_image", "lookup", "crm"]);
    expect(router.specs().find((s) => s["name"] === "apply_patch")?.["type"]).toBe("custom");
  });

  it("leaves the dynamic tools out of a review turn", () => {
    const { deps, thread } = setup();
    expect(names(turnToolRouter(thread, deps, { model: "gpt-5.5", dynamic: false }).specs())).toEqual([
      "exec_command",
      "write_stdin",
      "request_user_input",
      "apply_patch",
      "view_image",
    ]);
  });

  it("gives chat the function apply_patch and no view_image", () => {
    const { deps, thread } = setup();
    const router = turnToolRouter(thread, deps, { model: "gpt-5.5", wireApi: "chat", dynamic: false });
    expect(names(router.specs())).toEqual(["exec_command", "write_stdin", "request_user_input", "apply_patch"]);
    expect(router.specs().find((s) => s["name"] === "apply_patch")?.["type"]).toBe("function");
  });

  it("applies `[features]` as they are when the turn starts", () => {
    const { deps, thread, features } = setup({ shell_tool: false, request_permissions_tool: true });
    const router = turnToolRouter(thread, deps, { model: "gpt-4.1", dynamic: false });
    features["shell_tool"] = true;
    expect(names(router.specs())).toEqual(["update_plan", "request_permissions", "apply_patch", "view_image"]);
    expect(names(turnToolRouter(thread, deps, { model: "gpt-4.1", dynamic: false }).specs())).toEqual([
      "shell",
      "update_plan",
      "request_permissions",
      "apply_patch",
      "view_image",
    ]);
  });
});
