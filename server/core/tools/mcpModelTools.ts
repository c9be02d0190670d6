// MCP server tools as the model sees them and as clients see their calls, in 0.169's shapes. Pure
// functions: the MCP manager (core/mcp) lists the tools and makes the calls; these turn its data into
// Responses tool specs, search entries, the output item for the model, the mcpToolCall thread item and
// the approval prompt.
//
// Observed on 0.169 (gpt-5.5, conformance mock, transcripts under /tmp/mcp):
// - names: a server's tools live in the namespace `mcp__<server>` and keep their own name, both with
//   every character outside [A-Za-z0-9_] turned into `_` (`my-probe` → `mcp__my_probe`,
//   `get-sum` → `get_sum`); the model calls them as a `function_call` with `namespace`;
// - the namespace description is the server's instructions (trimmed), or "Tools in the <ns> namespace.";
// - a tool spec is {type:"function", name, description (verbatim, "" when absent), strict:false,
//   defer_loading:true (when found by tool_search), parameters}; the input schema is reduced to the
//   subset below (sanitizeInputSchema); a schema whose `items` is an array makes the tool disappear;
// - models with tool_search (gpt-5.5 and the 0.169 catalog) get no MCP tool up front, only through
//   tool_search; models 0.169 does not know get one namespace tool per server in `tools`, sorted by
//   namespace, right after `multi_agent_v1` and before the goal tools, its tools sorted by raw name;
// - a call of a known tool runs whether or not tool_search found it; an unknown namespace or name
//   answers the plain string `unsupported call: <namespace><name>`;
// - the output: with structuredContent, the string "Wall time: S.SSSS seconds\nOutput:\n<JSON>"
//   (content ignored, even when isError); otherwise content items: an input_text "Wall time: S.SSSS
//   seconds\nOutput:" and one item per block (text; image as a data URL; audio as the text "<audio
//   content omitted because you do not support audio input>"; anything else as its JSON); a failure
//   (JSON-RPC error, timeout, refusal) is the header item plus its message; all of it cut to the
//   turn's tool-output budget (truncateOutputItems);
// - the mcpToolCall item: {type, id: call_id, server, tool: the raw name, status, arguments (parsed
//   JSON, null for empty arguments), appContext: null, mcpAppUi: null, pluginId: null, readOnlyHint,
//   result: {content, structuredContent, _meta} | null, error: {message} | null, durationMs};
//   isError → status "failed" with the result; a failure → "failed", result null, error;
//   arguments that are not JSON get no item, only the output "err: <parse error>";
// - approvals: see mcpApprovalDecision.
import { createHash } from "node:crypto";
import type { ThreadItem } from "../../../protocol/v2/index.js";
import type { ToolOutputContent } from "../model/types.js";
import type { DeferredToolEntry, LoadableToolSpec } from "./toolSearch.js";

/** An MCP tool as `tools/list` returns it (the fields Gatehouse reads). */
export interface McpToolDefinition {
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly inputSchema: Record<string, unknown>;
  readonly annotations?: McpToolAnnotations;
}

export interface McpToolAnnotations {
  readonly title?: string;
  readonly readOnlyHint?: boolean;
  readonly destructiveHint?: boolean;
  readonly idempotentHint?: boolean;
  readonly openWorldHint?: boolean;
}

/** One tool of one configured server; `instructions` is the server's `initialize` instructions. */
export interface McpServerTool {
  readonly server: string;
  readonly tool: McpToolDefinition;
  readonly instructions?: string;
}

/** A server tool with the names the model uses for it. */
export interface McpModelTool extends McpServerTool {
  readonly namespace: string;
  readonly name: string;
}

const MCP_PREFIX = "mcp__";
/** Checked on the 0.169 binary: an 80-character tool name of server `faulty` is kept whole (93 bytes in all). */
const MAX_TOOL_NAME_BYTES = 128;
/** The `__` that 0.169 reserves between namespace and name when it measures a name. */
const NAME_DELIMITER_BYTES = 2;
const HASH_LEN = 12;

function sanitizeName(name: string): string {
  const out = name.replace(/[^A-Za-z0-9_]/g, "_");
  return out === "" ? "_" : out;
}

