// Sits between a transport's reader/writer and vscode-jsonrpc. vscode-jsonrpc only logs messages it
// cannot classify and queues requests without limit, so this guard answers first:
//   - an unparseable line or frame (the reader's error with code -32700) → {"id":null,"error":-32700}
//   - a value that is not a request, response or notification → -32600 (with its id when usable)
//   - a request beyond the in-flight limit → -32001
//   - a response is shown to the channel first, which reports late and duplicate answers
// and only well-formed messages reach the connection. The writer side releases the in-flight slot
// when the response leaves.
import {
  AbstractMessageReader,
  AbstractMessageWriter,
  type DataCallback,
  type Disposable,
  type Message,
  type MessageReader,
  type MessageWriter,
} from "vscode-jsonrpc/node";
import { classify, type ResponseMessage } from "../../protocol/jsonrpc.js";
import { RpcError } from "../../protocol/errors.js";
import type { Logger } from "../log.js";
import type { InboundLimiter } from "./inboundLimiter.js";

const isParseFailure = (e: unknown): boolean => (e as { code?: unknown } | null)?.code === -32700;

export class GuardedWriter extends AbstractMessageWriter implements MessageWriter {
  constructor(
    private readonly inner: MessageWriter,
    private readonly limiter: InboundLimiter,
  ) {
    super();
    inner.onError((e) => this.fireError(e[0], e[1], e[2]));
    inner.onClose(() => this.fireClose());
  }

  async write(msg: Message): Promise<void> {
    const isResponse = !("method" in msg && msg.method !== undefined) && "id" in msg;
    try {
      await this.inner.write(msg);
    } finally {
      // Message types only `jsonrpc`; one with an id and no method is a ResponseMessage.
      if (isResponse) this.limiter.release((msg as ResponseMessage).id ?? null);
    }
  }

  end(): void {
    this.inner.end();
  }
}

export class GuardedReader extends AbstractMessageReader implements MessageReader {
  private subscription: Disposable | undefined;

  constructor(
    private readonly inner: MessageReader,
    private readonly writer: MessageWriter,
    private readonly limiter: InboundLimiter,
    private readonly log: Logger,
    /**
     * When the input ends but the output is still open (stdio: the client closed stdin), the requests
     * already read are answered before the connection closes: nothing the client sent is dropped.
     * `onInputEnd` runs first, so work that waits on the client (a server request) stops waiting.
     */
    private readonly drain?: { readonly onInputEnd: () => void; readonly maxMs: number },
    /** Sees each response first; false drops it (vscode-jsonrpc would drop an unmatched one unseen). */
    private readonly onResponse?: (id: ResponseMessage["id"]) => boolean,
  ) {
    super();
    inner.onError((e) => {
      if (isParseFailure(e)) this.reply(null, RpcError.parseError(e.message.replace(/^Parse error: /, "")));
      else this.fireError(e);
    });
    inner.onClose(() => {
      if (!this.drain || limiter.size === 0) return this.fireClose();
      this.drain.onInputEnd();
      let timer: NodeJS.Timeout | undefined;
      const capped = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.drain?.maxMs)));
      void Promise.race([limiter.whenIdle(), capped]).then(() => {
        clearTimeout(timer);
        // Let the last response's write reach the stream before vscode-jsonrpc disposes.
        setImmediate(() => this.fireClose());
      });
    });
    inner.onPartialMessage((info) => this.firePartialMessage(info));
  }

  listen(callback: DataCallback): Disposable {
    this.subscription = this.inner.listen((raw) => {
      const c = classify(raw);
      switch (c.kind) {
        case "invalid":
          this.reply(c.id, RpcError.invalidRequest(`Invalid request: ${c.reason}`));
          return;
        case "request":
          if (!this.limiter.tryAdmit(c.message.id)) {
            this.reply(c.message.id, RpcError.overloaded());
            return;
          }
          callback({ jsonrpc: "2.0", ...c.message } as Message);
          return;
        case "response":
          if (this.onResponse && !this.onResponse(c.message.id)) return;
          callback({ jsonrpc: "2.0", ...c.message } as Message);
          return;
        case "notification":
          callback({ jsonrpc: "2.0", ...c.message } as Message);
          return;
      }
    });
    return { dispose: () => this.subscription?.dispose() };
  }

  override dispose(): void {
    super.dispose();
    this.subscription?.dispose();
    this.inner.dispose();
  }

  private reply(id: ResponseMessage["id"], error: RpcError): void {
    this.writer.write({ jsonrpc: "2.0", id, error: error.toJSON() } as Message).catch((e: unknown) => {
      this.log.debug({ err: e }, "could not write an error reply");
    });
  }
}
