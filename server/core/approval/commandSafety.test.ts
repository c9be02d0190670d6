// The safety classification over command strings of the kind agents send, through the real bash parser.
import { beforeAll, describe, expect, it } from "vitest";
import { loadBashParser } from "../tools/bashParse.js";
import { shellJoin } from "../tools/shellQuote.js";
import { analyzeCommand, KNOWN_SAFE, knownSafeOptions } from "./commandSafety.js";

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
  // git is not in the table: a nested repository the model wrote can run a program on `git status`.
  ["git status", false, false],
  ["git status --short", false, false],
  ["git log --oneline -n 5", false, false],
  ["git diff HEAD~1", false, false],
  ["git show HEAD:README.md", false, false],
  ["git branch", false, false],
  ["git branch --show-current", false, false],
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
  ["/usr/bin/git status", false, false],
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

// The table, generated from itself: every entry's example is safe, and stays safe with each option it
// allows in each spelling the tools read; every other option, an abbreviation of an allowed long option,
// and one plain argument too many make it unsafe. A new entry cannot come without its case.
describe("KNOWN_SAFE, case by case from the table", () => {
  const safe = (argv: readonly string[]) => analyzeCommand(lc(shellJoin(argv))).knownSafe;
  for (const [name, entry] of Object.entries(KNOWN_SAFE)) {
    describe(name, () => {
      const options = knownSafeOptions(name);
      it(`${shellJoin(entry.example)} is known safe, directly and in a bash -lc script`, () => {
        expect(entry.example[0]).toBe(name);
        expect(analyzeCommand(entry.example).knownSafe).toBe(true);
        expect(safe(entry.example)).toBe(true);
      });
      const v = entry.sampleValue ?? "1";
      for (const [opt, kind] of options) {
        const long = opt.startsWith("--") || entry.reading === "find";
        const spellings: string[][] =
          kind === "flag"
            ? [[opt]]
            : kind === "value"
              ? [[opt, v], ...(entry.reading === "find" ? [] : [[long ? `${opt}=${v}` : `${opt}${v}`]])]
              : [[opt], [long ? `${opt}=${v}` : `${opt}${v}`]];
        for (const words of spellings) {
          it(`allows ${words.join(" ")}`, () => {
            expect(safe([...entry.example, ...words])).toBe(true);
          });
        }
        if (kind === "flag" && opt.startsWith("--")) {
          it(`refuses ${opt}=x (a flag given a value)`, () => {
            expect(safe([...entry.example, `${opt}=x`])).toBe(false);
          });
        }
        const abbreviation = opt.slice(0, -1);
        if (opt.startsWith("--") && abbreviation.length > 3 && !options.has(abbreviation)) {
          it(`refuses the abbreviation ${abbreviation} (getopt would complete it; the table does not)`, () => {
            expect(safe([...entry.example, ...(kind === "flag" ? [abbreviation] : [`${abbreviation}=${v}`])])).toBe(false);
          });
        }
      }
      if (entry.reading !== "operands") {
        const letter = [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"].find((c) => !options.has(`-${c}`));
        it(`refuses an option it does not list (--no-such-option, -${letter})`, () => {
          expect(safe([...entry.example, "--no-such-option"])).toBe(false);
          expect(safe([...entry.example, `-${letter}`])).toBe(false);
        });
      } else {
        it("reads every word as data (it has no option that runs or writes)", () => {
          expect(safe([...entry.example, "--anything", "-x"])).toBe(true);
        });
      }
      if (entry.maxOperands !== undefined) {
        it(`refuses more than ${entry.maxOperands} plain argument(s)`, () => {
          const operands = Array.from({ length: entry.maxOperands! + 1 }, (_, i) => (entry.operand ? `+%${i}` : `x${i}`));
          const argv = [name, ...operands];
          expect(safe(argv)).toBe(false);
          expect(safe(argv.slice(0, -1))).toBe(true);
        });
      }
    });
  }
});

describe("reading options as the tools do", () => {
  it.each([
    ["ls -la", true],
    ["sort -rnk2 a.txt", true],
    ["sort -rnk 2 a.txt", true],
    ["sort -uo out a.txt", false],
    ["sort -- -o", true], // after --, `-o` is a file to read
    ["uniq -- a.txt -o", false], // two plain arguments: the second is an output
    ["grep -e -o a.txt", true], // -e takes the next word as its value, whatever it looks like
    ["sort -k -o a.txt", true],
    ["cat a.txt -n", true], // GNU permutes: options after plain arguments still count
    ["cat a.txt -Z", false],
    ["head -5 a.txt", true],
    ["date -Iseconds", true],
    ["date -I seconds", false], // an optional value is attached only; `seconds` is a plain argument that would set the clock
    ["date +%s", true],
  ])("%s → %s", (script, expected) => {
    expect(analyzeCommand(lc(script)).knownSafe).toBe(expected);
  });
});

describe("programs: what the gate must find on PATH", () => {
  it("lists the shell and each non-builtin program, and nothing for the builtins of a script", () => {
    expect(analyzeCommand(lc("cd src && echo hi && cat a | wc -l")).programs).toEqual(["/bin/bash", "cat", "wc"]);
    expect(analyzeCommand(["cat", "a"]).programs).toEqual(["cat"]);
    expect(analyzeCommand(["echo", "a"]).programs).toEqual(["echo"]); // not a script: echo is looked up
    expect(analyzeCommand(lc("/bin/echo hi")).programs).toEqual(["/bin/bash", "/bin/echo"]);
  });
});
