// `gatehouse app-server`: the reference's flags, one transport, one App. Each accepted connection is
// its own session. In stdio mode the process also ends when stdin closes.
//
// Shutdown is one path for every transport (`serve`): on the first SIGINT or SIGTERM (or stdin's
// end) app.close() interrupts the running turns (their process trees are killed and their pending
// server requests resolve as aborted), kills command/exec sessions and flushes and closes every
// rollout; then the transport closes and the process exits 0. A signal that arrives while that runs
// exits at once with 128 + its number (130 for SIGINT, 143 for SIGTERM), for a shutdown that hangs.
//
// Start-up cost is measured (bench/, `--only startup`: spawn → initialize answered): the App and each
// transport are imported when needed, so stdio never loads ws/http and a listener never loads the
// stdio reader; while the App is built (the protocol tables are ~2,000 zod schemas, nearly all of
// them long-lived) the young generation is kept from growing, see `startupHeap`.
import { parseArgs } from "node:util";
import { join } from "node:path";
import { constants as osConstants } from "node:os";
import { setFlagsFromString } from "node:v8";
import type { App } from "../app.js";
import type { Logger } from "../log.js";
import { ensureHome, resolveHome } from "../core/config/home.js";
import { createLogger, isLogLevel, LOG_LEVELS } from "../log.js";
import { parseListenUrl } from "../transport/listen.js";

export async function runAppServer(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      listen: { type: "string" },
      stdio: { type: "boolean" },
      config: { type: "string", short: "c", multiple: true },
      enable: { type: "string", multiple: true },
      disable: { type: "string", multiple: true },
      "ws-auth": { type: "string" },
      "ws-token-file": { type: "string" },
      "ws-token-sha256": { type: "string" },
      "ws-shared-secret-file": { type: "string" },
      "ws-issuer": { type: "string" },
      "ws-audience": { type: "string" },
      "ws-max-clock-skew-seconds": { type: "string" },
      "ws-allow-origin": { type: "string", multiple: true },
      "log-level": { type: "string" },
      "metrics-public": { type: "boolean" },
    },
  });
  const target = parseListenUrl(values.stdio ? "stdio://" : (values.listen ?? "stdio://"));
  const logLevel = values["log-level"];
  if (logLevel !== undefined && !isLogLevel(logLevel)) throw new Error(`--log-level must be one of ${LOG_LEVELS.join(", ")}, not ${JSON.stringify(logLevel)}`);
  // On stdio a client usually shows the daemon's stderr to its user (IDE extensions, ACP agents such
  // as @posthog/agent print it as warnings), so only what needs attention is logged there by default.
  const log = createLogger(logLevel ?? process.env["GATEHOUSE_LOG"], target.kind === "stdio" ? "warn" : "info");
  const configOverrides = [
    ...(values.config ?? []),
    ...(values.enable ?? []).map((f) => `features.${f}=true`),
    ...(values.disable ?? []).map((f) => `features.${f}=false`),
  ];
  if (values["metrics-public"] && target.kind !== "ws") throw new Error("--metrics-public needs --listen ws://IP:PORT (metrics are served at /metrics there)");
  const endStartup = startupHeap();
  // The stdio transport is read and compiled while the App is built, not after.
  const stdio = target.kind === "stdio" ? import("../transport/stdio.js") : null;
  stdio?.catch(() => {});
  // A listening daemon counts what it does for GET /metrics; on stdio nothing could scrape it, and the
  // metrics library is not even loaded.
  const [home, { createApp }, prometheus] = await Promise.all([
    ensureHome(resolveHome(process.env)),
    import("../app.js"),
    target.kind === "ws" ? import("../core/metrics/prometheusMetrics.js").then((m) => m.createPrometheusMetrics()) : null,
  ]);
  const app = await createApp({
    home,
    log,
    configOverrides,
    ...maxInFlightFromEnv(),
    ...requirementsFileFromEnv(),
    ...(prometheus ? { metrics: prometheus.metrics } : {}),
  });
  endStartup();

  switch (target.kind) {
    case "stdio": {
      const { openStdio } = await (stdio ?? import("../transport/stdio.js"));
      const { reader, writer } = openStdio();
      const connection = app.connect(reader, writer, "stdio");
      return serve(app, log, {
        ended: connection.closed,
        // After a signal stdin is still open: ending it closes the connection and lets the process exit.
        stop: async () => {
          process.stdin.destroy();
          await connection.closed;
        },
      });
    }
    case "unix": {
      const [{ DEFAULT_SOCKET_FILE_NAME, startUnixSocketServer }, { parseAllowedOrigins }] = await Promise.all([
        import("../transport/unixSocket.js"),
        import("../transport/webSocket.js"),
      ]);
      const server = await startUnixSocketServer({
        path: target.path ?? join(home, DEFAULT_SOCKET_FILE_NAME),
        onConnection: (c) => app.connect(c.reader, c.writer, "unix"),
        log,
        ...(values["ws-allow-origin"] ? { allowedOrigins: parseAllowedOrigins(values["ws-allow-origin"]) } : {}),
      });
      log.info({ url: `unix://${server.path}` }, "listening");
      return serve(app, log, { stop: () => server.close() });
    }
    case "ws": {
      const [{ parseWsAuthFlags }, { parseAllowedOrigins, startWebSocketServer }] = await Promise.all([
        import("../transport/auth.js"),
        import("../transport/webSocket.js"),
      ]);
      const auth = parseWsAuthFlags(values as Record<string, string | undefined>);
      const server = await startWebSocketServer({
        host: target.host,
        port: target.port,
        auth,
        log,
        onConnection: (c) => app.connect(c.reader, c.writer, "ws"),
        ...(prometheus ? { metrics: { contentType: prometheus.contentType, scrape: prometheus.scrape, public: values["metrics-public"] === true } } : {}),
        ...(values["ws-allow-origin"] ? { allowedOrigins: parseAllowedOrigins(values["ws-allow-origin"]) } : {}),
      });
      log.info({ url: server.url }, "listening");
      return serve(app, log, { stop: () => server.close() });
    }
    case "off":
      log.info("--listen off: no transport; waiting for a signal");
      return serve(app, log, { stop: () => Promise.resolve() });
  }
}

