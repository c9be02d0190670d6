// fs/*, permissionProfile/list and windowsSandbox/readiness against the real daemon, on real files.
// Success shapes are validated against 0.169's schema with wire-check (../shared/tools/wire-check.mjs
// traffic). Each error case states what 0.169 answers (observed over
// stdio with `codex app-server`) and what Gatehouse answers instead, which always names the path.
import type { ChildProcess } from "node:child_process";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
  appendFileSync,
  chmodSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { spawnListening, startDaemon, type Json, type RawDaemon } from "../helpers/daemon.js";
import { REF_DIR } from "../helpers/globalSetup.js";
import { tempHome, type TempHome } from "../helpers/home.js";
import {
  asResponse,
  errorOf,
  isNotification,
  resultOf,
  type Method,
  type ParamsArg,
  type Response,
  type Result,
  type RpcErrorBody,
} from "../helpers/protocol.js";
import { wireCheckTraffic } from "../helpers/wireCheck.js";

const REF_SCHEMA = join(REF_DIR, "0.169.0/schema-json");

let daemon: RawDaemon | undefined;
let dir: string;
const sent: unknown[] = [];

beforeEach(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), "gh-fs-e2e-")));
  sent.length = 0;
});
afterEach(async () => {
  await daemon?.stop();
  daemon = undefined;
  rmSync(dir, { recursive: true, force: true });
});

