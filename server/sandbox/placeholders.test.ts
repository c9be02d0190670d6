import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { PlaceholderRegistry } from "./placeholders.js";

const dirs: string[] = [];
const temp = (): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "gh-ph-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A pid that certainly belonged to a process that has exited. */
const deadPid = (): number => spawnSync("/bin/true").pid ?? 999_999;
const record = (dir: string, pid: number, paths: string[], start: string | null = null): void => {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${pid}.json`), JSON.stringify({ pid, start, paths }));
};

describe("placeholder registry (sandbox.md §2.5)", () => {
  // Fails if acquire only counts in memory: a daemon killed mid-run would leave no record to sweep.
  it("records live paths on disk before launch and drops the record when the last one is released", () => {
    const home = temp();
    const dir = path.join(home, "reg");
    const r = new PlaceholderRegistry(dir);
    r.acquire(["/w/.codex", "/w/.aws"]);
    r.acquire(["/w/.codex"]);
    const file = path.join(dir, `${process.pid}.json`);
    expect(JSON.parse(fs.readFileSync(file, "utf8"))).toMatchObject({ pid: process.pid, paths: ["/w/.codex", "/w/.aws"] });
    expect(r.release(["/w/.codex", "/w/.aws"])).toEqual(["/w/.aws"]);
    expect(JSON.parse(fs.readFileSync(file, "utf8")).paths).toEqual(["/w/.codex"]);
    expect(r.release(["/w/.codex"])).toEqual(["/w/.codex"]);
    expect(fs.existsSync(file)).toBe(false);
  });

  // Fails if the sweep is removed or ignores dead owners: the empty placeholders stay on the host.
  it("a restart sweeps a dead daemon's empty placeholders and keeps anything that gained content", () => {
    const ws = temp();
    const dir = path.join(temp(), "reg");
    fs.mkdirSync(path.join(ws, ".codex"));
    fs.writeFileSync(path.join(ws, ".agents"), "");
    fs.mkdirSync(path.join(ws, ".aws"));
    fs.writeFileSync(path.join(ws, ".aws", "credentials"), "user data\n");
    const pid = deadPid();
    record(dir, pid, [`${ws}/.codex`, `${ws}/.agents`, `${ws}/.aws`, `${ws}/.missing`]);
    const report = new PlaceholderRegistry(dir).sweep();
    expect([...report.removed].sort()).toEqual([`${ws}/.agents`, `${ws}/.codex`]);
    expect(report.kept).toEqual([`${ws}/.aws`]);
    expect(fs.readdirSync(ws)).toEqual([".aws"]);
    expect(fs.existsSync(path.join(dir, `${pid}.json`))).toBe(false);
  });

  // Fails if liveness is not checked: a second daemon on the same home would pull placeholders out
  // from under the first one's running sandboxes (sweep), or on release of a shared path.
  it("never removes paths a live daemon's record lists", () => {
    const ws = temp();
    const dir = path.join(temp(), "reg");
    fs.mkdirSync(path.join(ws, ".codex"));
    const parent = process.ppid;
    const stat = fs.readFileSync(`/proc/${parent}/stat`, "utf8");
    const start = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
    record(dir, parent, [`${ws}/.codex`], start);
    const r = new PlaceholderRegistry(dir);
    expect(r.sweep().removed).toEqual([]);
    expect(fs.existsSync(path.join(ws, ".codex"))).toBe(true);
    r.acquire([`${ws}/.codex`]);
    expect(r.release([`${ws}/.codex`])).toEqual([]);
    // The same pid with another start time is a reused pid, not the owner: swept.
    record(dir, parent, [`${ws}/.codex`], "1");
    expect(new PlaceholderRegistry(dir).sweep().removed).toEqual([`${ws}/.codex`]);
  });

  it("without a directory it stays in memory and sweeps nothing", () => {
    const r = new PlaceholderRegistry();
    r.acquire(["/x"]);
    expect(r.isLive("/x")).toBe(true);
    expect(r.sweep()).toEqual({ removed: [], kept: [] });
    expect(r.release(["/x"])).toEqual(["/x"]);
  });
});
