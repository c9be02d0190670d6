// `gatehouse app-server`: the reference's flags, one transport, one App. Each accepted connection is
// its own session. In stdio mode the process ends when stdin closes.
import { parseArgs } from "node:util";
import { join } from "node:path";
import { createApp } from "../app.js";
import { ensureHome, resolveHome } from "../core/config/home.js";
import { createLogger } from "../log.js";
import { parseWsAuthFlags } from "../transport/auth.js";
import { parseListenUrl } from "../transport/listen.js";
import { openStdio } from "../transport/stdio.js";
import { DEFAULT_SOCKET_FILE_NAME, startUnixSocketServer } from "../transport/unixSocket.js";
import { parseAllowedOrigins, startWebSocketServer } from "../transport/webSocket.js";

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
    },
  });
  const log = createLogger();
  const target = parseListenUrl(values.stdio ? "stdio://" : (values.listen ?? "stdio://"));
  const home = await ensureHome(resolveHome(process.env));
  const configOverrides = [
    ...(values.config ?? []),
    ...(values.enable ?? []).map((f) => `features.${f}=true`),
    ...(values.disable ?? []).map((f) => `features.${f}=false`),
  ];
  const app = await createApp({ home, log, configOverrides, ...maxInFlightFromEnv() });

  switch (target.kind) {
    case "stdio": {
      const { reader, writer } = openStdio();
      const connection = app.connect(reader, writer, "stdio");
      await connection.closed;
      await app.close();
      return 0;
    }
    case "unix": {
      const server = await startUnixSocketServer({
        path: target.path ?? join(home, DEFAULT_SOCKET_FILE_NAME),
        onConnection: (c) => app.connect(c.reader, c.writer, "unix"),
        log,
        ...(values["ws-allow-origin"] ? { allowedOrigins: parseAllowedOrigins(values["ws-allow-origin"]) } : {}),
      });
      log.info({ url: `unix://${server.path}` }, "listening");
      await untilSignal();
      await server.close();
      await app.close();
      return 0;
    }
    case "ws": {
      const auth = parseWsAuthFlags(values as Record<string, string | undefined>);
      const server = await startWebSocketServer({
        host: target.host,
        port: target.port,
        auth,
        log,
        onConnection: (c) => app.connect(c.reader, c.writer, "ws"),
        ...(values["ws-allow-origin"] ? { allowedOrigins: parseAllowedOrigins(values["ws-allow-origin"]) } : {}),
      });
      log.info({ url: server.url }, "listening");
      await untilSignal();
      await server.close();
      await app.close();
      return 0;
    }
    case "off":
      log.info("--listen off: no transport; waiting for a signal");
      await untilSignal();
      await app.close();
      return 0;
  }
}

function maxInFlightFromEnv(): { maxInFlight?: number } {
  const n = Number(process.env["GATEHOUSE_MAX_INFLIGHT"]);
  return Number.isInteger(n) && n > 0 ? { maxInFlight: n } : {};
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      process.off("SIGINT", done);
      process.off("SIGTERM", done);
      resolve();
    };
    process.once("SIGINT", done);
    process.once("SIGTERM", done);
  });
}

