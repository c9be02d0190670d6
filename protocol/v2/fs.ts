// fs: v2 protocol payloads, field for field as the reference (codex-cli 0.169.0).
// Bootstrapped from the reference JSON Schema by scripts/protocol-from-reference.mjs; maintained by hand since.
// Conventions: optional params fields are .nullish(), optional result fields .nullable()
// and always present; every named type is registered with .register(z.globalRegistry, { id }) so the generated
// schema's definitions match (not .meta({ id }), which builds the schema twice: a clone to register).
import * as z from "zod";
import { request, type RequestTable } from "../define.js";
import { AbsolutePathBuf } from "./shared.js";

/** Filesystem watch notification emitted for `fs/watch` subscribers. */
export const FsChangedNotification = z
  .object({
    /** File or directory paths associated with this event. */
    changedPaths: z.array(AbsolutePathBuf),
    /** Watch identifier previously provided to `fs/watch`. */
    watchId: z.string(),
  })
  .register(z.globalRegistry, { id: "FsChangedNotification" });
export type FsChangedNotification = z.infer<typeof FsChangedNotification>;

/** Copy a file or directory tree on the host filesystem. */
export const FsCopyParams = z
  .object({
    /** Absolute destination path. */
    destinationPath: AbsolutePathBuf,
    /** Required for directory copies; ignored for file copies. */
    recursive: z.boolean().optional(),
    /** Absolute source path. */
    sourcePath: AbsolutePathBuf,
  })
  .register(z.globalRegistry, { id: "FsCopyParams" });
export type FsCopyParams = z.infer<typeof FsCopyParams>;

/** Successful response for `fs/copy`. */
export const FsCopyResponse = z.record(z.string(), z.unknown()).register(z.globalRegistry, { id: "FsCopyResponse" });
export type FsCopyResponse = z.infer<typeof FsCopyResponse>;

/** Create a directory on the host filesystem. */
export const FsCreateDirectoryParams = z
  .object({
    /** Absolute directory path to create. */
    path: AbsolutePathBuf,
    /** Whether parent directories should also be created. Defaults to `true`. */
    recursive: z.boolean().nullish(),
  })
  .register(z.globalRegistry, { id: "FsCreateDirectoryParams" });
export type FsCreateDirectoryParams = z.infer<typeof FsCreateDirectoryParams>;

/** Successful response for `fs/createDirectory`. */
export const FsCreateDirectoryResponse = z.record(z.string(), z.unknown()).register(z.globalRegistry, { id: "FsCreateDirectoryResponse" });
export type FsCreateDirectoryResponse = z.infer<typeof FsCreateDirectoryResponse>;

/** Request metadata for an absolute path. */
export const FsGetMetadataParams = z
  .object({
    /** Absolute path to inspect. */
    path: AbsolutePathBuf,
  })
  .register(z.globalRegistry, { id: "FsGetMetadataParams" });
export type FsGetMetadataParams = z.infer<typeof FsGetMetadataParams>;

/** Metadata returned by `fs/getMetadata`. */
export const FsGetMetadataResponse = z
  .object({
    /** File creation time in Unix milliseconds when available, otherwise `0`. */
    createdAtMs: z.int(),
    /** Whether the path resolves to a directory. */
    isDirectory: z.boolean(),
    /** Whether the path resolves to a regular file. */
    isFile: z.boolean(),
    /** Whether the path itself is a symbolic link. */
    isSymlink: z.boolean(),
    /** File modification time in Unix milliseconds when available, otherwise `0`. */
    modifiedAtMs: z.int(),
  })
  .register(z.globalRegistry, { id: "FsGetMetadataResponse" });
export type FsGetMetadataResponse = z.infer<typeof FsGetMetadataResponse>;

/** A directory entry returned by `fs/readDirectory`. */
export const FsReadDirectoryEntry = z
  .object({
    /** Direct child entry name only, not an absolute or relative path. */
    fileName: z.string(),
    /** Whether this entry resolves to a directory. */
    isDirectory: z.boolean(),
    /** Whether this entry resolves to a regular file. */
    isFile: z.boolean(),
  })
  .register(z.globalRegistry, { id: "FsReadDirectoryEntry" });
export type FsReadDirectoryEntry = z.infer<typeof FsReadDirectoryEntry>;

/** List direct child names for a directory. */
export const FsReadDirectoryParams = z
  .object({
    /** Absolute directory path to read. */
    path: AbsolutePathBuf,
  })
  .register(z.globalRegistry, { id: "FsReadDirectoryParams" });
export type FsReadDirectoryParams = z.infer<typeof FsReadDirectoryParams>;

/** Directory entries returned by `fs/readDirectory`. */
export const FsReadDirectoryResponse = z
  .object({
    /** Direct child entries in the requested directory. */
    entries: z.array(FsReadDirectoryEntry),
  })
  .register(z.globalRegistry, { id: "FsReadDirectoryResponse" });
