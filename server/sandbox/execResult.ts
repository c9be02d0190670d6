// What a finished run reports. A wrapped run's exit code comes from bwrap's {"exit-code": N} status
// document. Without one, bwrap failed before the command ran: that is reported as a sandbox set-up
// failure, not as the command's exit (except `execvp` failures, mapped to 126/127 as a shell would).
import { constants as osConstants } from "node:os";
import type { DenialContext, SandboxDenial } from "./denial.js";
import { detectSandboxDenial, relaySetupFailureDenial, setupFailureDenial } from "./denial.js";
import type { HeadTailBuffer } from "./headTailBuffer.js";
import type { SandboxKind } from "./launcherTypes.js";

export interface ExecResult {
  /** The command's exit code; 128+N for a signal death; bwrap's own code for a set-up failure. */
  readonly exitCode: number;
  /** Set when the process we spawned died of a signal (e.g. after a timeout). */
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  readonly aborted: boolean;
  /** True when any output was omitted because of the cap. */
  readonly truncated: boolean;
  readonly outputCap: number | null;
  readonly omittedBytes: { readonly stdout: number; readonly stderr: number };
  /** bwrap failed before the command started (see sandboxDenial for the reason). */
  readonly sandboxSetupFailed: boolean;
  readonly sandboxDenial?: SandboxDenial;
  /** Further denials found after the run (a protected path created and removed). */
  readonly postRunDenials: readonly SandboxDenial[];
}

/** Everything a run's result is decided from, gathered once its process tree is gone. */
export interface ExecOutcome {
  /** The program, named in the line a failed spawn adds to stderr. */
  readonly file: string;
  readonly sandbox: SandboxKind;
  readonly denialContext: DenialContext;
  readonly spawnError: NodeJS.ErrnoException | undefined;
  readonly exit: { readonly code: number | null; readonly signal: NodeJS.Signals | null } | undefined;
  /** What bwrap's status document says the command exited with, if it says. */
  readonly bwrapExitCode: number | undefined;
  readonly stdout: HeadTailBuffer;
  readonly stderr: HeadTailBuffer;
  /** stdout and stderr are one stream (PTY), so bwrap's own messages arrive on stdout. */
  readonly merged: boolean;
  readonly timedOut: boolean;
  readonly aborted: boolean;
  /** The run had a network relay, and it never reported ready. */
  readonly relayNotReady: boolean;
  readonly postRunDenials: readonly SandboxDenial[];
}

function signalNumber(sig: NodeJS.Signals): number {
  return (osConstants.signals as Record<string, number | undefined>)[sig] ?? 0;
}

export function execResult(o: ExecOutcome): ExecResult {
  const { spawnError, timedOut, aborted, postRunDenials } = o;
  const stdout = o.stdout.text();
  let stderr = o.stderr.text();
  let exitCode: number;
  let setupFailed = false;
  let denial: SandboxDenial | undefined;
  const signal = o.exit?.signal ?? null;
  if (spawnError !== undefined) {
    exitCode = spawnError.code === "ENOENT" ? 127 : spawnError.code === "EACCES" ? 126 : 1;
    stderr += `${stderr && !stderr.endsWith("\n") ? "\n" : ""}${o.file}: ${spawnError.code === "ENOENT" ? "command not found" : spawnError.message}\n`;
  } else if (signal !== null) {
    exitCode = 128 + signalNumber(signal);
  } else {
    exitCode = o.exit?.code ?? 1;
  }
  if (o.sandbox === "bwrap" && spawnError === undefined) {
    if (o.bwrapExitCode !== undefined) {
      exitCode = o.bwrapExitCode;
    } else if (!timedOut && !aborted && signal === null) {
      const diagnostics = o.merged ? stdout : stderr;
      const execvp = /^bwrap: execvp [^\n]*: (No such file or directory|Permission denied)\r?$/m.exec(diagnostics);
      if (execvp) exitCode = execvp[1] === "Permission denied" ? 126 : 127;
      else {
        setupFailed = true;
        denial = setupFailureDenial(diagnostics);
      }
    }
  }
  if (o.relayNotReady && !setupFailed && spawnError === undefined && !timedOut && !aborted) {
    // The relay never got its listeners up, so the command never started: report the sandbox, not
    // the relay's exit code as if it were the command's.
    setupFailed = true;
    denial = relaySetupFailureDenial(stderr);
  }
  if (denial === undefined && !timedOut && !aborted) {
    denial = detectSandboxDenial({ context: o.denialContext, exitCode, stdout, stderr });
  }
  if (postRunDenials.length > 0 && exitCode === 0) exitCode = 1;
  return {
    exitCode,
    signal,
    stdout,
    stderr,
    timedOut,
    aborted,
    truncated: o.stdout.omitted > 0 || o.stderr.omitted > 0,
    outputCap: o.stdout.cap,
    omittedBytes: { stdout: o.stdout.omitted, stderr: o.stderr.omitted },
    sandboxSetupFailed: setupFailed,
    ...(denial === undefined ? {} : { sandboxDenial: denial }),
    postRunDenials,
  };
}
