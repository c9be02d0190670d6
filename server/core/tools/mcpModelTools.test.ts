// MCP tools in 0.169's shapes, checked against what 0.169 sent and emitted (fixtures/, recorded with the
// conformance mock and probe MCP servers): names, schemas, specs, search text, outputs, cut outputs,
// thread items, approval prompts.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ToolOutputContent } from "../model/types.js";
import {
  AUDIO_OMITTED,
  MCP_MESSAGES,
  UnsupportedSchema,
  mcpApprovalAnswer,
  mcpApprovalDecision,
  mcpApprovalRequestParams,
  mcpCallCompleted,
  mcpCallFailed,
  mcpCallStarted,
  mcpErrorOutput,
  mcpFunctionSpec,
  mcpJsonRpcErrorMessage,
  mcpNamespaceSpecs,
  mcpProgressMessage,
  mcpResultOutput,
  mcpSearchText,
  mcpTimeoutMessage,
  mcpToolCallFailedMessage,
  modelToolNames,
  namespaceDescription,
  outputBudgetTokens,
  parseMcpArguments,
  resultForModel,
  sanitizeInputSchema,
  toolNeedsApproval,
  truncateOutputItems,
  truncateOutputText,
  unsupportedCallOutput,
  type McpCallIdentity,
  type McpCallToolResult,
  type McpToolDefinition,
} from "./mcpModelTools.js";

const fixture = <T>(name: string): T => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8")) as T;
const everything = fixture<{ instructions: string; tools: McpToolDefinition[] }>("mcp-everything-tools.json");
const schemas = fixture<{
  schemas: { tool: string; description?: string; inputSchema: Record<string, unknown>; parameters: unknown; specDescription: string | null }[];
}>("mcp-schemas-0.169.json");
type ObservedItem = {
  id: string;
  server: string;
  tool: string;
  status: string;
  arguments: unknown;
  readOnlyHint: boolean | null;
  result: { content: Record<string, unknown>[]; structuredContent: unknown; _meta: unknown } | null;
  error: { message: string } | null;
  durationMs: number;
};
const calls = fixture<{
  calls: { source: string; item: ObservedItem; output: ToolOutputContent }[];
  approvalRequests: { source: string; params: Record<string, unknown> }[];
  directNamespace: Record<string, unknown>;
  truncation: { args?: { n: number; line?: number; words?: number; items?: number }; structured?: { n: number }; limitTokens: number; output: unknown }[];
}>("mcp-calls-0.169.json");

const tool = (name: string, extra: Partial<McpToolDefinition> = {}): McpToolDefinition => ({ name, inputSchema: { type: "object" }, ...extra });
const call = (id: string): ObservedItem => {
  const found = calls.calls.find((c) => c.item.id === id);
  if (!found) throw new Error(`no observed call ${id}`);
  return found.item;
};
const observedOutput = (id: string): ToolOutputContent => calls.calls.find((c) => c.item.id === id)?.output ?? "";
const identity = (item: ObservedItem): McpCallIdentity => ({
  callId: item.id,
  server: item.server,
  tool: item.tool,
  arguments: item.arguments,
  readOnlyHint: item.readOnlyHint,
});
/** Wall times differ from run to run. */
const timeless = (o: ToolOutputContent): unknown => JSON.parse(JSON.stringify(o).replace(/Wall time: \d+\.\d{4} seconds/g, "Wall time: T seconds"));

