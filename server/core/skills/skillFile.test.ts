import { describe, expect, it } from "vitest";
import { parseAgentsYaml, parseSkillMarkdown } from "./skillFile.js";

describe("SKILL.md front matter", () => {
  it("reads name, description and the legacy short description through a YAML parser", () => {
    const text = '---\nname: deploy\ndescription: "Deploy: the app"\nmetadata:\n  short-description: >-\n    Ship it\n    today\n---\n# Body\n';
    const r = parseSkillMarkdown(text, "/s/deploy/SKILL.md", "repo");
    expect(r).toEqual({
      ok: true,
      skill: {
        name: "deploy",
        description: "Deploy: the app",
        shortDescription: "Ship it today",
        path: "/s/deploy/SKILL.md",
        scope: "repo",
        enabled: true,
        pluginId: null,
      },
    });
  });

  it("reports what 0.169 reports for a missing front matter or field, and bad YAML", () => {
    expect(parseSkillMarkdown("no front matter\n", "/p", "user")).toEqual({ ok: false, message: "missing YAML frontmatter delimited by ---" });
    expect(parseSkillMarkdown("---\nname: x\n---\n", "/p", "user")).toEqual({ ok: false, message: "missing field `description`" });
    const bad = parseSkillMarkdown("---\nname: [x\ndescription: y\n---\n", "/p", "user");
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.message).toMatch(/^invalid YAML/);
  });

  it("takes the interface from agents/openai.yaml with icons made absolute", () => {
    const r = parseAgentsYaml(
      'interface:\n  display_name: "Image Gen"\n  icon_small: "./assets/s.svg"\ndependencies:\n  tools:\n    - type: mcp\n      value: figma\n    - nope\n',
      "/skills/img",
    );
    expect(r.interface).toMatchObject({ displayName: "Image Gen", iconSmall: "/skills/img/assets/s.svg", iconLarge: null, shortDescription: null });
    expect(r.dependencies).toEqual({ tools: [{ type: "mcp", value: "figma", description: null, transport: null, command: null, url: null }] });
  });
});
