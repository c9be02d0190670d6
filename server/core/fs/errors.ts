// The one error type of fs/*. Every failure names the path it is about, because the reference's
// I/O errors do not ("No such file or directory (os error 2)") and a client that sent a copy or a
// batch cannot tell which path failed.
//
// Kinds, as rpc/toRpcError.ts maps them to 0.169's codes: a request the server refuses on its merits
// (not a file, bad base64, recursive required, too large, watchId taken) is "invalidInput", a
// relative path where an absolute one is required "invalidParams", an operating-system failure
// "failed". The message keeps the reference's text first ("No such file or directory (os error 2)")
// so clients that match on it keep working, then adds the path; `data` carries {path, errno} for
// clients that want to branch without parsing text.
import { constants as osConstants } from "node:os";
import { DomainError, type DomainErrorKind } from "../errors.js";

export type FsErrorKind = Extract<DomainErrorKind, "invalidInput" | "invalidParams" | "failed">;

export interface FsErrorData {
  readonly path: string;
  /** Node's errno name (ENOENT, EISDIR, …) for "io" errors. */
  readonly errno?: string;
  readonly [extra: string]: unknown;
}

export class FsError extends DomainError {
  override readonly name = "FsError";
  declare readonly data: FsErrorData;

  constructor(
    readonly kind: FsErrorKind,
    message: string,
    data: FsErrorData,
  ) {
    super(message, data);
  }
}

// The texts Rust's std::io::Error prints (strerror), so our message starts as the reference's does.
const STRERROR: Readonly<Record<string, string>> = {
  ENOENT: "No such file or directory",
  EEXIST: "File exists",
  ENOTDIR: "Not a directory",
  EISDIR: "Is a directory",
  ENOTEMPTY: "Directory not empty",
  EACCES: "Permission denied",
  EPERM: "Operation not permitted",
  ELOOP: "Too many levels of symbolic links",
  ENAMETOOLONG: "File name too long",
  ENOSPC: "No space left on device",
  EROFS: "Read-only file system",
  EXDEV: "Invalid cross-device link",
  EBUSY: "Device or resource busy",
  EINVAL: "Invalid argument",
  EMFILE: "Too many open files",
  ENOSYS: "Function not implemented",
  ETXTBSY: "Text file busy",
  EDQUOT: "Disk quota exceeded",
  EIO: "Input/output error",
};

function errnoNumber(code: string): number | undefined {
  return (osConstants.errno as Record<string, number | undefined>)[code];
}

/** `err` from a node:fs call about `path` → FsError; anything that is not a system error is rethrown. */
export function ioError(err: unknown, path: string): FsError {
  if (err instanceof FsError) return err;
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (typeof code !== "string") throw err;
  const n = errnoNumber(code);
  const text = STRERROR[code] ?? (err as Error).message.replace(/^[A-Z]+: /, "").replace(/, .*$/, "");
  const os = n === undefined ? code : `os error ${n}`;
  return new FsError("failed", `${text} (${os}): ${path}`, { path, errno: code });
}

/** Runs an fs call and turns its system error into an FsError naming `path`. */
export async function io<T>(path: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    throw ioError(err, path);
  }
}

export function invalid(message: string, data: FsErrorData): FsError {
  return new FsError("invalidInput", message, data);
}
