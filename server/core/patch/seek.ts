// Finding a hunk's old lines in a file. Models copy context imperfectly, so
// matching relaxes in tiers; each tier scans every position before the next is tried, so an exact
// match later in the file beats a fuzzy one earlier.

/** Maps typographic punctuation and odd spaces to ASCII, as models often "fix" them in context lines. */
export function normalizeLine(s: string): string {
  let out = "";
  for (const ch of s.trim()) {
    const c = ch.codePointAt(0) as number;
    if ((c >= 0x2010 && c <= 0x2015) || c === 0x2212) out += "-";
    else if (c >= 0x2018 && c <= 0x201b) out += "'";
    else if (c >= 0x201c && c <= 0x201f) out += '"';
    else if (c === 0xa0 || (c >= 0x2002 && c <= 0x200a) || c === 0x202f || c === 0x205f || c === 0x3000) out += " ";
    else out += ch;
  }
  return out;
}

const TIERS: ReadonlyArray<(s: string) => string> = [(s) => s, (s) => s.trimEnd(), (s) => s.trim(), normalizeLine];

/**
 * The index where `pattern` occurs in `lines` at or after `start`, or null. With `eof` the pattern
 * is only tried where it would end the file. An empty pattern matches at `start`.
 */
export function seekSequence(lines: readonly string[], pattern: readonly string[], start: number, eof: boolean): number | null {
  if (pattern.length === 0) return start;
  if (pattern.length > lines.length) return null;
  const from = eof ? lines.length - pattern.length : start;
  const last = lines.length - pattern.length;
  for (const norm of TIERS) {
    const want = pattern.map(norm);
    for (let i = from; i <= last; i++) {
      let ok = true;
      for (let j = 0; j < want.length; j++) {
        if (norm(lines[i + j] as string) !== want[j]) {
          ok = false;
          break;
        }
      }
      if (ok) return i;
    }
  }
  return null;
}
