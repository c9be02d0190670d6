// Handler groups whose service is built on first use (server/app.ts).
//
// Why: a cold start is measured up to the `initialize` answer (bench/, `--only startup`), and V8
// compiles and evaluates every module that is imported before it. `initialize` needs config and
// the protocol tables only; the turn engine, store, model client, exec, fs, skills, search and
// approvals are imported by dynamic import when the first request that needs them arrives, so
// esbuild puts them in chunks that a session which never uses them never reads.
//
// The handler-completeness check is untouched: `lazyHandlers(factory, service)` has the type of
// `factory`'s result, so the map in app.ts still lists every method of every group. Method names
// are learned by calling the factory once with a stand-in service that throws on any use; a factory
// may only close over its service, never call it while it builds the handlers (none do, and
// createApp would fail at once if one did). Handler modules therefore import their service as a
// type only (`import type`): a value import would pull the service's code back into start-up.

/** A value built on first `get()`; a failed build is forgotten so the next `get()` tries again. */
export interface Lazy<T> {
  get(): Promise<T>;
  /** The value if `get()` was ever called (awaiting a build in progress), else undefined; for shutdown. */
  ifStarted(): Promise<T | undefined>;
}

export function lazyService<T>(build: () => Promise<T>): Lazy<T> {
  let pending: Promise<T> | undefined;
  return {
    get() {
      if (!pending) {
        const attempt = build();
        pending = attempt;
        attempt.catch(() => {
          if (pending === attempt) pending = undefined;
        });
      }
      return pending;
    },
    async ifStarted() {
      if (!pending) return undefined;
      return pending.catch(() => undefined);
    },
  };
}

const standIn: unknown = new Proxy(
  {},
  {
    get(_target, key) {
      throw new Error(`a lazy handler group used its service (.${String(key)}) while building its handlers`);
    },
  },
);

type AnyHandler = (params: unknown, ctx: unknown) => unknown;

/**
 * `factory`'s handlers, each of which builds the service (once) and the real group on its first call.
 * The group is assembled by method name, which no type can follow, hence the casts: it has `factory`'s
 * keys (learned from the stand-in) and each forwards to the real handler of the same name.
 */
export function lazyHandlers<S, H extends object>(factory: (service: S) => H, service: Lazy<S>): H {
  let real: Promise<Record<string, AnyHandler>> | undefined;
  let ready: Record<string, AnyHandler> | undefined;
  const load = (): Promise<Record<string, AnyHandler>> => {
    if (!real) {
      const attempt = service.get().then((s) => (ready = factory(s) as Record<string, AnyHandler>));
      real = attempt;
      attempt.catch(() => {
        if (real === attempt) real = undefined;
      });
    }
    return real;
  };
  const group: Record<string, AnyHandler> = {};
  for (const method of Object.keys(factory(standIn as S))) {
    // Once built, calls go straight through: no extra turn of the event loop per request.
    group[method] = (params, ctx) => (ready ? (ready[method] as AnyHandler)(params, ctx) : load().then((h) => (h[method] as AnyHandler)(params, ctx)));
  }
  return group as H;
}
