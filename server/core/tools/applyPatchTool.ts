// apply_patch (agent-loop.md §3.3): verified before anything is shown or written; then a fileChange
// item, the approval hook, the atomic per-file apply, and a turn diff when it changed. A patch that
// does not verify gives the model the reason and no item, as 0.169 does.
import { resolve } from "node:path";
import type { ThreadItem } from "../../../protocol/v2/index.js";
import { PROTECTED_NAMES, resolveFileSystemPolicy, toSplitPolicy } from "../../sandbox/policy.js";
import { nodeFsView } from "../../sandbox/fsView.js";
import { isUnderOrEqual } from "../../sandbox/paths.js";
import { applyVerified, fileChangesForItem, verificationFailureOutput, verifyPatch, type VerifiedPatch } from "../patch/apply.js";
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

/** Whether the sandbox policy would let a command write every path of the patch. */
function withinWritableRoots(verified: VerifiedPatch, ctx: ToolContext): boolean {
  try {
    const split = toSplitPolicy(ctx.settings.sandboxPolicy);
    if (split.fileSystem.kind !== "restricted") return true;
    const resolved = resolveFileSystemPolicy(split.fileSystem, { cwd: ctx.settings.cwd, fs: nodeFsView });
    if (resolved.fullWrite) return true;
    const paths = verified.changes.flatMap((c) => [c.path, ...(c.movePath ? [c.movePath] : [])]);
    return paths.every((p) =>
      resolved.writableRoots.some(
        (r) =>
          isUnderOrEqual(p, r.root) &&
          ![...r.readOnlySubpaths, ...r.unreadableSubpaths, ...PROTECTED_NAMES.map((n) => `${r.root}/${n}`)].some((x) => isUnderOrEqual(p, x)),
      ),
    );
  } catch {
    return false;
  }
}

export async function runApplyPatch(patchText: string, callId: string, cwd: string, ctx: ToolContext): Promise<string> {
  const verified = await verifyPatch(patchText, cwd);
  if (!verified.ok) return verificationFailureOutput(verified);
  const patch = verified.patch;
  type FileChangeItem = Extract<ThreadItem, { type: "fileChange" }>;
  const item: FileChangeItem = { type: "fileChange", id: callId, changes: fileChangesForItem(patch), status: "inProgress" };
  ctx.items.start(item, () => ({ ...item, status: "failed" }));
  const verdict = await ctx.approvals.check(
    { kind: "fileChange", thread: ctx.thread, threadId: ctx.thread.id, turnId: ctx.turnId, itemId: callId, approvalPolicy: ctx.settings.approvalPolicy, cwd, paths: patch.changes.flatMap((c) => [c.path, ...(c.movePath ? [c.movePath] : [])]), withinWritableRoots: withinWritableRoots(patch, ctx), justification: null },
    ctx.signal,
  );
  if (verdict.decision !== "approved") {
    await ctx.items.complete({ ...item, status: "declined" });
    if (verdict.decision === "cancel") throw new TurnCancelled();
    return verdict.message;
  }
  // Checked again, not reused: the approval may have waited on a person while the roots changed on disk.
  if (verdict.sandboxed && !withinWritableRoots(patch, ctx)) {
    await ctx.items.complete({ ...item, status: "failed" });
    return "apply_patch failed: the patch writes outside the sandbox's writable roots (or into a protected path such as .git), and it was not approved to run outside the sandbox";
  }
  const applied = await applyVerified(patch);
  const tracker = trackerFor(ctx);
  tracker.record(applied.ok ? patch : applied.applied);
  await ctx.items.complete({ ...item, status: applied.ok ? "completed" : "failed" });
  const diff = tracker.diffIfChanged();
  if (diff !== null) ctx.thread.emit("turn/diff/updated", { threadId: ctx.thread.id, turnId: ctx.turnId, diff });
  return applied.ok ? applied.output : applied.error;
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
