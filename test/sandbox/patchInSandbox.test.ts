// Patch writes run inside the sandbox ("sandboxed" writes: how Gatehouse applies patches where it
// cannot confine the write itself, macOS or a Linux without /proc, and how 0.169 applies every patch),
// forced here on Linux so the path runs against real bubblewrap, the real approval gate and real files.
// The sandbox refuses a write outside the writable roots (a symlink out of the workspace, or one
// swapped in after the decision); the gate then asks again with 0.169's reason, and only an approval
// writes outside the sandbox.
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
  chmodSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../../server/log.js";
import { selectLauncher } from "../../server/sandbox/launcher.js";
import type { SandboxPolicy } from "../../server/sandbox/sandboxPolicy.js";
import { ApprovalService } from "../../server/core/approval/approvalService.js";
import type { ServerRequestThread, ClientSink, Session } from "../../server/core/ports.js";
import { runApplyPatch } from "../../server/core/tools/applyPatchTool.js";
import { RETRY_WITHOUT_SANDBOX } from "../../server/core/tools/retryWithoutSandbox.js";
import type { ToolContext } from "../../server/core/tools/toolTypes.js";

const hasBwrap = existsSync("/usr/bin/bwrap");
/** The cwd is the only writable root: the test's folders live under /tmp. */
const CWD_ONLY: SandboxPolicy = { type: "workspaceWrite", excludeSlashTmp: true, excludeTmpdirEnvVar: true };

