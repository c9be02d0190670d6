// account/* on the real daemon: API-key login, read and logout with their notifications and the
// auth.json they leave (0.169's bytes, 0600), the refused ChatGPT flow, and the stored key reaching
// the built-in openai provider as the bearer token, and only that provider.
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { evMessage, turn } from "../helpers/mockResponses.js";
import { startSession, type Session } from "../helpers/session.js";

let session: Session | undefined;
afterEach(async () => {
  await session?.stop();
  session = undefined;
});

const KEY = "sk-gatehouse-e2e-0123";

/** The built-in openai provider pointed at the mock: nothing in config names a key. */
function openaiConfig(baseUrl: string): string {
  return `model = "gpt-5.5"
openai_base_url = "${baseUrl}"
approval_policy = "never"
sandbox_mode = "read-only"
`;
}

async function runTurn(s: Session, text: string): Promise<void> {
  const { thread } = await s.result("thread/start", { cwd: s.daemon.home.base });
  const from = s.daemon.messages.length;
  await s.result("turn/start", { threadId: thread.id, input: [{ type: "text", text, text_elements: [] }] });
  const done = await s.notification("turn/completed", (p) => p.threadId === thread.id, from);
  expect(done.params.turn.status).toBe("completed");
}

describe("account", () => {
  it("logs in with an API key, reads it back and logs out", async () => {
    session = await startSession({ config: openaiConfig });
    const s = session;
    const authFile = join(s.daemon.home.home, "auth.json");
    expect(await s.result("account/read", {})).toEqual({ account: null, userId: null, requiresOpenaiAuth: true, workspaceRouting: null });

    const from = s.daemon.messages.length;
    expect(await s.result("account/login/start", { type: "apiKey", apiKey: KEY })).toEqual({ type: "apiKey" });
    const completed = await s.notification("account/login/completed", () => true, from);
    expect(completed.params).toEqual({ loginId: null, success: true, error: null, onboardingEntrypoint: null });
    const updated = await s.notification("account/updated", () => true, from);
    expect(updated.params).toEqual({ authMode: "apikey", planType: null });
    expect(readFileSync(authFile, "utf8")).toBe(`{\n  "auth_mode": "apikey",\n  "OPENAI_API_KEY": "${KEY}"\n}`);
    expect(statSync(authFile).mode & 0o777).toBe(0o600);
    expect(await s.result("account/read", { refreshToken: true })).toEqual({
      account: { type: "apiKey" },
      userId: null,
      requiresOpenaiAuth: true,
      workspaceRouting: null,
    });

    const cancel = await s.request("account/login/cancel", { loginId: "nope" });
    expect(cancel.error).toEqual({ code: -32600, message: "invalid login id: nope" });
    const chatgpt = await s.request("account/login/start", { type: "chatgpt" });
    expect(chatgpt.error?.message).toMatch(/not supported by Gatehouse/);

    const beforeLogout = s.daemon.messages.length;
    expect(await s.result("account/logout")).toEqual({});
    const loggedOut = await s.notification("account/updated", () => true, beforeLogout);
    expect(loggedOut.params).toEqual({ authMode: null, planType: null });
    expect(existsSync(authFile)).toBe(false);
    expect(await s.result("account/read", {})).toMatchObject({ account: null, requiresOpenaiAuth: true });
    // The key is never written to the daemon's log.
    expect(s.daemon.stderr()).not.toContain(KEY);
    s.checkWire();
  });

  it("sends the stored key as the bearer token of the built-in openai provider", async () => {
    session = await startSession({ config: openaiConfig, script: [turn(evMessage("msg_1", "hello"))] });
    const s = session;
    await s.result("account/login/start", { type: "apiKey", apiKey: KEY });
    await runTurn(s, "hi");
    expect(s.mock.responsesRequests()[0]?.headers["authorization"]).toBe(`Bearer ${KEY}`);
    // Not even the debug log (the test daemon runs at debug) carries the key.
    expect(s.daemon.stderr()).not.toContain(KEY);
    s.checkWire();
  });

  it("keeps the key from a custom provider that did not ask for OpenAI auth", async () => {
    session = await startSession({ script: [turn(evMessage("msg_1", "hello"))] });
    const s = session;
    await s.result("account/login/start", { type: "apiKey", apiKey: KEY });
    expect(await s.result("account/read", {})).toMatchObject({ account: null, requiresOpenaiAuth: false });
    await runTurn(s, "hi");
    expect(s.mock.responsesRequests()[0]?.headers["authorization"]).toBeUndefined();
  });
});
