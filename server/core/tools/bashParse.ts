// A real bash parse (tree-sitter-bash) shared by commandActions and command safety. Splitting a
// command string with regexes gets quoting, heredocs and substitutions wrong; the grammar does not.
import { createRequire } from "node:module";
import path from "node:path";
import type { Node, Parser } from "web-tree-sitter";

export type ShellOperator = "&&" | "||" | ";" | "|" | "|&" | "&";

export interface Redirect {
  /** The redirection operator as written: `>`, `>>`, `<`, `&>`, `>&`, `<<`, `<<-`, `<<<`, … */
  op: string;
  /** Explicit file descriptor (`2` in `2>/dev/null`), or null. */
  fd: string | null;
  /** Unquoted target word (a heredoc's delimiter); null when it is not a literal. */
  target: string | null;
  /** The target as written in the source. */
  targetText: string;
  /** Heredocs only: the body exactly as written (with its final newline) and whether the delimiter was quoted. */
  heredocBody?: string;
  heredocQuoted?: boolean;
}

export interface SimpleCommand {
  /** Words with quoting removed; a word that is not a literal keeps its source text (see `literal`). */
  argv: string[];
  /** True when every word is a literal (no expansion or substitution inside). */
  literal: boolean;
  /** Prefix assignments (`FOO=bar cmd`), as written. */
  assignments: string[];
  redirects: Redirect[];
  /** Inside a subshell, substitution, compound statement or control flow rather than at the top level. */
  nested: boolean;
  /** The command's source text (without redirections that tree-sitter attaches around it). */
  text: string;
}

export interface ShellFlags {
  subshell: boolean;
  commandSubstitution: boolean;
  processSubstitution: boolean;
  /** `$X`, `${X…}`, `$((…))`, also inside double quotes and unquoted heredoc bodies. */
  variableExpansion: boolean;
  /** `X=1`, `X=1 cmd`, `export/local/declare …`. */
  assignment: boolean;
  redirection: boolean;
  heredoc: boolean;
  background: boolean;
  /** if / while / until / for / case / select, function definitions. */
  controlFlow: boolean;
  /** Other constructs that make the script opaque: `{ …; }`, `[[ … ]]`, `! cmd`, `((…))`, brace expansion… (node kinds). */
  other: string[];
}

export interface ParsedScript {
  /** Every simple command, in source order, nested ones included (flagged `nested`). */
  commands: SimpleCommand[];
  /** Operators in source order. When `plain`, `operators[i]` joins `commands[i]` and `commands[i+1]`;
   * a newline between statements counts as `;`. */
  operators: ShellOperator[];
  flags: ShellFlags;
  /** Only literal simple commands joined by `&&`, `||`, `;`, `|`: nothing in `flags` is set. */
  plain: boolean;
}

let parser: Parser | null = null;
let loading: Promise<void> | null = null;

/** Loads the wasm grammar once; every later call returns the same promise. */
export function loadBashParser(): Promise<void> {
  loading ??= (async () => {
    // Loaded on first use: the daemon answers initialize without evaluating the wasm runtime.
    const { Language, Parser } = await import("web-tree-sitter");
    await Parser.init();
    const require = createRequire(import.meta.url);
    const language = await Language.load(require.resolve("tree-sitter-bash/tree-sitter-bash.wasm"));
    const p = new Parser();
    p.setLanguage(language);
    parser = p;
  })().catch((err: unknown) => {
    // A failed load must not poison later attempts (e.g. a transient read error).
    loading = null;
    throw err;
  });
  return loading;
}

