import { describe, expect, it } from "vitest";
import type { RequestHead, RequestSpec } from "../../protocol/define.js";
import { v1Table } from "../../protocol/v1/methods.js";
import { v2Table } from "../../protocol/v2/methods.js";
import { v2RequestGroups } from "../../protocol/v2/requestGroups.js";
import { clientRequestTable } from "./handlerMap.js";
import { initializeRow, loadedRequestTable, loadRequestTable, V1_ONLY_METHODS } from "./lazyTable.js";

const withoutResult = (o: object): string[] =>
  Object.keys(o)
    .filter((k) => k !== "result")
    .sort();

/**
 * `head` is what the dispatcher gets for `m`: the merged table's row's very params, kind, gate and
 * scope, and nothing else but the result. A v2 group may hand over the row itself (`mayBeRow`); a v1
 * head never carries a result.
 */
function expectHeadOf(m: string, head: RequestHead, row: RequestSpec, mayBeRow: boolean): void {
  expect(row, m).toBe((clientRequestTable as Record<string, unknown>)[m]);
  expect(head.params, m).toBe(row.params);
  expect(head.kind, m).toBe(row.kind);
  expect(head.experimental, m).toBe(row.experimental);
  expect(head.scope, m).toBe(row.scope);
  expect(mayBeRow ? withoutResult(head) : Object.keys(head).sort(), m).toEqual(withoutResult(row));
}

describe("lazy request table", () => {
  it("answers initialize with the table's own row before the table is loaded", () => {
    const row = clientRequestTable.initialize;
    expect(initializeRow.initialize.params).toBe(row.params);
    expect(initializeRow.initialize.result).toBe(row.result);
    // Nothing else of the row may matter to the dispatcher (no gate, no scope).
    expect(Object.keys(row).sort()).toEqual(["kind", "params", "result"]);
    expect(Object.keys(initializeRow.initialize).sort()).toEqual(["kind", "params", "result"]);
  });

  it("names exactly the v1 methods v2 does not have", () => {
    const v1Only = Object.keys(v1Table.clientRequests).filter((m) => !(m in v2Table.clientRequests));
    expect([...V1_ONLY_METHODS].sort()).toEqual(v1Only.sort());
  });

  it("loads one module's rows for a v2 method, the v1 heads for a v1-only method, nothing for an unknown one", async () => {
    expect(loadedRequestTable("thread/list")).toBeUndefined();
    const first = loadRequestTable("thread/list");
    expect(loadRequestTable("thread/read")).toBe(first);
    const threadRows = await first;
    expect(loadedRequestTable("thread/read")).toBe(threadRows);
    expect(Object.keys(threadRows).every((m) => m.startsWith("thread/"))).toBe(true);
    // Another module's rows are not built by the first: not thread/start's or thread/resume's, which have
    // modules of their own (a client's first request, and costly history items), nor another domain's.
    expect(loadedRequestTable("thread/start")).toBeUndefined();
    expect(loadedRequestTable("thread/resume")).toBeUndefined();
    expect(loadedRequestTable("fuzzyFileSearch")).toBeUndefined();
    expect(Object.keys(await loadRequestTable("thread/start"))).toEqual(["thread/start"]);
    // An unknown method is found missing at once, without loading anything.
    expect(Object.keys(loadedRequestTable("no/such/method") ?? { x: 1 })).toEqual([]);
    // A v1-only method is not in the v2 rows: it waits for the v1 heads, one load for all of them.
    expect(loadedRequestTable("sendUserTurn")).toBeUndefined();
    const v1 = await loadRequestTable("sendUserTurn");
    expect(loadedRequestTable("getUserAgent")).toBe(v1);
    expect(Object.keys(v1).sort()).toEqual([...V1_ONLY_METHODS].sort());
  });

  it("gives every v1-only method the merged table's own params schema, gate and scope", async () => {
    const heads = (await loadRequestTable("newConversation")) as Record<string, RequestHead>;
    for (const m of V1_ONLY_METHODS) {
      expectHeadOf(m, heads[m] as RequestHead, (v1Table.clientRequests as Record<string, RequestSpec>)[m] as RequestSpec, false);
    }
  });

  it("gives every v2 method the table's own params schema, gate and scope, from the module its group names", async () => {
    for (const m of Object.keys(v2Table.clientRequests)) {
      const rows = await loadRequestTable(m);
      expect(Object.prototype.hasOwnProperty.call(rows, m), m).toBe(true);
      // A head (thread and turn requests) or the row itself: the same objects either way.
      expectHeadOf(m, (rows as Record<string, RequestHead>)[m] as RequestHead, (v2Table.clientRequests as Record<string, RequestSpec>)[m] as RequestSpec, true);
    }
    expect(Object.keys(v2RequestGroups).sort()).toEqual(Object.keys(v2Table.clientRequests).sort());
  });
});
