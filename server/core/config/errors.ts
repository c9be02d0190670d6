// Domain errors of config writes; the rpc layer maps them in one place (rpc/toRpcError.ts).
// The codes are the reference's `config_write_error_code` values, which 0.169 sends as
// `{code: -32600, message, data: {config_write_error_code: <code>}}`, plus one of ours:
// "configUnreadable" (the existing config.toml does not parse, so it is not overwritten), which
// 0.169 answers as -32603 "failed to load configuration: <file>:<line>:<col>: <message>" without data.

import { DomainError, type DomainErrorKind } from "../errors.js";

export type ConfigWriteErrorCode =
  | "configLayerReadonly"
  | "configRequirementReadonly"
  | "configVersionConflict"
  | "configValidationError"
  | "configPathNotFound"
  | "configSchemaUnknownKey"
  | "userLayerNotFound"
  | "configUnreadable";

function kindOf(code: ConfigWriteErrorCode): DomainErrorKind {
  switch (code) {
    case "configVersionConflict":
      return "conflict";
    case "configPathNotFound":
    case "userLayerNotFound":
      return "notFound";
    case "configLayerReadonly":
    case "configRequirementReadonly":
    case "configValidationError":
    case "configSchemaUnknownKey":
      return "invalidInput";
    case "configUnreadable":
      return "failed";
  }
}

export class ConfigWriteError extends DomainError {
  override readonly name = "ConfigWriteError";
  readonly kind: DomainErrorKind;

  constructor(
    readonly code: ConfigWriteErrorCode,
    message: string,
  ) {
    super(message, code === "configUnreadable" ? undefined : { config_write_error_code: code });
    this.kind = kindOf(code);
  }
}

export const VERSION_CONFLICT_MESSAGE = "Configuration was modified since last read. Fetch latest version and retry.";
export const USER_CONFIG_ONLY_MESSAGE = "Only writes to the user config are allowed";
