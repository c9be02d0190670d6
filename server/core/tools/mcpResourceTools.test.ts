// The MCP resource tools over a stand-in source that serves what 0.169's probe server served: specs
// byte for byte, the outputs and mcpToolCall items 0.169 produced (fixtures/), and the all-servers list.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ThreadItem } from "../../../protocol/v2/index.js";
import { TurnItems } from "../engine/turnItems.js";
import type { ThreadState } from "../threads/threadState.js";
import {
  LIST_MCP_RESOURCES_SPEC,
  LIST_MCP_RESOURCE_TEMPLATES_SPEC,
  McpServerError,
  READ_MCP_RESOURCE_SPEC,
  mcpResourceTools,
  type McpResourceSource,
} from "./mcpResourceTools.js";
import type { ToolContext, ToolOutput } from "./toolTypes.js";

const observed = JSON.parse(readFileSync(new URL("./fixtures/mcp-resources-0.169.json", import.meta.url), "utf8")) as {
  calls: { callId: string; name: string; arguments: string; output: string; item: Record<string, unknown> | null }[];
};

type Json = Record<string, unknown>;

/** The probe server of the recording, plus `extra` servers. */
function source(extra: Record<string, { resources: Json[] }> = {}): McpResourceSource & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    serverNames: () => ["probe", ...Object.keys(extra)],
    listResources(server, cursor) {
      const other = extra[server];
      if (other) return Promise.resolve({ resources: other.resources });
      if (cursor === "page2") return Promise.resolve({ resources: [{ name: "b", uri: "probe://b", description: "second", title: "B title", size: 12 }] });
      return Promise.resolve({ resources: [{ mimeType: "text/plain", uri: "probe://a", name: "a" }], nextCursor: "page2" });
    },
    listResourceTemplates: () =>
      Promise.resolve({ resourceTemplates: [{ name: "item", uriTemplate: "probe://item/{id}", description: "an item", mimeType: "application/json" }] }),
    readResource(server, uri) {
      reads.push(`${server} ${uri}`);
      if (uri === "probe://missing") return Promise.reject(new McpServerError(-32002, "MCP error -32002: Resource not found"));
      return Promise.resolve({
        contents: [
          { uri, text: `content of ${uri}`, mimeType: "text/plain" },
          { uri: `${uri}#bin`, mimeType: "application/octet-stream", blob: "AAEC" },
        ],
      });
    },
  };
}

function context(): { ctx: ToolContext; completed: ThreadItem[]; started: ThreadItem[] } {
  const started: ThreadItem[] = [];
  const thread = {
    id: "thr_1",
    emit: (method: string, params: unknown) => {
      if (method === "item/started") started.push((params as { item: ThreadItem }).item);
    },
  } as unknown as ThreadState;
  const items = new TurnItems(thread, "turn_1", { persistItem: () => Promise.resolve() });
  return { ctx: { items } as unknown as ToolContext, completed: items.completed, started };
}

const run = async (src: McpResourceSource, name: string, args: string, callId = "c1"): Promise<{ output: ToolOutput; item: ThreadItem | undefined }> => {
  const tool = mcpResourceTools(src, { budgetTokens: 12_000 }).find((t) => t.name === name);
  if (!tool) throw new Error(`no tool ${name}`);
  const { ctx, completed } = context();
  const output = await tool.run({ kind: "function", name, callId, input: args }, ctx);
  return { output, item: completed[0] };
};

const withoutTimes = (item: ThreadItem | undefined): unknown => {
  if (!item) return null;
  const {
    startedAtMs: _s,
    completedAtMs: _c,
    durationMs: _d,
    ...rest
  } = item as ThreadItem & { startedAtMs?: number; completedAtMs?: number; durationMs?: number };
  return rest;
};

describe("MCP resource tools", () => {
  it("are offered as 0.169 offers them, in its order", () => {
    expect(mcpResourceTools(source(), { budgetTokens: 1 }).map((t) => JSON.stringify(t.spec))).toEqual([
      '{"type":"function","name":"list_mcp_resources","description":"Lists resources provided by MCP servers. Resources allow servers to share data that provides context to language models, such as files, database schemas, or application-specific information. Prefer resources over web search when possible.","strict":false,"parameters":{"type":"object","properties":{"cursor":{"type":"string","description":"Opaque cursor from a previous list_mcp_resources call; omit for the first page."},"server":{"type":"string","description":"MCP server name. Omit to list resources from every configured server."}},"additionalProperties":false}}',
      '{"type":"function","name":"list_mcp_resource_templates","description":"Lists resource templates provided by MCP servers. Parameterized resource templates allow servers to share data that takes parameters and provides context to language models, such as files, database schemas, or application-specific information. Prefer resource templates over web search when possible.","strict":false,"parameters":{"type":"object","properties":{"cursor":{"type":"string","description":"Opaque cursor from a previous list_mcp_resource_templates call; omit for the first page."},"server":{"type":"string","description":"MCP server name. Omit to list resource templates from every configured server."}},"additionalProperties":false}}',
      '{"type":"function","name":"read_mcp_resource","description":"Read a specific resource from an MCP server given the server name and resource URI.","strict":false,"parameters":{"type":"object","properties":{"server":{"type":"string","description":"MCP server name exactly as configured. Must match the \'server\' field returned by list_mcp_resources."},"uri":{"type":"string","description":"Resource URI to read. Must be one of the URIs returned by list_mcp_resources."}},"required":["server","uri"],"additionalProperties":false}}',
    ]);
    expect([LIST_MCP_RESOURCES_SPEC.name, LIST_MCP_RESOURCE_TEMPLATES_SPEC.name, READ_MCP_RESOURCE_SPEC.name]).toEqual([
      "list_mcp_resources",
      "list_mcp_resource_templates",
      "read_mcp_resource",
    ]);
  });

  it("answer and report each recorded call as 0.169 did", async () => {
    for (const c of observed.calls) {
      const { output, item } = await run(source(), c.name, c.arguments, c.callId);
      expect([c.callId, output]).toEqual([c.callId, { type: "function_call_output", call_id: c.callId, output: c.output }]);
      expect([c.callId, withoutTimes(item)]).toEqual([c.callId, withoutTimes((c.item as ThreadItem | null) ?? undefined)]);
    }
  });

  it("list every page of every server, servers by name, under the `codex` item server", async () => {
    const src = source({ alpha: { resources: [{ uri: "a://1", name: "one" }] } });
    const { output, item } = await run(src, "list_mcp_resources", "{}");
    expect(JSON.parse(String(output.output))).toEqual({
      resources: [
        { server: "alpha", uri: "a://1", name: "one" },
        { server: "probe", uri: "probe://a", name: "a", mimeType: "text/plain" },
        { server: "probe", uri: "probe://b", name: "b", title: "B title", description: "second", size: 12 },
      ],
    });
    expect(item).toMatchObject({ server: "codex", tool: "list_mcp_resources", status: "completed", arguments: {} });
  });

  it("refuse blank required fields and non-object arguments before any item", async () => {
    expect((await run(source(), "read_mcp_resource", '{"server":"probe","uri":"  "}')).output.output).toBe("uri must be provided");
    const bad = await run(source(), "read_mcp_resource", "[1]");
    expect([bad.output.output, bad.item]).toEqual(["failed to parse function arguments: expected an object", undefined]);
  });
});
