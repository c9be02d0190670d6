// The stored login as 0.169 writes it (auth.json, 0600, exact bytes), account/read's view per provider,
// the notifications after login and logout, and which providers get the key.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../../log.js";
import { builtInProviders, providerFromToml, type ModelProviderInfo } from "../config/providers.js";
import { InvalidInputError } from "../errors.js";
import { AccountService } from "./accountService.js";
import { parseAuthFile } from "./authStore.js";

const OPENAI = builtInProviders({}, null)["openai"] as ModelProviderInfo;
const CUSTOM = providerFromToml("local", { name: "local", base_url: "http://127.0.0.1:9/v1" });
const ASKS_FOR_IT = providerFromToml("proxy", { name: "proxy", base_url: "http://127.0.0.1:9/v1", requires_openai_auth: true });

let home: string;
let active: ModelProviderInfo;
let sent: [string, unknown][];
let service: AccountService;

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "gatehouse-account-"));
  active = OPENAI;
  sent = [];
  service = new AccountService({ home, activeProvider: () => active, broadcast: (m, p) => sent.push([m, p]), log: createLogger("silent") });
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const tick = () => new Promise((r) => setImmediate(r));

describe("AccountService", () => {
  it("stores an API key as 0.169 does and reports it", async () => {
    expect(await service.read()).toEqual({ account: null, userId: null, requiresOpenaiAuth: true, workspaceRouting: null });
    expect(await service.loginStart({ type: "apiKey", apiKey: "sk-test-123" })).toEqual({ type: "apiKey" });
    const file = join(home, "auth.json");
    expect(readFileSync(file, "utf8")).toBe('{\n  "auth_mode": "apikey",\n  "OPENAI_API_KEY": "sk-test-123"\n}');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await service.read()).toEqual({ account: { type: "apiKey" }, userId: null, requiresOpenaiAuth: true, workspaceRouting: null });
    await tick();
    expect(sent).toEqual([
      ["account/login/completed", { loginId: null, success: true, error: null, onboardingEntrypoint: null }],
      ["account/updated", { authMode: "apikey", planType: null }],
    ]);
  });

  it("logs out (also when nobody is logged in) with account/updated each time", async () => {
    await service.loginStart({ type: "apiKey", apiKey: "sk-a" });
    await tick();
    sent.length = 0;
    expect(await service.logout()).toEqual({});
    expect(await service.logout()).toEqual({});
    await tick();
    expect(sent).toEqual([
      ["account/updated", { authMode: null, planType: null }],
      ["account/updated", { authMode: null, planType: null }],
    ]);
    expect(await service.read()).toMatchObject({ account: null });
    expect(await service.bearerFor(OPENAI)).toBeNull();
  });

  it("hides the login from a custom provider's view and never gives it the key", async () => {
    await service.loginStart({ type: "apiKey", apiKey: "sk-a" });
    active = CUSTOM;
    expect(await service.read()).toEqual({ account: null, userId: null, requiresOpenaiAuth: false, workspaceRouting: null });
    expect(await service.bearerFor(CUSTOM)).toBeNull();
    expect(await service.bearerFor(OPENAI)).toBe("sk-a");
    expect(await service.bearerFor(ASKS_FOR_IT)).toBe("sk-a");
  });

  it("refuses the ChatGPT flows and cancel with errors that say why", async () => {
    await expect(service.loginStart({ type: "chatgpt" })).rejects.toThrow(/ChatGPT login \(chatgpt\) is not supported/);
    await expect(service.loginStart({ type: "chatgptDeviceCode" })).rejects.toBeInstanceOf(InvalidInputError);
    expect(() => service.loginCancel("nope")).toThrow("invalid login id: nope");
    await tick();
    expect(sent).toEqual([]);
  });

  it("reads a ChatGPT login written by the codex CLI as a chatgpt account without using it", async () => {
    const claims = Buffer.from(JSON.stringify({ email: "a@b.c", "https://api.openai.com/auth": { chatgpt_plan_type: "plus" } })).toString("base64url");
    writeFileSync(
      join(home, "auth.json"),
      JSON.stringify({ auth_mode: "chatgpt", OPENAI_API_KEY: null, tokens: { id_token: `e30.${claims}.sig`, access_token: "at" } }),
    );
    expect((await service.read()).account).toEqual({ type: "chatgpt", email: "a@b.c", planType: "plus" });
    expect(await service.bearerFor(OPENAI)).toBeNull();
  });
});

describe("AccountService for 0.80's getAuthStatus and loginApiKey", () => {
  it("stores the key as account/login/start does, without the v2 notifications", async () => {
    await service.saveApiKey("sk-v1");
    expect(readFileSync(join(home, "auth.json"), "utf8")).toBe('{\n  "auth_mode": "apikey",\n  "OPENAI_API_KEY": "sk-v1"\n}');
    await tick();
    expect(sent).toEqual([]);
  });

  it("reports the login and its token as 0.80 does", async () => {
    expect(await service.authStatus(true)).toEqual({ authMethod: null, authToken: null, requiresOpenaiAuth: true });
    await service.saveApiKey("sk-v1");
    expect(await service.authStatus(true)).toEqual({ authMethod: "apikey", authToken: "sk-v1", requiresOpenaiAuth: true });
    expect(await service.authStatus(false)).toEqual({ authMethod: "apikey", authToken: null, requiresOpenaiAuth: true });
    active = CUSTOM;
    expect(await service.authStatus(true)).toEqual({ authMethod: null, authToken: null, requiresOpenaiAuth: false });
    active = OPENAI;
    await service.saveApiKey("");
    expect(await service.authStatus(true)).toEqual({ authMethod: null, authToken: null, requiresOpenaiAuth: true });
    writeFileSync(join(home, "auth.json"), JSON.stringify({ auth_mode: "chatgpt", tokens: { access_token: "at" } }));
    expect(await service.authStatus(true)).toEqual({ authMethod: "chatgpt", authToken: null, requiresOpenaiAuth: true });
  });
});

describe("parseAuthFile", () => {
  it("takes a key without auth_mode (older files) and ignores what it cannot read", () => {
    expect(parseAuthFile('{"OPENAI_API_KEY":"sk-old"}')).toEqual({ mode: "apikey", apiKey: "sk-old" });
    expect(parseAuthFile("not json")).toBeNull();
    expect(parseAuthFile('{"auth_mode":"apikey"}')).toBeNull();
  });
});
