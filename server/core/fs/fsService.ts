// fs/* on the daemon's host, as 0.169 answers them (observed behaviour is noted where it matters).
// The operations run with the daemon's own rights; there is no sandbox here, as in the reference.
//
// Kept from 0.169: absolute paths only; reads and metadata follow symlinks (getMetadata also says
// whether the path itself is one); writes go through a symlink to its target, keeping the link and
// the target's permission bits; remove defaults to force and recursive and removes a symlink, never
// what it points at; createDirectory defaults to recursive; a missing parent is an error for writes.
//
// Better than 0.169 without changing what succeeds: every error names its path; writes and copies
// are atomic (files.ts, copy.ts); a dangling symlink has metadata and is listed instead of being
// "No such file" / silently skipped; readDirectory is sorted by name; createdAtMs is the birth time
// where the file system keeps one (0.169 answers 0 even on ext4); removing "/" is refused.
import { lstat, mkdir, readdir, rm, rmdir, stat, unlink } from "node:fs/promises";
import type { Stats } from "node:fs";
import path from "node:path";
import type { Logger } from "../../log.js";
import type { ClientSink } from "../ports.js";
import { copyPath } from "./copy.js";
import { invalid, io, ioError } from "./errors.js";
import { DEFAULT_READ_LIMIT, decodeBase64, readFileCapped, replaceFile } from "./files.js";
import type { PathWatcherOptions } from "./pathWatcher.js";
import { requirePathParam } from "./paths.js";
import { WatchRegistry } from "./watchRegistry.js";

export interface FsServiceOptions {
  readonly log?: Logger;
  /** fs/readFile refuses larger files (default: the most one JSON line can carry, ≤ 0.169's 512 MiB). */
  readonly maxReadBytes?: number;
  readonly watch?: PathWatcherOptions;
}

export interface FsMetadata {
  isDirectory: boolean;
  isFile: boolean;
  isSymlink: boolean;
  createdAtMs: number;
  modifiedAtMs: number;
}

export interface FsDirectoryEntry {
  fileName: string;
  isDirectory: boolean;
  isFile: boolean;
}

function ms(value: number): number {
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

/** A trailing separator would make basename/dirname (and the paths watches report) differ from the OS's view. */
function trimTrailingSeparators(p: string): string {
  const root = path.parse(p).root;
  let out = p;
  while (out.length > root.length && (out.endsWith("/") || out.endsWith(path.sep))) out = out.slice(0, -1);
  return out;
}

export class FsService {
  readonly maxReadBytes: number;
  private readonly watches: WatchRegistry;

  constructor(private readonly options: FsServiceOptions = {}) {
    this.maxReadBytes = options.maxReadBytes ?? DEFAULT_READ_LIMIT;
    this.watches = new WatchRegistry(options.log, options.watch);
  }

  async readFile(p: string): Promise<{ dataBase64: string }> {
    requirePathParam("path", p);
    const bytes = await readFileCapped(p, this.maxReadBytes);
    return { dataBase64: bytes.toString("base64") };
  }

  async writeFile(p: string, dataBase64: string): Promise<Record<string, never>> {
    requirePathParam("path", p);
    const bytes = decodeBase64(dataBase64);
    if (typeof bytes === "string") throw invalid(`fs/writeFile requires valid base64 dataBase64: ${bytes}`, { path: p });
    await replaceFile(p, { data: bytes });
    return {};
  }

  async createDirectory(p: string, recursive: boolean | null | undefined): Promise<Record<string, never>> {
    requirePathParam("path", p);
    const deep = recursive ?? true;
    await io(p, async () => {
      await mkdir(p, { recursive: deep });
      // mkdir -p succeeds on an existing folder but must not on an existing file (0.169: File exists).
      if (deep && !(await stat(p)).isDirectory()) throw Object.assign(new Error("EEXIST"), { code: "EEXIST" });
    });
    return {};
  }

  async getMetadata(p: string): Promise<FsMetadata> {
    requirePathParam("path", p);
    const own = await io(p, () => lstat(p));
    let resolved: Stats = own;
    if (own.isSymbolicLink()) {
      try {
        resolved = await stat(p);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== "ENOENT" && code !== "ELOOP") throw ioError(err, p);
      }
    }
    const dangling = resolved === own && own.isSymbolicLink();
    return {
      isDirectory: !dangling && resolved.isDirectory(),
      isFile: !dangling && resolved.isFile(),
      isSymlink: own.isSymbolicLink(),
      createdAtMs: ms(resolved.birthtimeMs),
      modifiedAtMs: ms(resolved.mtimeMs),
    };
  }

  async readDirectory(p: string): Promise<{ entries: FsDirectoryEntry[] }> {
    requirePathParam("path", p);
    const dirents = await io(p, () => readdir(p, { withFileTypes: true }));
    const entries = await Promise.all(
      dirents.map(async (d): Promise<FsDirectoryEntry> => {
        if (!d.isSymbolicLink()) return { fileName: d.name, isDirectory: d.isDirectory(), isFile: d.isFile() };
        try {
          const st = await stat(path.join(p, d.name));
          return { fileName: d.name, isDirectory: st.isDirectory(), isFile: st.isFile() };
        } catch {
          return { fileName: d.name, isDirectory: false, isFile: false };
        }
      }),
    );
    entries.sort((a, b) => (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0));
    return { entries };
  }

  async remove(p: string, recursive: boolean | null | undefined, force: boolean | null | undefined): Promise<Record<string, never>> {
    requirePathParam("path", p);
    if (path.parse(p).root === trimTrailingSeparators(path.normalize(p))) throw invalid(`fs/remove refuses to remove the file system root: ${p}`, { path: p });
    let st: Stats;
    try {
      st = await lstat(p);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT" && (force ?? true)) return {};
      throw ioError(err, p);
    }
    if (!st.isDirectory()) await io(p, () => unlink(p));
    else if (recursive ?? true) await io(p, () => rm(p, { recursive: true, force: false }));
    else await io(p, () => rmdir(p));
    return {};
  }

  async copy(sourcePath: string, destinationPath: string, recursive: boolean | undefined): Promise<Record<string, never>> {
    requirePathParam("sourcePath", sourcePath);
    requirePathParam("destinationPath", destinationPath);
    await copyPath(sourcePath, destinationPath, recursive ?? false, this.options.log);
    return {};
  }

  async watch(client: ClientSink, watchId: string, p: string): Promise<{ path: string }> {
    requirePathParam("path", p);
    await this.watches.watch(client, watchId, trimTrailingSeparators(p));
    // 0.169 answers the path as given (a symlink stays a symlink), despite the schema's "canonicalized".
    return { path: p };
  }

  unwatch(client: ClientSink, watchId: string): Record<string, never> {
    this.watches.unwatch(client, watchId);
    return {};
  }

  watchCount(client: ClientSink): number {
    return this.watches.count(client);
  }
}
