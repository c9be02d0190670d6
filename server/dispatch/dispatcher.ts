// method → table row → zod validation → gates → scope queue → handler (architecture.md §8, §9).
// The order mirrors the reference, which deserializes the whole request before it checks the
// initialize gate: an unknown method or malformed params are reported as such even before
// `initialize`, and only a well-formed request meets "Not initialized".
import type { ZodType } from "zod";
import { NoParams } from "../../protocol/define.js";
import { RpcError } from "../../protocol/errors.js";
import type { RequestContext } from "../core/ports.js";
import type { ClientRequestMethod, ClientRequestTable, HandlerMap } from "../handlers/handlerMap.js";
import { initializeRow, loadedRequestTable, loadRequestTable, preloadRequestTable } from "../handlers/lazyTable.js";
import type { ScopeQueues } from "./scopes.js";

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

export class Dispatcher {
  constructor(
    private readonly handlers: HandlerMap,
    private readonly scopes: ScopeQueues,
  ) {}

  /** The client finished its handshake: its next request needs the v2 table (handlers/lazyTable.ts). */
  initialized(): void {
    preloadRequestTable();
  }

  async handleRequest(method: string, rawParams: unknown, ctx: RequestContext): Promise<unknown> {
    // Only `initialize` is answered before the table is loaded; once loaded, no await here, so
    // requests reach their scope queues in arrival order as before.
    const table = (loadedRequestTable(method) ?? (method === "initialize" ? initializeRow : await loadRequestTable(method))) as ClientRequestTable;
    if (!hasOwn(table, method)) throw RpcError.methodNotFound(method);
    const m = method as ClientRequestMethod;
    const spec = table[m];
    const params = parseParams(spec.params, rawParams);
    const session = ctx.client.session;
    if (m === "initialize") {
      if (session.initialized) throw RpcError.invalidRequest("Already initialized");
    } else if (!session.initialized) {
      throw RpcError.invalidRequest("Not initialized");
    }
    if ((spec as { experimental?: boolean }).experimental && !session.experimentalApi) {
      throw RpcError.invalidRequest(`${method} is experimental: set capabilities.experimentalApi = true in initialize to use it`);
    }
    // Marked before the handler runs so that a second initialize racing the first is refused.
    if (m === "initialize") session.initialized = true;
    const scope = (spec as { scope?: (p: unknown) => string | null }).scope;
    const handler = this.handlers[m] as (p: unknown, c: RequestContext) => unknown;
    let result: unknown;
    try {
      result = await this.scopes.run(scope ? scope(params) : null, async () => handler(params, ctx));
    } catch (error) {
      if (m === "initialize") session.initialized = false;
      throw error;
    }
    // vscode-jsonrpc turns `undefined` into `null`; every result on this wire is an object.
    return result === undefined ? {} : result;
  }
}

function parseParams(schema: ZodType, raw: unknown): unknown {
  // Methods whose params are `null` in the reference accept a missing, null or empty-object params.
  if (schema === NoParams) return undefined;
  const parsed = schema.safeParse(raw === undefined || raw === null ? {} : raw);
  if (!parsed.success) throw RpcError.fromZodError(parsed.error);
  return parsed.data;
}
