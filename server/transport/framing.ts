// Framing primitives shared by every transport: one JSON value per line or per text frame.
//
// Invariants:
// - decodeFrame never throws. Whatever the bytes were, the caller gets a value or a reason, so a bad line
//   becomes one -32700 answer (rpc layer) and the reader keeps going (the reference drops such lines).
// - decodeFrame does not check the message shape; the rpc layer classifies requests, responses and
//   notifications and answers -32600 for anything else (JSON-RPC 2.0's code).
// - A leading U+FEFF is not JSON whitespace and is refused, in lines and frames alike, rather than
//   silently stripped in one transport and not another.
// - Invalid UTF-8 is a parse failure, never U+FFFD substitution: a lossy decode would hand the handlers
//   text the client never sent. The reference ends the session on invalid UTF-8; we answer and go on.
// - encodeMessage drops the top-level "jsonrpc" member only: the wire omits it (Codex jsonrpc_lite.rs),
//   while nested payloads may legitimately carry a field of that name.
import type { MessageReader, MessageWriter } from "vscode-jsonrpc";

export const PARSE_ERROR_CODE = -32700;

export class FrameParseError extends Error {
  readonly code = PARSE_ERROR_CODE;

  constructor(reason: string) {
    super(reason);
    this.name = "FrameParseError";
  }
}

export type DecodeResult = { ok: true; value: unknown } | { ok: false; error: string };

export function decodeFrame(text: string): DecodeResult {
  if (text.charCodeAt(0) === 0xfeff) {
    return { ok: false, error: "byte order mark (U+FEFF) before the JSON value is not allowed" };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

export function decodeUtf8(bytes: Uint8Array): { ok: true; text: string } | { ok: false; error: string } {
  try {
    return { ok: true, text: strictUtf8.decode(bytes) };
  } catch {
    return { ok: false, error: "invalid UTF-8" };
  }
}

/** One frame's bytes (a line, a text frame) to a JSON value; `unit` names it in the UTF-8 error. */
export function decodeBytes(bytes: Uint8Array, unit: string): DecodeResult {
  const text = decodeUtf8(bytes);
  if (!text.ok) return { ok: false, error: `${text.error} in ${unit}` };
  return decodeFrame(text.text);
}

export function encodeMessage(msg: object): string {
  let body: object = msg;
  if (Object.prototype.hasOwnProperty.call(msg, "jsonrpc")) {
    const { jsonrpc: _jsonrpc, ...rest } = msg as Record<string, unknown>;
    body = rest;
  }
  const text: unknown = JSON.stringify(body);
  if (typeof text !== "string") {
    throw new TypeError("message did not serialize to JSON text");
  }
  return text;
}

/** What every listening transport hands to the rpc layer for one client. */
export interface TransportConnection {
  readonly reader: MessageReader;
  readonly writer: MessageWriter;
  /** Human-readable peer description for logs, e.g. "127.0.0.1:53122" or "unix:/path/app-server.sock#3". */
  readonly remote: string;
  /** Ends the connection from the server side; idempotent. */
  close(): void;
}
