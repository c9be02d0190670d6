// `network_rule(…)` in the rules files: parsed as 0.169 writes it, refused where 0.169 refuses it, and
// harmless to command evaluation (a rules file with one must still load for prefix rules).
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseNetworkRules, parseRules, RulesParseError } from "./parser.js";
import { appendAllowRule, appendNetworkRule, ExecPolicy, loadNetworkRules } from "./execPolicy.js";

describe("network_rule", () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), "gh-netrule-"));
  });
  afterEach(async () => rm(home, { recursive: true, force: true }));

  it("parses 0.169's line and leaves prefix rules alone", () => {
    const text =
      'prefix_rule(pattern=["ls"], decision="allow")\nnetwork_rule(host="API.example.com", protocol="https", decision="deny", justification="Deny https access to api.example.com")\n';
    expect(parseRules(text, "f").map((r) => r.pattern)).toEqual([[["ls"]]]);
    expect(parseNetworkRules(text, "f")).toEqual([
      { host: "api.example.com", protocol: "https", decision: "deny", justification: "Deny https access to api.example.com", source: { file: "f", line: 2 } },
    ]);
  });

  it("refuses wildcards, unknown protocols and decisions, with the line", () => {
    for (const bad of [
      'network_rule(host="*.a.test")',
      'network_rule(host="a.test", protocol="socks5")',
      'network_rule(host="a.test", decision="prompt")',
      'network_rule(host=" ")',
    ]) {
      expect(() => parseNetworkRules(`\n${bad}\n`, "f")).toThrow(RulesParseError);
      expect(() => parseNetworkRules(`\n${bad}\n`, "f")).toThrow(/^f:2: /);
    }
  });

  it("appends the amendment line 0.169 writes, next to prefix amendments, and reads it back", async () => {
    await appendAllowRule(home, ["git", "status"]);
    const file = await appendNetworkRule(home, "127.0.0.2", "http", "allow");
    await appendNetworkRule(home, "b.test", "socks5_tcp", "deny");
    expect(await readFile(file, "utf8")).toBe(
      'prefix_rule(pattern=["git", "status"], decision="allow")\n' +
        'network_rule(host="127.0.0.2", protocol="http", decision="allow", justification="Allow http access to 127.0.0.2")\n' +
        'network_rule(host="b.test", protocol="socks5_tcp", decision="deny", justification="Deny socks5_tcp access to b.test")\n',
    );
    expect((await loadNetworkRules(home)).map((r) => [r.host, r.decision])).toEqual([
      ["127.0.0.2", "allow"],
      ["b.test", "deny"],
    ]);
    expect((await ExecPolicy.load(home)).size).toBe(1);
  });
});
