// TurnItems' bookkeeping with a fake thread and a fake rollout that both write to one ordered log:
// every item/started gets exactly one item/completed, an item is persisted before its completion is
// announced, and an item still open when the turn ends is finished once with what it had.
import { describe, expect, it } from "vitest";
import type { ThreadItem } from "../../../protocol/v2/index.js";
import type { ThreadState } from "../threads/threadState.js";
import { deferred } from "../../../test/helpers/memoryConnection.js";
import { TurnItems, type ItemSink } from "./turnItems.js";

type Event = { kind: "emit"; method: string; id: string | undefined; item?: ThreadItem } | { kind: "persist"; id: string; item: ThreadItem };

function fixture(persist?: (item: ThreadItem) => Promise<void>, options: { silent?: boolean } = {}) {
  const events: Event[] = [];
  const thread = {
    id: "thr_1",
    emit: (method: string, params: unknown) => {
      const p = params as { item?: ThreadItem; itemId?: string };
      events.push({ kind: "emit", method, id: p.item?.id ?? p.itemId, ...(p.item ? { item: p.item } : {}) });
    },
  } as unknown as ThreadState;
  const sink: ItemSink = {
    persistItem: async (_turnId, item) => {
      await persist?.(item);
      events.push({ kind: "persist", id: item.id, item });
    },
  };
  const items = new TurnItems(thread, "turn_1", sink, options);
  const trace = (): string[] => events.map((e) => (e.kind === "persist" ? `persist ${e.id}` : `${e.method} ${e.id}`));
  return { items, events, trace };
}

const reasoning = (id: string, summary: string[] = []): ThreadItem => ({ type: "reasoning", id, summary, content: [] });

describe("TurnItems", () => {
  it("persists a completed item before item/completed goes out", async () => {
    const hold = deferred();
    const f = fixture(() => hold.promise);
    f.items.start(reasoning("r1"));
    const done = f.items.complete(reasoning("r1", ["thought"]));
    await Promise.resolve();
    // The write has not finished: nothing announced yet, and the item is no longer open.
    expect(f.trace()).toEqual(["item/started r1"]);
    expect(f.items.isOpen("r1")).toBe(false);
    hold.resolve();
    const item = await done;
    expect(f.trace()).toEqual(["item/started r1", "persist r1", "item/completed r1"]);
    expect(item).toMatchObject({ id: "r1", summary: ["thought"] });
    expect(f.items.completed).toEqual([item]);
  });

  it("a failed write announces nothing and the caller sees the failure", async () => {
    const f = fixture(() => Promise.reject(new Error("disk full")));
    f.items.start(reasoning("r1"));
    await expect(f.items.complete(reasoning("r1"))).rejects.toThrow("disk full");
    expect(f.trace()).toEqual(["item/started r1"]);
    expect(f.items.completed).toEqual([]);
  });

  it("completes an item that never streamed with a start first", async () => {
    const f = fixture();
    await f.items.complete(reasoning("r1"));
    expect(f.trace()).toEqual(["item/started r1", "persist r1", "item/completed r1"]);
  });

  it("an item open when the turn is interrupted is finished once, with what its finish function builds", async () => {
    const f = fixture();
    let finishes = 0;
    f.items.start(reasoning("r1"), () => {
      finishes++;
      return reasoning("r1", ["partial"]);
    });
    f.items.start(reasoning("r2"));
    await f.items.completeDangling();
    expect(finishes).toBe(1);
    expect(f.trace()).toEqual(["item/started r1", "item/started r2", "persist r1", "item/completed r1", "persist r2", "item/completed r2"]);
    expect(f.events.find((e) => e.kind === "emit" && e.method === "item/completed" && e.id === "r1")?.item).toMatchObject({ summary: ["partial"] });
    // A second end-of-turn pass finds nothing open.
    await f.items.completeDangling();
    expect(finishes).toBe(1);
    expect(f.items.completed.map((i) => i.id)).toEqual(["r1", "r2"]);
  });

  it("the item's own completion arriving after the dangling one (a killed command exiting) adds no second item/completed", async () => {
    const hold = deferred();
    const f = fixture(() => hold.promise);
    f.items.start(reasoning("c1"), () => reasoning("c1", ["interrupted"]));
    const dangling = f.items.completeDangling();
    // The command's own completion lands while the dangling form is being written.
    const own = f.items.complete(reasoning("c1", ["exited"]));
    hold.resolve();
    await dangling;
    await expect(own).resolves.toMatchObject({ summary: ["interrupted"] });
    // And once more after everything settled.
    await expect(f.items.complete(reasoning("c1", ["exited"]))).resolves.toMatchObject({ summary: ["interrupted"] });
    expect(f.trace()).toEqual(["item/started c1", "persist c1", "item/completed c1"]);
  });

  it("an item that completes on its own while the end of the turn writes another keeps its own completion", async () => {
    const holds = new Map([["r1", deferred()]]);
    const f = fixture((item) => holds.get(item.id)?.promise ?? Promise.resolve());
    f.items.start(reasoning("r1"), () => reasoning("r1", ["partial"]));
    f.items.start(reasoning("r2"), () => reasoning("r2", ["partial"]));
    const dangling = f.items.completeDangling();
    await f.items.complete(reasoning("r2", ["full"]));
    holds.get("r1")?.resolve();
    await dangling;
    const completions = f.events.filter((e) => e.kind === "emit" && e.method === "item/completed");
    expect(completions.map((e) => [e.id, (e as { item: { summary: string[] } }).item.summary])).toEqual([
      ["r2", ["full"]],
      ["r1", ["partial"]],
    ]);
  });

  it("discarded items are never completed", async () => {
    const f = fixture();
    f.items.start(reasoning("r1"), () => reasoning("r1"));
    f.items.discard(["r1"]);
    await f.items.completeDangling();
    expect(f.trace()).toEqual(["item/started r1"]);
  });

  it("a silent TurnItems keeps the books but tells no client", async () => {
    const f = fixture(undefined, { silent: true });
    f.items.start(reasoning("r1"));
    await f.items.complete(reasoning("r1"));
    expect(f.trace()).toEqual(["persist r1"]);
    expect(f.items.completed.map((i) => i.id)).toEqual(["r1"]);
  });
});
