// A turn on the Chat Completions wire (`wire_api = "chat"`) on the real daemon: the model's text and a
// tool call arrive as chat chunks (the call's arguments in fragments), the command runs, and the next
// request carries the call and its output as chat messages. apply_patch is offered as a function.
import { afterEach, describe, expect, it } from "vitest";
import { chatFinish, chatSse, chatText, chatToolCall, chatUsage, startMockChat, type MockChat } from "../helpers/mockChat.js";
import { isNotification } from "../helpers/protocol.js";
import { startSession, type Session } from "../helpers/session.js";
import type { Json } from "../helpers/daemon.js";

let session: Session | undefined;
let chat: MockChat | undefined;
afterEach(async () => {
  await session?.stop();
  await chat?.close();
  session = undefined;
  chat = undefined;
});

function chatConfig(baseUrl: string): string {
  return `model = "qwen3-coder"
model_provider = "local"
approval_policy = "never"
sandbox_mode = "read-only"

[model_providers.local]
name = "local"
base_url = "${baseUrl}"
wire_api = "chat"
request_max_retries = 0
stream_max_retries = 0
`;
}

describe("chat wire", () => {
  it("runs a turn with a tool call", async () => {
    chat = await startMockChat([
      chatSse(
        chatText("Let me ", "check."),
        chatToolCall(0, "call_echo", "shell_command", JSON.stringify({ command: "echo chat-wire", login: false })),
        chatFinish("tool_calls"),
        chatUsage(120, 15),
      ),
      chatSse(chatText("It printed ", "chat-wire."), chatFinish("stop"), chatUsage(160, 6, 100)),
    ]);
    const mock = chat;
    session = await startSession({ config: () => chatConfig(mock.baseUrl) });
    const s = session;
    const { thread } = await s.result("thread/start", { cwd: s.daemon.home.base });
    const from = s.daemon.messages.length;
    await s.result("turn/start", { threadId: thread.id, input: [{ type: "text", text: "run echo", text_elements: [] }] });
    const done = await s.notification("turn/completed", (p) => p.threadId === thread.id, from);
    expect(done.params.turn.status).toBe("completed");

    const completed = s.daemon.messages
      .slice(from)
      .filter(isNotification("item/completed"))
      .map((m) => m.params.item);
    expect(completed.map((i) => i.type)).toEqual(["userMessage", "agentMessage", "commandExecution", "agentMessage"]);
    expect(completed[1]).toMatchObject({ text: "Let me check." });
    expect(completed[2]).toMatchObject({ status: "completed", exitCode: 0, aggregatedOutput: "chat-wire\n" });
    expect(completed[3]).toMatchObject({ text: "It printed chat-wire." });
    const deltas = s.daemon.messages
      .slice(from)
      .filter(isNotification("item/agentMessage/delta"))
      .map((m) => m.params.delta);
    expect(deltas).toEqual(["Let me ", "check.", "It printed ", "chat-wire."]);
    const usage = s.daemon.messages
      .slice(from)
      .filter(isNotification("thread/tokenUsage/updated"))
      .map((m) => m.params.tokenUsage.last);
    expect(usage.at(-1)).toMatchObject({ inputTokens: 160, cachedInputTokens: 100, outputTokens: 6, totalTokens: 166 });

    expect(mock.requests.map((r) => r.path)).toEqual(["/v1/chat/completions", "/v1/chat/completions"]);
    const first = mock.requests[0]?.body as { tools: Json[]; messages: Json[]; stream: boolean };
    expect(first.stream).toBe(true);
    expect(first.tools.map((t) => t["type"])).not.toContain("custom");
    expect(first.tools.find((t) => t["name"] === "apply_patch")).toMatchObject({ type: "function", function: { name: "apply_patch" } });
    const second = (mock.requests[1]?.body as { messages: Json[] }).messages;
    const assistant = second.find((m) => m["role"] === "assistant") as { content: string; tool_calls: Json[] };
    expect(assistant.content).toBe("Let me check.");
    expect(assistant.tool_calls).toEqual([
      { id: "call_echo", type: "function", function: { name: "shell_command", arguments: '{"command":"echo chat-wire","login":false}' } },
    ]);
    const tool = second.at(-1) as { role: string; tool_call_id: string; content: string };
    expect(tool).toMatchObject({ role: "tool", tool_call_id: "call_echo" });
    expect(tool.content).toContain("chat-wire");
    expect(second.filter((m) => m["role"] === "developer")).toEqual([]);
    s.checkWire();
  });
});
