// 0.80's gitDiffToRemote: the commit nearest to HEAD that a remote has, and the diff from it to the
// working tree (staged, unstaged and committed-but-unpushed changes, then each untracked file as a
// new-file diff).
//
// How the commit is chosen, as 0.80 does: the candidates are the current branch, the default
// branch, and every remote branch that contains HEAD; a candidate counts when a remote has it
// (remotes in `git remote` order, origin first); the one HEAD is fewest commits ahead of wins,
// the earlier candidate on a tie. Observed on 0.80 with a local bare remote: sha = origin/main's
// commit, diff = `git diff <sha>` followed by the untracked files; -32600 "failed to compute git
// diff to remote for cwd: \"<cwd>\"" for a folder that is not a repository, has no remote or no
// commit on one, or does not exist.
//
// Deliberate differences:
// - The default branch comes from `refs/remotes/<remote>/HEAD`, else a local main or master. 0.80
//   also runs `git remote show <remote>`, which contacts the remote (network, credential prompts)
//   from inside a request, and reads a remote without a known HEAD as a branch named "(unknown)".
// - HEAD's distance is counted from the remote's commit, the sha that is answered; 0.80 counts
//   from a local branch of the same name when there is one.
// - Errors say why after 0.80's words; a relative cwd is refused (0.80 resolved it against the
//   daemon's own working directory).
// - Untracked names are read NUL-separated, so a name git would quote still gets its diff (0.80
//   silently dropped those); output that is not UTF-8 is decoded lossily instead of failing.
// Like 0.80, git runs unsandboxed in the client's repository, with that repository's config.
import { execFile } from "node:child_process";
import { stat } from "node:fs/promises";
import { isAbsolute } from "node:path";
import { DomainError, type DomainErrorKind } from "../errors.js";

export interface DiffToRemote {
  readonly sha: string;
  readonly diff: string;
}

/** Why no diff could be computed; nothing was changed. */
export class GitDiffToRemoteError extends DomainError {
  override readonly name = "GitDiffToRemoteError";

  constructor(
    message: string,
    readonly kind: Extract<DomainErrorKind, "invalidInput" | "invalidParams" | "unavailable" | "failed">,
  ) {
    super(message);
  }
}

/** 0.80's limit per git command. */
const GIT_TIMEOUT_MS = 5_000;
/** A diff larger than this fails rather than filling the daemon's memory. */
const MAX_DIFF_BYTES = 64 * 1024 * 1024;
/** Untracked files diffed at once (0.80 started one git per file, all together). */
const UNTRACKED_CONCURRENCY = 8;

interface GitResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** git gave no exit code to read: it could not start, was killed at the timeout, or wrote too much. */
interface GitFailure {
  readonly failure: string;
  readonly kind: "unavailable" | "failed";
}

