import { describe, expect, it } from "vitest";
import { clientRequestTable } from "./handlerMap.js";
import { initializeRow, loadedRequestTable, loadRequestTable } from "./lazyTable.js";

describe("lazy request table", () => {
  it("answers initialize with the table's own row before the table is loaded", () => {
    const row = clientRequestTable.initialize;
    expect(initializeRow.initialize.params).toBe(row.params);
    expect(initializeRow.initialize.result).toBe(row.result);
    // Nothing else of the row may matter to the dispatcher (no gate, no scope).
    expect(Object.keys(row).sort()).toEqual(["kind", "params", "result"]);
    expect(Object.keys(initializeRow.initialize).sort()).toEqual(["kind", "params", "result"]);
  });

  it("loads the whole table once", async () => {
    const first = loadRequestTable();
    expect(loadRequestTable()).toBe(first);
    expect(await first).toBe(clientRequestTable);
    expect(loadedRequestTable()).toBe(clientRequestTable);
  });
});
