// stderr on stdio: clients show it to their users (IDE extensions; ACP agents such as @posthog/agent
// print every line as a warning), so the default level there is `warn`; `--log-level` and
// GATEHOUSE_LOG raise it. Checked with a turn whose command is approved without asking, which logs
// that decision at info.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startDaemon, type RawDaemon } from "../helpers/daemon.js";
import { tempHome } from "../helpers/home.js";
import { evFunctionCall, evMessage, mockDaemonConfig, startMockResponses, turn } from "../helpers/mockResponses.js";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function runTurnWith(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const home = tempHome("gatehouse-logging");
  const mock = await startMockResponses({ script: [turn(evFunctionCall("c1", "exec_command", { cmd: "true" })), turn(evMessage("m1", "done"))] });
  const cwd = join(home.base, "cwd");
  mkdirSync(cwd);
  const config = mockDaemonConfig(mock.baseUrl, { approvalPolicy: "on-request", sandboxMode: "workspace-write" });
  const d: RawDaemon = startDaemon({ home, config, args, env });
  cleanups.push(async () => {
    await d.stop();
    await mock.close();
    home.cleanup();
  });
  await d.initialize();
  const threadId = (await d.result("thread/start", { cwd })).thread.id;
  const turnId = (await d.result("turn/start", { threadId, input: [{ type: "text", text: "go" }] })).turn.id;
  await d.notification("turn/completed", (p) => p.turn.id === turnId, { timeoutMs: 30_000 });
  await d.stop();
  return d.stderr();
}

describe("stderr on stdio", () => {
  it("is quiet by default (warn), says more with --log-level info, and GATEHOUSE_LOG still works", async () => {
    const quiet = await runTurnWith([], { GATEHOUSE_LOG: "" });
    expect(quiet).not.toContain("command approved without asking");
    expect(quiet.split("\n").filter((l) => /"level":(10|20|30)\b/.test(l))).toEqual([]);

    const info = await runTurnWith(["--log-level", "info"], { GATEHOUSE_LOG: "" });
    expect(info).toContain("command approved without asking");

    const env = await runTurnWith([], { GATEHOUSE_LOG: "info" });
    expect(env).toContain("command approved without asking");
  });
});