let base: string;
let cwd: string;
let outside: string;
beforeEach(() => {
  base = realpathSync(mkdtempSync(join(tmpdir(), "patch-in-sandbox-")));
  cwd = join(base, "cwd");
  outside = join(base, "outside");
  mkdirSync(cwd);
  mkdirSync(outside);
  writeFileSync(join(outside, "victim.txt"), "secret\n");
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

interface Asked {
  readonly itemId: string;
  readonly reason: unknown;
}

/** A thread whose one client answers the approval requests with `answers`, in order, and records them. */
function threadAnswering(answers: string[], asked: Asked[]): ServerRequestThread {
  const client: ClientSink = {
    session: {
      connectionId: 1,
      transport: "stdio",
      initialized: true,
      clientInfo: null,
      experimentalApi: false,
      optOutNotificationMethods: new Set(),
    } satisfies Session,
    closed: false,
    notify: () => {},
    request: (_method, params) => {
      const p = params as { itemId: string; reason: unknown };
      asked.push({ itemId: p.itemId, reason: p.reason });
      return Promise.resolve({ decision: answers.shift() ?? "decline" });
    },
    onClose: () => {},
  };
  return { id: "t1", subscribers: new Set([client]), status: { type: "idle" }, setStatus: () => {}, emit: () => {} };
}

interface Run {
  readonly output: string;
  readonly status: unknown;
  readonly asked: readonly Asked[];
}

async function applyInSandbox(patch: string, approvalPolicy: string, answers: string[] = [], beforeWrite?: () => void): Promise<Run> {
  const asked: Asked[] = [];
  const thread = threadAnswering(answers, asked);
  const approvals = new ApprovalService({ home: mkdtempSync(join(base, "home-")), log: createLogger("silent") });
  let status: unknown = null;
  let checks = 0;
  // The parts of a turn's context that apply_patch uses; the rest of a turn is not needed here.
  const ctx = {
    thread,
    turnId: "turn1",
    items: {
      start: () => {},
      complete: (item: { status: unknown }) => {
        status = item.status;
        return Promise.resolve(item);
      },
    },
    settings: { cwd, sandboxPolicy: CWD_ONLY, approvalPolicy },
    signal: new AbortController().signal,
    approvals: {
      check: async (req: Parameters<ApprovalService["check"]>[0], signal: AbortSignal) => {
        const outcome = await approvals.check(req, signal);
        // Between the decision and the write: what a sandboxed command (or the user) could do meanwhile.
        if (checks++ === 0) beforeWrite?.();
        return outcome;
      },
    },
    launcher: selectLauncher("linux"),
    log: createLogger("silent"),
    warnOnce: () => {},
  } as unknown as ToolContext; // a partial context: the test exercises apply_patch alone
  const output = await runApplyPatch(`*** Begin Patch\n${patch}\n*** End Patch`, "p1", cwd, ctx, "sandboxed");
  return { output, status, asked };
}

describe.runIf(hasBwrap)("patch writes inside the sandbox (real bubblewrap, real gate)", () => {
  it("inside the writable root: adds, updates (mode kept) and deletes, with no question under on-request", async () => {
    writeFileSync(join(cwd, "run.sh"), "echo old\n");
    chmodSync(join(cwd, "run.sh"), 0o755);
    writeFileSync(join(cwd, "gone.txt"), "x\n");
    const r = await applyInSandbox(
      "*** Add File: sub/new.txt\n+new\n*** Update File: run.sh\n@@\n-echo old\n+echo new\n*** Delete File: gone.txt",
      "on-request",
    );
    expect(r.output).toBe("Success. Updated the following files:\nA sub/new.txt\nM run.sh\nD gone.txt\n");
    expect(r.status).toBe("completed");
    expect(r.asked).toEqual([]);
    expect(readFileSync(join(cwd, "sub", "new.txt"), "utf8")).toBe("new\n");
    expect(readFileSync(join(cwd, "run.sh"), "utf8")).toBe("echo new\n");
    expect(statSync(join(cwd, "run.sh")).mode & 0o777).toBe(0o755);
    expect(existsSync(join(cwd, "gone.txt"))).toBe(false);
  });

  it("a folder swapped for a link out of the workspace after the approval: the sandbox refuses, the retry is asked with 0.169's reason, declined nothing changes", async () => {
    mkdirSync(join(cwd, "sub"));
    writeFileSync(join(cwd, "sub", "victim.txt"), "mine\n");
    const swap = (): void => {
      renameSync(join(cwd, "sub"), join(cwd, "sub.old"));
      symlinkSync(outside, join(cwd, "sub"));
    };
    const r = await applyInSandbox("*** Update File: sub/victim.txt\n@@\n-mine\n+patched", "untrusted", ["accept", "decline"], swap);
    expect(r.asked).toEqual([
      { itemId: "p1", reason: null },
      { itemId: "p1", reason: RETRY_WITHOUT_SANDBOX },
    ]);
    expect(r.status).toBe("declined");
    expect(r.output).toBe("patch rejected by user");
    expect(readFileSync(join(outside, "victim.txt"), "utf8")).toBe("secret\n");
    expect(readFileSync(join(cwd, "sub.old", "victim.txt"), "utf8")).toBe("mine\n");
    expect(lstatSync(join(cwd, "sub")).isSymbolicLink()).toBe(true);
  });

  it("approved to retry outside the sandbox, the write still goes to the path that was decided on, never through a link that appeared since", async () => {
    const r = await applyInSandbox("*** Add File: inside.txt\n+in\n*** Add File: lnk/new.txt\n+out", "on-request", ["accept"], () =>
      symlinkSync(outside, join(cwd, "lnk")),
    );
    // The link appeared after verification: the decision was about cwd/lnk/new.txt (inside the root,
    // no question); the sandbox wrote inside.txt and refused the link; the retry asked for the rest.
    expect(r.asked).toEqual([{ itemId: "p1", reason: RETRY_WITHOUT_SANDBOX }]);
    // 0.169 would now write through the link; here the unsandboxed write follows no link either.
    expect(r.status).toBe("failed");
    expect(r.output).toBe(`Failed to write file ${cwd}/lnk/new.txt: refusing to follow a symbolic link at ${cwd}/lnk (it changed after the patch was checked)`);
    expect(readFileSync(join(cwd, "inside.txt"), "utf8")).toBe("in\n");
    expect(existsSync(join(outside, "new.txt"))).toBe(false);
  });

  // Root inside the sandbox has no CAP_DAC_OVERRIDE, the daemon outside it does: a folder without
  // write permission is a refusal the retry can get past. As another user the retry fails too.
  it.runIf(process.getuid?.() === 0)(
    "a refusal retried with approval is written outside the sandbox (as root: a folder without write permission)",
    async () => {
      mkdirSync(join(cwd, "locked"));
      chmodSync(join(cwd, "locked"), 0o555);
      const r = await applyInSandbox("*** Add File: locked/new.txt\n+ok", "on-request", ["accept"]);
      expect(r.asked).toEqual([{ itemId: "p1", reason: RETRY_WITHOUT_SANDBOX }]);
      expect(r.status).toBe("completed");
      expect(r.output).toBe("Success. Updated the following files:\nA locked/new.txt\n");
      expect(readFileSync(join(cwd, "locked", "new.txt"), "utf8")).toBe("ok\n");
    },
  );

  it("under never, a refusal is reported and nothing is asked or written outside", async () => {
    const r = await applyInSandbox("*** Add File: lnk/new.txt\n+out", "never", [], () => symlinkSync(outside, join(cwd, "lnk")));
    expect(r.asked).toEqual([]);
    expect(r.status).toBe("failed");
    expect(r.output).toMatch(/^Failed to write file .*lnk\/new\.txt: (Read-only file system \(os error 30\)|Permission denied \(os error 13\))/);
    expect(existsSync(join(outside, "new.txt"))).toBe(false);
  });
});
