// The execpolicy: the rules of `<home>/rules/*.rules` (or files given explicitly), evaluated per
// sub-command, and the amendments a client accepts, appended to `<home>/rules/default.rules`.
//
// Invariants: an amendment is on disk (write to a temporary file, then rename over the old one, one
// writer at a time) before it applies in memory, so a crash never leaves a half-written rule and the
// in-memory policy never claims a rule the file lacks.
import { mkdir, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { writeFileAtomic } from "../../fs/atomicWrite.js";
import {
  formatAllowRule,
  formatNetworkRule,
  matchesPrefix,
  parseNetworkRules,
  parseRules,
  type Decision,
  type NetworkRule,
  type NetworkRuleProtocol,
  type PrefixRule,
} from "./parser.js";

export interface RuleMatch {
  readonly rule: PrefixRule;
  readonly matchedPrefix: readonly string[];
}

export interface Evaluation {
  /** The strictest decision over the matched rules; null when no rule matched any sub-command. */
  readonly decision: Decision | null;
  readonly matches: readonly RuleMatch[];
  /** Every sub-command matched some rule. */
  readonly allMatched: boolean;
  /** Every matched rule that allowed asks to leave the sandbox. */
  readonly unsandboxed: boolean;
}

const RANK: Record<Decision, number> = { allow: 0, prompt: 1, forbidden: 2 };

export class ExecPolicy {
  private constructor(private rules: PrefixRule[]) {}

  static empty(): ExecPolicy {
    return new ExecPolicy([]);
  }

  static fromRules(rules: readonly PrefixRule[]): ExecPolicy {
    return new ExecPolicy([...rules]);
  }

  static async fromFiles(files: readonly string[]): Promise<ExecPolicy> {
    const rules: PrefixRule[] = [];
    for (const file of files) rules.push(...parseRules(await readFile(file, "utf8"), file));
    return new ExecPolicy(rules);
  }

  /** `<home>/rules/*.rules`, in name order; a missing folder is an empty policy. */
  static async load(home: string): Promise<ExecPolicy> {
    const dir = path.join(home, "rules");
    let names: string[];
    try {
      names = (await readdir(dir)).filter((n) => n.endsWith(".rules")).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return ExecPolicy.empty();
      throw error;
    }
    return ExecPolicy.fromFiles(names.map((n) => path.join(dir, n)));
  }

  get size(): number {
    return this.rules.length;
  }

  /** Every rule matching one argv (the reference's `matchedRules`). */
  matchOne(argv: readonly string[]): RuleMatch[] {
    return this.rules.filter((r) => matchesPrefix(r, argv)).map((rule) => ({ rule, matchedPrefix: argv.slice(0, rule.pattern.length) }));
  }

  evaluate(commands: readonly (readonly string[])[]): Evaluation {
    const matches: RuleMatch[] = [];
    let allMatched = commands.length > 0;
    for (const argv of commands) {
      const m = this.matchOne(argv);
      if (m.length === 0) allMatched = false;
      matches.push(...m);
    }
    let decision: Decision | null = null;
    for (const m of matches) if (decision === null || RANK[m.rule.decision] > RANK[decision]) decision = m.rule.decision;
    const allows = matches.filter((m) => m.rule.decision === "allow");
    return { decision, matches, allMatched, unsandboxed: allows.length > 0 && allows.every((m) => m.rule.unsandboxed) };
  }

  /** Adds an allow rule in memory (after the caller persisted it). */
  addAllow(prefix: readonly string[], file: string): void {
    this.rules.push({ pattern: prefix.map((w) => [w]), decision: "allow", justification: null, unsandboxed: false, source: { file, line: 0 } });
  }
}

const writers = new Map<string, Promise<void>>();

/** Appends one line to `<home>/rules/default.rules` atomically (one writer per file); returns the file. */
async function appendRuleLine(home: string, line: string): Promise<string> {
  const file = path.join(home, "rules", "default.rules");
  const previous = writers.get(file) ?? Promise.resolve();
  const run = previous
    .catch(() => undefined)
    .then(async () => {
      await mkdir(path.dirname(file), { recursive: true });
      let existing = "";
      try {
        existing = await readFile(file, "utf8");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      }
      const next = `${existing}${existing === "" || existing.endsWith("\n") ? "" : "\n"}${line}`;
      // Validate what we are about to write, so a bad amendment can never break the next load.
      parseRules(next, file);
      await writeFileAtomic(file, next, { mode: 0o600 });
    });
  writers.set(file, run);
  try {
    await run;
  } finally {
    if (writers.get(file) === run) writers.delete(file);
  }
  return file;
}

/** Appends an allow rule to `<home>/rules/default.rules` atomically; returns the file. */
export async function appendAllowRule(home: string, prefix: readonly string[]): Promise<string> {
  if (prefix.length === 0) throw new Error("an execpolicy amendment needs at least one word");
  return appendRuleLine(home, formatAllowRule(prefix));
}

/** Appends a network policy amendment as 0.169 writes it (`network_rule(…)`); returns the file. */
export async function appendNetworkRule(home: string, host: string, protocol: NetworkRuleProtocol, decision: "allow" | "deny"): Promise<string> {
  return appendRuleLine(home, formatNetworkRule(host, protocol, decision));
}

/** Every `network_rule` of `<home>/rules/*.rules`, in file-name order; throws on a file that does not parse. */
export async function loadNetworkRules(home: string): Promise<NetworkRule[]> {
  const dir = path.join(home, "rules");
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith(".rules")).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const rules: NetworkRule[] = [];
  for (const n of names) rules.push(...parseNetworkRules(await readFile(path.join(dir, n), "utf8"), path.join(dir, n)));
  return rules;
}

/** The reference's `codex execpolicy check` output shape. */
export function checkOutput(policy: ExecPolicy, argv: readonly string[]): Record<string, unknown> {
  const matches = policy.matchOne(argv);
  const matchedRules = matches.map((m) => ({
    prefixRuleMatch: {
      matchedPrefix: m.matchedPrefix,
      decision: m.rule.decision,
      ...(m.rule.justification !== null ? { justification: m.rule.justification } : {}),
    },
  }));
  const evaluation = policy.evaluate([argv]);
  return evaluation.decision === null ? { matchedRules } : { matchedRules, decision: evaluation.decision };
}
