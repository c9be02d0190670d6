// list_mcp_resources, list_mcp_resource_templates and read_mcp_resource: the model reads the MCP
// servers' resources. They run against McpResourceSource, which the MCP manager backs.
//
// Observed on 0.169 (gpt-5.5, conformance mock, /tmp/mcp/ref1, ref13):
// - offered only when at least one MCP server is configured, right after write_stdin, with the specs
//   below (to models with and without tool_search);
// - the answer is a plain string (no "Wall time" header): the JSON of {server?, resources |
//   resourceTemplates, nextCursor?} or {server, uri, contents}; each resource and template carries its
//   `server` first; without `server` every server is listed (all pages, servers sorted by name), with
//   it one page of that server and its `nextCursor`;
// - each call is an mcpToolCall item: server = the `server` argument or "codex", tool = the tool's
//   name, arguments as sent, readOnlyHint null, result {content:[{type:"text", text: the answer}],
//   structuredContent:null, _meta:null}; a failure after the item started completes it `failed` with
//   the error and tells the model the same text;
// - refused before any item: arguments that do not parse ("failed to parse function arguments: …"),
//   an unknown server ("unknown MCP server 'x'"), a blank required field ("uri must be provided");
// - `cursor` without `server`: "cursor can only be used when a server is specified" (with an item);
// - a server's error: "resources/read failed: resources/read failed for `probe` (probe://missing): Mcp
//   error: -32002: MCP error -32002: Resource not found" (list: "resources/list failed: resources/list
//   failed for `probe`: …", templates likewise, by the same source).
import type { ThreadItem } from "../../../protocol/v2/index.js";
import { truncateToolText } from "./mcpModelTools.js";
import { functionOutput, type Tool, type ToolCall, type ToolContext, type ToolOutput } from "./toolTypes.js";

type Json = Record<string, unknown>;

export const LIST_MCP_RESOURCES = "list_mcp_resources";
export const LIST_MCP_RESOURCE_TEMPLATES = "list_mcp_resource_templates";
export const READ_MCP_RESOURCE = "read_mcp_resource";

/** The `tools` entries, byte for byte as 0.169 sends them. */
export const LIST_MCP_RESOURCES_SPEC = {
  type: "function",
  name: LIST_MCP_RESOURCES,
  description:
    "Lists resources provided by MCP servers. Resources allow servers to share data that provides context to language models, such as files, database schemas, or application-specific information. Prefer resources over web search when possible.",
  strict: false,
  parameters: {
    type: "object",
    properties: {
      cursor: { type: "string", description: "Opaque cursor from a previous list_mcp_resources call; omit for the first page." },
      server: { type: "string", description: "MCP server name. Omit to list resources from every configured server." },
    },
    additionalProperties: false,
  },
} as const;

export const LIST_MCP_RESOURCE_TEMPLATES_SPEC = {
  type: "function",
  name: LIST_MCP_RESOURCE_TEMPLATES,
  description:
    "Lists resource templates provided by MCP servers. Parameterized resource templates allow servers to share data that takes parameters and provides context to language models, such as files, database schemas, or application-specific information. Prefer resource templates over web search when possible.",
  strict: false,
  parameters: {
    type: "object",
    properties: {
      cursor: { type: "string", description: "Opaque cursor from a previous list_mcp_resource_templates call; omit for the first page." },
      server: { type: "string", description: "MCP server name. Omit to list resource templates from every configured server." },
    },
    additionalProperties: false,
  },
} as const;

export const READ_MCP_RESOURCE_SPEC = {
  type: "function",
  name: READ_MCP_RESOURCE,
  description: "Read a specific resource from an MCP server given the server name and resource URI.",
  strict: false,
  parameters: {
    type: "object",
    properties: {
      server: { type: "string", description: "MCP server name exactly as configured. Must match the 'server' field returned by list_mcp_resources." },
      uri: { type: "string", description: "Resource URI to read. Must be one of the URIs returned by list_mcp_resources." },
    },
    required: ["server", "uri"],
    additionalProperties: false,
  },
} as const;

/** A JSON-RPC error a server answered with; other failures (timeouts, a closed connection) are plain Errors. */
export class McpServerError extends Error {
  constructor(
    readonly code: number,
    readonly serverMessage: string,
    readonly data?: unknown,
  ) {
    super(`Mcp error: ${code}: ${serverMessage}${data === undefined ? "" : `(${JSON.stringify(data)})`}`);
  }
}