export async function gitDiffToRemote(cwd: string): Promise<DiffToRemote> {
  if (!isAbsolute(cwd)) throw new GitDiffToRemoteError(`gitDiffToRemote cwd must be an absolute path, got ${JSON.stringify(cwd)}`, "invalidParams");
  const refuse = (reason: string, kind: GitDiffToRemoteError["kind"] = "invalidInput"): GitDiffToRemoteError =>
    new GitDiffToRemoteError(`failed to compute git diff to remote for cwd: ${JSON.stringify(cwd)}: ${reason}`, kind);

  const dir = await stat(cwd).catch(() => null);
  if (dir === null) throw refuse("no such directory");
  if (!dir.isDirectory()) throw refuse("not a directory");

  const git = async (args: readonly string[]): Promise<GitResult> => {
    const result = await runGit(cwd, args);
    if ("failure" in result) throw refuse(result.failure, result.kind);
    return result;
  };
  const ok = async (args: readonly string[]): Promise<string | null> => {
    const r = await git(args);
    return r.code === 0 ? r.stdout.trim() : null;
  };

  if ((await ok(["rev-parse", "--is-inside-work-tree"])) !== "true") throw refuse("not inside a Git work tree");
  if ((await ok(["rev-parse", "--verify", "--quiet", "HEAD"])) === null) throw refuse("HEAD has no commit yet");
  const remotes = ((await ok(["remote"])) ?? "").split("\n").filter((r) => r !== "");
  if (remotes.length === 0) throw refuse("the repository has no remote");
  remotes.sort((a, b) => Number(b === "origin") - Number(a === "origin"));

  const candidates = new Set<string>();
  const current = await ok(["rev-parse", "--abbrev-ref", "HEAD"]);
  if (current !== null && current !== "HEAD") candidates.add(current);
  const defaultBranch = await defaultBranchOf(ok, remotes);
  if (defaultBranch !== null) candidates.add(defaultBranch);
  for (const remote of remotes) {
    const containing = (await ok(["for-each-ref", "--format=%(refname)", "--contains=HEAD", `refs/remotes/${remote}`])) ?? "";
    for (const ref of containing.split("\n")) {
      const branch = ref.slice(`refs/remotes/${remote}/`.length);
      if (ref.startsWith(`refs/remotes/${remote}/`) && branch !== "" && branch !== "HEAD") candidates.add(branch);
    }
  }

  let best: { sha: string; distance: number } | null = null;
  for (const branch of candidates) {
    for (const remote of remotes) {
      const ref = `refs/remotes/${remote}/${branch}`;
      const sha = await ok(["rev-parse", "--verify", "--quiet", ref]);
      if (sha === null) continue;
      const distance = Number(await ok(["rev-list", "--count", `${ref}..HEAD`]));
      if (Number.isInteger(distance) && (best === null || distance < best.distance)) best = { sha, distance };
      break;
    }
  }
  if (best === null) {
    throw refuse(`no remote has any of the branches ${[...candidates].map((b) => JSON.stringify(b)).join(", ") || "(none: HEAD is detached)"}`);
  }

  const tracked = await git(["diff", "--no-textconv", "--no-ext-diff", "--no-color", best.sha]);
  if (tracked.code !== 0 && tracked.code !== 1) throw refuse(`git diff failed: ${tracked.stderr.trim()}`, "failed");
  const untracked = await git(["ls-files", "--others", "--exclude-standard", "-z"]);
  const files = untracked.code === 0 ? untracked.stdout.split("\0").filter((f) => f !== "") : [];
  const parts: string[] = [];
  for (let i = 0; i < files.length; i += UNTRACKED_CONCURRENCY) {
    const batch = files.slice(i, i + UNTRACKED_CONCURRENCY);
    // --no-index exits 1 when the files differ, which a new file always does.
    const diffs = await Promise.all(
      batch.map((f) => git(["diff", "--no-textconv", "--no-ext-diff", "--no-color", "--binary", "--no-index", "--", "/dev/null", f])),
    );
    for (const d of diffs) if (d.code === 0 || d.code === 1) parts.push(d.stdout);
  }
  return { sha: best.sha, diff: tracked.stdout + parts.join("") };
}

async function defaultBranchOf(ok: (args: readonly string[]) => Promise<string | null>, remotes: readonly string[]): Promise<string | null> {
  for (const remote of remotes) {
    const target = await ok(["symbolic-ref", "--quiet", `refs/remotes/${remote}/HEAD`]);
    const prefix = `refs/remotes/${remote}/`;
    if (target?.startsWith(prefix) && target.length > prefix.length) return target.slice(prefix.length);
  }
  for (const local of ["main", "master"]) if ((await ok(["rev-parse", "--verify", "--quiet", `refs/heads/${local}`])) !== null) return local;
  return null;
}

function runGit(cwd: string, args: readonly string[]): Promise<GitResult | GitFailure> {
  return new Promise((resolve) => {
    execFile(
      "git",
      args,
      {
        cwd,
        timeout: GIT_TIMEOUT_MS,
        maxBuffer: MAX_DIFF_BYTES,
        encoding: "utf8",
        // Read-only commands: never take index.lock (a concurrent `git commit` in the same repository
        // would fail on it) and never prompt.
        env: { ...process.env, GIT_OPTIONAL_LOCKS: "0", GIT_TERMINAL_PROMPT: "0" },
      },
      (error, stdout, stderr) => {
        if (error === null) return resolve({ code: 0, stdout, stderr });
        const code: unknown = (error as NodeJS.ErrnoException).code;
        const command = `\`git ${args.join(" ")}\``;
        if (typeof code === "number") resolve({ code, stdout, stderr });
        else if (code === "ENOENT") resolve({ failure: "git is not installed (no `git` on the daemon's PATH)", kind: "unavailable" });
        else if (code === "ERR_CHILD_PROCESS_STDIO_MAXBUFFER") resolve({ failure: `${command} wrote more than ${MAX_DIFF_BYTES} bytes`, kind: "failed" });
        else if (error.killed) resolve({ failure: `${command} did not finish within ${GIT_TIMEOUT_MS} ms`, kind: "failed" });
        else resolve({ failure: `${command} failed: ${error.message}`, kind: "failed" });
      },
    );
  });
}
