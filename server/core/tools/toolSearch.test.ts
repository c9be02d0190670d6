// tool_search against what 0.169 sent and answered: the spec byte for byte, the searches 0.169 answered
// for the everything server (fixtures/, recorded with the conformance mock), the output item, and the
// call item on the SSE wire.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { mapSseData } from "../model/responsesClient.js";
import { evToolSearchCall } from "../model/sseEvents.js";
import type { ToolSearchCallItem } from "../model/types.js";
import { mcpDeferredEntries, modelToolNames, type McpToolDefinition } from "./mcpModelTools.js";
import { TOOL_SEARCH_SPEC, ToolSearchIndex, coalesceLoadable, parseToolSearchArguments, runToolSearch, type LoadableToolSpec } from "./toolSearch.js";

const fixture = <T>(name: string): T => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8")) as T;
const everything = fixture<{ instructions: string; tools: McpToolDefinition[] }>("mcp-everything-tools.json");
const observed = fixture<{
  searches: { query: string; limit: number; tools: string[] }[];
  firstCall: ToolSearchCallItem;
  firstOutput: Record<string, unknown>;
}>("tool-search-0.169.json");

const everythingIndex = (): ToolSearchIndex =>
  new ToolSearchIndex(
    mcpDeferredEntries(modelToolNames(everything.tools.map((tool) => ({ server: "everything", tool, instructions: everything.instructions })))),
  );

const names = (specs: LoadableToolSpec[]): string[] => specs.flatMap((s) => (s.type === "namespace" ? s.tools.map((t) => String(t["name"])) : [s.name]));

describe("tool_search", () => {
  it("is offered as 0.169 offers it", () => {
    expect(JSON.stringify(TOOL_SEARCH_SPEC)).toBe(
      '{"type":"tool_search","execution":"client","description":"# Tool discovery\\n\\nSearches over deferred tool metadata with BM25 and exposes matching tools for the next model call.\\n\\nSome of the tools may not have been provided to you upfront, and you should use this tool (`tool_search`) to search for the required tools. For MCP tool discovery, always use `tool_search` instead of `list_mcp_resources` or `list_mcp_resource_templates`.","parameters":{"type":"object","properties":{"limit":{"type":"number","description":"Maximum number of tools to return. Defaults to 8."},"query":{"type":"string","description":"Search query for deferred tools."}},"required":["query"],"additionalProperties":false}}',
    );
  });

  it("finds what 0.169 found, in its order", () => {
    const index = everythingIndex();
    for (const s of observed.searches) expect([s.query, names(index.search(s.query, s.limit))]).toEqual([s.query, s.tools]);
  });

  it("answers a call with 0.169's output item (less the id Gatehouse does not write)", () => {
    const { id: _id, ...expected } = observed.firstOutput;
    expect(runToolSearch(observed.firstCall, everythingIndex())).toEqual(expected);
  });

  it("answers an empty list where 0.169 does: blank or missing query, limit 0, no match, nothing deferred", () => {
    const index = everythingIndex();
    const call = (args: unknown): ToolSearchCallItem => ({ type: "tool_search_call", call_id: "c", execution: "client", arguments: args });
    for (const args of [{ query: "   " }, { limit: 2 }, { query: "echo", limit: 0 }, { query: "zzzznomatch" }, { query: "echo", limit: 2.5 }, "not json"])
      expect(runToolSearch(call(args), index).tools).toEqual([]);
    expect(runToolSearch(call({ query: "echo" }), new ToolSearchIndex([])).tools).toEqual([]);
  });

  it("reads arguments given as an object or as JSON text, with the default limit of 8", () => {
    expect(parseToolSearchArguments({ query: " echo " })).toEqual({ query: "echo", limit: 8 });
    expect(parseToolSearchArguments('{"query":"echo","limit":3}')).toEqual({ query: "echo", limit: 3 });
    expect(parseToolSearchArguments({ query: 5 })).toBeNull();
    expect(parseToolSearchArguments({ query: "x", limit: -1 })).toBeNull();
  });

  it("groups results by namespace in the order each namespace first ranked", () => {
    const fn = (name: string): Record<string, unknown> => ({ type: "function", name });
    const ns = (name: string, tool: string): LoadableToolSpec => ({ type: "namespace", name, description: name, tools: [fn(tool)] });
    expect(coalesceLoadable([ns("b", "1"), ns("a", "2"), ns("b", "3"), { type: "function", name: "f" }])).toEqual([
      { type: "namespace", name: "b", description: "b", tools: [fn("1"), fn("3")] },
      { type: "namespace", name: "a", description: "a", tools: [fn("2")] },
      { type: "function", name: "f" },
    ]);
  });

  it("reaches the engine from the SSE wire as a call item", () => {
    const [, done] = evToolSearchCall("call_ts", { query: "echo" });
    const mapped = mapSseData(JSON.stringify(done));
    expect(mapped).toEqual({
      event: {
        type: "outputItemDone",
        item: { type: "tool_search_call", id: "tsc_call_ts", call_id: "call_ts", status: "completed", execution: "client", arguments: { query: "echo" } },
      },
    });
  });
});
