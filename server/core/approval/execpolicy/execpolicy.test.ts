import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatAllowRule, parseRules, RulesParseError } from "./parser.js";
import { appendAllowRule, checkOutput, ExecPolicy } from "./execPolicy.js";

const RULES = `# read-only git
prefix_rule(
    pattern = ["git", ["status", "log"]],
    decision = "allow",
    justification = 'read only',
    match = [["git", "status"], "git log -n 1"],
    not_match = ["git push"],
)
prefix_rule(pattern=["rm"], decision="forbidden", justification="use trash")
prefix_rule(pattern=["npm", "publish"], decision="prompt",)
prefix_rule(pattern=["make"], decision="allow", sandbox="none")
`;

describe("parseRules", () => {
  it("reads the reference's prefix_rule subset with comments, keyword args, alternatives and trailing commas", () => {
    const rules = parseRules(RULES, "a.rules");
    expect(rules.map((r) => [r.pattern, r.decision, r.justification, r.unsandboxed, r.source.line])).toEqual([
      [[["git"], ["status", "log"]], "allow", "read only", false, 2],
      [[["rm"]], "forbidden", "use trash", false, 9],
      [[["npm"], ["publish"]], "prompt", null, false, 10],
      [[["make"]], "allow", null, true, 11],
    ]);
  });

  it.each([
    ['prefix_rule(pattern=["a"], decision="maybe")\n', 1, "invalid decision: maybe"],
    ['\n\nprefix_rule(pattern=["a"],\n decision="allow", match=["b"])\n', 4, 'match example "b" does not match the pattern'],
    ['prefix_rule(pattern=["a"], not_match=["a b"])\n', 1, "not_match example"],
    ['\nprefix_rule(pattern=["a"]', 2, "expected `,` or `)`"],
    ['prefix_rule(pattern=["a], decision="allow")', 1, "unterminated string"],
    ['host_rule(pattern=["a"])', 1, "unknown function `host_rule`"],
    ['prefix_rule(patern=["a"])', 1, "unexpected argument `patern`"],
    ['prefix_rule(decision="allow")', 1, "needs `pattern`"],
    ["prefix_rule(pattern=[])", 1, "non-empty list"],
    ['prefix_rule(pattern=["a"], pattern=["b"])', 1, "given twice"],
    ['\n\n\nprefix_rule(pattern=["a"]) $', 4, "unexpected character"],
  ])("names file and line for %j", (text, line, detail) => {
    let err: unknown;
    try {
      parseRules(text, "/x/y.rules");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RulesParseError);
    expect((err as Error).message).toMatch(new RegExp(`^/x/y\\.rules:${line}: `));
    expect((err as Error).message).toContain(detail);
  });

  it("round-trips an amendment with quotes, backslashes and newlines", () => {
    const prefix = ["/bin/bash", "-lc", "printf 'a\\n' > \"x y\"\nls"];
    const [rule] = parseRules(formatAllowRule(prefix), "d.rules");
    expect(rule?.pattern).toEqual(prefix.map((w) => [w]));
  });
});

describe("ExecPolicy", () => {
  const policy = () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ep-"));
    writeFileSync(path.join(dir, "a.rules"), RULES);
    return ExecPolicy.fromFiles([path.join(dir, "a.rules")]);
  };

  it("takes the strictest decision over the sub-commands and tells whether all matched", async () => {
    const p = await policy();
    expect(p.evaluate([["git", "status"]])).toMatchObject({ decision: "allow", allMatched: true, unsandboxed: false });
    expect(
      p.evaluate([
        ["git", "status"],
        ["rm", "x"],
      ]),
    ).toMatchObject({ decision: "forbidden", allMatched: true });
    expect(p.evaluate([["git", "log"], ["ls"]])).toMatchObject({ decision: "allow", allMatched: false });
    expect(p.evaluate([["ls"]])).toMatchObject({ decision: null, allMatched: false });
    expect(p.evaluate([["make", "all"]])).toMatchObject({ decision: "allow", unsandboxed: true });
    expect(p.evaluate([["npm", "publish", "--dry-run"]])).toMatchObject({ decision: "prompt" });
  });

  it("prints check output in the reference's shape", async () => {
    const p = await policy();
    expect(checkOutput(p, ["git", "status", "-s"])).toEqual({
      matchedRules: [{ prefixRuleMatch: { matchedPrefix: ["git", "status"], decision: "allow", justification: "read only" } }],
      decision: "allow",
    });
    expect(checkOutput(p, ["ls"])).toEqual({ matchedRules: [] });
  });

  it("loads <home>/rules/*.rules and treats a missing folder as empty", async () => {
    const home = mkdtempSync(path.join(tmpdir(), "ep-home-"));
    expect((await ExecPolicy.load(home)).size).toBe(0);
    mkdirSync(path.join(home, "rules"));
    writeFileSync(path.join(home, "rules", "x.rules"), RULES);
    writeFileSync(path.join(home, "rules", "ignored.txt"), "garbage(");
    expect((await ExecPolicy.load(home)).size).toBe(4);
  });

  it("appends amendments atomically, concurrent ones included, and the file stays loadable", async () => {
    const home = mkdtempSync(path.join(tmpdir(), "ep-amend-"));
    await Promise.all(Array.from({ length: 20 }, (_, i) => appendAllowRule(home, ["tool", `arg${i}`])));
    const text = readFileSync(path.join(home, "rules", "default.rules"), "utf8");
    expect(text.trim().split("\n")).toHaveLength(20);
    const p = await ExecPolicy.load(home);
    expect(p.size).toBe(20);
    expect(p.evaluate([["tool", "arg7", "x"]]).decision).toBe("allow");
  });
});
