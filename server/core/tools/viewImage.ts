// view_image (both families; `[features] view_image`, on by default): the model names
// an image file, and the image goes back to it as the call's output.
//
// 0.169.0, observed with the conformance harness (a scripted view_image call per case, read-only sandbox):
//  - spec: VIEW_IMAGE_SPEC below, verbatim;
//  - the path is resolved against the turn's cwd; a symlink is followed;
//  - success: an `imageView` item {id: call_id, path: <absolute>} starts and completes, and the output is
//    `function_call_output.output = [{type:"input_image", image_url:"data:<mime>;base64,…", detail:"original"}]`
//    (content items, no extra message). PNG, JPEG and WebP bytes are sent unchanged with their own
//    mime type (a 4000×100 and a 2500×2500 PNG, 30 MB of trailing bytes included, were not touched);
//  - an image wider or taller than 6000 px is scaled down to fit 6000 (9000×20 → 6000×13) and sent as
//    PNG; a GIF is re-encoded as PNG;
//  - failures are plain-text outputs and no item: `unable to locate image at `<abs>`: No such file or
//    directory (os error 2)`, `image path `<abs>` is not a file`, and for text, BMP, TIFF or a broken
//    JPEG `unable to process image: invalid or unsupported image data`;
//  - 0.169 reads with the daemon's own rights: a file under its home was sent.
//
// Gatehouse differs where it has no image codec: PNG, JPEG and WebP are recognised from their headers
// (dimensions, and for PNG and JPEG the chunk/segment structure) rather than decoded; a GIF goes out
// as image/gif (the Responses API accepts it); an image over 6000 px on a side is refused rather than
// scaled; a file over MAX_IMAGE_BYTES is refused rather than read into memory.
//
// The read obeys the thread's sandbox read policy, decided in-process rather than by launching a
// sandboxed reader: the file is opened first (O_NONBLOCK, so a FIFO cannot hang the turn), the path
// the descriptor actually refers to is taken from /proc/self/fd (Linux; elsewhere realpath just before
// the open), and that canonical path is checked against the policy resolved as the launcher resolves
// it (resolveFileSystemPolicy, the daemon's denied paths, `none` globs). Checking the opened file,
// not the name, means a symlink swapped in after a check cannot redirect the read; no bytes are read
// before the check passes. This costs no process per image and works on every platform.
import { constants as fsConstants, promises as fsp } from "node:fs";
import { platform } from "node:os";
import * as nodePath from "node:path";
import type { DaemonPaths } from "../../sandbox/bwrapPlan.js";
import { LINUX_PLATFORM_DEFAULTS } from "../../sandbox/bwrapProbe.js";
import { canonicalize, nodeFsView, type FsView } from "../../sandbox/fsView.js";
import { componentRegExp } from "../../sandbox/globs.js";
import { components, isUnderOrEqual } from "../../sandbox/paths.js";
import { accessForPath, type FileSystemAccess } from "../../sandbox/fileSystemAccess.js";
import { isSplitPolicy, toSplitPolicy, type SplitSandboxPolicy } from "../../sandbox/splitSandboxPolicy.js";
import { resolveFileSystemPolicy } from "../../sandbox/resolvedFileSystemPolicy.js";
import type { SandboxPolicy } from "../../sandbox/sandboxPolicy.js";
import { functionOutput, parseToolArgs, type Tool, type ToolCall, type ToolOutput } from "./toolTypes.js";

export const VIEW_IMAGE_SPEC = {
  type: "function",
  name: "view_image",
  description: "View a local image file from the filesystem when visual inspection is needed. Use this for images already available on disk.",
  strict: false,
  parameters: {
    type: "object",
    properties: { path: { type: "string", description: "Local filesystem path to an image file." } },
    required: ["path"],
    additionalProperties: false,
  },
} as const;

/** 0.169 scales larger images down to fit this many pixels on each side. */
export const MAX_IMAGE_SIDE = 6000;
/** Gatehouse's own bound on what it reads into memory (0.169 sent a 30 MB file). */
export const MAX_IMAGE_BYTES = 64 * 1024 * 1024;

const UNSUPPORTED = "unable to process image: invalid or unsupported image data";

export interface ImageInfo {
  readonly mime: "image/png" | "image/jpeg" | "image/webp" | "image/gif";
  readonly width: number;
  readonly height: number;
}

