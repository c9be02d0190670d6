// The one place where errors become wire errors. Core throws DomainErrors that say what went wrong
// (core/errors.ts); the table below says what each kind is on the wire. Dispatch and handlers may
// throw RpcError themselves (unknown method, bad params, their own checks). Anything else is a bug:
// it becomes -32603 without a stack trace, and is logged.
import { ResponseError } from "vscode-jsonrpc/node";
import { RpcError, RpcErrorCode } from "../../protocol/errors.js";
import { DomainError, type DomainErrorKind } from "../core/errors.js";
import type { Logger } from "../log.js";

export interface WireForm {
  readonly code: RpcErrorCode;
  /** Put before the domain message. */
  readonly messagePrefix?: string;
}

/**
 * Codes as 0.169 answers the same failures: whatever it refuses on the request's merits is -32600,
 * params that contradict each other -32602, and failures of the machine (I/O, no sandbox) -32603.
 */
export const DOMAIN_ERROR_WIRE: { readonly [K in DomainErrorKind]: WireForm } = {
  invalidInput: { code: RpcErrorCode.InvalidRequest },
  notFound: { code: RpcErrorCode.InvalidRequest },
  conflict: { code: RpcErrorCode.InvalidRequest },
  invalidParams: { code: RpcErrorCode.InvalidParams },
  // serde's failure to read a param, which 0.169 reports with this prefix.
  malformedParams: { code: RpcErrorCode.InvalidRequest, messagePrefix: "Invalid request: " },
  unavailable: { code: RpcErrorCode.InternalError },
  failed: { code: RpcErrorCode.InternalError },
};

export function toRpcError(error: unknown, log?: Logger): RpcError {
  if (error instanceof RpcError) return error;
  if (error instanceof ResponseError) return new RpcError(error.code, error.message, error.data);
  if (error instanceof DomainError) {
    const wire = DOMAIN_ERROR_WIRE[error.kind];
    return new RpcError(wire.code, `${wire.messagePrefix ?? ""}${error.message}`, error.data);
  }
  log?.error({ err: error }, "internal error while handling a request");
  return new RpcError(RpcErrorCode.InternalError, error instanceof Error ? `Internal error: ${error.message}` : "Internal error");
}

export function toResponseError(error: unknown, log?: Logger): ResponseError<unknown> {
  const e = toRpcError(error, log);
  return new ResponseError(e.code, e.message, e.data);
}
