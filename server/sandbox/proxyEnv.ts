// The proxy variables a command gets when managed networking routes its network through the daemon's
// proxy, in one table: the launchers set them, and withoutManagedProxyEnv strips
// every one of them for commands that run outside the sandbox (escalated), so an unsandboxed command
// is never pointed at a proxy that would refuse it as unattributed.
//
// The set is the one codex 0.169.0 was observed to set, no more: codex's Rust source also
// lists YARN_NO_PROXY and an `…_NETWORK_ALLOW_LOCAL_BINDING` marker, which 0.169 does not set; a
// tool or test keyed on the reference's environment sees the same names here. Values are overwritten,
// not merged with what the command's environment had.

export interface ManagedProxyPorts {
  readonly httpPort: number;
  readonly socksPort: number;
}

/** Set to `http://127.0.0.1:<httpPort>`. */
const HTTP_PROXY_KEYS = [
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "http_proxy",
  "https_proxy",
  "YARN_HTTP_PROXY",
  "YARN_HTTPS_PROXY",
  "npm_config_http_proxy",
  "npm_config_https_proxy",
  "npm_config_proxy",
  "NPM_CONFIG_HTTP_PROXY",
  "NPM_CONFIG_HTTPS_PROXY",
  "NPM_CONFIG_PROXY",
  "BUNDLE_HTTP_PROXY",
  "BUNDLE_HTTPS_PROXY",
  "PIP_PROXY",
  "DOCKER_HTTP_PROXY",
  "DOCKER_HTTPS_PROXY",
  "WS_PROXY",
  "WSS_PROXY",
  "ws_proxy",
  "wss_proxy",
] as const;

/** Set to `socks5h://127.0.0.1:<socksPort>` (the proxy resolves names: DNS is unreachable inside). */
const SOCKS_PROXY_KEYS = ["ALL_PROXY", "all_proxy", "FTP_PROXY", "ftp_proxy"] as const;

/** Loopback and private ranges go around the proxy; no host-name suffixes, so internal names still reach it. */
export const MANAGED_NO_PROXY = "localhost,127.0.0.1,::1,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16";
const NO_PROXY_KEYS = ["NO_PROXY", "no_proxy", "npm_config_noproxy", "NPM_CONFIG_NOPROXY", "BUNDLE_NO_PROXY"] as const;

/** Marks a command whose network goes through the managed proxy (the reference's name). */
export const NETWORK_PROXY_ACTIVE_ENV = "CODEX_NETWORK_PROXY_ACTIVE";

const FLAGS = {
  ELECTRON_GET_USE_PROXY: "true",
  // Node's own http/https clients honour the proxy variables only with this (Node ≥ 22.14/24).
  NODE_USE_ENV_PROXY: "1",
  [NETWORK_PROXY_ACTIVE_ENV]: "1",
} as const;

/** Every name managed networking sets; sorted, for tests and the README. */
export const MANAGED_PROXY_ENV_KEYS: readonly string[] = [...HTTP_PROXY_KEYS, ...SOCKS_PROXY_KEYS, ...NO_PROXY_KEYS, ...Object.keys(FLAGS)].sort();

function checkPort(port: number, what: string): void {
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`managed proxy env: ${what} port ${port} is not a TCP port`);
}

/** The variables for a command whose proxy listens on 127.0.0.1 at `ports`. */
export function managedProxyEnv(ports: ManagedProxyPorts): Record<string, string> {
  checkPort(ports.httpPort, "HTTP");
  checkPort(ports.socksPort, "SOCKS5");
  const http = `http://127.0.0.1:${ports.httpPort}`;
  const socks = `socks5h://127.0.0.1:${ports.socksPort}`;
  const out: Record<string, string> = {};
  for (const k of HTTP_PROXY_KEYS) out[k] = http;
  for (const k of SOCKS_PROXY_KEYS) out[k] = socks;
  for (const k of NO_PROXY_KEYS) out[k] = MANAGED_NO_PROXY;
  Object.assign(out, FLAGS);
  return out;
}

/** `env` with managed networking's variables set (overwriting). */
export function withManagedProxyEnv(env: Readonly<Record<string, string>>, ports: ManagedProxyPorts): Record<string, string> {
  return { ...env, ...managedProxyEnv(ports) };
}

/**
 * `env` without any variable managed networking sets, whatever its value: for a command that runs
 * outside the sandbox (escalated), which no relay serves and whose connections to the proxy's shared
 * ports would be refused as unattributed.
 */
export function withoutManagedProxyEnv<T extends string | undefined>(env: Readonly<Record<string, T>>): Record<string, T> {
  const drop = new Set(MANAGED_PROXY_ENV_KEYS);
  const out: Record<string, T> = {};
  for (const [k, v] of Object.entries(env)) if (!drop.has(k)) out[k] = v;
  return out;
}
