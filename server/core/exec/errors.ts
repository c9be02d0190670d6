// command/exec's domain errors (their wire form is rpc/toRpcError.ts's).
// Messages keep the reference's wording where it has one, so clients matching on it keep working,
// and add what the reference leaves out (which id, which flag to set).
import type { SandboxUnavailableError } from "../../sandbox/errors.js";
import { DomainError, UnavailableError } from "../errors.js";

/** A request that cannot be served as asked; nothing was started. */
export class ExecRequestError extends DomainError {
  override readonly name = "ExecRequestError";

  constructor(
    message: string,
    /** "invalidParams" for contradictory or out-of-range params, "invalidInput" for state errors (as 0.169 tells them apart). */
    readonly kind: "invalidInput" | "invalidParams" = "invalidInput",
  ) {
    super(message);
  }
}

/**
 * The sandbox cannot confine this command (no bwrap, no user namespaces, a path it cannot enforce…);
 * the command was NOT run. The wire error carries the reason and the remedy as data.
 */
export class ExecSandboxUnavailableError extends UnavailableError {
  override readonly name = "ExecSandboxUnavailableError";

  constructor(readonly unavailable: SandboxUnavailableError) {
    super(unavailable.message, { sandboxUnavailable: { code: unavailable.code, reason: unavailable.reason, remedy: unavailable.remedy } });
  }
}
