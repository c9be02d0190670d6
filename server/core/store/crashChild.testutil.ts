// Child process for rolloutCrash.test.ts: appends items through RolloutWriter as fast as it can
// and reports on stdout ("ack <n>") each append whose promise resolved, until it is SIGKILLed.
import { itemCompleted, taskStarted } from "./rolloutLines.js";
import { RolloutWriter } from "./rolloutWriter.js";

const [home, threadId, turnId] = process.argv.slice(2) as [string, string, string];
const writer = await RolloutWriter.create(home, {
  threadId,
  createdAt: new Date(),
  meta: { cwd: "/work/project", originator: "crash-test", cli_version: "0.169.0", source: "vscode", model_provider: "mock" },
});
process.stdout.write(`path ${writer.path}\n`);
await writer.append(taskStarted(turnId, Math.floor(Date.now() / 1000), null));
// Big lines make it likely that the kill lands inside a write.
const filler = "x".repeat(256 * 1024);
for (let n = 0; ; n++) {
  const item = {
    type: "agentMessage" as const,
    id: `msg-${n}`,
    text: `${n}:${filler}`,
    phase: null,
    memoryCitation: null,
    moderation: null,
    delivery: null,
    questions: null,
  };
  // Several appends in flight at once, as the engine's queue would have.
  void writer.append(itemCompleted(threadId, turnId, item)).then(() => process.stdout.write(`ack ${n}\n`));
  if (n % 4 === 3) await writer.append([]);
}
