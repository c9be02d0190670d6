// Pure host logic for the network proxy: one normal form for a host name, the domain patterns of the
// allow and deny lists, and which addresses count as local or private. Everything that decides whether
// two spellings name the same host lives here, so the deny list, the allow list and the approval key
// can never disagree about it.
//
// Invariants:
//  - normalizeHost is idempotent, and its output is what the lists, events and approval keys see.
//    It goes through the WHATWG host parser (`domainToASCII`), so `0x7f.1`, `2130706433` and `127.1`
//    all become `127.0.0.1` and `BÜCHER.de.` becomes `xn--bcher-kva.de`: no spelling slips past a list.
//  - isNonPublicAddress answers for an address literal only; names are resolved by the caller, which
//    then connects to an address it checked here (never a second lookup).
import { isIP, isIPv4, isIPv6 } from "node:net";
import { domainToASCII } from "node:url";

/** The normal form of a host, or null if it is not a valid host name or address literal. */
export function normalizeHost(raw: string): string | null {
  let host = raw.trim();
  if (host.startsWith("[") && host.endsWith("]")) host = host.slice(1, -1);
  const zone = host.indexOf("%");
  if (zone !== -1 && isIPv6(host.slice(0, zone))) host = host.slice(0, zone);
  if (isIPv6(host)) {
    // The URL parser's serialisation is the canonical text form (lower case, zeros compressed).
    return new URL(`http://[${host}]/`).hostname.slice(1, -1);
  }
  while (host.endsWith(".")) host = host.slice(0, -1);
  if (host === "" || host.length > 253) return null;
  // The WHATWG parser would cut `a/b` or `a@b` down to a host; a proxy must refuse them instead.
  if (/[^\u0080-\uffffA-Za-z0-9._-]/.test(host)) return null;
  const ascii = domainToASCII(host.toLowerCase());
  if (ascii === "") return null;
  const out = ascii.endsWith(".") ? ascii.slice(0, -1) : ascii;
  // Labels are letters, digits, '-' and '_' (seen in real service names); anything else is refused
  // rather than handed to a resolver.
  if (isIP(out) === 0 && !/^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/.test(out)) return null;
  return out;
}

/**
 * A compiled allow- or deny-list entry, with codex's meaning:
 * `example.com` matches exactly, `*.example.com` subdomains only, `**.example.com` the apex and
 * subdomains, and a bare `*` every host (allow lists only: a deny-everything list is "network off").
 */
export type DomainPattern =
  | { readonly kind: "any" }
  | { readonly kind: "exact"; readonly host: string }
  | { readonly kind: "subdomains"; readonly apex: string; readonly includeApex: boolean };

export class DomainPatternError extends Error {
  constructor(
    readonly pattern: string,
    reason: string,
  ) {
    super(`invalid domain pattern ${JSON.stringify(pattern)}: ${reason}`);
    this.name = "DomainPatternError";
  }
}

export function compileDomainPattern(pattern: string, list: "allow" | "deny"): DomainPattern {
  const text = pattern.trim();
  if (text === "*") {
    if (list === "deny") throw new DomainPatternError(pattern, "a bare * is accepted in allow lists only");
    return { kind: "any" };
  }
  let includeApex = false;
  let rest: string;
  if (text.startsWith("**.")) {
    includeApex = true;
    rest = text.slice(3);
  } else if (text.startsWith("*.")) {
    rest = text.slice(2);
  } else {
    rest = text;
    const host = normalizeHost(rest);
    if (host === null) throw new DomainPatternError(pattern, "not a host name or address");
    return { kind: "exact", host };
  }
  const apex = rest.includes("*") ? null : normalizeHost(rest);
  if (apex === null || isIP(apex) !== 0) throw new DomainPatternError(pattern, "a wildcard must prefix a domain name");
  return { kind: "subdomains", apex, includeApex };
}

export function compileDomainPatterns(patterns: readonly string[], list: "allow" | "deny"): readonly DomainPattern[] {
  return patterns.map((p) => compileDomainPattern(p, list));
}

/** Whether a normalised host matches one pattern. */
export function matchesDomainPattern(pattern: DomainPattern, host: string): boolean {
  switch (pattern.kind) {
    case "any":
      return true;
    case "exact":
      return host === pattern.host;
    case "subdomains":
      return (pattern.includeApex && host === pattern.apex) || host.endsWith(`.${pattern.apex}`);
  }
}

