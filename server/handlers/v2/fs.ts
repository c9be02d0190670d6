// fs/* → FsService. Watches belong to the calling connection (ctx.client), which is how they are
// released when it closes. Errors are FsError, whose kinds rpc/toRpcError.ts maps to wire codes.
import type { FsService } from "../../core/fs/fsService.js";
import type { ClientRequestTable, Handler } from "../handlerMap.js";

type FsMethod =
  "fs/readFile" | "fs/writeFile" | "fs/createDirectory" | "fs/getMetadata" | "fs/readDirectory" | "fs/remove" | "fs/copy" | "fs/watch" | "fs/unwatch";

type Handlers = { [M in FsMethod]: Handler<ClientRequestTable[M]> };

export function fsHandlers(fs: FsService): Handlers {
  return {
    "fs/readFile": (p) => fs.readFile(p.path),
    "fs/writeFile": (p) => fs.writeFile(p.path, p.dataBase64),
    "fs/createDirectory": (p) => fs.createDirectory(p.path, p.recursive),
    "fs/getMetadata": (p) => fs.getMetadata(p.path),
    "fs/readDirectory": (p) => fs.readDirectory(p.path),
    "fs/remove": (p) => fs.remove(p.path, p.recursive, p.force),
    "fs/copy": (p) => fs.copy(p.sourcePath, p.destinationPath, p.recursive),
    "fs/watch": (p, ctx) => fs.watch(ctx.client, p.watchId, p.path),
    "fs/unwatch": (p, ctx) => fs.unwatch(ctx.client, p.watchId),
  };
}
