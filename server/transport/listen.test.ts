import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parseListenUrl } from "./listen.js";

describe("parseListenUrl", () => {
  it("parses every accepted form", () => {
    expect(parseListenUrl("stdio://")).toEqual({ kind: "stdio" });
    expect(parseListenUrl("off")).toEqual({ kind: "off" });
    expect(parseListenUrl("unix://")).toEqual({ kind: "unix", path: undefined });
    expect(parseListenUrl("unix:///run/gh/app-server.sock")).toEqual({ kind: "unix", path: "/run/gh/app-server.sock" });
    expect(parseListenUrl("unix://rel/app.sock")).toEqual({ kind: "unix", path: resolve("rel/app.sock") });
    expect(parseListenUrl("ws://127.0.0.1:4500")).toEqual({ kind: "ws", host: "127.0.0.1", port: 4500 });
    expect(parseListenUrl("ws://0.0.0.0:0")).toEqual({ kind: "ws", host: "0.0.0.0", port: 0 });
    expect(parseListenUrl("ws://[::1]:4500")).toEqual({ kind: "ws", host: "::1", port: 4500 });
    expect(parseListenUrl("ws://localhost:80/")).toEqual({ kind: "ws", host: "localhost", port: 80 });
  });

  it("keeps a port that a URL parser would drop as the scheme default", () => {
    expect(parseListenUrl("ws://127.0.0.1:80")).toEqual({ kind: "ws", host: "127.0.0.1", port: 80 });
  });

  it.each([
    ["ws://", /missing host/],
    ["ws://127.0.0.1", /missing port/],
    ["ws://127.0.0.1:", /missing port/],
    ["ws://127.0.0.1:65536", /out of range/],
    ["ws://127.0.0.1:45x", /nothing after the port/],
    ["ws://127.0.0.1:4500/path", /nothing after the port/],
    ["ws://example.com:4500", /not an IP address/],
    ["ws://[nope]:4500", /not an IPv6 address/],
    ["wss://127.0.0.1:4500", /terminate TLS/],
    ["http://127.0.0.1:4500", /unknown scheme "http:\/\/"/],
    ["stdio", /expected stdio:\/\//],
    ["stdio://x", /takes nothing/],
    ["", /expected stdio:\/\//],
    ["127.0.0.1:4500", /expected stdio:\/\//],
  ])("refuses %j with a clear error", (value, message) => {
    expect(() => parseListenUrl(value)).toThrow(message);
  });
});
