import { describe, expect, it } from "vitest";
import { compileDomainPattern, DomainPatternError, isNonPublicAddress, matchesAny, matchesDomainPattern, normalizeHost } from "./hosts.js";

describe("normalizeHost", () => {
  it.each([
    ["Example.COM", "example.com"],
    ["example.com.", "example.com"],
    ["BÜCHER.de.", "xn--bcher-kva.de"],
    ["xn--bcher-kva.de", "xn--bcher-kva.de"],
    ["0x7f.1", "127.0.0.1"],
    ["2130706433", "127.0.0.1"],
    ["[::FFFF:127.0.0.1]", "::ffff:7f00:1"],
    ["fe80::1%eth0", "fe80::1"],
    ["0:0:0:0:0:0:0:1", "::1"],
    ["_srv.example.com", "_srv.example.com"],
  ])("%s → %s", (raw, normal) => {
    expect(normalizeHost(raw)).toBe(normal);
    expect(normalizeHost(normal)).toBe(normal);
  });

  it.each(["", ".", "exa mple.com", "a/b", "a@b", "x".repeat(254), "[::1"])("refuses %j", (raw) => {
    expect(normalizeHost(raw)).toBeNull();
  });
});

describe("domain patterns", () => {
  const m = (pattern: string, host: string, list: "allow" | "deny" = "allow"): boolean => matchesDomainPattern(compileDomainPattern(pattern, list), host);

  it("matches an exact name only exactly, whatever its spelling", () => {
    expect(m("Example.com.", "example.com")).toBe(true);
    expect(m("example.com", "www.example.com")).toBe(false);
    expect(m("example.com", "badexample.com")).toBe(false);
    expect(m("bücher.de", "xn--bcher-kva.de")).toBe(true);
  });

  it("*.x matches subdomains only; **.x the apex too", () => {
    expect(m("*.example.com", "a.b.example.com")).toBe(true);
    expect(m("*.example.com", "example.com")).toBe(false);
    expect(m("*.example.com", "notexample.com")).toBe(false);
    expect(m("**.example.com", "example.com")).toBe(true);
    expect(m("**.example.com", "a.example.com")).toBe(true);
    expect(m("**.example.com", "evil-example.com")).toBe(false);
  });

  it("a bare * matches everything, in allow lists only", () => {
    expect(m("*", "anything.test")).toBe(true);
    expect(() => compileDomainPattern("*", "deny")).toThrow(DomainPatternError);
  });

  it("matches address literals in their normal form", () => {
    expect(m("127.0.0.2", "127.0.0.2")).toBe(true);
    expect(m("[::1]", "::1")).toBe(true);
  });

  it.each(["foo.*.com", "*.", "*.127.0.0.1", "**", "exa mple.com", ""])("refuses %j", (pattern) => {
    expect(() => compileDomainPattern(pattern, "allow")).toThrow(DomainPatternError);
  });

  it("matchesAny is false for an empty list", () => {
    expect(matchesAny([], "example.com")).toBe(false);
  });
});

describe("isNonPublicAddress", () => {
  it.each([
    "0.0.0.0",
    "10.0.0.1",
    "100.64.0.1",
    "100.127.255.255",
    "127.0.0.2",
    "169.254.169.254",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "192.0.2.1",
    "198.18.0.1",
    "224.0.0.1",
    "255.255.255.255",
    "::",
    "::1",
    "fe80::1",
    "fc00::1",
    "fd12:3456::1",
    "ff02::1",
    "::ffff:10.0.0.1",
    "::ffff:7f00:1",
    "::127.0.0.1",
    "64:ff9b::a00:1",
    "2002:a00:1::",
    "2001:db8::1",
    "fe80::1%eth0",
    "not-an-address",
  ])("%s is not public", (address) => {
    expect(isNonPublicAddress(address)).toBe(true);
  });

  it.each([
    "93.184.215.14",
    "8.8.8.8",
    "100.63.255.255",
    "100.128.0.0",
    "172.32.0.1",
    "2606:4700::1111",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",
    "2002:808:808::",
  ])("%s is public", (address) => {
    expect(isNonPublicAddress(address)).toBe(false);
  });
});
