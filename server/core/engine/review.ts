// review/start: a turn in which a reviewer samples on a fresh history (review guidelines, the
// environment, a prompt naming what to review) with the thread's tools, answers with JSON findings,
// and the thread gets the rendered review as an `exitedReviewMode` item and an agent message.
//
// Observed on 0.169 (gpt-5.5, conformance mock; the reference runs the reviewer as a sub-agent thread):
// - response: {turn: {id: T, rootTurnId: null, items: [userMessage {id: T, content: [text = hint]}],
//   status inProgress, …}, reviewThreadId: the thread id};
// - item enteredReviewMode {review: hint} started and completed (before the thread goes active), then
//   turn/started, the userMessage item with the prompt, the reviewer's tool items; the reviewer's own
//   messages are not shown (no deltas, no completion; 0.169 leaks one agentMessage item/started that
//   never completes — not reproduced: every started item here completes);
// - then exitedReviewMode {review: text} and an agentMessage with the same text; turn/completed with
//   that agentMessage as the summary; no thread/tokenUsage/updated for the reviewer's usage;
// - DEVIATION: 0.169's turn/started and thread/read name the sub-agent's turn (another id, rootTurnId
//   T) and list the prompt in a separate "interrupted" turn; here the one turn T holds everything;
// - the reviewer's request: the guidelines as the first developer message (no base instructions, no
//   thread history), skills, <environment_context>, the prompt; tools exec_command, write_stdin,
//   request_user_input, apply_patch, view_image (no dynamic tools); the diff itself is not in the
//   prompt, the reviewer runs git;
// - the parent history then gets a user message `<user_action>…<results>TEXT</results>…` and an
//   assistant message TEXT (after the base instructions when the review opened the thread);
// - the output is parsed as JSON, else the text between its first `{` and last `}`; a finding without
//   an integer `priority` fails the parse (although the prompt calls it optional), and an unparsed
//   output is shown as is;
// - turn/steer: -32600 "cannot steer a review turn" (data.codexErrorInfo activeTurnNotSteerable);
// - interrupted: exitedReviewMode "Reviewer failed to output a response.", an agentMessage "Review was
//   interrupted. …" and the interrupted user_action (results "None.") in the parent history; both
//   items before the interrupt's response; (0.169's turn/interrupt only accepts the sub-agent's id);
// - errors (-32600): "instructions must not be empty", "branch must not be empty", "sha must not be
//   empty"; `delivery` other than "inline" is refused by the params schema.
import { execFile } from "node:child_process";
import { v7 as uuidv7 } from "uuid";
import type { ReviewTarget } from "../../../protocol/v2/index.js";
import { InvalidInputError } from "../errors.js";
import type { ThreadState, ThreadSettings } from "../threads/threadState.js";
import { developerMessage, environmentContext, initialContext, userTextMessage } from "./context.js";
import type { TurnItems } from "./turnItems.js";
import type { TurnRollout } from "./activeTurn.js";
import type { TurnMode } from "./turnMode.js";