function hashSuffix(identity: string): string {
  return `_${createHash("sha1").update(identity).digest("hex").slice(0, HASH_LEN)}`;
}

/**
 * The model's names for every tool, as 0.169 assigns them: sanitized, `mcp__` in front of the server,
 * a 12-digit SHA-1 suffix where two tools (or two servers) would share a name, names kept within 128
 * bytes; sorted by server and raw tool name, which is also the order of a direct namespace's tools.
 */
export function modelToolNames(tools: readonly McpServerTool[]): McpModelTool[] {
  type Candidate = { tool: McpServerTool; nsIdentity: string; toolIdentity: string; namespace: string; name: string };
  const seen = new Set<string>();
  const candidates: Candidate[] = [];
  for (const t of tools) {
    // 0.169's identity is server, namespace source and connector; for a plain server the first two are its name.
    const nsIdentity = `${t.server}\0${t.server}\0`;
    const toolIdentity = `${nsIdentity}\0${t.tool.name}\0${t.tool.name}`;
    if (seen.has(toolIdentity)) continue;
    seen.add(toolIdentity);
    const ns = sanitizeName(t.server);
    candidates.push({ tool: t, nsIdentity, toolIdentity, namespace: ns.startsWith(MCP_PREFIX) ? ns : MCP_PREFIX + ns, name: sanitizeName(t.tool.name) });
  }
  const identities = (key: (c: Candidate) => string, identity: (c: Candidate) => string): Set<string> => {
    const groups = new Map<string, Set<string>>();
    for (const c of candidates) groups.set(key(c), (groups.get(key(c)) ?? new Set()).add(identity(c)));
    return new Set([...groups].filter(([, ids]) => ids.size > 1).map(([k]) => k));
  };
  const clashingNamespaces = identities(
    (c) => c.namespace,
    (c) => c.nsIdentity,
  );
  for (const c of candidates) {
    if (!clashingNamespaces.has(c.namespace)) continue;
    c.namespace = c.namespace.endsWith("__") ? `${c.namespace.slice(0, -2)}${hashSuffix(c.nsIdentity)}__` : c.namespace + hashSuffix(c.nsIdentity);
  }
  const clashingNames = identities(
    (c) => `${c.namespace}\0${c.name}`,
    (c) => c.toolIdentity,
  );
  for (const c of candidates) if (clashingNames.has(`${c.namespace}\0${c.name}`)) c.name += hashSuffix(c.toolIdentity);
  candidates.sort((a, b) => (a.toolIdentity < b.toolIdentity ? -1 : a.toolIdentity > b.toolIdentity ? 1 : 0));

  const used = new Set<string>();
  return candidates.map((c) => {
    let { namespace, name } = c;
    if (namespace.length + name.length + NAME_DELIMITER_BYTES > MAX_TOOL_NAME_BYTES || used.has(namespace + name)) {
      for (let attempt = 0; ; attempt++) {
        const suffix = hashSuffix(attempt === 0 ? c.toolIdentity : `${c.toolIdentity}\0${attempt}`);
        const room = MAX_TOOL_NAME_BYTES - (c.namespace.length + NAME_DELIMITER_BYTES);
        if (room >= suffix.length) [namespace, name] = [c.namespace, c.name.slice(0, room - suffix.length) + suffix];
        else [namespace, name] = [c.namespace.slice(0, Math.max(0, MAX_TOOL_NAME_BYTES - suffix.length - NAME_DELIMITER_BYTES)), suffix];
        if (!used.has(namespace + name)) break;
      }
    }
    used.add(namespace + name);
    return { ...c.tool, namespace, name };
  });
}

/** The namespace's description: the server's instructions, or 0.169's stand-in. */
export function namespaceDescription(namespace: string, instructions: string | undefined): string {
  const trimmed = instructions?.trim() ?? "";
  return trimmed !== "" ? trimmed : `Tools in the ${namespace} namespace.`;
}

/** Thrown by sanitizeInputSchema for a schema 0.169 cannot represent; 0.169 then leaves the tool out. */
export class UnsupportedSchema extends Error {}

type Json = Record<string, unknown>;

