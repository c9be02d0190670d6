// Command safety: which commands may run without asking (known-safe, read-only) and which must never
// ride on a cached approval (dangerous). Both are decided per sub-command of the bash parse, never by
// matching text over the whole string: `cat a | rm -rf ./` is unsafe although it starts with `cat`,
// and `echo "rm -rf /"` is not dangerous although the text contains it.
//
// Invariants: the parser must be loaded (`loadBashParser`) before `analyzeCommand`; a script the
// parser cannot read is neither safe nor cacheable (we cannot say what it runs).
import path from "node:path";
import { parseShellScript, unwrapShellInvocation, type ParsedScript } from "../tools/bashParse.js";

export interface CommandAnalysis {
  /** The argv of each sub-command as run: the `bash -lc` script's commands when it is plain, else the argv itself. */
  readonly commands: readonly (readonly string[])[];
  /** Every sub-command is on the known-safe list and the script has no redirection, substitution, subshell… */
  readonly knownSafe: boolean;
  /** Some sub-command (nested ones included) is on the dangerous list. */
  readonly dangerous: boolean;
  /** The script could not be parsed: nothing about it is known. */
  readonly opaque: boolean;
  /** A `bash -lc` script of plain commands only (what an execpolicy prefix can be matched against per command). */
  readonly plainScript: boolean;
}

const ALWAYS_SAFE = new Set([
  "cat", "cd", "cut", "echo", "expr", "false", "grep", "egrep", "fgrep", "head", "id", "ls", "nl", "paste", "pwd",
  "rev", "seq", "stat", "tail", "tr", "true", "uname", "uniq", "wc", "which", "whoami", "tac", "numfmt", "basename",
  "dirname", "realpath", "readlink", "file", "du", "df", "date", "printenv", "tree", "diff", "cmp", "sort", "column",
  "fd", "hostname",
]);

/** Options that turn an otherwise read-only tool into one that writes or runs other programs. */
const FIND_UNSAFE = new Set(["-exec", "-execdir", "-ok", "-okdir", "-delete", "-fls", "-fprint", "-fprint0", "-fprintf"]);
const RG_UNSAFE_EXACT = new Set(["--pre", "--hostname-bin", "--search-zip", "-z"]);
const RG_UNSAFE_PREFIX = ["--pre=", "--hostname-bin="];
const GIT_READ_ONLY = new Set(["status", "log", "diff", "show", "blame", "rev-parse", "ls-files", "describe", "shortlog", "grep"]);

function base(word: string): string {
  // `/usr/bin/ls` is `ls`, but `./ls` (a file in the workspace) is not the system tool.
  return word.startsWith("/") ? path.posix.basename(word) : word;
}

function isSafeGit(args: readonly string[]): boolean {
  // `git -c core.pager=… log` and `--config-env` can run arbitrary programs; any global option is refused.
  const sub = args[0];
  if (sub === undefined || sub.startsWith("-")) return false;
  const rest = args.slice(1);
  if (rest.some((a) => a === "--output" || a.startsWith("--output=") || a === "--ext-diff" || a === "--textconv" || a.startsWith("--exec"))) return false;
  if (GIT_READ_ONLY.has(sub)) return true;
  // `git branch` only lists with no positional argument or with listing flags.
  if (sub === "branch") return rest.every((a) => ["-a", "-r", "-v", "-vv", "--list", "--show-current", "--all", "--remotes", "--verbose"].includes(a));
  return false;
}

function isSafeSed(args: readonly string[]): boolean {
  // Only `sed -n Np|N,Mp [file…]`: any other script may write (`w`) or execute (`e`).
  if (args[0] !== "-n" || args[1] === undefined) return false;
  if (!/^\d+(,\d+)?p$/.test(args[1])) return false;
  return args.slice(2).every((a) => !a.startsWith("-"));
}

/** One simple command's argv, without redirections or assignments (the caller checks those). */
export function isKnownSafeArgv(argv: readonly string[]): boolean {
  const [first, ...args] = argv;
  if (first === undefined) return false;
  const cmd = base(first);
  if (ALWAYS_SAFE.has(cmd)) return true;
  switch (cmd) {
    case "find":
      return !args.some((a) => FIND_UNSAFE.has(a));
    case "rg":
      return !args.some((a) => RG_UNSAFE_EXACT.has(a) || RG_UNSAFE_PREFIX.some((p) => a.startsWith(p)));
    case "git":
      return isSafeGit(args);
    case "sed":
      return isSafeSed(args);
    case "base64":
      return !args.some((a) => a === "-o" || a === "--output" || a.startsWith("--output="));
    default:
      return false;
  }
}