export function matchesAny(patterns: readonly DomainPattern[], host: string): boolean {
  return patterns.some((p) => matchesDomainPattern(p, host));
}

/** Whether `host` is named by an exact (non-wildcard) entry: only such an entry opens one local literal. */
export function matchesExactly(patterns: readonly DomainPattern[], host: string): boolean {
  return patterns.some((p) => p.kind === "exact" && p.host === host);
}

// IPv4 ranges that are not the public internet: unspecified/"this network", RFC 1918, CGNAT, loopback,
// link-local, IETF protocol assignments, the TEST-NETs, benchmarking, multicast, reserved and broadcast.
const V4_BLOCKS: readonly (readonly [string, number])[] = [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
];

function v4ToInt(address: string): number {
  return address.split(".").reduce((acc, part) => acc * 256 + Number(part), 0);
}

const V4_RANGES = V4_BLOCKS.map(([base, bits]) => {
  const size = 2 ** (32 - bits);
  const start = v4ToInt(base);
  return { start, end: start + size - 1 };
});

function isNonPublicV4(value: number): boolean {
  return V4_RANGES.some((r) => value >= r.start && value <= r.end);
}

/** The eight 16-bit groups of an IPv6 literal (already validated by isIPv6), or fewer if malformed. */
function v6Groups(address: string): number[] {
  let text = address;
  const lastColon = text.lastIndexOf(":");
  const dotted = text.slice(lastColon + 1);
  if (isIPv4(dotted)) {
    // A trailing dotted quad is two groups written differently.
    const v = v4ToInt(dotted);
    text = `${text.slice(0, lastColon + 1)}${Math.floor(v / 65536).toString(16)}:${(v % 65536).toString(16)}`;
  }
  const parse = (s: string): number[] => (s === "" ? [] : s.split(":").map((g) => parseInt(g, 16)));
  const halves = text.split("::");
  if (halves.length === 1) return parse(text);
  const left = parse(halves[0] ?? "");
  const right = parse(halves[1] ?? "");
  const fill = 8 - left.length - right.length;
  return [...left, ...new Array<number>(Math.max(fill, 0)).fill(0), ...right];
}

function isNonPublicV6(address: string): boolean {
  const g = v6Groups(address);
  if (g.length !== 8) return true; // not parseable: refuse rather than guess
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const embeddedTail = g6 * 65536 + g7;
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0) {
    // ::/128 unspecified, ::1 loopback, ::a.b.c.d (IPv4-compatible) and ::ffff:a.b.c.d (IPv4-mapped):
    // the latter two reach the embedded IPv4 address, so it decides.
    if (g5 === 0 && g6 === 0 && (g7 === 0 || g7 === 1)) return true;
    if (g5 === 0 || g5 === 0xffff) return isNonPublicV4(embeddedTail);
  }
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return isNonPublicV4(embeddedTail); // NAT64
  if (g0 === 0x2002) return isNonPublicV4(g1 * 65536 + g2); // 6to4 embeds the IPv4 address in groups 1-2
  if ((g0 & 0xffc0) === 0xfe80) return true; // link-local
  if ((g0 & 0xffc0) === 0xfec0) return true; // site-local (deprecated, still routed inside sites)
  if ((g0 & 0xfe00) === 0xfc00) return true; // unique local (ULA)
  if ((g0 & 0xff00) === 0xff00) return true; // multicast
  if (g0 === 0x2001 && g1 === 0x0db8) return true; // documentation
  return false;
}

/**
 * Whether connecting to this address would reach something other than the public internet: the
 * machine itself, its LAN, a carrier's NAT, a link, or a reserved range. A string that is not an
 * address literal counts as non-public, so an unexpected resolver answer fails closed.
 */
export function isNonPublicAddress(address: string): boolean {
  if (isIPv4(address)) return isNonPublicV4(v4ToInt(address));
  const zone = address.indexOf("%");
  const bare = zone === -1 ? address : address.slice(0, zone);
  if (isIPv6(bare)) return isNonPublicV6(bare.toLowerCase());
  return true;
}
