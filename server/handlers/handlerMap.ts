// The handler contract, derived from the method tables: a table row without a handler is a type
// error where the map is assembled (server/app.ts), so no method can be forgotten.
import type { z } from "zod";
import type { RequestSpec } from "../../protocol/define.js";
import { v1Table } from "../../protocol/v1/methods.js";
import { v2Table } from "../../protocol/v2/methods.js";
import type { RequestContext } from "../core/ports.js";

/** Every client request either version accepts; `initialize` is shared (it follows 0.169). */
export const clientRequestTable = { ...v1Table.clientRequests, ...v2Table.clientRequests };
export type ClientRequestTable = typeof clientRequestTable;
export type ClientRequestMethod = keyof ClientRequestTable;

export type Handler<S extends RequestSpec> = (params: z.output<S["params"]>, ctx: RequestContext) => Promise<z.output<S["result"]>> | z.output<S["result"]>;

export type HandlerMap = { [M in ClientRequestMethod]: Handler<ClientRequestTable[M]> };
export type PartialHandlerMap = { [M in ClientRequestMethod]?: Handler<ClientRequestTable[M]> };
