// The demo provider end to end through the real ResponsesClient: the three situations of the built-in
// script, the shell tool chosen from the request's tools, custom script files, and the host that
// fills in the built-in provider's base_url.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { builtInProviders, providerFromToml, type ModelProviderInfo } from "../config/providers.js";
import { DemoProviderHost, demoEvents, DEFAULT_DEMO_SCRIPT, startDemoServer, viewRequest, type DemoServer } from "./demoServer.js";
import { ResponsesClient } from "./responsesClient.js";
import type { ModelEvent, ModelRequest, ResponseItem } from "./types.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function demo(scriptPath?: string): Promise<DemoServer> {
  const server = await startDemoServer({ chunkDelayMs: 0, ...(scriptPath ? { scriptPath } : {}) });
  cleanups.push(() => server.close());
  return server;
}

function demoProvider(baseUrl: string | null = null): ModelProviderInfo {
  const p = builtInProviders({}, null)["demo"] as ModelProviderInfo;
  return { ...p, baseUrl };
}

const user = (text: string): ResponseItem => ({ type: "message", role: "user", content: [{ type: "input_text", text }] });
const envContext = user("<environment_context>\n  <cwd>/tmp/x</cwd>\n</environment_context>");
const toolsNamed = (...names: string[]) => names.map((name) => ({ type: "function", name, parameters: { type: "object", properties: {} } }));

function request(input: ResponseItem[], tools: unknown[] = toolsNamed("exec_command", "write_stdin")): ModelRequest {
  return {
    model: "gpt-5.5",
    instructions: "",
    input,
    tools,
    parallelToolCalls: true,
    reasoning: { summary: "auto" },
    include: [],
    promptCacheKey: "t1",
    threadId: "t1",
  };
}

async function run(p: ModelProviderInfo, req: ModelRequest): Promise<ModelEvent[]> {
  const out: ModelEvent[] = [];
  // No env_key: the demo needs no credential, so an empty env must work.
  for await (const ev of new ResponsesClient(p, { env: {}, userAgent: "t" }).stream(req, new AbortController().signal)) out.push(ev);
  return out;
}

const doneItems = (events: ModelEvent[]) => events.flatMap((e) => (e.type === "outputItemDone" ? [e.item] : []));
const text = (events: ModelEvent[]) => events.flatMap((e) => (e.type === "outputTextDelta" ? [e.delta] : [])).join("");

describe("demo provider (built-in script)", () => {
  it("runs a whole turn: reasoning + ls, then a streamed summary of the output, then short replies", async () => {
    const server = await demo();
    const p = demoProvider(server.baseUrl);
    const history: ResponseItem[] = [envContext, user("what is in this folder?")];

    const first = await run(p, request(history));
    expect(first[0]).toEqual({ type: "created" });
    expect(first.some((e) => e.type === "reasoningSummaryTextDelta")).toBe(true);
    const [reasoning, call] = doneItems(first);
    expect(reasoning?.type).toBe("reasoning");
    expect(call).toMatchObject({ type: "function_call", name: "exec_command" });
    expect(JSON.parse((call as { arguments: string }).arguments)).toMatchObject({ cmd: "ls" });
    expect(first.at(-1)?.type).toBe("completed");

    history.push(...doneItems(first), {
      type: "function_call_output",
      call_id: (call as { call_id: string }).call_id,
      output: "Chunk ID: ab12\nWall time: 0.0 seconds\nProcess exited with code 0\nOriginal token count: 5\nOutput:\nREADME.md\nsrc\n",
    });
    const second = await run(p, request(history));
    const deltas = second.filter((e) => e.type === "outputTextDelta");
    expect(deltas.length).toBeGreaterThan(1);
    expect(text(second)).toContain("```\nREADME.md\nsrc\n```");
    expect(text(second)).not.toContain("Chunk ID");
    const [answer] = doneItems(second);
    expect(answer).toMatchObject({ type: "message", role: "assistant", content: [{ type: "output_text", text: text(second) }] });

    history.push(...doneItems(second), user("thanks!"));
    const third = await run(p, request(history));
    expect(text(third)).toContain("\u201cthanks!\u201d");
    expect(doneItems(third).map((i) => i.type)).toEqual(["message"]);
  });

  it("uses the shell tool the request offers", async () => {
    const server = await demo();
    const p = demoProvider(server.baseUrl);
    const argsFor = async (tools: unknown[]) => {
      const call = doneItems(await run(p, request([user("hi")], tools))).find((i) => i.type === "function_call");
      return call && call.type === "function_call" ? [call.name, JSON.parse(call.arguments) as unknown] : null;
    };
    expect(await argsFor(toolsNamed("shell_command", "update_plan"))).toEqual(["shell_command", { command: "ls" }]);
    expect(await argsFor(toolsNamed("shell"))).toEqual(["shell", { command: ["bash", "-lc", "ls"] }]);
    expect(await argsFor([])).toBeNull();
    expect(text(await run(p, request([user("hi")], [])))).toContain("offers no shell tool");
  });

  it("answers by the input history alone, so a retried request gets the same answer", () => {
    const body = { input: [envContext, user("hello")], tools: toolsNamed("exec_command") };
    expect(viewRequest(body)).toMatchObject({ situation: "firstUserMessage", userText: "hello", toolNames: ["exec_command"] });
    expect(demoEvents(DEFAULT_DEMO_SCRIPT, body, 1).events).toEqual(demoEvents(DEFAULT_DEMO_SCRIPT, body, 1).events);
    expect(viewRequest({ input: [{ type: "message", role: "assistant", content: [] }, user("again")] }).situation).toBe("userMessage");
    expect(viewRequest({ input: [{ type: "custom_tool_call_output", call_id: "c", output: "Success." }] })).toMatchObject({
      situation: "toolOutput",
      toolOutput: "Success.",
    });
  });

  it("answers 404 off the Responses path", async () => {
    const server = await demo();
    const res = await fetch(server.baseUrl + "/models");
    expect(res.status).toBe(404);
  });
});

