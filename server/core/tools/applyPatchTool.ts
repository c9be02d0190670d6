// apply_patch: verified before anything is shown or written; then a fileChange
// item, the approval hook on the canonical targets (symlinks resolved: a link out of the workspace is
// outside the writable roots), the confined atomic per-file apply, and a turn diff when it changed. A patch that
// does not verify gives the model the reason and no item, as 0.169 does.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { RETRY_WITHOUT_SANDBOX } from "./retryWithoutSandbox.js";
import type { ThreadItem } from "../../../protocol/v2/index.js";
import { PROTECTED_NAMES } from "../../sandbox/protectedSubpaths.js";
import { resolveFileSystemPolicy } from "../../sandbox/resolvedFileSystemPolicy.js";
import { toSplitPolicy } from "../../sandbox/splitSandboxPolicy.js";
import { nodeFsView } from "../../sandbox/fsView.js";
import { isStrictlyUnder, isUnderOrEqual } from "../../sandbox/paths.js";
import {
  applyVerified,
  fileChangesForItem,
  patchTargets,
  summary,
  verificationFailureOutput,
  verifyPatch,
  type ApplyResult,
  type VerifiedPatch,
} from "../patch/apply.js";
import { createSandboxedPatchFs, SandboxWriteDenied } from "../patch/sandboxedFs.js";
import { NO_PERMISSIONS, withPermissions } from "../approval/permissions.js";
import type { GrantedPermissions } from "../ports.js";
import { createConfinedFs } from "../patch/confinedFs.js";
import { TurnDiffTracker } from "../patch/turnDiff.js";
import { functionOutput, parseToolArgs, TurnCancelled, type Tool, type ToolContext, type ToolOutput } from "./toolTypes.js";

const LARK_GRAMMAR = `start: begin_patch hunk+ end_patch
begin_patch: "*** Begin Patch" LF
end_patch: "*** End Patch" LF?

hunk: add_hunk | delete_hunk | update_hunk
add_hunk: "*** Add File: " filename LF add_line+
delete_hunk: "*** Delete File: " filename LF
update_hunk: "*** Update File: " filename LF change_move? change?

filename: /(.+)/
add_line: "+" /(.*)/ LF -> line

change_move: "*** Move to: " filename LF
change: (change_context | change_line)+ eof_line?
change_context: ("@@" | "@@ " /(.+)/) LF
change_line: ("+" | "-" | " ") /(.*)/ LF
eof_line: "*** End of File" LF

%import common.LF
`;

const trackers = new WeakMap<object, TurnDiffTracker>();

/** One tracker per turn (keyed by the turn's item book), so the diff spans every patch of the turn. */
function trackerFor(ctx: ToolContext): TurnDiffTracker {
  let t = trackers.get(ctx.items);
  if (!t) {
    t = new TurnDiffTracker({ cwd: ctx.settings.cwd });
    trackers.set(ctx.items, t);
  }
  return t;
}

/**
 * The writable root each canonical target lies in, or null when some target is outside every root or
 * in a protected or read-only part of one (what the sandbox would refuse a command).
 */
function writableRootsOf(targets: readonly string[], ctx: ToolContext): Map<string, string> | null {
  try {
    const split = toSplitPolicy(ctx.settings.sandboxPolicy);
    const resolved = split.fileSystem.kind === "restricted" ? resolveFileSystemPolicy(split.fileSystem, { cwd: ctx.settings.cwd, fs: nodeFsView }) : null;
    const out = new Map<string, string>();
    for (const p of targets) {
      if (resolved === null || resolved.fullWrite) {
        out.set(p, "/");
        continue;
      }
      // Every root that holds the path counts: a workspace inside /tmp is a root of its own whose
      // .git is protected, although /tmp's own protected names are elsewhere (the sandbox mounts both).
      const holding = resolved.writableRoots.filter((r) => isStrictlyUnder(p, r.root));
      const refused = holding.some((r) =>
        [...r.readOnlySubpaths, ...r.unreadableSubpaths, ...PROTECTED_NAMES.map((n) => `${r.root}/${n}`)].some((x) => isUnderOrEqual(p, x)),
      );
      if (holding.length === 0 || refused) return null;
      // The innermost root confines the write: nothing at or above it is created.
      out.set(p, holding.reduce((a, b) => (b.root.length > a.root.length ? b : a)).root);
    }
    return out;
  } catch {
    return null;
  }
}

/** The approval's reason when a path as written lands elsewhere through a symlink; null (0.169's) otherwise. */
function symlinkReason(patch: VerifiedPatch): string | null {
  const moved = patch.changes.flatMap((c) => [
    ...(c.kind !== "delete" && c.moveTarget === null && c.target !== c.path ? [`${c.pathAsWritten} resolves to ${c.target}`] : []),
    ...(c.moveTarget !== null && c.movePath !== null && c.moveTarget !== c.movePath
      ? [`${c.movePathAsWritten ?? c.movePath} resolves to ${c.moveTarget}`]
      : []),
  ]);
  return moved.length === 0 ? null : `through a symbolic link: ${moved.join("; ")}`;
}

