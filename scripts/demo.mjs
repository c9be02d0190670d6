#!/usr/bin/env node
// `npm run demo`: one real turn with no API key. It starts the daemon over stdio with the offline demo
// provider (model_provider = "demo": a loopback Responses server inside the daemon), opens a thread on a
// scratch folder, and prints what a client sees: the model runs `ls` in the sandbox, then answers.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { connectStdio } from "../dist/client.mjs";

const daemon = fileURLToPath(new URL("../dist/gatehouse.mjs", import.meta.url));
const workspace = mkdtempSync(join(tmpdir(), "gatehouse-demo-"));
writeFileSync(join(workspace, "hello.txt"), "hello from the demo workspace\n");
const home = process.env.GATEHOUSE_HOME ?? mkdtempSync(join(tmpdir(), "gatehouse-demo-home-"));

const client = await connectStdio({
  command: process.execPath,
  args: [daemon, "app-server", "-c", "model_provider=demo", "-c", "sandbox_mode=workspace-write", "-c", "approval_policy=never"],
  env: { ...process.env, GATEHOUSE_HOME: home },
});
const show = (label, text) => process.stdout.write(`${label.padEnd(10)} ${text}\n`);
client.onTraffic((dir, msg) => {
  if (dir === "out" && msg.method === "item/completed") {
    const item = msg.params.item;
    if (item.type === "userMessage") show("user", item.content.map((c) => c.text ?? "").join(" "));
    else if (item.type === "commandExecution")
      show("command", `${item.command}  [exit ${item.exitCode}]\n${(item.aggregatedOutput ?? "").replace(/^/gm, "           ")}`);
    else if (item.type === "agentMessage") show("agent", item.text);
    else if (item.type === "reasoning") show("reasoning", item.summary.join(" "));
  }
});
const init = await client.initialize({ name: "gatehouse-demo", version: "1.0.0" });
show("server", init.userAgent);
const { thread } = await client.request("thread/start", { cwd: workspace });
show("thread", `${thread.id} in ${workspace}`);
const done = new Promise((resolve) => client.onNotification("turn/completed", (p) => resolve(p.turn)));
await client.request("turn/start", { threadId: thread.id, input: [{ type: "text", text: "What is in this folder?" }] });
const turn = await done;
show("turn", `${turn.status} in ${turn.durationMs} ms; rollout under ${home}/sessions`);
await client.close();
