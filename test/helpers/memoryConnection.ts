// A real RpcConnection on in-memory streams (line-delimited JSON over two PassThroughs), for the
// connection core's unit tests (vscode-jsonrpc's node/test/connection.test.ts is
// the model). The tests write raw lines and read back every message the server wrote, so they see
// the wire exactly as a client would. It lives under test/ because it joins transport and rpc, which
// the layers keep apart in server/.
import { PassThrough } from "node:stream";
import type { Session } from "../../server/core/ports.js";
import type { Dispatcher } from "../../server/dispatch/dispatcher.js";
import { createLogger } from "../../server/log.js";
import { RpcConnection } from "../../server/rpc/connection.js";
import { JsonLineMessageReader } from "../../server/transport/jsonLineReader.js";
import { JsonLineMessageWriter } from "../../server/transport/jsonLineWriter.js";

export type Json = Record<string, unknown>;

export interface MemoryConnectionOptions {
  dispatcher: Pick<Dispatcher, "handleRequest" | "initialized">;
  maxInFlight?: number;
  transport?: Session["transport"];
}

export interface MemoryConnection {
  readonly conn: RpcConnection;
  /** Every message the server wrote, in order. */
  readonly out: Json[];
  /** Writes one message as a line. */
  send(message: unknown): void;
  /** Writes raw text (for lines that do not parse). */
  sendRaw(text: string): void;
  /** Resolves with the first written message that matches, now or later. */
  waitFor(match: (m: Json) => boolean): Promise<Json>;
  /** Resolves with the response to `id`. */
  response(id: string | number | null): Promise<Json>;
  /** Ends the client's input (the server sees its reader close). */
  endInput(): void;
}

const live: PassThrough[] = [];

/** Ends the streams of every harness made so far (call from afterEach). */
export function closeMemoryConnections(): void {
  for (const s of live.splice(0)) s.end();
}

export function memoryConnection(options: MemoryConnectionOptions): MemoryConnection {
  const toServer = new PassThrough();
  const fromServer = new PassThrough();
  live.push(toServer);
  const out: Json[] = [];
  const waiters = new Set<() => void>();
  let buf = "";
  fromServer.setEncoding("utf8");
  fromServer.on("data", (chunk: string) => {
    buf += chunk;
    let nl: number;
    while ((nl = buf.indexOf("\n")) >= 0) {
      out.push(JSON.parse(buf.slice(0, nl)) as Json);
      buf = buf.slice(nl + 1);
    }
    for (const w of [...waiters]) w();
  });
  const conn = new RpcConnection({
    reader: new JsonLineMessageReader(toServer),
    writer: new JsonLineMessageWriter(fromServer),
    transport: options.transport ?? "unix",
    dispatcher: options.dispatcher as Dispatcher,
    log: createLogger("silent"),
    ...(options.maxInFlight === undefined ? {} : { maxInFlight: options.maxInFlight }),
  });
  const waitFor = (match: (m: Json) => boolean): Promise<Json> =>
    new Promise((resolve) => {
      const check = (): void => {
        const m = out.find(match);
        if (m) {
          waiters.delete(check);
          resolve(m);
        }
      };
      waiters.add(check);
      check();
    });
  const isResponse = (m: Json): boolean => m["method"] === undefined && ("result" in m || "error" in m);
  return {
    conn,
    out,
    send: (message) => void toServer.write(`${JSON.stringify(message)}\n`),
    sendRaw: (text) => void toServer.write(text),
    waitFor,
    response: (id) => waitFor((m) => isResponse(m) && m["id"] === id),
    endInput: () => void toServer.end(),
  };
}

/** A promise with its resolve outside, to hold a handler until the test lets it go. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
