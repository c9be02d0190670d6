// The offline demo model: a loopback HTTP server that speaks the Responses SSE wire and answers from a
// canned script, so `model_provider = "demo"` runs a real turn (reasoning, a shell command, a streamed
// answer) with no API key and no network. The daemon talks to it through the ordinary ResponsesClient,
// so the demo exercises the same code path as a real provider.
//
// The script is a list of rules matched against the request, not a queue: the answer depends only on
// the input history (first user message, a tool output to summarise, a later user message). That way a
// retried or resumed turn gets the same answer, and several threads can share one server.
//
// Script file (JSON): {"rules":[{"when":"firstUserMessage"|"toolOutput"|"userMessage"|"any",
//   "items":[…], "chunkDelayMs"?: n}], "chunkDelayMs"?: n}, or just the rules array. Items use the
// conformance mock's vocabulary: {"type":"message","text","deltas"?}, {"type":"reasoning","summary":[…]},
// {"type":"shell","command"} (sent as exec_command, shell_command or shell, whichever the request
// offers), {"type":"function_call","name","arguments"}, {"type":"custom_tool_call","name","input"}.
// Texts may use {{userText}} (the latest user message) and {{toolOutput}} (the latest tool output,
// without the tool's header lines, at most 40 lines).
import { readFile } from "node:fs/promises";
import http from "node:http";
import * as z from "zod";
import type { Logger } from "../../log.js";
import { isDemoProvider, type ModelProviderInfo } from "../config/providers.js";
import { evCompleted, evCreated, evCustomToolCall, evFunctionCall, evMessage, evReasoning, sseFrame, type SseEvent } from "./sseEvents.js";
import { listenOnLoopback } from "./loopback.js";

const ScriptItem = z.discriminatedUnion("type", [
  z.object({ type: z.literal("message"), text: z.string(), deltas: z.int().min(1).optional() }),
  z.object({ type: z.literal("reasoning"), summary: z.array(z.string()) }),
  z.object({ type: z.literal("shell"), command: z.string() }),
  z.object({ type: z.literal("function_call"), name: z.string(), arguments: z.union([z.string(), z.record(z.string(), z.unknown())]) }),
  z.object({ type: z.literal("custom_tool_call"), name: z.string(), input: z.string() }),
]);
export type DemoScriptItem = z.infer<typeof ScriptItem>;

const Rule = z.object({
  when: z.enum(["firstUserMessage", "toolOutput", "userMessage", "any"]),
  items: z.array(ScriptItem).min(1),
  chunkDelayMs: z.int().min(0).optional(),
});
export type DemoRule = z.infer<typeof Rule>;

const Script = z.union([
  z.object({ rules: z.array(Rule), chunkDelayMs: z.int().min(0).optional() }),
  z.array(Rule).transform((rules) => ({ rules, chunkDelayMs: undefined })),
]);
export interface DemoScript {
  rules: DemoRule[];
  /** Pause between SSE events, so the demo visibly streams. */
  chunkDelayMs?: number | undefined;
}

export const DEFAULT_DEMO_SCRIPT: DemoScript = {
  chunkDelayMs: 15,
  rules: [
    {
      when: "toolOutput",
      items: [
        {
          type: "message",
          deltas: 8,
          text:
            "Here is what `ls` shows in the working directory:\n\n```\n{{toolOutput}}\n```\n\n" +
            "This answer came from Gatehouse's offline demo provider, a scripted model on loopback: no API key was used " +
            "and nothing left this machine. Set `model_provider` in config.toml to a real provider to talk to a model.",
        },
      ],
    },
    {
      when: "firstUserMessage",
      items: [
        { type: "reasoning", summary: ["**Looking around**\n\nBefore answering, I'll list the working directory to see what is there."] },
        { type: "shell", command: "ls" },
      ],
    },
    {
      when: "userMessage",
      items: [
        {
          type: "message",
          deltas: 4,
          text: "(demo) You said: \u201c{{userText}}\u201d. I'm the offline demo model, so I only know one trick: start a new thread and I'll list its working directory.",
        },
      ],
    },
  ],
};

