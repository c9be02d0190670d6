// Dynamic tools on the real daemon: tools a client declares at thread/start are offered to the model;
// the model's call becomes a dynamicToolCall item and the item/tool/call server request, and the
// client's answer (or its error) is what the model reads next (0.169's behaviour, observed against
// the conformance mock; see server/core/tools/dynamicTools.ts). The declarations survive an unload.
import { afterEach, describe, expect, it } from "vitest";
import type { Json } from "../helpers/daemon.js";
import { evFunctionCall, evMessage, turn, type SseEvent } from "../helpers/mockResponses.js";
import { isNotification, itemAs, type Params } from "../helpers/protocol.js";
import { startSession, type Session } from "../helpers/session.js";

let session: Session | undefined;
afterEach(async () => {
  await session?.stop();
  session = undefined;
});

const WEATHER_SCHEMA = { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false };
const DYNAMIC_TOOLS: NonNullable<Params<"thread/start">["dynamicTools"]> = [
  { type: "function", name: "lookup_weather", description: "Look up the weather for a city.", inputSchema: WEATHER_SCHEMA },
  {
    type: "namespace",
    name: "crm",
    description: "CRM tools.",
    tools: [
      {
        type: "function",
        name: "find_customer",
        description: "Find a customer.",
        inputSchema: { type: "object", properties: { q: { type: "string" } }, required: ["q"] },
      },
    ],
  },
];

/** A function call into a namespace, as the Responses API streams it. */
function evNamespacedCall(callId: string, namespace: string, name: string, args: Json): SseEvent[] {
  const item = { type: "function_call", id: `fc_${callId}`, status: "completed", namespace, name, arguments: JSON.stringify(args), call_id: callId };
  return [
    { type: "response.output_item.added", item: { ...item, status: "in_progress" } },
    { type: "response.output_item.done", item },
  ];
}

function outputFor(s: Session, callId: string): unknown {
  for (const r of s.mock.responsesRequests()) {
    const out = ((r.body?.["input"] ?? []) as Json[]).find((i) => i["type"] === "function_call_output" && i["call_id"] === callId);
    if (out) return out["output"];
  }
  return undefined;
}

describe("item/tool/call (dynamic tools)", () => {
  it("offers the client's tools, sends the model's calls to the client and its answers back to the model", async () => {
    session = await startSession({
      script: [
        turn(evFunctionCall("call_w", "lookup_weather", { city: "Oslo" })),
        turn(evNamespacedCall("call_c", "crm", "find_customer", { q: "Ann" })),
        turn(evMessage("m1", "done")),
        turn(evMessage("m2", "again")),
      ],
    });
    const s = session;
    const { thread } = await s.result("thread/start", { cwd: s.daemon.home.base, dynamicTools: DYNAMIC_TOOLS });
    const from = s.daemon.messages.length;
    const { turn: t } = await s.result("turn/start", { threadId: thread.id, input: [{ type: "text", text: "weather?", text_elements: [] }] });
    const toolCall = (callId: string) => s.serverRequest("item/tool/call", (p) => p.callId === callId, from);

    // A plain function: started item, the request, the answer, the completed item, the model's output.
    const weather = await toolCall("call_w");
    expect(weather.params).toEqual({
      threadId: thread.id,
      turnId: t.id,
      callId: "call_w",
      namespace: null,
      tool: "lookup_weather",
      arguments: { city: "Oslo" },
    });
    const isStarted = isNotification("item/started", (p) => p.item.id === "call_w");
    const started = s.daemon.messages.findIndex(isStarted);
    expect(started).toBeGreaterThanOrEqual(0);
    expect(started).toBeLessThan(s.daemon.messages.indexOf(weather));
    expect(s.daemon.messages.find(isStarted)?.params.item).toMatchObject({
      type: "dynamicToolCall",
      tool: "lookup_weather",
      namespace: null,
      status: "inProgress",
      contentItems: null,
      success: null,
    });
    s.respond(weather, { contentItems: [{ type: "inputText", text: "Sunny, 21C" }], success: true });
    const wDone = await s.notification("item/completed", (p) => p.item.id === "call_w", from);
    expect(wDone.params.item).toMatchObject({
      type: "dynamicToolCall",
      status: "completed",
      success: true,
      contentItems: [{ type: "inputText", text: "Sunny, 21C" }],
      arguments: { city: "Oslo" },
    });
    expect(typeof itemAs(wDone.params.item, "dynamicToolCall").durationMs).toBe("number");

    // A namespaced function answered with an error: a failed item, and the model is told.
    const crm = await toolCall("call_c");
    expect(crm.params).toMatchObject({ callId: "call_c", namespace: "crm", tool: "find_customer", arguments: { q: "Ann" } });
    // An error answer, which respond() (results only) does not send.
    const failure: Json = { id: crm.id, error: { code: -32000, message: "backend down" } };
    s.sent.push(failure);
    s.daemon.sendJson(failure);
    const cDone = await s.notification("item/completed", (p) => p.item.id === "call_c", from);
    expect(cDone.params.item).toMatchObject({
      status: "failed",
      success: false,
      namespace: "crm",
      contentItems: [{ type: "inputText", text: "dynamic tool request failed" }],
    });
    const done = await s.notification("turn/completed", (p) => p.turn.id === t.id, from);
    expect(done.params.turn.status).toBe("completed");

    expect(outputFor(s, "call_w")).toBe("Sunny, 21C");
    expect(outputFor(s, "call_c")).toBe("dynamic tool request failed");
    const offered = (s.mock.responsesRequests()[0]?.body?.["tools"] ?? []) as Json[];
    expect(offered.map((x) => x["name"])).toEqual(["exec_command", "write_stdin", "request_user_input", "apply_patch", "view_image", "lookup_weather", "crm"]);
    expect(offered[5]).toEqual({
      type: "function",
      name: "lookup_weather",
      description: "Look up the weather for a city.",
      strict: false,
      parameters: WEATHER_SCHEMA,
    });
    expect(offered[6]).toMatchObject({ type: "namespace", name: "crm", tools: [{ type: "function", name: "find_customer", strict: false }] });
    // No waiting flag and no serverRequest/resolved for these requests (as 0.169).
    expect(s.daemon.messages.slice(from).some((m) => m["method"] === "serverRequest/resolved")).toBe(false);
    expect(s.daemon.messages.slice(from).some((m) => JSON.stringify(m["params"] ?? {}).includes("waitingOn"))).toBe(false);

    // Unloaded and loaded again from its rollout, the thread still offers the client's tools.
    await s.result("thread/unsubscribe", { threadId: thread.id });
    await s.result("thread/resume", { threadId: thread.id });
    const again = s.daemon.messages.length;
    const { turn: t2 } = await s.result("turn/start", { threadId: thread.id, input: [{ type: "text", text: "again", text_elements: [] }] });
    await s.notification("turn/completed", (p) => p.turn.id === t2.id, again);
    const reoffered = ((s.mock.responsesRequests()[3]?.body?.["tools"] ?? []) as Json[]).map((x) => x["name"]);
    expect(reoffered).toContain("lookup_weather");
    expect(reoffered).toContain("crm");
    s.checkWire();
  });
});
