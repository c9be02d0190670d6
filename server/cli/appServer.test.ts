import { describe, expect, it } from "vitest";
import { DEFAULT_SHUTDOWN_GRACE_S, parseShutdownGrace } from "./appServer.js";

describe("--shutdown-grace", () => {
  it("defaults to 10 s and takes whole or fractional seconds, 0 included", () => {
    expect(DEFAULT_SHUTDOWN_GRACE_S).toBe(10);
    expect(parseShutdownGrace(undefined)).toBe(10_000);
    expect(parseShutdownGrace("30")).toBe(30_000);
    expect(parseShutdownGrace("2.5")).toBe(2_500);
    expect(parseShutdownGrace("0")).toBe(0);
    expect(parseShutdownGrace("2147483")).toBe(2_147_483_000);
  });

  it.each(["", " ", "-1", "ten", "10s", "1e3", "Infinity", "NaN", "0x10", ".5", "2147484"])("refuses %j, saying what it takes", (value) => {
    expect(() => parseShutdownGrace(value)).toThrow(
      `--shutdown-grace must be a number of seconds from 0 to 2147483 (e.g. 10 or 2.5), not ${JSON.stringify(value)}`,
    );
  });
});
