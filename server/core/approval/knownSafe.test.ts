// The known-safe contract through the real gate (ApprovalService) on a real filesystem: a scripted
// client records every approval request and declines it, so "asked" is observed, not inferred. Each
// attack row also states what the table alone says, so a row cannot pass for the wrong reason (a
// tool that is not installed here, say): syntax attacks are refused by the table, path attacks are
// allowed by the table and refused by where the program is.
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../log.js";
import type { SandboxPolicy } from "../../sandbox/sandboxPolicy.js";
import type { ServerRequestThread, ClientSink, Session } from "../ports.js";
import { loadBashParser } from "../tools/bashParse.js";
import { shellJoin } from "../tools/shellQuote.js";
import { analyzeCommand, KNOWN_SAFE } from "./commandSafety.js";
import { ApprovalService } from "./approvalService.js";
import { untrustedRoots } from "./programTrust.js";
import { sessionApprovalsFor } from "./sessionApprovals.js";

const base = mkdtempSync(join(tmpdir(), "known-safe-"));
/** The thread's cwd: a writable root under every policy here. */
const ws = join(base, "ws");
/** Outside the workspace: a writable root only where /tmp is. */
const other = join(base, "other");
/** Stubs named after every table entry, outside the workspace (never run: the gate only decides). */
const sys = join(base, "sys");
const SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin";
const CAT = "/usr/bin/cat";
const WORKSPACE_WRITE: SandboxPolicy = { type: "workspaceWrite" };
/** Only the cwd is writable: /tmp (where these directories are) is not. */
const CWD_ONLY: SandboxPolicy = { type: "workspaceWrite", excludeSlashTmp: true, excludeTmpdirEnvVar: true };

