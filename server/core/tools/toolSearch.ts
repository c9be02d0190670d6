// tool_search: how a model of the 0.169 catalog (gpt-5.5 …) finds the tools it was not given up front
// (every MCP server tool, a client's deferred dynamic tools). The model answers with a
// `tool_search_call` item, not a function call; the search runs here (BM25, bm25.ts) and its answer is a
// `tool_search_output` item carrying the matching tools' specs. That item in the history is what
// exposes them: the next request's `tools` stays as it was.
//
// Observed on 0.169 (gpt-5.5, conformance mock, /tmp/mcp/ref2…ref8, ref13):
// - `tools` holds TOOL_SEARCH_SPEC (after update_goal, before web_search) whether or not MCP servers are
//   configured, for the models that have it; its description never lists sources;
// - the model's item: {type:"tool_search_call", id, call_id, status:"completed", execution:"client",
//   arguments:{query, limit?}} (arguments an object); it is echoed back in the next request's input as
//   received, followed by {type:"tool_search_output", id:"tso_…", call_id, status:"completed",
//   execution:"client", tools:[…]};
// - tools: the best matches (default 8), grouped: one {type:"namespace", name, description, tools} per
//   namespace in the order its best tool ranked, its tools in rank order, each with defer_loading:true;
// - an empty or blank query, limit 0, no query, or no match: tools [] (never an error text);
// - no thread item, no notification.
// A `function_call` named tool_search is not this tool (0.169 answers it "aborted").
import type { ToolSearchCallItem, ToolSearchOutputItem } from "../model/types.js";
import { Bm25Index } from "./bm25.js";

export const TOOL_SEARCH = "tool_search";
export const TOOL_SEARCH_DEFAULT_LIMIT = 8;

/** The `tools` entry, byte for byte as 0.169 sends it. */
export const TOOL_SEARCH_SPEC = {
  type: "tool_search",
  execution: "client",
  description:
    "# Tool discovery\n\nSearches over deferred tool metadata with BM25 and exposes matching tools for the next model call.\n\nSome of the tools may not have been provided to you upfront, and you should use this tool (`tool_search`) to search for the required tools. For MCP tool discovery, always use `tool_search` instead of `list_mcp_resources` or `list_mcp_resource_templates`.",
  parameters: {
    type: "object",
    properties: {
      limit: { type: "number", description: `Maximum number of tools to return. Defaults to ${TOOL_SEARCH_DEFAULT_LIMIT}.` },
      query: { type: "string", description: "Search query for deferred tools." },
    },
    required: ["query"],
    additionalProperties: false,
  },
} as const;

/** A tool tool_search can hand out: a namespace with its functions, or a lone function. */
export type LoadableToolSpec =
  | { readonly type: "namespace"; readonly name: string; readonly description: string; readonly tools: readonly Record<string, unknown>[] }
  | ({ readonly type: "function"; readonly name: string } & Record<string, unknown>);

/** One searchable tool: the text it is found by and the spec that exposes it (one function, in its namespace if it has one). */
export interface DeferredToolEntry {
  readonly searchText: string;
  readonly output: LoadableToolSpec;
}

/** Namespaces merged in the order they first appear, their tools appended in order; functions stay where they are. */
export function coalesceLoadable(specs: readonly LoadableToolSpec[]): LoadableToolSpec[] {
  const out: LoadableToolSpec[] = [];
  for (const spec of specs) {
    if (spec.type !== "namespace") {
      out.push(spec);
      continue;
    }
    const index = out.findIndex((s) => s.type === "namespace" && s.name === spec.name);
    const existing = index >= 0 ? out[index] : undefined;
    if (existing?.type === "namespace") out[index] = { ...existing, tools: [...existing.tools, ...spec.tools] };
    else out.push({ ...spec, tools: [...spec.tools] });
  }
  return out;
}

/** The deferred tools of one request, ranked for tool_search. Build it from the tools as they are when the call arrives. */
export class ToolSearchIndex {
  // Built on the first search: every request that offers tool_search gets an index, few turns call it,
  // and tokenizing every deferred tool's text would otherwise delay the turn's first model request.
  private bm25: Bm25Index | null = null;

  constructor(private readonly entries: readonly DeferredToolEntry[]) {}

  get size(): number {
    return this.entries.length;
  }

  /** The best `limit` matches, coalesced into namespaces. */
  search(query: string, limit: number = TOOL_SEARCH_DEFAULT_LIMIT): LoadableToolSpec[] {
    this.bm25 ??= new Bm25Index(this.entries.map((e) => e.searchText));
    const ranked = this.bm25.search(query, limit).flatMap((m) => {
      const entry = this.entries[m.index];
      return entry ? [entry.output] : [];
    });
    return coalesceLoadable(ranked);
  }
}

export interface ToolSearchArguments {
  readonly query: string;
  readonly limit: number;
}

/**
 * The call's arguments as 0.169 reads them (an object, or its JSON text): a string `query` that is not
 * blank, and an optional non-negative integer `limit` that is not 0. Null for anything else, which
 * 0.169 answers with an empty tools list.
 */
export function parseToolSearchArguments(args: unknown): ToolSearchArguments | null {
  let value = args;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      return null;
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const { query, limit } = value as { query?: unknown; limit?: unknown };
  if (typeof query !== "string" || query.trim() === "") return null;
  if (limit !== undefined && limit !== null && !(typeof limit === "number" && Number.isInteger(limit) && limit >= 0)) return null;
  const n = typeof limit === "number" ? limit : TOOL_SEARCH_DEFAULT_LIMIT;
  return n === 0 ? null : { query: query.trim(), limit: n };
}

/** The item that answers a call. 0.169 also gives it an id (`tso_<uuid>`); Gatehouse leaves ids off the items it writes, as for function outputs. */
export function toolSearchOutput(callId: string, tools: readonly LoadableToolSpec[]): ToolSearchOutputItem {
  return { type: "tool_search_output", call_id: callId, status: "completed", execution: "client", tools: [...tools] };
}

/** Runs one tool_search call against the index. */
export function runToolSearch(call: ToolSearchCallItem, index: ToolSearchIndex): ToolSearchOutputItem {
  const args = parseToolSearchArguments(call.arguments);
  const tools = args === null || index.size === 0 ? [] : index.search(args.query, args.limit);
  return toolSearchOutput(call.call_id ?? "", tools);
}