const TYPE_NAMES = new Set(["string", "number", "boolean", "integer", "object", "array", "null"]);
const COMPOSITIONS = ["anyOf", "oneOf", "allOf"] as const;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function sortedEntries(o: Json): [string, unknown][] {
  return Object.keys(o)
    .sort()
    .map((k) => [k, o[k]]);
}

function normalizedType(type: unknown): string | string[] | undefined {
  if (typeof type === "string") return TYPE_NAMES.has(type) ? type : undefined;
  if (!Array.isArray(type)) return undefined;
  const names = type.filter((t): t is string => typeof t === "string" && TYPE_NAMES.has(t));
  return names.length === 0 ? undefined : names.length === 1 ? names[0] : names;
}

/**
 * One schema node reduced as 0.169 reduces it (observed key by key): kept are $ref, type, description,
 * enum, items, properties (sorted), required, additionalProperties, minItems, anyOf, oneOf, allOf, $defs
 * and definitions, in that order; `const` becomes a one-value `enum`; `true`/`false` become
 * {type:"string"}; a missing type is inferred (properties/required/additionalProperties → object,
 * items → array, enum/format → string, a numeric bound → number); a node with no type, no $ref and no
 * composition after that becomes {} (its description goes too); an object gets `properties: {}` and an
 * array `items: {type:"string"}` when they have none. Everything else (default, title, format,
 * pattern, bounds, examples, if/then, not, …) is dropped.
 */
function sanitizeNode(node: unknown): Json {
  if (typeof node === "boolean") return { type: "string" };
  if (!isObject(node)) throw new UnsupportedSchema("a schema must be an object");
  if (Array.isArray(node["items"])) throw new UnsupportedSchema("tuple `items` is not supported");

  let type = normalizedType(node["type"]);
  let enumValues = Array.isArray(node["enum"]) ? node["enum"] : undefined;
  if ("const" in node) {
    enumValues = [node["const"]];
    if (node["type"] === undefined) type = undefined;
  }
  const ref = typeof node["$ref"] === "string" ? node["$ref"] : undefined;
  const compositions = COMPOSITIONS.filter((k) => Array.isArray(node[k]));
  if (type === undefined && ref === undefined && compositions.length === 0) {
    if ("properties" in node || "required" in node || "additionalProperties" in node) type = "object";
    else if ("items" in node || "prefixItems" in node) type = "array";
    else if (enumValues !== undefined || "format" in node) type = "string";
    else if (["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"].some((k) => k in node)) type = "number";
    else return {};
  }
  const types = type === undefined ? [] : Array.isArray(type) ? type : [type];

  const out: Json = {};
  if (ref !== undefined) out["$ref"] = ref;
  if (type !== undefined) out["type"] = type;
  if (typeof node["description"] === "string") out["description"] = node["description"];
  if (enumValues !== undefined) out["enum"] = enumValues;
  if (isObject(node["items"])) out["items"] = sanitizeNode(node["items"]);
  else if (types.includes("array")) out["items"] = { type: "string" };
  if (isObject(node["properties"])) out["properties"] = Object.fromEntries(sortedEntries(node["properties"]).map(([k, v]) => [k, sanitizeNode(v)]));
  else if (types.includes("object")) out["properties"] = {};
  if (Array.isArray(node["required"])) out["required"] = node["required"].filter((r) => typeof r === "string");
  const additional = node["additionalProperties"];
  if (typeof additional === "boolean") out["additionalProperties"] = additional;
  else if (isObject(additional)) out["additionalProperties"] = sanitizeNode(additional);
  if (typeof node["minItems"] === "number") out["minItems"] = node["minItems"];
  for (const k of compositions) out[k] = (node[k] as unknown[]).map(sanitizeNode);
  for (const k of ["$defs", "definitions"]) {
    const defs = node[k];
    if (isObject(defs)) out[k] = Object.fromEntries(sortedEntries(defs).map(([name, v]) => [name, sanitizeNode(v)]));
  }
  return out;
}

/** Every `$ref` string below `node`. */
function refsIn(node: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(node)) for (const v of node) refsIn(v, out);
  else if (isObject(node)) {
    for (const [k, v] of Object.entries(node)) {
      if (k === "$ref" && typeof v === "string") out.add(v);
      else refsIn(v, out);
    }
  }
  return out;
}