export async function loadDemoScript(path: string): Promise<DemoScript> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new Error(`cannot read the demo script ${path}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`the demo script ${path} is not JSON: ${(e as Error).message}`);
  }
  const parsed = Script.safeParse(json);
  if (!parsed.success) throw new Error(`the demo script ${path} is invalid: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .filter(isObj)
    .map((p) => (typeof p["text"] === "string" ? p["text"] : ""))
    .join("");
}

/** Context messages the engine adds as user messages; they are not what the user typed. */
function isContextMessage(text: string): boolean {
  const t = text.trimStart();
  return t.startsWith("<environment_context>") || t.startsWith("# AGENTS.md instructions") || t.startsWith("<user_instructions>") || t.startsWith("<skills");
}

/** The tool output as a person would read it: the command's output without exec_command/shell headers. */
function toolOutputText(output: unknown): string {
  let text = typeof output === "string" ? output : textOf(output);
  const marker = text.indexOf("Output:\n");
  if (marker >= 0) text = text.slice(marker + "Output:\n".length);
  const lines = text.replace(/\s+$/, "").split("\n");
  return lines.length > 40 ? [...lines.slice(0, 40), `… (${lines.length - 40} more lines)`].join("\n") : lines.join("\n");
}

export interface DemoRequestView {
  situation: "firstUserMessage" | "toolOutput" | "userMessage";
  userText: string;
  toolOutput: string;
  toolNames: string[];
}

/** What the request is asking for, from its input history alone. */
export function viewRequest(body: unknown): DemoRequestView {
  const input = isObj(body) && Array.isArray(body["input"]) ? body["input"].filter(isObj) : [];
  const tools = isObj(body) && Array.isArray(body["tools"]) ? body["tools"].filter(isObj) : [];
  const toolNames = tools.map((t) => (typeof t["name"] === "string" ? t["name"] : typeof t["type"] === "string" ? t["type"] : "")).filter(Boolean);
  let userText = "";
  for (const item of input) {
    if (item["type"] !== "message" || item["role"] !== "user") continue;
    const text = textOf(item["content"]);
    if (!isContextMessage(text)) userText = text;
  }
  const last = input.at(-1);
  if (last && (last["type"] === "function_call_output" || last["type"] === "custom_tool_call_output")) {
    return { situation: "toolOutput", userText, toolOutput: toolOutputText(last["output"]), toolNames };
  }
  const answeredBefore = input.some(
    (i) => i["type"] === "function_call" || i["type"] === "custom_tool_call" || (i["type"] === "message" && i["role"] === "assistant"),
  );
  return { situation: answeredBefore ? "userMessage" : "firstUserMessage", userText, toolOutput: "", toolNames };
}

function fill(template: string, view: DemoRequestView): string {
  return template.replaceAll("{{userText}}", view.userText).replaceAll("{{toolOutput}}", view.toolOutput);
}

/** The function call that runs `command` with whichever shell tool the request offers, or null. */
export function shellCallFor(command: string, toolNames: readonly string[]): { name: string; arguments: Json } | null {
  if (toolNames.includes("exec_command")) return { name: "exec_command", arguments: { cmd: command, yield_time_ms: 10_000 } };
  if (toolNames.includes("shell_command")) return { name: "shell_command", arguments: { command } };
  if (toolNames.includes("shell")) return { name: "shell", arguments: { command: ["bash", "-lc", command] } };
  return null;
}

