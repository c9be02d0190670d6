// mcpServerStatus/list, mcpServer/tool/call, mcpServer/resource/read, config/mcpServer/reload → McpMethods.
import type { McpMethods } from "../../core/mcp/mcpMethods.js";
import type { ClientRequestTable, Handler } from "../handlerMap.js";

type Handlers = {
  "mcpServerStatus/list": Handler<ClientRequestTable["mcpServerStatus/list"]>;
  "mcpServer/tool/call": Handler<ClientRequestTable["mcpServer/tool/call"]>;
  "mcpServer/resource/read": Handler<ClientRequestTable["mcpServer/resource/read"]>;
  "config/mcpServer/reload": Handler<ClientRequestTable["config/mcpServer/reload"]>;
};

export function mcpHandlers(mcp: McpMethods): Handlers {
  return {
    "mcpServerStatus/list": (params) => mcp.status(params),
    "mcpServer/tool/call": (params) => mcp.callTool(params),
    "mcpServer/resource/read": (params) => mcp.readResource(params),
    "config/mcpServer/reload": async () => {
      await mcp.reload();
      return {};
    },
  };
}
