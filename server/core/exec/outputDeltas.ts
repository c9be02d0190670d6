// Streamed output of one command/exec session: bytes → `command/exec/outputDelta` params, with the
// per-stream `outputBytesCap`. The chunk that reaches the cap is cut to fit and carries
// `capReached: true`; nothing more is sent for that stream (the process keeps running, as in 0.169).
import type { CommandExecOutputDeltaNotification, CommandExecOutputStream } from "../../../protocol/v2/commandExec.js";

export class OutputDeltas {
  private readonly sent: Record<CommandExecOutputStream, number> = { stdout: 0, stderr: 0 };
  private readonly full: Record<CommandExecOutputStream, boolean> = { stdout: false, stderr: false };

  constructor(
    private readonly processId: string,
    /** Bytes per stream; null: unlimited. */
    private readonly cap: number | null,
    private readonly emit: (delta: CommandExecOutputDeltaNotification) => void,
  ) {}

  push(stream: CommandExecOutputStream, chunk: Uint8Array): void {
    if (this.full[stream] || chunk.length === 0) return;
    let bytes = chunk;
    let capReached = false;
    if (this.cap !== null && this.sent[stream] + bytes.length >= this.cap) {
      bytes = bytes.subarray(0, this.cap - this.sent[stream]);
      capReached = true;
      this.full[stream] = true;
    }
    this.sent[stream] += bytes.length;
    if (bytes.length === 0 && !capReached) return;
    this.emit({ processId: this.processId, stream, deltaBase64: Buffer.from(bytes).toString("base64"), capReached });
  }

  /** Our own lines (timeout, sandbox denial): always sent, whatever the cap, since they explain the result. */
  note(stream: CommandExecOutputStream, text: string): void {
    this.emit({ processId: this.processId, stream, deltaBase64: Buffer.from(text, "utf8").toString("base64"), capReached: false });
  }
}
