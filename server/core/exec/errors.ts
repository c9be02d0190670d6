// command/exec's domain errors and their wire form (read by rpc/toRpcError.ts through WireMappable).
// Messages keep the reference's wording where it has one, so clients matching on it keep working,
// and add what the reference leaves out (which id, which flag to set).
import { RpcError, RpcErrorCode } from "../../../protocol/errors.js";
import type { SandboxUnavailableError } from "../../sandbox/errors.js";

/** A request that cannot be served as asked; nothing was started. */
export class ExecRequestError extends Error {
  override readonly name = "ExecRequestError";

  constructor(
    message: string,
    /** -32602 for contradictory or out-of-range params, -32600 for state errors (as 0.169). */
    readonly wireCode: typeof RpcErrorCode.InvalidRequest | typeof RpcErrorCode.InvalidParams = RpcErrorCode.InvalidRequest,
  ) {
    super(message);
  }

  toRpcError(): RpcError {
    return new RpcError(this.wireCode, this.message);
  }
}

/**
 * The sandbox cannot confine this command (no bwrap, no user namespaces, a path it cannot enforce…);
 * the command was NOT run. The wire error carries the reason and the remedy as data.
 */
export class ExecSandboxUnavailableError extends Error {
  override readonly name = "ExecSandboxUnavailableError";

  constructor(readonly unavailable: SandboxUnavailableError) {
    super(unavailable.message);
  }

  toRpcError(): RpcError {
    return new RpcError(RpcErrorCode.InternalError, this.message, {
      sandboxUnavailable: { code: this.unavailable.code, reason: this.unavailable.reason, remedy: this.unavailable.remedy },
    });
  }
}
