// The client request table, imported on first need (the dispatcher's only way to it).
//
// Why: the method tables are ~2,000 zod schemas; building them was half of a cold start's CPU time
// and a third of its memory at the `initialize` answer (bench/, `--only startup`). `initialize`
// itself needs one row, whose schemas come from their own small module, so the whole table is
// imported when the first other request arrives (or the client says `initialized`, see
// `preloadRequestTable`). Which row answers does not change: `initializeRow` holds the very schema
// objects of the table's `initialize` row (lazyTable.test.ts checks it).
import { request } from "../../protocol/define.js";
import { InitializeParams, InitializeResponse } from "../../protocol/v2/initialize.js";
import type { ClientRequestTable } from "./handlerMap.js";

let loaded: ClientRequestTable | undefined;
let loading: Promise<ClientRequestTable> | undefined;

/** `initialize`'s row, for the requests that arrive before the table is loaded. */
export const initializeRow = { initialize: request(InitializeParams, InitializeResponse) } as const satisfies Partial<ClientRequestTable>;

/** The table once loaded, else undefined (callers then take `initializeRow` or await `loadRequestTable`). */
export function loadedRequestTable(): ClientRequestTable | undefined {
  return loaded;
}

export function loadRequestTable(): Promise<ClientRequestTable> {
  if (!loading) {
    const attempt = import("./handlerMap.js").then((m) => (loaded = m.clientRequestTable));
    loading = attempt;
    // A failed import (a chunk missing on disk) is tried again by the next request.
    attempt.catch(() => {
      if (loading === attempt) loading = undefined;
    });
  }
  return loading;
}

/** Starts loading without waiting for it, so the client's first request after the handshake does not pay for it. */
export function preloadRequestTable(): void {
  loadRequestTable().catch(() => {});
}
