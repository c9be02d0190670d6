// Managed networking settings: each key form 0.169 reads, the combination it refuses, requirements
// gating of prompts, and the deployment the issue names, read from real files by ConfigService.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigService } from "./configService.js";
import type { JsonObject } from "./json.js";
import { DEFAULT_NETWORK_APPROVAL_TIMEOUT_MS, readManagedNetwork } from "./managedNetwork.js";

describe("readManagedNetwork", () => {
  it("is off unless the feature or the requirements turn it on", () => {
    expect(
      readManagedNetwork({ merged: { features: { network_proxy: { allow_local_binding: true } } }, featureEnabled: false, requirementsNetwork: undefined })
        .settings,
    ).toBeNull();
    expect(readManagedNetwork({ merged: {}, featureEnabled: false, requirementsNetwork: { enabled: false } }).settings).toBeNull();
    expect(readManagedNetwork({ merged: {}, featureEnabled: true, requirementsNetwork: undefined }).settings).not.toBeNull();
    expect(readManagedNetwork({ merged: {}, featureEnabled: false, requirementsNetwork: { enabled: true } }).settings).not.toBeNull();
  });

  it("prompts only with requirements, as 0.169", () => {
    expect(readManagedNetwork({ merged: {}, featureEnabled: true, requirementsNetwork: undefined }).settings?.prompts).toBe(false);
    expect(readManagedNetwork({ merged: {}, featureEnabled: true, requirementsNetwork: { enabled: true } }).settings?.prompts).toBe(true);
  });

  it("reads [features.network_proxy] domains, mode and allow_local_binding", () => {
    const { settings, warnings } = readManagedNetwork({
      merged: {
        features: {
          network_proxy: { enabled: true, mode: "limited", allow_local_binding: true, domains: { "*.example.com": "allow", "evil.example": "deny" } },
        },
      },
      featureEnabled: true,
      requirementsNetwork: undefined,
    });
    expect(warnings).toEqual([]);
    expect(settings).toMatchObject({
      mode: "limited",
      allowLocalBinding: true,
      allowedDomains: ["*.example.com"],
      deniedDomains: ["evil.example"],
      refused: null,
    });
  });

  it("reads [permissions.<default_permissions>.network] and lets the feature table override its scalars", () => {
    const merged = {
      default_permissions: "dev",
      permissions: {
        dev: { network: { enabled: true, mode: "limited", allow_local_binding: false, domains: { "pypi.org": "allow" } } },
        other: { network: { domains: { "x.test": "allow" } } },
      },
      features: { network_proxy: { enabled: true, mode: "full", allow_local_binding: true, domains: { "npmjs.org": "allow" } } },
    };
    const { settings } = readManagedNetwork({ merged, featureEnabled: true, requirementsNetwork: undefined });
    expect(settings).toMatchObject({ mode: "full", allowLocalBinding: true, allowedDomains: ["pypi.org", "npmjs.org"], networkEnabledByConfig: true });
  });

  it("reads the legacy allowed_domains / denied_domains lists", () => {
    const { settings } = readManagedNetwork({
      merged: {},
      featureEnabled: false,
      requirementsNetwork: { enabled: true, allowed_domains: ["a.test"], denied_domains: ["b.test"] },
    });
    expect(settings).toMatchObject({ allowedDomains: ["a.test"], deniedDomains: ["b.test"], refused: null, prompts: true });
  });

  it("refuses `domains` combined with the legacy lists, as 0.169, and fails closed", () => {
    const cases: [JsonObject, JsonObject | undefined][] = [
      [{}, { enabled: true, domains: { "a.test": "allow" }, denied_domains: ["b.test"] }],
      [{ features: { network_proxy: { enabled: true, domains: { "a.test": "allow" }, allowed_domains: ["c.test"] } } }, undefined],
    ];
    for (const [merged, req] of cases) {
      const { settings, warnings } = readManagedNetwork({ merged, featureEnabled: req === undefined, requirementsNetwork: req });
      expect(settings?.refused).toContain("`domains` cannot be combined with legacy `allowed_domains` or `denied_domains`");
      expect(settings).toMatchObject({ allowedDomains: [], deniedDomains: [], allowLocalBinding: false, prompts: false });
      expect(warnings).toHaveLength(1);
    }
  });

  it("refuses a domain entry that is neither allow nor deny (a typo must not drop a deny)", () => {
    const { settings } = readManagedNetwork({
      merged: { features: { network_proxy: { enabled: true, domains: { "a.test": "denied" } } } },
      featureEnabled: true,
      requirementsNetwork: undefined,
    });
    expect(settings?.refused).toContain('must be "allow" or "deny"');
  });

  it("lets requirements forbid local binding but not force it on, and keep only managed allow entries", () => {
    const merged = { features: { network_proxy: { enabled: true, allow_local_binding: true, domains: { "mine.test": "allow", "no.test": "deny" } } } };
    expect(
      readManagedNetwork({ merged, featureEnabled: true, requirementsNetwork: { enabled: true, allow_local_binding: false } }).settings?.allowLocalBinding,
    ).toBe(false);
    expect(
      readManagedNetwork({ merged: {}, featureEnabled: true, requirementsNetwork: { enabled: true, allow_local_binding: true } }).settings?.allowLocalBinding,
    ).toBe(true);
    const only = readManagedNetwork({
      merged,
      featureEnabled: true,
      requirementsNetwork: { enabled: true, managed_allowed_domains_only: true, domains: { "corp.test": "allow", "bad.test": "deny" } },
    }).settings;
    expect(only).toMatchObject({ allowedDomains: ["corp.test"], deniedDomains: ["no.test", "bad.test"] });
  });

  it("reads network_approval_timeout_ms, with 0 or absent meaning the default", () => {
    const at = (v: unknown) =>
      readManagedNetwork({ merged: { network_approval_timeout_ms: v } as never, featureEnabled: true, requirementsNetwork: undefined }).settings
        ?.approvalTimeoutMs;
    expect(at(undefined)).toBe(DEFAULT_NETWORK_APPROVAL_TIMEOUT_MS);
    expect(at(0)).toBe(DEFAULT_NETWORK_APPROVAL_TIMEOUT_MS);
    expect(at(5000)).toBe(5000);
  });
});

