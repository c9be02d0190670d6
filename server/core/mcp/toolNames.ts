// The names the model sees for MCP tools, as 0.169 gives them. A server's tools form a namespace
// `mcp__<server>` holding the tools by name (0.169 offers them through tool_search as
// `{type: "namespace", name: "mcp__faulty", tools: [{name: "echo"}, …]}`); flattened, a tool is
// `mcp__<server>__<tool>`. The raw server and tool names stay with each entry: they are what a call
// sends back to the server.
//
// The rule (codex-rs/codex-mcp/src/tools.rs `normalize_tools_for_model_with_prefix`, with the
// constants 0.169 ships; every step below was checked against 0.169.0's tool_search output):
//  1. Sanitise: every character outside [A-Za-z0-9_] becomes `_` (an empty result is `_`). The
//     namespace is `mcp__` + the sanitised server name (no second prefix when it already starts with
//     `mcp__`).
//  2. Two servers whose namespaces sanitise alike both get `_` + the first 12 hex digits of
//     sha1("<server>\0<server>\0") appended to the namespace.
//  3. Two tools of a namespace whose names sanitise alike both get `_` + 12 hex digits of
//     sha1("<server>\0<server>\0\0<tool>\0<tool>") appended.
//  4. In the byte order of that last identity, a tool keeps its name when namespace + tool + 2 (the
//     `__` between them) fits in 128 characters and is not yet taken; otherwise the tool name is cut
//     to make room for `_` + 12 hex digits of the same hash (of "<identity>\0<n>" on the n-th retry).
//     A namespace too long for even that is cut itself.
import { createHash } from "node:crypto";

const PREFIX = "mcp__";
const DELIMITER = "__";
/** 0.169's limit on namespace + `__` + tool name. */
export const MAX_MCP_TOOL_NAME_LENGTH = 128;
const HASH_LENGTH = 12;

/** A tool as its server lists it. */
export interface McpRawToolRef {
  readonly server: string;
  readonly tool: string;
}

/** A tool as the model sees it, with the raw names a call goes back to. */
export interface McpModelToolName extends McpRawToolRef {
  /** `mcp__<server>` after the rule above. */
  readonly namespace: string;
  /** The tool's name inside its namespace. */
  readonly name: string;
  /** `<namespace>__<name>`: the one-string form (0.169's `mcp__<server>__<tool>`), at most 128 characters. */
  readonly qualifiedName: string;
}

/** 0.169's sanitising of a model-visible name part. */
export function sanitizeToolNamePart(value: string): string {
  const out = value.replace(/[^A-Za-z0-9_]/g, "_");
  return out === "" ? "_" : out;
}

function hashSuffix(identity: string): string {
  return `_${createHash("sha1").update(identity, "utf8").digest("hex").slice(0, HASH_LENGTH)}`;
}

/** UTF-8 byte order, as Rust compares strings. */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

interface Candidate {
  readonly ref: McpRawToolRef;
  readonly namespaceIdentity: string;
  readonly toolIdentity: string;
  namespace: string;
  name: string;
}

function collisions<K>(candidates: readonly Candidate[], key: (c: Candidate) => K, identity: (c: Candidate) => string): Set<K> {
  const identities = new Map<K, Set<string>>();
  for (const c of candidates) {
    const k = key(c);
    const set = identities.get(k) ?? new Set<string>();
    set.add(identity(c));
    identities.set(k, set);
  }
  return new Set([...identities].filter(([, ids]) => ids.size > 1).map(([k]) => k));
}

function fitWithHash(namespace: string, name: string, hashInput: string): { namespace: string; name: string } {
  const suffix = hashSuffix(hashInput);
  const maxNameLength = Math.max(0, MAX_MCP_TOOL_NAME_LENGTH - (namespace.length + DELIMITER.length));
  if (maxNameLength >= suffix.length) return { namespace, name: name.slice(0, maxNameLength - suffix.length) + suffix };
  return { namespace: namespace.slice(0, Math.max(0, MAX_MCP_TOOL_NAME_LENGTH - suffix.length - DELIMITER.length)), name: suffix };
}

/**
 * The model-visible names of `tools` (all servers of a thread at once: namespace collisions are
 * between servers). A tool listed twice by the same server appears once. The result is in 0.169's
 * order (by raw identity), which is also stable from one call to the next.
 */
export function modelToolNames(tools: Iterable<McpRawToolRef>): McpModelToolName[] {
  const seen = new Set<string>();
  const candidates: Candidate[] = [];
  for (const ref of tools) {
    const namespaceIdentity = `${ref.server}\0${ref.server}\0`;
    const toolIdentity = `${namespaceIdentity}\0${ref.tool}\0${ref.tool}`;
    if (seen.has(toolIdentity)) continue;
    seen.add(toolIdentity);
    const sanitized = sanitizeToolNamePart(ref.server);
    candidates.push({
      ref,
      namespaceIdentity,
      toolIdentity,
      namespace: sanitized.startsWith(PREFIX) ? sanitized : `${PREFIX}${sanitized}`,
      name: sanitizeToolNamePart(ref.tool),
    });
  }

  const sharedNamespaces = collisions(
    candidates,
    (c) => c.namespace,
    (c) => c.namespaceIdentity,
  );
  for (const c of candidates) if (sharedNamespaces.has(c.namespace)) c.namespace += hashSuffix(c.namespaceIdentity);

  const sharedNames = collisions(
    candidates,
    (c) => `${c.namespace}\0${c.name}`,
    (c) => c.toolIdentity,
  );
  for (const c of candidates) if (sharedNames.has(`${c.namespace}\0${c.name}`)) c.name += hashSuffix(c.toolIdentity);

  candidates.sort((a, b) => byteOrder(a.toolIdentity, b.toolIdentity));
  const used = new Set<string>();
  return candidates.map((c) => {
    let parts = { namespace: c.namespace, name: c.name };
    const fits = (p: { namespace: string; name: string }): boolean => p.namespace.length + p.name.length + DELIMITER.length <= MAX_MCP_TOOL_NAME_LENGTH;
    if (!fits(parts) || used.has(parts.namespace + parts.name)) {
      for (let attempt = 0; ; attempt++) {
        parts = fitWithHash(c.namespace, c.name, attempt === 0 ? c.toolIdentity : `${c.toolIdentity}\0${attempt}`);
        if (!used.has(parts.namespace + parts.name)) break;
      }
    }
    used.add(parts.namespace + parts.name);
    return { ...c.ref, namespace: parts.namespace, name: parts.name, qualifiedName: `${parts.namespace}${DELIMITER}${parts.name}` };
  });
}
