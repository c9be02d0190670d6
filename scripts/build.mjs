// Bundles the CLI (and the client/protocol entry points) into dist/ with esbuild.
// Why bundle: a cold `gatehouse app-server` start resolves one file instead of hundreds of
// modules, which is most of the start-up time on Node (see bench/).
import { build } from "esbuild";
import { chmodSync, existsSync } from "node:fs";

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

await Promise.all([
  build({
    ...shared,
    entryPoints: { gatehouse: "server/main.ts" },
    outdir: "dist",
    outExtension: { ".js": ".mjs" },
    banner: { js: "#!/usr/bin/env node\n" + shared.banner.js },
  }),
  build({
    ...shared,
    entryPoints: { ...(existsSync("clients/typescript/index.ts") ? { client: "clients/typescript/index.ts" } : {}), protocol: "protocol/index.ts" },
    outdir: "dist",
    outExtension: { ".js": ".mjs" },
  }),
]);
chmodSync("dist/gatehouse.mjs", 0o755);