// Our wording; the structure and the output schema follow 0.169's review prompt.
export const REVIEW_GUIDELINES = `# Review guidelines:

You are reviewing a code change that another engineer proposes. Your job is to find the problems that its author would want to know about before the change lands.

What follows is a default standard for deciding whether something deserves a finding. More specific guidance may appear elsewhere (another developer message, the user's message, a file in the repository); where it does, it wins over these defaults.

## What to flag

Flag an issue only when all of these hold:

1. It has a real effect on correctness, performance, security or maintainability.
2. It is a single, concrete problem the author can act on, not a general remark about the codebase.
3. Fixing it does not ask for more rigour than the rest of the codebase shows.
4. The change introduced it; problems that were already there are out of scope.
5. The author would most likely fix it once told.
6. It does not depend on guesses about the codebase or about what the author meant.
7. If you claim the change breaks other code, you have found that code and can point to it.
8. It is not plainly a deliberate choice of the author.

## How to write a finding

1. Say clearly why it is a bug.
2. Match the stated severity to the real impact; do not overstate it.
3. Keep it short: at most one paragraph, no line breaks inside the prose unless a code fragment needs them.
4. Quote at most three lines of code, in inline code or a fenced block.
5. State the inputs, environments or conditions under which the problem shows, and say up front that the severity depends on them.
6. Keep a neutral, factual tone: a helpful suggestion, neither accusatory nor flattering.
7. Make it readable at a glance.
8. Leave out praise and remarks that do not help the author.

## How many findings

Report every finding the author would fix if they knew about it, and none that they would not. Do not stop after the first one. If nothing qualifies, report no findings.

- Skip trivial style unless it hides meaning or breaks a documented standard.
- One finding per distinct problem.
- Use \`\`\`suggestion blocks only for concrete replacement code, keeping the exact leading whitespace of the lines they replace and no commentary inside.
- Do not add or remove outer indentation unless that is the fix.

## Repository rules

Apply the project instruction files that cover the changed files (AGENTS.override.md, AGENTS.md and configured fallbacks; the more specific one wins, and the user's own instructions about scope or style win over all of them). Deduplicate findings that share a location and a remedy. When a project rule materially supports a finding, cite the file and the smallest line range that states it, in the finding's body; never invent a citation, and do not add or drop findings only because a rule file exists.

## Locations and priorities

Findings appear as inline comments, so keep location details out of the body and keep each line range as short as possible (no more than about 5 to 10 lines; pick the subrange that pinpoints the problem). The range must overlap the change.

Start each title with its priority tag, e.g. "[P1] Off-by-one in page cursor":
- [P0] drop everything: blocks a release or major usage regardless of inputs;
- [P1] urgent: fix in the next cycle;
- [P2] normal: fix eventually;
- [P3] low: nice to have.
Also give the priority as the integer field "priority" (0 to 3).

Finally, give an overall verdict: the patch is "correct" when existing code and tests keep working and it has no bugs or other blocking problems. Style, formatting, typos and documentation do not count against it.

## Output format

Answer with exactly one JSON object of this shape, and nothing else:

{
  "findings": [
    {
      "title": "<at most 80 characters, imperative, starting with the priority tag>",
      "body": "<Markdown: why this is a problem, citing files, lines or functions>",
      "confidence_score": <number from 0.0 to 1.0>,
      "priority": <integer 0-3>,
      "code_location": {
        "absolute_file_path": "<absolute path of the file>",
        "line_range": {"start": <int>, "end": <int>}
      }
    }
  ],
  "overall_correctness": "patch is correct" | "patch is incorrect",
  "overall_explanation": "<one to three sentences justifying the verdict>",
  "overall_confidence_score": <number from 0.0 to 1.0>
}

- No Markdown fences and no prose around the JSON.
- Every finding has a code_location with an absolute_file_path and a line_range.
- Do not write a fix for the change.`;

const FAILED = "Reviewer failed to output a response.";
const INTERRUPTED = "Review was interrupted. Please re-run /review and wait for it to complete.";
const INTERRUPTED_ACTION =
  "<user_action>\n  <context>User initiated a review task, but was interrupted. If user asks about this, tell them to re-initiate a review with `/review` and wait for it to complete.</context>\n  <action>review</action>\n  <results>\n  None.\n  </results>\n</user_action>\n\n";

export interface ReviewRequest {
  /** The user-facing name of what is reviewed (enteredReviewMode, the response's userMessage). */
  readonly hint: string;
  /** The reviewer's user message. */
  readonly prompt: string;
}

/** Why a target was refused (an empty branch, sha or instructions). */
export class InvalidReviewTarget extends InvalidInputError {
  override readonly name = "InvalidReviewTarget";
}

function git(cwd: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile("git", args, { cwd, timeout: 10_000 }, (error, stdout) => resolve(error ? null : stdout.trim()));
  });
}

