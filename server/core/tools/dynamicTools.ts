// Dynamic tools: functions a client declares at thread/start (`dynamicTools`). The model is offered
// them beside the built-in tools; its call becomes a `dynamicToolCall` item and the `item/tool/call`
// server request to a subscribed client, whose answer goes back to the model as the call's output.
//
// Observed on 0.169 (gpt-5.5, conformance mock):
// - Responses specs: a function is {type:"function", name, description, strict:false, parameters:
//   inputSchema}; a namespace is {type:"namespace", name, description, tools:[those functions]};
//   offered after the built-in tools;
// - item/started dynamicToolCall {id: call_id, namespace, tool, arguments (parsed JSON), status:
//   "inProgress", contentItems: null, success: null, durationMs: null}, then the request
//   {threadId, turnId, callId, namespace, tool, arguments}; no thread status flag and no
//   serverRequest/resolved for it;
// - answer {contentItems:[{type:"inputText",text}], success:true}: item completed with those
//   contentItems, success and durationMs; the model gets the text as a plain output string;
// - a JSON-RPC error answer: item `failed`, contentItems [{inputText "dynamic tool request failed"}],
//   success false, and the model gets "dynamic tool request failed".
import type { ThreadItem } from "../../../protocol/v2/shared.js";
import type { DynamicToolSpec } from "../../../protocol/v2/thread.js";
import { DynamicToolCallResponse, type DynamicToolCallOutputContentItem } from "../../../protocol/v2/toolCall.js";
import type { ServerRequestBroker } from "../threads/serverRequestBroker.js";
import { functionOutput, type Tool, type ToolCall, type ToolOutput } from "./toolTypes.js";

const REQUEST_FAILED = "dynamic tool request failed";

type FunctionSpec = { name: string; description: string; inputSchema: unknown };

function functionSpec(t: FunctionSpec): Record<string, unknown> {
  return { type: "function", name: t.name, description: t.description, strict: false, parameters: t.inputSchema ?? { type: "object", properties: {} } };
}

/** The Responses `tools` entries for the client's declarations, in its order. */
export function dynamicToolSpecs(specs: readonly DynamicToolSpec[]): Record<string, unknown>[] {
  return specs.map((s) =>
    s.type === "function" ? functionSpec(s) : { type: "namespace", name: s.name, description: s.description, tools: s.tools.map(functionSpec) },
  );
}

/** The router key of a call: a namespaced tool is `namespace/name`. */
export function dynamicToolKey(namespace: string | null | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/** What the model reads back: one text as a plain string (as observed), anything else as content items. */
function modelOutput(call: ToolCall, items: readonly DynamicToolCallOutputContentItem[]): ToolOutput {
  if (items.every((i) => i.type === "inputText")) return functionOutput(call, items.map((i) => (i.type === "inputText" ? i.text : "")).join("\n"));
  const content = items.map((i) =>
    i.type === "inputText"
      ? { type: "input_text" as const, text: i.text }
      : i.type === "inputImage"
        ? { type: "input_image" as const, image_url: i.imageUrl }
        : { type: "input_text" as const, text: i.audioUrl },
  );
  return { type: "function_call_output", call_id: call.callId, output: content };
}

function parseArguments(input: string): unknown {
  try {
    return JSON.parse(input || "{}");
  } catch {
    // The client still hears about the call; the raw text is all there is.
    return input;
  }
}

export interface DynamicToolsDeps {
  readonly broker: ServerRequestBroker;
}

/** One Tool per declared function (namespace members under `namespace/name`). */
export function dynamicTools(specs: readonly DynamicToolSpec[], deps: DynamicToolsDeps): Tool[] {
  type Entry = { namespace: string | null; fn: FunctionSpec };
  const flat = specs.flatMap((s): Entry[] => (s.type === "function" ? [{ namespace: null, fn: s }] : s.tools.map((fn) => ({ namespace: s.name, fn }))));
  return flat.map(({ namespace, fn }) => ({
    name: dynamicToolKey(namespace, fn.name),
    // Namespace members are offered inside their namespace's entry (dynamicToolSpecs), not alone.
    spec: functionSpec(fn),
    async run(call, ctx) {
      const args = parseArguments(call.input);
      const base = { type: "dynamicToolCall" as const, id: call.callId, namespace, tool: fn.name, arguments: args };
      const started = Date.now();
      const done = (status: "completed" | "failed", contentItems: DynamicToolCallOutputContentItem[] | null, success: boolean | null): ThreadItem => ({
        ...base,
        status,
        contentItems,
        success,
        durationMs: Date.now() - started,
      });
      ctx.items.start({ ...base, status: "inProgress", contentItems: null, success: null, durationMs: null }, () => done("failed", null, null));
      const answer = await deps.broker.ask(
        ctx.thread,
        "item/tool/call",
        { threadId: ctx.thread.id, turnId: ctx.turnId, callId: call.callId, namespace, tool: fn.name, arguments: args },
        ctx.signal,
        { waitingFlag: null, announceResolved: false },
      );
      if (answer.kind === "aborted") return functionOutput(call, "aborted");
      const parsed = answer.kind === "answered" ? DynamicToolCallResponse.safeParse(answer.result) : null;
      if (!parsed?.success) {
        const failure: DynamicToolCallOutputContentItem[] = [{ type: "inputText", text: REQUEST_FAILED }];
        await ctx.items.complete(done("failed", failure, false));
        return functionOutput(call, REQUEST_FAILED);
      }
      const { contentItems, success } = parsed.data;
      await ctx.items.complete(done(success ? "completed" : "failed", contentItems, success));
      return modelOutput(call, contentItems);
    },
  }));
}
