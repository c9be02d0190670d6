// Managed networking on macOS, checked on Linux: the Seatbelt profile is pure
// text, and the per-command proxy endpoint is a real NetworkProxy listening on 127.0.0.1. There is no
// relay on macOS: the command's own endpoint ports are the only outbound the profile allows, and what
// connects to them is attributed to the command.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import baseProfile from "../../server/sandbox/seatbeltBase.sbpl?raw" with { type: "text" };
import { fakeFs } from "../../server/sandbox/fakeFs.testutil.js";
import { selectLauncher } from "../../server/sandbox/launcher.js";
import { NetworkProxy, type ProxyTarget } from "../../server/sandbox/networkProxy/index.js";
import { httpUpstream, type Upstream } from "../../server/sandbox/networkProxy/proxy.testutil.js";
import { toSplitPolicy } from "../../server/sandbox/splitSandboxPolicy.js";
import { MANAGED_PROXY_ENV_KEYS } from "../../server/sandbox/proxyEnv.js";
import { generateSeatbeltArgs, SANDBOX_EXEC } from "../../server/sandbox/seatbelt.js";

const fs = fakeFs({ "/ws/a/src": "dir", "/private/var/folders/xy/abc/C": "dir", "/var": { link: "private/var" } });
const confstr = (n: string): string | null => (n === "DARWIN_USER_CACHE_DIR" ? "/var/folders/xy/abc/C/" : null);
const NET_ON = toSplitPolicy({ type: "workspaceWrite", networkAccess: true });
const sections = (profile: string): string => {
  expect(profile.startsWith(baseProfile.trimEnd())).toBe(true);
  return profile.slice(baseProfile.trimEnd().length + 1);
};
const networkLines = (profile: string): string[] => profile.split("\n").filter((l) => /network-|system-socket/.test(l));

describe("Seatbelt profile with managed networking", () => {
  it("outbound only to the proxy's two loopback ports; local binding adds bind and inbound on localhost only", () => {
    const r = generateSeatbeltArgs(NET_ON, "/ws/a", { fs, confstr, proxyPorts: [40001, 40002], allowLocalBinding: true });
    expect(sections(r.profile)).toMatchInlineSnapshot(`
      "(allow file-read*)
      (allow file-write*
        (require-all (subpath (param "WRITABLE_ROOT_0"))
          (require-not (literal (param "WRITABLE_ROOT_0_EXCLUDED_0")))
          (require-not (subpath (param "WRITABLE_ROOT_0_EXCLUDED_0")))
          (require-not (literal (param "WRITABLE_ROOT_0_EXCLUDED_1")))
          (require-not (subpath (param "WRITABLE_ROOT_0_EXCLUDED_1")))
          (require-not (literal (param "WRITABLE_ROOT_0_EXCLUDED_2")))
          (require-not (subpath (param "WRITABLE_ROOT_0_EXCLUDED_2")))
          (require-not (literal (param "WRITABLE_ROOT_0_EXCLUDED_3")))
          (require-not (subpath (param "WRITABLE_ROOT_0_EXCLUDED_3")))))
      (allow network-outbound (remote ip "localhost:40001"))
      (allow network-outbound (remote ip "localhost:40002"))
      (allow network-bind (local ip "localhost:*"))
      (allow network-inbound (local ip "localhost:*"))
      ; Shared network support (sandbox.md §3, section 5), appended whenever any network is allowed. It
      ; grants no connections by itself: those come from the rules seatbelt.ts writes before it.
      (allow system-socket
        (require-all (socket-domain AF_SYSTEM) (socket-protocol 2)))
      (allow mach-lookup
        (global-name "com.apple.bsd.dirhelper")
        (global-name "com.apple.system.opendirectoryd.membership")
        (global-name "com.apple.SecurityServer")
        (global-name "com.apple.networkd")
        (global-name "com.apple.ocspd")
        (global-name "com.apple.trustd.agent")
        (global-name "com.apple.SystemConfiguration.configd")
        (global-name "com.apple.SystemConfiguration.DNSConfiguration"))
      (allow file-write* (subpath (param "DARWIN_USER_CACHE_DIR")))
      "
    `);
    expect(networkLines(r.profile).filter((l) => l.includes("network-outbound"))).toEqual([
      '(allow network-outbound (remote ip "localhost:40001"))',
      '(allow network-outbound (remote ip "localhost:40002"))',
    ]);
  });

  it("without local binding: no bind, no inbound", () => {
    const r = generateSeatbeltArgs(NET_ON, "/ws/a", { fs, confstr, proxyPorts: [40001, 40002], allowLocalBinding: false });
    expect(r.profile).not.toMatch(/network-bind|network-inbound/);
  });
});

