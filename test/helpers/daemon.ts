// Spawns the real, built daemon (dist/gatehouse.mjs) and talks raw bytes to it over stdio, so that
// framing tests can send exactly what they mean (partial chunks, invalid UTF-8, CRLF). Every wait has
// a timeout; stderr is kept for failure messages. stop() closes stdin and asserts the daemon's own
// shutdown: exit status 0 and no "Unhandled" (an unhandled rejection or exception) on stderr; a test
// that kills its daemon on purpose says so with `stop({ killed: "why" })`.
import { spawn, type ChildProcess, type ChildProcessWithoutNullStreams } from "node:child_process";
import { fileURLToPath } from "node:url";
import { tempHome, type TempHome } from "./home.js";
import {
  asResponse,
  isNotification,
  isResponse,
  isServerRequest,
  resultOf,
  type Json,
  type Method,
  type Notification,
  type NotificationParams,
  type Params,
  type ParamsArg,
  type RequestId,
  type Response,
  type Result,
  type ServerNotificationMethod,
  type ServerRequest,
  type ServerRequestMethod,
  type ServerRequestParams,
  type ServerRequestResult,
} from "./protocol.js";

export type { Json };

export const DAEMON = fileURLToPath(new URL("../../dist/gatehouse.mjs", import.meta.url));

/** Params may be left out exactly when the table allows it; `id` picks the request's id. */
export type RequestArgs<M extends Method> = undefined extends Params<M> ? [params?: Params<M>, id?: RequestId] : [params: Params<M>, id?: RequestId];

export interface WaitOptions {
  /** Searches from this index of `messages` on. */
  from?: number;
  timeoutMs?: number;
}

export interface RawDaemon {
  child: ChildProcessWithoutNullStreams;
  home: TempHome;
  /** Every stdout line, parsed; a line that is not JSON is kept as {__raw: line}. */
  readonly messages: Json[];
  readonly stderr: () => string;
  send(data: string | Buffer): void;
  sendJson(msg: Json): void;
  /** Resolves with the first message (from `from` on) that matches; rejects after `timeoutMs`. */
  waitFor<T extends Json>(match: (m: Json) => m is T, timeoutMs?: number, from?: number): Promise<T>;
  waitFor(match: (m: Json) => boolean, timeoutMs?: number, from?: number): Promise<Json>;
  response(id: unknown, timeoutMs?: number): Promise<Json>;
  /** Sends a request of the protocol's and resolves with its whole response (result or error). */
  request<M extends Method>(method: M, ...args: RequestArgs<M>): Promise<Response<M>>;
  /** The result of a request that must succeed; rejects with the error response otherwise. */
  result<M extends Method>(method: M, ...params: ParamsArg<M>): Promise<Result<M>>;
  /** Sends what the protocol does not allow (an unknown method, params of the wrong shape) on purpose. */
  requestRaw(method: string, params?: unknown, id?: RequestId): Promise<Json>;
  /** The first notification with this method whose params pass `where`. */
  notification<M extends ServerNotificationMethod>(
    method: M,
    where?: (params: NotificationParams<M>) => boolean,
    options?: WaitOptions,
  ): Promise<Notification<M>>;
  /** The first server request with this method whose params pass `where`. */
  serverRequest<M extends ServerRequestMethod>(
    method: M,
    where?: (params: ServerRequestParams<M>) => boolean,
    options?: WaitOptions,
  ): Promise<ServerRequest<M>>;
  /** Answers a server request with a result its method allows. */
  respond<M extends ServerRequestMethod>(req: ServerRequest<M>, result: ServerRequestResult<M>): void;
  /** Sends initialize, then initialized; resolves with initialize's whole response. */
  initialize(): Promise<Response<"initialize">>;
  /**
   * Ends stdin, waits for the exit (SIGKILL after 5 s) and throws unless the daemon exited 0 with no
   * "Unhandled" on stderr. `killed`: this test ended the daemon on purpose (the reason); any exit is
   * accepted then, but never an unhandled rejection. `signal`: end the daemon with this signal
   * instead of closing stdin (which lets in-flight requests finish first, for up to 30 s).
   */
  stop(options?: { killed?: string; signal?: NodeJS.Signals }): Promise<number | null>;
  /** Resolves with the exit code, or the signal's name when a signal ended the daemon. */
  readonly exited: Promise<number | string | null>;
}

/** Throws unless the daemon's stderr is free of unhandled rejections and exceptions. */
export function assertNoUnhandled(stderr: string, what = "the daemon"): void {
  const at = stderr.indexOf("Unhandled");
  if (at >= 0) throw new Error(`${what} reported an unhandled error on stderr:\n${stderr.slice(Math.max(0, at - 500), at + 2000)}`);
}

let nextId = 1_000_000;

