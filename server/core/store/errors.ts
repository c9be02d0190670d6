// Store errors carry their own wire form (rpc/toRpcError.ts maps anything with toRpcError()).
// Codes and texts as 0.169 answers them [obs]:
//   thread/resume, archive, name/set of an unknown id → -32600 "no rollout found for thread id <id>"
//   thread/unarchive of an unknown id                 → -32600 "no archived rollout found for thread id <id>"
//   an empty / garbage rollout                        → -32603 "failed to read thread: thread-store internal
//       error: failed to read session metadata <path>: rollout at <path> is empty"
//   a second writer on one thread                     → -32600 "thread <id> already has an active writer"
//   thread/list with a bad cursor                     → -32600 "invalid cursor: <cursor>"
//   thread/name/set with a blank name                 → -32600 "thread name must not be empty"
// Our messages keep the reference's leading words and always name the path when one is known.
import { RpcError, RpcErrorCode } from "../../../protocol/errors.js";

export class RolloutNotFoundError extends Error {
  constructor(
    readonly threadId: string | null,
    readonly path: string | null = null,
    readonly archived = false,
  ) {
    const what = archived ? "no archived rollout found" : "no rollout found";
    super(threadId !== null ? `${what} for thread id ${threadId}${path ? ` at ${path}` : ""}` : `${what} at ${path ?? "<unknown path>"}`);
    this.name = "RolloutNotFoundError";
  }

  toRpcError(): RpcError {
    return RpcError.invalidRequest(this.message, this.path ? { path: this.path } : undefined);
  }
}

export class RolloutUnreadableError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`failed to read thread: failed to read rollout ${path}: ${reason}`);
    this.name = "RolloutUnreadableError";
  }

  toRpcError(): RpcError {
    return new RpcError(RpcErrorCode.InternalError, this.message, { path: this.path });
  }
}

export class RolloutWriterBusyError extends Error {
  constructor(readonly path: string) {
    super(`rollout ${path} already has an active writer`);
    this.name = "RolloutWriterBusyError";
  }

  toRpcError(): RpcError {
    return RpcError.invalidRequest(this.message, { path: this.path });
  }
}

/**
 * A rollout write failed (its lines are not in the file and are not retried) or the writer is closed.
 * Later appends are tried as usual: rolloutWriter.ts keeps the file on a line boundary.
 */
export class RolloutWriteError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`failed to write rollout ${path}: ${reason}`);
    this.name = "RolloutWriteError";
  }

  toRpcError(): RpcError {
    return new RpcError(RpcErrorCode.InternalError, this.message, { path: this.path });
  }
}

export class ThreadStoreRequestError extends Error {
  constructor(
    readonly code: "invalidCursor" | "emptyThreadName" | "alreadyArchived" | "notArchived",
    message: string,
  ) {
    super(message);
    this.name = "ThreadStoreRequestError";
  }

  toRpcError(): RpcError {
    return RpcError.invalidRequest(this.message);
  }
}
