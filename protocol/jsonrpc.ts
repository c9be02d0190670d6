// The lite JSON-RPC envelopes of the app-server wire: JSON-RPC 2.0 without the "jsonrpc" member.
// classify() decides what an incoming value is before anything else looks at it, so that a message
// that is neither a request, a response nor a notification gets -32600 instead of being dropped.
export type RequestId = string | number;

export interface RequestMessage {
  id: RequestId;
  method: string;
  params?: unknown;
}
export interface NotificationMessage {
  method: string;
  params?: unknown;
}
export interface ResponseMessage {
  id: RequestId | null;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}
export type WireMessage = RequestMessage | NotificationMessage | ResponseMessage;

export type Classified =
  | { kind: "request"; message: RequestMessage }
  | { kind: "notification"; message: NotificationMessage }
  | { kind: "response"; message: ResponseMessage }
  | { kind: "invalid"; id: RequestId | null; reason: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A usable id: a string, or an integer within the safe range (what a client can match on). */
export function isRequestId(v: unknown): v is RequestId {
  return (typeof v === "string" && v.length <= 4096) || (typeof v === "number" && Number.isSafeInteger(v));
}

export function classify(value: unknown): Classified {
  if (!isObject(value)) {
    return { kind: "invalid", id: null, reason: Array.isArray(value) ? "batches are not supported" : "a message must be a JSON object" };
  }
  const hasId = "id" in value;
  const id = value["id"];
  const usableId = isRequestId(id) ? id : null;
  if ("method" in value) {
    if (typeof value["method"] !== "string") return { kind: "invalid", id: usableId, reason: "method must be a string" };
    const params = value["params"];
    if (params !== undefined && params !== null && typeof params !== "object") {
      return { kind: "invalid", id: usableId, reason: "params must be an object or an array" };
    }
    if (!hasId) return { kind: "notification", message: { method: value["method"], params } };
    if (!isRequestId(id)) return { kind: "invalid", id: null, reason: "id must be a string or an integer" };
    return { kind: "request", message: { id, method: value["method"], params } };
  }
  if (hasId && ("result" in value || "error" in value)) {
    if (id !== null && !isRequestId(id)) return { kind: "invalid", id: null, reason: "id must be a string or an integer" };
    if ("error" in value) {
      const err = value["error"];
      if (!isObject(err) || typeof err["code"] !== "number" || typeof err["message"] !== "string") {
        return { kind: "invalid", id: usableId, reason: "error must have a numeric code and a string message" };
      }
    }
    return { kind: "response", message: value as unknown as ResponseMessage };
  }
  return { kind: "invalid", id: usableId, reason: "not a request, response or notification" };
}
