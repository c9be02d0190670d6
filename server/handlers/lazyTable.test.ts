import { describe, expect, it } from "vitest";
import { v1Table } from "../../protocol/v1/methods.js";
import { v2Table } from "../../protocol/v2/methods.js";
import { clientRequestTable } from "./handlerMap.js";
import { initializeRow, loadedRequestTable, loadRequestTable, V1_ONLY_METHODS } from "./lazyTable.js";

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

  it("loads the v2 rows once for v2 methods, and the whole table for a v1-only method", async () => {
    expect(loadedRequestTable("thread/start")).toBeUndefined();
    const first = loadRequestTable("thread/start");
    expect(loadRequestTable("turn/start")).toBe(first);
    const v2Rows = await first;
    expect(v2Rows).toBe(v2Table.clientRequests);
    expect(loadedRequestTable("thread/start")).toBe(v2Rows);
    // A v1-only method is not in the v2 rows, so it waits for the whole table.
    expect(loadedRequestTable("sendUserTurn")).toBeUndefined();
    const whole = await loadRequestTable("sendUserTurn");
    expect(whole).toBe(clientRequestTable);
    expect(loadedRequestTable("sendUserTurn")).toBe(clientRequestTable);
    // Every row a v2 method gets is the merged table's row.
    for (const m of Object.keys(v2Rows)) expect((v2Rows as Record<string, unknown>)[m]).toBe((clientRequestTable as Record<string, unknown>)[m]);
  });
});
