// Managed networking settings: whether sandboxed commands whose policy
// enables network reach it only through the daemon's approving proxy, and with which policy.
// Pure: reads the merged config.toml table and requirements.toml's `[experimental_network]`.
//
// Keys read, in 0.169.0's spelling (checked against the 0.169 binary's config structs):
//   config.toml
//     [features] network_proxy = true | { enabled, mode, domains, allow_local_binding, … }
//     default_permissions = "<name>" with [permissions.<name>.network] { enabled, mode, domains,
//       allow_local_binding, … } (its `enabled` opens the sandbox's network, as
//       `sandbox_mode = "workspace-write"` + `[sandbox_workspace_write] network_access = true` does)
//     `domains` is a table `{ "<pattern>" = "allow" | "deny" }`. The legacy lists `allowed_domains` /
//     `denied_domains` are read in the same tables (Gatehouse only; 0.169 knows them in requirements).
//   requirements.toml
//     [experimental_network] { enabled, allow_local_binding, domains, allowed_domains,
//       denied_domains, managed_allowed_domains_only }
//   Gatehouse only: network_approval_timeout_ms (default 120 000; absent or 0 means the default).
// Keys 0.169 has and Gatehouse ignores: proxy_url, socks_url, enable_socks5(_udp), allow_upstream_proxy,
// dangerously_allow_*, unix_sockets, mitm, credential_broker, credentials, http_port, socks_port,
// review_domains, header_injections.
//
// Decisions (said again in README / the report):
//  - On when the `network_proxy` feature is on, or requirements.toml has `[experimental_network]`
//    (without `enabled = false`). 0.169 decides from config's own sandbox policy; Gatehouse applies it
//    to every sandboxed command whose policy enables network, whatever set that policy, so a
//    thread/start override cannot get around the proxy.
//  - Prompts only when requirements.toml has `[experimental_network]`, as 0.169 (which does not
//    start the approval flow without managed network requirements). Without it, a target that no
//    list allows is denied and the denial reported.
//  - `domains` combined with `allowed_domains`/`denied_domains` in one table is refused, as 0.169
//    refuses it in requirements; 0.169 then fails to load, Gatehouse fails closed (`refused`: every
//    target denied) and warns.
//  - allow_local_binding defaults to false; requirements can forbid it (false) but not force it on.
//  - The lists are unions over the tables; `managed_allowed_domains_only = true` keeps only the
//    requirements' allow entries. Deny entries from any table always apply.
import type { NetworkMode, NetworkPolicy } from "../../sandbox/networkProxy/index.js";
import { isPlainObject, type JsonObject, type JsonValue } from "./json.js";
import type { ConfigWarningNotification } from "./types.js";

/** The proxy's policy as config gives it (rules files' hosts are added by the network service), plus how to ask. */
export interface ManagedNetworkSettings extends NetworkPolicy {
  /** Whether a target no list decides may be asked about (requirements present, as 0.169). */
  readonly prompts: boolean;
  /** ms a network prompt may wait before the target is denied. */
  readonly approvalTimeoutMs: number;
  /** Why the settings could not be read; when set, every target is denied. */
  readonly refused: string | null;
  /** Whether config alone opens the sandbox's network (informational: the command's policy decides). */
  readonly networkEnabledByConfig: boolean;
}

export const DEFAULT_NETWORK_APPROVAL_TIMEOUT_MS = 120_000;
export const COMBINED_DOMAINS_MESSAGE = "`domains` cannot be combined with legacy `allowed_domains` or `denied_domains`";

interface TableLists {
  readonly allow: string[];
  readonly deny: string[];
  readonly refused: string | null;
}

function strings(v: JsonValue | undefined): string[] | null {
  return Array.isArray(v) && v.every((x) => typeof x === "string") ? (v as string[]) : null;
}

/** One table's allow/deny entries, in either form; `where` names it in messages. */
function listsOf(table: JsonObject, where: string): TableLists {
  const allow: string[] = [];
  const deny: string[] = [];
  const hasLegacy = table["allowed_domains"] !== undefined || table["denied_domains"] !== undefined;
  const domains = table["domains"];
  if (domains !== undefined && hasLegacy) return { allow, deny, refused: `${COMBINED_DOMAINS_MESSAGE} in ${where}` };
  if (domains !== undefined) {
    if (!isPlainObject(domains)) return { allow, deny, refused: `${where}.domains must be a table of "<host pattern>" = "allow" | "deny"` };
    for (const [pattern, action] of Object.entries(domains)) {
      if (action === "allow") allow.push(pattern);
      else if (action === "deny") deny.push(pattern);
      else return { allow, deny, refused: `${where}.domains.${JSON.stringify(pattern)} must be "allow" or "deny", not ${JSON.stringify(action)}` };
    }
  }
  for (const [key, into] of [
    ["allowed_domains", allow],
    ["denied_domains", deny],
  ] as const) {
    const v = table[key];
    if (v === undefined) continue;
    const list = strings(v);
    if (list === null) return { allow, deny, refused: `${where}.${key} must be a list of host patterns` };
    into.push(...list);
  }
  return { allow, deny, refused: null };
}

