import { beforeAll, describe, expect, it } from "vitest";
import { loadBashParser } from "../tools/bashParse.js";
import { analyzeCommand } from "./commandSafety.js";
import { ExecPolicy } from "./execpolicy/execPolicy.js";
import { parseRules } from "./execpolicy/parser.js";
import { normalizeApprovalPolicy, planCommand, planFileChange } from "./approvalPlan.js";
import { keyString, SessionApprovals } from "./sessionApprovals.js";

beforeAll(async () => {
  await loadBashParser();
});

const lc = (s: string) => ["/bin/bash", "-lc", s];
const empty = ExecPolicy.empty();

function plan(
  policy: unknown,
  argv: string[],
  opts: { escalated?: boolean; cached?: "turnDefault" | "unsandboxed" | null; rules?: string; knownSafeTable?: boolean; untrustedProgram?: string | null } = {},
) {
  const analysis = analyzeCommand(argv);
  const evaluation = (opts.rules ? ExecPolicy.fromRules(parseRules(opts.rules, "t.rules")) : empty).evaluate(analysis.commands);
  return planCommand({
    policy: normalizeApprovalPolicy(policy),
    escalated: opts.escalated ?? false,
    analysis,
    evaluation,
    cachedMode: opts.cached ?? null,
    knownSafeTable: opts.knownSafeTable ?? true,
    untrustedProgram: opts.untrustedProgram ?? null,
  });
}

describe("normalizeApprovalPolicy", () => {
  it("reads on-failure as on-request and granular categories as auto-reject switches", () => {
    expect(normalizeApprovalPolicy("on-failure")).toEqual(normalizeApprovalPolicy("on-request"));
    expect(normalizeApprovalPolicy({ granular: { sandbox_approval: false, rules: true, mcp_elicitations: false } })).toEqual({
      mode: "on-request",
      askSandbox: false,
      askRules: true,
      askPermissions: false,
    });
    expect(normalizeApprovalPolicy({ granular: { request_permissions: true } }).askPermissions).toBe(true);
    expect(normalizeApprovalPolicy("never").askPermissions).toBe(false);
  });
});

describe("planCommand", () => {
  it("untrusted runs known-safe commands and asks for the rest, per sub-command", () => {
    expect(plan("untrusted", lc("ls && cat a.txt")).kind).toBe("run");
    expect(plan("untrusted", lc("cat a | rm -rf ./"))).toMatchObject({ kind: "ask", cacheable: false, proposedAmendment: null });
    expect(plan("untrusted", lc("touch b.txt"))).toMatchObject({ kind: "ask", cacheable: true, proposedAmendment: ["touch", "b.txt"], mode: "turnDefault" });
    expect(plan("untrusted", lc("touch a && touch b"))).toMatchObject({ kind: "ask", proposedAmendment: null });
  });
  it("untrusted asks for a known-safe command whose program is not the system's, and for everything with the table switched off", () => {
    expect(plan("untrusted", lc("cat a.txt"), { untrustedProgram: "cat: PATH directory /w/bin is inside the writable root /w" })).toMatchObject({
      kind: "ask",
      why: "untrusted: cat: PATH directory /w/bin is inside the writable root /w",
      proposedAmendment: ["cat", "a.txt"],
    });
    expect(plan("untrusted", lc("cat a.txt"), { knownSafeTable: false })).toMatchObject({ kind: "ask", why: "untrusted: known_safe_commands = false" });
    // Neither fact matters outside untrusted, nor against a session approval or an execpolicy allow.
    expect(plan("on-request", lc("cat a.txt"), { knownSafeTable: false, untrustedProgram: "x" }).kind).toBe("run");
    expect(plan("untrusted", lc("cat a.txt"), { knownSafeTable: false, cached: "turnDefault" }).kind).toBe("run");
    expect(plan("untrusted", lc("cat a.txt"), { knownSafeTable: false, rules: 'prefix_rule(pattern=["cat"], decision="allow")\n' }).kind).toBe("run");
  });
  it("on-request runs sandboxed and asks for escalation; never refuses escalation", () => {
    expect(plan("on-request", lc("touch b"))).toMatchObject({ kind: "run", mode: "turnDefault" });
    expect(plan("on-request", lc("touch b"), { escalated: true })).toMatchObject({ kind: "ask", mode: "unsandboxed" });
    expect(plan("never", lc("touch b"), { escalated: true }).kind).toBe("reject");
    expect(plan({ granular: { sandbox_approval: false, rules: true, mcp_elicitations: true } }, lc("touch b"), { escalated: true }).kind).toBe("reject");
  });
  it("dangerous commands never ride on a cached approval, and under never the sandbox decides", () => {
    expect(plan("untrusted", lc("rm -rf build"), { cached: "turnDefault" }).kind).toBe("ask");
    expect(plan("on-request", lc("git reset --hard"), { cached: "turnDefault" }).kind).toBe("ask");
    expect(plan("never", lc("rm -rf build"))).toMatchObject({ kind: "run", mode: "turnDefault" });
  });
  it("a cached approval covers its mode or a narrower one, never a wider one", () => {
    expect(plan("untrusted", lc("touch b"), { cached: "turnDefault" })).toMatchObject({ kind: "run", mode: "turnDefault" });
    expect(plan("untrusted", lc("touch b"), { cached: "turnDefault", escalated: true }).kind).toBe("ask");
    expect(plan("untrusted", lc("touch b"), { cached: "unsandboxed", escalated: true })).toMatchObject({ kind: "run", mode: "unsandboxed" });
  });
  it("execpolicy: forbidden refuses everywhere, prompt asks (or refuses when asking is off), allow skips the prompt inside the sandbox", () => {
    const rules =
      'prefix_rule(pattern=["rm"], decision="forbidden")\nprefix_rule(pattern=["npm"], decision="prompt")\nprefix_rule(pattern=["touch"], decision="allow")\nprefix_rule(pattern=["make"], decision="allow", sandbox="none")\n';
    expect(plan("never", lc("rm x"), { rules }).kind).toBe("reject");
    expect(plan("on-request", lc("npm i"), { rules })).toMatchObject({ kind: "ask", proposedAmendment: null });
    expect(plan("never", lc("npm i"), { rules }).kind).toBe("reject");
    expect(plan("untrusted", lc("touch b"), { rules })).toMatchObject({ kind: "run", mode: "turnDefault" });
    expect(plan("untrusted", lc("touch b"), { rules, escalated: true }).kind).toBe("ask");
    expect(plan("untrusted", lc("make"), { rules, escalated: true })).toMatchObject({ kind: "run", mode: "unsandboxed" });
    expect(plan("untrusted", lc("touch a && echo x > f"), { rules }).kind).toBe("ask");
  });
});