/**
 * Start-up allocates mostly objects that live as long as the process (schemas, tables, config), so
 * V8's default of doubling the young generation when much survives only adds resident memory that
 * the next old-generation move leaves empty. Growth is held at 1× while the App is built and put back
 * to V8's default (2) afterwards, so the daemon's steady state is tuned as V8 tunes it.
 * A tuning flag only: no effect on behaviour, and V8 reads it each time it considers growing.
 */
function startupHeap(): () => void {
  setFlagsFromString("--semi-space-growth-factor=1");
  return () => setFlagsFromString("--semi-space-growth-factor=2");
}

function maxInFlightFromEnv(): { maxInFlight?: number } {
  const n = Number(process.env["GATEHOUSE_MAX_INFLIGHT"]);
  return Number.isInteger(n) && n > 0 ? { maxInFlight: n } : {};
}

/** `GATEHOUSE_REQUIREMENTS_FILE`: the admin requirements file instead of /etc/codex/requirements.toml (tests, staging). */
function requirementsFileFromEnv(): { requirementsFile?: string } {
  const file = process.env["GATEHOUSE_REQUIREMENTS_FILE"];
  return file ? { requirementsFile: file } : {};
}

/**
 * Runs until the first SIGINT/SIGTERM or the transport's end, then shuts down (see the header):
 * the App first, while clients are still connected to hear their turns end, then the transport.
 */
async function serve(app: App, log: Logger, transport: { ended?: Promise<void>; stop(): Promise<void> }): Promise<number> {
  const signals = shutdownSignals(log);
  const signal = await Promise.race([signals.first, ...(transport.ended ? [transport.ended.then(() => null)] : [])]);
  signals.begin();
  log.info(signal ? { signal } : {}, "shutting down");
  await app.close();
  await transport.stop();
  log.info("shut down");
  return 0;
}

/**
 * `first` resolves with the first SIGINT or SIGTERM. Once the shutdown has begun (that signal, or
 * `begin()`), another signal exits at once with 128 + its number. The handlers stay installed until
 * the process ends, so no signal after the first falls through to the default action.
 */
function shutdownSignals(log: Logger): { first: Promise<NodeJS.Signals>; begin(): void } {
  let begun = false;
  let resolveFirst!: (signal: NodeJS.Signals) => void;
  const first = new Promise<NodeJS.Signals>((r) => (resolveFirst = r));
  const onSignal = (signal: NodeJS.Signals): void => {
    if (!begun) {
      begun = true;
      resolveFirst(signal);
      return;
    }
    const code = 128 + osConstants.signals[signal as "SIGINT" | "SIGTERM"];
    log.warn({ signal, code }, "second signal during shutdown: exiting now");
    process.exit(code);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    first,
    begin: () => {
      begun = true;
    },
  };
}
