// apply_patch: verify (parse, resolve paths, compute every new content) before anything is written,
// then write each file atomically. Verification is separate so that the
// caller can show the fileChange item and ask for approval between the two.
//
// Verification also fixes where each change lands: the canonical target (symlinks resolved), which
// is what the approval decides on and exactly what is written later, never re-resolved: a link
// swapped in after the decision fails the write instead of redirecting it (confinedFs.ts).
import path from "node:path";
import type { FileUpdateChange } from "../../../protocol/v2/shared.js";
import { createConfinedFs } from "./confinedFs.js";
import type { PatchFs } from "./patchFs.js";
import { parsePatch } from "./parser.js";
import type { Hunk, UpdateChunk } from "./parser.js";
import { seekSequence } from "./seek.js";
import { unifiedHunks } from "./unifiedDiff.js";

export interface VerifiedFileChange {
  /** Absolute path of the file the hunk names. */
  path: string;
  /** The path as written in the patch (for the summary the model reads). */
  pathAsWritten: string;
  kind: "add" | "delete" | "update";
  /** Absolute destination of a `*** Move to:`. */
  movePath: string | null;
  movePathAsWritten: string | null;
  /**
   * The canonical path the change writes (add, update, a move's destination) or removes (delete, a
   * move's source): symlinks resolved, except a removed entry's own name, since deleting a link
   * deletes the link. The approval is decided on these and applyVerified touches nothing else.
   */
  target: string;
  /** The canonical destination of a move; null otherwise. */
  moveTarget: string | null;
  /** Content before the patch; null when an add creates the file. */
  oldContent: string | null;
  /** Content after the patch; null for a delete. */
  newContent: string | null;
}

export interface VerifiedPatch {
  cwd: string;
  /** One per hunk, in patch order (a patch touches each path at most once). */
  changes: VerifiedFileChange[];
}

export type VerifyResult = { ok: true; patch: VerifiedPatch } | { ok: false; kind: "empty" | "invalid"; error: string };

export type ApplyResult =
  | { ok: true; output: string }
  /** `applied`: the changes written before the failure (there is no cross-file atomicity); `cause`: what the write threw. */
  | { ok: false; error: string; applied: VerifiedFileChange[]; cause: unknown };

/** The text the model gets when verification fails (0.169). */
export function verificationFailureOutput(result: { kind: "empty" | "invalid"; error: string }): string {
  // 0.169 refuses an empty patch in its safety check, before verification proper.
  return result.kind === "empty" ? "patch rejected: empty patch" : `apply_patch verification failed: ${result.error}`;
}

// Rust's io::Error text, which the reference puts in its messages and the model sees.
const OS_ERRORS: Record<string, [string, number]> = {
  ENOENT: ["No such file or directory", 2],
  EACCES: ["Permission denied", 13],
  EPERM: ["Operation not permitted", 1],
  EISDIR: ["Is a directory", 21],
  ENOTDIR: ["Not a directory", 20],
  EEXIST: ["File exists", 17],
  EROFS: ["Read-only file system", 30],
  ENOSPC: ["No space left on device", 28],
  ELOOP: ["Too many levels of symbolic links", 40],
};

export function osErrorText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const known = e.code !== undefined ? OS_ERRORS[e.code] : undefined;
  if (known) return `${known[0]} (os error ${known[1]})`;
  return e.message ?? String(err);
}

class VerifyError extends Error {}

/**
 * Parses `patchText` and computes every file's new content against the files as they are now,
 * without writing. Relative paths resolve against `cwd`.
 */
export async function verifyPatch(patchText: string, cwd: string, fs: PatchFs = defaultFs): Promise<VerifyResult> {
  const parsed = parsePatch(patchText);
  if (!parsed.ok) return { ok: false, kind: "invalid", error: parsed.error };
  const { hunks } = parsed.value;
  if (hunks.length === 0) return { ok: false, kind: "empty", error: "No files were modified." };
  const abs = (p: string) => path.resolve(cwd, p);
  const seen = new Set<string>();
  for (const h of hunks) {
    for (const p of [h.path, h.type === "update" ? h.movePath : null]) {
      if (p === null) continue;
      if (seen.has(abs(p))) return { ok: false, kind: "invalid", error: `invalid patch: multiple operations target ${abs(p)}` };
      seen.add(abs(p));
    }
  }
  try {
    const changes: VerifiedFileChange[] = [];
    for (const h of hunks) changes.push(withTargets(await verifyHunk(h, abs, fs), fs));
    return { ok: true, patch: { cwd, changes } };
  } catch (err) {
    if (err instanceof VerifyError) return { ok: false, kind: "invalid", error: err.message };
    throw err;
  }
}

async function verifyHunk(h: Hunk, abs: (p: string) => string, fs: PatchFs): Promise<VerifiedFileChange> {
  const p = abs(h.path);
  const base = { path: p, pathAsWritten: h.path, movePath: null, movePathAsWritten: null, target: "", moveTarget: null };
  switch (h.type) {
    case "add": {
      // Add overwrites; the old content (if any) only feeds the turn diff's baseline.
      const old = await fs.readFile(p).catch(() => null);
      return { ...base, kind: "add", oldContent: old, newContent: h.contents };
    }
    case "delete": {
      const old = await fs.readFile(p).catch((err: unknown) => {
        throw new VerifyError(`Failed to read ${p}: ${osErrorText(err)}`);
      });
      return { ...base, kind: "delete", oldContent: old, newContent: null };
    }
    case "update": {
      const old = await fs.readFile(p).catch((err: unknown) => {
        throw new VerifyError(`Failed to read file to update ${p}: ${osErrorText(err)}`);
      });
      const newContent = applyChunks(old, h.chunks, p);
      const movePath = h.movePath === null ? null : abs(h.movePath);
      return { ...base, kind: "update", movePath, movePathAsWritten: h.movePath, oldContent: old, newContent };
    }
  }
}

