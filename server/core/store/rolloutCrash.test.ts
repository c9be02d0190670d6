// A writer SIGKILLed mid-write: every line whose append() had resolved before the kill is read
// back, the open turn reads back interrupted, and a resumed writer appends lines that parse.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { v7 as uuidv7 } from "uuid";
import { describe, expect, it } from "vitest";
import { loadRollout } from "./rebuild.js";
import { taskComplete, taskStarted } from "./rolloutLines.js";
import { parseRolloutText } from "./rolloutReader.js";
import { RolloutWriter } from "./rolloutWriter.js";
import { tempHomes } from "./testHome.testutil.js";

const newHome = tempHomes();

async function bundleChild(): Promise<string> {
  const { build } = await import("esbuild");
  const out = join(newHome(), "child.mjs");
  await build({
    entryPoints: [new URL("./crashChild.testutil.ts", import.meta.url).pathname],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile: out,
    logLevel: "silent",
  });
  return out;
}

interface Killed {
  path: string;
  acked: number;
}

/** Runs the child until it has acknowledged `acks` appends, then SIGKILLs it. */
function runAndKill(child: string, home: string, threadId: string, turnId: string, acks: number): Promise<Killed> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [child, home, threadId, turnId], { stdio: ["ignore", "pipe", "inherit"] });
    let path = "";
    let acked = -1;
    let buf = "";
    let killed = false;
    p.stdout.setEncoding("utf8");
    p.stdout.on("data", (chunk: string) => {
      if (killed) return; // acks that arrive after the kill are not counted
      buf += chunk;
      let nl;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.startsWith("path ")) path = line.slice(5);
        else if (line.startsWith("ack ")) acked = Math.max(acked, Number(line.slice(4)));
      }
      if (acked >= acks && !killed) {
        killed = true;
        p.kill("SIGKILL");
      }
    });
    p.on("error", reject);
    p.on("exit", (_code, signal) => {
      if (signal !== "SIGKILL") reject(new Error(`child exited without being killed (${String(signal)})`));
      else resolve({ path, acked });
    });
  });
}

describe("rollout after SIGKILL", () => {
  it("keeps every acknowledged line, reads the open turn as interrupted, and resumes cleanly", async () => {
    const child = await bundleChild();
    const home = newHome();
    const threadId = uuidv7();
    const turnId = uuidv7();
    const { path, acked } = await runAndKill(child, home, threadId, turnId, 40);
    expect(path).not.toBe("");

    const { lines } = parseRolloutText(readFileSync(path, "utf8"));
    const ids = lines.flatMap((l) => {
      const p = l.payload as { type?: string; item?: { id: string } };
      return l.type === "event_msg" && p.type === "item_completed" && p.item ? [p.item.id] : [];
    });
    for (let n = 0; n <= acked; n++) expect(ids).toContain(`msg-${n}`);

    const before = await loadRollout(path);
    expect(before.turns).toHaveLength(1);
    expect(before.turns[0]).toMatchObject({ id: turnId, status: "interrupted", completedAt: null });
    expect(before.turns[0]?.items.length).toBeGreaterThanOrEqual(acked + 1);

    const w = await RolloutWriter.open(path);
    const next = uuidv7();
    await w.append([taskStarted(next, 1, null), taskComplete(next, null, 2, 1)]);
    await w.close();
    const after = parseRolloutText(readFileSync(path, "utf8"));
    expect(after.skipped).toBe(0);
    const reread = await loadRollout(path);
    expect(reread.turns.map((t) => [t.id, t.status])).toEqual([
      [turnId, "interrupted"],
      [next, "completed"],
    ]);
  });
});