/** The SSE events answering one request (exported for tests). */
export function demoEvents(script: DemoScript, body: unknown, seq: number): { events: SseEvent[]; chunkDelayMs: number } {
  const view = viewRequest(body);
  const rule = script.rules.find((r) => r.when === view.situation || r.when === "any");
  const respId = `resp_demo_${seq}`;
  const events: SseEvent[] = [evCreated(respId)];
  const items: DemoScriptItem[] = rule?.items ?? [{ type: "message", text: "(demo) The demo script has no answer for this request." }];
  items.forEach((item, n) => {
    const id = `${seq}_${n}`;
    switch (item.type) {
      case "message":
        events.push(...evMessage(`msg_demo_${id}`, fill(item.text, view), item.deltas ?? 3));
        break;
      case "reasoning":
        events.push(
          ...evReasoning(
            `rs_demo_${id}`,
            item.summary.map((s) => fill(s, view)),
          ),
        );
        break;
      case "shell": {
        const call = shellCallFor(item.command, view.toolNames);
        if (call) events.push(...evFunctionCall(`call_demo_${id}`, call.name, call.arguments, `fc_demo_${id}`));
        else events.push(...evMessage(`msg_demo_${id}`, `(demo) I would run \`${item.command}\`, but this request offers no shell tool.`));
        break;
      }
      case "function_call":
        events.push(...evFunctionCall(`call_demo_${id}`, item.name, item.arguments as string | Json, `fc_demo_${id}`));
        break;
      case "custom_tool_call":
        events.push(...evCustomToolCall(`call_demo_${id}`, item.name, item.input, `ctc_demo_${id}`));
        break;
    }
  });
  const inputTokens = Math.ceil(JSON.stringify(isObj(body) ? (body["input"] ?? []) : []).length / 4);
  const outputTokens = Math.ceil(JSON.stringify(events).length / 16);
  events.push(
    evCompleted(
      {
        input_tokens: inputTokens,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: outputTokens,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: inputTokens + outputTokens,
      },
      respId,
    ),
  );
  return { events, chunkDelayMs: rule?.chunkDelayMs ?? script.chunkDelayMs ?? 0 };
}

export interface DemoServerOptions {
  /** A JSON script file; the built-in script when absent. */
  scriptPath?: string;
  /** Overrides the script's pause between events (tests use 0). */
  chunkDelayMs?: number;
  log?: Logger;
}

export interface DemoServer {
  /** `http://127.0.0.1:PORT/v1`. */
  baseUrl: string;
  close(): Promise<void>;
}

export async function startDemoServer(opts: DemoServerOptions = {}): Promise<DemoServer> {
  const script = opts.scriptPath ? await loadDemoScript(opts.scriptPath) : DEFAULT_DEMO_SCRIPT;
  let seq = 0;
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://demo");
      if (req.method !== "POST" || (url.pathname !== "/v1/responses" && url.pathname !== "/responses")) {
        req.resume();
        res.writeHead(404, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: `the demo provider only serves POST /v1/responses, not ${req.method} ${url.pathname}` } }));
        return;
      }
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        res.writeHead(400, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: "the request body is not JSON", type: "invalid_request_error" } }));
        return;
      }
      const { events, chunkDelayMs } = demoEvents(script, body, ++seq);
      const delay = opts.chunkDelayMs ?? chunkDelayMs;
      opts.log?.debug({ seq, events: events.length }, "demo provider answering");
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      for (const ev of events) {
        if (res.destroyed) return;
        res.write(sseFrame(ev));
        if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      }
      res.end();
    })().catch((e: unknown) => {
      opts.log?.warn({ err: e }, "demo provider request failed");
      res.destroy();
    });
  });
  const listener = await listenOnLoopback(server);
  return {
    baseUrl: `http://127.0.0.1:${listener.port}/v1`,
    close: () => listener.close(),
  };
}

/**
 * Owns the daemon's one demo server: started on first use, shared by every thread, closed with the
 * daemon. `resolve` returns other providers unchanged, so the engine can call it for every turn.
 */
export class DemoProviderHost {
  private server: Promise<DemoServer> | null = null;

  constructor(private readonly opts: DemoServerOptions = {}) {}

  async resolve(info: ModelProviderInfo): Promise<ModelProviderInfo> {
    if (!isDemoProvider(info)) return info;
    if (!this.server) {
      this.server = startDemoServer(this.opts);
      // A failed start (bad script file) is reported to this turn and retried on the next one.
      const started = this.server;
      started.catch(() => {
        if (this.server === started) this.server = null;
      });
    }
    const { baseUrl } = await this.server;
    return { ...info, baseUrl };
  }

  async close(): Promise<void> {
    const pending = this.server;
    this.server = null;
    if (pending)
      await pending.then(
        (s) => s.close(),
        () => undefined,
      );
  }
}
