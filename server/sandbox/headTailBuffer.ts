// Output is captured per stream up to a cap: the head and the tail are kept, the omitted byte count is
// reported and marked in the text, so a command that floods its output neither exhausts the daemon's
// memory nor loses how it ended.
/** Keeps the first half and the last half of `cap` bytes of a stream. */
export class HeadTailBuffer {
  private readonly headCap: number;
  private readonly tailCap: number;
  private readonly head: Buffer[] = [];
  private headLen = 0;
  private tail: Buffer[] = [];
  private tailLen = 0;
  total = 0;

  constructor(readonly cap: number | null) {
    this.headCap = cap === null ? Infinity : Math.ceil(cap / 2);
    this.tailCap = cap === null ? 0 : Math.floor(cap / 2);
  }

  push(chunk: Buffer): void {
    this.total += chunk.length;
    let rest = chunk;
    if (this.headLen < this.headCap) {
      const take = Math.min(rest.length, this.headCap - this.headLen);
      this.head.push(rest.subarray(0, take));
      this.headLen += take;
      rest = rest.subarray(take);
    }
    if (rest.length === 0 || this.tailCap === 0) return;
    this.tail.push(rest);
    this.tailLen += rest.length;
    while (this.tail.length > 1 && this.tailLen - (this.tail[0]?.length ?? 0) >= this.tailCap) {
      this.tailLen -= this.tail.shift()?.length ?? 0;
    }
  }

  get omitted(): number {
    return Math.max(0, this.total - this.headLen - Math.min(this.tailLen, this.tailCap));
  }

  text(): string {
    const head = Buffer.concat(this.head).toString("utf8");
    const tailBuf = Buffer.concat(this.tail);
    const tail = tailBuf.subarray(Math.max(0, tailBuf.length - this.tailCap)).toString("utf8");
    if (this.omitted === 0) return head + tail;
    return `${head}\n[… ${this.omitted} bytes omitted: output is capped at ${this.cap} bytes per stream …]\n${tail}`;
  }
}
