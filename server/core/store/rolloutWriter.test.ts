import { appendFileSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync, mkdirSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { RolloutNotFoundError, RolloutWriteError, RolloutWriterBusyError } from "./errors.js";
import { localStamp } from "./paths.js";
import { parseRolloutText } from "./rolloutReader.js";
import { RolloutWriter } from "./rolloutWriter.js";
import { metaFor, tempHomes } from "./testHome.testutil.js";
import { mountTmpfs, tmpfsUnavailable } from "./tmpfs.testutil.js";

const newHome = tempHomes();
const ID = "01a2087c-eefa-7c93-b24c-302346b06fc6";

function lines(path: string): unknown[] {
  return readFileSync(path, "utf8")
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l) as unknown);
}

describe("RolloutWriter.create", () => {
  it("names the file after the local creation time and writes session_meta first", async () => {
    const home = newHome();
    const createdAt = new Date(2026, 10, 23, 12, 58, 55); // local time
    const w = await RolloutWriter.create(home, { threadId: ID, createdAt, meta: metaFor() });
    await w.close();
    expect(w.path).toBe(join(home, "sessions", "2026", "11", "23", `rollout-2026-11-23T12-58-55-${ID}.jsonl`));
    expect(localStamp(createdAt)).toBe("2026-11-23T12-58-55");
    const [first] = lines(w.path) as Array<{ timestamp: string; type: string; payload: Record<string, unknown> }>;
    expect(Object.keys(first ?? {})).toEqual(["timestamp", "type", "payload"]);
    expect(first?.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(first?.type).toBe("session_meta");
    expect(first?.payload).toMatchObject({ id: ID, timestamp: createdAt.toISOString(), cwd: "/work/project", model_provider: "mock", source: "vscode" });
  });

  it("makes the new file's directory entry durable with its first sync, once, or with close if it never synced", async () => {
    const home = newHome();
    const synced: string[] = [];
    const syncDirectory = (dir: string): Promise<void> => {
      synced.push(dir);
      return Promise.resolve();
    };
    const w = await RolloutWriter.create(home, { threadId: ID, createdAt: new Date(), meta: metaFor() }, { syncDirectory });
    expect(synced).toEqual([]);
    await w.sync();
    expect(synced).toEqual([dirname(w.path)]);
    await w.append({ type: "response_item", payload: { n: 1 } });
    await w.sync();
    await w.close();
    expect(synced).toEqual([dirname(w.path)]);

    const never = await RolloutWriter.create(
      home,
      { threadId: "01a2087c-eefa-7c93-b24c-302346b06fc7", createdAt: new Date(), meta: metaFor() },
      { syncDirectory },
    );
    await never.close();
    expect(synced).toEqual([dirname(w.path), dirname(never.path)]);
    // A reopened file's entry is already there: no directory sync.
    const again = await RolloutWriter.open(never.path, { syncDirectory });
    await again.sync();
    await again.close();
    expect(synced).toHaveLength(2);
  });

  it("refuses a second writer on the same file, and a second file for the same thread and second", async () => {
    const home = newHome();
    const createdAt = new Date();
    const w = await RolloutWriter.create(home, { threadId: ID, createdAt, meta: metaFor() });
    await expect(RolloutWriter.open(w.path)).rejects.toBeInstanceOf(RolloutWriterBusyError);
    await w.close();
    await expect(RolloutWriter.create(home, { threadId: ID, createdAt, meta: metaFor() })).rejects.toBeInstanceOf(RolloutWriteError);
    const again = await RolloutWriter.open(w.path);
    await again.close();
  });
});

describe("RolloutWriter.append", () => {
  it("keeps call order across un-awaited appends and batches, and resolves after the bytes are written", async () => {
    const home = newHome();
    const w = await RolloutWriter.create(home, { threadId: ID, createdAt: new Date(), meta: metaFor() });
    const pending: Array<Promise<void>> = [];
    for (let i = 0; i < 200; i++) {
      const item = { type: "response_item" as const, payload: { i } };
      pending.push(i % 10 === 0 ? w.append([item, { type: "response_item", payload: { i, batch: true } }]) : w.append(item));
    }
    await pending[57];
    // Everything up to the 58th append is in the file once its promise resolved.
    const seen = parseRolloutText(readFileSync(w.path, "utf8"))
      .lines.filter((l) => l.type === "response_item")
      .map((l) => (l.payload as { i: number }).i);
    expect(seen.slice(0, 58 + 6)).toEqual(
      Array.from({ length: 58 }, (_, i) => i)
        .flatMap((i) => (i % 10 === 0 ? [i, i] : [i]))
        .slice(0, 64),
    );
    await Promise.all(pending);
    await w.sync();
    await w.close();
    const all = parseRolloutText(readFileSync(w.path, "utf8"));
    expect(all.skipped).toBe(0);
    expect(all.lines.filter((l) => l.type === "response_item").map((l) => (l.payload as { i: number }).i)).toEqual(
      Array.from({ length: 200 }, (_, i) => i).flatMap((i) => (i % 10 === 0 ? [i, i] : [i])),
    );
  });

  it("serializes at call time, so later mutation of the caller's object is not written", async () => {
    const home = newHome();
    const w = await RolloutWriter.create(home, { threadId: ID, createdAt: new Date(), meta: metaFor() });
    const payload = { text: "before" };
    const p = w.append({ type: "response_item", payload });
    payload.text = "after";
    await p;
    await w.close();
    expect(readFileSync(w.path, "utf8")).toContain('"before"');
  });

  it("rejects appends after close", async () => {
    const home = newHome();
    const w = await RolloutWriter.create(home, { threadId: ID, createdAt: new Date(), meta: metaFor() });
    await w.close();
    await w.close();
    await expect(w.append({ type: "response_item", payload: {} })).rejects.toBeInstanceOf(RolloutWriteError);
    await expect(w.sync()).rejects.toBeInstanceOf(RolloutWriteError);
  });
});

describe("RolloutWriter.open", () => {
  function seed(home: string, tail: string): string {
    const dir = join(home, "sessions", "2026", "01", "02");
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `rollout-2026-01-02T03-04-05-${ID}.jsonl`);
    writeFileSync(path, `{"timestamp":"2026-01-02T03:04:05.000Z","type":"session_meta","payload":{"id":"${ID}"}}\n`);
    appendFileSync(path, tail);
    return path;
  }

  it("cuts a torn last line before appending", async () => {
    const home = newHome();
    const path = seed(home, '{"timestamp":"2026-01-02T03:04:06.000Z","type":"event_msg","payl');
    const w = await RolloutWriter.open(path);
    await w.append({ type: "response_item", payload: { after: true } });
    await w.close();
    const r = parseRolloutText(readFileSync(path, "utf8"));
    expect(r.skipped).toBe(0);
    expect(r.lines.map((l) => l.type)).toEqual(["session_meta", "response_item"]);
  });

  it("newline-terminates a complete last line instead of dropping it", async () => {
    const home = newHome();
    const path = seed(home, '{"timestamp":"2026-01-02T03:04:06.000Z","type":"response_item","payload":{"kept":true}}');
    const w = await RolloutWriter.open(path);
    await w.append({ type: "response_item", payload: { after: true } });
    await w.close();
    const r = parseRolloutText(readFileSync(path, "utf8"));
    expect(r.skipped).toBe(0);
    expect(r.lines.map((l) => l.payload)).toEqual([{ id: ID }, { kept: true }, { after: true }]);
  });

  it("names the path when the file is missing", async () => {
    const path = join(newHome(), "sessions", `rollout-2026-01-02T03-04-05-${ID}.jsonl`);
    const err = await RolloutWriter.open(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RolloutNotFoundError);
    expect((err as RolloutNotFoundError).path).toBe(path);
    expect(err).toMatchObject({ kind: "notFound", data: { path } });
    expect((err as Error).message).toContain(path);
    expect(basename(dirname(path))).toBe("sessions");
  });
});

