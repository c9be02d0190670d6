// InboundLimiter on its own: admission up to the limit, a slot back per response that leaves, ids it
// never admitted change nothing, and whenIdle resolves once the last admitted request is answered.
import { describe, expect, it } from "vitest";
import { InboundLimiter } from "./inboundLimiter.js";

describe("InboundLimiter", () => {
  it("admits up to its limit, refuses the next, and admits again once a response leaves", () => {
    const l = new InboundLimiter(2);
    expect(l.tryAdmit(1)).toBe(true);
    expect(l.tryAdmit("two")).toBe(true);
    expect(l.size).toBe(2);
    expect(l.tryAdmit(3)).toBe(false);
    expect(l.size).toBe(2);
    l.release("two");
    expect(l.size).toBe(1);
    expect(l.tryAdmit(3)).toBe(true);
  });

  it("ignores releases for ids it never admitted (overload answers, null ids), and a second release of one id", () => {
    const l = new InboundLimiter(1);
    expect(l.tryAdmit(7)).toBe(true);
    expect(l.tryAdmit(8)).toBe(false);
    l.release(8);
    l.release(null);
    l.release("7"); // the string "7" is another id than the number 7
    expect(l.size).toBe(1);
    l.release(7);
    l.release(7);
    expect(l.size).toBe(0);
  });

  it("counts a reused id once per admission", () => {
    const l = new InboundLimiter(4);
    l.tryAdmit(1);
    l.tryAdmit(1);
    l.release(1);
    expect(l.size).toBe(1);
    l.release(1);
    expect(l.size).toBe(0);
  });

  it("whenIdle resolves at once when nothing is in flight, else when the last admitted request is released", async () => {
    const l = new InboundLimiter(4);
    await l.whenIdle();
    l.tryAdmit(1);
    l.tryAdmit(2);
    let idle = false;
    const waiting = l.whenIdle().then(() => (idle = true));
    l.release(1);
    await Promise.resolve();
    expect(idle).toBe(false);
    l.release(2);
    await waiting;
    expect(idle).toBe(true);
  });
});
