// request_user_input against a stand-in client: the server request's params, the waiting flag, the
// answer as the tool output, and what the model is told when nobody answers.
import { describe, expect, it } from "vitest";
import type { ThreadStatus } from "../../../protocol/v2/index.js";
import { createLogger } from "../../log.js";
import { ServerRequestBroker } from "../threads/serverRequestBroker.js";
import { ServerRequestAbandoned, type ClientSink, type ServerRequestOptions } from "../ports.js";
import { requestUserInputTool } from "./requestUserInput.js";
import type { ToolContext } from "./toolTypes.js";

type Sent = { method: string; params: unknown };

function fakeThread(answer: (method: string, params: unknown) => Promise<unknown>, closed = false) {
  const notes: Sent[] = [];
  const requests: Sent[] = [];
  const statuses: ThreadStatus[] = [];
  const client: ClientSink = {
    session: { connectionId: 1, transport: "stdio", initialized: true, clientInfo: null, experimentalApi: true, optOutNotificationMethods: new Set() },
    closed,
    notify: (method, params) => void notes.push({ method, params }),
    request(method: string, params: unknown, options?: ServerRequestOptions) {
      requests.push({ method, params });
      options?.onSent?.(7);
      return answer(method, params);
    },
    onClose: () => undefined,
  };
  const thread = {
    id: "t1",
    subscribers: new Set([client]),
    status: { type: "active", activeFlags: [] } as ThreadStatus,
    setStatus(s: ThreadStatus) {
      this.status = s;
      statuses.push(s);
    },
    emit: () => undefined,
  };
  return { thread, notes, requests, statuses };
}

function ctx(thread: unknown, signal = new AbortController().signal): ToolContext {
  return { thread, turnId: "turn1", signal } as unknown as ToolContext;
}

const call = (args: unknown) => ({ kind: "function" as const, name: "request_user_input", callId: "call_1", input: JSON.stringify(args) });
const question = {
  id: "color",
  header: "Color",
  question: "Which color?",
  options: [
    { label: "Red (Recommended)", description: "Warm." },
    { label: "Blue", description: "Cool." },
  ],
};
const broker = () => new ServerRequestBroker({ log: createLogger("silent"), timeoutMs: () => null });

describe("request_user_input", () => {
  it("asks the client with 0.169's params, flags the thread while waiting, and returns the answer to the model", async () => {
    const f = fakeThread(() => Promise.resolve({ answers: { color: { answers: ["Blue", "user_note: dark"] } } }));
    const tool = requestUserInputTool({ broker: broker(), allowed: () => true });
    const out = await tool.run(call({ questions: [question] }), ctx(f.thread));
    expect(f.requests).toEqual([
      {
        method: "item/tool/requestUserInput",
        params: {
          threadId: "t1",
          turnId: "turn1",
          itemId: "call_1",
          questions: [{ ...question, isOther: true, isSecret: false }],
          isBlocking: true,
          autoResolutionMs: null,
        },
      },
    ]);
    expect(out).toEqual({ type: "function_call_output", call_id: "call_1", output: '{"answers":{"color":{"answers":["Blue","user_note: dark"]}}}' });
    expect(f.statuses).toEqual([
      { type: "active", activeFlags: ["waitingOnUserInput"] },
      { type: "active", activeFlags: [] },
    ]);
    expect(f.notes).toEqual([{ method: "serverRequest/resolved", params: { threadId: "t1", requestId: 7 } }]);
  });

  it("refuses without asking outside Plan mode, and questions without options", async () => {
    const f = fakeThread(() => Promise.reject(new Error("must not be asked")));
    const off = requestUserInputTool({ broker: broker(), allowed: () => false });
    expect((await off.run(call({ questions: [question] }), ctx(f.thread))).output).toBe("request_user_input is unavailable in Default mode");
    const on = requestUserInputTool({ broker: broker(), allowed: () => true });
    expect((await on.run(call({ questions: [{ ...question, options: [] }] }), ctx(f.thread))).output).toBe(
      "request_user_input requires non-empty options for every question",
    );
    expect((await on.run({ ...call({}), input: "{" }, ctx(f.thread))).output).toMatch(/^failed to parse function arguments/);
    expect(f.requests).toEqual([]);
  });

  it("tells the model when the only client disconnected or answered with an error or nonsense", async () => {
    const gone = fakeThread(() => Promise.reject(new ServerRequestAbandoned("item/tool/requestUserInput", "the connection is closed")), true);
    const tool = requestUserInputTool({ broker: broker(), allowed: () => true });
    expect((await tool.run(call({ questions: [question] }), ctx(gone.thread))).output).toBe("request_user_input failed: no client is connected to answer");
    const failing = fakeThread(() => Promise.reject(new Error("user closed the dialog")));
    expect((await tool.run(call({ questions: [question] }), ctx(failing.thread))).output).toBe("request_user_input failed: user closed the dialog");
    const nonsense = fakeThread(() => Promise.resolve({ answers: "blue" }));
    expect((await tool.run(call({ questions: [question] }), ctx(nonsense.thread))).output).toMatch(/not a valid response/);
  });

  it("resolves as aborted when the turn is interrupted while waiting", async () => {
    const abort = new AbortController();
    const f = fakeThread(
      (_m, _p) =>
        new Promise((_resolve, reject) =>
          abort.signal.addEventListener("abort", () => reject(new ServerRequestAbandoned("item/tool/requestUserInput", "cancelled"))),
        ),
    );
    const tool = requestUserInputTool({ broker: broker(), allowed: () => true });
    const pending = tool.run(call({ questions: [question] }), ctx(f.thread, abort.signal));
    abort.abort();
    expect((await pending).output).toBe("aborted");
    expect(f.statuses.at(-1)).toEqual({ type: "active", activeFlags: [] });
  });
});
