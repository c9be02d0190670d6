// fs/watch ids are scoped to one connection (0.169: "Connection-scoped watch identifier"), so the
// registry keeps one table per client and releases every watch of a client when its connection
// closes: OS watches are a per-user kernel budget (inotify max_user_watches), and a client that
// disconnects without fs/unwatch must not keep spending it.
//
// 0.169 (observed) lets only the newest of two watches on the same folder fire; here every watch has
// its own OS handles, so each gets its own fs/changed.
import type { ClientSink } from "../ports.js";
import type { Logger } from "../../log.js";
import { invalid } from "./errors.js";
import { PathWatcher, type PathWatcherOptions } from "./pathWatcher.js";

interface ClientWatches {
  readonly byId: Map<string, PathWatcher | Promise<PathWatcher>>;
}

export class WatchRegistry {
  private readonly clients = new Map<ClientSink, ClientWatches>();

  constructor(
    private readonly log?: Logger,
    private readonly options: PathWatcherOptions = {},
  ) {}

  async watch(client: ClientSink, watchId: string, target: string): Promise<void> {
    const table = this.tableFor(client);
    if (table.byId.has(watchId)) throw invalid(`watchId already exists: ${watchId}`, { path: target, watchId });
    const starting = PathWatcher.start(
      target,
      (changedPaths) => {
        if (!client.closed) client.notify("fs/changed", { watchId, changedPaths });
      },
      { ...this.options, onError: (err) => this.log?.warn({ err, watchId, path: target }, "fs/watch could not re-arm; changes may be missed") },
    );
    // Claimed before the first await, so a second fs/watch with the same id in flight is refused.
    table.byId.set(watchId, starting);
    let watcher: PathWatcher;
    try {
      watcher = await starting;
    } catch (err) {
      if (table.byId.get(watchId) === starting) table.byId.delete(watchId);
      throw err;
    }
    // Unwatched, or the connection closed, while the watchers were being set up.
    if (table.byId.get(watchId) !== starting || client.closed) {
      watcher.close();
      return;
    }
    table.byId.set(watchId, watcher);
  }

  /** Unknown ids are fine (0.169 answers {} too): unwatch is idempotent. */
  unwatch(client: ClientSink, watchId: string): void {
    const table = this.clients.get(client);
    const entry = table?.byId.get(watchId);
    if (!table || entry === undefined) return;
    table.byId.delete(watchId);
    if (entry instanceof PathWatcher) entry.close();
    else
      void entry.then(
        (w) => w.close(),
        () => undefined,
      );
  }

  /** Live watch count of a client (diagnostics and tests). */
  count(client: ClientSink): number {
    return this.clients.get(client)?.byId.size ?? 0;
  }

  private tableFor(client: ClientSink): ClientWatches {
    let table = this.clients.get(client);
    if (table === undefined) {
      const created: ClientWatches = { byId: new Map() };
      table = created;
      this.clients.set(client, created);
      client.onClose(() => {
        const n = created.byId.size;
        for (const id of [...created.byId.keys()]) this.unwatch(client, id);
        this.clients.delete(client);
        if (n > 0) this.log?.debug({ connection: client.session.connectionId, released: n }, "fs watches released on disconnect");
      });
    }
    return table;
  }
}
