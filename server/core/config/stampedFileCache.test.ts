// The cache hands back the value derived from a file only while the file's stamp says it has not
// changed: every edit, replacement, deletion or creation between two calls is seen by the second,
// a stamp too recent to vouch for the content is not trusted, and a failed read is not kept.
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StampedFileCache } from "./stampedFileCache.js";

let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "gatehouse-stamped-"));
  file = join(dir, "config.toml");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Moves the file's mtime an hour back, so a later write moves it forward whatever the clock's granularity. */
function backdate(p = file): void {
  const past = new Date(Date.now() - 3_600_000);
  utimesSync(p, past, past);
}

/** A cache over the file's text that counts how often it derived, i.e. read the file. */
function counting(racyMs?: number): { cache: StampedFileCache<{ text: string | null }>; derived: () => number } {
  let n = 0;
  const cache = new StampedFileCache((_file, text) => {
    n++;
    return { text };
  }, racyMs);
  return { cache, derived: () => n };
}

/** Trusts every stamp, so the reuse path runs on files this test has just written. */
const trusting = (): ReturnType<typeof counting> => counting(Number.NEGATIVE_INFINITY);

describe("StampedFileCache", () => {
  it("reuses the value while the file is unchanged, and sees it edited in place (same size), replaced, deleted and created again", async () => {
    const { cache, derived } = trusting();
    writeFileSync(file, 'model = "aaa"\n');
    backdate();
    const first = await cache.get(file);
    expect(first.text).toBe('model = "aaa"\n');
    expect(await cache.get(file)).toBe(first);
    expect(derived()).toBe(1);

    writeFileSync(file, 'model = "bbb"\n');
    expect((await cache.get(file)).text).toBe('model = "bbb"\n');
    backdate();

    writeFileSync(`${file}.tmp`, 'model = "ccc"\n');
    backdate(`${file}.tmp`);
    renameSync(`${file}.tmp`, file);
    expect((await cache.get(file)).text).toBe('model = "ccc"\n');

    rmSync(file);
    expect((await cache.get(file)).text).toBeNull();
    const absent = await cache.get(file);
    expect(absent.text).toBeNull();

    writeFileSync(file, 'model = "ddd"\n');
    expect((await cache.get(file)).text).toBe('model = "ddd"\n');
  });

  it("does not trust a stamp younger than the racy window: the file is read again on every call", async () => {
    const { cache, derived } = counting();
    writeFileSync(file, 'model = "aaa"\n');
    const first = await cache.get(file);
    const second = await cache.get(file);
    expect(second).not.toBe(first);
    expect(second).toEqual(first);
    expect(derived()).toBe(2);
  });

  it("treats a path through a regular file as absent, and keeps no failed read", async () => {
    const { cache, derived } = trusting();
    writeFileSync(file, "x = 1\n");
    expect((await cache.get(join(file, "below.toml"))).text).toBeNull();

    const folder = join(dir, "folder.toml");
    mkdirSync(folder);
    await expect(cache.get(folder)).rejects.toMatchObject({ code: "EISDIR" });
    rmSync(folder, { recursive: true });
    writeFileSync(folder, "y = 2\n");
    backdate(folder);
    expect((await cache.get(folder)).text).toBe("y = 2\n");

    const loop = join(dir, "loop.toml");
    symlinkSync(loop, loop);
    await expect(cache.get(loop)).rejects.toMatchObject({ code: "ELOOP" });
    await expect(cache.get(loop)).rejects.toMatchObject({ code: "ELOOP" });
    expect(derived()).toBe(2);
  });

  it("forget() makes the next call read the file again, for one file or all", async () => {
    const { cache, derived } = trusting();
    const other = join(dir, "other.toml");
    writeFileSync(file, "a = 1\n");
    writeFileSync(other, "b = 2\n");
    backdate();
    backdate(other);
    const a = await cache.get(file);
    const b = await cache.get(other);
    cache.forget(file);
    expect(await cache.get(file)).not.toBe(a);
    expect(await cache.get(other)).toBe(b);
    cache.forget();
    expect(await cache.get(other)).not.toBe(b);
    expect(derived()).toBe(4);
  });
});