/**
 * A tool's input schema as 0.169 sends it (sanitizeNode), with the root's `$defs` and `definitions`
 * cut to the entries a `#/$defs/…` or `#/definitions/…` reference reaches (observed: unreferenced
 * entries go, a referenced entry's own references are followed, an emptied table goes).
 */
export function sanitizeInputSchema(schema: unknown): Json {
  const root = sanitizeNode(schema);
  if (root["type"] === undefined && root["$ref"] === undefined) Object.assign(root, { type: "object", properties: root["properties"] ?? {} });
  const tables = ["$defs", "definitions"] as const;
  const { $defs: _d, definitions: _def, ...rest } = root;
  const reached = new Set<string>();
  const pending = [...refsIn(rest, new Set())];
  while (pending.length > 0) {
    const ref = pending.pop() as string;
    if (reached.has(ref)) continue;
    reached.add(ref);
    for (const table of tables) {
      const prefix = `#/${table}/`;
      const defs = root[table];
      if (ref.startsWith(prefix) && isObject(defs)) {
        const entry = defs[ref.slice(prefix.length)];
        if (entry !== undefined) pending.push(...refsIn(entry, new Set()));
      }
    }
  }
  for (const table of tables) {
    const defs = root[table];
    if (!isObject(defs)) continue;
    const kept = Object.entries(defs).filter(([name]) => reached.has(`#/${table}/${name}`));
    if (kept.length === 0) delete root[table];
    else root[table] = Object.fromEntries(kept);
  }
  return root;
}

/** The Responses spec of one tool; `deferred`: found by tool_search (0.169 marks those `defer_loading`). */
export function mcpFunctionSpec(tool: McpModelTool, options: { deferred: boolean }): Json {
  return {
    type: "function",
    name: tool.name,
    description: tool.tool.description ?? "",
    strict: false,
    ...(options.deferred ? { defer_loading: true } : {}),
    parameters: sanitizeInputSchema(tool.tool.inputSchema),
  };
}

function specOrNull(tool: McpModelTool, deferred: boolean): Json | null {
  try {
    return mcpFunctionSpec(tool, { deferred });
  } catch (e) {
    if (e instanceof UnsupportedSchema) return null;
    throw e;
  }
}

/**
 * The `tools` entries for a model without tool_search: one namespace per server, sorted by namespace,
 * tools in modelToolNames order; a tool whose schema 0.169 cannot represent is left out.
 */
export function mcpNamespaceSpecs(tools: readonly McpModelTool[]): Json[] {
  const byNamespace = new Map<string, McpModelTool[]>();
  for (const t of tools) byNamespace.set(t.namespace, [...(byNamespace.get(t.namespace) ?? []), t]);
  return [...byNamespace.keys()].sort().map((ns) => {
    const members = byNamespace.get(ns) ?? [];
    return {
      type: "namespace",
      name: ns,
      description: namespaceDescription(ns, members[0]?.instructions),
      tools: members.map((t) => specOrNull(t, false)).filter((s): s is Json => s !== null),
    };
  });
}

/**
 * What tool_search ranks a tool by (0.169's build_mcp_search_text): the flat name (namespace and name
 * run together), the model's name, the raw name, the server, title, description, the server's
 * instructions and the input schema's property names, sorted.
 */
export function mcpSearchText(tool: McpModelTool): string {
  const t = tool.tool;
  const properties = isObject(t.inputSchema["properties"]) ? Object.keys(t.inputSchema["properties"]).sort() : [];
  const optional = [t.title, t.description, tool.instructions].map((s) => s?.trim() ?? "").filter((s) => s !== "");
  return [tool.namespace + tool.name, tool.name, t.name, tool.server, ...optional, ...properties].join(" ");
}

/** tool_search's entries for the servers' tools (a tool 0.169 cannot represent is not searchable). */
export function mcpDeferredEntries(tools: readonly McpModelTool[]): DeferredToolEntry[] {
  return tools.flatMap((t) => {
    const spec = specOrNull(t, true);
    if (spec === null) return [];
    const output: LoadableToolSpec = { type: "namespace", name: t.namespace, description: namespaceDescription(t.namespace, t.instructions), tools: [spec] };
    return [{ searchText: mcpSearchText(t), output }];
  });
}