describe("demo script files", () => {
  async function scriptFile(content: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), "demo-script-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const path = join(dir, "script.json");
    await writeFile(path, content);
    return path;
  }

  it("serves a custom script", async () => {
    const path = await scriptFile(
      JSON.stringify({
        rules: [
          {
            when: "any",
            items: [
              { type: "message", text: "custom: {{userText}}", deltas: 2 },
              { type: "custom_tool_call", name: "apply_patch", input: "*** Begin Patch\n*** End Patch" },
            ],
          },
        ],
      }),
    );
    const server = await demo(path);
    const events = await run(demoProvider(server.baseUrl), request([user("yo")]));
    expect(text(events)).toBe("custom: yo");
    expect(doneItems(events).map((i) => i.type)).toEqual(["message", "custom_tool_call"]);
  });

  it("refuses an invalid script with a message naming the file", async () => {
    const path = await scriptFile(JSON.stringify({ rules: [{ when: "sometimes", items: [] }] }));
    await expect(startDemoServer({ scriptPath: path })).rejects.toThrow(`the demo script ${path} is invalid`);
    await expect(startDemoServer({ scriptPath: path + ".missing" })).rejects.toThrow("cannot read the demo script");
  });
});

describe("DemoProviderHost", () => {
  it("fills in the built-in demo provider's base_url with one lazily started server and leaves other providers alone", async () => {
    const host = new DemoProviderHost({ chunkDelayMs: 0 });
    cleanups.push(() => host.close());
    const other = providerFromToml("mine", { name: "mine", base_url: "http://127.0.0.1:1/v1" });
    expect(await host.resolve(other)).toBe(other);
    const a = await host.resolve(demoProvider());
    const b = await host.resolve(demoProvider());
    expect(a.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(b.baseUrl).toBe(a.baseUrl);
    const events = await run(a, request([user("hi")]));
    expect(events.at(-1)?.type).toBe("completed");
    // A user-defined provider that happens to be called "demo" is an ordinary provider.
    const userDemo = providerFromToml("demo", { name: "my demo", base_url: "http://127.0.0.1:2/v1" });
    expect(await host.resolve(userDemo)).toBe(userDemo);
  });

  it("an unresolved demo provider fails with a message that says what to do", async () => {
    const err = await run(demoProvider(), request([user("hi")])).catch((e: unknown) => e);
    expect(String(err)).toContain("DemoProviderHost");
  });
});
