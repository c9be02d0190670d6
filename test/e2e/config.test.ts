// config/*, catalogs and config warnings against the real daemon, with transcripts validated against
// the reference schema (../shared/tools/wire-check.mjs traffic).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startDaemon, type RawDaemon } from "../helpers/daemon.js";
import { REF_DIR } from "../helpers/globalSetup.js";
import { wireCheckTraffic } from "../helpers/wireCheck.js";

const REF_SCHEMA = join(REF_DIR, "0.169.0/schema-json");

let daemon: RawDaemon | undefined;
afterEach(async () => {
  await daemon?.stop();
  daemon = undefined;
});

const CONFIG = `model = "gpt-5.5"
model_provider = "mock"
approval_policy = "never"
sandbox_mode = "read-only"
bogus_key = 1
experimental_use_exec_command_tool = true

[model_providers.mock]
name = "conformance mock"
base_url = "http://127.0.0.1:9/v1"
wire_api = "responses"
`;

function transcript(d: RawDaemon, sent: unknown[]): string {
  const file = join(d.home.base, "transcript.jsonl");
  const lines = [...sent.map((msg) => ({ dir: "in", msg })), ...d.messages.map((msg) => ({ dir: "out", msg }))];
  writeFileSync(file, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
  return file;
}

describe("config and catalogs", () => {
  it("warns about unknown and deprecated keys without stopping, and answers config/read", async () => {
    daemon = startDaemon({ config: CONFIG, args: ["-c", 'model="o3"', "-c", "features.shell_tool=false"] });
    await daemon.initialize();
    const warning = await daemon.waitFor((m) => m["method"] === "configWarning");
    expect((warning["params"] as { summary: string }).summary).toContain("`bogus_key` is ignored");
    expect(warning).toHaveProperty("emittedAtMs");
    const notice = await daemon.waitFor((m) => m["method"] === "deprecationNotice");
    expect((notice["params"] as { summary: string }).summary).toContain("experimental_use_exec_command_tool");
    expect(daemon.stderr()).toContain("bogus_key");

    const read = (await daemon.request("config/read", { includeLayers: true }))["result"] as {
      config: Record<string, unknown>;
      origins: Record<string, { name: { type: string } }>;
      layers: Array<{ name: { type: string } }>;
    };
    expect(read.config["model"]).toBe("o3");
    expect(read.config["model_provider"]).toBe("mock");
    expect(read.origins["model"]?.name.type).toBe("sessionFlags");
    expect(read.origins["model_provider"]?.name.type).toBe("user");
    // Highest precedence first, as 0.169 lists them; the system layer is always present (its file may be absent).
    expect(read.layers.map((l) => l.name.type)).toEqual(["sessionFlags", "user", "system"]);

    const features = (await daemon.request("experimentalFeature/list", {}))["result"] as { data: Array<{ name: string; enabled: boolean }> };
    expect(features.data.find((f) => f.name === "shell_tool")?.enabled).toBe(false);
    const providers = (await daemon.request("modelProvider/list", {}))["result"] as { defaultProviderId: string; data: Array<{ id: string }> };
    expect(providers.defaultProviderId).toBe("mock");
    expect(providers.data.map((p) => p.id)).toEqual(["mock", "openai"]);
  });

  it("survives a config.toml that does not parse", async () => {
    daemon = startDaemon({ config: "model = \n[[[broken" });
    await daemon.initialize();
    const warning = await daemon.waitFor((m) => m["method"] === "configWarning");
    const params = warning["params"] as { summary: string; details: string; path: string };
    expect(params.summary).toBe("Invalid configuration; using defaults.");
    expect(params.path).toBe(join(daemon.home.home, "config.toml"));
    expect(await daemon.request("model/list", {})).toHaveProperty("result");
  });

  it("writes atomically, detects version conflicts, and pages model/list", async () => {
    daemon = startDaemon({ config: CONFIG });
    await daemon.initialize();
    const first = (await daemon.request("config/value/write", { keyPath: "model", value: "gpt-5.5-mini", mergeStrategy: "replace" }))["result"] as {
      version: string;
      status: string;
      filePath: string;
    };
    expect(first.status).toBe("ok");
    expect(readFileSync(first.filePath, "utf8")).toMatch(/model = "gpt-5.5-mini"/);
    const batch = (
      await daemon.request("config/batchWrite", {
        edits: [
          { keyPath: "features.shell_tool", value: true, mergeStrategy: "upsert" },
          { keyPath: "sandbox_workspace_write.network_access", value: false, mergeStrategy: "upsert" },
        ],
        expectedVersion: first.version,
      })
    )["result"] as { version: string };
    expect(batch.version).not.toBe(first.version);
    const stale = await daemon.request("config/value/write", { keyPath: "model", value: "x", mergeStrategy: "replace", expectedVersion: first.version });
    expect(stale["error"]).toMatchObject({ code: -32600, data: { config_write_error_code: "configVersionConflict" } });
    expect(readFileSync(first.filePath, "utf8")).toMatch(/model = "gpt-5.5-mini"/);
    expect(readFileSync(first.filePath, "utf8")).toMatch(/shell_tool = true/);

    const page1 = (await daemon.request("model/list", { limit: 2 }))["result"] as { data: unknown[]; nextCursor: string };
    expect(page1.data).toHaveLength(2);
    const page2 = (await daemon.request("model/list", { limit: 2, cursor: page1.nextCursor }))["result"] as { data: Array<{ id: string }> };
    expect(page2.data[0]).not.toEqual(page1.data[0]);
    expect((await daemon.request("model/list", { cursor: "nope" }))["error"]).toMatchObject({ code: -32600, message: "invalid cursor: nope" });
  });

  it("sends only messages the 0.169 schema accepts (wire-check traffic)", async () => {
    daemon = startDaemon({ config: CONFIG });
    const sent: unknown[] = [];
    const req = async (id: number, method: string, params?: unknown): Promise<void> => {
      const msg = params === undefined ? { id, method } : { id, method, params };
      sent.push(msg);
      daemon!.sendJson(msg);
      await daemon!.response(id);
    };
    await req(1, "initialize", { clientInfo: { name: "wire", version: "1.0.0" } });
    await daemon.waitFor((m) => m["method"] === "configWarning");
    for (const [i, [method, params]] of (
      [
        ["config/read", { includeLayers: true }],
        ["configRequirements/read", undefined],
        ["model/list", {}],
        ["model/list", { includeHidden: true, limit: 3 }],
        ["modelProvider/list", {}],
        ["experimentalFeature/list", {}],
        ["config/value/write", { keyPath: "model", value: "o3", mergeStrategy: "replace" }],
        ["config/batchWrite", { edits: [{ keyPath: "features.x", value: true, mergeStrategy: "upsert" }] }],
      ] as const
    ).entries()) {
      await req(10 + i, method, params);
    }
    const check = wireCheckTraffic(REF_SCHEMA, transcript(daemon, sent));
    expect(check.stdout).toMatch(/server messages valid/);
    expect(check.stdout).not.toMatch(/INVALID/);
    expect(check.status, check.stdout + check.stderr).toBe(0);
  });
});