/** The image's type and size from its header, or null when it is not a PNG, JPEG, WebP or GIF. */
export function sniffImage(b: Buffer): ImageInfo | null {
  if (b.length >= 24 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) && b.toString("latin1", 12, 16) === "IHDR") {
    // Walk the chunks to IEND: a header alone is not an image. Bytes after IEND are ignored (as 0.169 does).
    let sawData = false;
    for (let off = 8; off + 8 <= b.length;) {
      const len = b.readUInt32BE(off);
      const type = b.toString("latin1", off + 4, off + 8);
      if (type === "IDAT") sawData = true;
      if (type === "IEND") return sawData ? dims("image/png", b.readUInt32BE(16), b.readUInt32BE(20)) : null;
      off += 12 + len;
    }
    return null;
  }
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return sniffJpeg(b);
  if (b.length >= 30 && b.toString("latin1", 0, 4) === "RIFF" && b.toString("latin1", 8, 12) === "WEBP") {
    const chunk = b.toString("latin1", 12, 16);
    if (chunk === "VP8 " && b[23] === 0x9d && b[24] === 0x01 && b[25] === 0x2a)
      return dims("image/webp", b.readUInt16LE(26) & 0x3fff, b.readUInt16LE(28) & 0x3fff);
    if (chunk === "VP8L" && b[20] === 0x2f) {
      const bits = b.readUInt32LE(21);
      return dims("image/webp", (bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
    }
    if (chunk === "VP8X") return dims("image/webp", b.readUIntLE(24, 3) + 1, b.readUIntLE(27, 3) + 1);
    return null;
  }
  if (b.length >= 13 && (b.toString("latin1", 0, 6) === "GIF87a" || b.toString("latin1", 0, 6) === "GIF89a"))
    return dims("image/gif", b.readUInt16LE(6), b.readUInt16LE(8));
  return null;
}

function dims(mime: ImageInfo["mime"], width: number, height: number): ImageInfo | null {
  return width > 0 && height > 0 ? { mime, width, height } : null;
}

/** A JPEG's frame size; it must also have a scan (SOS) after its frame header, as a decodable one does. */
function sniffJpeg(b: Buffer): ImageInfo | null {
  let frame: { width: number; height: number } | null = null;
  for (let i = 2; i + 4 <= b.length;) {
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1] as number;
    if (marker === 0xff) {
      i += 1;
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    if (marker === 0xda) return frame && frame.width > 0 && frame.height > 0 ? { mime: "image/jpeg", ...frame } : null;
    if (marker === 0xd9) return null;
    const len = b.readUInt16BE(i + 2);
    if (len < 2) return null;
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) {
      if (i + 9 > b.length) return null;
      frame = { height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) };
    }
    i += 2 + len;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// The sandbox's read policy

/** Whether `pattern` (absolute; `*`, `?`, `[…]` per component, `**` for any depth) matches `path`. */
export function globMatches(pattern: string, path: string): boolean {
  const pat = components(pattern);
  const parts = components(path);
  const match = (pi: number, i: number): boolean => {
    if (pi === pat.length) return i === parts.length;
    const c = pat[pi] as string;
    if (c === "**") {
      for (let k = i; k <= parts.length; k++) if (match(pi + 1, k)) return true;
      return false;
    }
    return i < parts.length && componentRegExp(c).test(parts[i] as string) && match(pi + 1, i + 1);
  };
  return match(0, 0);
}

/**
 * Whether a sandboxed command of this thread could read `realPath` (canonical): the policy resolved
 * as the launcher resolves it, plus the daemon's own denied paths and the `none` globs. Unrestricted
 * and external-sandbox policies read everything (nothing is wrapped, so the daemon's home is visible
 * too, as it is to their commands).
 */
export function sandboxAllowsRead(
  realPath: string,
  policy: SandboxPolicy | SplitSandboxPolicy,
  cwd: string,
  daemonPaths: DaemonPaths | undefined,
  fs: FsView = nodeFsView,
  tmpdir: string | undefined = process.env["TMPDIR"],
): boolean {
  const split = isSplitPolicy(policy) ? policy : toSplitPolicy(policy);
  if (split.fileSystem.kind !== "restricted") return true;
  const resolved = resolveFileSystemPolicy(split.fileSystem, { cwd: canonicalize(nodePath.resolve(cwd), fs), fs, tmpdir });
  const rules: { path: string; access: FileSystemAccess }[] = [...resolved.rules];
  for (const p of daemonPaths?.deny ?? []) rules.push({ path: canonicalize(p, fs), access: "none" });
  if (resolved.globs.some((g) => g.access === "none" && globMatches(g.pattern, realPath))) return false;
  if (accessForPath(rules, realPath) !== "none") return true;
  // Platform defaults are bound read-only where the policy asks for them (Linux, bwrapProbe).
  const denied = rules.some((r) => r.access === "none" && r.path !== "/" && isUnderOrEqual(realPath, r.path));
  return resolved.includePlatformDefaults && !denied && LINUX_PLATFORM_DEFAULTS.some((d) => isUnderOrEqual(realPath, d));
}

// ---------------------------------------------------------------------------------------------
// The tool

const OS_ERRORS: Record<string, string> = {
  ENOENT: "No such file or directory",
  EACCES: "Permission denied",
  EPERM: "Operation not permitted",
  ENOTDIR: "Not a directory",
  ELOOP: "Too many levels of symbolic links",
  ENAMETOOLONG: "File name too long",
};

/** An io error as 0.169 (Rust) prints it: "No such file or directory (os error 2)". */
function ioError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const code = err.code ?? "";
  // libuv reports -errno on POSIX systems: the number Rust prints.
  const errno = typeof err.errno === "number" ? Math.abs(err.errno) : undefined;
  const text = OS_ERRORS[code] ?? err.message;
  return errno === undefined ? text : `${text} (os error ${errno})`;
}

