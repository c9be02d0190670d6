// `gatehouse` as installed: dist/gatehouse.mjs run as a program, through its launcher line
// (scripts/build.mjs). The process gets the allocator setting and the V8 flag, and the commands it
// runs do not inherit the setting.
import { existsSync, readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { startDaemon, type Json, type RawDaemon } from "../helpers/daemon.js";

let daemon: RawDaemon | undefined;
afterEach(async () => {
  await daemon?.stop();
  daemon = undefined;
});

const procFields = (pid: number, file: "cmdline" | "environ"): string[] => readFileSync(`/proc/${pid}/${file}`, "utf8").split("\0");

describe("the launcher line", () => {
  it("starts Node with the memory settings and keeps them out of the commands the daemon runs", async () => {
    daemon = startDaemon({ asProgram: true, config: 'sandbox_mode = "danger-full-access"\n' });
    await daemon.initialize();
    const pid = daemon.child.pid as number;
    expect(existsSync(`/proc/${pid}`)).toBe(true);
    // env execs node in place, so the pid is the daemon's own.
    expect(procFields(pid, "cmdline")).toContain("--max-semi-space-size=8");
    expect(procFields(pid, "environ")).toContain("MALLOC_MMAP_THRESHOLD_=131072");
    const answer = await daemon.request("command/exec", { command: ["env"], sandboxPolicy: { type: "dangerFullAccess" } });
    const stdout = (answer["result"] as Json)["stdout"] as string;
    expect(stdout).toMatch(/^PATH=/m);
    expect(stdout).not.toMatch(/MALLOC_MMAP_THRESHOLD_|GATEHOUSE_LAUNCHER_ENV/);
  });
});
