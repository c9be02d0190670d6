// The `.rules` language: the Starlark subset the reference's execpolicy files use, read by a real
// tokenizer and recursive-descent parser (not regexes) so that quoting, nesting, comments and line
// numbers are right. Supported: top-level calls `prefix_rule(pattern=…, decision=…, justification=…,
// match=…, not_match=…, sandbox=…)`, string literals ('…', "…", escapes), lists, True/False/None, `#`
// comments, trailing commas. Every error names the file and line. `network_rule(host=…, protocol=…,
// decision=…, justification=…)` is read too, as 0.169 writes it for a network policy amendment
// (the managed proxy's allow and deny lists take its hosts; command evaluation ignores it).
//
// `sandbox = "none"` is Gatehouse's own: an allow rule that also leaves the sandbox. The default keeps
// the command inside it (an allow rule only skips the prompt).

export type Decision = "allow" | "prompt" | "forbidden";

export interface PrefixRule {
  /** Each position: the accepted alternatives. */
  readonly pattern: readonly (readonly string[])[];
  readonly decision: Decision;
  readonly justification: string | null;
  readonly unsandboxed: boolean;
  readonly source: { readonly file: string; readonly line: number };
}

/** 0.169's names for the protocols in a `network_rule` (the wire spells them socks5Tcp etc.). */
export const NETWORK_RULE_PROTOCOLS = ["http", "https", "socks5_tcp", "socks5_udp"] as const;
export type NetworkRuleProtocol = (typeof NETWORK_RULE_PROTOCOLS)[number];

export interface NetworkRule {
  /** One specific host (no wildcards), lower-cased. */
  readonly host: string;
  readonly protocol: NetworkRuleProtocol | null;
  readonly decision: "allow" | "deny";
  readonly justification: string | null;
  readonly source: { readonly file: string; readonly line: number };
}

export class RulesParseError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    detail: string,
  ) {
    super(`${file}:${line}: ${detail}`);
    this.name = "RulesParseError";
  }
}

type Token =
  | { kind: "ident"; value: string; line: number }
  | { kind: "string"; value: string; line: number }
  | { kind: "number"; value: string; line: number }
  | { kind: "punct"; value: "(" | ")" | "[" | "]" | "," | "="; line: number }
  | { kind: "eof"; line: number };

type Value = string | boolean | null | Value[];

function tokenize(text: string, file: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === "\n") {
      line++;
      i++;
    } else if (c === " " || c === "\t" || c === "\r") i++;
    else if (c === "#") while (i < text.length && text[i] !== "\n") i++;
    else if ("()[],=".includes(c)) {
      tokens.push({ kind: "punct", value: c as "(" | ")" | "[" | "]" | "," | "=", line });
      i++;
    } else if (c === '"' || c === "'") {
      const startLine = line;
      const triple = text.startsWith(c.repeat(3), i);
      const quote = triple ? c.repeat(3) : c;
      i += quote.length;
      let value = "";
      for (;;) {
        if (i >= text.length) throw new RulesParseError(file, startLine, "unterminated string literal");
        if (text.startsWith(quote, i)) {
          i += quote.length;
          break;
        }
        const ch = text[i] as string;
        if (ch === "\n") {
          if (!triple) throw new RulesParseError(file, startLine, "unterminated string literal");
          line++;
        }
        if (ch === "\\") {
          const next = text[i + 1];
          const map: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", '"': '"', "'": "'", "0": "\0" };
          if (next === undefined || !(next in map)) throw new RulesParseError(file, line, `invalid escape sequence \\${next ?? ""}`);
          value += map[next];
          i += 2;
          continue;
        }
        value += ch;
        i++;
      }
      tokens.push({ kind: "string", value, line: startLine });
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i;
      while (j < text.length && /[A-Za-z0-9_]/.test(text[j] as string)) j++;
      tokens.push({ kind: "ident", value: text.slice(i, j), line });
      i = j;
    } else if (/[0-9]/.test(c)) {
      let j = i;
      while (j < text.length && /[0-9]/.test(text[j] as string)) j++;
      tokens.push({ kind: "number", value: text.slice(i, j), line });
      i = j;
    } else throw new RulesParseError(file, line, `unexpected character ${JSON.stringify(c)}`);
  }
  tokens.push({ kind: "eof", line });
  return tokens;
}

