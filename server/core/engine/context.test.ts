import { readlinkSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { localDate, readTimeZone, systemTimeZone, zoneFromZoneinfoPath } from "./context.js";

describe("zoneFromZoneinfoPath", () => {
  it("takes the IANA name after zoneinfo/, as 0.169 reports it", () => {
    expect(zoneFromZoneinfoPath("/usr/share/zoneinfo/Etc/UTC")).toBe("Etc/UTC");
    expect(zoneFromZoneinfoPath("../usr/share/zoneinfo/America/Argentina/Buenos_Aires")).toBe("America/Argentina/Buenos_Aires");
    expect(zoneFromZoneinfoPath("/var/db/timezone/zoneinfo/Europe/Paris")).toBe("Europe/Paris");
    expect(zoneFromZoneinfoPath("/usr/share/zoneinfo/Etc/GMT+5")).toBe("Etc/GMT+5");
  });

  it("refuses what is not a zone name", () => {
    expect(zoneFromZoneinfoPath("/etc/alternatives/localtime")).toBeNull();
    expect(zoneFromZoneinfoPath("/usr/share/zoneinfo/")).toBeNull();
    expect(zoneFromZoneinfoPath("/usr/share/zoneinfo/Etc/<UTC>")).toBeNull();
  });
});

describe("readTimeZone", () => {
  const missing = () => {
    throw Object.assign(new Error("ENOENT"), { code: "ENOENT" });
  };

  it("prefers the /etc/localtime link, then /etc/timezone, then ICU", () => {
    expect(readTimeZone({ localtimeLink: () => "/usr/share/zoneinfo/Asia/Tokyo", timezoneFile: () => "Europe/Paris\n" })).toBe("Asia/Tokyo");
    expect(readTimeZone({ localtimeLink: missing, timezoneFile: () => "Europe/Paris\n" })).toBe("Europe/Paris");
    expect(readTimeZone({ localtimeLink: () => "/etc/alternatives/localtime", timezoneFile: () => "Europe/Paris\n" })).toBe("Europe/Paris");
    expect(readTimeZone({ localtimeLink: missing, timezoneFile: missing })).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
  });
});

describe("systemTimeZone", () => {
  it("is the zone /etc/localtime links to when it is a zoneinfo link", () => {
    let target: string;
    try {
      target = readlinkSync("/etc/localtime");
    } catch {
      return; // No link on this machine: the other sources are covered by zoneFromZoneinfoPath's callers.
    }
    const zone = zoneFromZoneinfoPath(target);
    if (zone) expect(systemTimeZone()).toBe(zone);
  });
});

describe("localDate", () => {
  const saved = process.env["TZ"];
  afterEach(() => {
    if (saved === undefined) delete process.env["TZ"];
    else process.env["TZ"] = saved;
  });

  it("is the calendar date in the local zone, not in UTC", () => {
    process.env["TZ"] = "Asia/Tokyo";
    expect(localDate(new Date("2026-11-23T16:00:00Z"))).toBe("2026-11-24");
    process.env["TZ"] = "America/New_York";
    expect(localDate(new Date("2026-01-01T03:00:00Z"))).toBe("2025-12-31");
  });
});
