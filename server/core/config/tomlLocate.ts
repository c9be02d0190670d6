// Best-effort source positions for config warnings. smol-toml gives positions only for syntax
// errors, so this scans the text line by line for the `[table]` header or `key = value` line that
// defines a key path, and returns the range of the value (or of the header), 1-based, the way the
// reference reports `config.toml:2:16` for `sandbox_mode = "bogus"`. Multi-line values and keys
// defined inside inline tables resolve to the nearest enclosing key that is found.
import type { TextRange } from "./types.js";

interface KeyLine {
  header: boolean;
  path: string[];
  range: TextRange;
}

/** Splits a TOML key (`a."b.c".'d'`) into segments; returns null if it is not a plain key. */
function splitKey(text: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  const s = text.trim();
  while (i < s.length) {
    while (s[i] === " " || s[i] === "\t") i++;
    let seg = "";
    const q = s[i];
    if (q === '"' || q === "'") {
      i++;
      while (i < s.length && s[i] !== q) {
        if (q === '"' && s[i] === "\\" && i + 1 < s.length) {
          seg += s[i + 1];
          i += 2;
          continue;
        }
        seg += s[i];
        i++;
      }
      if (s[i] !== q) return null;
      i++;
    } else {
      while (i < s.length && /[A-Za-z0-9_-]/.test(s[i] ?? "")) {
        seg += s[i];
        i++;
      }
      if (seg === "") return null;
    }
    out.push(seg);
    while (s[i] === " " || s[i] === "\t") i++;
    if (i >= s.length) break;
    if (s[i] !== ".") return null;
    i++;
  }
  return out.length > 0 ? out : null;
}

/** Index of the first `ch` outside quotes, or -1. */
function indexOutsideQuotes(line: string, ch: string): number {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === ch) return i;
  }
  return -1;
}

/** Column (1-based, in code points) of UTF-16 offset `offset` in `line`. */
function column(line: string, offset: number): number {
  return [...line.slice(0, offset)].length + 1;
}

function scan(text: string): KeyLine[] {
  const result: KeyLine[] = [];
  let table: string[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, idx) => {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) return;
    const lineNo = idx + 1;
    if (trimmed.startsWith("[")) {
      const arrayTable = trimmed.startsWith("[[");
      const open = arrayTable ? 2 : 1;
      const close = line.indexOf(arrayTable ? "]]" : "]", line.indexOf("[") + open);
      const inner = close < 0 ? null : splitKey(line.slice(line.indexOf("[") + open, close));
      if (!inner) return;
      table = inner;
      const start = line.indexOf("[");
      const end = close + (arrayTable ? 2 : 1);
      result.push({
        header: true,
        path: inner,
        range: { start: { line: lineNo, column: column(line, start) }, end: { line: lineNo, column: column(line, end - 1) } },
      });
      return;
    }
    const eq = indexOutsideQuotes(line, "=");
    if (eq < 0) return;
    const key = splitKey(line.slice(0, eq));
    if (!key) return;
    let rest = line.slice(eq + 1);
    const hash = indexOutsideQuotes(rest, "#");
    if (hash >= 0) rest = rest.slice(0, hash);
    const lead = rest.length - rest.trimStart().length;
    const value = rest.trim();
    const startOff = eq + 1 + lead;
    const endOff = startOff + Math.max(value.length, 1) - 1;
    result.push({
      header: false,
      path: [...table, ...key],
      range: { start: { line: lineNo, column: column(line, startOff) }, end: { line: lineNo, column: column(line, endOff) } },
    });
  });
  return result;
}

function isPrefix(prefix: readonly string[], path: readonly (string | number)[]): boolean {
  return prefix.length <= path.length && prefix.every((seg, i) => seg === String(path[i]));
}

/** The range of the value that defines `path` (or of the nearest enclosing key or header), if found. */
export function locateKey(text: string, path: readonly (string | number)[]): TextRange | null {
  let best: KeyLine | null = null;
  for (const entry of scan(text)) {
    if (!isPrefix(entry.path, path)) continue;
    if (!best || entry.path.length > best.path.length || (entry.path.length === best.path.length && best.header && !entry.header)) best = entry;
  }
  return best ? best.range : null;
}
