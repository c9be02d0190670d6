// Builds the JSON Schema bundle from the method tables, in memory, in the reference's layout
// (so the two bundles compare file by file): one draft-07 document per type with `definitions`, v2 types under `v2/`,
// v1 types under `v1/`, the server requests' types and the four unions at the top. The unions hold
// both tables, as 0.80's do, because wire-check reads the top-level union first.
//
// Direction decides zod's io mode: what a peer sends us is validated as input (open objects, defaulted
// fields optional), what we send is output. The result is normalised to the reference's style
// (schemars): `type: [T, "null"]` instead of anyOf-with-null, single-value `enum` instead of `const`,
// no safe-integer bounds, and experimental fields left out unless asked for.
import * as z from "zod";
import type { NotificationTable, ProtocolTable, RequestTable } from "./define.js";
import { NoParams } from "./define.js";
import { v1Table } from "./v1/methods.js";
import { EventMsg } from "./v1/shared.js";
import { RequestId } from "./v2/misc.js";
import { v2Table } from "./v2/methods.js";

type Json = Record<string, unknown>;
type Io = "input" | "output";

export interface SchemaBundleOptions {
  /** Include experimental methods and fields, as the reference's `--experimental`. */
  experimental?: boolean;
}

/** Relative file path (e.g. `v2/ThreadStartParams.json`) → document. */
export type SchemaBundle = Map<string, Json>;

const SAFE = Number.MAX_SAFE_INTEGER;

function idOf(schema: z.ZodType): string | undefined {
  return (z.globalRegistry.get(schema) as { id?: string } | undefined)?.id;
}

/** Rewrites zod's output into the reference's idioms; drops experimental fields unless kept. */
export function normalizeSchema(node: unknown, keepExperimental: boolean): unknown {
  if (Array.isArray(node)) return node.map((n) => normalizeSchema(n, keepExperimental));
  if (!node || typeof node !== "object") return node;
  const src = node as Json;
  let out: Json = {};
  for (const [k, v] of Object.entries(src)) {
    if (k === "properties" && v && typeof v === "object") {
      const props: Json = {};
      const dropped = new Set<string>();
      for (const [pk, pv] of Object.entries(v as Json)) {
        if (!keepExperimental && (pv as Json)?.["experimental"] === true) dropped.add(pk);
        else props[pk] = normalizeSchema(pv, keepExperimental);
      }
      out[k] = props;
      if (dropped.size && Array.isArray(src["required"])) {
        out["required"] = (src["required"] as string[]).filter((r) => !dropped.has(r));
      }
      continue;
    }
    if (k === "required" && "required" in out) continue;
    if (k === "experimental") continue;
    if ((k === "minimum" && v === -SAFE) || (k === "maximum" && v === SAFE)) continue;
    out[k] = normalizeSchema(v, keepExperimental);
  }
  if ("const" in out) {
    out["enum"] = [out["const"]];
    delete out["const"];
  }
  // zod writes an intersection as allOf; serde's flattened enum inside a struct is written by the
  // reference as the struct's own properties beside the alternatives.
  const all = out["allOf"];
  if (Array.isArray(all) && all.length === 2) {
    const [base, choice] = all as [Json, Json];
    if (base["type"] === "object" && base["properties"] && (choice["anyOf"] || choice["oneOf"]) && Object.keys(choice).length === 1) {
      const { allOf: _drop, ...rest } = out;
      out = { ...rest, ...base, ...choice };
    }
  }
  const alts = out["anyOf"];
  if (Array.isArray(alts) && alts.length === 2) {
    const nullIdx = alts.findIndex((a) => (a as Json)?.["type"] === "null" && Object.keys(a as Json).length === 1);
    const other = alts[1 - nullIdx] as Json | undefined;
    if (nullIdx >= 0 && other && typeof other["type"] === "string" && !other["$ref"] && !other["anyOf"] && !other["oneOf"] && !other["allOf"]) {
      const { anyOf: _drop, ...rest } = out;
      out = { ...rest, ...other, type: [other["type"], "null"] };
      if (Array.isArray(other["enum"])) out["enum"] = [...(other["enum"] as unknown[]), null];
    }
  }
  return out;
}

