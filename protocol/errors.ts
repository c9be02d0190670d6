// Wire errors, defined once. Codes follow JSON-RPC 2.0 (a deliberate difference from the reference,
// which answers -32600 for unknown methods and bad params alike).
export const RpcErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  ServerOverloaded: -32001,
  RequestCancelled: -32800,
} as const;
export type RpcErrorCode = (typeof RpcErrorCode)[keyof typeof RpcErrorCode];

export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = "RpcError";
  }

  static parseError(reason: string): RpcError {
    return new RpcError(RpcErrorCode.ParseError, `Parse error: ${reason}`);
  }
  static invalidRequest(message: string, data?: unknown): RpcError {
    return new RpcError(RpcErrorCode.InvalidRequest, message, data);
  }
  static methodNotFound(method: string): RpcError {
    return new RpcError(RpcErrorCode.MethodNotFound, `Method not found: ${method}`);
  }
  static notImplemented(method: string): RpcError {
    return new RpcError(RpcErrorCode.MethodNotFound, `not implemented yet: ${method}`);
  }
  static invalidParams(message: string, data?: unknown): RpcError {
    return new RpcError(RpcErrorCode.InvalidParams, message, data);
  }
  /** -32602 with the zod issues in `data`. */
  static fromZodError(error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> }): RpcError {
    const summary = error.issues
      .slice(0, 5)
      .map((i) => `${i.path.length ? i.path.map(String).join(".") : "params"}: ${i.message}`)
      .join("; ");
    return RpcError.invalidParams(`Invalid params: ${summary}`, error.issues);
  }
  static internal(message = "Internal error"): RpcError {
    return new RpcError(RpcErrorCode.InternalError, message);
  }
  static overloaded(): RpcError {
    return new RpcError(RpcErrorCode.ServerOverloaded, "Server overloaded; retry later.");
  }
  /** The same code as overloaded (retry, elsewhere or later): the daemon has begun to shut down. */
  static shuttingDown(): RpcError {
    return new RpcError(RpcErrorCode.ServerOverloaded, "the server is shutting down; reconnect to it (or its replacement) and retry");
  }

  toJSON(): { code: number; message: string; data?: unknown } {
    return this.data === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, data: this.data };
  }
}
