// Core's failures say what went wrong, not how a client hears it: core never imports the wire, and
// server/rpc/toRpcError.ts alone turns a kind into a JSON-RPC code. `message` is written for a person
// and goes out as the error's message unchanged; `data`, when present, is the structured payload a
// client may branch on ({path}, 0.169's config_write_error_code, …) and goes out as the error's data.
//
// A specialised error either extends the class of its kind or, when its cases differ in kind (an fs
// call that the OS refused versus one refused on its merits), extends DomainError and says its kind
// per instance. toRpcError reads `kind` only, never the class.

export type DomainErrorKind =
  /** The request cannot be served as asked: a bad value, a cursor that does not parse, an empty name. */
  | "invalidInput"
  /** The params contradict each other or are out of range (timeoutMs and disableTimeout both set). */
  | "invalidParams"
  /** A param value 0.169 refuses while reading the params, before it looks at the request. */
  | "malformedParams"
  /** What the request names does not exist (thread, turn, rollout, config layer). */
  | "notFound"
  /** The request is fine but the state is in the way (a running turn, another writer, a newer version). */
  | "conflict"
  /** Nothing was run because something the daemon depends on is missing (bwrap, user namespaces). */
  | "unavailable"
  /** The request was valid but reading or writing the daemon's or the user's files failed. */
  | "failed";

/** Wire-ready payload: JSON values only, sent as the error's `data`. */
export type DomainErrorData = Readonly<Record<string, unknown>>;

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;

  constructor(
    message: string,
    readonly data?: DomainErrorData,
  ) {
    super(message);
  }
}

export class InvalidInputError extends DomainError {
  override readonly name: string = "InvalidInputError";
  readonly kind = "invalidInput";
}

/** Params that are well-formed but unusable as given (a relative path where an absolute one is needed). */
export class InvalidParamsError extends DomainError {
  override readonly name: string = "InvalidParamsError";
  readonly kind = "invalidParams";
}

export class NotFoundError extends DomainError {
  override readonly name: string = "NotFoundError";
  readonly kind = "notFound";
}

export class ConflictError extends DomainError {
  override readonly name: string = "ConflictError";
  readonly kind = "conflict";
}

export class UnavailableError extends DomainError {
  override readonly name: string = "UnavailableError";
  readonly kind = "unavailable";
}

export class OperationFailedError extends DomainError {
  override readonly name: string = "OperationFailedError";
  readonly kind = "failed";
}