let nextId = 1;
async function call<M extends Method>(method: M, ...[params]: ParamsArg<M>): Promise<Response<M>> {
  if (!daemon) throw new Error("no daemon started");
  const id = nextId++;
  const msg = params === undefined ? { id, method } : { id, method, params };
  sent.push(msg);
  daemon.sendJson(msg);
  return asResponse(method, await daemon.response(id));
}
async function ok<M extends Method>(method: M, ...params: ParamsArg<M>): Promise<Result<M>> {
  return resultOf(method, await call(method, ...params));
}
async function fail<M extends Method>(method: M, ...params: ParamsArg<M>): Promise<RpcErrorBody> {
  return errorOf(await call(method, ...params));
}
async function start(config?: string): Promise<RawDaemon> {
  daemon = startDaemon(config === undefined ? {} : { config });
  await daemon.initialize();
  return daemon;
}
function checkWire(d: RawDaemon): string {
  const file = join(d.home.base, "transcript.jsonl");
  const lines = [...sent.map((msg) => ({ dir: "in", msg })), ...d.messages.map((msg) => ({ dir: "out", msg }))];
  writeFileSync(file, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
  const r = wireCheckTraffic(REF_SCHEMA, file);
  expect(r.stdout).not.toContain("INVALID");
  expect(r.status).toBe(0);
  return r.stdout;
}
const b64 = (s: string): string => Buffer.from(s).toString("base64");
/** Staging files of atomic writes and copies must never be left behind. */
const leftovers = (folder: string): string[] => readdirSync(folder).filter((n) => n.includes(".gatehouse-"));

describe("fs/* success shapes (validated against 0.169's schema)", () => {
  it("every method answers in the reference's shape", async () => {
    const d = await start();
    writeFileSync(join(dir, "a.txt"), "hello\n");
    mkdirSync(join(dir, "tree/sub"), { recursive: true });
    writeFileSync(join(dir, "tree/sub/f"), "x");
    symlinkSync("a.txt", join(dir, "link"));

    expect(await ok("fs/readFile", { path: join(dir, "a.txt") })).toEqual({ dataBase64: b64("hello\n") });
    expect(await ok("fs/writeFile", { path: join(dir, "new.txt"), dataBase64: b64("hi") })).toEqual({});
    expect(readFileSync(join(dir, "new.txt"), "utf8")).toBe("hi");
    expect(await ok("fs/createDirectory", { path: join(dir, "c1/c2/c3") })).toEqual({});
    expect(statSync(join(dir, "c1/c2/c3")).isDirectory()).toBe(true);
    const meta = await ok("fs/getMetadata", { path: join(dir, "link") });
    expect(meta).toMatchObject({ isDirectory: false, isFile: true, isSymlink: true });
    expect(meta.modifiedAtMs).toBe(Math.floor(statSync(join(dir, "a.txt")).mtimeMs));
    expect(await ok("fs/readDirectory", { path: dir })).toEqual({
      entries: [
        { fileName: "a.txt", isDirectory: false, isFile: true },
        { fileName: "c1", isDirectory: true, isFile: false },
        { fileName: "link", isDirectory: false, isFile: true },
        { fileName: "new.txt", isDirectory: false, isFile: true },
        { fileName: "tree", isDirectory: true, isFile: false },
      ],
    });
    expect(await ok("fs/copy", { sourcePath: join(dir, "tree"), destinationPath: join(dir, "tree2"), recursive: true })).toEqual({});
    expect(readFileSync(join(dir, "tree2/sub/f"), "utf8")).toBe("x");
    expect(await ok("fs/remove", { path: join(dir, "tree2") })).toEqual({});
    expect(existsSync(join(dir, "tree2"))).toBe(false);
    expect(await ok("fs/watch", { path: dir, watchId: "w" })).toEqual({ path: dir });
    writeFileSync(join(dir, "watched.txt"), "1");
    await d.waitFor((m) => m["method"] === "fs/changed");
    expect(await ok("fs/unwatch", { watchId: "w" })).toEqual({});
    expect(await ok("permissionProfile/list", {})).toMatchObject({ nextCursor: null });
    expect(await ok("windowsSandbox/readiness")).toEqual({ status: "notConfigured" });
    expect(leftovers(dir)).toEqual([]);

    const report = checkWire(d);
    for (const m of [
      "fs/readFile",
      "fs/writeFile",
      "fs/createDirectory",
      "fs/getMetadata",
      "fs/readDirectory",
      "fs/remove",
      "fs/copy",
      "fs/watch",
      "fs/unwatch",
      "permissionProfile/list",
    ]) {
      expect(report).toContain(`ok      response ${m}: 1 valid`);
    }
    // wire-check pairs responses with schemas through the params type, which windowsSandbox/readiness lacks.
    const readiness = JSON.parse(readFileSync(join(REF_SCHEMA, "v2/WindowsSandboxReadinessResponse.json"), "utf8")) as {
      definitions: { WindowsSandboxReadiness: { enum: string[] } };
      required: string[];
    };
    expect(readiness.required).toEqual(["status"]);
    expect(readiness.definitions.WindowsSandboxReadiness.enum).toContain("notConfigured");
    expect(report).toMatch(/ok {6}notification fs\/changed: \d+ valid/);
  });
});

describe("fs/* errors and edge cases", () => {
  it("a relative path: 0.169 -32600 'AbsolutePathBuf deserialized without a base path'; here -32602 naming the field and the path", async () => {
    await start();
    for (const [method, params, field] of [
      ["fs/readFile", { path: "a.txt" }, "path"],
      ["fs/getMetadata", { path: "rel" }, "path"],
      ["fs/copy", { sourcePath: join(dir, "x"), destinationPath: "rel/y" }, "destinationPath"],
      ["fs/watch", { path: "rel", watchId: "w" }, "path"],
    ] as const) {
      const e = await fail(method, params);
      expect(e.code).toBe(-32602);
      expect(e.message).toContain(`${field} must be an absolute path`);
      const given = (params as Record<string, string>)[field] as string;
      expect(e.message).toContain(JSON.stringify(given));
      expect(e.data).toMatchObject({ path: given, field });
    }
  });

  it("a NUL byte in any path parameter: -32600 'file name contained an unexpected NUL byte', as 0.169, and the daemon keeps serving", async () => {
    await start();
    writeFileSync(join(dir, "src"), "x");
    const nul = join(dir, "a\u0000b");
    for (const [method, params, field] of [
      ["fs/readFile", { path: nul }, "path"],
      ["fs/writeFile", { path: nul, dataBase64: "eA==" }, "path"],
      ["fs/createDirectory", { path: nul }, "path"],
      ["fs/getMetadata", { path: nul }, "path"],
      ["fs/readDirectory", { path: nul }, "path"],
      ["fs/remove", { path: nul }, "path"],
      ["fs/copy", { sourcePath: nul, destinationPath: join(dir, "dst") }, "sourcePath"],
      ["fs/copy", { sourcePath: join(dir, "src"), destinationPath: nul }, "destinationPath"],
      // 0.169 accepts this watch and answers the path back; a path no file can have is refused here.
      ["fs/watch", { path: nul, watchId: "w-nul" }, "path"],
    ] as const) {
      const e = await fail(method, params);
      expect(e.code, method).toBe(-32600);
      expect(e.message, method).toMatch(/^file name contained an unexpected NUL byte/);
      expect(e.data, method).toMatchObject({ path: (params as Record<string, string>)[field], field });
    }
    expect(existsSync(join(dir, "dst"))).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(["src"]);
  });

  it("a missing file: 0.169 -32603 'No such file or directory (os error 2)' without the path; here the same text plus the path", async () => {
    await start();
    const missing = join(dir, "missing");
    for (const method of ["fs/readFile", "fs/getMetadata", "fs/readDirectory"] as const) {
      const e = await fail(method, { path: missing });
      expect(e).toMatchObject({ code: -32603, message: `No such file or directory (os error 2): ${missing}`, data: { path: missing, errno: "ENOENT" } });
    }
    expect((await fail("fs/copy", { sourcePath: missing, destinationPath: join(dir, "m2") })).data).toMatchObject({ path: missing });
    // A write into a missing folder names the file, not the staging file beside it.
    const e = await fail("fs/writeFile", { path: join(dir, "nodir/x.txt"), dataBase64: b64("hi") });
    expect(e.message).toBe(`No such file or directory (os error 2): ${join(dir, "nodir/x.txt")}`);
    // fs/remove of a missing path succeeds (force defaults to true), and fails with force: false.
    expect(await ok("fs/remove", { path: missing })).toEqual({});
    expect((await fail("fs/remove", { path: missing, force: false })).message).toContain(missing);
  });

  it("a directory where a file is expected (and the reverse), as 0.169 words them", async () => {
    await start();
    mkdirSync(join(dir, "d/sub"), { recursive: true });
    writeFileSync(join(dir, "f"), "x");
    expect(await fail("fs/readFile", { path: join(dir, "d") })).toMatchObject({ code: -32600, message: `path \`${join(dir, "d")}\` is not a file` });
    expect(await fail("fs/readFile", { path: "/dev/null" })).toMatchObject({ code: -32600, message: "path `/dev/null` is not a file" });
    expect(await fail("fs/writeFile", { path: join(dir, "d"), dataBase64: b64("x") })).toMatchObject({
      code: -32603,
      message: `Is a directory (os error 21): ${join(dir, "d")}`,
    });
    expect(await fail("fs/readDirectory", { path: join(dir, "f") })).toMatchObject({
      code: -32603,
      message: `Not a directory (os error 20): ${join(dir, "f")}`,
    });
    expect(await fail("fs/createDirectory", { path: join(dir, "f") })).toMatchObject({ code: -32603, message: `File exists (os error 17): ${join(dir, "f")}` });
    expect(await fail("fs/createDirectory", { path: join(dir, "d"), recursive: false })).toMatchObject({
      message: `File exists (os error 17): ${join(dir, "d")}`,
    });
    expect(await fail("fs/remove", { path: join(dir, "d"), recursive: false })).toMatchObject({
      message: `Directory not empty (os error 39): ${join(dir, "d")}`,
    });
    expect(await fail("fs/copy", { sourcePath: join(dir, "f"), destinationPath: join(dir, "d") })).toMatchObject({
      message: `Is a directory (os error 21): ${join(dir, "d")}`,
    });
    expect(await fail("fs/copy", { sourcePath: join(dir, "d"), destinationPath: join(dir, "d2") })).toMatchObject({
      code: -32600,
      message: `fs/copy requires recursive: true when sourcePath is a directory: ${join(dir, "d")}`,
    });
    expect(await fail("fs/copy", { sourcePath: join(dir, "d"), destinationPath: join(dir, "d/sub/inner"), recursive: true })).toMatchObject({
      code: -32600,
      message: expect.stringContaining("fs/copy cannot copy a directory to itself or one of its descendants"),
    });
    expect(existsSync(join(dir, "d/sub/inner"))).toBe(false);
  });

  it("a file larger than a response can carry: 0.169 refuses above 512 MiB without the path; here the cap is what one JSON line can hold, and the error names the path and size", async () => {
    await start();
    const huge = join(dir, "huge");
    writeFileSync(huge, "");
    truncateSync(huge, 600 * 1024 * 1024); // sparse: no disk space, and no read happens
    const e = await fail("fs/readFile", { path: huge });
    expect(e.code).toBe(-32600);
    expect(e.message).toMatch(/^file is too large to read: limit is \d+ bytes; /);
    expect(e.message).toContain(`${huge} is ${600 * 1024 * 1024} bytes`);
    expect(e.data).toMatchObject({ path: huge, size: 600 * 1024 * 1024 });
    const limit = typeof e.data === "object" && e.data !== null && "limit" in e.data ? e.data.limit : undefined;
    expect(Number(limit)).toBeLessThanOrEqual(512 * 1024 * 1024);
  });

  it("paths through symlinks: reads follow them, writes go through to the target and keep the link, remove takes the link only", async () => {
    await start();
    writeFileSync(join(dir, "target.txt"), "old");
    chmodSync(join(dir, "target.txt"), 0o640);
    symlinkSync("target.txt", join(dir, "link"));
    symlinkSync("nowhere", join(dir, "dangling"));
    mkdirSync(join(dir, "realdir"));
    writeFileSync(join(dir, "realdir/keep"), "k");
    symlinkSync("realdir", join(dir, "dirlink"));

    expect(await ok("fs/readFile", { path: join(dir, "link") })).toEqual({ dataBase64: b64("old") });
    await ok("fs/writeFile", { path: join(dir, "link"), dataBase64: b64("new") });
    expect(lstatSync(join(dir, "link")).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, "target.txt"), "utf8")).toBe("new");
    expect(statSync(join(dir, "target.txt")).mode & 0o777).toBe(0o640);
    // 0.169 says "No such file or directory" for a dangling link's metadata; it exists, as a link.
    expect(await ok("fs/getMetadata", { path: join(dir, "dangling") })).toMatchObject({ isSymlink: true, isFile: false, isDirectory: false });
    // Writing through a dangling link creates its target (0.169 does the same).
    await ok("fs/writeFile", { path: join(dir, "dangling"), dataBase64: b64("made") });
    expect(readFileSync(join(dir, "nowhere"), "utf8")).toBe("made");
    expect(readlinkSync(join(dir, "dangling"))).toBe("nowhere");
    // Copying a link copies the link.
    await ok("fs/copy", { sourcePath: join(dir, "link"), destinationPath: join(dir, "link2") });
    expect(readlinkSync(join(dir, "link2"))).toBe("target.txt");
    await ok("fs/remove", { path: join(dir, "dirlink") });
    expect(existsSync(join(dir, "dirlink"))).toBe(false);
    expect(readFileSync(join(dir, "realdir/keep"), "utf8")).toBe("k");
    expect(leftovers(dir)).toEqual([]);
  });

  it("bad base64 is refused before anything is written (0.169: -32600 'fs/writeFile requires valid base64 dataBase64: …')", async () => {
    await start();
    writeFileSync(join(dir, "keep.txt"), "keep");
    for (const data of ["!!notbase64", "aGk", "aGk=x==="]) {
      const e = await fail("fs/writeFile", { path: join(dir, "keep.txt"), dataBase64: data });
      expect(e.code).toBe(-32600);
      expect(e.message).toMatch(/^fs\/writeFile requires valid base64 dataBase64: /);
      expect(e.data).toEqual({ path: join(dir, "keep.txt") });
    }
    expect(readFileSync(join(dir, "keep.txt"), "utf8")).toBe("keep");
  });

  it("copying a file onto itself leaves it intact (0.169 truncates it to 0 bytes)", async () => {
    await start();
    writeFileSync(join(dir, "self.txt"), "precious");
    await ok("fs/copy", { sourcePath: join(dir, "self.txt"), destinationPath: join(dir, "self.txt") });
    expect(readFileSync(join(dir, "self.txt"), "utf8")).toBe("precious");
  });

  it("a failed merge copy leaves no partial tree", async () => {
    await start();
    mkdirSync(join(dir, "src/sub"), { recursive: true });
    writeFileSync(join(dir, "src/a_first.txt"), "1");
    writeFileSync(join(dir, "src/sub/inner.txt"), "2");
    mkdirSync(join(dir, "dst"));
    writeFileSync(join(dir, "dst/sub"), "a file where the source has a folder");
    const e = await fail("fs/copy", { sourcePath: join(dir, "src"), destinationPath: join(dir, "dst"), recursive: true });
    expect(e.message).toContain(join(dir, "dst/sub"));
    expect(readdirSync(join(dir, "dst")).sort()).toEqual(["sub"]);
    expect(readFileSync(join(dir, "dst/sub"), "utf8")).toBe("a file where the source has a folder");
    // Merging without a clash works, as in 0.169.
    rmSync(join(dir, "dst/sub"));
    writeFileSync(join(dir, "dst/other"), "o");
    await ok("fs/copy", { sourcePath: join(dir, "src"), destinationPath: join(dir, "dst"), recursive: true });
    expect(readdirSync(join(dir, "dst")).sort()).toEqual(["a_first.txt", "other", "sub"]);
    expect(readFileSync(join(dir, "dst/sub/inner.txt"), "utf8")).toBe("2");
    expect(leftovers(dir)).toEqual([]);
    expect(leftovers(join(dir, "dst"))).toEqual([]);
  });

  it("a second fs/watch with the same id is refused (0.169: -32600 'watchId already exists: w1'); unknown unwatch is fine", async () => {
    await start();
    await ok("fs/watch", { path: dir, watchId: "w1" });
    expect(await fail("fs/watch", { path: dir, watchId: "w1" })).toMatchObject({ code: -32600, message: "watchId already exists: w1" });
    expect(await ok("fs/unwatch", { watchId: "nope" })).toEqual({});
  });
});