class Parser {
  private pos = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly file: string,
  ) {}

  private peek(): Token {
    return this.tokens[this.pos] as Token;
  }
  private next(): Token {
    const t = this.peek();
    if (t.kind !== "eof") this.pos++;
    return t;
  }
  private fail(t: Token, detail: string): never {
    throw new RulesParseError(this.file, t.line, detail);
  }
  private atPunct(p: string): boolean {
    const t = this.peek();
    return t.kind === "punct" && t.value === p;
  }
  private expectPunct(p: string): Token {
    const t = this.next();
    if (t.kind !== "punct" || t.value !== p) this.fail(t, `expected \`${p}\`, found ${describe(t)}`);
    return t;
  }

  calls(): Array<{ name: string; line: number; args: Map<string, { value: Value; line: number }> }> {
    const out = [];
    while (this.peek().kind !== "eof") {
      const name = this.next();
      if (name.kind !== "ident") this.fail(name, `expected a rule such as prefix_rule(…), found ${describe(name)}`);
      this.expectPunct("(");
      const args = new Map<string, { value: Value; line: number }>();
      while (!this.atPunct(")")) {
        const key = this.next();
        if (key.kind !== "ident") this.fail(key, `expected a keyword argument, found ${describe(key)}`);
        this.expectPunct("=");
        if (args.has(key.value)) this.fail(key, `argument \`${key.value}\` given twice`);
        args.set(key.value, { value: this.value(), line: key.line });
        const sep = this.peek();
        if (sep.kind === "punct" && sep.value === ",") this.next();
        else if (!(sep.kind === "punct" && sep.value === ")")) this.fail(sep, `expected \`,\` or \`)\`, found ${describe(sep)}`);
      }
      this.expectPunct(")");
      out.push({ name: name.value, line: name.line, args });
    }
    return out;
  }

  private value(): Value {
    const t = this.next();
    if (t.kind === "string") return t.value;
    if (t.kind === "ident" && t.value === "True") return true;
    if (t.kind === "ident" && t.value === "False") return false;
    if (t.kind === "ident" && t.value === "None") return null;
    if (t.kind === "punct" && t.value === "[") {
      const items: Value[] = [];
      while (!this.atPunct("]")) {
        items.push(this.value());
        const sep = this.peek();
        if (sep.kind === "punct" && sep.value === ",") this.next();
        else if (!(sep.kind === "punct" && sep.value === "]")) this.fail(sep, `expected \`,\` or \`]\`, found ${describe(sep)}`);
      }
      this.next();
      return items;
    }
    return this.fail(t, `expected a string, a list or True/False/None, found ${describe(t)}`);
  }
}

function describe(t: Token): string {
  return t.kind === "eof" ? "end of file" : t.kind === "string" ? `string ${JSON.stringify(t.value)}` : `\`${t.value}\``;
}

/** A pattern position or an example: a string, or a list of strings. */
function stringList(v: Value, what: string, fail: (d: string) => never): string[] {
  if (typeof v === "string") return [v];
  if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === "string")) return v as string[];
  return fail(`${what} must be a string or a non-empty list of strings`);
}

/** An example command: a list of words, or one string split on whitespace (as the reference accepts). */
function exampleArgv(v: Value, fail: (d: string) => never): string[] {
  if (typeof v === "string") return v.split(/\s+/).filter(Boolean);
  if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v as string[];
  return fail("each match/not_match example must be a string or a list of strings");
}

export function matchesPrefix(rule: Pick<PrefixRule, "pattern">, argv: readonly string[]): boolean {
  if (argv.length < rule.pattern.length) return false;
  return rule.pattern.every((alts, i) => alts.includes(argv[i] as string));
}

/** Parses one file's text; throws RulesParseError naming `file` and the line. */
export function parseRules(text: string, file: string): PrefixRule[] {
  return parseRuleFile(text, file).prefixRules;
}

/** The file's `network_rule`s (its prefix rules are validated as well). */
export function parseNetworkRules(text: string, file: string): NetworkRule[] {
  return parseRuleFile(text, file).networkRules;
}

type Call = ReturnType<Parser["calls"]>[number];

function networkRule(call: Call, file: string, fail: (line: number) => (d: string) => never): NetworkRule {
  for (const key of call.args.keys()) {
    if (!["host", "protocol", "decision", "justification"].includes(key)) fail(call.line)(`network_rule got an unexpected argument \`${key}\``);
  }
  const h = call.args.get("host");
  if (!h || typeof h.value !== "string" || h.value.trim() === "") return fail(h?.line ?? call.line)("network_rule host cannot be empty");
  const host = h.value.trim().toLowerCase();
  if (/\s/.test(host)) fail(h.line)("network_rule host cannot contain whitespace");
  if (host.includes("*")) fail(h.line)("network_rule host must be a specific host; wildcards are not allowed");
  const p = call.args.get("protocol");
  if (p && !(NETWORK_RULE_PROTOCOLS as readonly unknown[]).includes(p.value))
    fail(p.line)(`network_rule protocol must be one of ${NETWORK_RULE_PROTOCOLS.join(", ")} (got ${JSON.stringify(p.value)})`);
  const d = call.args.get("decision");
  const dv = d?.value ?? "allow";
  // The execpolicy's own words are accepted too: forbidden is deny.
  if (dv !== "allow" && dv !== "deny" && dv !== "forbidden")
    return fail(d?.line ?? call.line)(`network_rule decision must be allow or deny (got ${JSON.stringify(dv)})`);
  const j = call.args.get("justification");
  if (j && j.value !== null && (typeof j.value !== "string" || j.value.trim() === "")) fail(j.line)("justification cannot be empty");
  return {
    host,
    protocol: (p?.value as NetworkRuleProtocol | undefined) ?? null,
    decision: dv === "allow" ? "allow" : "deny",
    justification: typeof j?.value === "string" ? j.value : null,
    source: { file, line: call.line },
  };
}