/** `asProgram`: run dist/gatehouse.mjs itself, through its launcher line, as npm's bin link does, instead of `node dist/gatehouse.mjs`. */
export function startDaemon(options: { args?: string[]; env?: NodeJS.ProcessEnv; config?: string; home?: TempHome; asProgram?: boolean } = {}): RawDaemon {
  const home = options.home ?? tempHome();
  if (options.config !== undefined) home.writeConfig(options.config);
  const argv = ["app-server", ...(options.args ?? [])];
  const child = spawn(options.asProgram ? DAEMON : process.execPath, options.asProgram ? argv : [DAEMON, ...argv], {
    env: { ...process.env, GATEHOUSE_HOME: home.home, CODEX_HOME: "", TMPDIR: home.tmp, GATEHOUSE_LOG: "debug", ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const messages: Json[] = [];
  const waiters = new Set<() => void>();
  let err = "";
  let buffered = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      try {
        messages.push(JSON.parse(line) as Json);
      } catch {
        messages.push({ __raw: line });
      }
    }
    for (const w of [...waiters]) w();
  });
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (c: string) => {
    err += c;
  });
  const exited = new Promise<number | string | null>((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal)));

  const daemon: RawDaemon = {
    child,
    home,
    exited,
    messages,
    stderr: () => err,
    send: (data) => {
      child.stdin.write(data);
    },
    sendJson: (msg) => {
      child.stdin.write(`${JSON.stringify(msg)}\n`);
    },
    waitFor(match: (m: Json) => boolean, timeoutMs = 10_000, from = 0): Promise<Json> {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const found = messages.slice(from).find(match);
          if (found) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(found);
            return true;
          }
          return false;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `timed out after ${timeoutMs} ms; got ${messages.length} messages:\n${JSON.stringify(messages.slice(-5))}\nstderr tail:\n${err.slice(-2000)}`,
            ),
          );
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    response(id, timeoutMs) {
      return daemon.waitFor((m) => isResponse(m, id), timeoutMs);
    },
    requestRaw(method, params, id = nextId++) {
      daemon.sendJson(params === undefined ? { id, method } : { id, method, params });
      return daemon.response(id);
    },
    async request<M extends Method>(method: M, ...[params, id]: RequestArgs<M>) {
      return asResponse(method, await daemon.requestRaw(method, params, id));
    },
    async result<M extends Method>(method: M, ...[params]: ParamsArg<M>) {
      return resultOf(method, asResponse(method, await daemon.requestRaw(method, params)));
    },
    notification(method, where, o = {}) {
      return daemon.waitFor(isNotification(method, where), o.timeoutMs, o.from);
    },
    serverRequest(method, where, o = {}) {
      return daemon.waitFor(isServerRequest(method, where), o.timeoutMs, o.from);
    },
    respond(req, result) {
      daemon.sendJson({ id: req.id, result });
    },
    async initialize() {
      const r = await daemon.request("initialize", { clientInfo: { name: "gatehouse-test", version: "0.0.1" } });
      daemon.sendJson({ method: "initialized" });
      return r;
    },
    async stop(opts = {}) {
      let status: number | string | null;
      if (child.exitCode !== null || child.signalCode !== null) status = child.exitCode ?? child.signalCode;
      else {
        if (opts.signal) child.kill(opts.signal);
        else child.stdin.end();
        const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        status = await exited;
        clearTimeout(timer);
      }
      if (!options.home) home.cleanup();
      assertNoUnhandled(err);
      if (opts.killed === undefined && status !== 0) {
        throw new Error(`the daemon exited with ${String(status)} on stop(), not 0; stderr tail:\n${err.slice(-3000)}`);
      }
      return typeof status === "number" ? status : null;
    },
  };
  return daemon;
}

export interface ListeningDaemon {
  child: ChildProcess;
  /** Resolves with the exit code (or signal name) once the daemon has exited. */
  exited: Promise<number | string | null>;
  /** The address the daemon logged as "listening"; rejects if it exits first or logs nothing within 10 s. */
  url: Promise<string>;
}

/**
 * Spawns the daemon with `args` (a `--listen` address) on `home`. The child is returned at once so the
 * caller can register its cleanup before waiting for `url`.
 */
export function spawnListening(home: TempHome, args: string[], env: NodeJS.ProcessEnv = {}): ListeningDaemon {
  const child = spawn(process.execPath, [DAEMON, "app-server", ...args], {
    env: { ...process.env, GATEHOUSE_HOME: home.home, CODEX_HOME: "", TMPDIR: home.tmp, GATEHOUSE_LOG: "info", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const exited = new Promise<number | string | null>((r) => child.once("exit", (code, signal) => r(code ?? signal)));
  const url = new Promise<string>((resolve, reject) => {
    let err = "";
    const timer = setTimeout(() => reject(new Error(`no "listening" line within 10 s; stderr:\n${err}`)), 10_000);
    child.once("exit", (code) => reject(new Error(`the daemon exited (${code}) before listening; stderr:\n${err}`)));
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (c: string) => {
      err += c;
      const m = /"url":"([^"]+)".*"msg":"listening"/.exec(err);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
  return { child, exited, url };
}
