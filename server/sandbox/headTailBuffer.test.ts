import { describe, expect, it } from "vitest";
import { HeadTailBuffer } from "./headTailBuffer.js";

describe("HeadTailBuffer", () => {
  it("keeps head and tail and reports what it dropped", () => {
    const b = new HeadTailBuffer(10);
    for (const c of ["0123", "4567", "89ab", "cdef"]) b.push(Buffer.from(c));
    expect(b.total).toBe(16);
    expect(b.omitted).toBe(6);
    expect(b.text()).toBe("01234\n[… 6 bytes omitted: output is capped at 10 bytes per stream …]\nbcdef");
  });
  it("is transparent under the cap and unlimited with null", () => {
    const b = new HeadTailBuffer(100);
    b.push(Buffer.from("hello"));
    expect(b.text()).toBe("hello");
    const u = new HeadTailBuffer(null);
    u.push(Buffer.alloc(5000, 97));
    expect(u.omitted).toBe(0);
    expect(u.text().length).toBe(5000);
  });
});
