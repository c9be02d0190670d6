// Public entry of the protocol: pure zod definitions shared by the server, the schema generator and clients.
export * from "./jsonrpc.js";
export * from "./errors.js";
export * from "./define.js";
export * as v2 from "./v2/index.js";
export * as v1 from "./v1/index.js";