/** Removes definitions no longer reachable from the document's root (after experimental fields went). */
function pruneDefinitions(doc: Json): Json {
  const defs = doc["definitions"] as Record<string, unknown> | undefined;
  if (!defs) return doc;
  const used = new Set<string>();
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === "object") {
      for (const [k, v] of Object.entries(n as Json)) {
        if (k === "$ref" && typeof v === "string" && v.startsWith("#/definitions/")) {
          const name = v.slice("#/definitions/".length);
          if (!used.has(name)) {
            used.add(name);
            walk(defs[name]);
          }
        } else if (k !== "definitions") walk(v);
      }
    }
  };
  walk(doc);
  const kept: Record<string, unknown> = {};
  for (const name of Object.keys(defs).sort()) if (used.has(name)) kept[name] = defs[name];
  const { definitions: _d, ...rest } = doc;
  return Object.keys(kept).length ? { ...rest, definitions: kept } : rest;
}

function sortKeys(n: unknown): unknown {
  if (Array.isArray(n)) return n.map(sortKeys);
  if (!n || typeof n !== "object") return n;
  const out: Json = {};
  for (const k of Object.keys(n as Json).sort()) out[k] = sortKeys((n as Json)[k]);
  return out;
}

function convert(schema: z.ZodType, io: Io): Json {
  return z.toJSONSchema(schema, { target: "draft-07", io, unrepresentable: "any" }) as Json;
}

/** One type as a standalone document: the type itself at the root, its dependencies in definitions. */
export function typeDocument(schema: z.ZodType, io: Io, options: SchemaBundleOptions = {}): Json {
  const id = idOf(schema);
  let doc = normalizeSchema(convert(schema, io), options.experimental ?? false) as Json;
  const ref = doc["$ref"];
  if (id && typeof ref === "string" && ref === `#/definitions/${id}`) {
    const defs = { ...(doc["definitions"] as Json) };
    const root = defs[id] as Json;
    const selfReferencing = JSON.stringify(root).includes(`"#/definitions/${id}"`);
    if (!selfReferencing) delete defs[id];
    const { $ref: _r, definitions: _d, ...rest } = doc;
    doc = { ...rest, ...root, title: id, definitions: defs };
  }
  return sortKeys(pruneDefinitions(doc)) as Json;
}

const cap = (m: string): string => m.charAt(0).toUpperCase() + m.slice(1);

interface UnionEntry {
  method: string;
  params: z.ZodType;
}

function unionDocument(
  title: string,
  entries: UnionEntry[],
  kind: "request" | "notification",
  io: Io,
  options: SchemaBundleOptions,
  description?: string,
): Json {
  const shape: Record<string, z.ZodType> = { __requestId: RequestId };
  entries.forEach((e, i) => {
    if (e.params !== NoParams) shape[`p${i}`] = e.params;
  });
  const carrier = normalizeSchema(convert(z.object(shape), io), options.experimental ?? false) as Json;
  const variants = entries.map((e) => {
    const suffix = kind === "request" ? "Request" : "Notification";
    const props: Json = {};
    if (kind === "request") props["id"] = { $ref: "#/definitions/RequestId" };
    props["method"] = { enum: [e.method], title: `${cap(e.method)}${suffix}Method`, type: "string" };
    const pid = idOf(e.params);
    const required = kind === "request" ? ["id", "method"] : ["method"];
    if (e.params === NoParams) props["params"] = { type: "null" };
    else {
      props["params"] = pid ? { $ref: `#/definitions/${pid}` } : (carrier["properties"] as Json)[`p${entries.indexOf(e)}`];
      required.push("params");
    }
    return { properties: props, required, title: `${cap(e.method)}${suffix}`, type: "object" };
  });
  const doc: Json = {
    $schema: "http://json-schema.org/draft-07/schema#",
    ...(description ? { description } : {}),
    oneOf: variants,
    title,
    definitions: carrier["definitions"] ?? {},
  };
  if (title === "ServerNotification") {
    doc["properties"] = {
      emittedAtMs: { description: "Unix timestamp (in milliseconds) when app-server emitted this notification.", format: "int64", type: "integer" },
    };
  }
  return sortKeys(pruneDefinitions(doc)) as Json;
}