const CONTROL_FLOW = new Set(["if_statement", "while_statement", "for_statement", "c_style_for_statement", "case_statement", "function_definition"]);
const EXPANSIONS = new Set(["simple_expansion", "expansion", "arithmetic_expansion"]);
const STATEMENTS = new Set([
  "command",
  "redirected_statement",
  "list",
  "pipeline",
  "subshell",
  "compound_statement",
  "negated_command",
  "declaration_command",
  "unset_command",
  "variable_assignment",
  "variable_assignments",
  "test_command",
]);
const WORDS = new Set([
  "word",
  "number",
  "raw_string",
  "ansi_c_string",
  "string",
  "translated_string",
  "concatenation",
  "command_substitution",
  "process_substitution",
  "brace_expression",
]);
const OPERATOR_TOKENS = new Set<string>(["&&", "||", ";", "|", "|&", "&"]);
const REDIRECT_KINDS = new Set(["file_redirect", "heredoc_redirect", "herestring_redirect"]);

function emptyFlags(): ShellFlags {
  return {
    subshell: false,
    commandSubstitution: false,
    processSubstitution: false,
    variableExpansion: false,
    assignment: false,
    redirection: false,
    heredoc: false,
    background: false,
    controlFlow: false,
    other: [],
  };
}

/** Parses a bash script. Null when it does not parse (syntax error) or the parser is not loaded
 * yet is a programming error and throws. */
export function parseShellScript(script: string): ParsedScript | null {
  if (parser === null) throw new Error("bash parser not loaded: await loadBashParser() first");
  const tree = parser.parse(script);
  if (tree === null) return null;
  try {
    const root = tree.rootNode;
    if (root.hasError) return null;
    const walker = new Walker();
    walker.statements(root, false);
    const f = walker.flags;
    const plain =
      !(
        f.subshell ||
        f.commandSubstitution ||
        f.processSubstitution ||
        f.variableExpansion ||
        f.assignment ||
        f.redirection ||
        f.heredoc ||
        f.background ||
        f.controlFlow ||
        f.other.length > 0
      ) && walker.commands.every((c) => c.literal);
    return { commands: walker.commands, operators: walker.operators, flags: f, plain };
  } finally {
    // The tree lives in wasm memory; a long-running daemon must free it.
    tree.delete();
  }
}

class Walker {
  commands: SimpleCommand[] = [];
  operators: ShellOperator[] = [];
  flags = emptyFlags();

  private other(kind: string): void {
    if (!this.flags.other.includes(kind)) this.flags.other.push(kind);
  }

  /** A node holding statements separated by operators (program, list, pipeline, bodies).
   * Returns the last command at this level, which a trailing redirection applies to. */
  statements(node: Node, nested: boolean): SimpleCommand | undefined {
    let sawStatement = false;
    let sawSeparator = true;
    let last: SimpleCommand | undefined;
    for (const child of node.children) {
      if (!child.isNamed) {
        if (OPERATOR_TOKENS.has(child.type)) {
          if (child.type === "&") this.flags.background = true;
          this.operators.push(child.type as ShellOperator);
          sawSeparator = true;
        }
        continue;
      }
      if (child.type === "comment") continue;
      // Statements on separate lines have no token between them: that newline acts as `;`.
      if (sawStatement && !sawSeparator) this.operators.push(";");
      last = this.statement(child, nested);
      sawStatement = true;
      sawSeparator = false;
    }
    return last;
  }

  statement(node: Node, nested: boolean): SimpleCommand | undefined {
    switch (node.type) {
      case "program":
      case "list":
      case "pipeline":
        return this.statements(node, nested);
      case "command":
        return this.command(node, nested);
      case "redirected_statement": {
        const body = node.namedChildren.find((c) => !REDIRECT_KINDS.has(c.type));
        // tree-sitter-bash hangs `a && b <<EOF` on the whole list; bash gives it to the last command.
        const host = body === undefined ? undefined : this.statement(body, nested);
        for (const c of node.namedChildren) {
          if (REDIRECT_KINDS.has(c.type)) host?.redirects.push(...this.redirect(c, nested));
        }
        return host;
      }
      case "subshell":
        this.flags.subshell = true;
        this.statements(node, true);
        return undefined;
      case "variable_assignment":
      case "variable_assignments":
      case "declaration_command":
      case "unset_command":
        this.flags.assignment = true;
        this.nestedStatements(node);
        return undefined;
      default:
        if (CONTROL_FLOW.has(node.type)) this.flags.controlFlow = true;
        else this.other(node.type);
        this.nestedStatements(node);
        return undefined;
    }
  }

