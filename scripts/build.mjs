// Bundles the CLI (and the client/protocol entry points) into dist/ with esbuild.
// Why bundle: a cold `gatehouse app-server` start resolves one file instead of hundreds of
// modules, which is most of the start-up time on Node (see bench/).
// Why split and minify the CLI: subcommands and transports are imported on demand (server/main.ts,
// server/cli/appServer.ts), so with code splitting `app-server` over stdio never reads or parses the
// schema generator, the sandbox tools or ws; minifying halves what V8 still has to read and pre-parse.
// Identifiers are minified too: nothing in the code or its dependencies relies on a function or class
// name (errors set `name` explicitly), and the linked source map keeps stack traces readable with
// `node --enable-source-maps`.
import { build } from "esbuild";
import { chmodSync, existsSync, rmSync } from "node:fs";

const shared = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: "linked",
  logLevel: "warning",
  // Native addons and packages that find their .wasm next to their own module stay in node_modules.
  external: ["@lydell/node-pty", "web-tree-sitter", "tree-sitter-bash"],
  // Some dependencies are CommonJS and call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __gatehouseCreateRequire } from 'node:module'; const require = __gatehouseCreateRequire(import.meta.url);",
  },
};

// How `gatehouse` (dist/gatehouse.mjs run as a program, as npm's bin link and the image run it)
// starts Node. These two settings only take effect before the process starts, and without them a
// long-lived daemon's RSS creeps up with every turn (bench/, `--only soak`: 1,000 short turns grew
// RSS by 29-32 MB after turn 100 without them, 12-15 MB with both, 15-22 MB with the V8 flag alone;
// with both, glibc's main arena does not grow at all and what grows is V8's old and code spaces):
// - MALLOC_MMAP_THRESHOLD_: glibc raises its mmap threshold to the size of each large block freed,
//   so the model request bodies, which grow with the thread, end up carved from the heap and
//   fragment it; a fixed threshold keeps them in mappings that go back to the system when freed.
// - --max-semi-space-size=8: V8 grows the young generation to 2×16 MiB under a turn's allocation
//   rate and keeps it. The price: any explicit heap-size flag costs Node 10-15 ms at start (the
//   cold-start bench line goes from about 0.77× to 0.85× of the reference); a long-lived daemon's
//   memory is worth more than that, once.
// GATEHOUSE_LAUNCHER_ENV names what the line set, so the daemon removes it from its environment
// at start (server/main.ts) and the commands it runs do not inherit it.
const LAUNCHER_ENV = { MALLOC_MMAP_THRESHOLD_: "131072" };
const HASHBANG =
  "#!/usr/bin/env -S " +
  Object.entries(LAUNCHER_ENV)
    .map(([k, v]) => `${k}=${v} `)
    .join("") +
  `GATEHOUSE_LAUNCHER_ENV=${Object.keys(LAUNCHER_ENV).join(",")} node --max-semi-space-size=8\n`;

// The MCP SDK's Client imports its ajv-based JSON Schema validator even when the caller passes its own,
// as Gatehouse always does (core/mcp/mcpConnection.ts: tool results are passed through to the model, not
// validated). ajv and ajv-formats are most of what loading the SDK costs a thread's first MCP start, so
// the bundle gets a stand-in that refuses to be constructed: a future caller that forgets its own
// validator fails loudly instead of silently validating nothing.
const mcpSdkWithoutAjv = {
  name: "mcp-sdk-without-ajv",
  setup(b) {
    b.onResolve({ filter: /\/validation\/ajv-provider\.js$/ }, (args) =>
      args.importer.includes("@modelcontextprotocol/sdk") ? { path: "ajv-provider", namespace: "mcp-sdk-without-ajv" } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "mcp-sdk-without-ajv" }, () => ({
      contents: "export class AjvJsonSchemaValidator { constructor() { throw new Error('the MCP SDK was bundled without ajv: pass a jsonSchemaValidator'); } }",
      loader: "js",
    }));
  },
};

// Chunks of an earlier build have content hashes in their names; stale ones must not pile up.
rmSync("dist/chunks", { recursive: true, force: true });

await Promise.all([
  build({
    ...shared,
    entryPoints: { gatehouse: "server/main.ts" },
    outdir: "dist",
    outExtension: { ".js": ".mjs" },
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    minify: true,
    plugins: [mcpSdkWithoutAjv],
    // The banner goes on every chunk; a hashbang is a comment to the ESM loader outside the entry.
    banner: { js: HASHBANG + shared.banner.js },
  }),
  build({
    ...shared,
    entryPoints: { ...(existsSync("clients/typescript/index.ts") ? { client: "clients/typescript/index.ts" } : {}), protocol: "protocol/index.ts" },
    outdir: "dist",
    outExtension: { ".js": ".mjs" },
  }),
  // Managed networking's relay runs as its own program inside the sandbox (server/sandbox/netRelay.ts);
  // the launcher finds it beside the bundle (linuxLauncher.ts defaultRelayScript). Node built-ins only.
  build({ ...shared, entryPoints: { netRelay: "server/sandbox/netRelay.ts" }, outdir: "dist", outExtension: { ".js": ".mjs" }, minify: true }),
]);
chmodSync("dist/gatehouse.mjs", 0o755);
