// `gatehouse sandbox [--policy MODE | --full-auto | -P PROFILE] [-c key=value]... -- CMD...`: runs one
// command exactly as the daemon's command/exec would (same ExecService.prepare: config, policy,
// environment, daemon paths; same runner), with the terminal's stdin, the command's output passed
// through as it arrives, and its exit code as ours. What the sandbox refused is explained on stderr.
//
// Exit codes: the command's own; 128+N when it died of signal N; 125 when the sandbox could not be set
// up at all (nothing ran), as `env`/`docker run` use 125 for "could not run the command".
import { parseArgs } from "node:util";
import { ConfigService } from "../core/config/configService.js";
import { ensureHome, resolveHome } from "../core/config/home.js";
import { ExecRequestError, ExecSandboxUnavailableError } from "../core/exec/errors.js";
import { ExecService } from "../core/exec/execService.js";
import { SandboxPolicyInputError, sandboxPolicyFromMode } from "../core/commandSetup/sandboxFromWire.js";
import { createLogger } from "../log.js";
import { selectLauncher } from "../sandbox/launcher.js";
import type { SandboxMode, SandboxPolicy } from "../sandbox/sandboxPolicy.js";
import { startExec } from "../sandbox/spawn.js";

export const SANDBOX_SETUP_EXIT_CODE = 125;
const MODES: readonly SandboxMode[] = ["read-only", "workspace-write", "danger-full-access"];
/** Kept per stream only to explain denials; the output itself is passed straight through. */
const CAPTURE_CAP = 64 * 1024;

export class SandboxUsageError extends Error {}

function say(line: string): void {
  process.stderr.write(`gatehouse sandbox: ${line}\n`);
}

export async function runSandbox(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      policy: { type: "string" },
      "full-auto": { type: "boolean" },
      "permission-profile": { type: "string", short: "P" },
      config: { type: "string", short: "c", multiple: true },
    },
  });
  if (positionals.length === 0) throw new SandboxUsageError("sandbox needs a command after --");
  const chosen = [values.policy !== undefined, values["full-auto"] === true, values["permission-profile"] !== undefined].filter(Boolean).length;
  if (chosen > 1) throw new SandboxUsageError("choose one of --policy, --full-auto and --permission-profile");
  if (values.policy !== undefined && !MODES.includes(values.policy as SandboxMode)) {
    throw new SandboxUsageError(`--policy must be one of ${MODES.join(", ")}, got ${JSON.stringify(values.policy)}`);
  }

  const log = createLogger(process.env["GATEHOUSE_LOG"] ?? "warn");
  const home = await ensureHome(resolveHome(process.env));
  const config = await ConfigService.create({ home, cliOverrides: values.config ?? [], log });
  const exec = new ExecService({ launcher: selectLauncher(), config: () => config.effective, startupConfig: config.effective, log });

  let policy: SandboxPolicy | undefined;
  try {
    if (values.policy !== undefined) policy = sandboxPolicyFromMode(values.policy as SandboxMode, config.effective);
    // --full-auto: workspace-write on the cwd (plus configured roots and the temp dirs), network off.
    if (values["full-auto"] === true) {
      const ww = sandboxPolicyFromMode("workspace-write", config.effective);
      policy = ww.type === "workspaceWrite" ? { ...ww, networkAccess: false } : ww;
    }
  } catch (e) {
    if (e instanceof SandboxPolicyInputError) throw new SandboxUsageError(e.message);
    throw e;
  }

  let request;
  try {
    request = await exec.prepare({
      command: positionals,
      cwd: process.cwd(),
      ...(policy ? { policy } : {}),
      ...(values["permission-profile"] !== undefined ? { permissionProfile: values["permission-profile"] } : {}),
    });
  } catch (e) {
    if (e instanceof ExecSandboxUnavailableError) {
      say(`${e.message}`);
      say("run `gatehouse doctor` to check every prerequisite");
      return SANDBOX_SETUP_EXIT_CODE;
    }
    if (e instanceof ExecRequestError) throw new SandboxUsageError(e.message);
    throw e;
  }
  for (const w of request.warnings) say(`warning: ${w.message}`);

  const handle = startExec(request, {
    stdin: "inherit",
    timeoutMs: null,
    outputCap: CAPTURE_CAP,
    onStdout: (d) => process.stdout.write(d),
    onStderr: (d) => process.stderr.write(d),
  });
  // The command runs in its own process group, so the terminal's ^C reaches only us: pass it on as a
  // kill of the whole tree.
  const stop = (): void => handle.terminate();
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  process.on("SIGHUP", stop);
  try {
    const result = await handle.result;
    if (result.sandboxDenial) process.stderr.write(`${result.sandboxDenial.message}\n`);
    for (const d of result.postRunDenials) process.stderr.write(`${d.message}\n`);
    return result.sandboxSetupFailed ? SANDBOX_SETUP_EXIT_CODE : result.exitCode;
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    process.off("SIGHUP", stop);
  }
}