describe("planFileChange", () => {
  const p = (policy: unknown, f: Partial<{ withinWritableRoots: boolean; cached: boolean; protectedPath: boolean }>) =>
    planFileChange({ policy: normalizeApprovalPolicy(policy), withinWritableRoots: true, cached: false, protectedPath: false, ...f });
  it("asks under untrusted unless cached; protected paths never from the cache", () => {
    expect(p("untrusted", {}).kind).toBe("ask");
    expect(p("untrusted", { cached: true }).kind).toBe("run");
    expect(p("untrusted", { cached: true, protectedPath: true })).toMatchObject({ kind: "ask", cacheable: false });
    expect(p("on-request", {}).kind).toBe("run");
    expect(p("on-request", { withinWritableRoots: false })).toMatchObject({ kind: "ask", sandboxed: false });
    expect(p("never", { withinWritableRoots: false })).toMatchObject({ kind: "run", sandboxed: true });
  });
});

describe("session cache", () => {
  it("keeps commands, paths and (host, protocol, port) side by side", () => {
    const c = new SessionApprovals();
    c.approve({ kind: "command", argv: ["touch", "b"] }, "turnDefault");
    c.approve({ kind: "path", path: "/w/a.txt" });
    c.approve({ kind: "network", host: "Example.COM", protocol: "https", port: 443 });
    expect(c.commandMode(["touch", "b"])).toBe("turnDefault");
    expect(c.commandMode(["touch", "b", "c"])).toBeNull();
    expect(c.coversPaths(["/w/a.txt"])).toBe(true);
    expect(c.coversPaths(["/w/a.txt", "/w/b.txt"])).toBe(false);
    expect(c.has({ kind: "network", host: "example.com", protocol: "https", port: 443 })).toBe(true);
    expect(c.has({ kind: "network", host: "example.com", protocol: "https", port: 8443 })).toBe(false);
    c.deny({ kind: "network", host: "example.com", protocol: "https", port: 443 });
    expect(c.isDenied({ kind: "network", host: "EXAMPLE.com", protocol: "https", port: 443 })).toBe(true);
    expect(keyString({ kind: "path", path: "/x" })).not.toBe(keyString({ kind: "command", argv: ["/x"] }));
  });
});
