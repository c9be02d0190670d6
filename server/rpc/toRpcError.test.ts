// The wire form of every error a request can fail with, as the bytes a client receives: the JSON of
// the ResponseError that connection.ts sends, key order included (clients and conformance diffs see
// the text, not a parsed object). The errors are built the way the code that throws them builds them;
// every kind of DOMAIN_ERROR_WIRE has a row.
import { ResponseError } from "vscode-jsonrpc/node";
import { describe, expect, it, vi } from "vitest";
import { RpcError } from "../../protocol/errors.js";
import { CatalogError, paginate } from "../core/catalog/pagination.js";
import { ConfigWriteError, USER_CONFIG_ONLY_MESSAGE, VERSION_CONFLICT_MESSAGE, type ConfigWriteErrorCode } from "../core/config/errors.js";
import { InvalidReviewTarget } from "../core/engine/review.js";
import { ConflictError, DomainError, InvalidInputError, NotFoundError, OperationFailedError, UnavailableError } from "../core/errors.js";
import { ExecRequestError, ExecSandboxUnavailableError } from "../core/exec/errors.js";
import { FsError, invalid, ioError } from "../core/fs/errors.js";
import { sandboxPolicyFromWire } from "../core/commandSetup/sandboxFromWire.js";
import { RolloutNotFoundError, RolloutUnreadableError, RolloutWriteError, RolloutWriterBusyError, ThreadStoreRequestError } from "../core/store/errors.js";
import { createLogger } from "../log.js";
import { SandboxUnavailableError } from "../sandbox/errors.js";
import { DOMAIN_ERROR_WIRE, toResponseError } from "./toRpcError.js";

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("expected a throw");
}

const configWrite = (code: ConfigWriteErrorCode, message: string): [string, () => unknown, string] => [
  `ConfigWriteError ${code}`,
  () => new ConfigWriteError(code, message),
  JSON.stringify({ code: -32600, message, data: { config_write_error_code: code } }),
];

const enoent = Object.assign(new Error("ENOENT: no such file or directory, open '/w/x'"), { code: "ENOENT" });

