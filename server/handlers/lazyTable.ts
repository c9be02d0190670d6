// The client request rows, imported on first need (the dispatcher's only way to them).
//
// Why: the method tables are ~2,000 zod schemas; building them was half of a cold start's CPU time
// and a third of its memory at the `initialize` answer, and building the whole v2 table on the first
// request after it was most of that request's time (bench/, `--only startup`). A request needs only
// its params' schema, gate and scope (its head), so each v2 method's rows or heads are imported with
// their module (protocol/v2/requestGroups.ts): the first `thread/start` builds the thread requests'
// params and the shared types they use, not a thread's, turn's or item's result schema; the first
// `fuzzyFileSearch` a few small ones. The v1-only methods (0.80's legacy conversation API) load their
// heads on their own, when the first of them arrives (protocol/v1/requestHeads.ts): their params, not
// 0.80's results and events. What answers does not change: a method gets the very params schema, gate
// and scope of its table's row, `V1_ONLY_METHODS` names exactly the v1 rows v2 does not have, and a
// method neither table has is not found without loading anything (lazyTable.test.ts).
import { initializeRequests } from "../../protocol/v2/initialize.js";
import { v2RequestGroups } from "../../protocol/v2/requestGroups.js";
import type { RequestHead } from "../../protocol/define.js";
import type { ClientRequestMethod, ClientRequestTable } from "./handlerMap.js";

/** `initialize`'s row (the v2 table's own), which start-up has without loading anything. */
export const initializeRow = initializeRequests satisfies Partial<ClientRequestTable>;

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

/**
 * What the dispatcher looks a method up in: each method's head (its params' schema, gate and scope;
 * define.ts RequestHead). A v2 group's rows or heads (protocol/v2/requestGroups.ts), or the v1-only
 * methods' heads: a full row is a head with its result.
 */
export type RequestRows = { readonly [M in ClientRequestMethod]?: RequestHead<ClientRequestTable[M]["params"]> };

interface Loader {
  value: RequestRows | undefined;
  pending: Promise<RequestRows> | undefined;
}

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
const nothing: RequestRows = Object.freeze({});

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

type RowsImporter = () => Promise<RequestRows>;

/** A rows module's Loader and how to import it. */
interface Group extends Loader {
  readonly importer: RowsImporter;
}

/** One Group per rows module, keyed by its importer (several methods share one). */
const groups = new Map<RowsImporter, Group>();
const v1Heads: Loader = { value: undefined, pending: undefined };

// `initialize`'s rows are start-up's own, loaded from the beginning.
const initializeImporter = v2RequestGroups.initialize as RowsImporter;
groups.set(initializeImporter, { importer: initializeImporter, value: initializeRow, pending: Promise.resolve(initializeRow) });

function groupOf(method: string): Group | undefined {
  if (!hasOwn(v2RequestGroups, method)) return undefined;
  const importer = v2RequestGroups[method as keyof typeof v2RequestGroups] as RowsImporter;
  let group = groups.get(importer);
  if (!group) groups.set(importer, (group = { importer, value: undefined, pending: undefined }));
  return group;
}

// The heads the v1 table's rows are built from (handlerMap.ts spreads those rows into the merged table).
const loadV1 = (): Promise<RequestRows> => load(v1Heads, async () => (await import("../../protocol/v1/requestHeads.js")).v1RequestHeads as RequestRows);

/** The rows that can answer `method` if loaded, else undefined (callers then await `loadRequestTable`). */
export function loadedRequestTable(method: string): RequestRows | undefined {
  if (v1Only.has(method)) return v1Heads.value;
  const group = groupOf(method);
  // A method neither table has needs no rows to be found missing.
  return group ? group.value : nothing;
}

export function loadRequestTable(method: string): Promise<RequestRows> {
  if (v1Only.has(method)) return loadV1();
  const group = groupOf(method);
  return group ? load(group, group.importer) : Promise.resolve(nothing);
}

/** Loads the thread and turn heads ahead of need; the dispatcher calls it when a client is idle after its handshake. */
export function preloadRequestTable(): void {
  void loadRequestTable("thread/start").catch(() => undefined);
  void loadRequestTable("turn/start").catch(() => undefined);
}
