// commandExec: v2 protocol payloads, field for field as the reference (codex-cli 0.169.0).
// Bootstrapped from the reference JSON Schema by scripts/protocol-from-reference.mjs; maintained by hand since.
// Conventions: optional params fields are .nullish(), optional result fields .nullable()
// and always present; every named type is registered with .register(z.globalRegistry, { id }) so the generated
// schema's definitions match (not .meta({ id }), which builds the schema twice: a clone to register).
import * as z from "zod";
import { request, type RequestTable } from "../define.js";
import { SandboxPolicy } from "./sharedParams.js";

/** Stream label for `command/exec/outputDelta` notifications. */
export const CommandExecOutputStream = z.union([z.literal("stdout"), z.literal("stderr")]).register(z.globalRegistry, { id: "CommandExecOutputStream" });
export type CommandExecOutputStream = z.infer<typeof CommandExecOutputStream>;

/** Base64-encoded output chunk emitted for a streaming `command/exec` request.
 *
 * These notifications are connection-scoped. If the originating connection closes, the server terminates the process. */
export const CommandExecOutputDeltaNotification = z
  .object({
    /** `true` on the final streamed chunk for a stream when `outputBytesCap` truncated later output on that stream. */
    capReached: z.boolean(),
    /** Base64-encoded output bytes. */
    deltaBase64: z.string(),
    /** Client-supplied, connection-scoped `processId` from the original `command/exec` request. */
    processId: z.string(),
    /** Output stream for this chunk. */
    stream: CommandExecOutputStream,
  })
  .register(z.globalRegistry, { id: "CommandExecOutputDeltaNotification" });
export type CommandExecOutputDeltaNotification = z.infer<typeof CommandExecOutputDeltaNotification>;

/** PTY size in character cells for `command/exec` PTY sessions. */
export const CommandExecTerminalSize = z
  .object({
    /** Terminal width in character cells. */
    cols: z.int().min(0),
    /** Terminal height in character cells. */
    rows: z.int().min(0),
  })
  .register(z.globalRegistry, { id: "CommandExecTerminalSize" });
export type CommandExecTerminalSize = z.infer<typeof CommandExecTerminalSize>;

/** Run a standalone command (argv vector) in the server sandbox without creating a thread or turn.
 *
 * The final `command/exec` response is deferred until the process exits and is sent only after all `command/exec/outputDelta` notifications for that connection have been emitted. */
export const CommandExecParams = z
  .object({
    /** Command argv vector. Empty arrays are rejected. */
    command: z.array(z.string()),
    /** Optional working directory. Defaults to the server cwd. */
    cwd: z.string().nullish(),
    /** Disable stdout/stderr capture truncation for this request.
     *
     * Cannot be combined with `outputBytesCap`. */
    disableOutputCap: z.boolean().optional(),
    /** Disable the timeout entirely for this request.
     *
     * Cannot be combined with `timeoutMs`. */
    disableTimeout: z.boolean().optional(),
    /** Optional environment overrides merged into the server-computed environment.
     *
     * Matching names override inherited values. Set a key to `null` to unset an inherited variable. */
    env: z.record(z.string(), z.string().nullable()).nullish(),
    /** Optional per-stream stdout/stderr capture cap in bytes.
     *
     * When omitted, the server default applies. Cannot be combined with `disableOutputCap`. */
    outputBytesCap: z.int().min(0).nullish(),
    /** Optional active permissions profile id for this command.
     *
     * Defaults to the user's configured permissions when omitted. Cannot be combined with `sandboxPolicy`. */
    permissionProfile: z.string().nullish().meta({ experimental: true }),
    /** Optional client-supplied, connection-scoped process id.
     *
     * Required for `tty`, `streamStdin`, `streamStdoutStderr`, and follow-up `command/exec/write`, `command/exec/resize`, and `command/exec/terminate` calls. When omitted, buffered execution gets an internal id that is not exposed to the client. */
    processId: z.string().nullish(),
    /** Optional sandbox policy for this command.
     *
     * Uses the same shape as thread/turn execution sandbox configuration and defaults to the user's configured policy when omitted. Cannot be combined with `permissionProfile`. */
    sandboxPolicy: SandboxPolicy.nullish(),
    /** Optional initial PTY size in character cells. Only valid when `tty` is true. */
    size: CommandExecTerminalSize.nullish(),
    /** Allow follow-up `command/exec/write` requests to write stdin bytes.
     *
     * Requires a client-supplied `processId`. */
    streamStdin: z.boolean().optional(),
    /** Stream stdout/stderr via `command/exec/outputDelta` notifications.
     *
     * Streamed bytes are not duplicated into the final response and require a client-supplied `processId`. */
    streamStdoutStderr: z.boolean().optional(),
    /** Optional timeout in milliseconds.
     *
     * When omitted, the server default applies. Cannot be combined with `disableTimeout`. */
    timeoutMs: z.int().nullish(),
    /** Enable PTY mode.
     *
     * This implies `streamStdin` and `streamStdoutStderr`. */
    tty: z.boolean().optional(),
  })
  .register(z.globalRegistry, { id: "CommandExecParams" });
