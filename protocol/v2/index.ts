// Public entry of the v2 protocol: every payload type and the method table.
export * from "./account.js";
export * from "./approval.js";
export * from "./catalog.js";
export * from "./commandExec.js";
export * from "./config.js";
export * from "./fs.js";
export * from "./fuzzyFileSearch.js";
export * from "./initialize.js";
export * from "./item.js";
export * from "./mcp.js";
export * from "./misc.js";
export * from "./shared.js";
export * from "./thread.js";
export * from "./toolCall.js";
export * from "./turn.js";
export * from "./methods.js";
