#!/usr/bin/env node
// Writes deploy/kubernetes/*.yaml from the typed objects (render.ts). Node 20 cannot import
// TypeScript, so esbuild (already the build's bundler) compiles render.ts and manifests.ts into one
// temporary module beside them (`.tmp-*`, git-ignored), with the packages left as imports, which Node
// then loads from node_modules as usual. Usage: node deploy/kubernetes/generate.mjs
import { build } from "esbuild";
import { rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, `.tmp-render-${process.pid}.mjs`);
try {
  await build({
    entryPoints: [join(here, "render.ts")],
    outfile: out,
    bundle: true,
    packages: "external",
    platform: "node",
    format: "esm",
    logLevel: "warning",
  });
  const { renderAll } = await import(pathToFileURL(out).href);
  for (const [name, text] of Object.entries(renderAll())) {
    writeFileSync(join(here, name), text);
    console.log(`wrote deploy/kubernetes/${name}`);
  }
} finally {
  rmSync(out, { force: true });
}
