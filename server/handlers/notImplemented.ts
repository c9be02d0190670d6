// Methods whose handlers belong to later work. They answer -32601 "not implemented yet: METHOD"
// (a test prints this list so the gap stays visible). Remove a method from here when its handler lands.
import { RpcError } from "../../protocol/errors.js";
import type { ClientRequestMethod, PartialHandlerMap } from "./handlerMap.js";

export const NOT_IMPLEMENTED_YET = [] as const satisfies readonly ClientRequestMethod[];

export type NotImplementedMethod = (typeof NOT_IMPLEMENTED_YET)[number];

export function notImplementedHandlers(): Pick<Required<PartialHandlerMap>, NotImplementedMethod> {
  // Filled by name in a loop, so the result's type is asserted: every listed method gets a handler,
  // and one that only throws fits any method's handler type.
  const handlers: PartialHandlerMap = {};
  for (const method of NOT_IMPLEMENTED_YET) {
    (handlers as Record<string, unknown>)[method] = () => {
      throw RpcError.notImplemented(method);
    };
  }
  return handlers as Pick<Required<PartialHandlerMap>, NotImplementedMethod>;
}
