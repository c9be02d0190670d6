// The safety classification over command strings of the kind agents send, through the real bash parser.
import { beforeAll, describe, expect, it } from "vitest";
import { loadBashParser } from "../tools/bashParse.js";
import { analyzeCommand } from "./commandSafety.js";

beforeAll(async () => {
  await loadBashParser();
});

const lc = (script: string) => ["/bin/bash", "-lc", script];

// [script, knownSafe, dangerous]
const CASES: Array<[string, boolean, boolean]> = [
  ["ls", true, false],
  ["ls -la", true, false],
  ["ls -la src/", true, false],
  ["pwd", true, false],
  ["cat README.md", true, false],
  ["cat 'file with spaces.txt'", true, false],
  ['cat "a b.txt"', true, false],
  ["head -n 20 src/main.ts", true, false],
  ["tail -n 50 log.txt", true, false],
  ["wc -l src/*.ts", true, false],
  ["wc -l a.txt b.txt", true, false],
  ["rg foo", true, false],
  ["rg -n 'fn main' src", true, false],
  ["rg --files", true, false],
  ["rg --pre cat foo", false, false],
  ["rg --pre=./x foo", false, false],
  ["rg -z foo", false, false],
  ["rg --search-zip foo", false, false],
  ["grep -rn TODO .", true, false],
  ["grep -n foo a.txt | head -n 5", true, false],
  ["find . -name '*.rs'", true, false],
  ["find . -type f -name '*.ts' | head", true, false],
  ["find . -name '*.o' -exec rm {} \\;", false, false],
  ["find . -name '*.o' -execdir rm {} +", false, false],
  ["find . -name '*.tmp' -delete", false, true],
  ["find . -fprint out.txt", false, false],
  ["git status", true, false],
  ["git status --short", true, false],
  ["git log --oneline -n 5", true, false],
  ["git diff HEAD~1", true, false],
  ["git show HEAD:README.md", true, false],
  ["git branch", true, false],
  ["git branch --show-current", true, false],
  ["git branch new-feature", false, false],
  ["git -c core.pager=cat log", false, false],
  ["git -c core.fsmonitor=./evil status", false, false],
  ["git diff --output=x.patch", false, false],
  ["git commit -m 'wip'", false, false],
  ["git add -A", false, false],
  ["git push", false, false],
  ["git push --force", false, true],
  ["git push -f origin main", false, true],
  ["git push --force-with-lease", false, true],
  ["git reset --hard", false, true],
  ["git reset --hard HEAD~3", false, true],
  ["git reset HEAD file.txt", false, false],
  ["git clean -fdx", false, true],
  ["git clean -n", false, false],
  ["git checkout -- .", false, true],
  ["git checkout main", false, false],
  ["git branch -D feature", false, true],
  ["sed -n 1,20p src/a.ts", true, false],
  ["sed -n '10,40p' a.txt", true, false],
  ["sed -n 5p a.txt", true, false],
  ["sed -i 's/a/b/' a.txt", false, false],
  ["sed -n '1w out' a.txt", false, false],
  ["sed 's/a/b/' a.txt", false, false],
  ["nl -ba a.txt | sed -n 1,5p", true, false],
  ["cat a.txt | wc -l", true, false],
  ["ls && cat a.txt", true, false],
  ["ls; pwd", true, false],
  ["ls || true", true, false],
  ["cd src && ls", true, false],
  ["echo hi", true, false],
  ['echo "rm -rf /"', true, false],
  ["echo hi > out.txt", false, false],
  ["echo round >> session.txt", false, false],
  ["printf 'approved\\n' > approved.txt", false, false],
  ["cat a.txt > b.txt", false, false],
  ["cat < a.txt", false, false],
  ["ls 2>/dev/null", false, false],
  ["cat <<EOF\nhello\nEOF", false, false],
  ["cat a | rm -rf ./", false, true],
  ["ls && rm -rf build", false, true],
  ["rm -rf /", false, true],
  ["rm -rf ./", false, true],
  ["rm -fr node_modules", false, true],
  ["rm -r dist", false, true],
  ["rm -f a.o", false, true],
  ["rm --recursive x", false, true],
  ["rm a.txt", false, false],
  ["sudo apt-get install jq", false, true],
  ["sudo ls", false, true],
  ["doas reboot", false, true],
  ["dd if=/dev/zero of=/dev/sda", false, true],
  ["mkfs.ext4 /dev/sdb1", false, true],
  ["chmod -R 777 /", false, true],
  ["chmod +x run.sh", false, false],
  ["chown -R me .", false, true],
  ["(cd src && ls)", false, false],
  ["(rm -rf /)", false, true],
  ["echo $(rm -rf ~)", false, true],
  ["ls $(pwd)", false, false],
  ["cat `ls`", false, false],
  ["diff <(ls a) <(ls b)", false, false],
  ["FOO=1 ls", false, false],
  ["PAGER=evil git log", false, false],
  ["export X=1 && ls", false, false],
  ["for f in *.ts; do cat $f; done", false, false],
  ["for f in *; do rm -rf $f; done", false, true],
  ["if true; then ls; fi", false, false],
  ["sleep 1 &", false, false],
  ["npm test", false, false],
  ["npm install", false, false],
  ["python3 -c 'print(1)'", false, false],
  ["node script.js", false, false],
  ["touch b.txt", false, false],
  ["mkdir -p out", false, false],
  ["mv a b", false, false],
  ["cp -r a b", false, false],
  ["curl https://example.com", false, false],
  ["bash -c 'rm -rf /'", false, true],
  ["sh -c 'ls'", false, false],
  ["env rm -rf /tmp/x", false, true],
  ["timeout 5 rm -rf x", false, true],
  ["xargs rm -rf < list", false, true],
  ["nohup sudo reboot", false, true],
  ["which node", true, false],
  ["uname -a", true, false],
  ["whoami", true, false],
  ["stat a.txt", true, false],
  ["base64 a.bin", true, false],
  ["base64 -o out a.bin", false, false],
  ["cat a.txt && echo done", true, false],
  ["ls -la | grep foo | wc -l", true, false],
  ["./ls", false, false],
  ["/bin/ls -la", true, false],
  ["/usr/bin/git status", true, false],
  ["ls 'unterminated", false, false],
];

