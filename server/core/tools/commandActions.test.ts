import { beforeAll, describe, expect, it } from "vitest";
import { CommandAction } from "../../../protocol/v2/shared.js";
import { loadBashParser } from "./bashParse.js";
import { parseCommandActions } from "./commandActions.js";
import { shellJoin, shellQuote } from "./shellQuote.js";
import { OBSERVED_0_169 } from "./commandActions.observed.js";

beforeAll(async () => {
  await loadBashParser();
});

const CWD = "/w";
const bash = (script: string) => parseCommandActions(["/bin/bash", "-lc", script], CWD);
const read = (command: string, name: string, path: string) => ({ type: "read", command, name, path });
const list = (command: string, path: string | null) => ({ type: "listFiles", command, path });
const search = (command: string, query: string | null, path: string | null) => ({ type: "search", command, query, path });
const unknown = (command: string) => ({ type: "unknown", command });

describe("commandActions: the agent-loop.md §4.3 table (0.169)", () => {
  it.each([
    ["cat a.txt", [read("cat a.txt", "a.txt", "/w/a.txt")]],
    ["head -n 5 a.txt", [read("head -n 5 a.txt", "a.txt", "/w/a.txt")]],
    ["tail -n 20 a.txt", [read("tail -n 20 a.txt", "a.txt", "/w/a.txt")]],
    ["sed -n 1,10p a.txt", [read("sed -n '1,10p' a.txt", "a.txt", "/w/a.txt")]],
    ["nl -ba a.txt | sed -n 1,5p", [read("nl -ba a.txt | sed -n 1,5p", "a.txt", "/w/a.txt")]],
    ["cat a.txt | wc -l", [read("cat a.txt", "a.txt", "/w/a.txt")]],
    ["ls -la", [list("ls -la", null)]],
    ["ls src", [list("ls src", "src")]],
    ["cd sub && ls", [list("ls", null)]],
    ["rg foo src", [search("rg foo src", "foo", "src")]],
    ['rg -n "foo bar"', [search("rg -n 'foo bar'", "foo bar", null)]],
    ["grep -n foo a.txt", [search("grep -n foo a.txt", "foo", "a.txt")]],
    ["find . -name '*.rs'", [search("find . -name '*.rs'", "*.rs", ".")]],
    ["fd main", [search("fd main", "main", null)]],
    ["rg foo | head -n 5", [search("rg foo", "foo", null)]],
    ["rg --files", [list("rg --files", null)]],
    ["ls && cat a.txt", [list("ls", null), read("cat a.txt", "a.txt", "/w/a.txt")]],
    ["echo hi", [unknown("echo hi")]],
    ["git status", [unknown("git status")]],
    ["npm test", [unknown("npm test")]],
    ["python3 -c 'print(1)'", [unknown("python3 -c 'print(1)'")]],
    ["cat a.txt b.txt", [unknown("cat a.txt b.txt")]],
    ["touch b.txt", [unknown("touch b.txt")]],
  ])("%s", (script, expected) => {
    expect(bash(script)).toEqual(expected);
  });

  it("subshells and assignments give one unknown with the script", () => {
    expect(bash("(cat a.txt)")).toEqual([unknown("(cat a.txt)")]);
    expect(bash("X=1 cat a.txt")).toEqual([unknown("X=1 cat a.txt")]);
    expect(bash("cat $HOME/a.txt")).toEqual([unknown("cat $HOME/a.txt")]);
    expect(bash("cat a.txt > /dev/null")).toEqual([unknown("cat a.txt > /dev/null")]);
  });

  it("drops a leading echo, a trailing || true and consecutive duplicates", () => {
    expect(bash("echo hi && cat a.txt")).toEqual([read("cat a.txt", "a.txt", "/w/a.txt")]);
    expect(bash("cat a.txt || true")).toEqual([read("cat a.txt", "a.txt", "/w/a.txt")]);
    expect(bash("cat a.txt; cat a.txt")).toEqual([read("cat a.txt", "a.txt", "/w/a.txt")]);
  });

  it("any unknown part collapses the whole command to one unknown", () => {
    expect(bash("git diff | cat")).toEqual([unknown("git diff | cat")]);
    expect(bash("ls && npm test")).toEqual([unknown("ls && npm test")]);
  });

  it("joins a cd onto read paths and resolves them against cwd", () => {
    expect(bash("cd sub && cat c.txt")).toEqual([read("cat c.txt", "c.txt", "/w/sub/c.txt")]);
    expect(bash("cat sub/../a.txt")).toEqual([read("cat sub/../a.txt", "a.txt", "/w/a.txt")]);
    expect(bash("cat /etc/hostname")).toEqual([read("cat /etc/hostname", "hostname", "/etc/hostname")]);
    expect(parseCommandActions(["bash", "-lc", "cd /tmp && cat x"], CWD)).toEqual([read("cat x", "x", "/tmp/x")]);
  });

  it("shortens search and list paths for display", () => {
    expect(bash("ls sub/deep")).toEqual([list("ls sub/deep", "deep")]);
    expect(bash("rg foo node_modules/x/src")).toEqual([search("rg foo node_modules/x/src", "foo", "x")]);
  });

  it("parses a bare argv (no shell wrapper) by its connector words", () => {
    expect(parseCommandActions(["cat", "a.txt"], CWD)).toEqual([read("cat a.txt", "a.txt", "/w/a.txt")]);
    expect(parseCommandActions(["ls", "&&", "cat", "a b.txt"], CWD)).toEqual([list("ls", null), read("cat 'a b.txt'", "a b.txt", "/w/a b.txt")]);
    expect(parseCommandActions(["git", "status"], CWD)).toEqual([unknown("git status")]);
    expect(parseCommandActions(["yes", "|", "rg", "x"], CWD)).toEqual([search("rg x", "x", null)]);
  });

  it("a script that does not parse is one unknown", () => {
    expect(bash("cat 'a.txt")).toEqual([unknown("cat 'a.txt")]);
    expect(bash("")).toEqual([unknown("")]);
  });

  it("every action validates against the v2 CommandAction schema", () => {
    for (const [script] of OBSERVED_0_169) for (const a of bash(script)) CommandAction.parse(a);
  });
});