/** The open flags of this process's descriptor on `path` (Linux /proc/self/fdinfo). */
function openFlags(path: string): number {
  for (const fd of readdirSync("/proc/self/fd")) {
    let target = "";
    try {
      target = readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      continue;
    }
    if (target !== path) continue;
    const m = /^flags:\s+([0-7]+)$/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, "utf8"));
    if (m?.[1]) return parseInt(m[1], 8);
  }
  throw new Error(`no descriptor open on ${path}`);
}

const O_APPEND = 0o2000;

describe.runIf(process.platform === "linux")("RolloutWriter's descriptor", () => {
  it("is O_APPEND for a new rollout and a reopened one, so a write after a truncation lands at the new end", async () => {
    const home = newHome();
    const w = await RolloutWriter.create(home, { threadId: ID, createdAt: new Date(), meta: metaFor() });
    expect(openFlags(w.path) & O_APPEND).toBe(O_APPEND);
    await w.close();
    const again = await RolloutWriter.open(w.path);
    expect(openFlags(w.path) & O_APPEND).toBe(O_APPEND);
    await again.close();
  });
});

const noTmpfs = tmpfsUnavailable();
if (noTmpfs) console.warn(`skipping the full-disk RolloutWriter tests: ${noTmpfs}`);

describe.runIf(noTmpfs === null)("RolloutWriter on a full disk (a real tmpfs)", () => {
  it("cuts a failed write's torn part, reports each failure episode once, and writes again once there is room", async () => {
    const home = newHome();
    const fs = mountTmpfs(home, "256k");
    try {
      const w = await RolloutWriter.create(home, { threadId: ID, createdAt: new Date(), meta: metaFor() });
      const episodes: string[] = [];
      w.watchFailures((e) => episodes.push(e.message));
      const big = { type: "response_item" as const, payload: { text: "y".repeat(3 * fs.blockSize) } };
      // One free page: the big line is written in part (a short write), then ENOSPC.
      const filler = fs.fill("filler", 1);
      const before = statSync(w.path).size;
      const err = await w.append(big).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RolloutWriteError);
      expect((err as Error).message).toMatch(new RegExp(`^failed to write rollout ${w.path}: ENOSPC`));
      expect(statSync(w.path).size).toBe(before);
      // The same episode: a second failure is not reported again.
      await expect(w.append(big)).rejects.toBeInstanceOf(RolloutWriteError);
      expect(episodes).toHaveLength(1);
      expect(w.unwrittenLines).toBe(2);

      rmSync(filler);
      await w.append({ type: "response_item", payload: { after: "room" } });
      await w.sync();
      const text = readFileSync(w.path, "utf8");
      expect(text.includes("\0")).toBe(false);
      const r = parseRolloutText(text);
      expect(r.skipped).toBe(0);
      expect(r.lines.map((l) => l.type)).toEqual(["session_meta", "response_item"]);
      expect(r.lines[1]?.payload).toEqual({ after: "room" });

      // A complete write ended the episode: the next failure is a new one.
      fs.fill("filler2", 0);
      await expect(w.append(big)).rejects.toBeInstanceOf(RolloutWriteError);
      expect(episodes).toHaveLength(2);
      expect(w.unwrittenLines).toBe(3);
      // close() flushes what was written and does not rethrow the appends' failures.
      await w.close();
      expect(parseRolloutText(readFileSync(w.path, "utf8")).lines).toHaveLength(2);
    } finally {
      fs.unmount();
    }
  });
});
