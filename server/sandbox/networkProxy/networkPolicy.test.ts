// The decision order on its own, with a resolver and an approver that record their calls: which
// step decides, and which later steps are never reached (no lookup, no prompt).
import { describe, expect, it } from "vitest";
import { compilePolicy, evaluate, proxyErrorCode, type DecideFn, type NetworkPolicy, type ProxyTarget, type ResolvedAddress } from "./networkPolicy.js";

const base: NetworkPolicy = { mode: "full", allowedDomains: [], deniedDomains: [], allowLocalBinding: false };
const target = (host: string, over: Partial<ProxyTarget> = {}): ProxyTarget => ({ host, protocol: "https", port: 443, owner: "cmd-1", ...over });

function harness(options: { policy?: Partial<NetworkPolicy>; addresses?: readonly ResolvedAddress[]; decide?: DecideFn; timeoutMs?: number }) {
  const lookups: string[] = [];
  const asks: ProxyTarget[] = [];
  const decide: DecideFn | undefined = options.decide
    ? (t, c) => {
        asks.push(t);
        return options.decide!(t, c);
      }
    : undefined;
  const run = (t: ProxyTarget, method: string | null = null, signal = new AbortController().signal) =>
    evaluate(compilePolicy({ ...base, ...options.policy }), t, method, {
      resolve: (host) => {
        lookups.push(host);
        return Promise.resolve(options.addresses ?? [{ address: "93.184.215.14", family: 4 }]);
      },
      decide,
      decisionTimeoutMs: options.timeoutMs ?? 60_000,
      signal,
    });
  return { run, lookups, asks };
}

const allow: DecideFn = () => Promise.resolve("allow");

