import { describe, expect, it } from "vitest";
import { fakeFs } from "./fakeFs.testutil.js";
import { parseGitdirPointer, protectedSubpaths } from "./protectedSubpaths.js";

const host = fakeFs({
  "/ws/src/a.txt": { file: "a" },
  "/ws/.git": "dir",
  "/extra": "dir",
  "/tmp": "dir",
  "/var/tmp": "dir",
  "/usr/bin": "dir",
  "/bin": { link: "usr/bin" },
  "/home/u/link-ws": { link: "/ws" },
});

describe("protected subpaths", () => {
  it("covers .git, .codex, .agents, .aws whether present or missing", () => {
    const ps = protectedSubpaths("/ws", host);
    expect(ps.map((p) => [p.path, p.state, p.watchOnly])).toEqual([
      ["/ws/.git", "dir", false],
      ["/ws/.codex", "missing", false],
      ["/ws/.agents", "missing", false],
      ["/ws/.aws", "missing", false],
    ]);
  });

  it("follows a worktree .git file to its gitdir and commondir", () => {
    const fs2 = fakeFs({
      "/wt/.git": { file: "gitdir: /repo/.git/worktrees/wt\n" },
      "/repo/.git/worktrees/wt/commondir": { file: "../..\n" },
    });
    expect(
      protectedSubpaths("/wt", fs2)
        .filter((p) => p.path.includes("repo"))
        .map((p) => [p.path, p.state]),
    ).toEqual([
      ["/repo/.git/worktrees/wt", "dir"],
      ["/repo/.git", "dir"],
    ]);
    expect(parseGitdirPointer("gitdir: ../main/.git/modules/sub\n", "/x/sub")).toBe("/x/main/.git/modules/sub");
  });

  it("reports a symlinked .git as a symlink", () => {
    const fs2 = fakeFs({ "/ws/.git": { link: "/elsewhere/git" }, "/elsewhere/git": "dir" });
    expect(protectedSubpaths("/ws", fs2)[0]).toMatchObject({ path: "/ws/.git", state: "symlink" });
  });

  it("does not placeholder a missing .git inside an enclosing repository (watches it instead)", () => {
    const fs2 = fakeFs({ "/repo/.git/HEAD": { file: "ref" }, "/repo/pkg": "dir" });
    expect(protectedSubpaths("/repo/pkg", fs2)[0]).toMatchObject({ path: "/repo/pkg/.git", state: "missing", watchOnly: true });
  });

  it("an empty .git left above by a crashed run is not a repository", () => {
    const fs2 = fakeFs({ "/tmp/.git": "dir", "/tmp/ws": "dir", "/srv/.git/HEAD": { file: "ref" }, "/srv/ws": "dir" });
    expect(protectedSubpaths("/tmp/ws", fs2)[0]).toMatchObject({ path: "/tmp/ws/.git", watchOnly: false });
    expect(protectedSubpaths("/srv/ws", fs2)[0]).toMatchObject({ path: "/srv/ws/.git", watchOnly: true });
  });
});
