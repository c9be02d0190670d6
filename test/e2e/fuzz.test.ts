// 1,000 fuzzed lines against the real daemon over stdio. After each one a valid request must still be
// answered, and what the fuzzed line produced must be exactly the answer JSON-RPC 2.0 prescribes.
// The generator is seeded, so a failure names a line that can be replayed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDaemon, type Json, type RawDaemon } from "../helpers/daemon.js";

type Expect = { kind: "error"; code: number; id: unknown } | { kind: "result"; id: unknown } | { kind: "nothing" };
interface Case {
  name: string;
  bytes: Buffer;
  expect: Expect;
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeCases(count: number, seed: number): Case[] {
  const r = rng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const text = (n: number): string => Array.from({ length: n }, () => String.fromCharCode(32 + Math.floor(r() * 90))).join("");
  const line = (s: string): Buffer => Buffer.from(`${s.replace(/\n/g, " ")}\n`);
  const out: Case[] = [];
  for (let i = 0; i < count; i++) {
    const id = `f${i}`;
    const kind = pick(["garbage", "truncated", "wrongType", "badId", "hugeId", "deep", "utf8", "notMessage", "methodType", "unknownMethod", "valid"]);
    switch (kind) {
      case "garbage": {
        let g = text(1 + Math.floor(r() * 80));
        if (/^\s*$/.test(g)) g = "@";
        let parses = true;
        try {
          JSON.parse(g);
        } catch {
          parses = false;
        }
        if (parses) g = `{${g}`;
        out.push({ name: kind, bytes: line(g), expect: { kind: "error", code: -32700, id: null } });
        break;
      }
      case "truncated": {
        const full = JSON.stringify({ id, method: "model/list", params: { cursor: null } });
        out.push({ name: kind, bytes: line(full.slice(0, 1 + Math.floor(r() * (full.length - 2)))), expect: { kind: "error", code: -32700, id: null } });
        break;
      }
      case "wrongType": {
        const params = pick([{ limit: "ten" }, { limit: -1.5 }, { cursor: 5 }, { includeHidden: "yes" }, { limit: { a: 1 } }]);
        out.push({ name: kind, bytes: line(JSON.stringify({ id, method: "model/list", params })), expect: { kind: "error", code: -32602, id } });
        break;
      }
      case "badId": {
        const bad = pick([{ x: 1 }, [1], true, 1.5, -0.25]);
        out.push({ name: kind, bytes: line(JSON.stringify({ id: bad, method: "model/list", params: {} })), expect: { kind: "error", code: -32600, id: null } });
        break;
      }
      case "hugeId": {
        const huge = pick<unknown>(["i".repeat(5000 + Math.floor(r() * 5000)), 1e300, 2 ** 60]);
        out.push({
          name: kind,
          bytes: line(`{"id":${JSON.stringify(huge)},"method":"model/list","params":{}}`),
          expect: { kind: "error", code: -32600, id: null },
        });
        break;
      }
      case "deep": {
        const depth = 1000 + Math.floor(r() * 4000);
        const nested = "[".repeat(depth) + "]".repeat(depth);
        out.push({
          name: kind,
          bytes: line(`{"id":"${id}","method":"model/list","params":{"cursor":null,"extra":${nested}}}`),
          expect: { kind: "result", id },
        });
        break;
      }
      case "utf8": {
        const bad = pick([[0xff], [0xc3, 0x28], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]]);
        const bytes = Buffer.concat([Buffer.from(`{"id":"${id}","method":"model/list","params":{"x":"`), Buffer.from(bad), Buffer.from('"}}\n')]);
        out.push({ name: kind, bytes, expect: { kind: "error", code: -32700, id: null } });
        break;
      }
      case "notMessage": {
        const v = pick<unknown>([42, "str", null, [], [{ id: 1, method: "x" }], { id }, { result: 1 }]);
        const hasId = typeof v === "object" && v !== null && !Array.isArray(v) && "id" in v;
        out.push({ name: kind, bytes: line(JSON.stringify(v)), expect: { kind: "error", code: -32600, id: hasId ? id : null } });
        break;
      }
      case "methodType":
        out.push({ name: kind, bytes: line(JSON.stringify({ id, method: pick([1, null, {}, []]) })), expect: { kind: "error", code: -32600, id } });
        break;
      case "unknownMethod":
        out.push({ name: kind, bytes: line(JSON.stringify({ id, method: `fuzz/${text(8)}`, params: {} })), expect: { kind: "error", code: -32601, id } });
        break;
      default:
        out.push({ name: kind, bytes: line(JSON.stringify({ id, method: "model/list", params: {} })), expect: { kind: "result", id } });
    }
  }
  return out;
}

const SEED = 0x5eed;
let daemon: RawDaemon;

beforeAll(async () => {
  daemon = startDaemon({ env: { GATEHOUSE_LOG: "warn" } });
  await daemon.initialize();
});
afterAll(async () => {
  await daemon.stop();
});

describe("fuzzed input over stdio", () => {
  it("answers each of 1,000 fuzzed lines correctly and keeps serving", async () => {
    const cases = makeCases(1000, SEED);
    const kinds = new Set(cases.map((c) => c.name));
    expect(kinds.size).toBeGreaterThanOrEqual(10);
    const failures: string[] = [];
    for (const [i, c] of cases.entries()) {
      const from = daemon.messages.length;
      daemon.send(c.bytes);
      const sentinel = `s${i}`;
      daemon.sendJson({ id: sentinel, method: "configRequirements/read" });
      await daemon.waitFor((m) => m["id"] === sentinel, 10_000, from);
      const produced = daemon.messages.slice(from).filter((m) => m["id"] !== sentinel);
      const ok = ((): boolean => {
        if (c.expect.kind === "nothing") return produced.length === 0;
        if (produced.length !== 1) return false;
        const m = produced[0] as Json;
        if (m["id"] !== c.expect.id) return false;
        if (c.expect.kind === "result") return "result" in m;
        const e = m["error"] as { code?: unknown; message?: unknown } | undefined;
        return e?.code === c.expect.code && typeof e.message === "string" && !String(e.message).includes("    at ");
      })();
      if (!ok) failures.push(`#${i} (${c.name}, seed ${SEED}): expected ${JSON.stringify(c.expect)}, got ${JSON.stringify(produced).slice(0, 300)}`);
    }
    expect(failures).toEqual([]);
  }, 240_000);
});