beforeAll(async () => {
  await loadBashParser();
  for (const d of [ws, join(ws, "bin"), join(ws, "empty"), other, sys]) mkdirSync(d, { recursive: true });
  writeFileSync(join(ws, "a.txt"), "a\n");
  for (const p of [join(ws, "cat"), join(ws, "bin", "cat"), join(other, "cat"), join(ws, "bash")]) {
    copyFileSync(p.endsWith("bash") ? "/bin/bash" : CAT, p);
    chmodSync(p, 0o755);
  }
  // A directory inside the workspace that leads to the system's programs: swappable by the model.
  symlinkSync(dirname(CAT), join(ws, "sys"));
  for (const name of Object.keys(KNOWN_SAFE)) {
    writeFileSync(join(sys, name), "#!/bin/sh\nexit 0\n");
    chmodSync(join(sys, name), 0o755);
  }
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

interface Check {
  readonly path?: string | null;
  readonly policy?: SandboxPolicy;
  readonly knownSafe?: boolean;
  readonly thread?: ServerRequestThread;
}

function fakeThread(asked: unknown[]): ServerRequestThread {
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
    request: (method, params) => {
      asked.push({ method, params });
      return Promise.resolve({ decision: "decline" });
    },
    onClose: () => {},
  };
  const thread: ServerRequestThread = { id: "t1", subscribers: new Set([client]), status: { type: "idle" }, setStatus: () => {}, emit: () => {} };
  return thread;
}

/** "run" when the gate approved without a request, "asked" when the client was asked. */
async function gate(argv: readonly string[], c: Check = {}): Promise<"run" | "asked"> {
  const home = mkdtempSync(join(base, "home-"));
  const asked: unknown[] = [];
  const thread = c.thread ?? fakeThread(asked);
  const service = new ApprovalService({ home, log: createLogger("silent"), knownSafeCommands: () => c.knownSafe ?? true });
  const outcome = await service.check(
    {
      kind: "command",
      thread,
      threadId: thread.id,
      turnId: "turn1",
      itemId: "c1",
      approvalPolicy: "untrusted",
      command: argv,
      cwd: ws,
      escalated: false,
      justification: null,
      sandboxPolicy: c.policy ?? WORKSPACE_WRITE,
      envPath: c.path === undefined ? SYSTEM_PATH : c.path,
      envTmpdir: null,
    },
    new AbortController().signal,
  );
  if (c.thread) return outcome.decision === "approved" ? "run" : "asked";
  expect(outcome.decision).toBe(asked.length === 0 ? "approved" : "declined");
  return asked.length === 0 ? "run" : "asked";
}
const lc = (script: string) => ["/bin/bash", "-lc", script];

describe("every table entry runs unasked through the gate", () => {
  for (const [name, entry] of Object.entries(KNOWN_SAFE)) {
    it(`${shellJoin(entry.example)} (program on PATH outside the writable roots)`, async () => {
      expect(await gate(lc(shellJoin(entry.example)), { path: sys, policy: CWD_ONLY })).toBe("run");
      expect(await gate(entry.example, { path: sys, policy: CWD_ONLY })).toBe("run");
      expect(await gate(lc(shellJoin([join(sys, name), ...entry.example.slice(1)])), { path: sys, policy: CWD_ONLY })).toBe("run");
    });
  }
});

// [what the model runs, what the table alone says, check options]; every row must be asked.
const ATTACKS: Array<[string, boolean, Check?]> = [
  // Issue 18 point 2: known-safe commands that ran programs.
  ["git grep --open-files-in-pager='touch x' foo", false],
  ["git grep -O'touch x' foo", false],
  ["git grep --open-files='touch x' foo", false],
  ["sort --compress-program=./prog a.txt", false],
  ["sort --compress-program ./prog a.txt", false],
  ["sort --compress-prog=./prog a.txt", false],
  ["fd -x touch {}", false],
  ["fd -X rm", false],
  ["fd -Hx touch", false],
  ["fd --exec touch", false],
  ["fd --exec-batch rm", false],
  ["fd -l", false],
  ["diff --paginate a b", false],
  // Point 3: known-safe commands that wrote files or changed the host.
  ["sort -o out a.txt", false],
  ["sort -oout a.txt", false],
  ["sort -uo out a.txt", false],
  ["sort --output=out a.txt", false],
  ["sort --output out a.txt", false],
  ["sort --out=out a.txt", false],
  ["uniq a.txt out.txt", false],
  ["uniq -c -- a.txt out.txt", false],
  ["tree -o out.txt", false],
  ["tree -oout.txt", false],
  ["tree -R", false],
  ["file -C", false],
  ["file -C -m magic", false],
  ["file -z a.gz", false],
  ["date -s '2020-01-01'", false],
  ["date --set='2020-01-01'", false],
  ["date -us now", false],
  ["date 010100002020", false],
  ["hostname evil", false],
  ["hostname -F name.txt", false],
  ["hostname -b evil", false],
  ["base64 -o out a.bin", false],
  // Point 4: the right name, the wrong program.
  [`${ws}/cat a.txt`, true],
  [`${ws}/sys/cat a.txt`, true],
  [`${other}/cat a.txt`, true],
  ["./cat a.txt", false],
  ["bin/cat a.txt", false],
  ["cat a.txt", true, { path: `${ws}/bin:${SYSTEM_PATH}` }],
  ["cat a.txt", true, { path: `${ws}/empty:${SYSTEM_PATH}` }],
  ["cat a.txt", true, { path: `.:${SYSTEM_PATH}` }],
  ["cat a.txt", true, { path: `:${SYSTEM_PATH}` }],
  ["cat a.txt", true, { path: `bin:${SYSTEM_PATH}` }],
  ["cat a.txt", true, { path: null }],
  ["cd bin && cat a.txt", true, { path: `bin:${SYSTEM_PATH}` }],
  ["cat a.txt", true, { path: `${other}:${SYSTEM_PATH}` }],
  [`${ws}/cat a.txt`, true, { policy: { type: "readOnly" } }],
  [`${ws}/cat a.txt`, true, { policy: { type: "dangerFullAccess" } }],
  [`${other}/cat a.txt`, true, { policy: { type: "dangerFullAccess" } }],
  // Point 5: git is out of the table; the review's held list.
  ["git status", false],
  ["cd sub && git status", false],
  ["git log --oneline", false],
  ["find . -exec rm {} \\;", false],
  ["find . -execdir rm {} +", false],
  ["find . -ok rm {} \\;", false],
  ["find . -okdir rm {} \\;", false],
  ["find . -name '*.o' -delete", false],
  ["find . -fprint out", false],
  ["find . -fprint0 out", false],
  ["find . -fprintf out '%p'", false],
  ["find . -fls out", false],
  ["sed -i 's/a/b/' a.txt", false],
  ["sed -ni 1p a.txt", false],
  ["sed --in-place -n 1p a.txt", false],
  ["sed -n '1w out' a.txt", false],
  ["sed -n -e 1p -e 'w out' a.txt", false],
  ["sed '1e touch x' a.txt", false],
  ["sed -f script.sed a.txt", false],
  ["rg --pre cat foo", false],
  ["rg --pre=./x foo", false],
  ["rg --pre-glob '*' foo", false],
  ["rg -z foo", false],
  ["rg -iz foo", false],
  ["rg --search-zip foo", false],
  ["rg --hostname-bin=./x foo", false],
  ["ls | xargs rm", false],
  ["xargs cat < list", false],
  ["echo hi | tee out.txt", false],
  ["tee out.txt", false],
  ["env cat a.txt", false],
  ["env touch x", false],
  ["awk 'BEGIN{system(\"touch x\")}'", false],
  ["cat a.txt > b.txt", false],
  ["cat a.txt >> b.txt", false],
  ["ls 2> err.txt", false],
  ["cat < a.txt", false],
  ["echo $(touch x)", false],
  ["echo `touch x`", false],
  ["cat <(touch x)", false],
  ["diff <(ls) <(ls)", false],
  ["PATH=.:$PATH cat a.txt", false],
  [`PATH=${ws} cat a.txt`, false],
  ["export PATH=.:$PATH; cat a.txt", false],
];

describe("every attack is asked", () => {
  it.each(ATTACKS)("%s (table alone: %s)", async (script, table, c) => {
    expect(analyzeCommand(lc(script)).knownSafe).toBe(table);
    expect(await gate(lc(script), c)).toBe("asked");
  });
  it("the shell itself is a program: a copy of bash in the workspace is not the system's", async () => {
    expect(await gate([join(ws, "bash"), "-lc", "cat a.txt"])).toBe("asked");
    expect(await gate(["bash", "-lc", "cat a.txt"])).toBe("run");
  });
});

describe("what still runs unasked", () => {
  it.each<[string, Check?]>([
    ["cat a.txt"],
    [`${CAT} a.txt`],
    ["ls -la && cat a.txt | wc -l"],
    ["cat a.txt", { path: `${SYSTEM_PATH}:${ws}/bin` }], // found before the lookup reaches the workspace
    ["echo hi", { path: `${ws}/bin:${SYSTEM_PATH}` }], // a builtin: no lookup at all
    [`${other}/cat a.txt`, { policy: CWD_ONLY }], // outside every writable root of this policy
    ["cat a.txt", { policy: { type: "dangerFullAccess" } }],
  ])("%s", async (script, c) => {
    expect(await gate(lc(script), c)).toBe("run");
  });
  it("a program the thread was granted write access to is not trusted any more", async () => {
    const asked: unknown[] = [];
    const thread = fakeThread(asked);
    expect(await gate(lc(`${other}/cat a.txt`), { policy: CWD_ONLY, thread })).toBe("run");
    sessionApprovalsFor(thread).grantPermissions("turn", "turn1", { read: [], write: [other], network: false });
    expect(await gate(lc(`${other}/cat a.txt`), { policy: CWD_ONLY, thread })).toBe("asked");
    expect(asked).toHaveLength(1);
  });
  it("known_safe_commands = false asks for everything, as 0.169", async () => {
    expect(await gate(lc("cat a.txt"), { knownSafe: false })).toBe("asked");
    expect(await gate(["cat", "a.txt"], { knownSafe: false })).toBe("asked");
  });
});

describe("untrustedRoots", () => {
  it("follows the policy, always adds the cwd, and reads full access as workspace-write", () => {
    expect(untrustedRoots(CWD_ONLY, ws, null)).toEqual([ws]);
    expect(untrustedRoots({ type: "readOnly" }, ws, null)).toEqual([ws]);
    expect(untrustedRoots(WORKSPACE_WRITE, ws, null)).toEqual(expect.arrayContaining([ws, "/tmp"]));
    expect(untrustedRoots({ type: "dangerFullAccess" }, ws, other)).toEqual(expect.arrayContaining([ws, "/tmp", other]));
    expect(untrustedRoots({ type: "workspaceWrite", writableRoots: ["/"] }, ws, null)).toEqual(["/"]);
  });
});
