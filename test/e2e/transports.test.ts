// The daemon over WebSocket and a unix socket: the same JSON-RPC as stdio, health probes, Origin
// refusal, token auth, and the non-loopback refusal at start-up.
import { spawnSync, type ChildProcess } from "node:child_process";
import { statSync, writeFileSync } from "node:fs";
import { createConnection } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { DAEMON, spawnListening } from "../helpers/daemon.js";
import { tempHome, type TempHome } from "../helpers/home.js";

const running: Array<{ child: ChildProcess; home: TempHome }> = [];
afterEach(() => {
  for (const { child, home } of running.splice(0)) {
    child.kill("SIGKILL");
    home.cleanup();
  }
});

async function startListening(args: string[]): Promise<{ url: string; home: TempHome }> {
  const home = tempHome();
  const { child, url } = spawnListening(home, args);
  running.push({ child, home });
  return { url: await url, home };
}

function wsRoundTrip(url: string, headers: Record<string, string> = {}): Promise<Array<Record<string, unknown>>> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    const got: Array<Record<string, unknown>> = [];
    ws.on("open", () => {
      ws.send(JSON.stringify({ id: 1, method: "initialize", params: { clientInfo: { name: "ws", version: "1" } } }));
      ws.send("not json");
      ws.send(JSON.stringify({ id: 2, method: "model/list", params: { limit: 1 } }));
    });
    ws.on("message", (data) => {
      got.push(JSON.parse(String(data)) as Record<string, unknown>);
      if (got.some((m) => m["id"] === 2)) {
        ws.close();
        resolve(got);
      }
    });
    ws.on("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.on("error", reject);
  });
}

describe("WebSocket transport", () => {
  it("serves JSON-RPC over text frames, with health probes and port 0", async () => {
    const { url } = await startListening(["--listen", "ws://127.0.0.1:0"]);
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    const got = await wsRoundTrip(url);
    expect(got.find((m) => m["id"] === 1)).toHaveProperty("result.userAgent");
    expect(got.find((m) => m["id"] === null)).toMatchObject({ error: { code: -32700 } });
    expect(got.find((m) => m["id"] === 2)).toHaveProperty("result.data");
    const http = url.replace("ws://", "http://");
    expect((await fetch(`${http}/readyz`)).status).toBe(200);
    expect((await fetch(`${http}/healthz`)).status).toBe(200);
  });

  it("refuses a browser Origin unless allowed, and a missing or wrong token", async () => {
    const token = "s3cret-token-for-the-test-0123456789";
    const home = tempHome();
    const file = join(home.base, "token");
    writeFileSync(file, `${token}\n`, { mode: 0o600 });
    const { url } = await startListening([
      "--listen",
      "ws://127.0.0.1:0",
      "--ws-auth",
      "capability-token",
      "--ws-token-file",
      file,
      "--ws-allow-origin",
      "https://ide.example",
    ]);
    await expect(wsRoundTrip(url)).rejects.toThrow("HTTP 401");
    await expect(wsRoundTrip(url, { Authorization: "Bearer wrong" })).rejects.toThrow("HTTP 401");
    await expect(wsRoundTrip(url, { Authorization: `Bearer ${token}`, Origin: "https://evil.example" })).rejects.toThrow("HTTP 403");
    const ok = await wsRoundTrip(url, { Authorization: `Bearer ${token}`, Origin: "https://ide.example" });
    expect(ok.find((m) => m["id"] === 2)).toHaveProperty("result");
    home.cleanup();
  });

  it("refuses to listen on a non-loopback address without auth, saying what to add", () => {
    const home = tempHome();
    const r = spawnSync(process.execPath, [DAEMON, "app-server", "--listen", "ws://0.0.0.0:0"], {
      env: { ...process.env, GATEHOUSE_HOME: home.home },
      encoding: "utf8",
      timeout: 10_000,
    });
    home.cleanup();
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("--ws-auth capability-token --ws-token-file PATH");
  });
});

describe("unix socket transport", () => {
  it("serves line-framed JSON-RPC on a 0600 socket", async () => {
    const home = tempHome();
    const path = join(home.base, "sock", "gh.sock");
    const { url } = await startListening(["--listen", `unix://${path}`]);
    expect(url).toBe(`unix://${path}`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const lines = await new Promise<Array<Record<string, unknown>>>((resolve, reject) => {
      const socket = createConnection(path);
      let buf = "";
      socket.on("connect", () =>
        socket.write('{"id":1,"method":"initialize","params":{"clientInfo":{"name":"u","version":"1"}}}\n{"id":2,"method":"configRequirements/read"}\n'),
      );
      socket.on("data", (c) => {
        buf += String(c);
        const msgs = buf
          .split("\n")
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Record<string, unknown>);
        if (msgs.some((m) => m["id"] === 2)) {
          socket.end();
          resolve(msgs);
        }
      });
      socket.on("error", reject);
    });
    expect(lines.find((m) => m["id"] === 1)).toHaveProperty("result.userAgent");
    expect(lines.find((m) => m["id"] === 2)).toHaveProperty("result");
    home.cleanup();
  });
});
