import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { InvalidReviewTarget, parseReviewOutput, renderReview, reviewRequest, reviewResultMessage, reviewText } from "./review.js";

const finding = (title: string, body: string, path: string, start: number, end: number, priority: number | null = 1) => ({
  title,
  body,
  confidence_score: 0.8,
  ...(priority === null ? {} : { priority }),
  code_location: { absolute_file_path: path, line_range: { start, end } },
});

describe("review output", () => {
  it("renders one finding under 'Review comment:' and several under 'Full review comments:' (0.169's text)", () => {
    const one = JSON.stringify({
      findings: [finding("[P1] Off by one", "body", "path", 1, 1)],
      overall_correctness: "patch is incorrect",
      overall_explanation: "One bug.",
      overall_confidence_score: 0.7,
    });
    expect(reviewText(one)).toBe("One bug.\n\nReview comment:\n\n- [P1] Off by one — path:1-1\n  body");
    const two = JSON.stringify({
      findings: [finding("[P1] Off by one", "The loop stops early.", "/x/a.txt", 2, 3), finding("[P3] Nit", "Naming.", "/x/b.txt", 1, 1, 3)],
      overall_correctness: "patch is incorrect",
      overall_explanation: "One bug.",
      overall_confidence_score: 0.7,
    });
    expect(reviewText(two)).toBe(
      "One bug.\n\nFull review comments:\n\n- [P1] Off by one — /x/a.txt:2-3\n  The loop stops early.\n\n- [P3] Nit — /x/b.txt:1-1\n  Naming.",
    );
  });

  it("indents every line of a finding's body", () => {
    const out = parseReviewOutput(JSON.stringify({ findings: [finding("[P2] x", "a\nb", "/p", 4, 5, 2)], overall_explanation: "" }));
    expect(out).not.toBeNull();
    expect(renderReview(out!)).toBe("Review comment:\n\n- [P2] x — /p:4-5\n  a\n  b");
  });

  it("shows the explanation alone when there are no findings, and finds JSON wrapped in prose", () => {
    expect(
      reviewText(
        JSON.stringify({ findings: [], overall_correctness: "patch is correct", overall_explanation: "Nothing wrong.", overall_confidence_score: 0.9 }),
      ),
    ).toBe("Nothing wrong.");
    expect(
      reviewText('Sure:\n{"findings":[],"overall_correctness":"patch is correct","overall_explanation":"Embedded ok.","overall_confidence_score":0.5}\nthanks'),
    ).toBe("Embedded ok.");
  });

  it("keeps an unparsable answer as is: plain text, or a finding without an integer priority (as 0.169 does)", () => {
    expect(reviewText("Looks fine to me, no JSON here.")).toBe("Looks fine to me, no JSON here.");
    const noPriority = JSON.stringify({
      findings: [finding("[P2] Leak", "Handle not closed.", "/x/c.ts", 4, 9, null)],
      overall_correctness: "patch is incorrect",
      overall_explanation: "",
      overall_confidence_score: 0.5,
    });
    expect(parseReviewOutput(noPriority)).toBeNull();
    expect(reviewText(noPriority)).toBe(noPriority);
    expect(reviewText(null)).toBe("Reviewer failed to output a response.");
  });

  it("wraps the result for the thread's history in a user_action message", () => {
    const msg = reviewResultMessage("One bug.") as { role: string; content: { text: string }[] };
    expect(msg.role).toBe("user");
    expect(msg.content[0]?.text).toContain("<action>review</action>\n  <results>\n  One bug.\n  </results>");
  });
});

describe("review targets", () => {
  it("names each target with 0.169's hint and prompt, and refuses empty ones", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "gatehouse-review-"));
    try {
      writeFileSync(join(cwd, "a.txt"), "a\n");
      const git = (...args: string[]) => execFileSync("git", ["-c", "user.email=a@b", "-c", "user.name=a", ...args], { cwd, encoding: "utf8" }).trim();
      git("init", "-q", "-b", "main");
      git("add", "a.txt");
      git("commit", "-qm", "init");
      const base = git("rev-parse", "HEAD");
      git("checkout", "-qb", "feature");

      expect(await reviewRequest({ type: "uncommittedChanges" }, cwd)).toEqual({
        hint: "current changes",
        prompt: "Review the current code changes (staged, unstaged, and untracked files) and provide prioritized findings.",
      });
      const branch = await reviewRequest({ type: "baseBranch", branch: "main" }, cwd);
      expect(branch.hint).toBe("changes against 'main'");
      expect(branch.prompt).toContain(`The merge base commit for this comparison is ${base}. Run \`git diff ${base}\``);
      expect(await reviewRequest({ type: "commit", sha: "0123456789abcdef", title: "Add x line" }, cwd)).toEqual({
        hint: "commit 0123456: Add x line",
        prompt: 'Review the code changes introduced by commit 0123456789abcdef ("Add x line"). Provide prioritized, actionable findings.',
      });
      expect((await reviewRequest({ type: "custom", instructions: "Check the README only." }, cwd)).hint).toBe("Check the README only.");
      await expect(reviewRequest({ type: "custom", instructions: "  " }, cwd)).rejects.toThrow(new InvalidReviewTarget("instructions must not be empty"));
      await expect(reviewRequest({ type: "baseBranch", branch: "" }, cwd)).rejects.toThrow("branch must not be empty");
      await expect(reviewRequest({ type: "commit", sha: "" }, cwd)).rejects.toThrow("sha must not be empty");
      // Outside a repository the prompt asks the reviewer to find the merge base itself.
      const elsewhere = await reviewRequest({ type: "baseBranch", branch: "main" }, tmpdir());
      expect(elsewhere.prompt).toContain("git merge-base HEAD main");
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
