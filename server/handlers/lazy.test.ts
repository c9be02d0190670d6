import { describe, expect, it } from "vitest";
import { lazyHandlers, lazyService } from "./lazy.js";

interface Counter {
  n: number;
}
const counterHandlers = (c: Counter) => ({
  "x/inc": (p: { by: number }) => (c.n += p.by),
  "x/read": () => c.n,
});

describe("lazy handler groups", () => {
  it("builds the service on the first call only, and every later call reaches the same one", async () => {
    let builds = 0;
    const service = lazyService(async () => {
      builds++;
      return { n: 0 };
    });
    const group = lazyHandlers(counterHandlers, service);
    expect(Object.keys(group)).toEqual(["x/inc", "x/read"]);
    expect(builds).toBe(0);
    expect(await service.ifStarted()).toBeUndefined();
    expect(await group["x/inc"]({ by: 2 })).toBe(2);
    expect(await group["x/inc"]({ by: 3 })).toBe(5);
    expect(await group["x/read"]()).toBe(5);
    expect(builds).toBe(1);
    expect(await service.ifStarted()).toEqual({ n: 5 });
  });

  it("tries again after a failed build", async () => {
    let attempts = 0;
    const service = lazyService(async () => {
      if (++attempts === 1) throw new Error("chunk missing");
      return { n: 1 };
    });
    const group = lazyHandlers(counterHandlers, service);
    await expect(group["x/read"]()).rejects.toThrow("chunk missing");
    expect(await service.ifStarted()).toBeUndefined();
    expect(await group["x/read"]()).toBe(1);
  });

  it("refuses a factory that uses its service while building the handlers", () => {
    const eager = (c: Counter) => {
      const start = c.n;
      return { "x/read": () => start };
    };
    expect(() =>
      lazyHandlers(
        eager,
        lazyService(async () => ({ n: 0 })),
      ),
    ).toThrow(/used its service \(\.n\)/);
  });
});