  /** Finds commands and expansions inside compound constructs (loop bodies, conditions, case arms…). */
  private nestedStatements(node: Node): void {
    for (const c of node.namedChildren) {
      if (STATEMENTS.has(c.type) || CONTROL_FLOW.has(c.type)) this.statement(c, true);
      else if (WORDS.has(c.type) || EXPANSIONS.has(c.type)) this.word(c);
      else this.nestedStatements(c);
    }
  }

  private command(node: Node, nested: boolean): SimpleCommand {
    const cmd: SimpleCommand = { argv: [], literal: true, assignments: [], redirects: [], nested, text: node.text };
    this.commands.push(cmd);
    for (const c of node.namedChildren) {
      if (c.type === "variable_assignment") {
        this.flags.assignment = true;
        cmd.assignments.push(c.text);
        this.nestedStatements(c);
      } else if (REDIRECT_KINDS.has(c.type)) {
        cmd.redirects.push(...this.redirect(c, nested));
      } else if (c.type !== "comment") {
        const w = this.word(c.type === "command_name" ? (c.namedChildren[0] ?? c) : c);
        cmd.argv.push(w.value);
        if (!w.literal) cmd.literal = false;
      }
    }
    return cmd;
  }

  /** One redirection, plus any that tree-sitter nests inside a heredoc's first line. Commands that
   * follow a heredoc operator on its line (`cat <<EOF | grep x`) are walked here, in order. */
  private redirect(node: Node, nested: boolean): Redirect[] {
    this.flags.redirection = true;
    const r: Redirect = { op: "", fd: null, target: null, targetText: "" };
    const more: Redirect[] = [];
    let targetNode: Node | null = null;
    if (node.type === "heredoc_redirect") {
      this.flags.heredoc = true;
      r.heredocBody = "";
    }
    for (const c of node.children) {
      if (!c.isNamed) {
        if (r.op === "") r.op = c.type;
        continue;
      }
      switch (c.type) {
        case "file_descriptor":
          r.fd = c.text;
          break;
        case "heredoc_start":
          r.heredocQuoted = /["'\\]/.test(c.text);
          r.target = c.text.replace(/["'\\]/g, "");
          r.targetText = c.text;
          break;
        case "heredoc_body":
          r.heredocBody = c.text;
          if (!r.heredocQuoted) this.nestedStatements(c);
          break;
        case "heredoc_end":
          break;
        default:
          if (REDIRECT_KINDS.has(c.type)) more.push(...this.redirect(c, nested));
          else if (node.type === "heredoc_redirect" && (STATEMENTS.has(c.type) || CONTROL_FLOW.has(c.type))) {
            this.statement(c, nested);
          } else targetNode ??= c;
      }
    }
    if (targetNode !== null) {
      const w = this.word(targetNode);
      r.target = w.literal ? w.value : null;
      r.targetText = targetNode.text;
    }
    return [r, ...more];
  }

  /** Unquotes one word. Non-literal parts keep their source text and mark the word non-literal;
   * substitutions inside are walked so that their commands are found. */
  word(node: Node): { value: string; literal: boolean } {
    switch (node.type) {
      case "word":
        return { value: unescapeBare(node.text), literal: true };
      case "number":
        return { value: node.text, literal: true };
      case "raw_string":
        return { value: node.text.slice(1, -1), literal: true };
      case "ansi_c_string":
        return { value: decodeAnsiC(node.text.slice(2, -1)), literal: true };
      case "translated_string": {
        const inner = node.namedChildren[0];
        return inner === undefined ? { value: "", literal: true } : this.word(inner);
      }
      case "string":
        return this.doubleQuoted(node);
      case "concatenation": {
        let value = "";
        let literal = true;
        for (const c of node.namedChildren) {
          const w = this.word(c);
          value += w.value;
          if (!w.literal) literal = false;
        }
        // `{a,b}` comes out as a concatenation of `{`, `a,b`, `}`: brace expansion.
        if (literal && node.namedChildren.some((c) => c.type === "word" && c.text === "{") && /\{[^}]*,[^}]*\}/.test(node.text)) {
          this.other("brace_expansion");
          literal = false;
        }
        return { value: literal ? value : node.text, literal };
      }
      case "command_substitution":
        this.flags.commandSubstitution = true;
        this.statements(node, true);
        return { value: node.text, literal: false };
      case "process_substitution":
        this.flags.processSubstitution = true;
        this.statements(node, true);
        return { value: node.text, literal: false };
      default:
        if (EXPANSIONS.has(node.type)) this.flags.variableExpansion = true;
        else if (node.type === "brace_expression") this.other("brace_expansion");
        this.nestedStatements(node);
        return { value: node.text, literal: false };
    }
  }

  /** Rebuilds a "…" string from the source between its quotes: tree-sitter leaves some of the
   * content (newlines, for one) outside its string_content nodes. */
  private doubleQuoted(node: Node): { value: string; literal: boolean } {
    const src = node.text;
    const base = node.startIndex;
    let pos = 1;
    let value = "";
    let literal = true;
    for (const c of node.namedChildren) {
      if (c.type === "string_content") continue;
      value += unescapeDoubleQuoted(src.slice(pos, c.startIndex - base));
      value += this.word(c).value;
      literal = false;
      pos = c.endIndex - base;
    }
    value += unescapeDoubleQuoted(src.slice(pos, src.length - 1));
    return { value, literal };
  }
}

function unescapeBare(text: string): string {
  if (!text.includes("\\")) return text;
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\\" && i + 1 < text.length) {
      const next = text[++i];
      if (next !== "\n") out += next;
    } else out += ch;
  }
  return out;
}

