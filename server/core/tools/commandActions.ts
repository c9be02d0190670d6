// Best-effort summary of what a command does (read / listFiles / search / unknown) for the v2
// `commandActions` field, following codex 0.169 rule for rule (observed on the
// reference). Clients use it for display only, so any doubt falls back to one `unknown`.
import path from "node:path";
import type { CommandAction } from "../../../protocol/v2/shared.js";
import { parseShellScript, unwrapShellInvocation } from "./bashParse.js";
import { shellJoin } from "./shellQuote.js";

// ---------------------------------------------------------------------------------------------
// Parsing. Internally paths stay as written (joined with any `cd`); only the v2 conversion at the
// end makes read paths absolute, as 0.169 does.

type Parsed =
  | { type: "read"; cmd: string; name: string; path: string }
  | { type: "listFiles"; cmd: string; path: string | null }
  | { type: "search"; cmd: string; query: string | null; path: string | null }
  | { type: "unknown"; cmd: string };

const CONNECTORS = new Set(["&&", "||", "|", ";"]);

/**
 * The v2 `commandActions` for a command as run (argv; a `bash -lc SCRIPT` is parsed as a script).
 * Read paths are resolved against `cwd` (absolute, `..` collapsed). Needs `loadBashParser()` first.
 */
export function parseCommandActions(command: readonly string[], cwd: string): CommandAction[] {
  const parsed = dedupe(parseImpl(command));
  if (parsed.some((p) => p.type === "unknown")) {
    const shell = unwrapShellInvocation(command);
    return [{ type: "unknown", command: shell !== null ? shell.script : shellJoin(command) }];
  }
  return parsed.map((p) => toV2(p, cwd));
}

function toV2(p: Parsed, cwd: string): CommandAction {
  switch (p.type) {
    case "read":
      return { type: "read", command: p.cmd, name: p.name, path: path.resolve(cwd, p.path) };
    case "listFiles":
      return { type: "listFiles", command: p.cmd, path: p.path };
    case "search":
      return { type: "search", command: p.cmd, query: p.query, path: p.path };
    case "unknown":
      return { type: "unknown", command: p.cmd };
  }
}

function same(a: Parsed, b: Parsed): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function dedupe(list: Parsed[]): Parsed[] {
  const out: Parsed[] = [];
  for (const p of list) {
    const prev = out[out.length - 1];
    if (prev === undefined || !same(prev, p)) out.push(p);
  }
  return out;
}

function parseImpl(command: readonly string[]): Parsed[] {
  const shell = unwrapShellInvocation(command);
  if (shell !== null) return parseScript(shell.script);
  // A bare argv (the `shell` tool without bash -lc): connector words split it as the reference does.
  let tokens = [...command];
  if (tokens.length >= 2 && tokens[1] === "|" && ["yes", "y", "no", "n"].includes(tokens[0] as string)) {
    tokens = tokens.slice(2);
  }
  const parts: string[][] = [];
  let cur: string[] = [];
  for (const t of tokens) {
    if (CONNECTORS.has(t)) {
      if (cur.length > 0) parts.push(cur);
      cur = [];
    } else cur.push(t);
  }
  if (cur.length > 0) parts.push(cur);
  return simplifyAll(withCd(parts));
}

/** Summarises each command, dropping `cd X` while joining its target onto later read paths. */
function withCd(parts: string[][]): Parsed[] {
  const out: Parsed[] = [];
  let dir: string | null = null;
  for (const tokens of parts) {
    if (tokens[0] === "cd") {
      const target = cdTarget(tokens.slice(1));
      if (target !== null) dir = dir === null ? target : joinPath(dir, target);
      continue;
    }
    const p = summarize(tokens);
    out.push(p.type === "read" && dir !== null ? { ...p, path: joinPath(dir, p.path) } : p);
  }
  return out;
}

