// The model's answer to apply_patch sent through a shell tool, as the references were seen to answer
// (conformance harness, 2026-12): 0.169 for exec_command, 0.80 for shell_command and shell.
import { describe, expect, it } from "vitest";
import { renderShellPatchAnswer } from "./shellTools.js";

const SUMMARY = "Success. Updated the following files:\nA a.txt\n";

describe("renderShellPatchAnswer", () => {
  it("exec_command (0.169): a success in a zero-time exec frame around the shell-style result", () => {
    expect(renderShellPatchAnswer({ kind: "applied", text: SUMMARY, durationMs: 0 }, "unifiedExec")).toBe(
      "Wall time: 0.0000 seconds\nOutput:\nExit code: 0\nWall time: 0 seconds\nOutput:\nSuccess. Updated the following files:\nA a.txt\n",
    );
    expect(renderShellPatchAnswer({ kind: "applied", text: SUMMARY, durationMs: 140 }, "unifiedExec")).toContain("\nExit code: 0\nWall time: 0.1 seconds\n");
    expect(renderShellPatchAnswer({ kind: "applied", text: SUMMARY, durationMs: 2000 }, "unifiedExec")).toContain("\nWall time: 2 seconds\n");
  });

  it("exec_command (0.169): a failed write comes back bare, exit code 1, newline-terminated", () => {
    expect(renderShellPatchAnswer({ kind: "failed", text: "Failed to write file a.txt/x", durationMs: 60 }, "unifiedExec")).toBe(
      "Exit code: 1\nWall time: 0.1 seconds\nOutput:\nFailed to write file a.txt/x\n",
    );
  });

  it("shell_command and shell (0.80): the JSON result, duration with one decimal even when whole", () => {
    expect(renderShellPatchAnswer({ kind: "applied", text: SUMMARY, durationMs: 0 }, "json")).toBe(
      '{"output":"Success. Updated the following files:\\nA a.txt\\n","metadata":{"exit_code":0,"duration_seconds":0.0}}',
    );
    expect(JSON.parse(renderShellPatchAnswer({ kind: "failed", text: "Failed to write file x", durationMs: 1250 }, "json"))).toEqual({
      output: "Failed to write file x\n",
      metadata: { exit_code: 1, duration_seconds: 1.3 },
    });
  });

  it("a patch never written answers its reason alone, whatever the tool", () => {
    for (const answer of ["unifiedExec", "json"] as const) {
      expect(renderShellPatchAnswer({ kind: "rejected", text: "patch rejected by user", durationMs: 0 }, answer)).toBe("patch rejected by user");
    }
  });
});
