// The one place where errors become wire errors (architecture.md §10). Domain errors carry what a
// client can act on; anything unexpected becomes -32603 without a stack trace.
import { ResponseError } from "vscode-jsonrpc/node";
import { RpcError, RpcErrorCode } from "../../protocol/errors.js";
import { CatalogError } from "../core/catalog/pagination.js";
import { ConfigWriteError } from "../core/config/errors.js";
import type { Logger } from "../log.js";

/** Domain errors that know their own wire form implement this (e.g. SandboxUnavailableError). */
export interface WireMappable {
  toRpcError(): RpcError;
}

function isWireMappable(e: unknown): e is WireMappable {
  return typeof (e as WireMappable | null)?.toRpcError === "function";
}

export function toRpcError(error: unknown, log?: Logger): RpcError {
  if (error instanceof RpcError) return error;
  if (error instanceof ResponseError) return new RpcError(error.code, error.message, error.data);
  if (isWireMappable(error)) return error.toRpcError();
  // 0.169 answers both families as -32600; an unreadable config.toml as -32603, as it does.
  if (error instanceof ConfigWriteError) {
    if (error.code === "configUnreadable") return new RpcError(RpcErrorCode.InternalError, error.message);
    return RpcError.invalidRequest(error.message, { config_write_error_code: error.code });
  }
  if (error instanceof CatalogError) return RpcError.invalidRequest(error.message, error.data);
  log?.error({ err: error }, "internal error while handling a request");
  return new RpcError(RpcErrorCode.InternalError, error instanceof Error ? `Internal error: ${error.message}` : "Internal error");
}

export function toResponseError(error: unknown, log?: Logger): ResponseError<unknown> {
  const e = toRpcError(error, log);
  return new ResponseError(e.code, e.message, e.data);
}