function parseScript(script: string): Parsed[] {
  const parsed = parseShellScript(script);
  if (parsed === null || !parsed.plain || parsed.commands.length === 0) return [{ type: "unknown", cmd: script }];
  const all = parsed.commands.map((c) => c.argv);
  const filtered = all.filter((argv) => !isFormattingHelper(argv));
  if (filtered.length === 0) return [{ type: "unknown", cmd: script }];
  let commands = withCd(filtered);
  if (commands.length > 1) {
    commands = simplifyAll(commands.filter((p) => !(p.type === "unknown" && p.cmd === "true")));
  }
  if (commands.length !== 1) return commands;
  const only = commands[0] as Parsed;
  // A lone command is labelled with the whole script when nothing was split off; in a pipeline
  // only the primary command, except `… | sed -n` reads, which keep the script.
  if (all.length === 1) {
    return only.type === "unknown" ? commands : [{ ...only, cmd: shellJoin(all[0] as string[]) }];
  }
  const tokens = all.flatMap((argv, i) => (i === 0 ? argv : [parsed.operators[i - 1] ?? ";", ...argv]));
  const hasPipe = parsed.operators.includes("|");
  const hasSedN = tokens.some((t, i) => t === "sed" && tokens[i + 1] === "-n");
  if (only.type === "read" && hasPipe && hasSedN) return [{ ...only, cmd: script }];
  return commands;
}

function firstWord(p: Parsed): string | undefined {
  return p.type === "unknown" ? shlexFirst(p.cmd) : undefined;
}

/** The first word of a command string we produced with shellJoin (so a simple split is exact enough). */
function shlexFirst(cmd: string): string | undefined {
  const parsed = parseShellScript(cmd);
  return parsed?.commands[0]?.argv[0];
}

function simplifyOnce(commands: Parsed[]): Parsed[] | null {
  if (commands.length <= 1) return null;
  // `echo … && rest` → rest
  if (firstWord(commands[0] as Parsed) === "echo") return commands.slice(1);
  // `cd foo && x` → x
  const cd = commands.findIndex((p) => firstWord(p) === "cd");
  if (cd >= 0 && commands.length > cd + 1) return [...commands.slice(0, cd), ...commands.slice(cd + 1)];
  // `x || true` → x
  const t = commands.findIndex((p) => p.type === "unknown" && p.cmd === "true");
  if (t >= 0) return [...commands.slice(0, t), ...commands.slice(t + 1)];
  // `nl -flags && rest` → rest
  const nl = commands.findIndex((p) => {
    if (p.type !== "unknown") return false;
    const argv = parseShellScript(p.cmd)?.commands[0]?.argv;
    return argv?.[0] === "nl" && argv.slice(1).every((a) => a.startsWith("-"));
  });
  if (nl >= 0) return [...commands.slice(0, nl), ...commands.slice(nl + 1)];
  return null;
}

function simplifyAll(commands: Parsed[]): Parsed[] {
  let cur = commands;
  for (let next = simplifyOnce(cur); next !== null; next = simplifyOnce(cur)) cur = next;
  return cur;
}

// ---------------------------------------------------------------------------------------------
// Per-command rules.

const isDigits = (s: string | undefined): boolean => s !== undefined && /^[0-9]+$/.test(s);
const isSignedDigits = (s: string | undefined): boolean => s !== undefined && /^\+?[0-9]+$/.test(s);

/** Pipeline helpers that only reshape output (`| wc -l`, `| head -n 5`); they are dropped. */
function isFormattingHelper(argv: string[]): boolean {
  const [cmd = "", a1, a2] = argv;
  switch (cmd) {
    case "wc":
    case "tr":
    case "cut":
    case "sort":
    case "uniq":
    case "tee":
    case "column":
    case "yes":
    case "printf":
      return true;
    case "xargs":
      return !isMutatingXargs(argv);
    case "awk":
      return awkDataFile(argv.slice(1)) === null;
    case "head":
      if (argv.length === 1) return true;
      if (argv.length === 2) return (a1 as string).startsWith("-");
      return argv.length === 3 && (a1 === "-n" || a1 === "-c") && isDigits(a2);
    case "tail":
      if (argv.length === 1) return true;
      if (argv.length === 2) return (a1 as string).startsWith("-");
      return argv.length === 3 && (a1 === "-n" || a1 === "-c") && isSignedDigits(a2);
    case "sed":
      return sedReadPath(argv.slice(1)) === null;
    default:
      return false;
  }
}