describe("commandActions: every command observed on codex 0.169.0", () => {
  it.each(OBSERVED_0_169.map(([s, c, a]) => [s, c, a] as const))("%s", (script, command, actions) => {
    expect(shellJoin(["/bin/bash", "-lc", script])).toBe(command);
    expect(bash(script)).toEqual(actions);
  });
});

describe("shellJoin / shellQuote (the reference's quoting)", () => {
  it.each([
    ["abc", "abc"],
    ["a b", "'a b'"],
    ["", "''"],
    ["it's", `"it's"`],
    [`a"b`, `'a"b'`],
    [`'a'"b"`, `"'a'\\"b\\""`],
    ["a!b", "'a!b'"],
    ["$HOME", "'$HOME'"],
    ["'$x'", `"'"'$x'"'"`],
    ["a\\b", `"a\\\\b"`],
    ["^x", "'^x'"],
    ["a^b", "a'^b'"],
    ["é", "'é'"],
    ["--color=always", "'--color=always'"],
    ["1,10p", "'1,10p'"],
    ["-n", "-n"],
    ["a/b.c:d@e_f+g]", "a/b.c:d@e_f+g]"],
  ])("%j → %s", (word, quoted) => {
    expect(shellQuote(word)).toBe(quoted);
  });

  it("joins argv like the item command", () => {
    expect(shellJoin(["/bin/bash", "-lc", "touch b.txt"])).toBe("/bin/bash -lc 'touch b.txt'");
    expect(shellJoin(["/bin/bash", "-lc", "echo 'it'\"'\"'s'"])).toBe(`/bin/bash -lc "echo 'it'\\"'\\"'s'"`);
  });
});
