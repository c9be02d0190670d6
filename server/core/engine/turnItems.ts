// Item bookkeeping for one turn: every item/started gets exactly one item/completed, the completed item
// is on disk (rollout `item_completed`) before its notification goes out, and items still open when a
// turn is interrupted or fails are completed with what they had (the reference leaves them open).
import type { ThreadItem } from "../../../protocol/v2/index.js";
import type { EventDetail } from "../events/eventDetail.js";
import type { ThreadState } from "../threads/threadState.js";

export interface ItemSink {
  /** Writes a rollout line; resolves once written (before any notification that depends on it). */
  persistItem(turnId: string, item: ThreadItem): Promise<void>;
}

type Open = { item: ThreadItem; finish?: () => ThreadItem };

export class TurnItems {
  private readonly open = new Map<string, Open>();
  /** Completed items of this turn, in completion order (thread/read, turn/completed summary). */
  readonly completed: ThreadItem[] = [];
  private readonly closedAsDangling = new Map<string, ThreadItem>();

  constructor(
    private readonly thread: ThreadState,
    readonly turnId: string,
    private readonly sink: ItemSink,
    /** `silent`: bookkeeping only, nothing reaches the clients (a reviewer's own messages). */
    private readonly options: { readonly silent?: boolean } = {},
  ) {}

  private emit(method: string, params: unknown, detail?: EventDetail): void {
    if (!this.options.silent) this.thread.emit(method, params, detail);
  }

  isOpen(id: string): boolean {
    return this.open.has(id);
  }

  get(id: string): ThreadItem | undefined {
    return this.open.get(id)?.item;
  }

  /** `finish` builds the item's completed form if the turn ends while it is still open. */
  start(item: ThreadItem, finish?: () => ThreadItem, detail?: EventDetail): void {
    const startedAtMs = Date.now();
    const started = withTimes(item, startedAtMs, null);
    this.open.set(item.id, finish ? { item: started, finish } : { item: started });
    this.emit("item/started", { item: started, threadId: this.thread.id, turnId: this.turnId, startedAtMs }, detail);
  }

  delta(method: string, params: Record<string, unknown>, detail?: EventDetail): void {
    this.emit(method, { threadId: this.thread.id, turnId: this.turnId, ...params }, detail);
  }

  /** Completes an open item (or starts and completes one that never streamed). */
  async complete(item: ThreadItem, detail?: EventDetail): Promise<ThreadItem> {
    // The end of the turn completed it as dangling and then its command's own completion arrived
    // (the killed process exits after): it keeps its one item/completed, and is not started again.
    const closed = this.closedAsDangling.get(item.id);
    if (closed && !this.open.has(item.id)) return closed;
    const open = this.open.get(item.id);
    if (!open) this.start(item, undefined, detail);
    const startedAtMs = (this.open.get(item.id)?.item.startedAtMs ?? Date.now()) as number;
    this.open.delete(item.id);
    const completedAtMs = Date.now();
    const done = withTimes(item, startedAtMs, completedAtMs);
    await this.sink.persistItem(this.turnId, done);
    this.completed.push(done);
    this.emit("item/completed", { item: done, threadId: this.thread.id, turnId: this.turnId, contentTokenCount: null, completedAtMs }, detail);
    return done;
  }

  /** Forgets open items of a failed sampling attempt: the reference never completes them. */
  discard(ids: Iterable<string>): void {
    for (const id of ids) this.open.delete(id);
  }

  /** Completes whatever is still open, with its partial content. */
  async completeDangling(): Promise<void> {
    for (const [id, open] of [...this.open]) {
      const finished = open.finish ? open.finish() : open.item;
      // Marked before the await: the command's own completion may arrive while this one is written.
      this.closedAsDangling.set(id, finished);
      await this.complete(finished);
    }
  }
}

/**
 * `item` with its times. Not `{ ...item, startedAtMs, completedAtMs }`: on Node 20's V8 an object
 * spread followed by a property the source lacks gives every result a hidden class of its own
 * (about 300 bytes each, and megamorphic property access wherever items are read), and completed
 * items live as long as their thread: that was a third of the heap a thread grew by per short turn.
 * Object.assign onto a literal reuses one hidden class per item shape; the order and values are the
 * same (a later source wins).
 */
function withTimes(item: ThreadItem, startedAtMs: number, completedAtMs: number | null): ThreadItem {
  return Object.assign({}, item, { startedAtMs, completedAtMs });
}
