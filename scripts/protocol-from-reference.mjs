#!/usr/bin/env node
// Writes zod source for the in-scope protocol from the reference's JSON Schema bundle.
//
// Why this exists: the wire must match the reference field for field (names, optional vs nullable,
// enums, tagged unions, definition names), and the reference publishes exactly that as JSON Schema.
// Transcribing several hundred definitions by hand would be slow and error-prone, so the zod files in
// protocol/v2 and protocol/v1 were bootstrapped with this script. They are the source of truth now:
// re-run it only to see what a newer reference changed (write to a scratch folder and diff), never
// over hand edits.
//
//   node scripts/protocol-from-reference.mjs --version v2 --out protocol/v2
//   node scripts/protocol-from-reference.mjs --version v1 --out protocol/v1
//
// Inputs: $REF_DIR/<ver>/bin/codex (for the --experimental bundle) and ../shared/design/protocol-scope.json.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith("--") ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const section = args.version ?? "v2";
const outDir = args.out ?? `protocol/${section}`;
const refDir = process.env.REF_DIR ?? path.join(os.homedir(), ".cache/app-server-reference");
const refVersion = section === "v2" ? "0.169.0" : "0.80.0";
const scope = JSON.parse(fs.readFileSync(new URL("../../shared/design/protocol-scope.json", import.meta.url), "utf8"))[section];

// ---- load the reference bundles (stable and experimental) ----
function bundle(dir) {
  const defs = {};
  const unions = {};
  // v1/ first: 0.80 reuses names (AskForApproval, SandboxPolicy) for different v1 and v2 shapes
  const order = (f) => (f.startsWith("v1/") ? 0 : f.startsWith("v2/") ? 2 : 1);
  const files = fs
    .readdirSync(dir, { recursive: true })
    .map(String)
    .sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  for (const f of files) {
    if (!String(f).endsWith(".json") || String(f).includes("schemas.json")) continue;
    const doc = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"));
    const name = path.basename(String(f), ".json");
    for (const [k, v] of Object.entries(doc.definitions ?? {})) defs[k] ??= v;
    const { definitions: _d, $schema: _s, ...root } = doc;
    if (["ClientRequest", "ServerRequest", "ServerNotification", "ClientNotification"].includes(name)) unions[name] = root;
    else defs[name] = root;
  }
  return { defs, unions };
}
const stableDir = path.join(refDir, refVersion, "schema-json");
let expDir = stableDir;
if (section === "v2") {
  expDir = fs.mkdtempSync(path.join(os.tmpdir(), "ref-exp-"));
  execFileSync(path.join(refDir, refVersion, "bin/codex"), ["app-server", "generate-json-schema", "--experimental", "--out", expDir], {
    env: { ...process.env, CODEX_HOME: fs.mkdtempSync(path.join(os.tmpdir(), "ref-home-")) },
    stdio: "ignore",
  });
}
const stable = bundle(stableDir);
const exp = bundle(expDir);
const defs = exp.defs;

// ---- method tables ----
const RESPONSE_OVERRIDES = {
  "config/value/write": "ConfigWriteResponse",
  "config/batchWrite": "ConfigWriteResponse",
  "configRequirements/read": "ConfigRequirementsReadResponse",
  "account/logout": "LogoutAccountResponse",
  "windowsSandbox/readiness": "WindowsSandboxReadinessResponse",
  "config/mcpServer/reload": "McpServerRefreshResponse",
  getUserSavedConfig: "GetUserSavedConfigResponse",
  getUserAgent: "GetUserAgentResponse",
  addConversationListener: "AddConversationSubscriptionResponse",
  removeConversationListener: "RemoveConversationSubscriptionResponse",
};
// The legacy approval requests are in both tables; v1 reuses the 0.169 shapes (a superset of 0.80's).
const V1_FROM_V2 = new Set(["applyPatchApproval", "execCommandApproval"]);