describe("managed networking through ConfigService", () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), "gh-netcfg-"));
    await mkdir(path.join(root, "home"), { recursive: true });
    await mkdir(path.join(root, "etc"), { recursive: true });
  });
  afterEach(async () => rm(root, { recursive: true, force: true }));

  const open = () =>
    ConfigService.create({
      home: path.join(root, "home"),
      env: {},
      systemConfigFile: path.join(root, "etc", "config.toml"),
      requirementsFile: path.join(root, "etc", "requirements.toml"),
    });
  const DEPLOYMENT = [
    'sandbox_mode = "workspace-write"',
    'approval_policy = "on-request"',
    "[sandbox_workspace_write]",
    "network_access = true",
    "[features.network_proxy]",
    "enabled = true",
    "allow_local_binding = true",
    "",
  ].join("\n");

  it("reads the issue's deployment (config.toml + requirements.toml) with prompts on", async () => {
    await writeFile(path.join(root, "home", "config.toml"), DEPLOYMENT);
    await writeFile(path.join(root, "etc", "requirements.toml"), "[experimental_network]\nenabled = true\nallow_local_binding = true\n");
    const config = await open();
    expect(config.report.warnings).toEqual([]);
    expect(config.effective.managedNetwork).toEqual({
      mode: "full",
      allowedDomains: [],
      deniedDomains: [],
      allowLocalBinding: true,
      prompts: true,
      approvalTimeoutMs: DEFAULT_NETWORK_APPROVAL_TIMEOUT_MS,
      refused: null,
      networkEnabledByConfig: true,
    });
  });

  it("without the requirements file: managed, but nothing prompts", async () => {
    await writeFile(path.join(root, "home", "config.toml"), DEPLOYMENT);
    const config = await open();
    expect(config.effective.managedNetwork).toMatchObject({ prompts: false, allowLocalBinding: true });
  });

  it("a refused requirements table is a warning and denies everything", async () => {
    await writeFile(path.join(root, "home", "config.toml"), DEPLOYMENT);
    await writeFile(
      path.join(root, "etc", "requirements.toml"),
      '[experimental_network]\nenabled = true\nallowed_domains = ["a.test"]\n[experimental_network.domains]\n"b.test" = "allow"\n',
    );
    const config = await open();
    expect(config.effective.managedNetwork?.refused).toContain("requirements.toml [experimental_network]");
    expect(config.report.warnings.map((w) => w.summary)).toContain("Managed network settings refused; every network target is denied.");
  });
});
