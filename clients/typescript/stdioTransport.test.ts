// close() on the stdio transport must end the daemon even when it ignores EOF and SIGTERM, and must
// take the daemon's own children with it (the whole process group), since a real daemon runs commands.
// The stand-in daemon is a node script, so this needs no reference binary.
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConnectionClosedError } from "./client.js";
import { connectStdio } from "./stdioTransport.js";

const STUBBORN = `
const { spawn } = require("node:child_process");
process.on("SIGTERM", () => {});
const child = spawn("sleep", ["1000"], { stdio: "ignore" });
process.stdin.resume();
process.stdin.on("end", () => {});
process.stderr.write("grandchild " + child.pid + "\\n");
setInterval(() => {}, 1000);
`;

/** Gone, or a zombie waiting for init to reap it: either way no longer running. */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = `/proc/${pid}/stat`;
  return !(existsSync(stat) && /^\d+ \(.*\) Z/.test(readFileSync(stat, "utf8")));
}

describe("StdioTransport.close", () => {
  it("SIGKILLs a daemon that ignores EOF and SIGTERM, with its process group, and rejects pending requests", async () => {
    let grandchild: number | undefined;
    let ready!: () => void;
    const started = new Promise<void>((r) => (ready = r));
    const client = await connectStdio({
      command: process.execPath,
      args: ["-e", STUBBORN],
      killTimeoutMs: 200,
      onStderrLine: (line) => {
        const m = /^grandchild (\d+)$/.exec(line);
        if (m) {
          grandchild = Number(m[1]);
          ready();
        }
      },
    });
    await started;
    const pending = client.request("configRequirements/read").catch((e: unknown) => e);
    await client.close();
    expect(await pending).toBeInstanceOf(ConnectionClosedError);
    expect(await client.transport.exited).toEqual({ code: null, signal: "SIGKILL" });
    expect(running(client.transport.pid as number)).toBe(false);
    // The kill reached the group; the grandchild may take a moment to be reaped by init.
    for (let i = 0; i < 100 && running(grandchild as number); i++) await new Promise((r) => setTimeout(r, 20));
    expect(running(grandchild as number)).toBe(false);
  });

  it("reports a daemon that exits on its own, with its last stderr lines", async () => {
    const client = await connectStdio({ command: process.execPath, args: ["-e", 'process.stderr.write("fatal: no config\\n"); process.exit(3)'] });
    await client.closed;
    const err = await client.request("configRequirements/read").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionClosedError);
    expect((err as Error).message).toMatch(/code 3[\s\S]*fatal: no config/);
    await client.close();
  });
});