function withTargets(c: VerifiedFileChange, fs: PatchFs): VerifiedFileChange {
  const entry = (p: string) => path.join(fs.canonicalize(path.dirname(p)), path.basename(p));
  const removes = c.kind === "delete" || c.movePath !== null;
  return { ...c, target: removes ? entry(c.path) : fs.canonicalize(c.path), moveTarget: c.movePath === null ? null : fs.canonicalize(c.movePath) };
}

/** Every canonical path a verified patch writes or removes (what the approval is about). */
export function patchTargets(verified: VerifiedPatch): string[] {
  return verified.changes.flatMap((c) => [c.target, ...(c.moveTarget !== null ? [c.moveTarget] : [])]);
}

/** New content of a file after an Update hunk's chunks. */
export function applyChunks(content: string, chunks: readonly UpdateChunk[], displayPath: string): string {
  const lines = content.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const replacements: Array<[start: number, oldLen: number, newLines: string[]]> = [];
  let cursor = 0;
  for (const chunk of chunks) {
    if (chunk.changeContext !== null) {
      const at = seekSequence(lines, [chunk.changeContext], cursor, false);
      if (at === null) throw new VerifyError(`Failed to find context '${chunk.changeContext}' in ${displayPath}`);
      cursor = at + 1;
    }
    if (chunk.oldLines.length === 0) {
      // Pure addition: append at the end of the file.
      const at = lines[lines.length - 1] === "" ? lines.length - 1 : lines.length;
      replacements.push([at, 0, chunk.newLines]);
      continue;
    }
    let pattern = chunk.oldLines;
    let newLines = chunk.newLines;
    let found = seekSequence(lines, pattern, cursor, chunk.isEndOfFile);
    if (found === null && pattern[pattern.length - 1] === "") {
      // A trailing blank context line often stands for the final newline, which is not a line.
      pattern = pattern.slice(0, -1);
      if (newLines[newLines.length - 1] === "") newLines = newLines.slice(0, -1);
      found = seekSequence(lines, pattern, cursor, chunk.isEndOfFile);
    }
    if (found === null) {
      throw new VerifyError(`Failed to find expected lines in ${displayPath}:\n${chunk.oldLines.join("\n")}`);
    }
    replacements.push([found, pattern.length, newLines]);
    cursor = found + pattern.length;
  }
  replacements.sort((a, b) => a[0] - b[0]);
  // Bottom-up so that earlier indices stay valid.
  for (let i = replacements.length - 1; i >= 0; i--) {
    const [start, oldLen, newLines] = replacements[i] as [number, number, string[]];
    lines.splice(start, oldLen, ...newLines);
  }
  if (lines[lines.length - 1] !== "") lines.push("");
  return lines.join("\n");
}

/**
 * Writes a verified patch: adds and updates atomically per file (parents created), moves write the
 * destination then remove the source, deletes unlink. Output is the summary the model reads.
 */
export async function applyVerified(verified: VerifiedPatch, fs: PatchFs = defaultFs): Promise<ApplyResult> {
  const applied: VerifiedFileChange[] = [];
  for (const c of verified.changes) {
    try {
      if (c.kind === "delete") await fs.unlink(c.target);
      else if (c.moveTarget !== null) {
        await fs.writeFileAtomic(c.moveTarget, c.newContent as string);
        // A move onto itself (by another spelling) must not then delete what it wrote.
        if (c.moveTarget !== c.target) await fs.unlink(c.target);
      } else await fs.writeFileAtomic(c.target, c.newContent as string);
    } catch (err) {
      const what = c.kind === "delete" ? "delete" : "write";
      const target = c.kind === "update" && c.movePath !== null ? c.movePath : c.path;
      return { ok: false, error: `Failed to ${what} file ${target}: ${osErrorText(err)}`, applied, cause: err };
    }
    applied.push(c);
  }
  return { ok: true, output: summary(verified.changes) };
}

/** `Success. Updated the following files:` then A, M, D lines, paths as written (a move: its destination). */
export function summary(changes: readonly VerifiedFileChange[]): string {
  let out = "Success. Updated the following files:\n";
  for (const c of changes) if (c.kind === "add") out += `A ${c.pathAsWritten}\n`;
  for (const c of changes) if (c.kind === "update") out += `M ${c.movePathAsWritten ?? c.pathAsWritten}\n`;
  for (const c of changes) if (c.kind === "delete") out += `D ${c.pathAsWritten}\n`;
  return out;
}

/** The v2 fileChange item's `changes`: sorted by path; add → content, delete → old content,
 * update → hunks with 1 line of context (plus `\n\nMoved to: <abs>` for a move). */
export function fileChangesForItem(verified: VerifiedPatch): FileUpdateChange[] {
  const out = verified.changes.map((c): FileUpdateChange => {
    switch (c.kind) {
      case "add":
        return { path: c.path, kind: { type: "add" }, diff: c.newContent ?? "" };
      case "delete":
        return { path: c.path, kind: { type: "delete" }, diff: c.oldContent ?? "" };
      case "update": {
        let diff = unifiedHunks(c.oldContent ?? "", c.newContent ?? "", 1);
        if (c.movePath !== null) diff += `\n\nMoved to: ${c.movePath}`;
        return { path: c.path, kind: { type: "update", move_path: c.movePath }, diff };
      }
    }
  });
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Reads and writes on the real filesystem; writes go to the canonical targets and nowhere else (confinedFs.ts). */
export const defaultFs: PatchFs = createConfinedFs({ rootFor: () => "/" });
