// Patch writes that run inside the thread's sandbox, as 0.169 applies every patch: where the daemon
// cannot make a write unable to follow a swapped-in symlink itself (confinedFs.ts needs Linux's
// /proc/self/fd), each write or delete runs as a small child process through the sandbox launcher
// under the policy the patch was approved with. The sandbox then decides what the write may reach,
// wherever a link points at the moment of the write; a refusal (EROFS, EACCES, EPERM) comes back as
// SandboxWriteDenied, which the caller turns into 0.169's "retry without sandbox?" question.
//
// Invariants: the child is the node binary running this daemon with a fixed script (no shell, no
// PATH lookup); the operation travels on stdin as JSON, never in argv; one process per operation, in
// the order applyVerified calls them, so a failure leaves exactly the earlier operations applied.
import type { DaemonPaths } from "../../sandbox/bwrapPlan.js";
import type { SandboxLauncher } from "../../sandbox/launcherTypes.js";
import type { SandboxPolicy } from "../../sandbox/sandboxPolicy.js";
import type { SplitSandboxPolicy } from "../../sandbox/splitSandboxPolicy.js";
import { startExec } from "../../sandbox/spawn.js";
import { canonicalize, nodeFsView } from "../../sandbox/fsView.js";
import { readFile } from "node:fs/promises";
import type { PatchFs } from "./patchFs.js";

/** The write the sandbox refused; `code` is the errno name the child saw. */
export class SandboxWriteDenied extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "SandboxWriteDenied";
  }
}

/** A write that failed for another reason (missing folder, not a file, the child could not start). */
class SandboxedWriteError extends Error {
  constructor(
    readonly code: string | null,
    message: string,
  ) {
    super(message);
    this.name = "SandboxedWriteError";
  }
}

const DENIED_CODES = new Set(["EROFS", "EACCES", "EPERM"]);

// CommonJS for `node -e`. Atomic replace through a temporary sibling; an existing file keeps its mode.
const WRITER = `
const fs = require("node:fs"), path = require("node:path");
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (c) => { input += c; });
process.stdin.on("end", () => {
  let tmp = null;
  try {
    const op = JSON.parse(input);
    if (op.op === "unlink") fs.unlinkSync(op.path);
    else {
      const dir = path.dirname(op.path);
      fs.mkdirSync(dir, { recursive: true });
      let mode = null;
      try { const st = fs.statSync(op.path); if (st.isFile()) mode = st.mode & 0o7777; } catch {}
      tmp = path.join(dir, "." + path.basename(op.path) + "." + process.pid + ".gatehouse-tmp");
      fs.writeFileSync(tmp, op.data, { mode: mode === null ? 0o666 : mode, flag: "wx" });
      if (mode !== null) fs.chmodSync(tmp, mode);
      fs.renameSync(tmp, op.path);
      tmp = null;
    }
  } catch (e) {
    if (tmp !== null) { try { fs.unlinkSync(tmp); } catch {} }
    process.stdout.write(JSON.stringify({ code: e && e.code ? e.code : null, message: String(e && e.message ? e.message : e) }));
    process.exitCode = 1;
  }
});
`;

export interface SandboxedPatchFsOptions {
  readonly launcher: SandboxLauncher;
  /** The policy the patch was approved to run under (the thread's, plus granted permissions). */
  readonly policy: SandboxPolicy | SplitSandboxPolicy;
  readonly cwd: string;
  readonly daemonPaths?: DaemonPaths;
  readonly signal?: AbortSignal;
}

type Op = { readonly op: "write"; readonly path: string; readonly data: string } | { readonly op: "unlink"; readonly path: string };

export function createSandboxedPatchFs(options: SandboxedPatchFsOptions): PatchFs {
  const run = async (op: Op): Promise<void> => {
    const request = await options.launcher.transform([process.execPath, "-e", WRITER], options.policy, options.cwd, {
      env: {},
      ...(options.daemonPaths ? { daemonPaths: options.daemonPaths } : {}),
    });
    const result = await startExec(request, { stdin: JSON.stringify(op), ...(options.signal ? { signal: options.signal } : {}) }).result;
    if (result.exitCode === 0) return;
    let reported: { code: string | null; message: string } | null = null;
    try {
      reported = JSON.parse(result.stdout) as { code: string | null; message: string };
    } catch {
      // The child did not get as far as reporting (the sandbox could not start it): say what we have.
    }
    if (reported === null)
      throw new SandboxedWriteError(null, `the sandboxed write did not run (exit ${result.exitCode}): ${result.stderr.trim() || "no output"}`);
    if (reported.code !== null && DENIED_CODES.has(reported.code)) throw new SandboxWriteDenied(reported.code, reported.message);
    throw new SandboxedWriteError(reported.code, reported.message);
  };
  return {
    readFile: (p) => readFile(p, "utf8"),
    canonicalize: (p) => canonicalize(p, nodeFsView),
    writeFileAtomic: (p, data) => run({ op: "write", path: p, data }),
    unlink: (p) => run({ op: "unlink", path: p }),
  };
}