function mergeTables(a: RequestTable | NotificationTable, b: RequestTable | NotificationTable, experimental: boolean): UnionEntry[] {
  const out = new Map<string, UnionEntry>();
  for (const table of [a, b]) {
    for (const [method, spec] of Object.entries(table)) {
      if (spec.experimental && !experimental) continue;
      if (!out.has(method)) out.set(method, { method, params: spec.params });
    }
  }
  return [...out.values()];
}

/** Where a type's file goes: server-request types at the top (as the reference), else by table. */
function placeTypes(bundle: SchemaBundle, table: ProtocolTable, folder: "v1" | "v2", options: SchemaBundleOptions): void {
  const put = (schema: z.ZodType, io: Io, dir: string): void => {
    const id = idOf(schema);
    if (!id || schema === NoParams) return;
    for (const existing of ["", "v1/", "v2/"]) if (bundle.has(`${existing}${id}.json`)) return;
    bundle.set(`${dir}${id}.json`, typeDocument(schema, io, options));
  };
  for (const [method, spec] of Object.entries(table.clientRequests)) {
    if (spec.experimental && !options.experimental) continue;
    const dir = method === "initialize" ? "v1/" : `${folder}/`;
    put(spec.params, "input", dir);
    put(spec.result, "output", dir);
  }
  for (const spec of Object.values(table.serverRequests)) {
    if (spec.experimental && !options.experimental) continue;
    put(spec.params, "output", "");
    put(spec.result, "input", "");
  }
  for (const spec of Object.values(table.serverNotifications)) {
    if (spec.experimental && !options.experimental) continue;
    put(spec.params, "output", `${folder}/`);
  }
}

export function buildSchemaBundle(options: SchemaBundleOptions = {}): SchemaBundle {
  const experimental = options.experimental ?? false;
  const bundle: SchemaBundle = new Map();
  bundle.set(
    "ClientRequest.json",
    unionDocument("ClientRequest", mergeTables(v2Table.clientRequests, v1Table.clientRequests, experimental), "request", "input", options),
  );
  bundle.set(
    "ServerRequest.json",
    unionDocument(
      "ServerRequest",
      mergeTables(v2Table.serverRequests, v1Table.serverRequests, experimental),
      "request",
      "output",
      options,
      "Request initiated from the server and sent to the client.",
    ),
  );
  bundle.set(
    "ServerNotification.json",
    unionDocument(
      "ServerNotification",
      mergeTables(v2Table.serverNotifications, v1Table.serverNotifications, experimental),
      "notification",
      "output",
      options,
      "Notification sent from the server to the client.",
    ),
  );
  bundle.set(
    "ClientNotification.json",
    unionDocument("ClientNotification", mergeTables(v2Table.clientNotifications, v1Table.clientNotifications, experimental), "notification", "input", options),
  );
  bundle.set("RequestId.json", typeDocument(RequestId, "input", options));
  bundle.set("EventMsg.json", typeDocument(EventMsg, "output", options));
  placeTypes(bundle, v2Table, "v2", options);
  placeTypes(bundle, v1Table, "v1", options);
  return new Map([...bundle].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The bundle as file path → text, exactly as written to disk. */
export function renderSchemaBundle(options: SchemaBundleOptions = {}): Map<string, string> {
  const out = new Map<string, string>();
  for (const [file, doc] of buildSchemaBundle(options)) out.set(file, `${JSON.stringify(doc, null, 2)}\n`);
  return out;
}
