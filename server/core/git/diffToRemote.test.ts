// gitDiffToRemote against real repositories with a local bare remote (no network).
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { gitDiffToRemote, GitDiffToRemoteError } from "./diffToRemote.js";

const root = mkdtempSync(join(tmpdir(), "gatehouse-git-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const IDENTITY = { GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@x", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@x" };

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, ...IDENTITY } }).trim();
}

let made = 0;
/** A repository whose main branch (a.txt = "one") is pushed to a bare remote `origin`. */
function pushedRepo(): { repo: string; pushed: string } {
  const dir = join(root, `case-${made++}`);
  mkdirSync(dir);
  git(dir, "init", "-q", "--bare", "remote.git");
  const repo = join(dir, "repo");
  mkdirSync(repo);
  git(repo, "init", "-q", "-b", "main");
  writeFileSync(join(repo, "a.txt"), "one\n");
  git(repo, "add", "a.txt");
  git(repo, "commit", "-qm", "init");
  git(repo, "remote", "add", "origin", join(dir, "remote.git"));
  git(repo, "push", "-q", "-u", "origin", "main");
  return { repo, pushed: git(repo, "rev-parse", "HEAD") };
}

async function refusal(cwd: string): Promise<GitDiffToRemoteError> {
  const error = await gitDiffToRemote(cwd).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GitDiffToRemoteError);
  return error as GitDiffToRemoteError;
}

describe("gitDiffToRemote", () => {
  it("diffs the working tree against the pushed commit, untracked files last, as 0.80 does", async () => {
    const { repo, pushed } = pushedRepo();
    writeFileSync(join(repo, "a.txt"), "one\ntwo\n");
    writeFileSync(join(repo, "c.txt"), "c\n");
    git(repo, "add", "c.txt");
    git(repo, "commit", "-qm", "local");
    writeFileSync(join(repo, "b.txt"), "new\n");
    writeFileSync(join(repo, "d.txt"), "staged\n");
    git(repo, "add", "d.txt");
    writeFileSync(join(repo, "a.txt"), "one\ntwo\nmore\n");
    // 0.80.0's answer for the same repository (blob ids depend on the contents only).
    expect(await gitDiffToRemote(repo)).toEqual({
      sha: pushed,
      diff:
        "diff --git a/a.txt b/a.txt\nindex 5626abf..de7b749 100644\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1,3 @@\n one\n+two\n+more\n" +
        "diff --git a/c.txt b/c.txt\nnew file mode 100644\nindex 0000000..f2ad6c7\n--- /dev/null\n+++ b/c.txt\n@@ -0,0 +1 @@\n+c\n" +
        "diff --git a/d.txt b/d.txt\nnew file mode 100644\nindex 0000000..19d9cc8\n--- /dev/null\n+++ b/d.txt\n@@ -0,0 +1 @@\n+staged\n" +
        "diff --git a/b.txt b/b.txt\nnew file mode 100644\nindex 0000000..3e75765\n--- /dev/null\n+++ b/b.txt\n@@ -0,0 +1 @@\n+new\n",
    });
  });

  it("answers an empty diff for a clean, pushed tree and includes untracked names git would quote", async () => {
    const { repo, pushed } = pushedRepo();
    expect(await gitDiffToRemote(repo)).toEqual({ sha: pushed, diff: "" });
    writeFileSync(join(repo, "é t.txt"), "x\n");
    const { diff } = await gitDiffToRemote(repo);
    // git quotes the name in the header, as it does for tracked files.
    expect(diff).toContain('+++ "b/\\303\\251 t.txt"\t\n@@ -0,0 +1 @@\n+x\n');
  });

  it("falls back to the default branch for a local branch nobody pushed", async () => {
    const { repo, pushed } = pushedRepo();
    git(repo, "checkout", "-q", "-b", "feature");
    writeFileSync(join(repo, "f.txt"), "f\n");
    git(repo, "add", "f.txt");
    git(repo, "commit", "-qm", "feature");
    const result = await gitDiffToRemote(repo);
    expect(result.sha).toBe(pushed);
    expect(result.diff).toContain("+++ b/f.txt");
  });

  it("takes the nearest remote branch that contains HEAD", async () => {
    const { repo } = pushedRepo();
    git(repo, "checkout", "-q", "-b", "topic");
    writeFileSync(join(repo, "t.txt"), "t\n");
    git(repo, "add", "t.txt");
    git(repo, "commit", "-qm", "topic");
    git(repo, "push", "-q", "origin", "topic");
    const topic = git(repo, "rev-parse", "HEAD");
    git(repo, "checkout", "-q", "-b", "local-only");
    expect((await gitDiffToRemote(repo)).sha).toBe(topic);
  });

  it("refuses what has no remote commit to compare with, saying why", async () => {
    const plain = join(root, "plain");
    mkdirSync(plain);
    expect((await refusal(plain)).message).toBe(`failed to compute git diff to remote for cwd: ${JSON.stringify(plain)}: not inside a Git work tree`);

    const local = join(root, "local");
    mkdirSync(local);
    git(local, "init", "-q", "-b", "main");
    expect((await refusal(local)).message).toMatch(/: HEAD has no commit yet$/);
    writeFileSync(join(local, "a.txt"), "a\n");
    git(local, "add", "a.txt");
    git(local, "commit", "-qm", "init");
    expect((await refusal(local)).message).toMatch(/: the repository has no remote$/);
    git(local, "remote", "add", "origin", join(root, "nowhere.git"));
    const unpushed = await refusal(local);
    expect(unpushed.kind).toBe("invalidInput");
    expect(unpushed.message).toMatch(/: no remote has any of the branches "main"$/);

    const missing = await refusal(join(root, "missing"));
    expect(missing.message).toMatch(/: no such directory$/);
    expect(missing.kind).toBe("invalidInput");
  });

  it("refuses a relative cwd as bad params", async () => {
    const error = await refusal("repo");
    expect(error.kind).toBe("invalidParams");
    expect(error.message).toBe('gitDiffToRemote cwd must be an absolute path, got "repo"');
  });
});
