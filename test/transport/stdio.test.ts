// The stdio transport in a real child process over real pipes: partial lines, CRLF, a parse error that
// does not stop the stream, ordering of a large burst, and nothing but protocol lines on stdout.
// The child is a tiny echo program around openStdio(), bundled here with esbuild because Node 20 cannot
// run the TypeScript sources directly.
import { spawn } from "node:child_process";
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const transportDir = fileURLToPath(new URL("../../server/transport/", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "gh-stdio-"));
const harness = join(dir, "echo.cjs");

const HARNESS_SOURCE = `
import { openStdio } from "./stdio.ts";
const max = Number(process.env.MAX_LINE_BYTES ?? "0");
const { reader, writer } = openStdio(max > 0 ? { maxLineBytes: max } : {});
const send = (m: object) => writer.write(m as never).catch((err: Error) => process.stderr.write("write failed: " + err.message + "\\n"));
reader.onError((err) => void send({ readerError: err.message, code: (err as { code?: unknown }).code ?? null }));
reader.onClose(() => void send({ closed: true }));
reader.listen((msg) => void send({ jsonrpc: "2.0", echo: msg }));
`;

beforeAll(async () => {
  await build({
    stdin: { contents: HARNESS_SOURCE, resolveDir: transportDir, loader: "ts", sourcefile: "echo.ts" },
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    outfile: harness,
    logLevel: "silent",
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  child: ChildProcessWithoutNullStreams;
  /** Every stdout line parsed, once the child has exited. */
  done: Promise<{ lines: unknown[]; stdout: string; stderr: string; code: number | null }>;
}

function run(env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, [harness], { env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
  child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
  const done = new Promise<{ lines: unknown[]; stdout: string; stderr: string; code: number | null }>((resolve) =>
    child.once("close", (code) => {
      const lines = stdout
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => JSON.parse(l) as unknown);
      resolve({ lines, stdout, stderr, code });
    }),
  );
  return { child, done };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe("stdio transport", () => {
  it("reassembles partial lines, accepts CRLF, reports a bad line and keeps serving", async () => {
    const { child, done } = run();
    child.stdin.write('{"id":1,"meth');
    await tick();
    child.stdin.write('od":"initialize"}\r');
    await tick();
    child.stdin.write('\n{"id":2,"t":"\u00e9\u2028"}\r\n\n');
    child.stdin.write("this is not json\n");
    child.stdin.write(Buffer.from([0x7b, 0xff, 0x7d, 0x0a]));
    child.stdin.end('{"id":3}');
    const { lines, stdout, stderr, code } = await done;
    expect(lines).toEqual([
      { echo: { id: 1, method: "initialize" } },
      { echo: { id: 2, t: "\u00e9\u2028" } },
      { readerError: expect.any(String), code: -32700 },
      { readerError: expect.stringContaining("invalid UTF-8"), code: -32700 },
      { echo: { id: 3 } },
      { closed: true },
    ]);
    expect(stdout.endsWith("\n")).toBe(true);
    expect(stdout).not.toContain("jsonrpc");
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });

  it("keeps a large burst in order through real pipes", async () => {
    const { child, done } = run();
    const count = 3000;
    const payload = "p".repeat(2000);
    const burst = Array.from({ length: count }, (_, i) => JSON.stringify({ id: i, params: { payload } })).join("\n") + "\n";
    child.stdin.end(burst);
    const { lines, code } = await done;
    expect(code).toBe(0);
    expect(lines).toHaveLength(count + 1);
    const ids = lines.slice(0, count).map((l) => (l as { echo: { id: number } }).echo.id);
    expect(ids).toEqual(Array.from({ length: count }, (_, i) => i));
    expect(lines[count]).toEqual({ closed: true });
  });

  it("drops an over-limit line and reads the next one", async () => {
    const { child, done } = run({ MAX_LINE_BYTES: "1024" });
    child.stdin.write(`{"big":"${"b".repeat(5000)}"}\n`);
    child.stdin.end('{"id":"after"}\n');
    const { lines } = await done;
    expect(lines).toEqual([{ readerError: expect.stringContaining("line too long"), code: -32700 }, { echo: { id: "after" } }, { closed: true }]);
  });
});
