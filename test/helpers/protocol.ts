// What the e2e helpers know of the wire, taken from the protocol's method tables (v2 merged with the
// legacy v1 table, as the typed client merges them): by method, a request's params and result, and a
// notification's or server request's params. A test then reads what the table says the daemon sends
// instead of casting, so reading a field the protocol does not have is a compile error.
// The daemon's messages arrive as plain JSON; the guards below trust the method name for the shape
// (wire-check against the reference schema is what holds the daemon to it).
import type {
  ClientRequestMethod,
  RequestParams,
  RequestResult,
  ServerNotificationMethod,
  ServerNotificationParams,
  ServerRequestMethod,
  ServerRequestParams,
  ServerRequestResult,
} from "../../clients/typescript/client.js";
import type { RequestId } from "../../protocol/jsonrpc.js";
import type { Thread } from "../../protocol/v2/thread.js";
import type { ThreadItem, Turn } from "../../protocol/v2/shared.js";

export type { RequestId, ServerNotificationMethod, ServerRequestMethod, ServerRequestParams, ServerRequestResult, Thread, ThreadItem, Turn };

export type Json = Record<string, unknown>;

export type Method = ClientRequestMethod;
/** What a test sends: the params before the daemon applies its defaults. */
export type Params<M extends Method> = RequestParams<M>;
export type Result<M extends Method> = RequestResult<M>;
/** Params may be left out exactly when the table allows it (methods without params). */
export type ParamsArg<M extends Method> = undefined extends Params<M> ? [params?: Params<M>] : [params: Params<M>];

export interface RpcErrorBody {
  code: number;
  message: string;
  data?: unknown;
}

/** A thread's approval policy: a name or the granular object. */
export type ApprovalPolicy = NonNullable<Params<"thread/start">["approvalPolicy"]>;
/** The policies config.toml can name (the granular object is only the thread's). */
export type NamedApprovalPolicy = ApprovalPolicy & string;

/** A whole response: `result` or `error`; checking either one narrows to its side. */
export type Response<M extends Method> =
  { id: RequestId; result: Result<M>; error?: undefined } | { id: RequestId | null; error: RpcErrorBody; result?: undefined };

export type Notification<M extends ServerNotificationMethod> = { method: M; params: ServerNotificationParams<M> };
export type NotificationParams<M extends ServerNotificationMethod> = ServerNotificationParams<M>;
export type ServerRequest<M extends ServerRequestMethod> = { id: RequestId; method: M; params: ServerRequestParams<M> };

export function isResponse(m: Json, id: unknown): boolean {
  return m["id"] === id && !("method" in m) && ("result" in m || "error" in m);
}

/** Reads a response message as the response to `method`. */
export function asResponse<M extends Method>(_method: M, m: Json): Response<M> {
  return m as Response<M>;
}

/** The result of a response that must be a success; throws with the error otherwise. */
export function resultOf<M extends Method>(method: M, r: Response<M>): Result<M> {
  if (r.error !== undefined) throw new Error(`${method} failed: ${JSON.stringify(r.error)}`);
  return r.result;
}

/** The result of a response that must be a success; throws with the response otherwise. */
export function ok<M extends Method>(r: Response<M>): Result<M> {
  if (r.error !== undefined) throw new Error(`expected a result, got ${JSON.stringify(r)}`);
  return r.result;
}

/** The error of a response that must be a failure; throws with the response otherwise. */
export function errorOf<M extends Method>(r: Response<M>): RpcErrorBody {
  if (r.error === undefined) throw new Error(`expected an error, got ${JSON.stringify(r)}`);
  return r.error;
}

/** Matches a notification (no id) with this method whose params pass `where`. */
export function isNotification<M extends ServerNotificationMethod>(
  method: M,
  where?: (params: NotificationParams<M>) => boolean,
): (m: Json) => m is Notification<M> {
  return (m): m is Notification<M> => m["method"] === method && !("id" in m) && (where === undefined || where(m["params"] as NotificationParams<M>));
}

/** Matches a server request (with an id) with this method whose params pass `where`. */
export function isServerRequest<M extends ServerRequestMethod>(
  method: M,
  where?: (params: ServerRequestParams<M>) => boolean,
): (m: Json) => m is ServerRequest<M> {
  return (m): m is ServerRequest<M> => m["method"] === method && "id" in m && (where === undefined || where(m["params"] as ServerRequestParams<M>));
}

export type ItemType = ThreadItem["type"];
export type Item<T extends ItemType = ItemType> = Extract<ThreadItem, { type: T }>;

export const isItem =
  <T extends ItemType>(type: T) =>
  (item: ThreadItem): item is Item<T> =>
    item.type === type;

/** An item's status, for the item types that have one. */
export const statusOf = (item: ThreadItem): string | undefined => ("status" in item ? item.status : undefined);

/** The item as its type's variant; throws (failing the test) when it is another type. */
export function itemAs<T extends ItemType>(item: ThreadItem, type: T): Item<T> {
  if (!isItem(type)(item)) throw new Error(`expected a ${type} item, got ${JSON.stringify(item)}`);
  return item;
}
