// `gatehouse app-server generate-json-schema|generate-ts --out DIR [--experimental]`, the reference's
// subcommands. Both derive from the method tables via protocol/schema.ts; `npm run schema` writes the
// committed schema/ with the first.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { renderSchemaBundle } from "../../protocol/schema.js";
import { renderTypeScript } from "../../protocol/tsgen.js";
import { buildSchemaBundle } from "../../protocol/schema.js";

function writeTree(outDir: string, files: Map<string, string>, extension: string): void {
  const root = resolve(outDir);
  mkdirSync(root, { recursive: true });
  // Files of this kind that the tables no longer produce must not linger.
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith(extension)) rmSync(join(entry.parentPath, entry.name));
  }
  for (const [file, text] of files) {
    const path = join(root, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
}

export function generateJsonSchema(outDir: string, experimental: boolean): number {
  const files = renderSchemaBundle({ experimental });
  writeTree(outDir, files, ".json");
  return files.size;
}

export function generateTypeScript(outDir: string, experimental: boolean): number {
  const files = renderTypeScript(buildSchemaBundle({ experimental }));
  writeTree(outDir, files, ".ts");
  return files.size;
}
