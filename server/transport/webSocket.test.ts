import { describe, expect, it } from "vitest";
import { assertSafeBind, isLoopbackHost, parseAllowedOrigins } from "./webSocket.js";

describe("isLoopbackHost", () => {
  it.each(["127.0.0.1", "127.1.2.3", "127.255.255.255", "::1", "[::1]", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1", "localhost", "LOCALHOST"])(
    "%s is loopback",
    (host) => expect(isLoopbackHost(host)).toBe(true),
  );
  it.each(["0.0.0.0", "::", "128.0.0.1", "10.0.0.1", "192.168.1.2", "::2", "::ffff:10.0.0.1", "example.com", ""])("%s is not loopback", (host) =>
    expect(isLoopbackHost(host)).toBe(false),
  );
});

describe("assertSafeBind", () => {
  it("allows loopback without auth", () => {
    expect(() => assertSafeBind("127.0.0.1", undefined, 4500)).not.toThrow();
    expect(() => assertSafeBind("::1", undefined)).not.toThrow();
  });

  it("refuses a non-loopback address without auth and says what to add", () => {
    expect(() => assertSafeBind("0.0.0.0", undefined, 4500)).toThrow(
      "refusing to listen on ws://0.0.0.0:4500 without authentication: add --ws-auth capability-token --ws-token-file PATH " +
        "(or --ws-auth signed-bearer-token --ws-shared-secret-file PATH)",
    );
    expect(() => assertSafeBind("::", undefined, 1)).toThrow(/ws:\/\/\[::\]:1 without authentication/);
  });

  it("allows a non-loopback address with auth", () => {
    expect(() => assertSafeBind("0.0.0.0", { mode: "capability-token", token: { kind: "sha256", hex: "0".repeat(64) } }, 4500)).not.toThrow();
  });
});

describe("parseAllowedOrigins", () => {
  it("keeps origins exactly as browsers send them", () => {
    expect(parseAllowedOrigins(["http://localhost:3000", "https://app.example", "vscode-webview://abc"])).toEqual([
      "http://localhost:3000",
      "https://app.example",
      "vscode-webview://abc",
    ]);
  });

  it.each([
    ["http://localhost:3000/", /did you mean http:\/\/localhost:3000\?/],
    ["https://app.example:443", /did you mean https:\/\/app.example\?/],
    ["HTTP://App.Example", /did you mean http:\/\/app.example\?/],
    ["localhost:3000", /is not an origin/],
    ["*", /is not an origin/],
  ])("refuses %s", (value, message) => {
    expect(() => parseAllowedOrigins([value])).toThrow(message);
  });
});