describe("evaluate", () => {
  it("denies an unattributed connection before any lookup or ask, even for an allow-listed host", async () => {
    const h = harness({ policy: { allowedDomains: ["example.com"] }, decide: allow });
    const v = await h.run(target("example.com", { owner: null }));
    expect(v).toMatchObject({ kind: "deny", reason: "unattributed" });
    expect(h.lookups).toEqual([]);
    expect(h.asks).toEqual([]);
  });

  it("lets the deny list win over the allow list, without a lookup", async () => {
    const h = harness({ policy: { allowedDomains: ["**.example.com"], deniedDomains: ["bad.example.com"] }, decide: allow });
    expect(await h.run(target("bad.example.com"))).toEqual({ kind: "deny", reason: "denylist", message: "domain is explicitly denied by policy" });
    expect(await h.run(target("good.example.com"))).toMatchObject({ kind: "allow", reason: "allowlist" });
    expect(h.lookups).toEqual(["good.example.com"]);
    expect(h.asks).toEqual([]);
  });

  it("allows an allow-listed host without asking and hands back the checked addresses", async () => {
    const addresses = [
      { address: "93.184.215.14", family: 4 as const },
      { address: "2606:4700::1111", family: 6 as const },
    ];
    const h = harness({ policy: { allowedDomains: ["example.com"] }, addresses, decide: allow });
    expect(await h.run(target("example.com"))).toEqual({ kind: "allow", reason: "allowlist", addresses });
    expect(h.asks).toEqual([]);
  });

  it("refuses a name when any of its addresses is private, before the allow list and the ask", async () => {
    const h = harness({
      policy: { allowedDomains: ["example.com"] },
      addresses: [
        { address: "93.184.215.14", family: 4 },
        { address: "10.0.0.1", family: 4 },
      ],
      decide: allow,
    });
    expect(await h.run(target("example.com"))).toMatchObject({ kind: "deny", reason: "local-address" });
    expect(h.asks).toEqual([]);
  });

  it("refuses a private address literal unless that exact literal is allow-listed; wildcards never open one", async () => {
    expect(await harness({ decide: allow }).run(target("127.0.0.2"))).toMatchObject({ reason: "local-address" });
    expect(await harness({ policy: { allowedDomains: ["127.0.0.2"] } }).run(target("127.0.0.2"))).toMatchObject({ kind: "allow" });
    expect(await harness({ policy: { allowedDomains: ["*"] } }).run(target("127.0.0.2"))).toMatchObject({ reason: "local-address" });
    // A name is never opened this way, even when listed exactly: that is the rebinding case.
    const named = harness({ policy: { allowedDomains: ["internal.example"] }, addresses: [{ address: "127.0.0.2", family: 4 }] });
    expect(await named.run(target("internal.example"))).toMatchObject({ reason: "local-address" });
  });

  it("lets local targets through with allowLocalBinding, then asks", async () => {
    const h = harness({ policy: { allowLocalBinding: true }, decide: allow });
    expect(await h.run(target("127.0.0.2"))).toEqual({ kind: "allow", reason: "approved", addresses: [{ address: "127.0.0.2", family: 4 }] });
    expect(h.lookups).toEqual([]); // a literal is never looked up
    expect(h.asks).toEqual([target("127.0.0.2")]);
  });

  it("passes the approver's answers through: allow, deny, deny with a reason", async () => {
    expect(await harness({ decide: allow }).run(target("a.test"))).toMatchObject({ kind: "allow", reason: "approved" });
    expect(await harness({ decide: () => Promise.resolve("deny") }).run(target("a.test"))).toEqual({
      kind: "deny",
      reason: "not-approved",
      message: "domain is not on the allowlist for the current sandbox mode",
    });
    expect(await harness({ decide: () => Promise.resolve({ deny: "the user declined" }) }).run(target("a.test"))).toEqual({
      kind: "deny",
      reason: "not-approved",
      message: "the user declined",
    });
  });

  it("denies when the approver fails, throws, answers nonsense, or is absent", async () => {
    expect(await harness({ decide: () => Promise.reject(new Error("boom")) }).run(target("a.test"))).toMatchObject({ reason: "approval-error" });
    expect(
      await harness({
        decide: () => {
          throw new Error("sync boom");
        },
      }).run(target("a.test")),
    ).toMatchObject({ reason: "approval-error" });
    expect(await harness({ decide: () => Promise.resolve("yes" as never) }).run(target("a.test"))).toMatchObject({ reason: "approval-error" });
    expect(await harness({}).run(target("a.test"))).toMatchObject({ reason: "no-approver" });
  });

  it("denies on the decision deadline and aborts the approver's signal", async () => {
    let seen: AbortSignal | undefined;
    const h = harness({
      timeoutMs: 1,
      decide: (_t, { signal }) => {
        seen = signal;
        return new Promise(() => undefined);
      },
    });
    expect(await h.run(target("a.test"))).toMatchObject({ kind: "deny", reason: "approval-timeout" });
    expect(seen?.aborted).toBe(true);
  });

  it("stops waiting when the client is gone", async () => {
    const gone = new AbortController();
    const h = harness({
      decide: () => {
        gone.abort();
        return new Promise(() => undefined);
      },
    });
    expect(await h.run(target("a.test"), null, gone.signal)).toMatchObject({ kind: "deny", reason: "approval-error" });
  });

  it("limited mode: GET/HEAD/OPTIONS on plain HTTP only; tunnels and SOCKS refused before any lookup", async () => {
    const h = harness({ policy: { mode: "limited", allowedDomains: ["*"] } });
    for (const method of ["GET", "HEAD", "OPTIONS"]) {
      expect(await h.run(target("a.test", { protocol: "http", port: 80 }), method)).toMatchObject({ kind: "allow" });
    }
    expect(await h.run(target("a.test", { protocol: "http", port: 80 }), "POST")).toMatchObject({ reason: "method" });
    expect(await h.run(target("b.test", { protocol: "https" }), "CONNECT")).toMatchObject({ reason: "mitm-required" });
    expect(await h.run(target("c.test", { protocol: "socks5-tcp" }))).toMatchObject({ reason: "method" });
    expect(h.lookups).toEqual(["a.test", "a.test", "a.test"]);
  });

  it("reports a failed lookup as unresolved, not as a policy decision", async () => {
    const v = await evaluate(compilePolicy(base), target("nowhere.test"), null, {
      resolve: () => Promise.reject(new Error("ENOTFOUND")),
      decide: allow,
      decisionTimeoutMs: 60_000,
      signal: new AbortController().signal,
    });
    expect(v.kind).toBe("unresolved");
  });

  it("maps every denial to §5.1's x-proxy-error codes", () => {
    expect(proxyErrorCode("denylist")).toBe("blocked-by-denylist");
    expect(proxyErrorCode("method")).toBe("blocked-by-method-policy");
    expect(proxyErrorCode("mitm-required")).toBe("blocked-by-mitm-required");
    expect(proxyErrorCode("not-approved")).toBe("blocked-by-allowlist");
    expect(proxyErrorCode("local-address")).toBe("blocked-by-policy");
    expect(proxyErrorCode("unattributed")).toBe("blocked-by-policy");
  });
});