function shortFlags(args: readonly string[]): Set<string> {
  const set = new Set<string>();
  for (const a of args) {
    if (a === "--") break;
    if (a.startsWith("--")) set.add(a);
    else if (a.startsWith("-") && a.length > 1) for (const c of a.slice(1)) set.add(`-${c}`);
  }
  return set;
}

/** Commands whose effect is destructive or hard to undo; they are asked every time where the policy can ask. */
export function isDangerousArgv(argv: readonly string[]): boolean {
  const [first, ...args] = argv;
  if (first === undefined) return false;
  const cmd = base(first);
  switch (cmd) {
    case "sudo":
    case "doas":
    case "su":
    case "pkexec":
    case "mkfs":
    case "shred":
    case "wipefs":
    case "fdisk":
    case "dd":
      return true;
    case "rm": {
      const f = shortFlags(args);
      return f.has("-f") || f.has("-r") || f.has("-R") || f.has("--force") || f.has("--recursive");
    }
    case "git": {
      const sub = args.find((a) => !a.startsWith("-"));
      const rest = sub === undefined ? [] : args.slice(args.indexOf(sub) + 1);
      const f = shortFlags(rest);
      if (sub === "reset") return f.has("--hard") || f.has("--merge") || f.has("--keep");
      if (sub === "clean") return f.has("-f") || f.has("--force");
      if (sub === "push") return f.has("-f") || f.has("--force") || [...f].some((x) => x.startsWith("--force-with-lease")) || f.has("--delete") || f.has("--mirror");
      if (sub === "branch") return f.has("-D");
      if (sub === "checkout" || sub === "restore") return rest.includes("--") || rest.includes(".") || f.has("-f") || f.has("--force");
      return false;
    }
    case "chmod":
    case "chown":
      return shortFlags(args).has("-R") || shortFlags(args).has("--recursive");
    case "find":
      return args.includes("-delete");
    default:
      return cmd.startsWith("mkfs.");
  }
}

function classifyScript(parsed: ParsedScript): { knownSafe: boolean; dangerous: boolean } {
  const dangerous = parsed.commands.some((c) => isDangerousArgv(c.argv) || isDangerousArgv(stripWrapper(c.argv)));
  // Safe only when the script is nothing but literal commands joined by && || ; |; a redirection,
  // substitution, subshell or assignment (`PAGER=… git log`) may write or run anything.
  const knownSafe = parsed.plain && parsed.commands.length > 0 && parsed.commands.every((c) => !c.nested && c.redirects.length === 0 && c.assignments.length === 0 && isKnownSafeArgv(c.argv));
  return { knownSafe, dangerous };
}

/** `sudo`/`env`/`nice`/`timeout` run another command; its danger is theirs. */
function stripWrapper(argv: readonly string[]): readonly string[] {
  const first = argv[0] === undefined ? "" : base(argv[0]);
  if (first === "env" || first === "nice" || first === "nohup" || first === "time" || first === "timeout" || first === "xargs" || first === "command" || first === "exec") {
    let i = 1;
    while (i < argv.length && (argv[i]?.startsWith("-") || argv[i]?.includes("=") || (first === "timeout" && /^\d/.test(argv[i] ?? "")))) i++;
    return argv.slice(i);
  }
  return argv;
}

export function analyzeCommand(argv: readonly string[]): CommandAnalysis {
  const shell = unwrapShellInvocation(argv);
  if (shell === null) {
    const inner = stripWrapper(argv);
    return {
      commands: [argv],
      knownSafe: isKnownSafeArgv(argv),
      dangerous: isDangerousArgv(argv) || isDangerousArgv(inner) || nestedShellDangerous(inner),
      opaque: false,
      plainScript: false,
    };
  }
  const parsed = parseShellScript(shell.script);
  if (parsed === null) return { commands: [argv], knownSafe: false, dangerous: false, opaque: true, plainScript: false };
  const { knownSafe, dangerous } = classifyScript(parsed);
  const nestedDanger = parsed.commands.some((c) => nestedShellDangerous(c.argv));
  const commands = parsed.plain ? parsed.commands.map((c) => c.argv) : [argv];
  return { commands, knownSafe, dangerous: dangerous || nestedDanger, opaque: false, plainScript: parsed.plain };
}

/** `bash -lc "bash -c 'rm -rf /'"`: the inner script counts. */
function nestedShellDangerous(argv: readonly string[]): boolean {
  const inner = unwrapShellInvocation(stripWrapper(argv));
  if (inner === null) return false;
  const parsed = parseShellScript(inner.script);
  if (parsed === null) return false;
  return classifyScript(parsed).dangerous || parsed.commands.some((c) => nestedShellDangerous(c.argv));
}
