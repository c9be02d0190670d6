// One HTTP POST whose answer is read as it arrives: what the model clients send a sampling request
// with (SseTransport in responsesClient.ts).
//
// Why node:http and not fetch: Node's fetch is undici, which Node loads and compiles on first use.
// That cost ~25 ms of CPU inside every daemon's first turn, and every body chunk then went through
// web streams. node:http is part of Node's startup snapshot, and its body is a plain Readable.
// What fetch did that this keeps: a content-length body, abort by signal at any stage, redirects
// not followed (a provider that redirects a POST is misconfigured either way), no environment proxy.
// What it does not do: it sends no `accept-encoding`, so the body comes back uncompressed; 0.169's
// client does not ask for it either (observed: its model requests carry no accept-encoding).
import { request as httpRequest, type ClientRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";

/** The one thing read from answer headers: a value by case-insensitive name (fetch's Headers has it too). */
export interface HeaderLookup {
  get(name: string): string | null;
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: HeaderLookup;
  /** The body's chunks. `next()` rejects when the connection fails mid-body or the signal aborts. */
  readonly body: AsyncIterator<Uint8Array, undefined>;
  /** The whole body as text, for error answers. */
  text(): Promise<string>;
}

/**
 * A request body: one string, or pieces sent one after the other as if joined. Pieces let a caller
 * serialise a large body part by part (responsesClient.ts: one piece per history item), so that no
 * string of the whole body has to exist. Each piece must be well-formed on its own (no surrogate pair
 * split between two pieces), as every JSON.stringify result is.
 */
export type HttpBody = string | readonly string[];

/**
 * JSON.stringify(body) as pieces that join to exactly it: the keys before `arrayKey`, then each of
 * that array's elements, then the rest. A model request's array is the thread's whole history, so one
 * string of the body grows with every turn and, past V8's regular object size, gets a mapping of its
 * own that lives until the next full GC; each piece is one element's size. `body[arrayKey]` must be
 * an array.
 */
export function jsonPieces(body: Readonly<Record<string, unknown>>, arrayKey: string): string[] {
  const head: Record<string, unknown> = {};
  const tail: Record<string, unknown> = {};
  let part = head;
  let array: readonly unknown[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (key === arrayKey) {
      array = value as readonly unknown[];
      part = tail;
    } else part[key] = value;
  }
  const headJson = JSON.stringify(head);
  const pieces = [`${headJson.slice(0, -1)}${headJson.length > 2 ? "," : ""}${JSON.stringify(arrayKey)}:[`];
  array.forEach((element, i) => {
    // In an array, what JSON cannot hold (undefined, a function) is written as null.
    const json = (JSON.stringify(element) as string | undefined) ?? "null";
    pieces.push(i === 0 ? json : `,${json}`);
  });
  const tailJson = JSON.stringify(tail);
  pieces.push(tailJson.length > 2 ? `],${tailJson.slice(1)}` : "]}");
  return pieces;
}

/** Sends `body` to `url`; resolves once the answer's status and headers are in. */
export type HttpPost = (url: string, headers: Readonly<Record<string, string>>, body: HttpBody, signal: AbortSignal) => Promise<HttpAnswer>;

class AnswerHeaders implements HeaderLookup {
  constructor(private readonly raw: IncomingMessage["headers"]) {}

  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(", ") : value;
  }
}

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}

function answerOf(res: IncomingMessage): HttpAnswer {
  const body = res[Symbol.asyncIterator]() as AsyncIterator<Buffer, undefined>;
  return {
    status: res.statusCode ?? 0,
    headers: new AnswerHeaders(res.headers),
    body,
    async text() {
      const chunks: Buffer[] = [];
      for (let next = await body.next(); !next.done; next = await body.next()) chunks.push(next.value);
      return Buffer.concat(chunks).toString("utf8");
    },
  };
}

/**
 * The body goes out in slices of at most this many UTF-16 units (≤ 48 KiB of UTF-8 each) rather than
 * as one Buffer of the whole body. A model request carries the thread's whole history, so it grows a
 * little with every turn; one malloc'd buffer of a slightly larger size per request is glibc's worst
 * case (each is carved from fresh heap, the freed ones are too small for the next, and glibc's raised
 * mmap threshold keeps them off mmap). In the bench's soak case that held ~13 MB more resident over
 * turns 100-600 (the main arena alone 4 → 9.5 MB); in slices the main arena grew < 1 MB.
 */
const BODY_CHUNK = 16 * 1024;

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

export const httpPost: HttpPost = (url, headers, body, signal) =>
  new Promise<HttpAnswer>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const target = new URL(url);
    const send = target.protocol === "https:" ? httpsRequest : target.protocol === "http:" ? httpRequest : null;
    if (!send) return reject(new Error(`cannot POST to ${url}: only http and https URLs are supported`));
    const pieces = typeof body === "string" ? [body] : body;
    let length = 0;
    for (const piece of pieces) length += Buffer.byteLength(piece, "utf8");
    let req: ClientRequest;
    let res: IncomingMessage | undefined;
    const onAbort = () => {
      const reason = asError(signal.reason);
      // Before the answer this rejects the promise; after it, the body's next() rejects with it.
      if (res && !res.complete) res.destroy(reason);
      if (!res || !res.complete) req.destroy(reason);
    };
    const release = () => signal.removeEventListener("abort", onAbort);
    try {
      req = send(target, { method: "POST", headers: { ...headers, "content-length": String(length) } });
    } catch (e) {
      return reject(e);
    }
    signal.addEventListener("abort", onAbort, { once: true });
    req.once("error", (e) => {
      release();
      reject(e);
    });
    req.once("response", (answer) => {
      res = answer;
      // A failure nobody reads the body for must not become an uncaught 'error'; a reader gets it from next().
      answer.on("error", () => {});
      answer.once("close", release);
      resolve(answerOf(answer));
    });
    writeBody(req, pieces);
    req.end();
  });

/** Writes the pieces in slices of at most BODY_CHUNK units: small pieces joined, large ones cut. */
function writeBody(req: ClientRequest, pieces: readonly string[]): void {
  let pending = "";
  for (const piece of pieces) {
    if (pending.length + piece.length <= BODY_CHUNK) {
      pending += piece;
      continue;
    }
    if (pending !== "") req.write(pending, "utf8");
    pending = "";
    if (piece.length <= BODY_CHUNK) {
      pending = piece;
      continue;
    }
    for (let at = 0; at < piece.length;) {
      let end = Math.min(piece.length, at + BODY_CHUNK);
      // Never split a surrogate pair: each half alone would be encoded as U+FFFD.
      if (end < piece.length && isHighSurrogate(piece.charCodeAt(end - 1))) end -= 1;
      req.write(piece.slice(at, end), "utf8");
      at = end;
    }
  }
  if (pending !== "") req.write(pending, "utf8");
}