describe("fs/watch", () => {
  /** Waits until `want` paths have all been reported for `watchId` (in one or several fs/changed). */
  async function expectChanged(d: RawDaemon, watchId: string, want: string[], from: number): Promise<void> {
    const seen = new Set<string>();
    const isChanged = isNotification("fs/changed");
    await d.waitFor(
      (m) => {
        if (!isChanged(m)) return false;
        if (m.params.watchId === watchId) for (const x of m.params.changedPaths) seen.add(x);
        return want.every((w) => seen.has(w));
      },
      10_000,
      from,
    );
  }

  it("sees create, modify, rename and delete in a folder, and a file replaced by rename", async () => {
    const d = await start();
    const w = join(dir, "w");
    mkdirSync(w);
    writeFileSync(join(dir, "f.txt"), "a");
    await ok("fs/watch", { path: w, watchId: "dir" });
    await ok("fs/watch", { path: join(dir, "f.txt"), watchId: "file" });
    await ok("fs/watch", { path: join(dir, "later/deeper"), watchId: "missing" });

    let from = d.messages.length;
    writeFileSync(join(w, "new.txt"), "1");
    await expectChanged(d, "dir", [join(w, "new.txt")], from);
    from = d.messages.length;
    appendFileSync(join(w, "new.txt"), "2");
    await expectChanged(d, "dir", [join(w, "new.txt")], from);
    from = d.messages.length;
    renameSync(join(w, "new.txt"), join(w, "renamed.txt"));
    await expectChanged(d, "dir", [join(w, "new.txt"), join(w, "renamed.txt")], from);
    from = d.messages.length;
    unlinkSync(join(w, "renamed.txt"));
    await expectChanged(d, "dir", [join(w, "renamed.txt")], from);

    from = d.messages.length;
    writeFileSync(join(dir, "f.tmp"), "saved by an editor");
    renameSync(join(dir, "f.tmp"), join(dir, "f.txt"));
    await expectChanged(d, "file", [join(dir, "f.txt")], from);
    from = d.messages.length;
    appendFileSync(join(dir, "f.txt"), " and again");
    await expectChanged(d, "file", [join(dir, "f.txt")], from);

    from = d.messages.length;
    mkdirSync(join(dir, "later"));
    writeFileSync(join(dir, "later/deeper"), "appeared");
    await expectChanged(d, "missing", [join(dir, "later/deeper")], from);
    // Only the watched path is reported for a file watch.
    const fileEvents = d.messages.filter(isNotification("fs/changed", (p) => p.watchId === "file"));
    for (const m of fileEvents) expect(m.params.changedPaths).toEqual([join(dir, "f.txt")]);
  });

  it("coalesces a burst without dropping anything", async () => {
    const d = await start();
    await ok("fs/watch", { path: dir, watchId: "burst" });
    const from = d.messages.length;
    const names = Array.from({ length: 200 }, (_, i) => join(dir, `burst-${String(i).padStart(3, "0")}`));
    for (const n of names) writeFileSync(n, "x");
    await expectChanged(d, "burst", names, from);
    const batches = d.messages.slice(from).filter(isNotification("fs/changed"));
    // 200 creations arrive in far fewer notifications than events, each sorted and without duplicates.
    expect(batches.length).toBeLessThan(names.length);
    for (const b of batches) {
      const paths = b.params.changedPaths;
      expect(paths).toEqual([...new Set(paths)].sort());
    }
  });

  it("two watches on one folder both fire (0.169 fires only the newer one)", async () => {
    const d = await start();
    mkdirSync(join(dir, "d"));
    symlinkSync("d", join(dir, "dl"));
    await ok("fs/watch", { path: join(dir, "d"), watchId: "a" });
    await ok("fs/watch", { path: join(dir, "dl"), watchId: "b" });
    const from = d.messages.length;
    writeFileSync(join(dir, "d/x"), "x");
    await expectChanged(d, "a", [join(dir, "d/x")], from);
    await expectChanged(d, "b", [join(dir, "dl/x")], from);
  });

  it("stops after fs/unwatch", async () => {
    const d = await start();
    mkdirSync(join(dir, "u"));
    await ok("fs/watch", { path: join(dir, "u"), watchId: "u" });
    await ok("fs/watch", { path: dir, watchId: "sentinel" });
    await ok("fs/unwatch", { watchId: "u" });
    const from = d.messages.length;
    writeFileSync(join(dir, "u/after.txt"), "x");
    // Events reach the daemon in order on one inotify descriptor and each batch is flushed a fixed window
    // after its first event, so a notification for "u" would have been sent before the sentinel's.
    writeFileSync(join(dir, "flush"), "x");
    await expectChanged(d, "sentinel", [join(dir, "flush")], from);
    expect(d.messages.slice(from).some(isNotification("fs/changed", (p) => p.watchId === "u"))).toBe(false);
  });
});

