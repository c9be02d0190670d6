// What the MCP tests share: the real servers they run (npm's server-everything and server-filesystem,
// and test/fixtures/mcp/faultyServer.mjs), the real sandbox launcher, and a way to wait for a state
// without timing assertions.
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createLogger } from "../../log.js";
import { selectLauncher } from "../../sandbox/launcher.js";
import type { SandboxPolicy } from "../../sandbox/sandboxPolicy.js";
import type { JsonObject } from "../config/json.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { McpStdioEnvironment } from "./stdioLaunch.js";

const require = createRequire(import.meta.url);
const packageDir = (name: string): string => dirname(require.resolve(`${name}/package.json`));

export const EVERYTHING_SERVER = join(packageDir("@modelcontextprotocol/server-everything"), "dist/index.js");
/** The module exporting server-everything's createServer (the package ships no types or exports map). */
export const EVERYTHING_FACTORY_URL = pathToFileURL(join(packageDir("@modelcontextprotocol/server-everything"), "dist/server/index.js")).href;
export const FILESYSTEM_SERVER = join(packageDir("@modelcontextprotocol/server-filesystem"), "dist/index.js");
export const FAULTY_SERVER = fileURLToPath(new URL("../../../test/fixtures/mcp/faultyServer.mjs", import.meta.url));
export const NODE = process.execPath;

export const hasBwrap = process.platform === "linux" && existsSync("/usr/bin/bwrap");
export const READ_ONLY: SandboxPolicy = { type: "readOnly" };
export const silentLog = createLogger("silent");

const launcher = selectLauncher();

/** A temporary folder (canonical path); removeTempDirs() deletes every one. */
const temps: string[] = [];
export function tempDir(prefix = "gh-mcp-"): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  temps.push(dir);
  return dir;
}
export function removeTempDirs(): void {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** How the tests launch stdio servers: the real launcher, `policy`, a small explicit environment. */
export function stdioEnvironment(cwd: string, policy: SandboxPolicy = READ_ONLY): McpStdioEnvironment {
  return { launcher, sandboxPolicy: () => policy, cwd, baseEnv: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: cwd, LANG: "C" } };
}

/** A `[mcp_servers.<name>]` table running the faulty fixture with `flags`. */
export function faultyServer(flags: readonly string[] = [], extra: JsonObject = {}): JsonObject {
  return { command: NODE, args: [FAULTY_SERVER, ...flags], ...extra };
}

export function everythingServer(extra: JsonObject = {}): JsonObject {
  return { command: NODE, args: [EVERYTHING_SERVER, "stdio"], ...extra };
}

/** Polls `check` until it is true (at most `tries` × 20 ms); throws with `what` otherwise. No timing is asserted. */
export async function until(check: () => boolean, what: string, tries = 500): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/**
 * server-everything over streamable HTTP on 127.0.0.1 (its own HTTP mode listens on every address,
 * port 3001): its createServer hosted on the SDK's server transport, one per MCP session. `seen` gets
 * each request's Authorization header.
 */
export async function hostEverythingOverHttp(seen?: (authorization: string | undefined) => void): Promise<{ url: string; close(): Promise<void> }> {
  const { createServer: createEverything } = (await import(EVERYTHING_FACTORY_URL)) as {
    createServer: () => { server: { connect(t: StreamableHTTPServerTransport): Promise<void> } };
  };
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const body = async (req: IncomingMessage): Promise<unknown> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return chunks.length === 0 ? undefined : JSON.parse(Buffer.concat(chunks).toString("utf8"));
  };
  const http = createServer((req, res) => {
    void (async () => {
      seen?.(req.headers.authorization);
      const parsed = req.method === "POST" ? await body(req) : undefined;
      const id = req.headers["mcp-session-id"];
      let transport = typeof id === "string" ? sessions.get(id) : undefined;
      if (transport === undefined) {
        const created = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          onsessioninitialized: (sid) => void sessions.set(sid, created),
        });
        await createEverything().server.connect(created);
        transport = created;
      }
      await transport.handleRequest(req, res, parsed);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`,
    close: async () => {
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}
