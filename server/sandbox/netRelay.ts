// The in-sandbox network relay (IPC socket passing, no host socket bound in), a program of its own: bwrap runs
//
//   node netRelay.mjs <httpPort> <socksPort> -- <command…>
//
// inside the command's fresh network namespace (only its own `lo`, which bwrap brings up). It listens
// on 127.0.0.1 at the daemon proxy's own port numbers, so the proxy variables are the same inside and
// out, and passes every accepted socket to the daemon over the Node IPC channel the daemon opened when
// it spawned bwrap (`process.send({kind}, socket)`): the daemon attaches it to its proxy as this
// command's connection. No host socket path is visible inside, and no AF_UNIX socket is ever created
// here, so the full seccomp filter (socket(AF_UNIX) refused) stays on.
//
// Then it runs the command with the relay's stdio and an environment without NODE_CHANNEL_*, forwards
// the signals it can catch, and ends as the command ended: the same exit code, or the same signal
// re-raised, so bwrap's status document and denial detection see the command, not the relay.
//
// Protocol to the daemon (one direction only): `{kind:"ready"}` once both listeners are up, before
// the command starts (the daemon treats a run without it as a sandbox set-up failure: the command
// never ran), then `{kind:"http"|"socks5"}` with a socket handle per connection.
//
// Invariants: the IPC fd does not reach the command (libuv opens the channel close-on-exec, checked by
// test/sandbox/managedNetwork.test.ts); the relay never writes to stdout and never reads stdin, both
// belong to the command; its own failures go to stderr prefixed "gatehouse-net-relay:".
//
// Trust: the relay runs inside the command's sandbox, so the command can kill it or speak its IPC
// channel (pidfd_getfd is not filtered). That gains it nothing: whatever arrives on this channel is
// attributed to this command, and the daemon accepts only socket handles with a known kind.
import { spawn } from "node:child_process";
import { writeSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { constants as osConstants } from "node:os";

const PREFIX = "gatehouse-net-relay:";
// Not SIGUSR1 (Node keeps it for the inspector) and not the stop signals (the relay would not stop).
const FORWARDED: readonly NodeJS.Signals[] = ["SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT", "SIGUSR2", "SIGWINCH"];

function fail(message: string, code = 1): never {
  try {
    writeSync(2, `${PREFIX} ${message}\n`);
  } catch {
    // stderr closed
  }
  process.exit(code);
}

function parseArgs(argv: readonly string[]): { httpPort: number; socksPort: number; command: string[] } {
  const [http, socks, dashes, ...command] = argv;
  const port = (s: string | undefined): number => {
    const n = Number(s);
    if (!Number.isInteger(n) || n <= 0 || n > 65535) fail(`usage: netRelay <httpPort> <socksPort> -- <command…> (bad port ${JSON.stringify(s)})`, 2);
    return n;
  };
  const httpPort = port(http);
  const socksPort = port(socks);
  if (dashes !== "--" || command.length === 0) fail("usage: netRelay <httpPort> <socksPort> -- <command…>", 2);
  return { httpPort, socksPort, command };
}

function listen(port: number, kind: "http" | "socks5"): Promise<Server> {
  const server = createServer({ pauseOnConnect: true }, (socket: Socket) => {
    socket.on("error", () => undefined);
    // The handle goes to the daemon; this process closes its copy once it is sent.
    process.send?.({ kind }, socket, undefined, (error) => {
      if (error) socket.destroy();
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => {
      server.removeListener("error", reject);
      resolve(server);
    });
  });
}

async function main(): Promise<void> {
  const { httpPort, socksPort, command } = parseArgs(process.argv.slice(2));
  if (typeof process.send !== "function" || !process.connected) fail("no IPC channel to the daemon (NODE_CHANNEL_FD); the relay must be started by the daemon");
  // The daemon never writes to this channel; a closed channel means the daemon is gone.
  process.channel?.unref();

  try {
    await Promise.all([listen(httpPort, "http"), listen(socksPort, "socks5")]);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    fail(`cannot listen on 127.0.0.1 in the sandbox's network namespace: ${err.code ?? err.message}`);
  }
  process.send({ kind: "ready" });

  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("NODE_CHANNEL_")) env[k] = v;
  const [file, ...args] = command as [string, ...string[]];
  const child = spawn(file, args, { stdio: "inherit", env });
  for (const sig of FORWARDED) {
    process.on(sig, () => {
      try {
        child.kill(sig);
      } catch {
        // already gone
      }
    });
  }
  child.on("error", (e: NodeJS.ErrnoException) => {
    // What a shell would say and exit with; bwrap's own execvp failure maps the same way.
    if (e.code === "ENOENT") fail(`${file}: command not found`, 127);
    if (e.code === "EACCES") fail(`${file}: Permission denied`, 126);
    fail(`${file}: ${e.message}`, 126);
  });
  child.on("exit", (code, signal) => {
    if (signal !== null) {
      for (const sig of FORWARDED) process.removeAllListeners(sig);
      try {
        process.kill(process.pid, signal);
      } catch {
        // fall through to the shell convention
      }
      // A signal this process ignores or cannot take by default still reports as the shell would.
      setTimeout(() => process.exit(128 + ((osConstants.signals as Record<string, number | undefined>)[signal] ?? 0)), 100).unref();
      return;
    }
    process.exit(code ?? 1);
  });
}

void main();
