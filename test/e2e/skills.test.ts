// skills/list over two roots (the workspace and the daemon home) with the reference's error entries,
// and skills/changed when a skill appears (observed behaviour in server/core/skills/skillsService.ts).
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startSession, type Session } from "../helpers/session.js";

let session: Session | undefined;
afterEach(async () => {
  await session?.stop();
  session = undefined;
});

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

describe("skills", () => {
  it("lists skills from the workspace and the home, with errors, and announces a new one", async () => {
    session = await startSession();
    const s = session;
    const home = s.daemon.home.home;
    const repo = join(s.daemon.home.base, "repo");
    const cwd = join(repo, "pkg");
    mkdirSync(join(repo, ".git"), { recursive: true });
    write(join(repo, ".agents/skills/root-skill/SKILL.md"), "---\nname: root-skill\ndescription: at the git root\n---\n");
    write(join(cwd, ".codex/skills/pkg-skill/SKILL.md"), "---\nname: pkg-skill\ndescription: in the package\nmetadata:\n  short-description: short\n---\n");
    write(join(cwd, ".codex/skills/pkg-skill/references/nested/SKILL.md"), "---\nname: not-a-skill\ndescription: inside a skill\n---\n");
    write(join(home, "skills/home-skill/SKILL.md"), '---\nname: home-skill\ndescription: "from the home: quoted"\n---\n');
    write(join(home, "skills/home-skill/agents/openai.yaml"), 'interface:\n  display_name: "Home Skill"\n');
    write(join(home, "skills/broken/SKILL.md"), "no front matter\n");

    const { data } = await s.result("skills/list", { cwds: [cwd] });
    expect(data).toHaveLength(1);
    const [entry] = data;
    if (!entry) throw new Error("skills/list returned no entry");
    expect(entry.cwd).toBe(cwd);
    expect(entry.skills.map((k) => [k.name, k.scope])).toEqual([
      ["pkg-skill", "repo"],
      ["root-skill", "repo"],
      ["home-skill", "user"],
    ]);
    expect(entry.skills[0]?.shortDescription).toBe("short");
    expect(entry.skills[2]?.interface?.displayName).toBe("Home Skill");
    expect(entry.errors).toEqual([{ path: join(home, "skills/broken/SKILL.md"), message: "missing YAML frontmatter delimited by ---" }]);

    // A new skill in a root that did not exist yet (the package's .agents): one skills/changed, and the list has it.
    const from = s.daemon.messages.length;
    write(join(cwd, ".agents/skills/fresh/SKILL.md"), "---\nname: fresh\ndescription: new\n---\n");
    await s.notification("skills/changed", () => true, from);
    const again = await s.result("skills/list", { cwds: [cwd] });
    expect(again.data[0]?.skills.map((k) => k.name)).toContain("fresh");

    // And one in the home.
    const from2 = s.daemon.messages.length;
    write(join(home, "skills/later/SKILL.md"), "---\nname: later\ndescription: added later\n---\n");
    await s.notification("skills/changed", () => true, from2);
    const third = await s.result("skills/list", { cwds: [cwd] });
    expect(third.data[0]?.skills.map((k) => k.name)).toContain("later");
    s.checkWire();
  });
});
