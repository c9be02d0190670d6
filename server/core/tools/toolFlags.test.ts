// The tool list per family and `[features]` flags, checked against what 0.169.0 offered (toolFlags.ts,
// OBSERVED_0169, captured with the conformance harness). For gpt-5.5 the lists must be equal, minus
// the tools Gatehouse does not have. 0.169 has no shell/shell_command families any more (unknown
// models get exec_command), so for Gatehouse's older families the test checks that each flag makes
// the same change 0.169 made to its fallback list: the shell tools (whatever the family's are) go or
// stay, view_image goes or stays, request_permissions comes after the tools before it.
import { describe, expect, it } from "vitest";
import { ToolRouter } from "./router.js";
import { NOT_IN_GATEHOUSE, OBSERVED_0169, toolFlagsFrom, withoutTty } from "./toolFlags.js";
import { UnifiedExecSessions } from "./unifiedExecSessions.js";

const names = (model: string, features: Record<string, boolean>, requestUserInput = true): string[] =>
  ToolRouter.forModel(model, new UnifiedExecSessions(), {
    flags: toolFlagsFrom(features),
    ...(requestUserInput
      ? { requestUserInput: { name: "request_user_input", spec: { name: "request_user_input" }, run: () => Promise.reject(new Error("unused")) } }
      : {}),
  })
    .specs()
    .map((s) => s["name"] as string);

const label = (f: Record<string, boolean>): string => JSON.stringify(f);
const SHELL_0169 = new Set(["exec_command", "write_stdin"]);

describe("tool list per [features] flags, as 0.169.0", () => {
  it.each(OBSERVED_0169.map((o) => [label(o.features), o] as const))("gpt-5.5 with %s gets 0.169's list", (_l, o) => {
    expect(names("gpt-5.5", o.features)).toEqual(o.catalog.filter((n) => !NOT_IN_GATEHOUSE.has(n)));
  });

  const families = [
    { model: "gpt-4.1", shell: ["shell"] },
    { model: "qwen3-coder", shell: ["shell_command"] },
  ];
  for (const { model, shell } of families) {
    it.each(OBSERVED_0169.map((o) => [label(o.features), o] as const))(`${model} with %s changes as 0.169's fallback list changes`, (_l, o) => {
      const base = OBSERVED_0169[0]?.fallback ?? [];
      const had = (n: string, list: readonly string[]): boolean => list.includes(n);
      const got = names(model, o.features, false);
      const baseline = names(model, {}, false);
      // The shell tools: present exactly when 0.169 kept its shell tools.
      const shellKept = [...SHELL_0169].every((n) => had(n, o.fallback));
      expect(shell.every((n) => got.includes(n))).toBe(shellKept);
      expect(shell.some((n) => got.includes(n))).toBe(shellKept);
      // view_image and request_permissions: present exactly when 0.169 offered them.
      for (const n of ["view_image", "request_permissions"]) expect(got.includes(n), n).toBe(had(n, o.fallback));
      // Nothing else moves: the rest of the family's list is its baseline.
      const rest = (l: readonly string[]) => l.filter((n) => !shell.includes(n) && n !== "view_image" && n !== "request_permissions");
      expect(rest(got)).toEqual(rest(baseline));
      expect(had("view_image", base)).toBe(true);
    });
  }

  it("unified_exec_tty = false drops exec_command's tty, as 0.169 does, and a call's tty is not passed on", () => {
    const tty = (features: Record<string, boolean>) => {
      const spec = ToolRouter.forModel("gpt-5.5", new UnifiedExecSessions(), { flags: toolFlagsFrom(features) })
        .specs()
        .find((s) => s["name"] === "exec_command");
      return Object.keys((spec?.["parameters"] as { properties: Record<string, unknown> }).properties);
    };
    expect(tty({})).toContain("tty");
    expect(tty({ unified_exec_tty: false })).not.toContain("tty");
    expect(tty({ unified_exec_tty: false })).toEqual(tty({}).filter((k) => k !== "tty"));
    const seen: string[] = [];
    const inner = {
      name: "exec_command",
      spec: { parameters: { properties: { cmd: {}, tty: {} } } },
      run: (c: { input: string }) => (seen.push(c.input), Promise.resolve({ type: "function_call_output" as const, call_id: "c", output: "" })),
    };
    void withoutTty(inner).run({ kind: "function", name: "exec_command", callId: "c", input: '{"cmd":"ls","tty":true}' }, {} as never);
    expect(seen.map((i) => JSON.parse(i) as unknown)).toEqual([{ cmd: "ls" }]);
  });

  it("view_image is not offered on the chat wire, whose tool messages cannot carry an image", () => {
    const chat = ToolRouter.forModel("gpt-5.5", new UnifiedExecSessions(), { wireApi: "chat" })
      .specs()
      .map((s) => s["name"]);
    expect(chat).not.toContain("view_image");
    expect(
      ToolRouter.forModel("gpt-5.5", new UnifiedExecSessions())
        .specs()
        .map((s) => s["name"]),
    ).toContain("view_image");
  });
});