function isMutatingXargs(argv: string[]): boolean {
  let i = 1;
  let sub: string[] | null = null;
  while (i < argv.length) {
    const t = argv[i] as string;
    if (t === "--") {
      sub = argv.slice(i + 1);
      break;
    }
    if (!t.startsWith("-")) {
      sub = argv.slice(i);
      break;
    }
    i += ["-E", "-e", "-I", "-L", "-n", "-P", "-s"].includes(t) ? 2 : 1;
  }
  if (sub === null || sub.length === 0) return false;
  const [head, ...tail] = sub;
  const inPlace = tail.some((t) => t.startsWith("-i") || t.startsWith("-pi"));
  if (head === "perl" || head === "ruby") return inPlace;
  if (head === "sed") return inPlace || tail.includes("--in-place");
  if (head === "rg") return tail.includes("--replace");
  return false;
}

function trimAtConnector(args: string[]): string[] {
  const i = args.findIndex((a) => CONNECTORS.has(a));
  return i < 0 ? args : args.slice(0, i);
}

/** Drops flags and the values of `flagsWithValues`; `--flag=value` is skipped; after `--` all are operands. */
function skipFlagValues(args: string[], flagsWithValues: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === "--") {
      out.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith("--") && a.includes("=")) continue;
    if (flagsWithValues.includes(a)) {
      if (i + 1 < args.length) i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

function positionalOperands(args: string[], flagsWithValues: readonly string[]): string[] {
  const out: string[] = [];
  let afterDashDash = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (afterDashDash) out.push(a);
    else if (a === "--") afterDashDash = true;
    else if (a.startsWith("--") && a.includes("=")) continue;
    else if (flagsWithValues.includes(a)) {
      if (i + 1 < args.length) i++;
    } else if (!a.startsWith("-")) out.push(a);
  }
  return out;
}

const nonFlags = (args: string[], flagsWithValues: readonly string[]): string[] =>
  skipFlagValues(trimAtConnector(args), flagsWithValues).filter((a) => !a.startsWith("-"));

/** The last path component, skipping build/dist/node_modules/src (`webview/src` → `webview`). */
function shortDisplayPath(p: string): string {
  const trimmed = p.replace(/\\/g, "/").replace(/\/+$/, "");
  const parts = trimmed
    .split("/")
    .reverse()
    .filter((x) => x !== "" && !["build", "dist", "node_modules", "src"].includes(x));
  return parts[0] ?? trimmed;
}

function joinPath(base: string, rel: string): string {
  if (path.posix.isAbsolute(rel) || base === "") return rel;
  if (rel === "") return base;
  return base.endsWith("/") ? base + rel : `${base}/${rel}`;
}

function cdTarget(args: string[]): string | null {
  let target: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === "--") return args[i + 1] ?? null;
    if (!a.startsWith("-")) target = a;
  }
  return target;
}

const isPathish = (s: string): boolean => s === "." || s === ".." || s.startsWith("./") || s.startsWith("../") || s.includes("/") || s.includes("\\");

function isValidSedN(arg: string | undefined): boolean {
  return arg !== undefined && /^[0-9]+(,[0-9]+)?p$/.test(arg);
}

/** The file of `sed -n N,Mp FILE` (the only sed we call a read), or null. */
function sedReadPath(args: string[]): string | null {
  const a = trimAtConnector(args);
  if (!a.includes("-n")) return null;
  let hasRange = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === "-e" || a[i] === "--expression") {
      if (isValidSedN(a[i + 1])) hasRange = true;
      i++;
    } else if (a[i] === "-f" || a[i] === "--file") i++;
  }
  hasRange ||= a.some((x) => !x.startsWith("-") && isValidSedN(x));
  if (!hasRange) return null;
  const ops = nonFlags(a, ["-e", "-f", "--expression", "--file"]);
  if (ops.length === 0) return null;
  return isValidSedN(ops[0]) ? (ops[1] ?? null) : (ops[0] as string);
}