describe("darwin launcher with managedNetwork (real proxy endpoint on 127.0.0.1)", () => {
  const asked: ProxyTarget[] = [];
  let proxy: NetworkProxy;
  let upstream: Upstream;
  const launcher = () => selectLauncher("darwin", { fs, isExecutable: (p) => p === SANDBOX_EXEC });
  const env = { PATH: "/usr/bin:/bin" };

  beforeAll(async () => {
    proxy = new NetworkProxy({
      policy: { mode: "full", allowedDomains: [], deniedDomains: [], allowLocalBinding: true },
      decide: async (t) => {
        asked.push(t);
        return "allow";
      },
    });
    upstream = await httpUpstream("127.0.0.2");
  });
  afterAll(async () => {
    await upstream.close();
    await proxy.close();
  });

  it("the profile and the env name the command's own endpoint, whose connections are attributed to it; releaseOwner closes it", async () => {
    const r = await launcher().transform(["curl", "http://example.test/"], NET_ON, "/ws/a", {
      env,
      managedNetwork: { proxy, owner: "mac-1", allowLocalBinding: false },
    });
    const http = Number(/^http:\/\/127\.0\.0\.1:(\d+)$/.exec(r.env["HTTP_PROXY"] ?? "")?.[1]);
    const socks = Number(/^socks5h:\/\/127\.0\.0\.1:(\d+)$/.exec(r.env["ALL_PROXY"] ?? "")?.[1]);
    const shared = await proxy.ensureStarted();
    expect([http, socks]).not.toContain(shared.httpPort);
    const profile = r.argv[r.argv.indexOf("-p") + 1] ?? "";
    expect(
      networkLines(profile)
        .filter((l) => l.includes("network-outbound"))
        .sort(),
    ).toEqual([`(allow network-outbound (remote ip "localhost:${http}"))`, `(allow network-outbound (remote ip "localhost:${socks}"))`].sort());
    for (const k of MANAGED_PROXY_ENV_KEYS) expect(r.env[k], k).toBeDefined();

    // A client on the endpoint (as the sandboxed command would be) is attributed to mac-1.
    const curl = (port: number) =>
      promisify(execFile)("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "-x", `http://127.0.0.1:${port}`, `http://127.0.0.2:${upstream.port}/`], {
        encoding: "utf8",
      });
    expect((await curl(http)).stdout).toBe("200");
    expect(asked).toEqual([{ host: "127.0.0.2", protocol: "http", port: upstream.port, owner: "mac-1" }]);

    await proxy.releaseOwner("mac-1");
    await expect(curl(http)).rejects.toThrow(/Failed to connect|Couldn't connect|Connection refused/i);
  });

  it("a restricted network opens no endpoint and sets no proxy variables", async () => {
    const r = await launcher().transform(["true"], toSplitPolicy({ type: "workspaceWrite" }), "/ws/a", {
      env,
      managedNetwork: { proxy, owner: "mac-2", allowLocalBinding: true },
    });
    expect(Object.keys(r.env).filter((k) => MANAGED_PROXY_ENV_KEYS.includes(k))).toEqual([]);
    expect(r.argv.join(" ")).not.toMatch(/network-outbound/);
  });
});
