// `npm run schema:check`: fails when the committed schema/ differs from what the tables generate.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const fresh = mkdtempSync(join(tmpdir(), "gatehouse-schema-"));
try {
  execFileSync(process.execPath, ["dist/gatehouse.mjs", "app-server", "generate-json-schema", "--out", fresh], { stdio: ["ignore", "ignore", "inherit"] });
  const list = (dir) =>
    readdirSync(dir, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith(".json"))
      .sort();
  const want = list(fresh);
  const have = list("schema");
  const problems = [];
  for (const f of want) if (!have.includes(f)) problems.push(`missing: schema/${f}`);
  for (const f of have) if (!want.includes(f)) problems.push(`no longer generated: schema/${f}`);
  for (const f of want)
    if (have.includes(f) && readFileSync(join(fresh, f), "utf8") !== readFileSync(join("schema", f), "utf8")) problems.push(`stale: schema/${f}`);
  if (problems.length) {
    console.error(`schema/ is stale (${problems.length} files); run \`npm run schema\` and commit the result:\n  ${problems.slice(0, 20).join("\n  ")}`);
    process.exit(1);
  }
  console.log(`schema/ is current (${want.length} files)`);
} finally {
  rmSync(fresh, { recursive: true, force: true });
}
