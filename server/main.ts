// `gatehouse` entry: picks the subcommand and hands over. Subcommands are loaded on demand so that
// `app-server` does not pay for the schema generator or the sandbox tools at start-up.
import { parseArgs } from "node:util";
import { enableCompileCache } from "./cli/compileCache.js";
import { resolveHome } from "./core/config/home.js";
import { GATEHOUSE_VERSION, REFERENCE_VERSION } from "./version.js";

const USAGE = `gatehouse ${GATEHOUSE_VERSION} — a JSON-RPC app-server for coding agents (Codex app-server protocol ${REFERENCE_VERSION})

Usage:
  gatehouse app-server [--listen stdio:// | unix://[PATH] | ws://IP:PORT | off] [--stdio] [-c key=value]... [--log-level LEVEL]
                       [--shutdown-grace SECONDS]
                       [--ws-auth capability-token|signed-bearer-token] [--ws-token-file PATH] [--ws-token-sha256 HEX]
                       [--ws-shared-secret-file PATH] [--ws-issuer ISS] [--ws-audience AUD]
                       [--ws-max-clock-skew-seconds N] [--ws-allow-origin ORIGIN]... [--metrics-public]
  gatehouse app-server generate-json-schema --out DIR [--experimental]
  gatehouse app-server generate-ts --out DIR [--experimental]
  gatehouse sandbox [--policy read-only|workspace-write|danger-full-access | --full-auto | -P PROFILE]
                    [-c key=value]... -- CMD [ARG]...
  gatehouse doctor [-c key=value]...
  gatehouse execpolicy check [--rules PATH]... [--pretty] -- CMD...
  gatehouse --version
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "app-server": {
      const sub = rest[0];
      if (sub === "generate-json-schema" || sub === "generate-ts") {
        const { values } = parseArgs({
          args: rest.slice(1),
          options: { out: { type: "string", short: "o" }, experimental: { type: "boolean" }, config: { type: "string", short: "c", multiple: true } },
          strict: true,
        });
        if (!values.out) throw new UsageError(`${sub} needs --out DIR`);
        const { generateJsonSchema, generateTypeScript } = await import("./cli/generate.js");
        const count =
          sub === "generate-json-schema"
            ? generateJsonSchema(values.out, values.experimental ?? false)
            : generateTypeScript(values.out, values.experimental ?? false);
        process.stderr.write(`wrote ${count} files to ${values.out}\n`);
        return 0;
      }
      enableCompileCache(resolveHome());
      const { runAppServer } = await import("./cli/appServer.js");
      return runAppServer(rest);
    }
    case "sandbox": {
      const { runSandbox, SandboxUsageError } = await import("./cli/sandbox.js");
      try {
        return await runSandbox(rest);
      } catch (e) {
        if (e instanceof SandboxUsageError) throw new UsageError(e.message);
        throw e;
      }
    }
    case "doctor": {
      const { runDoctor } = await import("./cli/doctor.js");
      return runDoctor(rest);
    }
    case "execpolicy": {
      const { runExecpolicy, ExecpolicyUsageError } = await import("./cli/execpolicy.js");
      try {
        return await runExecpolicy(rest);
      } catch (error) {
        if (error instanceof ExecpolicyUsageError) throw new UsageError(error.message);
        throw error;
      }
    }
    case "--version":
    case "-V":
      process.stdout.write(`gatehouse ${GATEHOUSE_VERSION} (app-server protocol ${REFERENCE_VERSION})\n`);
      return 0;
    case undefined:
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  }
}

export class UsageError extends Error {}

/**
 * The variables dist/gatehouse.mjs's launcher line sets for this process (scripts/build.mjs says why):
 * they did their work when the process started, and the commands the daemon runs must not inherit them.
 */
function dropLauncherEnvironment(env: NodeJS.ProcessEnv): void {
  const names = env["GATEHOUSE_LAUNCHER_ENV"];
  if (names === undefined) return;
  for (const name of names.split(",")) delete env[name];
  delete env["GATEHOUSE_LAUNCHER_ENV"];
}

dropLauncherEnvironment(process.env);

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`gatehouse: ${message}\n`);
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) process.stderr.write(USAGE);
    process.exitCode = error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS") ? 2 : 1;
  },
);
