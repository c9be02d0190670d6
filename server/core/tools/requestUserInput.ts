// request_user_input: the model asks the user one to three multiple-choice questions; the question set
// goes to a subscribed client as the `item/tool/requestUserInput` server request and the client's answer
// goes back to the model as the call's output.
//
// Observed on 0.169 (gpt-5.5, conformance mock):
// - offered to the unified-exec families, after write_stdin, with the spec below (also to a review turn);
// - in Default collaboration mode the call is refused without asking: output
//   "request_user_input is unavailable in Default mode" (features.default_mode_request_user_input
//   lifts that); in Plan mode (turn/start `collaborationMode`, kept by later turns) it asks;
// - a question with empty options: "request_user_input requires non-empty options for every question";
// - params: {threadId, turnId, itemId: the call_id, questions[] with isOther: true, isSecret: false,
//   isBlocking: true, autoResolutionMs: null}; no thread item is emitted for the call;
// - while pending the thread is active with `waitingOnUserInput`; the answer is followed by
//   serverRequest/resolved and the flag cleared;
// - the model gets the client's response serialized: `{"answers":{"color":{"answers":["Blue"]}}}`;
// - turn/interrupt while pending: turn/completed (interrupted), then serverRequest/resolved.
import { ToolRequestUserInputResponse, type ToolRequestUserInputParams, type ToolRequestUserInputQuestion } from "../../../protocol/v2/toolCall.js";
import type { ServerRequestBroker } from "../threads/serverRequestBroker.js";
import { functionOutput, parseToolArgs, type Tool } from "./toolTypes.js";

export const REQUEST_USER_INPUT = "request_user_input";

const SPEC = {
  type: "function",
  name: REQUEST_USER_INPUT,
  description: "Request user input for one to three short questions and wait for the response. This tool is only available in Plan mode.",
  strict: false,
  parameters: {
    type: "object",
    properties: {
      questions: {
        type: "array",
        description: "Questions to show the user. Prefer 1 and do not exceed 3",
        items: {
          type: "object",
          properties: {
            header: { type: "string", description: "Short header label shown in the UI (12 or fewer chars)." },
            id: { type: "string", description: "Stable identifier for mapping answers (snake_case)." },
            options: {
              type: "array",
              description:
                'Provide 2-3 mutually exclusive choices. Put the recommended option first and suffix its label with "(Recommended)". Do not include an "Other" option in this list; the client will add a free-form "Other" option automatically.',
              items: {
                type: "object",
                properties: {
                  description: { type: "string", description: "One short sentence explaining impact/tradeoff if selected." },
                  label: { type: "string", description: "User-facing label (1-5 words)." },
                },
                required: ["label", "description"],
                additionalProperties: false,
              },
            },
            question: { type: "string", description: "Single-sentence prompt shown to the user." },
          },
          required: ["id", "header", "question", "options"],
          additionalProperties: false,
        },
      },
    },
    required: ["questions"],
    additionalProperties: false,
  },
} as const;

export interface RequestUserInputDeps {
  readonly broker: ServerRequestBroker;
  /** True when the thread's collaboration mode (or a feature) lets the model ask. */
  readonly allowed: () => boolean;
}

function parseQuestions(input: string): ToolRequestUserInputQuestion[] | string {
  const parsed = parseToolArgs(input);
  if (typeof parsed === "string") return parsed;
  const questions = parsed["questions"];
  if (!Array.isArray(questions)) return "failed to parse function arguments: missing field `questions`";
  const out: ToolRequestUserInputQuestion[] = [];
  for (const q of questions as unknown[]) {
    const o = (q ?? {}) as Record<string, unknown>;
    if (typeof o.id !== "string" || typeof o.header !== "string" || typeof o.question !== "string") {
      return "failed to parse function arguments: each question needs an id, a header and a question";
    }
    const options = Array.isArray(o.options) ? (o.options as unknown[]) : [];
    if (options.length === 0) return "request_user_input requires non-empty options for every question";
    const opts = options.map((x) => {
      const e = (x ?? {}) as Record<string, unknown>;
      return { label: typeof e.label === "string" ? e.label : "", description: typeof e.description === "string" ? e.description : "" };
    });
    // The client adds its free-form "Other" choice; nothing the model asks for is secret.
    out.push({ id: o.id, header: o.header, question: o.question, isOther: true, isSecret: false, options: opts });
  }
  return out;
}

export function requestUserInputTool(deps: RequestUserInputDeps): Tool {
  return {
    name: REQUEST_USER_INPUT,
    spec: SPEC,
    async run(call, ctx) {
      if (!deps.allowed()) return functionOutput(call, "request_user_input is unavailable in Default mode");
      const questions = parseQuestions(call.input);
      if (typeof questions === "string") return functionOutput(call, questions);
      const params: ToolRequestUserInputParams = {
        threadId: ctx.thread.id,
        turnId: ctx.turnId,
        itemId: call.callId,
        questions,
        isBlocking: true,
        autoResolutionMs: null,
      };
      const answer = await deps.broker.ask(ctx.thread, "item/tool/requestUserInput", params, ctx.signal, { waitingFlag: "waitingOnUserInput" });
      switch (answer.kind) {
        case "answered": {
          const parsed = ToolRequestUserInputResponse.safeParse(answer.result);
          if (!parsed.success) return functionOutput(call, "request_user_input failed: the client's answer is not a valid response");
          return functionOutput(call, JSON.stringify({ answers: parsed.data.answers }));
        }
        case "aborted":
          // The turn was interrupted; the runner replaces this output with "aborted".
          return functionOutput(call, "aborted");
        case "failed":
          return functionOutput(call, `request_user_input failed: ${answer.message}`);
        case "disconnected":
          return functionOutput(call, "request_user_input failed: no client is connected to answer");
        case "timedOut":
          return functionOutput(call, `request_user_input timed out after ${answer.timeoutMs} ms`);
      }
    },
  };
}
