// Everything ConfigService hands to the wire validates against the reference's JSON Schema (0.169,
// tightened so that unknown fields fail; Config itself is open in the reference).
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigService } from "./configService.js";
import { schemaErrors } from "./referenceSchema.testutil.js";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "gh-config-schema-"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function service(config: string, requirements: string | null, cliOverrides: string[] = []): Promise<ConfigService> {
  const home = path.join(root, "home");
  await mkdir(home, { recursive: true });
  await mkdir(path.join(root, "etc"), { recursive: true });
  await writeFile(path.join(home, "config.toml"), config);
  if (requirements !== null) await writeFile(path.join(root, "etc", "requirements.toml"), requirements);
  return ConfigService.create({
    home,
    env: {},
    cliOverrides,
    systemConfigFile: path.join(root, "etc", "config.toml"),
    requirementsFile: path.join(root, "etc", "requirements.toml"),
  });
}

const RICH = `model = "gpt-5.5"
model_provider = "mock"
sandbox_mode = "workspace-write"
model_reasoning_summary = "none"
notify = ["a", "b"]
bogus = 1
sandbox_mode_typo = "x"
[approval_policy.granular]
sandbox_approval = true
rules = false
mcp_elicitations = true
[sandbox_workspace_write]
writable_roots = ["/w"]
[tools]
web_search = true
[model_providers.mock]
name = "M"
base_url = "http://127.0.0.1:1/v1"
[mcp_servers.docs]
command = "docs"
[profiles.p]
model = "o3"
[features]
apps = false
[history]
persistence = "none"
`;

describe("config outputs match the reference schema", () => {
  it("config/read with layers, origins and every table shape", async () => {
    const svc = await service(RICH, null, ['model="o3"']);
    expect(schemaErrors("ConfigReadResponse", await svc.read({ includeLayers: true }))).toBeNull();
    expect(schemaErrors("ConfigReadResponse", await svc.read({}))).toBeNull();
  });

  it("config/read of a file that does not parse (disabled user layer)", async () => {
    const svc = await service("not toml\n", null);
    expect(schemaErrors("ConfigReadResponse", await svc.read({ includeLayers: true }))).toBeNull();
  });

  it("config writes, ok and okOverridden", async () => {
    const svc = await service("", null, ['model="o3"']);
    expect(schemaErrors("ConfigWriteResponse", await svc.writeValue({ keyPath: "model", value: "x", mergeStrategy: "replace" }))).toBeNull();
    expect(
      schemaErrors("ConfigWriteResponse", await svc.batchWrite({ edits: [{ keyPath: "review_model", value: "y", mergeStrategy: "replace" }] })),
    ).toBeNull();
  });

  it("configRequirements/read, none and populated", async () => {
    expect(schemaErrors("ConfigRequirementsReadResponse", await (await service("", null)).readRequirements())).toBeNull();
    const req = `allowed_approval_policies = ["on-request", "never"]
allowed_sandbox_modes = ["read-only"]
allowed_web_search_modes = ["cached"]
allowed_login_methods = ["api"]
enforce_residency = "us"
model_provider = "openai"
log_dir = "/var/log/x"
allow_login_shell = false
[features]
memories = false
[feedback]
enabled = false
`;
    const res = await (await service("", req)).readRequirements();
    expect(res.requirements).not.toBeNull();
    // 0.169 also sends these four experimental fields (null here) to every client, though its
    // stable schema does not list them; Gatehouse sends them too.
    const { allowedApprovalsReviewers, hooks, network, application, ...stable } = res.requirements ?? ({} as NonNullable<typeof res.requirements>);
    expect([allowedApprovalsReviewers, hooks, network, application]).toEqual([null, null, null, null]);
    expect(schemaErrors("ConfigRequirementsReadResponse", { ...res, requirements: stable })).toBeNull();
  });

  it("every warning and deprecation notice", async () => {
    const svc = await service(RICH.replace('sandbox_mode = "workspace-write"', 'sandbox_mode = "bogus"') + '\nprofile = "p"\n', "bogus = 1\n", ["nope"]);
    const bad = await service("x = \n", null);
    const warnings = [...svc.report.warnings, ...bad.report.warnings];
    expect(warnings.length).toBeGreaterThanOrEqual(4);
    for (const w of warnings) expect(schemaErrors("ConfigWarningNotification", w)).toBeNull();
    const legacy = await service(
      'approval_policy = "on-failure"\nexperimental_use_exec_command_tool = true\n[features]\ncollab = true\nweb_search = true\n',
      null,
    );
    expect(legacy.report.deprecations.length).toBe(4);
    for (const d of legacy.report.deprecations) expect(schemaErrors("DeprecationNoticeNotification", d)).toBeNull();
  });

  it("the check can fail", async () => {
    const read = await (await service("", null)).read({ includeLayers: true });
    expect(schemaErrors("ConfigReadResponse", { ...read, layers: [{ name: { type: "user" }, version: "v", config: {} }] })).toMatch(/file/);
    expect(schemaErrors("ConfigWarningNotification", { summary: "s", details: null, extra: 1 })).toMatch(/additional properties/);
  });
});
