// apply_patch parser: the Lark grammar the model is given, read with the
// reference's leniency, and with its exact error texts since the model sees them and retries.

export interface UpdateChunk {
  /** `@@ <ctx>`: one line to seek before the old lines. */
  changeContext: string | null;
  oldLines: string[];
  newLines: string[];
  isEndOfFile: boolean;
}

export type Hunk =
  | { type: "add"; path: string; contents: string }
  | { type: "delete"; path: string }
  | { type: "update"; path: string; movePath: string | null; chunks: UpdateChunk[] };

export interface ParsedPatch {
  hunks: Hunk[];
  /** The patch text between (and including) the Begin/End markers, heredoc wrapper removed. */
  patch: string;
}

export type ParseResult = { ok: true; value: ParsedPatch } | { ok: false; error: string };

const BEGIN = "*** Begin Patch";
const END = "*** End Patch";
const ADD = "*** Add File: ";
const DELETE = "*** Delete File: ";
const UPDATE = "*** Update File: ";
const MOVE = "*** Move to: ";
const EOF_MARKER = "*** End of File";

class PatchError extends Error {}

const invalidPatch = (msg: string) => new PatchError(`invalid patch: ${msg}`);
const invalidHunk = (line: number, msg: string) => new PatchError(`invalid hunk at line ${line}, ${msg}`);

/** Splits like Rust's `str::lines`: on `\n`, dropping one `\r` before it, no trailing empty line. */
function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
  if (text.endsWith("\n")) lines.pop();
  return lines;
}

function checkBoundaries(lines: string[]): void {
  const first = lines[0]?.trim();
  const last = lines[lines.length - 1]?.trim();
  if (first !== BEGIN) throw invalidPatch("The first line of the patch must be '*** Begin Patch'");
  if (last !== END) throw invalidPatch("The last line of the patch must be '*** End Patch'");
}

/** Returns the lines between the markers, accepting a `<<EOF … EOF` wrapper around the patch. */
function patchBody(lines: string[]): string[] {
  try {
    checkBoundaries(lines);
    return lines;
  } catch (strictError) {
    const first = lines[0];
    const last = lines[lines.length - 1];
    const heredoc = first === "<<EOF" || first === "<<'EOF'" || first === '<<"EOF"';
    if (!heredoc || last === undefined || !last.endsWith("EOF") || lines.length < 4) throw strictError;
    const inner = lines.slice(1, -1);
    checkBoundaries(inner);
    return inner;
  }
}

export function parsePatch(text: string): ParseResult {
  try {
    const lines = patchBody(splitLines(text.trim()));
    const hunks: Hunk[] = [];
    let rest = lines.slice(1, -1);
    let lineNumber = 2;
    while (rest.length > 0) {
      const [hunk, used] = parseOneHunk(rest, lineNumber);
      hunks.push(hunk);
      lineNumber += used;
      rest = rest.slice(used);
    }
    return { ok: true, value: { hunks, patch: lines.join("\n") } };
  } catch (err) {
    if (err instanceof PatchError) return { ok: false, error: err.message };
    throw err;
  }
}

function parseOneHunk(lines: string[], lineNumber: number): [Hunk, number] {
  const first = (lines[0] as string).trim();
  if (first.startsWith(ADD)) {
    let contents = "";
    let used = 1;
    for (const line of lines.slice(1)) {
      if (!line.startsWith("+")) break;
      contents += `${line.slice(1)}\n`;
      used++;
    }
    return [{ type: "add", path: first.slice(ADD.length), contents }, used];
  }
  if (first.startsWith(DELETE)) return [{ type: "delete", path: first.slice(DELETE.length) }, 1];
  if (first.startsWith(UPDATE)) {
    const path = first.slice(UPDATE.length);
    let rest = lines.slice(1);
    let used = 1;
    let movePath: string | null = null;
    if (rest[0]?.startsWith(MOVE)) {
      movePath = rest[0].slice(MOVE.length);
      rest = rest.slice(1);
      used++;
    }
    const chunks: UpdateChunk[] = [];
    while (rest.length > 0) {
      const line = rest[0] as string;
      // Blank lines between chunks are noise models add; a `*` line starts the next hunk.
      if (line.trim() === "") {
        rest = rest.slice(1);
        used++;
        continue;
      }
      if (line.startsWith("*")) break;
      const [chunk, n] = parseChunk(rest, lineNumber + used, chunks.length === 0);
      chunks.push(chunk);
      rest = rest.slice(n);
      used += n;
    }
    if (chunks.length === 0) throw invalidHunk(lineNumber, `Update file hunk for path '${path}' is empty`);
    return [{ type: "update", path, movePath, chunks }, used];
  }
  throw invalidHunk(
    lineNumber,
    `'${first}' is not a valid hunk header. Valid hunk headers: '*** Add File: {path}', '*** Delete File: {path}', '*** Update File: {path}'`,
  );
}

function parseChunk(lines: string[], lineNumber: number, allowMissingContext: boolean): [UpdateChunk, number] {
  const first = lines[0] as string;
  let changeContext: string | null = null;
  let start = 0;
  if (first === "@@") start = 1;
  else if (first.startsWith("@@ ")) {
    changeContext = first.slice(3);
    start = 1;
  } else if (!allowMissingContext) {
    throw invalidHunk(lineNumber, `Expected update hunk to start with a @@ context marker, got: '${first}'`);
  }
  if (start >= lines.length) throw invalidHunk(lineNumber + 1, "Update hunk does not contain any lines");
  const chunk: UpdateChunk = { changeContext, oldLines: [], newLines: [], isEndOfFile: false };
  let parsed = 0;
  for (const line of lines.slice(start)) {
    if (line === EOF_MARKER) {
      if (parsed === 0) throw invalidHunk(lineNumber + 1, "Update hunk does not contain any lines");
      chunk.isEndOfFile = true;
      parsed++;
      break;
    }
    const kind = line[0];
    if (kind === undefined) {
      chunk.oldLines.push("");
      chunk.newLines.push("");
    } else if (kind === " ") {
      chunk.oldLines.push(line.slice(1));
      chunk.newLines.push(line.slice(1));
    } else if (kind === "+") chunk.newLines.push(line.slice(1));
    else if (kind === "-") chunk.oldLines.push(line.slice(1));
    else {
      if (parsed === 0) {
        throw invalidHunk(
          lineNumber + 1,
          `Unexpected line found in update hunk: '${line}'. Every line should start with ' ' (context line), '+' (added line), or '-' (removed line)`,
        );
      }
      // Later in a chunk, any other line ends it (the next `@@`, or the next hunk's header).
      break;
    }
    parsed++;
  }
  return [chunk, parsed + start];
}