export type CommandExecParams = z.infer<typeof CommandExecParams>;

/** Resize a running PTY-backed `command/exec` session. */
export const CommandExecResizeParams = z
  .object({
    /** Client-supplied, connection-scoped `processId` from the original `command/exec` request. */
    processId: z.string(),
    /** New PTY size in character cells. */
    size: CommandExecTerminalSize,
  })
  .register(z.globalRegistry, { id: "CommandExecResizeParams" });
export type CommandExecResizeParams = z.infer<typeof CommandExecResizeParams>;

/** Empty success response for `command/exec/resize`. */
export const CommandExecResizeResponse = z.record(z.string(), z.unknown()).register(z.globalRegistry, { id: "CommandExecResizeResponse" });
export type CommandExecResizeResponse = z.infer<typeof CommandExecResizeResponse>;

/** Final buffered result for `command/exec`. */
export const CommandExecResponse = z
  .object({
    /** Process exit code. */
    exitCode: z.int(),
    /** Buffered stderr capture.
     *
     * Empty when stderr was streamed via `command/exec/outputDelta`. */
    stderr: z.string(),
    /** Buffered stdout capture.
     *
     * Empty when stdout was streamed via `command/exec/outputDelta`. */
    stdout: z.string(),
  })
  .register(z.globalRegistry, { id: "CommandExecResponse" });
export type CommandExecResponse = z.infer<typeof CommandExecResponse>;

/** Terminate a running `command/exec` session. */
export const CommandExecTerminateParams = z
  .object({
    /** Client-supplied, connection-scoped `processId` from the original `command/exec` request. */
    processId: z.string(),
  })
  .register(z.globalRegistry, { id: "CommandExecTerminateParams" });
export type CommandExecTerminateParams = z.infer<typeof CommandExecTerminateParams>;

/** Empty success response for `command/exec/terminate`. */
export const CommandExecTerminateResponse = z.record(z.string(), z.unknown()).register(z.globalRegistry, { id: "CommandExecTerminateResponse" });
export type CommandExecTerminateResponse = z.infer<typeof CommandExecTerminateResponse>;

/** Write stdin bytes to a running `command/exec` session, close stdin, or both. */
export const CommandExecWriteParams = z
  .object({
    /** Close stdin after writing `deltaBase64`, if present. */
    closeStdin: z.boolean().optional(),
    /** Optional base64-encoded stdin bytes to write. */
    deltaBase64: z.string().nullish(),
    /** Client-supplied, connection-scoped `processId` from the original `command/exec` request. */
    processId: z.string(),
  })
  .register(z.globalRegistry, { id: "CommandExecWriteParams" });
export type CommandExecWriteParams = z.infer<typeof CommandExecWriteParams>;

/** Empty success response for `command/exec/write`. */
export const CommandExecWriteResponse = z.record(z.string(), z.unknown()).register(z.globalRegistry, { id: "CommandExecWriteResponse" });
export type CommandExecWriteResponse = z.infer<typeof CommandExecWriteResponse>;

/** This module's client requests: rows of the v2 table (methods.ts puts them in wire order); the dispatcher loads one module's rows on the first request for one of them (v2/requestGroups.ts). */
export const commandExecRequests = {
  "command/exec": request(CommandExecParams, CommandExecResponse),
  "command/exec/write": request(CommandExecWriteParams, CommandExecWriteResponse),
  "command/exec/terminate": request(CommandExecTerminateParams, CommandExecTerminateResponse),
  "command/exec/resize": request(CommandExecResizeParams, CommandExecResizeResponse),
} as const satisfies RequestTable;
