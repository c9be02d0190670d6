// Unified diff hunks in the reference's format (Rust `similar`): `@@ -a,b +c,d @@` with a count of 1
// left out and an empty side written as `N,0`, and `\ No newline at end of file` markers.
import { structuredPatch } from "diff";

function range(start: number, len: number): string {
  if (len === 1) return `${start}`;
  // jsdiff reports an empty side as starting at the next line; diff(1) names the line before it.
  return len === 0 ? `${Math.max(start - 1, 0)},0` : `${start},${len}`;
}

/** The hunks only (no `---`/`+++` header), each line ending in `\n`; "" when the texts are equal. */
export function unifiedHunks(oldText: string, newText: string, context: number): string {
  if (oldText === newText) return "";
  const { hunks } = structuredPatch("a", "b", oldText, newText, undefined, undefined, { context });
  let out = "";
  for (const h of hunks) {
    out += `@@ -${range(h.oldStart, h.oldLines)} +${range(h.newStart, h.newLines)} @@\n`;
    for (const line of h.lines) out += `${line}\n`;
  }
  return out;
}
