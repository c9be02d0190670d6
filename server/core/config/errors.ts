// Domain errors of config writes; the rpc layer maps them in one place (architecture.md §10).
// The codes are the reference's `config_write_error_code` values, which 0.169 sends as
// `{code: -32600, message, data: {config_write_error_code: <code>}}`, plus one of ours:
// "configUnreadable" (the existing config.toml does not parse, so it is not overwritten), which
// 0.169 answers as -32603 "failed to load configuration: <file>:<line>:<col>: <message>" without data.

export type ConfigWriteErrorCode =
  | "configLayerReadonly"
  | "configRequirementReadonly"
  | "configVersionConflict"
  | "configValidationError"
  | "configPathNotFound"
  | "configSchemaUnknownKey"
  | "userLayerNotFound"
  | "configUnreadable";

export class ConfigWriteError extends Error {
  constructor(
    readonly code: ConfigWriteErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "ConfigWriteError";
  }
}

export const VERSION_CONFLICT_MESSAGE = "Configuration was modified since last read. Fetch latest version and retry.";
export const USER_CONFIG_ONLY_MESSAGE = "Only writes to the user config are allowed";