const OUTSIDE_ROOTS =
  "apply_patch failed: the patch writes outside the sandbox's writable roots (or into a protected path such as .git), and it was not approved to run outside the sandbox";

/**
 * How an approved patch is written. "confined": by the daemon, walking from the root without following
 * a link (confinedFs.ts; Linux with /proc). "sandboxed": each write runs in the thread's sandbox, and a
 * refusal asks to retry outside it, as 0.169 applies every patch (sandboxedFs.ts); used where the
 * daemon cannot confine the write itself.
 */
export type PatchWrites = "confined" | "sandboxed";

export function defaultPatchWrites(): PatchWrites {
  return process.platform === "linux" && existsSync("/proc/self/fd") ? "confined" : "sandboxed";
}

/** 0.169's reason when a patch the sandbox refused is asked again, to run outside it. */

type Applied = ApplyResult | { readonly kind: "declined"; readonly message: string };

async function applyConfined(patch: VerifiedPatch, targets: readonly string[], sandboxed: boolean, ctx: ToolContext): Promise<Applied> {
  // Roots checked again, not reused: the approval may have waited on a person while they changed on
  // disk. A sandboxed patch is confined to its roots; one approved outside the sandbox may write its
  // approved targets anywhere. Either way a link swapped in since fails the write (confinedFs.ts).
  const roots = sandboxed ? writableRootsOf(targets, ctx) : new Map(targets.map((t) => [t, "/"]));
  if (roots === null) return { ok: false, error: OUTSIDE_ROOTS, applied: [], cause: null };
  return applyVerified(patch, createConfinedFs({ rootFor: (t) => roots.get(t) ?? null }));
}

async function applyInSandbox(
  patch: VerifiedPatch,
  callId: string,
  cwd: string,
  permissions: GrantedPermissions | undefined,
  ctx: ToolContext,
): Promise<Applied> {
  const policy = withPermissions(ctx.settings.sandboxPolicy, permissions ?? NO_PERMISSIONS);
  const first = await applyVerified(
    patch,
    createSandboxedPatchFs({ launcher: ctx.launcher, policy, cwd, signal: ctx.signal, ...(ctx.daemonPaths ? { daemonPaths: ctx.daemonPaths } : {}) }),
  );
  if (first.ok || !(first.cause instanceof SandboxWriteDenied)) return first;
  const rest = patch.changes.filter((c) => !first.applied.includes(c));
  const restTargets = patchTargets({ ...patch, changes: rest });
  const retry = await ctx.approvals.check(
    {
      kind: "fileChange",
      thread: ctx.thread,
      threadId: ctx.thread.id,
      turnId: ctx.turnId,
      itemId: callId,
      approvalPolicy: ctx.settings.approvalPolicy,
      cwd,
      paths: restTargets,
      withinWritableRoots: false,
      justification: RETRY_WITHOUT_SANDBOX,
    },
    ctx.signal,
  );
  if (retry.decision === "cancel") throw new TurnCancelled();
  if (retry.decision !== "approved") return first.applied.length === 0 ? { kind: "declined", message: retry.message } : first;
  // A policy that cannot ask answers "run in the sandbox", which has just refused: the failure stands.
  if (retry.sandboxed) return first;
  const second = await applyVerified({ ...patch, changes: rest }, createConfinedFs({ rootFor: () => "/" }));
  if (second.ok) return { ok: true, output: summary(patch.changes) };
  return { ...second, applied: [...first.applied, ...second.applied] };
}

/**
 * How a patch ended, for callers that render it their own way (the shell forms, shellTools.ts):
 * "rejected" = never written (verification failed, or declined), "applied", or "failed" part way.
 */
export interface ApplyPatchOutcome {
  readonly kind: "rejected" | "applied" | "failed";
  /** What the dedicated tool tells the model: the reason, the summary, or the write error. */
  readonly text: string;
  /** From the decision to the end of the writes (0 when rejected): what 0.169 reports as the apply's wall time. */
  readonly durationMs: number;
}

export async function runApplyPatch(
  patchText: string,
  callId: string,
  cwd: string,
  ctx: ToolContext,
  writes: PatchWrites = defaultPatchWrites(),
): Promise<string> {
  return (await applyPatch(patchText, callId, cwd, ctx, writes)).text;
}