/** The answer to a namespaced call that names no known tool. */
export function unsupportedCallOutput(namespace: string | undefined, name: string): string {
  return `unsupported call: ${namespace ?? ""}${name}`;
}

// ── Results ──────────────────────────────────────────────────────────────────────────────────────

/** An MCP `CallToolResult` (content blocks are kept as the server sent them). */
export interface McpCallToolResult {
  readonly content: readonly Json[];
  readonly structuredContent?: unknown;
  readonly isError?: boolean;
  readonly _meta?: unknown;
}

/** What 0.169 puts in place of audio for a model without audio input (gpt-5.5), in the item and for the model. */
export const AUDIO_OMITTED = "<audio content omitted because you do not support audio input>";

/** The result as 0.169 keeps it: audio blocks become AUDIO_OMITTED text blocks, nothing else changes. */
export function resultForModel(result: McpCallToolResult): McpCallToolResult {
  if (!result.content.some((b) => b["type"] === "audio")) return result;
  return { ...result, content: result.content.map((b) => (b["type"] === "audio" ? { type: "text", text: AUDIO_OMITTED } : b)) };
}

export function wallTimeHeader(wallTimeMs: number): string {
  return `Wall time: ${(wallTimeMs / 1000).toFixed(4)} seconds\nOutput:`;
}

type OutputItem = { type: "input_text"; text: string } | { type: "input_image"; image_url: string };

function blockToItem(block: Json): OutputItem {
  if (block["type"] === "text" && typeof block["text"] === "string") return { type: "input_text", text: block["text"] };
  if (block["type"] === "image" && typeof block["data"] === "string") {
    const data = block["data"];
    return { type: "input_image", image_url: data.startsWith("data:") ? data : `data:${String(block["mimeType"] ?? "")};base64,${data}` };
  }
  return { type: "input_text", text: JSON.stringify(block) };
}

/** The model-visible output of a completed call (pass it resultForModel's result); `budgetTokens`: see truncateOutputItems. */
export function mcpResultOutput(result: McpCallToolResult, wallTimeMs: number, budgetTokens: number): ToolOutputContent {
  if (result.structuredContent !== undefined && result.structuredContent !== null) {
    return truncateOutputText(`${wallTimeHeader(wallTimeMs)}\n${JSON.stringify(result.structuredContent)}`, budgetTokens);
  }
  return truncateOutputItems([{ type: "input_text", text: wallTimeHeader(wallTimeMs) }, ...result.content.map(blockToItem)], budgetTokens);
}

/** The model-visible output of a call that failed before or instead of a result (a refusal, an error, a timeout). */
export function mcpErrorOutput(message: string, wallTimeMs: number, budgetTokens: number): ToolOutputContent {
  return truncateOutputItems(
    [
      { type: "input_text", text: wallTimeHeader(wallTimeMs) },
      { type: "input_text", text: message },
    ],
    budgetTokens,
  );
}

/** 0.169's failure texts. */
export const MCP_MESSAGES = {
  approvalPolicyNever: "MCP tool call requires approval, but approval policy is never",
  declined: "user rejected MCP tool call",
  cancelled: "user cancelled MCP tool call",
} as const;

/** The text of a call the server answered with a JSON-RPC error (data, when present, in parentheses). */
export function mcpJsonRpcErrorMessage(server: string, tool: string, error: { code: number; message: string; data?: unknown }): string {
  const data = error.data === undefined ? "" : `(${JSON.stringify(error.data)})`;
  return callFailed(server, tool, `Mcp error: ${error.code}: ${error.message}${data}`);
}

/** The text of a call that outlived the server's `tool_timeout_sec`. */
export function mcpTimeoutMessage(server: string, tool: string, timeoutMs: number): string {
  return callFailed(server, tool, `timed out awaiting tools/call after ${timeoutMs}ms`);
}

/**
 * The text of a call the MCP client could not complete, around its cause: "Mcp error: …" (a JSON-RPC
 * error), "timed out awaiting tools/call after 1000ms", "Transport closed" (the server exited; 0.169
 * does not restart it, later calls fail the same way).
 */
