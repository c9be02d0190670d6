// The test mock itself: what it records and how script entries are consumed. The client's behaviour
// against it is covered in server/core/model/responsesClient.test.ts.
import { afterEach, describe, expect, it } from "vitest";
import { evMessage, httpError, startMockResponses, turn, type MockResponses } from "./mockResponses.js";

let mock: MockResponses | null = null;
afterEach(async () => {
  await mock?.close();
  mock = null;
});

describe("mockResponses", () => {
  it("records requests with headers and parsed bodies, consumes the script in order, then falls back", async () => {
    mock = await startMockResponses({ script: [httpError(418, "teapot"), (req) => turn(evMessage("m", `seen ${String(req.body?.["model"])}`))] });
    const post = (body: unknown) =>
      fetch(`${mock?.baseUrl}/responses`, { method: "POST", headers: { "content-type": "application/json", "x-test": "1" }, body: JSON.stringify(body) });
    const first = await post({ model: "a" });
    expect([first.status, await first.text()]).toEqual([418, "teapot"]);
    const second = await (await post({ model: "b" })).text();
    expect(second).toContain("seen b");
    const third = await (await post({ model: "c" })).text();
    expect(third).toContain("mock: no more scripted responses");
    await mock.waitForRequests(3);
    expect(mock.responsesRequests().map((r) => [r.body?.["model"], r.action, r.headers["x-test"]])).toEqual([
      ["a", "status", "1"],
      ["b", "sse", "1"],
      ["c", "sse", "1"],
    ]);
    expect(mock.remaining()).toBe(0);
  });

  it("answers 404 elsewhere and records it apart from the model requests", async () => {
    mock = await startMockResponses();
    expect((await fetch(`${mock.baseUrl}/models`)).status).toBe(404);
    expect(mock.requests).toHaveLength(1);
    expect(mock.responsesRequests()).toHaveLength(0);
  });
});
