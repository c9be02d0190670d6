// The single stdio connection: newline-delimited JSON on stdin, responses and notifications on stdout.
//
// Invariants:
// - stdout carries only protocol lines; logs go to stderr (server/log.ts).
// - Ending the connection does not end process.stdout: Node keeps fds 1 and 2 open for the life of the
//   process, and a late pino flush or exit path must not hit a closed stream.
import type { Readable, Writable } from "node:stream";
import { JsonLineMessageReader } from "./jsonLineReader.js";
import type { JsonLineReaderOptions } from "./jsonLineReader.js";
import { JsonLineMessageWriter } from "./jsonLineWriter.js";

export interface StdioConnection {
  reader: JsonLineMessageReader;
  writer: JsonLineMessageWriter;
}

export function openStdio(options: JsonLineReaderOptions & { stdin?: Readable; stdout?: Writable } = {}): StdioConnection {
  const { stdin = process.stdin, stdout = process.stdout, ...readerOptions } = options;
  return {
    reader: new JsonLineMessageReader(stdin, readerOptions),
    writer: new JsonLineMessageWriter(stdout, { endStream: false }),
  };
}