function parseRuleFile(text: string, file: string): { prefixRules: PrefixRule[]; networkRules: NetworkRule[] } {
  const calls = new Parser(tokenize(text, file), file).calls();
  const rules: PrefixRule[] = [];
  const networkRules: NetworkRule[] = [];
  for (const call of calls) {
    const fail =
      (line: number) =>
      (d: string): never => {
        throw new RulesParseError(file, line, d);
      };
    if (call.name === "network_rule") {
      networkRules.push(networkRule(call, file, fail));
      continue;
    }
    if (call.name !== "prefix_rule") fail(call.line)(`unknown function \`${call.name}\` (supported: prefix_rule, network_rule)`);
    for (const key of call.args.keys()) {
      if (!["pattern", "decision", "justification", "match", "not_match", "sandbox"].includes(key))
        fail(call.line)(`prefix_rule got an unexpected argument \`${key}\``);
    }
    const pattern = call.args.get("pattern");
    if (!pattern) return fail(call.line)("prefix_rule needs `pattern`");
    if (!Array.isArray(pattern.value) || pattern.value.length === 0) return fail(pattern.line)("pattern must be a non-empty list");
    const positions = pattern.value.map((p) => stringList(p, "each pattern element", fail(pattern.line)));
    const d = call.args.get("decision");
    const decisionValue = d?.value ?? "allow";
    if (decisionValue !== "allow" && decisionValue !== "prompt" && decisionValue !== "forbidden") {
      return fail(d?.line ?? call.line)(`invalid decision: ${typeof decisionValue === "string" ? decisionValue : JSON.stringify(decisionValue)}`);
    }
    const j = call.args.get("justification");
    if (j && j.value !== null && typeof j.value !== "string") fail(j.line)("justification must be a string");
    const s = call.args.get("sandbox");
    if (s && s.value !== "none" && s.value !== "default") fail(s.line)('sandbox must be "default" or "none"');
    if (s?.value === "none" && decisionValue !== "allow") fail(s.line)('sandbox = "none" only makes sense on an allow rule');
    const rule: PrefixRule = {
      pattern: positions,
      decision: decisionValue,
      justification: typeof j?.value === "string" ? j.value : null,
      unsandboxed: s?.value === "none",
      source: { file, line: call.line },
    };
    // The examples are the rule's own tests: a file whose examples disagree with its pattern is refused.
    for (const [key, shouldMatch] of [
      ["match", true],
      ["not_match", false],
    ] as const) {
      const ex = call.args.get(key);
      if (!ex) continue;
      if (!Array.isArray(ex.value)) fail(ex.line)(`${key} must be a list of examples`);
      for (const e of ex.value as Value[]) {
        const argv = exampleArgv(e, fail(ex.line));
        if (matchesPrefix(rule, argv) !== shouldMatch)
          fail(ex.line)(`${key} example ${JSON.stringify(argv.join(" "))} ${shouldMatch ? "does not match" : "matches"} the pattern`);
      }
    }
    rules.push(rule);
  }
  return { prefixRules: rules, networkRules };
}

function quote(s: string): string {
  // Only the escapes the tokenizer reads back; JSON's \uXXXX is not one of them.
  return `"${s.replace(/[\\"\n\t\r\0]/g, (c) => ({ "\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0" })[c] ?? c)}"`;
}

/** The line 0.169 appends for a network policy amendment. */
export function formatNetworkRule(host: string, protocol: NetworkRuleProtocol, decision: "allow" | "deny"): string {
  const justification = `${decision === "allow" ? "Allow" : "Deny"} ${protocol} access to ${host}`;
  return `network_rule(host=${quote(host)}, protocol=${quote(protocol)}, decision=${quote(decision)}, justification=${quote(justification)})\n`;
}

/** The line appended for an accepted amendment. */
export function formatAllowRule(prefix: readonly string[]): string {
  return `prefix_rule(pattern=[${prefix.map(quote).join(", ")}], decision="allow")\n`;
}
