// Import direction, checked by reading the sources, so that the ESLint rule cannot be switched off in
// one place: cli → transport → rpc → dispatch → handlers → core → sandbox, protocol/ is pure (no
// node:*, nothing from server/ or clients/), clients/ never import server/.
// Within server/ and protocol/ no module imports itself back through a chain of imports. Type-only
// imports count: two modules that each need the other's types cannot be read, changed or moved
// apart, whatever the compiler erases.
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

/** The module specifiers a source text imports or re-exports, `import type` and `import()` included. */
export function specifiersIn(text: string): string[] {
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)].map(
    (m) => (m[1] ?? m[2]) as string,
  );
}

function importsOf(file: string): string[] {
  return specifiersIn(readFileSync(join(root, file), "utf8"));
}

/** Each file to the files among `files` that its relative imports name (`./x.js` is `x.ts`). */
export function importGraph(files: readonly string[], specifiersOf: (file: string) => string[]): Map<string, string[]> {
  const known = new Set(files);
  return new Map(
    files.map((file) => [
      file,
      specifiersOf(file).flatMap((spec) => {
        if (!spec.startsWith(".")) return [];
        const target = relative(root, resolve(root, dirname(file), spec)).replace(/\.js$/, ".ts");
        return known.has(target) ? [target] : [];
      }),
    ]),
  );
}

/** The import cycles a depth-first walk meets, each as the chain that closes it (a → b → a); [] for none. */
export function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const done = new Set<string>();
  const chain: string[] = [];
  const cycles: string[][] = [];
  const visit = (file: string): void => {
    const at = chain.indexOf(file);
    if (at >= 0) {
      cycles.push([...chain.slice(at), file]);
      return;
    }
    if (done.has(file)) return;
    chain.push(file);
    for (const next of graph.get(file) ?? []) visit(next);
    chain.pop();
    done.add(file);
  };
  for (const file of graph.keys()) visit(file);
  return cycles;
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

  it("finds import cycles, type-only ones included (the cycle finder itself works)", () => {
    const text: Record<string, string> = {
      "server/sandbox/launcher.ts": 'import { createSeatbeltLauncher } from "./seatbeltLauncher.js";\nimport * as fs from "node:fs";',
      "server/sandbox/seatbeltLauncher.ts": 'import type {\n  SandboxLauncher,\n} from "./launcher.js";\nimport { SANDBOX_EXEC } from "./seatbelt.js";',
      "server/sandbox/seatbelt.ts": 'import profile from "./seatbeltBase.sbpl";',
    };
    const graph = importGraph(Object.keys(text), (f) => specifiersIn(text[f] ?? ""));
    expect(graph.get("server/sandbox/seatbeltLauncher.ts")).toEqual(["server/sandbox/launcher.ts", "server/sandbox/seatbelt.ts"]);
    expect(importCycles(graph)).toEqual([["server/sandbox/launcher.ts", "server/sandbox/seatbeltLauncher.ts", "server/sandbox/launcher.ts"]]);
    expect(importCycles(new Map([["a.ts", ["a.ts"]]]))).toEqual([["a.ts", "a.ts"]]);
    expect(
      importCycles(
        new Map([
          ["a.ts", ["b.ts", "c.ts"]],
          ["b.ts", ["d.ts"]],
          ["c.ts", ["d.ts"]],
          ["d.ts", []],
        ]),
      ),
    ).toEqual([]);
    expect(
      importCycles(
        new Map([
          ["a.ts", ["b.ts"]],
          ["b.ts", ["c.ts"]],
          ["c.ts", ["b.ts"]],
        ]),
      ),
    ).toEqual([["b.ts", "c.ts", "b.ts"]]);
  });

  it("has no import cycle in server/ or protocol/", () => {
    const files = [...sources("protocol"), ...sources("server")];
    expect(files.length).toBeGreaterThan(20);
    expect(importCycles(importGraph(files, importsOf)).map((c) => c.join(" → "))).toEqual([]);
  });
});
