// request_permissions (0.169, offered only with `features.request_permissions_tool`): the model asks
// for extra sandbox permissions for its later commands; the approvals layer asks the client and
// records what was granted. No thread item: on the wire there is only the approval request.
import { functionOutput, parseToolArgs, type Tool, type ToolOutput } from "./toolTypes.js";

const PATHS = (what: string) => ({
  type: "array",
  description: `Absolute paths to grant ${what} access; omit when none are needed.`,
  items: { type: "string" },
});

export const requestPermissionsTool: Tool = {
  name: "request_permissions",
  spec: {
    type: "function",
    name: "request_permissions",
    description:
      "Request additional filesystem or network permissions from the user and wait for the client to grant a subset of the requested permission profile. Use environment_id to target a specific attached environment; omit it to use the primary environment. Relative filesystem paths resolve against the selected environment cwd. Granted permissions apply automatically to later shell-like commands in the current turn, or for the rest of the session if the client approves them at session scope.",
    strict: false,
    parameters: {
      type: "object",
      properties: {
        environment_id: { type: "string", description: "Environment id from <environment_context>. Omit to use the primary environment." },
        permissions: {
          type: "object",
          description: "Filesystem or network access request.",
          properties: {
            file_system: {
              type: "object",
              description: "Filesystem access request.",
              properties: { read: PATHS("read"), write: PATHS("write") },
              additionalProperties: false,
            },
            network: {
              type: "object",
              description: "Network access request.",
              properties: { enabled: { type: "boolean", description: "True requests network access; false or omitted requests none." } },
              additionalProperties: false,
            },
          },
          additionalProperties: false,
        },
        reason: { type: "string", description: "Optional short explanation for why additional permissions are needed." },
      },
      required: ["permissions"],
      additionalProperties: false,
    },
  },
  async run(call, ctx): Promise<ToolOutput> {
    const args = parseToolArgs(call.input);
    if (typeof args === "string") return functionOutput(call, args);
    if (args["permissions"] === undefined) return functionOutput(call, "failed to parse function arguments: missing field `permissions`");
    if (!ctx.approvals.requestPermissions) return functionOutput(call, "request_permissions is not available here");
    const output = await ctx.approvals.requestPermissions(
      {
        thread: ctx.thread,
        threadId: ctx.thread.id,
        turnId: ctx.turnId,
        itemId: call.callId,
        approvalPolicy: ctx.settings.approvalPolicy,
        cwd: ctx.settings.cwd,
        permissions: args["permissions"],
        reason: typeof args["reason"] === "string" ? args["reason"] : null,
      },
      ctx.signal,
    );
    return functionOutput(call, output);
  },
};
