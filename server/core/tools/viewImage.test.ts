// view_image's reading: image recognition from headers, and the sandbox read policy applied to the
// file actually opened (a symlink into a denied folder is refused; a readable one is followed).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { globMatches, loadImage, sandboxAllowsRead, sniffImage } from "./viewImage.js";

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  return Buffer.concat([len, Buffer.from(type, "latin1"), data, Buffer.alloc(4)]);
}
function png(w: number, h: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const raw = Buffer.alloc((w * 3 + 1) * h);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}
const GIF = Buffer.from("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==", "base64");
const JPEG = Buffer.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x02, 0x00, 0x03, 0x01, 0x01, 0x11, 0x00, 0xff, 0xda, 0x00, 0x02, 0xff,
  0xd9,
]);
const JPEG_NO_SCAN = Buffer.from([0xff, 0xd8, 0xff, 0xc2, 0x00, 0x0b, 0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01, 0x11, 0x00]);
const WEBP_LOSSLESS = Buffer.concat([Buffer.from("RIFF\0\0\0\0WEBPVP8L\0\0\0\0", "latin1"), Buffer.from([0x2f, 4, 64, 0, 0, 0, 0, 0, 0, 0])]);

describe("sniffImage", () => {
  it("recognises PNG, JPEG, WebP and GIF with their sizes, and nothing else", () => {
    expect(sniffImage(png(4000, 100))).toEqual({ mime: "image/png", width: 4000, height: 100 });
    expect(sniffImage(Buffer.concat([png(2, 2), Buffer.from("trailing bytes")]))).toEqual({ mime: "image/png", width: 2, height: 2 });
    expect(sniffImage(JPEG)).toEqual({ mime: "image/jpeg", width: 3, height: 2 });
    expect(sniffImage(WEBP_LOSSLESS)).toEqual({ mime: "image/webp", width: 5, height: 2 });
    expect(sniffImage(GIF)).toEqual({ mime: "image/gif", width: 1, height: 1 });
    expect(sniffImage(JPEG_NO_SCAN)).toBeNull();
    expect(sniffImage(png(2, 2).subarray(0, 40))).toBeNull();
    expect(sniffImage(Buffer.from("hello\n"))).toBeNull();
    expect(sniffImage(Buffer.from("BM\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"))).toBeNull();
  });
});

describe("the sandbox read policy", () => {
  const root = mkdtempSync(join(tmpdir(), "viewimage-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const cwd = join(root, "cwd");
  const home = join(root, "home");
  const other = join(root, "other");
  for (const d of [cwd, home, other]) mkdirSync(d);
  writeFileSync(join(cwd, "a.png"), png(2, 2));
  writeFileSync(join(home, "secret.png"), png(2, 2));
  writeFileSync(join(other, "b.png"), png(3, 3));
  writeFileSync(join(cwd, "big.png"), png(9000, 20));
  writeFileSync(join(cwd, "notes.txt"), "hello\n");
  symlinkSync(join(home, "secret.png"), join(cwd, "link-to-secret.png"));
  symlinkSync(join(other, "b.png"), join(cwd, "link-to-b.png"));
  const daemon = { deny: [home] };
  const readOnly = { type: "readOnly" } as const;
  const restricted = { type: "readOnly", access: { type: "restricted", readableRoots: [cwd] } } as const;

  it("read-only reads everything but the daemon's denied home; full access reads that too", () => {
    expect(sandboxAllowsRead(join(other, "b.png"), readOnly, cwd, daemon)).toBe(true);
    expect(sandboxAllowsRead(join(home, "secret.png"), readOnly, cwd, daemon)).toBe(false);
    expect(sandboxAllowsRead(join(home, "secret.png"), { type: "dangerFullAccess" }, cwd, daemon)).toBe(true);
  });

  it("restricted reading allows only the readable roots; a none glob carves out", () => {
    expect(sandboxAllowsRead(join(cwd, "a.png"), restricted, cwd, undefined)).toBe(true);
    expect(sandboxAllowsRead(join(other, "b.png"), restricted, cwd, undefined)).toBe(false);
    const split = {
      label: "p",
      network: "restricted" as const,
      fileSystem: {
        kind: "restricted" as const,
        entries: [
          { path: { type: "special" as const, value: { kind: "root" as const } }, access: "read" as const },
          { path: { type: "glob_pattern" as const, pattern: `${root}/**/*.png` }, access: "none" as const },
        ],
      },
    };
    expect(sandboxAllowsRead(join(cwd, "a.png"), split, cwd, undefined)).toBe(false);
    expect(sandboxAllowsRead(join(cwd, "notes.txt"), split, cwd, undefined)).toBe(true);
    expect(globMatches("/a/**/*.png", "/a/x.png")).toBe(true);
    expect(globMatches("/a/*.png", "/a/b/x.png")).toBe(false);
  });

  it("loadImage: relative to the cwd, symlinks judged by their target, 0.169's messages", async () => {
    const ok = await loadImage("a.png", cwd, readOnly, daemon);
    expect(ok).toEqual({ ok: true, path: join(cwd, "a.png"), dataUrl: `data:image/png;base64,${png(2, 2).toString("base64")}` });
    expect((await loadImage("link-to-b.png", cwd, readOnly, daemon)).dataUrl).toBe(`data:image/png;base64,${png(3, 3).toString("base64")}`);
    expect(await loadImage("link-to-secret.png", cwd, readOnly, daemon)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not readable under this thread's sandbox policy/),
    });
    expect(await loadImage(join(home, "secret.png"), cwd, readOnly, daemon)).toMatchObject({ ok: false, message: expect.stringMatching(/not readable/) });
    expect(await loadImage(join(other, "b.png"), cwd, restricted, undefined)).toMatchObject({ ok: false, message: expect.stringMatching(/not readable/) });
    expect((await loadImage("missing.png", cwd, readOnly, daemon)).message).toBe(
      `unable to locate image at \`${join(cwd, "missing.png")}\`: No such file or directory (os error 2)`,
    );
    expect((await loadImage(".", cwd, readOnly, daemon)).message).toBe(`image path \`${cwd}\` is not a file`);
    expect((await loadImage("notes.txt", cwd, readOnly, daemon)).message).toBe("unable to process image: invalid or unsupported image data");
    expect((await loadImage("big.png", cwd, readOnly, daemon)).message).toMatch(/9000x20 pixels, over 6000/);
  });
});
