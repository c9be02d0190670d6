// The stdio transport on its own, under real bubblewrap: framing both ways, lines that are not JSON-RPC,
// an oversized line, exits, and close() leaving no process behind.
import { randomUUID } from "node:crypto";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, describe, expect, it } from "vitest";
import { selectLauncher } from "../../sandbox/launcher.js";
import { FAULTY_SERVER, NODE, READ_ONLY, hasBwrap, removeTempDirs, silentLog, tempDir, until } from "./mcpServers.testutil.js";
import { livePidsWith } from "../../../test/helpers/processes.js";
import { MAX_MESSAGE_BYTES, SandboxedStdioTransport } from "./sandboxedStdioTransport.js";

afterAll(removeTempDirs);

function transport(argv: string[]): { t: SandboxedStdioTransport; messages: JSONRPCMessage[]; errors: string[]; closed: () => boolean } {
  const cwd = tempDir();
  const t = new SandboxedStdioTransport(
    { launcher: selectLauncher(), argv, policy: READ_ONLY, cwd, launchOptions: { env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: cwd } } },
    silentLog,
  );
  const messages: JSONRPCMessage[] = [];
  const errors: string[] = [];
  let closed = false;
  t.onmessage = (m) => messages.push(m);
  t.onerror = (e) => errors.push(e.message);
  t.onclose = () => (closed = true);
  return { t, messages, errors, closed: () => closed };
}

describe.runIf(hasBwrap)("SandboxedStdioTransport", () => {
  it("frames messages both ways and skips stdout lines that are not JSON-RPC, counting them", async () => {
    const { t, messages } = transport([NODE, FAULTY_SERVER, "--garbage"]);
    await t.start();
    await t.send({ jsonrpc: "2.0", id: 1, method: "initialize", params: {} });
    await t.send({ jsonrpc: "2.0", id: 2, method: "ping" });
    await until(() => messages.length === 2, "two answers");
    expect(messages).toEqual([
      expect.objectContaining({ id: 1, result: expect.objectContaining({ serverInfo: { name: "faulty", version: "1.0.0" } }) }),
      { jsonrpc: "2.0", id: 2, result: {} },
    ]);
    expect(t.unreadableOutput.lines).toBe(2);
    expect(t.unreadableOutput.last).toBe("a JSON value that is not a JSON-RPC message");
    await t.close();
  });

  it("reports an exit: onerror with the exit code, then onclose, and the stderr tail", async () => {
    const { t, errors, closed } = transport([NODE, "-e", "console.error('boom: something broke'); process.exit(3)"]);
    await t.start();
    await until(closed, "the exit");
    expect(errors).toEqual(["the MCP server exited with code 3"]);
    expect(t.exitDescription).toBe("exited with code 3");
    expect(t.stderrTail).toBe("boom: something broke");
    await expect(t.send({ jsonrpc: "2.0", id: 1, method: "ping" })).rejects.toThrow("the MCP server is not running");
  });

  it("stops a server whose line outgrows the message limit, without holding it in memory", async () => {
    const size = MAX_MESSAGE_BYTES + 1024 * 1024;
    const { t, closed } = transport([NODE, "-e", `process.stdout.write("x".repeat(${size})); setInterval(() => {}, 1000)`]);
    await t.start();
    await until(closed, "the server to be stopped", 1500);
    expect(t.unreadableOutput.last).toBe(`a message longer than ${MAX_MESSAGE_BYTES} bytes`);
  });

  it("close() ends a server that ignores the end of its input, and its whole tree", async () => {
    const marker = `gh-mcp-${randomUUID()}`;
    const { t, closed } = transport([
      NODE,
      "-e",
      `require("child_process").spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)", "${marker}"], { stdio: "ignore" }); setInterval(() => {}, 1000)`,
      marker,
    ]);
    await t.start();
    await until(() => livePidsWith(marker).length >= 2, "the server and its child");
    await t.close();
    expect(closed()).toBe(true);
    expect(livePidsWith(marker)).toEqual([]);
  });
});
