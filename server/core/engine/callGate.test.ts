// The gate that lets one response's calls run together except around a tool that must run alone
// (0.169's per-tool `supports_parallel_tool_calls` behind a fair read/write lock).
import { describe, expect, it } from "vitest";
import { ToolRouter } from "../tools/router.js";
import { DEFAULT_TOOL_FLAGS } from "../tools/toolFlags.js";
import { UnifiedExecSessions } from "../tools/unifiedExecSessions.js";
import { parallelToolCallsFor } from "./activeTurn.js";
import { CallGate } from "./callGate.js";

/** Enters the gate for each call in order and records who holds it, without any timer. */
function run(calls: { name: string; exclusive: boolean }[]) {
  const gate = new CallGate();
  const log: string[] = [];
  const releases = new Map<string, () => void>();
  for (const c of calls) {
    void gate.enter(c.exclusive).then((release) => {
      log.push(`+${c.name}`);
      releases.set(c.name, () => {
        log.push(`-${c.name}`);
        release();
      });
    });
  }
  const settle = () => new Promise<void>((r) => setImmediate(r));
  return { log, finish: async (name: string) => (releases.get(name) as () => void)(), settle };
}

describe("CallGate", () => {
  it("shared calls all enter at once", async () => {
    const g = run([
      { name: "a", exclusive: false },
      { name: "b", exclusive: false },
      { name: "c", exclusive: false },
    ]);
    await g.settle();
    expect(g.log).toEqual(["+a", "+b", "+c"]);
  });

  it("an exclusive call waits for the calls before it and holds back the calls after it, in call order", async () => {
    const g = run([
      { name: "exec1", exclusive: false },
      { name: "patch", exclusive: true },
      { name: "exec2", exclusive: false },
      { name: "exec3", exclusive: false },
    ]);
    await g.settle();
    expect(g.log).toEqual(["+exec1"]);
    await g.finish("exec1");
    await g.settle();
    expect(g.log).toEqual(["+exec1", "-exec1", "+patch"]);
    await g.finish("patch");
    await g.settle();
    expect(g.log).toEqual(["+exec1", "-exec1", "+patch", "-patch", "+exec2", "+exec3"]);
  });

  it("two exclusive calls run one after the other", async () => {
    const g = run([
      { name: "p1", exclusive: true },
      { name: "p2", exclusive: true },
    ]);
    await g.settle();
    expect(g.log).toEqual(["+p1"]);
    await g.finish("p1");
    await g.settle();
    expect(g.log).toEqual(["+p1", "-p1", "+p2"]);
  });
});

describe("0.169's parallel defaults", () => {
  it("the request allows parallel calls for every family, as 0.169.0 was seen to send", () => {
    for (const model of ["gpt-5.5", "gpt-5.1-codex", "o3", "gpt-4.1", "qwen3-coder"]) expect(parallelToolCallsFor(model)).toBe(true);
  });

  it("the shell tools run in parallel; write_stdin, apply_patch, update_plan and request_user_input run alone", () => {
    const tools = ["gpt-5.5", "o3", "qwen3-coder"].flatMap(
      (model) => ToolRouter.forModel(model, new UnifiedExecSessions(), { flags: { ...DEFAULT_TOOL_FLAGS, requestPermissions: true } }).tools,
    );
    const parallel = new Set(tools.filter((t) => t.supportsParallel === true).map((t) => t.name));
    expect([...parallel].sort()).toEqual(["exec_command", "shell", "shell_command", "view_image"]);
    for (const name of ["write_stdin", "apply_patch", "update_plan", "request_permissions"]) expect(tools.some((t) => t.name === name)).toBe(true);
  });
});
