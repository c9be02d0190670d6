// command/exec, command/exec/write, command/exec/resize, command/exec/terminate → ExecService.
// Sessions belong to the calling connection, so every call passes the connection's ClientSink.
import type { ExecService } from "../../core/exec/execService.js";
import type { ClientRequestTable, Handler } from "../handlerMap.js";

type Handlers = {
  "command/exec": Handler<ClientRequestTable["command/exec"]>;
  "command/exec/write": Handler<ClientRequestTable["command/exec/write"]>;
  "command/exec/resize": Handler<ClientRequestTable["command/exec/resize"]>;
  "command/exec/terminate": Handler<ClientRequestTable["command/exec/terminate"]>;
};

export function commandExecHandlers(exec: ExecService): Handlers {
  return {
    "command/exec": (params, ctx) => exec.exec(ctx.client, params),
    "command/exec/write": (params, ctx) => exec.write(ctx.client, params),
    "command/exec/resize": (params, ctx) => exec.resize(ctx.client, params),
    "command/exec/terminate": (params, ctx) => exec.terminate(ctx.client, params),
  };
}
