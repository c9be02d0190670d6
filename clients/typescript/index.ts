// Public entry of the typed client (bundled as `gatehouse/client`): the client, its transports, and the
// wire error type, so that callers need no import from protocol/ to catch an RpcError.
export { GatehouseClient, ConnectionClosedError, ResultValidationError, clientTable } from "./client.js";
export type {
  ClientNotificationMethod,
  ClientNotificationParams,
  ClientOptions,
  ClientRequestMethod,
  ClientTransport,
  RequestOptions,
  RequestParams,
  RequestResult,
  ServerNotificationMethod,
  ServerNotificationParams,
  ServerRequestContext,
  ServerRequestMethod,
  ServerRequestParams,
  ServerRequestResult,
  TrafficDirection,
  TrafficRecord,
  TransportEvents,
} from "./client.js";
export { StdioTransport, connectStdio } from "./stdioTransport.js";
export type { ExitInfo, StdioOptions } from "./stdioTransport.js";
export { WebSocketTransport, connectWebSocket } from "./webSocketTransport.js";
export type { WebSocketOptions } from "./webSocketTransport.js";
export { SocketLineTransport, connectUnixSocket } from "./unixSocketTransport.js";
export type { UnixSocketOptions } from "./unixSocketTransport.js";
export { RpcError, RpcErrorCode } from "../../protocol/errors.js";
export type { NotificationMessage, RequestId, RequestMessage, ResponseMessage, WireMessage } from "../../protocol/jsonrpc.js";