export function mcpToolCallFailedMessage(server: string, tool: string, cause: string): string {
  return callFailed(server, tool, cause);
}

function callFailed(server: string, tool: string, cause: string): string {
  return `tool call error: tool call failed for \`${server}/${tool}\`\n\nCaused by:\n    ${cause}`;
}

/**
 * A call's arguments: null for none (0.169 then calls the tool without arguments), the parsed JSON, or
 * the model's error text for arguments that do not parse (0.169 words it after serde_json, "err: key
 * must be a string at line 1 column 2"; the text after "err: " is Node's here).
 */
export function parseMcpArguments(input: string): { ok: true; value: unknown } | { ok: false; error: string } {
  if (input.trim() === "") return { ok: true, value: null };
  try {
    return { ok: true, value: JSON.parse(input) as unknown };
  } catch (e) {
    return { ok: false, error: `err: ${e instanceof Error ? e.message : String(e)}` };
  }
}

// ── The thread item ──────────────────────────────────────────────────────────────────────────────

export interface McpCallIdentity {
  readonly callId: string;
  /** The configured server name (not the namespace). */
  readonly server: string;
  /** The raw MCP tool name (not the model's). */
  readonly tool: string;
  readonly arguments: unknown;
  readonly readOnlyHint: boolean | null;
}

type McpToolCallItem = Extract<ThreadItem, { type: "mcpToolCall" }>;

function mcpItem(call: McpCallIdentity, rest: Pick<McpToolCallItem, "status" | "result" | "error" | "durationMs">): McpToolCallItem {
  return {
    type: "mcpToolCall",
    id: call.callId,
    server: call.server,
    tool: call.tool,
    status: rest.status,
    arguments: call.arguments,
    appContext: null,
    mcpAppUi: null,
    pluginId: null,
    readOnlyHint: call.readOnlyHint,
    result: rest.result,
    error: rest.error,
    durationMs: rest.durationMs,
  };
}

export function mcpCallStarted(call: McpCallIdentity): McpToolCallItem {
  return mcpItem(call, { status: "inProgress", result: null, error: null, durationMs: null });
}

/** A call the server answered (pass resultForModel's result); isError makes it `failed`. */
export function mcpCallCompleted(call: McpCallIdentity, result: McpCallToolResult, durationMs: number): McpToolCallItem {
  return mcpItem(call, {
    status: result.isError === true ? "failed" : "completed",
    result: { content: [...result.content], structuredContent: result.structuredContent ?? null, _meta: result._meta ?? null },
    error: null,
    durationMs,
  });
}

export function mcpCallFailed(call: McpCallIdentity, message: string, durationMs: number): McpToolCallItem {
  return mcpItem(call, { status: "failed", result: null, error: { message }, durationMs });
}

/**
 * The `message` of item/mcpToolCall/progress {threadId, turnId, itemId, message} for one MCP progress
 * notification (0.169's wording; 0.169 was not seen sending it for stdio servers, whose progress
 * tokens it numbers itself).
 */
export function mcpProgressMessage(progress: number, total?: number, message?: string): string {
  if (message !== undefined) return message;
  return total !== undefined ? `MCP tool progress: ${progress}/${total}` : `MCP tool progress: ${progress}`;
}

// ── Approvals ────────────────────────────────────────────────────────────────────────────────────

/** `[mcp_servers.<name>] default_tools_approval_mode` and `[mcp_servers.<name>.tools.<tool>] approval_mode`. */
export type McpApprovalMode = "auto" | "prompt" | "writes" | "approve";

/** 0.169's rule for `auto` and `writes`: a tool needs approval unless it is read-only, or neither destructive nor open-world (MCP's defaults: both). */
export function toolNeedsApproval(annotations: McpToolAnnotations | undefined): boolean {
  if (annotations === undefined) return true;
  if (annotations.readOnlyHint === true) return false;
  return (annotations.destructiveHint ?? true) || (annotations.openWorldHint ?? true);
}

export type McpApprovalDecision = { kind: "run" } | { kind: "reject"; message: string } | { kind: "ask"; persist: readonly ("session" | "always")[] };

