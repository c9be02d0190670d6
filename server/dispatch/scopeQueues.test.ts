// ScopeQueues on its own: what its header promises (same key in arrival order, different keys and
// unscoped tasks concurrently), that a failed task does not stall its key, and that a drained key is
// forgotten. Tasks are held on deferred promises, so "has not started" is a fact, not a timing.
import { describe, expect, it } from "vitest";
import { deferred } from "../../test/helpers/memoryConnection.js";
import { ScopeQueues } from "./scopeQueues.js";

/** A task that records its start, then waits until the test releases it. */
function held(log: string[], name: string) {
  const gate = deferred<string>();
  const started = deferred();
  const task = async (): Promise<string> => {
    log.push(`start ${name}`);
    started.resolve();
    const v = await gate.promise;
    log.push(`end ${name}`);
    return v;
  };
  return { task, started: started.promise, release: (v = name) => gate.resolve(v), fail: (e: unknown) => gate.reject(e) };
}

describe("ScopeQueues", () => {
  it("runs tasks with the same key one after another, in arrival order", async () => {
    const q = new ScopeQueues();
    const log: string[] = [];
    const a = held(log, "a");
    const b = held(log, "b");
    const c = held(log, "c");
    const ra = q.run("thread:1", a.task);
    const rb = q.run("thread:1", b.task);
    const rc = q.run("thread:1", c.task);
    await a.started;
    // b and c are queued behind a: releasing c first must not let it run.
    c.release();
    await Promise.resolve();
    expect(log).toEqual(["start a"]);
    a.release();
    await expect(ra).resolves.toBe("a");
    await b.started;
    expect(log).toEqual(["start a", "end a", "start b"]);
    b.release();
    await expect(rb).resolves.toBe("b");
    await expect(rc).resolves.toBe("c");
    expect(log).toEqual(["start a", "end a", "start b", "end b", "start c", "end c"]);
  });

  it("runs tasks with different keys, and tasks without a key, concurrently", async () => {
    const q = new ScopeQueues();
    const log: string[] = [];
    const a = held(log, "a");
    const b = held(log, "b");
    const n1 = held(log, "n1");
    const n2 = held(log, "n2");
    const results = [q.run("thread:1", a.task), q.run("thread:2", b.task), q.run(null, n1.task), q.run(null, n2.task)];
    // All four start while none has been released.
    await Promise.all([a.started, b.started, n1.started, n2.started]);
    for (const t of [a, b, n1, n2]) t.release();
    await expect(Promise.all(results)).resolves.toEqual(["a", "b", "n1", "n2"]);
  });

  it("a global key excludes every other task with that key, not other keys", async () => {
    const q = new ScopeQueues();
    const log: string[] = [];
    const w1 = held(log, "w1");
    const w2 = held(log, "w2");
    const t = held(log, "t");
    const r1 = q.run("global:config", w1.task);
    const r2 = q.run("global:config", w2.task);
    const rt = q.run("thread:1", t.task);
    await Promise.all([w1.started, t.started]);
    expect(log).not.toContain("start w2");
    w1.release();
    await r1;
    await w2.started;
    w2.release();
    t.release();
    await Promise.all([r2, rt]);
  });

  it("a failed task rejects its own caller only; the next task with the key still runs", async () => {
    const q = new ScopeQueues();
    const log: string[] = [];
    const a = held(log, "a");
    const b = held(log, "b");
    const ra = q.run("thread:1", a.task);
    const rb = q.run("thread:1", b.task);
    await a.started;
    a.fail(new Error("boom"));
    await expect(ra).rejects.toThrow("boom");
    await b.started;
    b.release();
    await expect(rb).resolves.toBe("b");
  });

  it("forgets a key once its queue is empty", async () => {
    const q = new ScopeQueues();
    const log: string[] = [];
    const a = held(log, "a");
    const ra = q.run("thread:1", a.task);
    expect(q.activeKeys).toBe(1);
    await a.started;
    a.release();
    await ra;
    // The clean-up runs on the tail's settlement, one step after the caller's promise.
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(q.activeKeys).toBe(0);
  });
});
