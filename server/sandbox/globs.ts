// Expands glob deny/read entries into concrete paths at launch (bwrap can only mask
// concrete paths). The walk starts at the pattern's static prefix (never a scan from "/" unless the
// pattern itself starts with a wildcard there), does not descend into symlinked directories, and is
// bounded in depth and in matches; hitting a bound is reported so the caller can warn.
//
// Syntax per component: `*` any run of characters, `?` one character, `[...]` a class (an unclosed
// `[` is a literal); a whole component `**` matches zero or more directories. Leading dots are matched
// like any other character, so `**/*.env` covers `.env`.
import type { FsView } from "./fsView.js";
import { components, joinPath } from "./paths.js";

export interface GlobExpansion {
  readonly matches: readonly string[];
  readonly truncated: boolean;
}

export const DEFAULT_GLOB_MAX_MATCHES = 8192;
export const DEFAULT_GLOB_MAX_DEPTH = 32;

const hasMagic = (c: string): boolean => /[*?[]/.test(c);

export function componentRegExp(component: string): RegExp {
  let re = "";
  for (let i = 0; i < component.length; i++) {
    const ch = component[i] ?? "";
    if (ch === "*") re += "[^/]*";
    else if (ch === "?") re += "[^/]";
    else if (ch === "[") {
      const end = component.indexOf("]", i + 2);
      if (end === -1) re += "\\[";
      else {
        let body = component.slice(i + 1, end).replace(/\\/g, "\\\\");
        if (body.startsWith("!")) body = `^${body.slice(1)}`;
        re += `[${body}]`;
        i = end;
      }
    } else re += ch.replace(/[.+^${}()|\\/\]]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

export function expandGlob(pattern: string, fs: FsView, opts: { maxDepth?: number; maxMatches?: number } = {}): GlobExpansion {
  const maxDepth = opts.maxDepth ?? DEFAULT_GLOB_MAX_DEPTH;
  const maxMatches = opts.maxMatches ?? DEFAULT_GLOB_MAX_MATCHES;
  const parts = components(pattern);
  let i = 0;
  let prefix = "/";
  while (i < parts.length && !hasMagic(parts[i] ?? "")) prefix = joinPath(prefix, parts[i++] ?? "");
  const rest = parts.slice(i);
  const found = new Set<string>();
  let truncated = false;
  if (rest.length === 0) {
    if (fs.lstat(prefix) !== null) found.add(prefix);
    return { matches: [...found], truncated };
  }
  const regs = rest.map((c) => (c === "**" ? null : componentRegExp(c)));

  const walk = (dir: string, pi: number, d: number): void => {
    if (truncated) return;
    if (pi === rest.length) {
      if (found.size >= maxMatches) {
        truncated = true;
        return;
      }
      found.add(dir);
      return;
    }
    const re = regs[pi];
    if (re === null || re === undefined) {
      walk(dir, pi + 1, d);
      if (d >= maxDepth) {
        truncated = true;
        return;
      }
      for (const name of fs.readdir(dir) ?? []) {
        const child = joinPath(dir, name);
        if (fs.lstat(child)?.type === "dir") walk(child, pi, d + 1);
      }
      return;
    }
    for (const name of fs.readdir(dir) ?? []) {
      if (!re.test(name)) continue;
      const child = joinPath(dir, name);
      if (pi === rest.length - 1) walk(child, pi + 1, d);
      else if (fs.lstat(child)?.type === "dir") walk(child, pi + 1, d + 1);
    }
  };
  if (fs.lstat(prefix)?.type === "dir") walk(prefix, 0, 0);
  return { matches: [...found].sort(), truncated };
}