describe("analyzeCommand over bash -lc scripts", () => {
  it("has enough cases to mean something", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(100);
  });
  for (const [script, safe, dangerous] of CASES) {
    it(`${JSON.stringify(script)} → safe=${safe} dangerous=${dangerous}`, () => {
      const a = analyzeCommand(lc(script));
      expect({ safe: a.knownSafe, dangerous: a.dangerous }).toEqual({ safe, dangerous });
    });
  }
});

describe("analyzeCommand over direct argv", () => {
  it("classifies an argv that is not a shell invocation as one command", () => {
    expect(analyzeCommand(["ls", "-la"])).toMatchObject({ knownSafe: true, dangerous: false, commands: [["ls", "-la"]] });
    expect(analyzeCommand(["rm", "-rf", "/"])).toMatchObject({ knownSafe: false, dangerous: true });
    expect(analyzeCommand(["sudo", "-u", "x", "true"])).toMatchObject({ dangerous: true });
  });
  it("splits a plain script into its commands and keeps a non-plain one whole", () => {
    expect(analyzeCommand(lc("touch a && ls")).commands).toEqual([["touch", "a"], ["ls"]]);
    expect(analyzeCommand(lc("echo x > f")).commands).toEqual([lc("echo x > f")]);
  });
  it("marks an unparseable script opaque", () => {
    expect(analyzeCommand(lc("ls 'unterminated")).opaque).toBe(true);
  });
  it("looks inside nested shells and wrappers", () => {
    expect(analyzeCommand(lc("bash -lc \"sh -c 'sudo true'\"")).dangerous).toBe(true);
    expect(analyzeCommand(["env", "FOO=1", "bash", "-c", "git reset --hard"]).dangerous).toBe(true);
  });
});