/** The hint and prompt for a target; the wording is 0.169's, which clients show to users. */
export async function reviewRequest(target: ReviewTarget, cwd: string): Promise<ReviewRequest> {
  switch (target.type) {
    case "uncommittedChanges":
      return { hint: "current changes", prompt: "Review the current code changes (staged, unstaged, and untracked files) and provide prioritized findings." };
    case "baseBranch": {
      const branch = target.branch.trim();
      if (branch === "") throw new InvalidReviewTarget("branch must not be empty");
      const base = await git(cwd, ["merge-base", "HEAD", branch]);
      const prompt = base
        ? `Review the code changes against the base branch '${branch}'. The merge base commit for this comparison is ${base}. Run \`git diff ${base}\` to inspect the changes relative to ${branch}. Provide prioritized, actionable findings.`
        : // No merge base found here (no repository, unknown branch): the reviewer has to find it.
          `Review the code changes against the base branch '${branch}'. Find the merge base of HEAD and ${branch} (for example with \`git merge-base HEAD ${branch}\`), then run \`git diff\` against it to inspect the changes relative to ${branch}. Provide prioritized, actionable findings.`;
      return { hint: `changes against '${branch}'`, prompt };
    }
    case "commit": {
      const sha = target.sha.trim();
      if (sha === "") throw new InvalidReviewTarget("sha must not be empty");
      const title = target.title?.trim() || null;
      const short = sha.slice(0, 7);
      return title
        ? {
            hint: `commit ${short}: ${title}`,
            prompt: `Review the code changes introduced by commit ${sha} ("${title}"). Provide prioritized, actionable findings.`,
          }
        : { hint: `commit ${short}`, prompt: `Review the code changes introduced by commit ${sha}. Provide prioritized, actionable findings.` };
    }
    case "custom": {
      const instructions = target.instructions.trim();
      if (instructions === "") throw new InvalidReviewTarget("instructions must not be empty");
      return { hint: instructions, prompt: target.instructions };
    }
  }
}

export interface ReviewFinding {
  title: string;
  body: string;
  confidence_score: number | null;
  priority: number;
  code_location: { absolute_file_path: string; line_range: { start: number; end: number } };
}

export interface ReviewOutput {
  findings: ReviewFinding[];
  overall_correctness: string;
  overall_explanation: string;
  overall_confidence_score: number | null;
}

function asFinding(v: unknown): ReviewFinding | null {
  const f = (v ?? {}) as Record<string, unknown>;
  const loc = (f.code_location ?? {}) as Record<string, unknown>;
  const range = (loc.line_range ?? {}) as Record<string, unknown>;
  if (typeof f.title !== "string" || typeof f.body !== "string") return null;
  // Required by 0.169's parser although the prompt calls it optional [obs].
  if (typeof f.priority !== "number" || !Number.isInteger(f.priority)) return null;
  if (typeof loc.absolute_file_path !== "string" || typeof range.start !== "number" || typeof range.end !== "number") return null;
  return {
    title: f.title,
    body: f.body,
    confidence_score: typeof f.confidence_score === "number" ? f.confidence_score : null,
    priority: f.priority,
    code_location: { absolute_file_path: loc.absolute_file_path, line_range: { start: range.start, end: range.end } },
  };
}