function awkDataFile(args: string[]): string | null {
  if (args.length === 0) return null;
  const a = trimAtConnector(args);
  const scriptFile = a.some((x) => x === "-f" || x === "--file");
  const ops = nonFlags(a, ["-F", "-v", "-f", "--field-separator", "--assign", "--file"]);
  if (scriptFile) return ops[0] ?? null;
  return ops[1] ?? null;
}

function grepLike(argv: string[], args: string[]): Parsed {
  const a = trimAtConnector(args);
  const operands: string[] = [];
  let pattern: string | null = null;
  let afterDashDash = false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as string;
    if (afterDashDash) {
      operands.push(x);
      continue;
    }
    if (x === "--") afterDashDash = true;
    else if (["-e", "--regexp", "-f", "--file"].includes(x)) {
      const v = a[++i];
      if (v !== undefined && pattern === null) pattern = v;
    } else if (["-m", "--max-count", "-C", "--context", "-A", "--after-context", "-B", "--before-context"].includes(x)) i++;
    else if (!x.startsWith("-")) operands.push(x);
  }
  const query = pattern ?? operands[0] ?? null;
  const p = operands[pattern !== null ? 0 : 1];
  return { type: "search", cmd: shellJoin(argv), query, path: p === undefined ? null : shortDisplayPath(p) };
}

function read(argv: string[], file: string): Parsed {
  return { type: "read", cmd: shellJoin(argv), name: shortDisplayPath(file), path: file };
}

function singleOperand(args: string[], flagsWithValues: readonly string[]): string | null {
  const ops = positionalOperands(args, flagsWithValues);
  return ops.length === 1 ? (ops[0] as string) : null;
}

/** `head|tail [-n N] FILE` (tail also takes `+N`). */
function headTail(argv: string[], signed: boolean): Parsed | null {
  const tail = argv.slice(1);
  const count = (n: string | undefined): boolean => (signed ? isSignedDigits(n) : isDigits(n));
  const first = tail[0];
  let validN = false;
  if (first === "-n") validN = count(tail[1]);
  else if (first?.startsWith("-n")) validN = signed ? count(first.slice(2)) : /^[0-9]*$/.test(first.slice(2));
  if (validN) {
    const rest = first === "-n" && count(tail[1]) ? tail.slice(2) : tail;
    const file = rest.find((a) => !a.startsWith("-"));
    if (file !== undefined) return read(argv, file);
  }
  if (tail.length === 1 && !(tail[0] as string).startsWith("-")) return read(argv, tail[0] as string);
  return null;
}