/**
 * Whether a call runs, is refused, or asks the client first (observed matrix):
 * - mode `approve`, or the tool accepted "for the session" earlier: runs;
 * - `prompt` asks for every tool; `auto` and `writes` ask per toolNeedsApproval;
 * - a call that would ask under approval policy `never`: runs when the sandbox is danger-full-access
 *   (or external), else fails with MCP_MESSAGES.approvalPolicyNever;
 * - `untrusted`, `on-request` and any granular policy ask (granular `mcp_elicitations` does not
 *   govern tool approvals, only the server's own elicitations, which it declines when false);
 * - only `auto` offers to remember the answer (`persist: ["session","always"]`).
 */
export function mcpApprovalDecision(input: {
  readonly approvalPolicy: "untrusted" | "on-request" | "never" | "granular";
  readonly sandbox: "readOnly" | "workspaceWrite" | "dangerFullAccess" | "externalSandbox";
  readonly mode: McpApprovalMode;
  readonly annotations: McpToolAnnotations | undefined;
  readonly approvedForSession: boolean;
}): McpApprovalDecision {
  if (input.mode === "approve" || input.approvedForSession) return { kind: "run" };
  const asks = input.mode === "prompt" || toolNeedsApproval(input.annotations);
  if (!asks) return { kind: "run" };
  if (input.approvalPolicy === "never") {
    return input.sandbox === "dangerFullAccess" || input.sandbox === "externalSandbox"
      ? { kind: "run" }
      : { kind: "reject", message: MCP_MESSAGES.approvalPolicyNever };
  }
  return { kind: "ask", persist: input.mode === "auto" ? ["session", "always"] : [] };
}

/** The mcpServer/elicitation/request params 0.169 sends to approve a tool call. */
export function mcpApprovalRequestParams(input: {
  readonly threadId: string;
  readonly turnId: string;
  readonly server: string;
  readonly tool: McpToolDefinition;
  readonly arguments: unknown;
  readonly persist: readonly ("session" | "always")[];
}): Json {
  const args = isObject(input.arguments) ? input.arguments : {};
  const t = input.tool;
  const meta: Json = { codex_approval_kind: "mcp_tool_call" };
  if (input.persist.length > 0) meta["persist"] = [...input.persist];
  meta["tool_name"] = t.name;
  if (t.annotations !== undefined) {
    // As 0.169's ToolAnnotations type serializes them: its five fields in its order, unknown ones dropped.
    const a = t.annotations as Record<string, unknown>;
    meta["tool_annotations"] = Object.fromEntries(
      ["title", "readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"].filter((k) => a[k] !== undefined && a[k] !== null).map((k) => [k, a[k]]),
    );
  }
  if (t.title !== undefined) meta["tool_title"] = t.title;
  if (t.description !== undefined) meta["tool_description"] = t.description;
  meta["tool_params"] = args;
  meta["tool_params_display"] = Object.entries(args).map(([name, value]) => ({ name, value, display_name: name }));
  return {
    threadId: input.threadId,
    turnId: input.turnId,
    serverName: input.server,
    mode: "form",
    _meta: meta,
    message: `Allow the ${input.server} MCP server to run tool "${t.name}"?`,
    requestedSchema: { type: "object", properties: {} },
  };
}

export type McpApprovalAnswer = { kind: "accept"; persist: "session" | "always" | null } | { kind: "decline"; message: string };

/**
 * The client's answer ({action, content?, _meta?}): accept, with `_meta.persist` "session" (0.169 stops
 * asking for that tool in this thread) or "always" (0.169 writes `approval_mode = "approve"` for it
 * to config.toml); decline and cancel refuse the call with their texts. Anything else is a cancel.
 */
export function mcpApprovalAnswer(response: unknown): McpApprovalAnswer {
  const r = isObject(response) ? response : {};
  if (r["action"] === "accept") {
    const persist = isObject(r["_meta"]) ? r["_meta"]["persist"] : undefined;
    return { kind: "accept", persist: persist === "session" || persist === "always" ? persist : null };
  }
  return { kind: "decline", message: r["action"] === "decline" ? MCP_MESSAGES.declined : MCP_MESSAGES.cancelled };
}

