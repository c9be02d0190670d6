// Newline-delimited JSON over a byte stream, for the client side of stdio and line-framed unix sockets.
//
// Invariants:
// - A message ends at "\n" and nowhere else; one trailing "\r" is dropped, so "\r\n" peers work too.
//   Blank lines are skipped. A final line without "\n" is still delivered when the stream ends.
// - Text is decoded as a UTF-8 stream (setEncoding), so a character split across chunks stays whole.
// - What does not parse as JSON goes to `invalid` with the raw line; the reader keeps going.
// - The writer emits exactly one JSON text plus "\n" per message and never adds a "jsonrpc" member
//   (the app-server wire leaves it out). Writes are ordered by the stream itself.
import type { Readable, Writable } from "node:stream";
import type { WireMessage } from "../../protocol/index.js";

export function readJsonLines(input: Readable, onValue: (value: unknown) => void, onInvalid: (raw: string, error: Error) => void): void {
  let buffer = "";
  const deliver = (line: string): void => {
    const text = line.endsWith("\r") ? line.slice(0, -1) : line;
    if (text.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      onInvalid(text, err instanceof Error ? err : new Error(String(err)));
      return;
    }
    onValue(value);
  };
  input.setEncoding("utf8");
  input.on("data", (chunk: string) => {
    buffer += chunk;
    let start = 0;
    let nl: number;
    while ((nl = buffer.indexOf("\n", start)) !== -1) {
      deliver(buffer.slice(start, nl));
      start = nl + 1;
    }
    buffer = buffer.slice(start);
  });
  input.on("end", () => {
    const rest = buffer;
    buffer = "";
    deliver(rest);
  });
}

/** Writes one message as one line; resolves once the stream has taken it, rejects on a write error. */
export function writeJsonLine(output: Writable, message: WireMessage): Promise<void> {
  const line = `${JSON.stringify(message)}\n`;
  return new Promise((resolve, reject) => {
    if (output.destroyed || output.writableEnded) {
      reject(new Error("the connection is closed"));
      return;
    }
    output.write(line, (err) => (err ? reject(err) : resolve()));
  });
}