describe("model names", () => {
  it("sanitizes server and tool names under mcp__ and sorts by server and raw name", () => {
    const named = modelToolNames([
      { server: "my-probe", tool: tool("get-sum") },
      { server: "my-probe", tool: tool("Weird.Name-with spaces") },
      { server: "alpha", tool: tool("b") },
      { server: "mcp__pre", tool: tool("x") },
    ]);
    expect(named.map((t) => [t.namespace, t.name])).toEqual([
      ["mcp__alpha", "b"],
      ["mcp__pre", "x"],
      ["mcp__my_probe", "Weird_Name_with_spaces"],
      ["mcp__my_probe", "get_sum"],
    ]);
  });

  it("tells apart names that sanitize alike with a 12-digit SHA-1 of the raw identity, within 128 bytes", () => {
    const named = modelToolNames([
      { server: "s", tool: tool("tool-name") },
      { server: "s", tool: tool("tool_name") },
      { server: "a-b", tool: tool("t") },
      { server: "a_b", tool: tool("t") },
      { server: "long", tool: tool("x".repeat(80)) },
      { server: "longer", tool: tool("y".repeat(130)) },
    ]);
    const sha = (s: string): string => createHash("sha1").update(s).digest("hex").slice(0, 12);
    expect(named.find((t) => t.tool.name === "tool-name")?.name).toBe(`tool_name_${sha("s\0s\0\0tool-name\0tool-name")}`);
    expect(named.find((t) => t.server === "a-b")?.namespace).toBe(`mcp__a_b_${sha("a-b\0a-b\0")}`);
    expect(new Set(named.map((t) => t.namespace + t.name)).size).toBe(6);
    // 0.169 keeps an 80-character name whole (observed); only a name past 128 bytes in all is cut and hashed.
    expect(named.find((t) => t.server === "long")?.name).toBe("x".repeat(80));
    expect(named.find((t) => t.server === "longer")?.name).toMatch(/^y+_[0-9a-f]{12}$/);
    for (const t of named) expect(t.namespace.length + t.name.length + 2).toBeLessThanOrEqual(128);
  });

  it("describes a namespace by the server's instructions or 0.169's stand-in", () => {
    expect(namespaceDescription("mcp__my_probe", "  Second probe instructions.  ")).toBe("Second probe instructions.");
    expect(namespaceDescription("mcp__probe", undefined)).toBe("Tools in the mcp__probe namespace.");
  });

  it("answers an unknown namespaced call as 0.169 does", () => {
    expect(unsupportedCallOutput("mcp__everything", "get-sum")).toBe("unsupported call: mcp__everythingget-sum");
  });
});

describe("specs", () => {
  it("reduces input schemas exactly as 0.169 did", () => {
    for (const s of schemas.schemas) {
      if (s.parameters === null) {
        expect(() => sanitizeInputSchema(s.inputSchema), s.tool).toThrow(UnsupportedSchema);
        continue;
      }
      expect([s.tool, JSON.stringify(sanitizeInputSchema(s.inputSchema))]).toEqual([s.tool, JSON.stringify(s.parameters)]);
      const [named] = modelToolNames([
        { server: "schema", tool: { name: s.tool, inputSchema: s.inputSchema, ...(s.description !== undefined ? { description: s.description } : {}) } },
      ]);
      if (named) expect(mcpFunctionSpec(named, { deferred: true })["description"]).toBe(s.specDescription);
    }
  });

  it("offers a model without tool_search one namespace per server, as 0.169 offered the everything server to o3", () => {
    const named = modelToolNames(everything.tools.map((t) => ({ server: "everything", tool: t, instructions: everything.instructions })));
    expect(JSON.stringify(mcpNamespaceSpecs(named))).toBe(JSON.stringify([calls.directNamespace]));
  });

  it("sorts namespaces and leaves out a tool 0.169 cannot represent", () => {
    const named = modelToolNames([
      { server: "zeta", tool: tool("a") },
      { server: "alpha", tool: tool("bad", { inputSchema: { type: "object", properties: { v: { type: "array", items: [{ type: "string" }] } } } }) },
      { server: "alpha", tool: tool("good", { description: "Good" }) },
    ]);
    expect(mcpNamespaceSpecs(named)).toEqual([
      {
        type: "namespace",
        name: "mcp__alpha",
        description: "Tools in the mcp__alpha namespace.",
        tools: [{ type: "function", name: "good", description: "Good", strict: false, parameters: { type: "object", properties: {} } }],
      },
      {
        type: "namespace",
        name: "mcp__zeta",
        description: "Tools in the mcp__zeta namespace.",
        tools: [{ type: "function", name: "a", description: "", strict: false, parameters: { type: "object", properties: {} } }],
      },
    ]);
  });

  it("searches a tool by its names, server, title, description, instructions and property names", () => {
    const [named] = modelToolNames([
      {
        server: "s-1",
        tool: tool("get-sum", { title: "Sum", description: " Adds ", inputSchema: { type: "object", properties: { b: {}, a: {} } } }),
        instructions: "Use it.",
      },
    ]);
    if (!named) throw new Error("no tool");
    expect(mcpSearchText(named)).toBe("mcp__s_1get_sum get_sum get-sum s-1 Sum Adds Use it. a b");
  });
});

