// Which paths a .gitignore can possibly ignore, decided without asking the `ignore` package.
//
// Why: `ignore`'s `ignores()` keeps every path it is asked about (and each parent) as a key of a
// plain object, and turning thousands of new strings into property keys cost more than the whole
// rest of a first walk. Most rules contain a literal run of characters that any path they match
// must contain (`dist/` needs "dist", `*.log` needs ".log"), so a path none of whose segments
// contains a literal of any ignoring rule cannot be ignored and is never handed to `ignore`.
// Negated rules (`!x`) can only un-ignore, so they need no literal. A file with a rule this
// cannot read with certainty (brackets, escapes, spaces, non-ASCII, nothing but wildcards) gets
// no literals at all, and every path below it is asked about as before.

/** Characters of a rule read here: plain ASCII names, `/` and the `*` / `?` wildcards. */
const PLAIN_RULE = /^[A-Za-z0-9._\-/*?~@+,=%]+$/;
const WILDCARDS = /[*?/]+/;

/**
 * Matches a path segment holding one of the literals a path must contain, within one segment, for
 * `text`'s rules to ignore it; null when some ignoring rule has no such literal, so every path has
 * to be asked about.
 */
export function literalPattern(text: string): RegExp | null {
  const literals = requiredLiterals(text);
  if (literals === null) return null;
  // Flag `i` without `u`, as `ignore` compiles its rules: ASCII letters fold onto each other only.
  return literals.length === 0 ? /(?!)/ : new RegExp(literals.map((l) => l.replace(/[^a-z0-9]/g, "\\$&")).join("|"), "i");
}

/** The literals (lowercase) behind `literalPattern`; null when some ignoring rule has none. */
export function requiredLiterals(text: string): string[] | null {
  const literals = new Set<string>();
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (const raw of body.split("\n")) {
    // Trailing spaces (and the CR of a CRLF line) are not part of a rule; trimming can only shorten a literal.
    const line = raw.replace(/[ \r]+$/, "");
    if (line === "" || line.startsWith("#") || line.startsWith("!")) continue;
    if (!PLAIN_RULE.test(line)) return null;
    let longest = "";
    for (const run of line.split(WILDCARDS)) if (run.length > longest.length) longest = run;
    if (longest === "") return null;
    literals.add(longest.toLowerCase());
  }
  return [...literals];
}