const methods = [];
for (const union of ["ClientRequest", "ServerRequest", "ServerNotification", "ClientNotification"]) {
  for (const v of exp.unions[union].oneOf) {
    const m = v.properties.method.enum[0];
    if (!scope[union].includes(m)) continue;
    const p = v.properties.params;
    const paramsType = p?.$ref?.split("/").pop() ?? null;
    let resultType = null;
    if (union.endsWith("Request")) {
      resultType = RESPONSE_OVERRIDES[m] ?? (paramsType ? paramsType.replace(/Params$/, "") + "Response" : null);
      if (!resultType || !defs[resultType]) throw new Error(`no response type for ${m} (${resultType})`);
    }
    methods.push({ union, method: m, paramsType, resultType, fromV2: section === "v1" && V1_FROM_V2.has(m) });
  }
  const missing = scope[union].filter((m) => !methods.some((x) => x.union === union && x.method === m));
  if (missing.length) process.stderr.write(`${union}: not in the reference: ${missing.join(", ")}\n`);
}

// ---- reachability and file assignment ----
const refsOf = (node, out = new Set()) => {
  if (Array.isArray(node)) node.forEach((n) => refsOf(n, out));
  else if (node && typeof node === "object") {
    if (typeof node.$ref === "string") out.add(node.$ref.split("/").pop());
    for (const v of Object.values(node)) refsOf(v, out);
  }
  return out;
};
const RESOURCE_FILE = [
  [/^(initialize|initialized)$/, "initialize"],
  [/^thread\//, "thread"],
  [/^(turn\/|review\/)/, "turn"],
  [/^item\/(commandExecution|fileChange|permissions)\/requestApproval$|^(applyPatchApproval|execCommandApproval)$/, "approval"],
  [/^item\/tool\//, "toolCall"],
  [/^item\//, "item"],
  [/^command\/exec/, "commandExec"],
  [/^fs\//, "fs"],
  [/^(config\/(read|value|batchWrite)|configRequirements|permissionProfile|configWarning|deprecationNotice)/, "config"],
  [/^(model|modelProvider|experimentalFeature|skills)\//, "catalog"],
  [/^account\//, "account"],
  [/^(mcpServer|config\/mcpServer)/, "mcp"],
  [/^(fuzzyFileSearch|windowsSandbox|windows\/|error$|warning$|serverRequest\/)/, "misc"],
];
const V1_FILE = [
  [/^(applyPatchApproval|execCommandApproval)$/, "approval"],
  [/^(initialize|initialized)$/, "initialize"],
  [/./, "conversation"],
];
const fileFor = (m) => (section === "v1" ? V1_FILE : RESOURCE_FILE).find(([re]) => re.test(m))[1];

const owner = new Map(); // def -> Set(files)
const visit = (name, file, seen = new Set()) => {
  if (seen.has(name)) return;
  seen.add(name);
  if (!defs[name]) throw new Error(`unknown definition ${name}`);
  if (!owner.has(name)) owner.set(name, new Set());
  owner.get(name).add(file);
  for (const r of refsOf(defs[name])) visit(r, file, seen);
};
const roots = [];
for (const m of methods) {
  if (m.fromV2) continue;
  for (const t of [m.paramsType, m.resultType]) if (t) roots.push([t, fileFor(m.method)]);
}
if (section === "v1") roots.push(["EventMsg", "events"]);
for (const [t, f] of roots) visit(t, f);
const fileOf = (name) => {
  const files = owner.get(name);
  return files.size === 1 ? [...files][0] : "shared";
};

// v1 names that clash with a different v2 definition get a V1 prefix; identical ones are imported.
const v2Ids = new Set();
const v2DefsByName = {};
if (section === "v1") {
  // compare with the 0.169 definitions that protocol/v2 actually declares
  const v2Exp = fs.mkdtempSync(path.join(os.tmpdir(), "ref-exp-"));
  execFileSync(path.join(refDir, "0.169.0/bin/codex"), ["app-server", "generate-json-schema", "--experimental", "--out", v2Exp], {
    env: { ...process.env, CODEX_HOME: fs.mkdtempSync(path.join(os.tmpdir(), "ref-home-")) },
    stdio: "ignore",
  });
  Object.assign(v2DefsByName, bundle(v2Exp).defs);
  const v2Src = path.join(outDir, "../v2");
  for (const f of fs.readdirSync(v2Src)) {
    if (!f.endsWith(".ts")) continue;
    for (const m of fs.readFileSync(path.join(v2Src, f), "utf8").matchAll(/^export const (\w+) = /gm)) v2Ids.add(m[1]);
  }
}
const strip = (n) => JSON.stringify(n, (k, v) => (k === "description" || k === "title" ? undefined : v));
const sameAsV2 = (name) => {
  if (!v2DefsByName[name] || !v2Ids.has(name)) return false;
  // identical including everything reachable
  const seen = new Set();
  const eq = (n) => {
    if (seen.has(n)) return true;
    seen.add(n);
    if (!v2DefsByName[n] || !v2Ids.has(n) || strip(v2DefsByName[n]) !== strip(defs[n])) return false;
    return [...refsOf(defs[n])].every(eq);
  };
  return eq(name);
};
const identName = (name) => {
  if (section !== "v1") return name;
  if (v2Ids.has(name) && !sameAsV2(name)) return `V1${name}`;
  return name;
};
const importedFromV2 = (name) => section === "v1" && sameAsV2(name);

// experimental = present in the experimental bundle but not in the stable one
const isExperimentalDef = (name) => section === "v2" && !stable.defs[name];
const isExperimentalField = (defName, field) =>
  section === "v2" && stable.defs[defName] && !isExperimentalDef(defName) && stable.defs[defName].properties && !(field in stable.defs[defName].properties);

// ---- emit zod ----
const q = (s) => JSON.stringify(s);
const identRe = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const key = (k) => (identRe.test(k) ? k : q(k));
const docOf = (node) => (node.description ? node.description.trim() : null);

function discriminator(variants) {
  const objs = variants.map((v) => v);
  if (!objs.every((v) => v.type === "object" && v.properties && !v.anyOf && !v.oneOf)) return null;
  const candidates = Object.keys(objs[0].properties).filter((k) =>
    objs.every((v) => {
      const p = v.properties[k];
      return p && (v.required ?? []).includes(k) && ((Array.isArray(p.enum) && p.enum.length === 1) || p.const !== undefined);
    }),
  );
  for (const c of candidates) {
    const values = objs.map((v) => v.properties[c].enum?.[0] ?? v.properties[c].const);
    if (new Set(values).size === values.length) return c;
  }
  return null;
}

function emitter(file, ordered) {
  const position = new Map(ordered.map((n, i) => [n, i]));
  const imports = new Map(); // module -> Set(names)
  let current = null;
  const refTo = (name) => {
    const id = identName(name);
    if (importedFromV2(name)) {
      const mod = "../v2/index.js";
      if (!imports.has(mod)) imports.set(mod, new Set());
      imports.get(mod).add(name);
      return name;
    }
    const f = fileOf(name);
    if (f !== file) {
      if (!imports.has(`./${f}.js`)) imports.set(`./${f}.js`, new Set());
      imports.get(`./${f}.js`).add(id);
      return id;
    }
    // same file: a forward or self reference must be lazy; its type is erased to break the inference cycle
    if (position.get(name) >= position.get(current)) return `z.lazy((): z.ZodType => ${id})`;
    return id;
  };
  const emit = (node, depth, top = false) => {
    if (
      node === true ||
      node === undefined ||
      (node && typeof node === "object" && Object.keys(node).filter((k) => k !== "description" && k !== "title").length === 0)
    )
      return "z.unknown()";
    if (node.$ref) return refTo(node.$ref.split("/").pop());
    if (node.allOf) {
      if (node.allOf.length === 1) return emit(node.allOf[0], depth);
      return node.allOf.map((n) => emit(n, depth)).reduce((a, b) => `z.intersection(${a}, ${b})`);
    }
    const union = node.oneOf ?? node.anyOf;
    if (union && node.properties) {
      // serde's flattened untagged enum inside a struct: the shared fields and one of the alternatives
      const { oneOf: _o, anyOf: _a, ...rest } = node;
      return `z.intersection(${emit(rest, depth, top)}, ${emit({ anyOf: union }, depth)})`;
    }
    if (union) {
      const nonNull = union.filter((v) => !(v.type === "null"));
      const nullable = nonNull.length !== union.length;
      let inner;
      if (nonNull.length === 1) inner = emit(nonNull[0], depth);
      else {
        const d = discriminator(nonNull);
        const parts = nonNull.map((v) => emit(v, depth + 1));
        const pad = "  ".repeat(depth + 1);
        inner = d
          ? `z.discriminatedUnion(${q(d)}, [\n${parts.map((p) => pad + p).join(",\n")},\n${"  ".repeat(depth)}])`
          : `z.union([\n${parts.map((p) => pad + p).join(",\n")},\n${"  ".repeat(depth)}])`;
      }
      return nullable ? `${inner}.nullable()` : inner;
    }
    let types = Array.isArray(node.type) ? node.type : node.type ? [node.type] : [];
    let nullable = types.includes("null");
    types = types.filter((t) => t !== "null");
    if (node.enum) {
      const vals = node.enum.filter((v) => v !== null);
      if (node.enum.includes(null)) nullable = true;
      let e;
      if (vals.every((v) => typeof v === "string")) e = vals.length === 1 ? `z.literal(${q(vals[0])})` : `z.enum([${vals.map(q).join(", ")}])`;
      else e = `z.union([${vals.map((v) => `z.literal(${q(v)})`).join(", ")}])`;
      return nullable ? `${e}.nullable()` : e;
    }
    if (node.const !== undefined) return `z.literal(${q(node.const)})`;
    if (types.length > 1) {
      const e = `z.union([${types.map((t) => emit({ ...node, type: t }, depth)).join(", ")}])`;
      return nullable ? `${e}.nullable()` : e;
    }
    let e;
    switch (types[0]) {
      case "string":
        e = "z.string()";
        break;
      case "integer":
        e = node.minimum === 0 ? "z.int().min(0)" : "z.int()";
        break;
      case "number":
        e = "z.number()";
        break;
      case "boolean":
        e = "z.boolean()";
        break;
      case "null":
        e = "z.null()";
        break;
      case "array":
        if (Array.isArray(node.items)) e = `z.tuple([${node.items.map((n) => emit(n, depth)).join(", ")}])`;
        else e = `z.array(${emit(node.items ?? true, depth)})`;
        break;
      case "object":
      case undefined: {
        const props = node.properties ?? {};
        const ap = node.additionalProperties;
        if (Object.keys(props).length === 0) {
          if (ap && typeof ap === "object") e = `z.record(z.string(), ${emit(ap, depth)})`;
          else if (ap === false) e = "z.strictObject({})";
          else if (types[0] === "object") e = "z.record(z.string(), z.unknown())";
          else e = "z.unknown()";
          break;
        }
        const req = new Set(node.required ?? []);
        const pad = "  ".repeat(depth + 1);
        const lines = Object.entries(props).map(([k, v]) => {
          let fe = emit(v, depth + 1);
          const optional = !req.has(k);
          if (optional) fe = fe.endsWith(".nullable()") ? fe.slice(0, -".nullable()".length) + ".nullish()" : `${fe}.optional()`;
          const doc = docOf(v) ?? (v.allOf && docOf(v));
          const experimental = top && isExperimentalField(current, k);
          if (experimental) fe = `${fe}.meta({ experimental: true })`;
          return `${doc ? `${pad}/** ${doc.replace(/\*\//g, "*\\/").replace(/\n/g, `\n${pad} * `)} */\n` : ""}${pad}${key(k)}: ${fe},`;
        });
        const ctor = ap === false ? "z.strictObject" : "z.object";
        e = `${ctor}({\n${lines.join("\n")}\n${"  ".repeat(depth)}})`;
        if (ap && typeof ap === "object") e = `${e}.catchall(${emit(ap, depth)})`;
        break;
      }
      default:
        throw new Error(`unhandled type ${types[0]}`);
    }
    return nullable ? `${e}.nullable()` : e;
  };
  const emitDef = (name) => {
    current = name;
    const node = defs[name];
    const id = identName(name);
    const meta = { id };
    if (isExperimentalDef(name)) meta.experimental = true;
    const doc = docOf(node);
    const body = emit(node, 0, true);
    const metaText = `{ id: ${q(id)}${meta.experimental ? ", experimental: true" : ""} }`;
    // An alias of another named type must not tag that type's own instance: .meta clones it.
    const registration = /^[A-Za-z_$][\w$]*$/.test(body) ? `.meta(${metaText})` : `.register(z.globalRegistry, ${metaText})`;
    return `${doc ? `/** ${doc.replace(/\*\//g, "*\\/").replace(/\n/g, "\n * ")} */\n` : ""}export const ${id} = ${body}${registration};\nexport type ${id} = z.infer<typeof ${id}>;\n`;
  };
  return { emitDef, imports };
}

// topological order within each file (dependencies first); cycles fall back to lazy references
function topo(names) {
  const set = new Set(names);
  const out = [];
  const state = new Map();
  const go = (n) => {
    if (state.get(n) === 2 || state.get(n) === 1) return;
    state.set(n, 1);
    for (const r of [...refsOf(defs[n])].sort()) if (set.has(r)) go(r);
    state.set(n, 2);
    out.push(n);
  };
  [...names].sort().forEach(go);
  return out;
}

fs.mkdirSync(outDir, { recursive: true });
const files = new Map();
for (const name of owner.keys()) {
  if (importedFromV2(name)) continue;
  const f = fileOf(name);
  if (!files.has(f)) files.set(f, []);
  files.get(f).push(name);
}
const header = (f) =>
  `// ${f}: ${section} protocol payloads, field for field as the reference (codex-cli ${refVersion}).\n` +
  `// Bootstrapped from the reference JSON Schema by scripts/protocol-from-reference.mjs; maintained by hand since.\n` +
  `// Conventions: optional params fields are .nullish(), optional result fields .nullable()\n` +
  `// and always present; every named type is registered with .register(z.globalRegistry, { id }) so the generated\n` +
  `// schema's definitions match (not .meta({ id }), which builds the schema twice: a clone to register).\n`;
for (const [f, names] of files) {
  const ordered = topo(names);
  const { emitDef, imports } = emitter(f, ordered);
  const body = ordered.map(emitDef).join("\n");
  const importLines = [...imports]
    .filter(([mod]) => mod !== `./${f}.js`)
    .sort()
    .map(([mod, ns]) => `import { ${[...ns].sort().join(", ")} } from "${mod}";`);
  const text = `${header(f)}import * as z from "zod";\n${importLines.join("\n")}${importLines.length ? "\n" : ""}\n${body}`;
  fs.writeFileSync(path.join(outDir, `${f}.ts`), text);
}

// the method table rows, for methods.ts
const rows = methods.map((m) => {
  const p = m.paramsType ? identName(m.paramsType) : null;
  const r = m.resultType ? identName(m.resultType) : null;
  return { ...m, p, r, file: fileFor(m.method) };
});
fs.writeFileSync(path.join(outDir, ".methods.json"), JSON.stringify(rows, null, 1));
process.stderr.write(`wrote ${files.size} files, ${owner.size} definitions, ${rows.length} methods to ${outDir}\n`);
