// Store errors; rpc/toRpcError.ts maps their kinds to the codes 0.169 answers them with [obs]:
//   thread/resume, archive, name/set of an unknown id → -32600 "no rollout found for thread id <id>"
//   thread/unarchive of an unknown id                 → -32600 "no archived rollout found for thread id <id>"
//   an empty / garbage rollout                        → -32603 "failed to read thread: thread-store internal
//       error: failed to read session metadata <path>: rollout at <path> is empty"
//   a second writer on one thread                     → -32600 "thread <id> already has an active writer"
//   thread/list with a bad cursor                     → -32600 "invalid cursor: <cursor>"
//   thread/name/set with a blank name                 → -32600 "thread name must not be empty"
// Our messages keep the reference's leading words and always name the path when one is known.
import { ConflictError, InvalidInputError, NotFoundError, OperationFailedError } from "../errors.js";

export class RolloutNotFoundError extends NotFoundError {
  override readonly name = "RolloutNotFoundError";

  constructor(
    readonly threadId: string | null,
    readonly path: string | null = null,
    readonly archived = false,
  ) {
    const what = archived ? "no archived rollout found" : "no rollout found";
    super(
      threadId !== null ? `${what} for thread id ${threadId}${path ? ` at ${path}` : ""}` : `${what} at ${path ?? "<unknown path>"}`,
      path ? { path } : undefined,
    );
  }
}

export class RolloutUnreadableError extends OperationFailedError {
  override readonly name = "RolloutUnreadableError";

  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`failed to read thread: failed to read rollout ${path}: ${reason}`, { path });
  }
}

export class RolloutWriterBusyError extends ConflictError {
  override readonly name = "RolloutWriterBusyError";

  constructor(readonly path: string) {
    super(`rollout ${path} already has an active writer`, { path });
  }
}

/**
 * A rollout write failed (its lines are not in the file and are not retried) or the writer is closed.
 * Later appends are tried as usual: rolloutWriter.ts keeps the file on a line boundary.
 */
export class RolloutWriteError extends OperationFailedError {
  override readonly name = "RolloutWriteError";

  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`failed to write rollout ${path}: ${reason}`, { path });
  }
}

export class ThreadStoreRequestError extends InvalidInputError {
  override readonly name = "ThreadStoreRequestError";

  constructor(
    readonly code: "invalidCursor" | "emptyThreadName" | "alreadyArchived" | "notArchived",
    message: string,
  ) {
    super(message);
  }
}