describe("fs/watch is released when the connection closes", () => {
  const running: Array<{ child: ChildProcess; home: TempHome }> = [];
  afterEach(() => {
    for (const { child, home } of running.splice(0)) {
      child.kill("SIGKILL");
      home.cleanup();
    }
  });

  async function listen(): Promise<{ url: string; pid: number }> {
    const home = tempHome();
    const { child, url } = spawnListening(home, ["--listen", "ws://127.0.0.1:0"]);
    running.push({ child, home });
    return { url: await url, pid: child.pid as number };
  }

  /** A minimal WebSocket client: request/response by id, notifications collected. */
  async function client(url: string): Promise<{ request(method: string, params?: unknown): Promise<Json>; notes: Json[]; close(): void }> {
    const ws = new WebSocket(url);
    await new Promise((resolve, reject) => {
      ws.once("open", resolve);
      ws.once("error", reject);
    });
    const waiting = new Map<number, (m: Json) => void>();
    const notes: Json[] = [];
    ws.on("message", (data) => {
      const m = JSON.parse(String(data)) as Json;
      if (typeof m["id"] === "number" && waiting.has(m["id"])) waiting.get(m["id"])?.(m);
      else notes.push(m);
    });
    let id = 0;
    const request = (method: string, params?: unknown): Promise<Json> =>
      new Promise((resolve) => {
        const n = ++id;
        waiting.set(n, resolve);
        ws.send(JSON.stringify(params === undefined ? { id: n, method } : { id: n, method, params }));
      });
    await request("initialize", { clientInfo: { name: "fs-e2e", version: "1" } });
    ws.send(JSON.stringify({ method: "initialized" }));
    return { request, notes, close: () => ws.close() };
  }

  /** inotify watches the daemon holds, read from /proc (Linux only): one `inotify wd:` line per watched path. */
  function inotifyWatches(pid: number): number {
    let n = 0;
    for (const fd of readdirSync(`/proc/${pid}/fdinfo`)) {
      try {
        n += readFileSync(`/proc/${pid}/fdinfo/${fd}`, "utf8")
          .split("\n")
          .filter((l) => l.startsWith("inotify wd:")).length;
      } catch {
        // the fd closed while we looked
      }
    }
    return n;
  }
  async function until(cond: () => boolean, what: string): Promise<void> {
    for (let i = 0; i < 200; i++) {
      if (cond()) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  // Needs Linux: the OS watches are counted through /proc/<pid>/fdinfo (inotify).
  it.runIf(process.platform === "linux")("frees the OS watches of a client that disconnects, and keeps other clients' watches", async () => {
    const { url, pid } = await listen();
    const baseline = inotifyWatches(pid);
    const a = await client(url);
    const b = await client(url);
    for (const sub of ["a1", "a2", "a3"]) mkdirSync(join(dir, sub));
    mkdirSync(join(dir, "b1"));
    for (const sub of ["a1", "a2", "a3"]) expect(await a.request("fs/watch", { path: join(dir, sub), watchId: sub })).toHaveProperty("result");
    expect(await b.request("fs/watch", { path: join(dir, "b1"), watchId: "b1" })).toHaveProperty("result");
    const withAll = inotifyWatches(pid);
    expect(withAll).toBeGreaterThan(baseline + 3);

    a.close();
    await until(() => inotifyWatches(pid) < withAll, "the closed client's watches to be released");
    // b's watch still works after a is gone.
    writeFileSync(join(dir, "b1/x"), "x");
    await until(() => b.notes.some((m) => m["method"] === "fs/changed"), "b's fs/changed");
    expect(inotifyWatches(pid)).toBeGreaterThan(baseline);
    b.close();
    await until(() => inotifyWatches(pid) === baseline, "every watch to be released");
  });
});

describe("permissionProfile/list and windowsSandbox/readiness (as 0.169 answers them)", () => {
  const PROFILES = `[permissions.dev]
description = "Dev profile"
extends = ":workspace"
[permissions.dev.filesystem]
"/opt" = "read"
[permissions.zeta]
[permissions.bad]
extends = "nonexistent"
`;

  it("lists built-ins first, then config profiles by id; an unresolvable profile is not allowed; pages by offset", async () => {
    const d = await start(PROFILES);
    expect(await ok("permissionProfile/list", {})).toEqual({
      data: [
        { id: ":read-only", description: null, allowed: true },
        { id: ":workspace", description: null, allowed: true },
        { id: ":danger-full-access", description: null, allowed: true },
        { id: "bad", description: null, allowed: false },
        { id: "dev", description: "Dev profile", allowed: true },
        { id: "zeta", description: null, allowed: true },
      ],
      nextCursor: null,
    });
    expect(await ok("permissionProfile/list", { cursor: "3", limit: 2 })).toMatchObject({ data: [{ id: "bad" }, { id: "dev" }], nextCursor: "5" });
    expect(await ok("permissionProfile/list", { limit: 0 })).toMatchObject({ data: [{ id: ":read-only" }], nextCursor: "1" });
    expect(await fail("permissionProfile/list", { cursor: "99" })).toEqual({ code: -32600, message: "cursor 99 exceeds total permission profiles 6" });
    expect(await fail("permissionProfile/list", { cursor: "-1" })).toEqual({ code: -32600, message: "invalid cursor: -1" });
    expect(await ok("windowsSandbox/readiness")).toEqual({ status: "notConfigured" });
    checkWire(d);
  });

  it("refuses a config profile that takes a built-in name", async () => {
    await start('[permissions.":workspace"]\ndescription = "mine"\n');
    expect(await fail("permissionProfile/list", {})).toEqual({
      code: -32603,
      message: "failed to resolve permission profiles: permissions profile `:workspace` uses a reserved built-in profile prefix",
    });
  });
});
