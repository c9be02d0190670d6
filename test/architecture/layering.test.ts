// Import direction, checked by reading the sources (architecture.md §18), so that the ESLint rule
// cannot be switched off in one place: cli → transport → rpc → dispatch → handlers → core → sandbox,
// protocol/ is pure (no node:*, nothing from server/ or clients/), clients/ never import server/.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const LAYERS = ["cli", "transport", "rpc", "dispatch", "handlers", "core", "sandbox"];

function sources(dir: string): string[] {
  if (!existsSync(join(root, dir))) return [];
  return readdirSync(join(root, dir), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
    .map((f) => join(dir, f));
}

function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), "utf8");
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)].map((m) => (m[1] ?? m[2]) as string);
}

function layerOf(file: string): string | null {
  const parts = file.split("/");
  return parts[0] === "server" && parts.length > 2 && LAYERS.includes(parts[1] as string) ? (parts[1] as string) : null;
}

/** Returns the violations for one file's imports. */
export function violations(file: string, specifiers: string[]): string[] {
  const out: string[] = [];
  for (const spec of specifiers) {
    const target = spec.startsWith(".") ? relative(root, resolve(root, dirname(file), spec)) : null;
    if (file.startsWith("protocol/")) {
      if (spec.startsWith("node:")) out.push(`${file}: protocol/ must not import ${spec}`);
      if (target && !target.startsWith("protocol/")) out.push(`${file}: protocol/ must not import ${target}`);
      continue;
    }
    if (file.startsWith("clients/") && target?.startsWith("server/")) out.push(`${file}: clients/ must not import ${target}`);
    const from = layerOf(file);
    const to = target ? layerOf(target) : null;
    if (from && to && LAYERS.indexOf(to) < LAYERS.indexOf(from)) out.push(`${file}: server/${from} must not import server/${to} (${spec})`);
    const rootFile = target?.replace(/\.js$/, ".ts");
    const allowedRoots = from === "cli" ? ["server/log.ts", "server/version.ts", "server/app.ts"] : ["server/log.ts", "server/version.ts"];
    if (from && target?.startsWith("server/") && !to && !allowedRoots.includes(rootFile ?? "")) {
      out.push(`${file}: a layer must not import the composition root ${target}`);
    }
  }
  return out;
}

describe("layering", () => {
  it("detects a violation (the checker itself works)", () => {
    expect(violations("server/core/x.ts", ["../rpc/connection.js"])).toHaveLength(1);
    expect(violations("server/sandbox/x.ts", ["../handlers/a.js"])).toHaveLength(1);
    expect(violations("protocol/x.ts", ["node:fs"])).toHaveLength(1);
    expect(violations("protocol/v2/x.ts", ["../../server/log.js"])).toHaveLength(1);
    expect(violations("clients/typescript/x.ts", ["../../server/rpc/x.js"])).toHaveLength(1);
    expect(violations("server/core/x.ts", ["../app.js"])).toHaveLength(1);
    expect(violations("server/cli/x.ts", ["../app.js"])).toEqual([]);
    expect(violations("server/rpc/x.ts", ["../core/ports.js", "../../protocol/errors.js", "../log.js"])).toEqual([]);
  });

  it("holds for every source file", () => {
    const files = [...sources("protocol"), ...sources("server"), ...sources("clients")];
    expect(files.length).toBeGreaterThan(20);
    const found = files.flatMap((f) => violations(f, importsOf(f)));
    expect(found).toEqual([]);
  });
});
