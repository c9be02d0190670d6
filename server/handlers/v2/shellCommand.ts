// thread/shellCommand → a user shell task on the thread (core/engine/userShell.ts). The response is `{}`
// as soon as the task is queued; the command's turn and item follow as notifications.
import { RpcError } from "../../../protocol/errors.js";
import type { ThreadManager } from "../../core/threads/threadManager.js";
import type { ClientRequestTable, Handler } from "../handlerMap.js";

type Handlers = { "thread/shellCommand": Handler<ClientRequestTable["thread/shellCommand"]> };

export function shellCommandHandlers(threads: ThreadManager): Handlers {
  return {
    "thread/shellCommand": async (params, ctx) => {
      // 0.169's wording for both checks.
      if (params.command.trim() === "") throw RpcError.invalidRequest("command must not be empty");
      const timeoutMs = params.timeoutMs ?? null;
      if (timeoutMs !== null && timeoutMs < 0) throw RpcError.invalidRequest("timeoutMs must be non-negative");
      // Imported here, not at the top: handler modules stay out of start-up's import graph (handlers/lazy.ts).
      const { runUserShellCommand } = await import("../../core/engine/userShell.js");
      await threads.queueTask(params.threadId, ctx.client, (host) => runUserShellCommand(host, params.command, timeoutMs));
      return {};
    },
  };
}
