// Public entry of the v1 protocol: every payload type and the method table.
export * from "./conversation.js";
export * from "./shared.js";
export * from "./events.js";
export * from "./methods.js";
