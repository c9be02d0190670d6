// What can go wrong with an MCP server, as one DomainError whose `reason` a caller can branch on (a
// failed mcpToolCall item, the answer to mcpServer/tool/call) and whose message names the server and
// the cause, for a person. The kind follows the reason: a server that cannot serve (disabled, bad
// config, failed to start) is unavailable, anything else failed. Both are -32603 on the wire, which is
// what 0.169 answers for every MCP failure, an unknown server and a filtered-out tool included.
import { DomainError, type DomainErrorKind } from "../errors.js";

export type McpFailureReason =
  /** No `[mcp_servers.<name>]` of that name for this thread. */
  | "unknownServer"
  /** `enabled = false`. */
  | "disabled"
  /** The server's table is unusable (mcpConfig.ts says why). */
  | "invalidConfig"
  /** The server did not start: it exited, the sandbox refused it, the URL did not answer, … */
  | "startupFailed"
  /** It did not finish `initialize` and the first `tools/list` within startup_timeout_sec. */
  | "startupTimeout"
  /** Its start-up was cancelled (the thread closed, a reload removed or changed it). */
  | "cancelled"
  /** The tool is filtered out by enabled_tools / disabled_tools. */
  | "toolDisabled"
  /** The request took longer than tool_timeout_sec. */
  | "timeout"
  /** The caller's signal ended the request (interrupt). */
  | "aborted"
  /** The server process exited, or the connection to it was lost, while the request was open. */
  | "serverExited"
  /** The answer does not have the shape MCP gives it. */
  | "malformedResult"
  /** The server answered with a JSON-RPC error. */
  | "serverError";

const KINDS: Record<McpFailureReason, DomainErrorKind> = {
  unknownServer: "failed",
  disabled: "unavailable",
  invalidConfig: "unavailable",
  startupFailed: "unavailable",
  startupTimeout: "unavailable",
  cancelled: "unavailable",
  toolDisabled: "failed",
  timeout: "failed",
  aborted: "failed",
  serverExited: "failed",
  malformedResult: "failed",
  serverError: "failed",
};

export class McpServerError extends DomainError {
  override readonly name = "McpServerError";
  readonly kind: DomainErrorKind;

  constructor(
    readonly server: string,
    readonly reason: McpFailureReason,
    message: string,
  ) {
    // No `data`: 0.169 answers these with a message only; `server` and `reason` are for the daemon's own code.
    super(message);
    this.kind = KINDS[reason];
  }
}