export interface ManagedNetworkInputs {
  /** The merged config.toml table (profile applied). */
  readonly merged: JsonObject;
  /** Effective `network_proxy` feature state (requirements' feature pins applied). */
  readonly featureEnabled: boolean;
  /** requirements.toml's `[experimental_network]` table, or undefined. */
  readonly requirementsNetwork: unknown;
}

export function readManagedNetwork(input: ManagedNetworkInputs): { settings: ManagedNetworkSettings | null; warnings: ConfigWarningNotification[] } {
  const m = input.merged;
  const warnings: ConfigWarningNotification[] = [];
  const table = (v: JsonValue | undefined): JsonObject | null => (isPlainObject(v) ? v : null);

  const req = isPlainObject(input.requirementsNetwork as JsonValue) ? (input.requirementsNetwork as JsonObject) : null;
  const requirementsOn = req !== null && req["enabled"] !== false;
  if (!input.featureEnabled && !requirementsOn) return { settings: null, warnings };

  const feature = table(table(m["features"])?.["network_proxy"]);
  const profileName = typeof m["default_permissions"] === "string" ? m["default_permissions"] : null;
  const profileNetwork = profileName !== null ? table(table(table(m["permissions"])?.[profileName])?.["network"]) : null;

  // Lowest precedence first: the profile, then the feature table (0.169 applies the feature's
  // settings over the profile's), then the requirements.
  const sources: { table: JsonObject; where: string; managed: boolean }[] = [];
  if (profileNetwork) sources.push({ table: profileNetwork, where: `config.toml [permissions.${profileName}.network]`, managed: false });
  if (feature) sources.push({ table: feature, where: "config.toml [features.network_proxy]", managed: false });
  if (req && requirementsOn) sources.push({ table: req, where: "requirements.toml [experimental_network]", managed: true });

  let mode: NetworkMode = "full";
  let localBinding: boolean | null = null;
  const allow: string[] = [];
  const managedAllow: string[] = [];
  const deny: string[] = [];
  let refused: string | null = null;
  for (const s of sources) {
    const lists = listsOf(s.table, s.where);
    refused ??= lists.refused;
    (s.managed ? managedAllow : allow).push(...lists.allow);
    deny.push(...lists.deny);
    const md = s.table["mode"];
    if (md === "limited" || md === "full") mode = md;
    else if (md !== undefined) refused ??= `${s.where}.mode must be "limited" or "full", not ${JSON.stringify(md)}`;
    if (!s.managed && typeof s.table["allow_local_binding"] === "boolean") localBinding = s.table["allow_local_binding"];
  }
  // Requirements cap local binding; they supply it only where config says nothing.
  const reqLocal = req && requirementsOn && typeof req["allow_local_binding"] === "boolean" ? req["allow_local_binding"] : null;
  const allowLocalBinding = (localBinding ?? reqLocal ?? false) && reqLocal !== false;
  const managedOnly = req !== null && requirementsOn && req["managed_allowed_domains_only"] === true;

  const sww = table(m["sandbox_workspace_write"]);
  const networkEnabledByConfig = (m["sandbox_mode"] === "workspace-write" && sww?.["network_access"] === true) || profileNetwork?.["enabled"] === true;

  const t = m["network_approval_timeout_ms"];
  const approvalTimeoutMs = typeof t === "number" && Number.isInteger(t) && t > 0 ? t : DEFAULT_NETWORK_APPROVAL_TIMEOUT_MS;

  if (refused !== null) {
    warnings.push({ summary: "Managed network settings refused; every network target is denied.", details: refused });
  }
  const unique = (xs: readonly string[]): string[] => [...new Set(xs)];
  return {
    settings: {
      mode,
      allowedDomains: refused !== null ? [] : unique(managedOnly ? managedAllow : [...allow, ...managedAllow]),
      deniedDomains: refused !== null ? [] : unique(deny),
      allowLocalBinding: refused !== null ? false : allowLocalBinding,
      prompts: refused === null && requirementsOn,
      approvalTimeoutMs,
      refused,
      networkEnabledByConfig,
    },
    warnings,
  };
}
