/** 0.80's and 0.169's question when the sandbox refused a command or a patch write: asked before running it again outside. */
export const RETRY_WITHOUT_SANDBOX = "command failed; retry without sandbox?";