function notReadable(abs: string): string {
  return `image path \`${abs}\` is not readable under this thread's sandbox policy`;
}

export interface ViewImageResult {
  readonly ok: boolean;
  /** The text for the model on failure. */
  readonly message?: string;
  readonly path: string;
  readonly dataUrl?: string;
}

/** Reads and checks one image as the tool does; exported for tests. */
export async function loadImage(
  requested: string,
  cwd: string,
  policy: SandboxPolicy | SplitSandboxPolicy,
  daemonPaths: DaemonPaths | undefined,
): Promise<ViewImageResult> {
  const abs = nodePath.resolve(cwd, requested);
  const fail = (message: string): ViewImageResult => ({ ok: false, message, path: abs });
  // The name first, so a denied path's existence is not reported; then the opened file (below).
  if (!sandboxAllowsRead(canonicalize(abs, nodeFsView), policy, cwd, daemonPaths)) return fail(notReadable(abs));
  let st;
  try {
    st = await fsp.stat(abs);
  } catch (e) {
    return fail(`unable to locate image at \`${abs}\`: ${ioError(e)}`);
  }
  if (!st.isFile()) return fail(`image path \`${abs}\` is not a file`);
  const linux = platform() === "linux";
  let real = linux ? null : nodeFsView.realpath(abs);
  let handle;
  try {
    handle = await fsp.open(abs, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0));
  } catch (e) {
    return fail(`unable to locate image at \`${abs}\`: ${ioError(e)}`);
  }
  try {
    if (linux) real = nodeFsView.readlink(`/proc/self/fd/${handle.fd}`);
    if (real === null || !sandboxAllowsRead(real, policy, cwd, daemonPaths)) return fail(notReadable(abs));
    const opened = await handle.stat();
    if (!opened.isFile()) return fail(`image path \`${abs}\` is not a file`);
    if (opened.size > MAX_IMAGE_BYTES)
      return fail(`unable to process image: the file is ${opened.size} bytes; Gatehouse reads images of at most ${MAX_IMAGE_BYTES} bytes`);
    const bytes = Buffer.alloc(opened.size);
    let got = 0;
    while (got < bytes.length) {
      const { bytesRead } = await handle.read(bytes, got, bytes.length - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    const data = bytes.subarray(0, got);
    const info = sniffImage(data);
    if (!info) return fail(UNSUPPORTED);
    if (info.width > MAX_IMAGE_SIDE || info.height > MAX_IMAGE_SIDE) {
      return fail(`unable to process image: it is ${info.width}x${info.height} pixels, over ${MAX_IMAGE_SIDE} on a side, and Gatehouse does not scale images`);
    }
    return { ok: true, path: abs, dataUrl: `data:${info.mime};base64,${data.toString("base64")}` };
  } catch (e) {
    return fail(`unable to read image at \`${abs}\`: ${ioError(e)}`);
  } finally {
    await handle.close();
  }
}

function imageOutput(call: ToolCall, dataUrl: string): ToolOutput {
  // Content items, as 0.169 sends them.
  return { ...functionOutput(call, ""), output: [{ type: "input_image", image_url: dataUrl, detail: "original" }] };
}

export const viewImageTool: Tool = {
  name: "view_image",
  supportsParallel: true,
  spec: VIEW_IMAGE_SPEC,
  async run(call, ctx) {
    const args = parseToolArgs(call.input);
    if (typeof args === "string") return functionOutput(call, args);
    if (typeof args["path"] !== "string") return functionOutput(call, "failed to parse function arguments: missing field `path`");
    const r = await loadImage(args["path"], ctx.settings.cwd, ctx.settings.sandboxPolicy, ctx.daemonPaths);
    if (!r.ok || r.dataUrl === undefined) return functionOutput(call, r.message ?? UNSUPPORTED);
    await ctx.items.complete({ type: "imageView", id: call.callId, path: r.path });
    return imageOutput(call, r.dataUrl);
  },
};