function asOutput(v: unknown): ReviewOutput | null {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return null;
  const o = v as Record<string, unknown>;
  const raw = o.findings ?? [];
  if (!Array.isArray(raw)) return null;
  const findings: ReviewFinding[] = [];
  for (const f of raw) {
    const finding = asFinding(f);
    if (!finding) return null;
    findings.push(finding);
  }
  return {
    findings,
    overall_correctness: typeof o.overall_correctness === "string" ? o.overall_correctness : "",
    overall_explanation: typeof o.overall_explanation === "string" ? o.overall_explanation : "",
    overall_confidence_score: typeof o.overall_confidence_score === "number" ? o.overall_confidence_score : null,
  };
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The reviewer's JSON answer, also when wrapped in prose; null when there is none. */
export function parseReviewOutput(text: string): ReviewOutput | null {
  const whole = asOutput(tryJson(text.trim()));
  if (whole) return whole;
  const start = text.indexOf("{");
  const end = text.lastIndexOf("}");
  return start >= 0 && end > start ? asOutput(tryJson(text.slice(start, end + 1))) : null;
}

/** 0.169's rendering: the explanation, then "Review comment:" (one) or "Full review comments:" (more). */
export function renderReview(output: ReviewOutput): string {
  const parts: string[] = [];
  const explanation = output.overall_explanation.trim();
  if (explanation !== "") parts.push(explanation);
  if (output.findings.length > 0) {
    parts.push(output.findings.length === 1 ? "Review comment:" : "Full review comments:");
    const items = output.findings.map((f) => {
      const { absolute_file_path: path, line_range: r } = f.code_location;
      const body = f.body
        .split("\n")
        .map((l) => `  ${l}`)
        .join("\n");
      return `- ${f.title} — ${path}:${r.start}-${r.end}\n${body}`;
    });
    parts.push(items.join("\n\n"));
  }
  return parts.length > 0 ? parts.join("\n\n") : FAILED;
}

/** The text shown for the reviewer's last message. */
export function reviewText(lastMessage: string | null): string {
  const text = lastMessage ?? "";
  const output = parseReviewOutput(text);
  if (output) return renderReview(output);
  return text.trim() === "" ? FAILED : text;
}

/** What the thread's model sees of a finished review (0.169's user_action wording, observed). */
export function reviewResultMessage(text: string): Record<string, unknown> {
  return userTextMessage(
    `<user_action>\n  <context>User initiated a review task. Here's the full review output from reviewer model. User may select one or more comments to resolve.</context>\n  <action>review</action>\n  <results>\n  ${text}\n  </results>\n  </user_action>\n`,
  );
}

export interface ReviewModeDeps {
  readonly thread: ThreadState;
  readonly settings: ThreadSettings;
  readonly rollout: TurnRollout;
  readonly request: ReviewRequest;
}

/** The turn mode of a review turn (turnMode.ts). */
export function reviewMode(deps: ReviewModeDeps): TurnMode {
  const { thread, settings, rollout, request } = deps;
  const history: unknown[] = [];
  /** The parent history gets the review as a user action and the shown text as the answer. */
  const close = async (items: TurnItems, action: Record<string, unknown>, review: string, message: string): Promise<void> => {
    const added: Record<string, unknown>[] = thread.history.length === 0 ? initialContext(settings) : [];
    added.push(action, { type: "message", role: "assistant", content: [{ type: "output_text", text: message }] });
    await rollout.append(added.map((payload) => ({ type: "response_item", payload })));
    thread.history.push(...added);
    await items.complete({ type: "exitedReviewMode", id: uuidv7(), review });
    await items.complete({
      type: "agentMessage",
      id: `msg_${uuidv7()}`,
      text: message,
      phase: null,
      memoryCitation: null,
      delivery: null,
      questions: null,
      moderation: null,
    });
  };
  return {
    kind: "review",
    history,
    async begin(items) {
      await items.complete({ type: "enteredReviewMode", id: uuidv7(), review: request.hint });
      history.push(developerMessage(REVIEW_GUIDELINES));
      const context = environmentContext(settings, null);
      if (context !== null) history.push(userTextMessage(context));
      history.push(userTextMessage(request.prompt));
      if (thread.preview === "") thread.preview = request.prompt;
      await items.complete({ type: "userMessage", id: uuidv7(), clientId: null, content: [{ type: "text", text: request.prompt, text_elements: [] }] });
    },
    async end(lastMessage, items) {
      const text = reviewText(lastMessage);
      await close(items, reviewResultMessage(text), text, text);
    },
    interrupted(items) {
      return close(items, userTextMessage(INTERRUPTED_ACTION), FAILED, INTERRUPTED);
    },
  };
}