/** [what, the error as its thrower builds it, the JSON text on the wire] */
const rows: Array<[string, () => unknown, string]> = [
  [
    "an RpcError as it is",
    () => RpcError.invalidParams("Invalid params: x: bad", [{ path: ["x"], message: "bad" }]),
    '{"code":-32602,"message":"Invalid params: x: bad","data":[{"path":["x"],"message":"bad"}]}',
  ],
  [
    "a ResponseError as it is",
    () => new ResponseError(-32800, "Request cancelled", { why: "client" }),
    '{"code":-32800,"message":"Request cancelled","data":{"why":"client"}}',
  ],

  configWrite("configLayerReadonly", "config layer is read-only"),
  configWrite("configRequirementReadonly", "requirement is read-only"),
  configWrite("configVersionConflict", VERSION_CONFLICT_MESSAGE),
  configWrite("configValidationError", "keyPath must not be empty"),
  configWrite("configPathNotFound", "path not found"),
  configWrite("configSchemaUnknownKey", "unknown key"),
  configWrite("userLayerNotFound", USER_CONFIG_ONLY_MESSAGE),
  [
    "ConfigWriteError configUnreadable: -32603 without data, as 0.169",
    () => new ConfigWriteError("configUnreadable", "failed to load configuration: /h/config.toml:1:2: bad"),
    '{"code":-32603,"message":"failed to load configuration: /h/config.toml:1:2: bad"}',
  ],

  ["CatalogError invalidCursor", () => thrown(() => paginate([1, 2], "x", null, "models")), '{"code":-32600,"message":"invalid cursor: x"}'],
  [
    "CatalogError cursor past the end",
    () => thrown(() => paginate([1, 2], "9", null, "models")),
    '{"code":-32600,"message":"cursor 9 exceeds total models 2"}',
  ],
  [
    "CatalogError modelProviderNotConfigured with the reference's data",
    () => new CatalogError("modelProviderNotConfigured", "provider gone", { type: "modelProviderNotConfigured", modelProvider: "p" }),
    '{"code":-32600,"message":"provider gone","data":{"type":"modelProviderNotConfigured","modelProvider":"p"}}',
  ],

  [
    "FsError from an OS error: -32603, path and errno",
    () => ioError(enoent, "/w/x"),
    '{"code":-32603,"message":"No such file or directory (os error 2): /w/x","data":{"path":"/w/x","errno":"ENOENT"}}',
  ],
  [
    "FsError refused on its merits: -32600",
    () => invalid("file too large", { path: "/w/x", size: 101, limit: 100 }),
    '{"code":-32600,"message":"file too large","data":{"path":"/w/x","size":101,"limit":100}}',
  ],
  [
    "FsError relative path: -32602",
    () => new FsError("invalidParams", 'Invalid params: path must be an absolute path, got "x"', { path: "x", field: "path" }),
    '{"code":-32602,"message":"Invalid params: path must be an absolute path, got \\"x\\"","data":{"path":"x","field":"path"}}',
  ],

  [
    "ExecRequestError state: -32600",
    () => new ExecRequestError('no active command/exec for process id "p"'),
    '{"code":-32600,"message":"no active command/exec for process id \\"p\\""}',
  ],
  [
    "ExecRequestError params: -32602",
    () => new ExecRequestError("command/exec size requires tty: true", "invalidParams"),
    '{"code":-32602,"message":"command/exec size requires tty: true"}',
  ],
  [
    "ExecSandboxUnavailableError: -32603 with reason and remedy",
    () => new ExecSandboxUnavailableError(new SandboxUnavailableError("bwrap-not-found", "bwrap is not installed", "install bubblewrap")),
    '{"code":-32603,"message":"sandbox unavailable: bwrap is not installed; install bubblewrap","data":{"sandboxUnavailable":{"code":"bwrap-not-found","reason":"bwrap is not installed","remedy":"install bubblewrap"}}}',
  ],

  [
    "SandboxPolicyInputError: serde's 'Invalid request: ' prefix",
    () => thrown(() => sandboxPolicyFromWire({ type: "workspaceWrite", writableRoots: ["rel"] })),
    '{"code":-32600,"message":"Invalid request: sandboxPolicy.writableRoots[0]: \\"rel\\" is not an absolute path (writable and readable roots must be absolute)"}',
  ],

  ["RolloutNotFoundError by id", () => new RolloutNotFoundError("t1"), '{"code":-32600,"message":"no rollout found for thread id t1"}'],
  [
    "RolloutNotFoundError with its path",
    () => new RolloutNotFoundError("t1", "/h/r.jsonl"),
    '{"code":-32600,"message":"no rollout found for thread id t1 at /h/r.jsonl","data":{"path":"/h/r.jsonl"}}',
  ],
  ["RolloutNotFoundError archived", () => new RolloutNotFoundError("t1", null, true), '{"code":-32600,"message":"no archived rollout found for thread id t1"}'],
  [
    "RolloutNotFoundError by path only",
    () => new RolloutNotFoundError(null, "/h/r.jsonl"),
    '{"code":-32600,"message":"no rollout found at /h/r.jsonl","data":{"path":"/h/r.jsonl"}}',
  ],
  [
    "RolloutUnreadableError: -32603",
    () => new RolloutUnreadableError("/h/r.jsonl", "rollout is empty"),
    '{"code":-32603,"message":"failed to read thread: failed to read rollout /h/r.jsonl: rollout is empty","data":{"path":"/h/r.jsonl"}}',
  ],
  [
    "RolloutWriterBusyError",
    () => new RolloutWriterBusyError("/h/r.jsonl"),
    '{"code":-32600,"message":"rollout /h/r.jsonl already has an active writer","data":{"path":"/h/r.jsonl"}}',
  ],
  [
    "RolloutWriteError: -32603",
    () => new RolloutWriteError("/h/r.jsonl", "ENOSPC"),
    '{"code":-32603,"message":"failed to write rollout /h/r.jsonl: ENOSPC","data":{"path":"/h/r.jsonl"}}',
  ],
  [
    "ThreadStoreRequestError",
    () => new ThreadStoreRequestError("emptyThreadName", "thread name must not be empty"),
    '{"code":-32600,"message":"thread name must not be empty"}',
  ],

  [
    "InvalidInputError",
    () => new InvalidInputError("gitInfo fields must be non-empty strings or null"),
    '{"code":-32600,"message":"gitInfo fields must be non-empty strings or null"}',
  ],
  ["NotFoundError", () => new NotFoundError("thread not found: t1"), '{"code":-32600,"message":"thread not found: t1"}'],
  [
    "ConflictError",
    () => new ConflictError("cannot revert a thread while a turn is running"),
    '{"code":-32600,"message":"cannot revert a thread while a turn is running"}',
  ],
  ["UnavailableError", () => new UnavailableError("no sandbox", { why: "x" }), '{"code":-32603,"message":"no sandbox","data":{"why":"x"}}'],
  ["OperationFailedError", () => new OperationFailedError("disk full", { path: "/h" }), '{"code":-32603,"message":"disk full","data":{"path":"/h"}}'],
  ["InvalidReviewTarget", () => new InvalidReviewTarget("branch must not be empty"), '{"code":-32600,"message":"branch must not be empty"}'],
  [
    "turn/steer of a review turn, with 0.169's data",
    () =>
      new ConflictError("cannot steer a review turn", {
        message: "cannot steer a review turn",
        codexErrorInfo: { activeTurnNotSteerable: { turnKind: "review" } },
        additionalDetails: null,
        misalignment: null,
      }),
    '{"code":-32600,"message":"cannot steer a review turn","data":{"message":"cannot steer a review turn","codexErrorInfo":{"activeTurnNotSteerable":{"turnKind":"review"}},"additionalDetails":null,"misalignment":null}}',
  ],

  ["anything else: -32603 with its message", () => new TypeError("x is undefined"), '{"code":-32603,"message":"Internal error: x is undefined"}'],
  ["a thrown non-Error: -32603", () => "a string", '{"code":-32603,"message":"Internal error"}'],
];

describe("toResponseError", () => {
  it.each(rows)("%s", (_what, make, wire) => {
    expect(JSON.stringify(toResponseError(make()).toJson())).toBe(wire);
  });

  it("has a row for every kind of domain error", () => {
    const kinds = new Set(rows.map(([, make]) => make()).flatMap((e) => (e instanceof DomainError ? [e.kind] : [])));
    expect([...kinds].sort()).toEqual(Object.keys(DOMAIN_ERROR_WIRE).sort());
  });

  it("logs what it does not recognise, and nothing else", () => {
    const log = createLogger("silent");
    const error = vi.spyOn(log, "error");
    toResponseError(new RolloutNotFoundError("t1"), log);
    toResponseError(RpcError.invalidRequest("x"), log);
    expect(error).not.toHaveBeenCalled();
    const boom = new Error("boom");
    toResponseError(boom, log);
    expect(error).toHaveBeenCalledTimes(1);
    expect(error.mock.calls[0]?.[0]).toEqual({ err: boom });
  });
});
