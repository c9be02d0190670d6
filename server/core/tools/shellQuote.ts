// Shell quoting, as the reference renders commands (Rust `shlex` 1.3 `try_join`): each word gets the
// cheapest of bare / '…' / "…" that round-trips, chunk by chunk (`/bin/bash -lc 'touch b.txt'`,
// `"find . -name '*.rs'"`, `"awk '{print "'$1}'"' a.txt"`).

const BARE_OK = /^[A-Za-z0-9+\-./:@\]_]$/;
const UNQUOTED = 1;
const SINGLE = 2;
const DOUBLE = 4;

function allowedQuoting(ch: string): number {
  // Non-ASCII needs quoting (bash may treat some of it specially) but is fine in either quote form.
  if ((ch.codePointAt(0) ?? 0) >= 0x80) return SINGLE | DOUBLE;
  let ok = 0;
  if (BARE_OK.test(ch)) ok |= UNQUOTED;
  // Backslash is literal in '…' for POSIX but not for fish; `^` only right after the opening quote (a bash quirk).
  if (ch !== "'" && ch !== "^" && ch !== "\\") ok |= SINGLE;
  // `$` and backtick would expand inside "…"; `!` and `^` are history characters there.
  if (ch !== "`" && ch !== "$" && ch !== "!" && ch !== "^") ok |= DOUBLE;
  return ok;
}

/** Quotes one word for a POSIX shell, as the reference does. */
export function shellQuote(word: string): string {
  if (word === "") return "''";
  const chars = Array.from(word);
  let out = "";
  let i = 0;
  while (i < chars.length) {
    let ok = UNQUOTED | SINGLE | DOUBLE;
    let j = i;
    if (chars[j] === "^") {
      ok = SINGLE;
      j++;
    }
    for (; j < chars.length; j++) {
      const next = ok & allowedQuoting(chars[j] as string);
      if (next === 0) break;
      ok = next;
    }
    const chunk = chars.slice(i, j).join("");
    if (ok & UNQUOTED) out += chunk;
    else if (ok & SINGLE) out += `'${chunk}'`;
    else out += `"${chunk.replace(/[$`"\\]/g, (c) => `\\${c}`)}"`;
    i = j;
  }
  return out;
}

/** Joins argv into one shell-quoted string (the v2 `command` of a commandExecution item). */
export function shellJoin(argv: readonly string[]): string {
  return argv.map(shellQuote).join(" ");
}