function summarize(argv: string[]): Parsed {
  const [head = "", ...tail] = argv;
  const cmd = shellJoin(argv);
  const unknown: Parsed = { type: "unknown", cmd };
  const list = (p: string | undefined): Parsed => ({ type: "listFiles", cmd, path: p === undefined ? null : shortDisplayPath(p) });
  switch (head) {
    case "ls":
      return list(positionalOperands(tail, ["-I", "-w", "--block-size", "--format", "--time-style", "--color", "--quoting-style"])[0]);
    case "eza":
    case "exa":
      return list(positionalOperands(tail, ["-I", "--ignore-glob", "--color", "--sort", "--time-style", "--time"])[0]);
    case "tree":
      return list(positionalOperands(tail, ["-L", "-P", "-I", "--charset", "--filelimit", "--sort"])[0]);
    case "du":
      return list(positionalOperands(tail, ["-d", "--max-depth", "-B", "--block-size", "--exclude", "--time-style"])[0]);
    case "rg":
    case "rga":
    case "ripgrep-all": {
      const files = trimAtConnector(tail).includes("--files");
      const ops = nonFlags(tail, [
        "-g",
        "--glob",
        "--iglob",
        "-t",
        "--type",
        "--type-add",
        "--type-not",
        "-m",
        "--max-count",
        "-A",
        "-B",
        "-C",
        "--context",
        "--max-depth",
      ]);
      if (files) return list(ops[0]);
      return { type: "search", cmd, query: ops[0] ?? null, path: ops[1] === undefined ? null : shortDisplayPath(ops[1]) };
    }
    case "git":
      if (tail[0] === "grep") return grepLike(argv, tail.slice(1));
      if (tail[0] === "ls-files") return list(positionalOperands(tail.slice(1), ["--exclude", "--exclude-from", "--pathspec-from-file"])[0]);
      return unknown;
    case "fd": {
      const ops = nonFlags(tail, ["-t", "--type", "-e", "--extension", "-E", "--exclude", "--search-path"]);
      let query: string | null = null;
      let p: string | null = null;
      if (ops.length === 1) {
        if (isPathish(ops[0] as string)) p = shortDisplayPath(ops[0] as string);
        else query = ops[0] as string;
      } else if (ops.length >= 2) {
        query = ops[0] as string;
        p = shortDisplayPath(ops[1] as string);
      }
      return query !== null ? { type: "search", cmd, query, path: p } : { type: "listFiles", cmd, path: p };
    }
    case "find": {
      const a = trimAtConnector(tail);
      const root = a.find((x) => !x.startsWith("-") && x !== "!" && x !== "(" && x !== ")");
      const at = a.findIndex((x) => ["-name", "-iname", "-path", "-regex"].includes(x));
      const query = at >= 0 ? (a[at + 1] ?? null) : null;
      const p = root === undefined ? null : shortDisplayPath(root);
      return query !== null ? { type: "search", cmd, query, path: p } : { type: "listFiles", cmd, path: p };
    }
    case "grep":
    case "egrep":
    case "fgrep":
      return grepLike(argv, tail);
    case "ag":
    case "ack":
    case "pt": {
      const ops = nonFlags(tail, ["-G", "-g", "--file-search-regex", "--ignore-dir", "--ignore-file", "--path-to-ignore"]);
      return { type: "search", cmd, query: ops[0] ?? null, path: ops[1] === undefined ? null : shortDisplayPath(ops[1]) };
    }
    case "cat":
    case "more": {
      const f = singleOperand(tail, []);
      return f === null ? unknown : read(argv, f);
    }
    case "bat":
    case "batcat": {
      const f = singleOperand(tail, ["--theme", "--language", "--style", "--terminal-width", "--tabs", "--line-range", "--map-syntax"]);
      return f === null ? unknown : read(argv, f);
    }
    case "less": {
      const f = singleOperand(tail, ["-p", "-P", "-x", "-y", "-z", "-j", "--pattern", "--prompt", "--tabs", "--shift", "--jump-target"]);
      return f === null ? unknown : read(argv, f);
    }
    case "head":
      return headTail(argv, false) ?? unknown;
    case "tail":
      return headTail(argv, true) ?? unknown;
    case "awk": {
      const f = awkDataFile(tail);
      return f === null ? unknown : read(argv, f);
    }
    case "nl": {
      const f = skipFlagValues(tail, ["-s", "-w", "-v", "-i", "-b"]).find((a) => !a.startsWith("-"));
      return f === undefined ? unknown : read(argv, f);
    }
    case "sed": {
      const f = sedReadPath(tail);
      return f === null ? unknown : read(argv, f);
    }
    default:
      if (/^python([23](\..*)?)?$/.test(head) && pythonWalksFiles(tail)) return { type: "listFiles", cmd, path: null };
      return unknown;
  }
}

function pythonWalksFiles(args: string[]): boolean {
  const a = trimAtConnector(args);
  const i = a.indexOf("-c");
  const script = i >= 0 ? a[i + 1] : undefined;
  if (script === undefined) return false;
  return ["os.walk", "os.listdir", "os.scandir", "glob.glob", "glob.iglob", "pathlib.Path", ".rglob("].some((s) => script.includes(s));
}