// ── Truncation ───────────────────────────────────────────────────────────────────────────────────

/** 0.169's budget for one output: the model's tool-output limit (10,000 tokens for gpt-5.5, or `tool_output_token_limit`) times 1.2. */
export function outputBudgetTokens(toolOutputTokenLimit = 10_000): number {
  return Math.floor(toolOutputTokenLimit * 1.2);
}

function byteLength(s: string): number {
  return Buffer.byteLength(s, "utf8");
}

function approxTokens(s: string): number {
  return Math.ceil(byteLength(s) / 4);
}

/** The first `bytes` bytes of `s`, not splitting a character. */
function headBytes(s: string, bytes: number): string {
  const buf = Buffer.from(s, "utf8");
  let end = Math.min(bytes, buf.length);
  while (end > 0 && end < buf.length && ((buf[end] ?? 0) & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString("utf8");
}

/** The last `bytes` bytes of `s` (fewer rather than a split character). */
function tailBytes(s: string, bytes: number): string {
  const buf = Buffer.from(s, "utf8");
  let start = Math.max(0, buf.length - bytes);
  while (start < buf.length && ((buf[start] ?? 0) & 0xc0) === 0x80) start++;
  return buf.subarray(start).toString("utf8");
}

/** codex's truncate_middle_with_token_budget: head and tail of about `maxTokens` tokens around "…N tokens truncated…". */
function truncateMiddle(s: string, maxTokens: number): string {
  if (s === "") return "";
  const maxBytes = maxTokens * 4;
  const total = byteLength(s);
  if (total <= maxBytes && maxTokens > 0) return s;
  if (maxBytes === 0) return `…${Math.ceil(total / 4)} tokens truncated…`;
  const head = headBytes(s, Math.floor(maxBytes / 2));
  const tailRoom = maxBytes - Math.floor(maxBytes / 2);
  const tail = byteLength(head) + tailRoom > total ? s.slice(head.length) : tailBytes(s, tailRoom);
  const removed = total - byteLength(head) - byteLength(tail);
  return `${head}…${Math.ceil(removed / 4)} tokens truncated…${tail}`;
}

function truncateItemsOnce(items: readonly OutputItem[], budgetTokens: number): OutputItem[] {
  const out: OutputItem[] = [];
  let remaining = budgetTokens;
  let omitted = 0;
  for (const item of items) {
    if (item.type === "input_image") {
      out.push(item);
      continue;
    }
    if (remaining === 0) {
      omitted++;
      continue;
    }
    const cost = approxTokens(item.text);
    if (cost <= remaining) {
      out.push(item);
      remaining -= cost;
    } else {
      const snippet = truncateMiddle(item.text, remaining);
      if (snippet === "") omitted++;
      else out.push({ type: "input_text", text: snippet });
      remaining = 0;
    }
  }
  if (omitted > 0) out.push({ type: "input_text", text: `[omitted ${omitted} text items ...]` });
  return out;
}

/**
 * Content items cut to the budget as 0.169 cuts an MCP result: text items in order until the budget
 * is spent, the item that overflows cut in the middle, the rest replaced by "[omitted N text items
 * ...]"; images are free. 0.169 applies the cut twice (once for the tool, once when the output joins
 * the history), so a cut item's marker is the second pass's: it counts the first marker's bytes
 * ("…7 tokens truncated…" for any large text, observed), not what was removed.
 */
export function truncateOutputItems(items: readonly OutputItem[], budgetTokens: number): OutputItem[] {
  return truncateItemsOnce(truncateItemsOnce(items, budgetTokens), budgetTokens);
}

/**
 * A text output cut once to the budget, with the true count in its marker: what the history's own cut
 * does to a tool that does not cut its output itself (the MCP resource tools; not observed at that size).
 */
export function truncateToolText(text: string, budgetTokens: number): string {
  return truncateMiddle(text, budgetTokens);
}

/** A text output cut as truncateOutputItems cuts one item (twice, observed on a structuredContent result). */
export function truncateOutputText(text: string, budgetTokens: number): string {
  return truncateMiddle(truncateMiddle(text, budgetTokens), budgetTokens);
}
