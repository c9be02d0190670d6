// Dotted key paths, as config/value/write and `-c key=value` take them: `a.b.c`, with double-quoted
// segments for keys that contain dots or spaces (`projects."/tmp/x y".trust_level`; `\` escapes the
// next character inside quotes). Error texts are the reference's (0.169 config_processor).
// Origins are reported with plain `.` joins and no quoting, as the reference does.
import { cloneJson, deepMerge, isPlainObject, isTomlTable, type JsonObject, type JsonValue, type TomlDocument } from "./json.js";
import type { MergeStrategy } from "./types.js";

export class KeyPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KeyPathError";
  }
}

export function parseKeyPath(keyPath: string): string[] {
  if (keyPath.length === 0) throw new KeyPathError("keyPath must not be empty");
  const segments: string[] = [];
  let i = 0;
  for (;;) {
    let segment = "";
    if (keyPath[i] === '"') {
      i++;
      let closed = false;
      while (i < keyPath.length) {
        const ch = keyPath[i];
        if (ch === "\\") {
          if (i + 1 >= keyPath.length) throw new KeyPathError("unterminated escape in keyPath");
          segment += keyPath[i + 1];
          i += 2;
          continue;
        }
        if (ch === '"') {
          closed = true;
          i++;
          break;
        }
        segment += ch;
        i++;
      }
      if (!closed) throw new KeyPathError("unterminated quoted keyPath segment");
      if (i < keyPath.length && keyPath[i] !== ".") throw new KeyPathError("invalid quoted keyPath segment");
    } else {
      while (i < keyPath.length && keyPath[i] !== ".") {
        if (keyPath[i] === '"') throw new KeyPathError("invalid quoted keyPath segment");
        segment += keyPath[i];
        i++;
      }
      if (segment.length === 0) throw new KeyPathError("keyPath segments must not be empty");
    }
    segments.push(segment);
    if (i >= keyPath.length) return segments;
    i++; // the "."
    if (i >= keyPath.length) throw new KeyPathError("keyPath segments must not be empty");
  }
}

/** The key path `parseKeyPath` reads back as `segments`: a segment with a dot, a quote or nothing in it is quoted. */
export function keyPathOf(segments: readonly string[]): string {
  return segments.map((s) => (s === "" || /["\\.]/.test(s) ? `"${s.replace(/["\\]/g, "\\$&")}"` : s)).join(".");
}

/** The reference's origin key: segments joined with "." and no quoting. */
export function formatPath(segments: readonly (string | number)[]): string {
  return segments.join(".");
}

export function getAt(table: JsonObject, segments: readonly string[]): JsonValue | undefined {
  let cur: JsonValue | undefined = table;
  for (const segment of segments) {
    if (!isPlainObject(cur)) return undefined;
    cur = Object.hasOwn(cur, segment) ? cur[segment] : undefined;
  }
  return cur;
}

/**
 * Applies one edit in place. `null` removes the key; `upsert` deep-merges a table into an existing
 * table and otherwise replaces; missing parents are created; a non-table parent is an error.
 */
export function applyEdit(table: TomlDocument, segments: readonly string[], value: JsonValue, strategy: MergeStrategy): void {
  let parent: TomlDocument = table;
  for (const segment of segments.slice(0, -1)) {
    const next = parent[segment];
    if (next === undefined) {
      if (value === null) return; // removing under a missing parent: nothing to do
      const created: TomlDocument = {};
      parent[segment] = created;
      parent = created;
    } else if (isTomlTable(next)) {
      parent = next;
    } else {
      throw new KeyPathError("cannot set value on non-table parent");
    }
  }
  const last = segments[segments.length - 1];
  if (last === undefined) throw new KeyPathError("keyPath must not be empty");
  if (value === null) {
    delete parent[last];
    return;
  }
  const existing = parent[last];
  parent[last] = strategy === "upsert" && isPlainObject(existing) && isPlainObject(value) ? deepMerge(existing, value) : cloneJson(value);
}

/** Every leaf of a table as [path segments, value]; arrays contribute one leaf per element (`notify.0`). Empty tables and arrays contribute nothing. */
export function leafPaths(value: JsonValue, prefix: (string | number)[] = []): [(string | number)[], JsonValue][] {
  if (isPlainObject(value)) return Object.entries(value).flatMap(([k, v]) => leafPaths(v, [...prefix, k]));
  if (Array.isArray(value)) return value.flatMap((v, i) => leafPaths(v, [...prefix, i]));
  return prefix.length === 0 ? [] : [[prefix, value]];
}