describe("outputs and items", () => {
  it("gives the model 0.169's output and clients 0.169's item for each observed call", () => {
    const budget = outputBudgetTokens();
    for (const c of calls.calls) {
      const observed = c.item;
      const id = identity(observed);
      if (observed.result !== null) {
        const result: McpCallToolResult = {
          content: observed.result.content,
          structuredContent: observed.result.structuredContent,
          isError: observed.status === "failed",
        };
        expect([observed.id, timeless(mcpResultOutput(result, 5, budget))]).toEqual([observed.id, timeless(c.output)]);
        expect({ ...mcpCallCompleted(id, result, observed.durationMs) }).toEqual(observed);
      } else {
        const message = observed.error?.message ?? "";
        expect([observed.id, timeless(mcpErrorOutput(message, 5, budget))]).toEqual([observed.id, timeless(c.output)]);
        expect(mcpCallFailed(id, message, observed.durationMs)).toEqual(observed);
      }
    }
  });

  it("keys items in 0.169's order and starts them empty", () => {
    const item = call("c_struct");
    expect(Object.keys(mcpCallCompleted(identity(item), { content: [] }, 1))).toEqual(Object.keys(item));
    expect(mcpCallStarted(identity(item))).toMatchObject({ status: "inProgress", result: null, error: null, durationMs: null });
  });

  it("puts text in place of audio, for the item and the model", () => {
    const result = resultForModel({
      content: [
        { type: "audio", data: "UklGRg==", mimeType: "audio/wav" },
        { type: "text", text: "after audio" },
      ],
    });
    expect(result.content).toEqual(call("c_audio").result?.content);
    expect(result.content[0]).toEqual({ type: "text", text: AUDIO_OMITTED });
  });

  it("turns an image into a data URL", () => {
    expect(mcpResultOutput({ content: [{ type: "image", data: "AAAA", mimeType: "image/png" }] }, 4.3, 12_000)).toEqual([
      { type: "input_text", text: "Wall time: 0.0043 seconds\nOutput:" },
      { type: "input_image", image_url: "data:image/png;base64,AAAA" },
    ]);
  });

  it("words failures as 0.169 does", () => {
    expect(mcpJsonRpcErrorMessage("probe", "boom", { code: -32000, message: "MCP error -32000: boom failed", data: { detail: 1 } })).toBe(
      call("c_boom").error?.message,
    );
    expect(mcpTimeoutMessage("probe", "slow", 1000)).toBe(call("c_timeout").error?.message);
    // Observed in /tmp/mcp/ref15: no data, no parentheses; a server that exited.
    expect(mcpJsonRpcErrorMessage("probe", "boom2", { code: -32001, message: "MCP error -32001: plain failure" })).toBe(
      "tool call error: tool call failed for `probe/boom2`\n\nCaused by:\n    Mcp error: -32001: MCP error -32001: plain failure",
    );
    expect(mcpToolCallFailedMessage("probe", "crash", "Transport closed")).toBe(
      "tool call error: tool call failed for `probe/crash`\n\nCaused by:\n    Transport closed",
    );
    expect([MCP_MESSAGES.approvalPolicyNever, MCP_MESSAGES.declined, MCP_MESSAGES.cancelled]).toEqual([
      call("c_plain").error?.message,
      call("c_write").error?.message,
      call("c_cancel").error?.message,
    ]);
    expect(observedOutput("c_plain")).toEqual(mcpErrorOutput(MCP_MESSAGES.approvalPolicyNever, 2.1, 12_000));
  });

  it("reads arguments: none is null, JSON is parsed, anything else is the model's error", () => {
    expect(parseMcpArguments("  ")).toEqual({ ok: true, value: null });
    expect(parseMcpArguments('{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    const bad = parseMcpArguments("{not json");
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.startsWith("err: ")).toBe(true);
  });

  it("words progress as 0.169 does", () => {
    expect(mcpProgressMessage(1, 3)).toBe("MCP tool progress: 1/3");
    expect(mcpProgressMessage(0.5)).toBe("MCP tool progress: 0.5");
    expect(mcpProgressMessage(2, 3, "step two of many")).toBe("step two of many");
  });
});

describe("cutting outputs", () => {
  // The probe server's texts: lines or words appended until the text reaches `n` characters.
  const grow = (n: number, piece: (i: number) => string, sep: string): string => {
    const parts: string[] = [];
    let length = -sep.length;
    for (let i = 0; length < n; i++) {
      const p = piece(i);
      parts.push(p);
      length += sep.length + p.length;
    }
    return parts.join(sep);
  };
  const bigText = (a: { n: number; line?: number; words?: number }): string => {
    if (a.line !== undefined) return grow(a.n, (i) => `${String(i).padStart(6, "0")} ${"y".repeat(a.line ?? 0)}`, "\n");
    if (a.words !== undefined) return grow(a.n, (i) => `word${i}`, " ");
    return `${"x".repeat(a.n)}END`;
  };
  const shape = (o: ToolOutputContent): unknown =>
    (typeof o === "string" ? [{ type: "input_text" as const, text: o }] : o).map((item) => {
      const text = item.type === "input_text" ? item.text : "";
      return { type: item.type, chars: [...text].length, markers: [...text.matchAll(/…[^…]*…/g)].map((m) => [[...text.slice(0, m.index)].length, m[0]]) };
    });

  it("cuts long results where and as 0.169 did (twice: the marker counts the first cut's marker)", () => {
    for (const t of calls.truncation) {
      const budget = outputBudgetTokens(t.limitTokens);
      const output = t.structured
        ? mcpResultOutput({ content: [], structuredContent: { data: `${"x".repeat(t.structured.n)}END`, n: t.structured.n } }, 8.5, budget)
        : mcpResultOutput(
            { content: Array.from({ length: t.args?.items ?? 1 }, (_, k) => ({ type: "text", text: `${k}:${bigText(t.args ?? { n: 0 })}` })) },
            11.6,
            budget,
          );
      expect([t.args ?? t.structured, t.limitTokens, shape(output)]).toEqual([t.args ?? t.structured, t.limitTokens, t.output]);
    }
  });

  it("leaves images out of the budget and keeps what fits", () => {
    const image = { type: "input_image" as const, image_url: "data:x" };
    const short = { type: "input_text" as const, text: "short" };
    expect(truncateOutputItems([image, short], 2)).toEqual([image, short]);
    const [kept, cut] = truncateOutputItems([image, short], 1);
    expect(kept).toEqual(image);
    expect(cut?.type === "input_text" ? cut.text : "").toMatch(/^sh…\d+ tokens truncated…rt$/);
    expect(truncateOutputText("abcdefgh", 1)).toMatch(/^ab…\d+ tokens truncated…gh$/);
    // The first cut notes two omitted items; the second cut omits that note in turn (not observed with more than one).
    expect(truncateOutputItems([short, short, short], 2)).toEqual([short, { type: "input_text", text: "[omitted 1 text items ...]" }]);
  });
});

describe("approvals", () => {
  const ro = { readOnlyHint: true };
  const decide = (
    approvalPolicy: "untrusted" | "on-request" | "never" | "granular",
    sandbox: "workspaceWrite" | "dangerFullAccess",
    mode: "auto" | "prompt" | "writes" | "approve",
    annotations?: object,
  ) => mcpApprovalDecision({ approvalPolicy, sandbox, mode, annotations, approvedForSession: false }).kind;

  it("needs approval unless read-only or neither destructive nor open-world, as 0.169 decided for each annotation set", () => {
    expect(toolNeedsApproval(undefined)).toBe(true);
    expect(toolNeedsApproval({ title: "T" } as never)).toBe(true);
    expect(toolNeedsApproval({ destructiveHint: false })).toBe(true);
    expect(toolNeedsApproval({ readOnlyHint: false, destructiveHint: true })).toBe(true);
    expect(toolNeedsApproval({ readOnlyHint: true, destructiveHint: true })).toBe(false);
    expect(toolNeedsApproval({ readOnlyHint: true, openWorldHint: true })).toBe(false);
    expect(toolNeedsApproval({ readOnlyHint: false, destructiveHint: false, openWorldHint: false })).toBe(false);
  });

  it("runs, asks or refuses as 0.169 did under each policy, sandbox and mode", () => {
    expect(decide("untrusted", "workspaceWrite", "auto")).toBe("ask");
    expect(decide("untrusted", "workspaceWrite", "auto", ro)).toBe("run");
    expect(decide("on-request", "workspaceWrite", "auto")).toBe("ask");
    expect(decide("on-request", "dangerFullAccess", "auto")).toBe("ask");
    expect(decide("granular", "workspaceWrite", "auto")).toBe("ask");
    expect(decide("never", "workspaceWrite", "auto")).toBe("reject");
    expect(decide("never", "workspaceWrite", "auto", ro)).toBe("run");
    expect(decide("never", "dangerFullAccess", "auto")).toBe("run");
    expect(decide("never", "dangerFullAccess", "prompt", ro)).toBe("run");
    expect(decide("never", "workspaceWrite", "prompt", ro)).toBe("reject");
    expect(decide("never", "workspaceWrite", "approve")).toBe("run");
    expect(decide("untrusted", "workspaceWrite", "prompt", ro)).toBe("ask");
    expect(decide("untrusted", "workspaceWrite", "writes")).toBe("ask");
    expect(decide("untrusted", "workspaceWrite", "writes", ro)).toBe("run");
    expect(
      mcpApprovalDecision({ approvalPolicy: "untrusted", sandbox: "workspaceWrite", mode: "auto", annotations: undefined, approvedForSession: true }).kind,
    ).toBe("run");
    expect(
      mcpApprovalDecision({ approvalPolicy: "untrusted", sandbox: "workspaceWrite", mode: "auto", annotations: undefined, approvedForSession: false }),
    ).toEqual({
      kind: "ask",
      persist: ["session", "always"],
    });
    expect(
      mcpApprovalDecision({ approvalPolicy: "untrusted", sandbox: "workspaceWrite", mode: "writes", annotations: undefined, approvedForSession: false }),
    ).toEqual({
      kind: "ask",
      persist: [],
    });
  });

  it("asks with 0.169's elicitation request", () => {
    const probeTools: Record<string, McpToolDefinition> = {
      plain_tool: { name: "plain_tool", description: "No annotations at all", inputSchema: { type: "object" } },
      slow: { name: "slow", description: "Slow tool with progress", inputSchema: { type: "object" }, annotations: { readOnlyHint: true } },
      write_thing: {
        name: "write_thing",
        title: "Write Thing",
        description: "Writes something (destructive)",
        inputSchema: { type: "object" },
        annotations: { readOnlyHint: false, destructiveHint: true },
      },
    };
    for (const { params } of calls.approvalRequests) {
      const meta = params["_meta"] as Record<string, unknown>;
      const t = probeTools[String(meta["tool_name"])];
      if (!t) throw new Error(`unknown tool ${String(meta["tool_name"])}`);
      const built = mcpApprovalRequestParams({
        threadId: String(params["threadId"]),
        turnId: String(params["turnId"]),
        server: String(params["serverName"]),
        tool: t,
        arguments: meta["tool_params"],
        persist: (meta["persist"] as ("session" | "always")[] | undefined) ?? [],
      });
      expect(JSON.stringify(built)).toBe(JSON.stringify(params));
    }
  });

  it("lists a tool's annotations in 0.169's field order", () => {
    const params = mcpApprovalRequestParams({
      threadId: "t",
      turnId: "u",
      server: "s",
      tool: { name: "x", inputSchema: {}, annotations: { openWorldHint: false, extra: 1, readOnlyHint: false } as never },
      arguments: null,
      persist: [],
    });
    expect(JSON.stringify((params["_meta"] as Record<string, unknown>)["tool_annotations"])).toBe('{"readOnlyHint":false,"openWorldHint":false}');
  });

  it("reads the client's answer", () => {
    expect(mcpApprovalAnswer({ action: "accept" })).toEqual({ kind: "accept", persist: null });
    expect(mcpApprovalAnswer({ action: "accept", _meta: { persist: "session" } })).toEqual({ kind: "accept", persist: "session" });
    expect(mcpApprovalAnswer({ action: "accept", _meta: { persist: "always" } })).toEqual({ kind: "accept", persist: "always" });
    expect(mcpApprovalAnswer({ action: "decline" })).toEqual({ kind: "decline", message: MCP_MESSAGES.declined });
    expect(mcpApprovalAnswer({ action: "cancel" })).toEqual({ kind: "decline", message: MCP_MESSAGES.cancelled });
    expect(mcpApprovalAnswer(null)).toEqual({ kind: "decline", message: MCP_MESSAGES.cancelled });
  });
});