function unescapeDoubleQuoted(text: string): string {
  if (!text.includes("\\")) return text;
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    const next = text[i + 1];
    if (ch === "\\" && next !== undefined && '$`"\\\n'.includes(next)) {
      i++;
      if (next !== "\n") out += next;
    } else out += ch;
  }
  return out;
}

const ANSI_C: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  a: "\x07",
  b: "\b",
  e: "\x1b",
  E: "\x1b",
  f: "\f",
  v: "\v",
  "\\": "\\",
  "'": "'",
  '"': '"',
  "?": "?",
};

function decodeAnsiC(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch !== "\\" || i + 1 >= text.length) {
      out += ch;
      continue;
    }
    const next = text[++i] as string;
    const mapped = ANSI_C[next];
    if (mapped !== undefined) {
      out += mapped;
      continue;
    }
    const hex = next === "x" ? /^[0-9a-fA-F]{1,2}/.exec(text.slice(i + 1)) : null;
    const oct = /[0-7]/.test(next) ? /^[0-7]{1,3}/.exec(text.slice(i)) : null;
    if (hex) {
      out += String.fromCharCode(parseInt(hex[0], 16));
      i += hex[0].length;
    } else if (oct) {
      out += String.fromCharCode(parseInt(oct[0], 8));
      i += oct[0].length - 1;
    } else out += `\\${next}`;
  }
  return out;
}

/** Shells whose `-c`/`-lc` script we parse, recognised by the executable's base name. */
const SHELLS = new Set(["bash", "sh", "zsh"]);

export interface ShellInvocation {
  shell: string;
  flag: "-c" | "-lc";
  script: string;
}

/** Recognises `[bash|sh|zsh|/path/to/bash…, -c|-lc, SCRIPT]` (exactly three words, as the reference). */
export function unwrapShellInvocation(argv: readonly string[]): ShellInvocation | null {
  if (argv.length !== 3) return null;
  const [shell, flag, script] = argv as [string, string, string];
  if (flag !== "-c" && flag !== "-lc") return null;
  if (!SHELLS.has(path.posix.basename(shell))) return null;
  return { shell, flag, script };
}
