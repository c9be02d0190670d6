// execOneOffCommand (0.80) → ExecService, as command/exec: the same launcher, environment, output cap
// and default timeout (10 s, 0.80's too), buffered output. Without sandboxPolicy the daemon's
// configured policy applies, as in 0.80; the v1 policy is read by the same code as a v2 one.
// Differences from 0.80: a timed-out command answers exit code 124 with a note on stderr (0.80
// answered an "exec failed" error), and cwd must be absolute.
import type { ExecService } from "../../core/exec/execService.js";
import type { ClientRequestTable, Handler } from "../handlerMap.js";

type Handlers = { execOneOffCommand: Handler<ClientRequestTable["execOneOffCommand"]> };

export function oneOffCommandHandlers(exec: ExecService): Handlers {
  return {
    execOneOffCommand: async (params, ctx) => {
      const { sandboxPolicyFromV1 } = await import("../../core/commandSetup/v1Wire.js");
      return exec.exec(ctx.client, {
        command: params.command,
        cwd: params.cwd ?? null,
        timeoutMs: params.timeoutMs ?? null,
        sandboxPolicy: params.sandboxPolicy ? sandboxPolicyFromV1(params.sandboxPolicy) : null,
      });
    },
  };
}
