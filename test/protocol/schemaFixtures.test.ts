// The committed schema/ must equal what the tables generate, so a table change cannot ship without it.
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { renderSchemaBundle } from "../../protocol/schema.js";

const schemaDir = fileURLToPath(new URL("../../schema/", import.meta.url));

describe("schema/", () => {
  const generated = renderSchemaBundle();
  const committed = readdirSync(schemaDir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith(".json"))
    .sort();

  it("has exactly the files the tables generate", () => {
    expect(committed).toEqual([...generated.keys()].sort());
  });

  it("has the generated content in every file (run `npm run schema` when this fails)", () => {
    const stale = [...generated].filter(([file, text]) => committed.includes(file) && readFileSync(schemaDir + file, "utf8") !== text).map(([f]) => f);
    expect(stale).toEqual([]);
  });

  it("lays types out as the reference does", () => {
    expect(generated.has("ClientRequest.json")).toBe(true);
    expect(generated.has("v2/ThreadStartParams.json")).toBe(true);
    expect(generated.has("v1/SendUserTurnParams.json")).toBe(true);
    expect(generated.has("CommandExecutionRequestApprovalParams.json")).toBe(true);
    const doc = JSON.parse(generated.get("v2/ThreadStartParams.json") ?? "{}") as Record<string, unknown>;
    expect(doc["$schema"]).toBe("http://json-schema.org/draft-07/schema#");
    expect(doc["title"]).toBe("ThreadStartParams");
    expect(doc).not.toHaveProperty("$defs");
    expect(JSON.stringify(doc)).not.toContain('"const"');
  });
});
