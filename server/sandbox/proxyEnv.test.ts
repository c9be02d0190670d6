import { describe, expect, it } from "vitest";
import { withoutManagedProxyEnv as fromEnvModule } from "./env.js";
import { MANAGED_NO_PROXY, MANAGED_PROXY_ENV_KEYS, managedProxyEnv, withManagedProxyEnv, withoutManagedProxyEnv } from "./proxyEnv.js";

describe("managed proxy env (sandbox.md §5.2)", () => {
  it("sets every variable: HTTP ones to the HTTP port, ALL/FTP to socks5h, NO_PROXY to loopback and private ranges", () => {
    expect(managedProxyEnv({ httpPort: 3128, socksPort: 1080 })).toMatchInlineSnapshot(`
      {
        "ALL_PROXY": "socks5h://127.0.0.1:1080",
        "BUNDLE_HTTPS_PROXY": "http://127.0.0.1:3128",
        "BUNDLE_HTTP_PROXY": "http://127.0.0.1:3128",
        "BUNDLE_NO_PROXY": "localhost,127.0.0.1,::1,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16",
        "CODEX_NETWORK_PROXY_ACTIVE": "1",
        "DOCKER_HTTPS_PROXY": "http://127.0.0.1:3128",
        "DOCKER_HTTP_PROXY": "http://127.0.0.1:3128",
        "ELECTRON_GET_USE_PROXY": "true",
        "FTP_PROXY": "socks5h://127.0.0.1:1080",
        "HTTPS_PROXY": "http://127.0.0.1:3128",
        "HTTP_PROXY": "http://127.0.0.1:3128",
        "NODE_USE_ENV_PROXY": "1",
        "NO_PROXY": "localhost,127.0.0.1,::1,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16",
        "NPM_CONFIG_HTTPS_PROXY": "http://127.0.0.1:3128",
        "NPM_CONFIG_HTTP_PROXY": "http://127.0.0.1:3128",
        "NPM_CONFIG_NOPROXY": "localhost,127.0.0.1,::1,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16",
        "NPM_CONFIG_PROXY": "http://127.0.0.1:3128",
        "PIP_PROXY": "http://127.0.0.1:3128",
        "WSS_PROXY": "http://127.0.0.1:3128",
        "WS_PROXY": "http://127.0.0.1:3128",
        "YARN_HTTPS_PROXY": "http://127.0.0.1:3128",
        "YARN_HTTP_PROXY": "http://127.0.0.1:3128",
        "all_proxy": "socks5h://127.0.0.1:1080",
        "ftp_proxy": "socks5h://127.0.0.1:1080",
        "http_proxy": "http://127.0.0.1:3128",
        "https_proxy": "http://127.0.0.1:3128",
        "no_proxy": "localhost,127.0.0.1,::1,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16",
        "npm_config_http_proxy": "http://127.0.0.1:3128",
        "npm_config_https_proxy": "http://127.0.0.1:3128",
        "npm_config_noproxy": "localhost,127.0.0.1,::1,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16",
        "npm_config_proxy": "http://127.0.0.1:3128",
        "ws_proxy": "http://127.0.0.1:3128",
        "wss_proxy": "http://127.0.0.1:3128",
      }
    `);
  });

  it("overwrites what the command's environment had, and strips all of it again (escalated commands)", () => {
    const user = { PATH: "/usr/bin", HTTP_PROXY: "http://corp:8080", no_proxy: "corp.example", YARN_NO_PROXY: "x" };
    const env = withManagedProxyEnv(user, { httpPort: 1, socksPort: 2 });
    expect(env["HTTP_PROXY"]).toBe("http://127.0.0.1:1");
    expect(env["no_proxy"]).toBe(MANAGED_NO_PROXY);
    expect(withoutManagedProxyEnv(env)).toEqual({ PATH: "/usr/bin", YARN_NO_PROXY: "x" });
    expect(Object.keys(managedProxyEnv({ httpPort: 1, socksPort: 2 })).sort()).toEqual(MANAGED_PROXY_ENV_KEYS);
    expect(fromEnvModule).toBe(withoutManagedProxyEnv);
  });

  it("refuses a port that is not a TCP port", () => {
    expect(() => managedProxyEnv({ httpPort: 0, socksPort: 2 })).toThrow(/not a TCP port/);
  });
});