export async function applyPatch(
  patchText: string,
  callId: string,
  cwd: string,
  ctx: ToolContext,
  writes: PatchWrites = defaultPatchWrites(),
): Promise<ApplyPatchOutcome> {
  // Verification fixes each change's canonical target: the decision below is about those paths, and
  // the write goes to them and nowhere else.
  const verified = await verifyPatch(patchText, cwd);
  if (!verified.ok) return { kind: "rejected", text: verificationFailureOutput(verified), durationMs: 0 };
  const patch = verified.patch;
  const targets = patchTargets(patch);
  type FileChangeItem = Extract<ThreadItem, { type: "fileChange" }>;
  const item: FileChangeItem = { type: "fileChange", id: callId, changes: fileChangesForItem(patch), status: "inProgress" };
  ctx.items.start(item, () => ({ ...item, status: "failed" }));
  const verdict = await ctx.approvals.check(
    {
      kind: "fileChange",
      thread: ctx.thread,
      threadId: ctx.thread.id,
      turnId: ctx.turnId,
      itemId: callId,
      approvalPolicy: ctx.settings.approvalPolicy,
      cwd,
      paths: targets,
      changes: item.changes,
      withinWritableRoots: writableRootsOf(targets, ctx) !== null,
      justification: symlinkReason(patch),
    },
    ctx.signal,
  );
  if (verdict.decision !== "approved") {
    await ctx.items.complete({ ...item, status: "declined" });
    if (verdict.decision === "cancel") throw new TurnCancelled();
    return { kind: "rejected", text: verdict.message, durationMs: 0 };
  }
  const decided = Date.now();
  const applied =
    writes === "sandboxed" && verdict.sandboxed
      ? await applyInSandbox(patch, callId, cwd, verdict.permissions, ctx)
      : await applyConfined(patch, targets, verdict.sandboxed, ctx);
  const durationMs = Date.now() - decided;
  if ("kind" in applied) {
    await ctx.items.complete({ ...item, status: "declined" });
    return { kind: "rejected", text: applied.message, durationMs: 0 };
  }
  const tracker = trackerFor(ctx);
  tracker.record(applied.ok ? patch : applied.applied);
  await ctx.items.complete({ ...item, status: applied.ok ? "completed" : "failed" }, applied.ok ? { stdout: applied.output } : { stderr: applied.error });
  const diff = tracker.diffIfChanged();
  if (diff !== null) ctx.thread.emit("turn/diff/updated", { threadId: ctx.thread.id, turnId: ctx.turnId, diff });
  return applied.ok ? { kind: "applied", text: applied.output, durationMs } : { kind: "failed", text: applied.error, durationMs };
}

export const applyPatchTool: Tool = {
  name: "apply_patch",
  spec: {
    type: "custom",
    name: "apply_patch",
    description: "The `apply_patch` tool can be used to edit files. This is a FREEFORM tool, so do not wrap the patch in JSON.",
    format: { type: "grammar", syntax: "lark", definition: LARK_GRAMMAR },
  },
  async run(call, ctx): Promise<ToolOutput> {
    let patch = call.input;
    if (call.kind === "function") {
      const args = parseToolArgs(call.input);
      if (typeof args === "string") return functionOutput(call, args);
      if (typeof args["input"] !== "string") return functionOutput(call, "failed to parse function arguments: missing field `input`");
      patch = args["input"];
    }
    return functionOutput(call, await runApplyPatch(patch, call.callId, resolve(ctx.settings.cwd), ctx));
  },
};

/**
 * The same tool as a JSON function (`{"input": "<patch>"}`), for wires without custom tools (Chat
 * Completions), as 0.80 offered it to gpt-oss on chat [obs]. The description carries the format,
 * since there is no grammar to constrain the model.
 */
export const applyPatchFunctionTool: Tool = {
  name: "apply_patch",
  spec: {
    type: "function",
    name: "apply_patch",
    description: `Use the \`apply_patch\` tool to edit files. Pass the whole patch as the \`input\` string.

A patch is wrapped in "*** Begin Patch" and "*** End Patch" lines and holds one or more file operations:
- "*** Add File: <path>" followed by the new file's lines, each prefixed with "+".
- "*** Delete File: <path>" with nothing after it.
- "*** Update File: <path>", optionally followed by "*** Move to: <new path>", then one or more hunks.

A hunk starts with "@@" (optionally "@@ <class or function name>" to locate it) and lists lines prefixed
with " " (unchanged context), "-" (removed) or "+" (added). Give about three lines of context around each
change, and add more "@@" headers when the context alone is ambiguous. "*** End of File" may end a hunk
that touches the end of the file.

Grammar:
${LARK_GRAMMAR}
Paths are relative to the working directory; never use absolute paths.`,
    strict: false,
    parameters: {
      type: "object",
      properties: { input: { type: "string", description: "The entire contents of the apply_patch command" } },
      required: ["input"],
      additionalProperties: false,
    },
  },
  run: (call, ctx) => applyPatchTool.run(call, ctx),
};
