// The client request table, imported on first need (the dispatcher's only way to it).
//
// Why: the method tables are ~2,000 zod schemas; building them was half of a cold start's CPU time
// and a third of its memory at the `initialize` answer (bench/, `--only startup`). `initialize`
// itself needs one row, whose schemas come from their own small module, so the v2 table is imported
// when the first other request arrives (or the client says `initialized`, see
// `preloadRequestTable`), and the v1 rows (0.80's legacy conversation API, a quarter of the cost)
// only when a v1-only method arrives. Which row answers does not change: `initializeRow` holds the
// very schema objects of the table's `initialize` row, a v2 method gets the merged table's row, and
// `V1_ONLY_METHODS` names exactly the v1 rows v2 does not have (lazyTable.test.ts checks all three).
import { request } from "../../protocol/define.js";
import { InitializeParams, InitializeResponse } from "../../protocol/v2/initialize.js";
import type { ClientRequestMethod, ClientRequestTable } from "./handlerMap.js";

/** `initialize`'s row, for the requests that arrive before the table is loaded. */
export const initializeRow = { initialize: request(InitializeParams, InitializeResponse) } as const satisfies Partial<ClientRequestTable>;

/** Methods only the v1 table has (0.80's legacy conversation API); any other method is answered from the v2 rows. */
export const V1_ONLY_METHODS = [
  "newConversation",
  "getConversationSummary",
  "listConversations",
  "resumeConversation",
  "forkConversation",
  "archiveConversation",
  "sendUserMessage",
  "sendUserTurn",
  "interruptConversation",
  "addConversationListener",
  "removeConversationListener",
  "gitDiffToRemote",
  "loginApiKey",
  "getAuthStatus",
  "getUserSavedConfig",
  "setDefaultModel",
  "getUserAgent",
  "execOneOffCommand",
] as const satisfies readonly ClientRequestMethod[];

const v1Only: ReadonlySet<string> = new Set(V1_ONLY_METHODS);

/** What the dispatcher looks a method up in: the v2 rows, or the whole table for a v1-only method. */
export type RequestRows = Partial<ClientRequestTable>;

interface Loader {
  value: RequestRows | undefined;
  pending: Promise<RequestRows> | undefined;
}

const v2: Loader = { value: undefined, pending: undefined };
const all: Loader = { value: undefined, pending: undefined };

function load(loader: Loader, importer: () => Promise<RequestRows>): Promise<RequestRows> {
  if (!loader.pending) {
    const attempt = importer().then((rows) => (loader.value = rows));
    loader.pending = attempt;
    // A failed import (a chunk missing on disk) is tried again by the next request.
    attempt.catch(() => {
      if (loader.pending === attempt) loader.pending = undefined;
    });
  }
  return loader.pending;
}

const loadV2 = (): Promise<RequestRows> => load(v2, async () => (await import("../../protocol/v2/methods.js")).v2Table.clientRequests);
const loadAll = (): Promise<RequestRows> => load(all, async () => (await import("./handlerMap.js")).clientRequestTable);

/** The rows that can answer `method` if loaded, else undefined (callers then take `initializeRow` or await `loadRequestTable`). */
export function loadedRequestTable(method: string): RequestRows | undefined {
  return (v1Only.has(method) ? undefined : v2.value) ?? all.value;
}

export function loadRequestTable(method: string): Promise<RequestRows> {
  return v1Only.has(method) ? loadAll() : loadV2();
}

/** Starts loading the v2 rows without waiting for them, so the client's first request after the handshake does not pay for it. */
export function preloadRequestTable(): void {
  loadV2().catch(() => {});
}