export type FsReadDirectoryResponse = z.infer<typeof FsReadDirectoryResponse>;

/** Read a file from the host filesystem. */
export const FsReadFileParams = z
  .object({
    /** Absolute path to read. */
    path: AbsolutePathBuf,
  })
  .register(z.globalRegistry, { id: "FsReadFileParams" });
export type FsReadFileParams = z.infer<typeof FsReadFileParams>;

/** Base64-encoded file contents returned by `fs/readFile`. */
export const FsReadFileResponse = z
  .object({
    /** File contents encoded as base64. */
    dataBase64: z.string(),
  })
  .register(z.globalRegistry, { id: "FsReadFileResponse" });
export type FsReadFileResponse = z.infer<typeof FsReadFileResponse>;

/** Remove a file or directory tree from the host filesystem. */
export const FsRemoveParams = z
  .object({
    /** Whether missing paths should be ignored. Defaults to `true`. */
    force: z.boolean().nullish(),
    /** Absolute path to remove. */
    path: AbsolutePathBuf,
    /** Whether directory removal should recurse. Defaults to `true`. */
    recursive: z.boolean().nullish(),
  })
  .register(z.globalRegistry, { id: "FsRemoveParams" });
export type FsRemoveParams = z.infer<typeof FsRemoveParams>;

/** Successful response for `fs/remove`. */
export const FsRemoveResponse = z.record(z.string(), z.unknown()).register(z.globalRegistry, { id: "FsRemoveResponse" });
export type FsRemoveResponse = z.infer<typeof FsRemoveResponse>;

/** Stop filesystem watch notifications for a prior `fs/watch`. */
export const FsUnwatchParams = z
  .object({
    /** Watch identifier previously provided to `fs/watch`. */
    watchId: z.string(),
  })
  .register(z.globalRegistry, { id: "FsUnwatchParams" });
export type FsUnwatchParams = z.infer<typeof FsUnwatchParams>;

/** Successful response for `fs/unwatch`. */
export const FsUnwatchResponse = z.record(z.string(), z.unknown()).register(z.globalRegistry, { id: "FsUnwatchResponse" });
export type FsUnwatchResponse = z.infer<typeof FsUnwatchResponse>;

/** Start filesystem watch notifications for an absolute path. */
export const FsWatchParams = z
  .object({
    /** Absolute file or directory path to watch. */
    path: AbsolutePathBuf,
    /** Connection-scoped watch identifier used for `fs/unwatch` and `fs/changed`. */
    watchId: z.string(),
  })
  .register(z.globalRegistry, { id: "FsWatchParams" });
export type FsWatchParams = z.infer<typeof FsWatchParams>;

/** Successful response for `fs/watch`. */
export const FsWatchResponse = z
  .object({
    /** Canonicalized path associated with the watch. */
    path: AbsolutePathBuf,
  })
  .register(z.globalRegistry, { id: "FsWatchResponse" });
export type FsWatchResponse = z.infer<typeof FsWatchResponse>;

/** Write a file on the host filesystem. */
export const FsWriteFileParams = z
  .object({
    /** File contents encoded as base64. */
    dataBase64: z.string(),
    /** Absolute path to write. */
    path: AbsolutePathBuf,
  })
  .register(z.globalRegistry, { id: "FsWriteFileParams" });
export type FsWriteFileParams = z.infer<typeof FsWriteFileParams>;

/** Successful response for `fs/writeFile`. */
export const FsWriteFileResponse = z.record(z.string(), z.unknown()).register(z.globalRegistry, { id: "FsWriteFileResponse" });
export type FsWriteFileResponse = z.infer<typeof FsWriteFileResponse>;

/** This module's client requests: rows of the v2 table (methods.ts puts them in wire order); the dispatcher loads one module's rows on the first request for one of them (v2/requestGroups.ts). */
export const fsRequests = {
  "fs/readFile": request(FsReadFileParams, FsReadFileResponse),
  "fs/writeFile": request(FsWriteFileParams, FsWriteFileResponse),
  "fs/createDirectory": request(FsCreateDirectoryParams, FsCreateDirectoryResponse),
  "fs/getMetadata": request(FsGetMetadataParams, FsGetMetadataResponse),
  "fs/readDirectory": request(FsReadDirectoryParams, FsReadDirectoryResponse),
  "fs/remove": request(FsRemoveParams, FsRemoveResponse),
  "fs/copy": request(FsCopyParams, FsCopyResponse),
  "fs/watch": request(FsWatchParams, FsWatchResponse),
  "fs/unwatch": request(FsUnwatchParams, FsUnwatchResponse),
} as const satisfies RequestTable;
