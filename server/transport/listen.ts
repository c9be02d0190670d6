// `--listen` values, as the reference accepts them: stdio:// | unix:// | unix://PATH | ws://IP:PORT | off.
//
// Invariants:
// - Parsing is by hand, not with the URL class: URL would normalise "ws://127.1:80" to host 127.0.0.1 and
//   drop port 80 as the scheme default, silently changing what the user asked for.
// - A ws host is an IP literal (IPv6 in brackets) or "localhost"; other host names are refused because
//   what they resolve to, and so whether the listener is loopback, is not knowable at parse time.
// - A unix path is resolved against the working directory so logs and stale-socket checks see one path.
import { isIPv4, isIPv6 } from "node:net";
import { resolve } from "node:path";

export type ListenTarget = { kind: "stdio" } | { kind: "unix"; path: string | undefined } | { kind: "ws"; host: string; port: number } | { kind: "off" };

const FORMS = "expected stdio://, unix://, unix://PATH, ws://IP:PORT or off";

export function parseListenUrl(s: string): ListenTarget {
  const text = s.trim();
  if (text === "off") {
    return { kind: "off" };
  }
  if (text === "stdio://") {
    return { kind: "stdio" };
  }
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(.*)$/s.exec(text);
  if (scheme === null) {
    throw new Error(`invalid --listen value "${s}": ${FORMS}`);
  }
  const name = (scheme[1] ?? "").toLowerCase();
  const rest = scheme[2] ?? "";
  switch (name) {
    case "stdio":
      throw new Error(`invalid --listen value "${s}": stdio:// takes nothing after the scheme`);
    case "unix":
      return { kind: "unix", path: rest === "" ? undefined : resolve(rest) };
    case "ws":
      return parseWs(s, rest);
    case "wss":
      throw new Error(`invalid --listen value "${s}": wss:// is not served directly; listen on ws://IP:PORT and terminate TLS in a proxy`);
    default:
      throw new Error(`invalid --listen value "${s}": unknown scheme "${name}://"; ${FORMS}`);
  }
}

function parseWs(original: string, rest: string): ListenTarget {
  const authority = rest.endsWith("/") ? rest.slice(0, -1) : rest;
  const match = /^(\[[^\]]*\]|[^:/[\]]*)(?::(\d*))?$/.exec(authority);
  if (match === null) {
    throw new Error(`invalid --listen value "${original}": expected ws://IP:PORT with nothing after the port`);
  }
  const rawHost = match[1] ?? "";
  const rawPort = match[2];
  if (rawHost === "") {
    throw new Error(`invalid --listen value "${original}": missing host; expected ws://IP:PORT, e.g. ws://127.0.0.1:4500`);
  }
  if (rawPort === undefined || rawPort === "") {
    throw new Error(`invalid --listen value "${original}": missing port; expected ws://IP:PORT (port 0 picks a free one)`);
  }
  const port = Number(rawPort);
  if (!Number.isInteger(port) || port > 65535) {
    throw new Error(`invalid --listen value "${original}": port ${rawPort} is out of range 0-65535`);
  }
  let host: string;
  if (rawHost.startsWith("[")) {
    host = rawHost.slice(1, -1);
    if (!isIPv6(host)) {
      throw new Error(`invalid --listen value "${original}": "${host}" is not an IPv6 address`);
    }
  } else if (isIPv4(rawHost) || rawHost.toLowerCase() === "localhost") {
    host = rawHost.toLowerCase();
  } else {
    throw new Error(`invalid --listen value "${original}": "${rawHost}" is not an IP address; use an IP such as 127.0.0.1 or [::1]`);
  }
  return { kind: "ws", host, port };
}