/** What the resource tools need of the MCP manager. Failures reject (McpServerError for a server's JSON-RPC error). */
export interface McpResourceSource {
  /** The configured servers that are running. */
  serverNames(): readonly string[];
  listResources(server: string, cursor?: string): Promise<{ resources: readonly Json[]; nextCursor?: string }>;
  listResourceTemplates(server: string, cursor?: string): Promise<{ resourceTemplates: readonly Json[]; nextCursor?: string }>;
  readResource(server: string, uri: string): Promise<{ contents: readonly Json[] }>;
}

/** Keys in the order 0.169's types serialize them; keys it does not model are dropped. */
function ordered(o: Json, keys: readonly string[]): Json {
  const out: Json = {};
  for (const k of keys) if (o[k] !== undefined && o[k] !== null) out[k] = o[k];
  return out;
}

const RESOURCE_KEYS = ["uri", "name", "title", "description", "mimeType", "size", "icons", "_meta", "annotations"];
const TEMPLATE_KEYS = ["uriTemplate", "name", "title", "description", "mimeType", "icons", "_meta", "annotations"];
const CONTENTS_KEYS = ["uri", "mimeType", "text", "blob", "_meta"];

class ToolRefusal extends Error {}

function parseArguments(input: string): Json | null {
  if (input.trim() === "") return null;
  let value: unknown;
  try {
    value = JSON.parse(input);
  } catch (e) {
    throw new ToolRefusal(`failed to parse function arguments: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new ToolRefusal("failed to parse function arguments: expected an object");
  return value as Json;
}

/** A string field: absent, null or blank is undefined (0.169 trims). */
function optionalString(args: Json | null, field: string): string | undefined {
  const v = args?.[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw new ToolRefusal(`failed to parse function arguments: invalid type for \`${field}\`, expected a string`);
  const trimmed = v.trim();
  return trimmed === "" ? undefined : trimmed;
}

function requiredString(args: Json | null, field: string): string {
  if (args === null) throw new ToolRefusal("failed to parse function arguments: expected value");
  if (args[field] === undefined) throw new ToolRefusal(`failed to parse function arguments: missing field \`${field}\``);
  const v = optionalString(args, field);
  if (v === undefined) throw new ToolRefusal(`${field} must be provided`);
  return v;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Lists every page of one server. */
async function allPages(list: (cursor?: string) => Promise<{ items: readonly Json[]; nextCursor?: string }>): Promise<Json[]> {
  const out: Json[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 1000; pages++) {
    const page = await list(cursor);
    out.push(...page.items);
    if (!page.nextCursor || page.nextCursor === cursor) break;
    cursor = page.nextCursor;
  }
  return out;
}

interface ResourceToolDef {
  readonly name: string;
  readonly spec: Json;
  /** Validates the arguments (a ToolRefusal is answered without an item) and names the server the item shows. */
  prepare(args: Json | null, source: McpResourceSource): { server: string | undefined; run: () => Promise<Json> };
}

function requireKnown(source: McpResourceSource, server: string | undefined): void {
  if (server !== undefined && !source.serverNames().includes(server)) throw new ToolRefusal(`unknown MCP server '${server}'`);
}

const CURSOR_WITHOUT_SERVER = "cursor can only be used when a server is specified";

function listTool(kind: "resources" | "resourceTemplates"): ResourceToolDef {
  const resources = kind === "resources";
  const method = resources ? "resources/list" : "resources/templates/list";
  const keys = resources ? RESOURCE_KEYS : TEMPLATE_KEYS;
  const list = async (source: McpResourceSource, server: string, cursor?: string): Promise<{ items: readonly Json[]; nextCursor?: string }> => {
    try {
      if (resources) {
        const r = await source.listResources(server, cursor);
        return { items: r.resources, ...(r.nextCursor !== undefined ? { nextCursor: r.nextCursor } : {}) };
      }
      const r = await source.listResourceTemplates(server, cursor);
      return { items: r.resourceTemplates, ...(r.nextCursor !== undefined ? { nextCursor: r.nextCursor } : {}) };
    } catch (e) {
      throw new Error(`${method} failed: ${method} failed for \`${server}\`: ${errorText(e)}`);
    }
  };
  const withServer = (server: string, item: Json): Json => ({ server, ...ordered(item, keys) });
  return {
    name: resources ? LIST_MCP_RESOURCES : LIST_MCP_RESOURCE_TEMPLATES,
    spec: resources ? LIST_MCP_RESOURCES_SPEC : LIST_MCP_RESOURCE_TEMPLATES_SPEC,
    prepare(args, source) {
      const server = optionalString(args, "server");
      const cursor = optionalString(args, "cursor");
      requireKnown(source, server);
      return {
        server,
        async run() {
          if (server !== undefined) {
            const page = await list(source, server, cursor);
            return { server, [kind]: page.items.map((i) => withServer(server, i)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
          }
          if (cursor !== undefined) throw new Error(CURSOR_WITHOUT_SERVER);
          const all: Json[] = [];
          for (const name of [...source.serverNames()].sort()) {
            // A server that fails is left out of the combined list, as 0.169 does.
            const items = await allPages((c) => list(source, name, c)).catch(() => [] as Json[]);
            all.push(...items.map((i) => withServer(name, i)));
          }
          return { [kind]: all };
        },
      };
    },
  };
}

const readTool: ResourceToolDef = {
  name: READ_MCP_RESOURCE,
  spec: READ_MCP_RESOURCE_SPEC,
  prepare(args, source) {
    const server = requiredString(args, "server");
    const uri = requiredString(args, "uri");
    requireKnown(source, server);
    return {
      server,
      async run() {
        try {
          const result = await source.readResource(server, uri);
          return { server, uri, contents: result.contents.map((c) => ordered(c, CONTENTS_KEYS)) };
        } catch (e) {
          throw new Error(`resources/read failed: resources/read failed for \`${server}\` (${uri}): ${errorText(e)}`);
        }
      },
    };
  },
};

type McpToolCallItem = Extract<ThreadItem, { type: "mcpToolCall" }>;

function resourceItem(
  call: ToolCall,
  server: string,
  args: unknown,
  rest: Pick<McpToolCallItem, "status" | "result" | "error" | "durationMs">,
): McpToolCallItem {
  return {
    type: "mcpToolCall",
    id: call.callId,
    server,
    tool: call.name,
    status: rest.status,
    arguments: args,
    appContext: null,
    mcpAppUi: null,
    pluginId: null,
    readOnlyHint: null,
    result: rest.result,
    error: rest.error,
    durationMs: rest.durationMs,
  };
}

export interface McpResourceToolsOptions {
  /** The output budget in tokens (mcpModelTools.outputBudgetTokens). */
  readonly budgetTokens: number;
}

function resourceTool(def: ResourceToolDef, source: McpResourceSource, options: McpResourceToolsOptions): Tool {
  return {
    name: def.name,
    spec: def.spec,
    supportsParallel: true,
    async run(call: ToolCall, ctx: ToolContext): Promise<ToolOutput> {
      let args: Json | null;
      let prepared: ReturnType<ResourceToolDef["prepare"]>;
      try {
        args = parseArguments(call.input);
        prepared = def.prepare(args, source);
      } catch (e) {
        if (e instanceof ToolRefusal) return functionOutput(call, e.message);
        throw e;
      }
      const server = prepared.server ?? "codex";
      const started = Date.now();
      const base = resourceItem(call, server, args, { status: "inProgress", result: null, error: null, durationMs: null });
      ctx.items.start(base, () => resourceItem(call, server, args, { status: "failed", result: null, error: null, durationMs: Date.now() - started }));
      try {
        const text = truncateToolText(JSON.stringify(await prepared.run()), options.budgetTokens);
        await ctx.items.complete(
          resourceItem(call, server, args, {
            status: "completed",
            result: { content: [{ type: "text", text }], structuredContent: null, _meta: null },
            error: null,
            durationMs: Date.now() - started,
          }),
        );
        return functionOutput(call, text);
      } catch (e) {
        const message = errorText(e);
        await ctx.items.complete(resourceItem(call, server, args, { status: "failed", result: null, error: { message }, durationMs: Date.now() - started }));
        return functionOutput(call, message);
      }
    },
  };
}

/** The three tools, in 0.169's order, over `source`. Offer them only when an MCP server is configured. */
export function mcpResourceTools(source: McpResourceSource, options: McpResourceToolsOptions): Tool[] {
  return [listTool("resources"), listTool("resourceTemplates"), readTool].map((def) => resourceTool(def, source, options));
}
