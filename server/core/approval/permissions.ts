// Requested permissions (0.169's request_permissions flow): the model asks for extra sandbox
// permissions (folders to read or write, the network) for later commands; the client grants a subset
// for the turn or the session. A command run afterwards stays in the turn's sandbox plus exactly the
// granted additions: the "permissions" execution mode. Pure functions here; the gate owns the asking
// and the stores.
import path from "node:path";
import type { PermissionsRequestApprovalParams } from "../../../protocol/v2/index.js";
import { isSplitPolicy, toSplitPolicy, type FileSystemSandboxEntry, type SplitSandboxPolicy } from "../../sandbox/splitSandboxPolicy.js";
import type { SandboxPolicy } from "../../sandbox/sandboxPolicy.js";

/** Absolute, normalised paths; network true only when asked or granted. Empty means nothing. */
export interface PermissionSet {
  readonly read: readonly string[];
  readonly write: readonly string[];
  readonly network: boolean;
}

export type GrantScope = "turn" | "session";

export const NO_PERMISSIONS: PermissionSet = { read: [], write: [], network: false };

export function isEmpty(p: PermissionSet): boolean {
  return p.read.length === 0 && p.write.length === 0 && !p.network;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string" && x !== "") : [];
}

const absolute = (cwd: string) => (p: string) => path.resolve(cwd, p);

/** The model's `permissions` argument (snake_case `file_system`), relative paths against the cwd. */
export function parseRequested(args: unknown, cwd: string): PermissionSet | string {
  if (typeof args !== "object" || args === null || Array.isArray(args)) return "failed to parse function arguments: `permissions` must be an object";
  const a = args as Record<string, unknown>;
  const fs = (a["file_system"] ?? {}) as Record<string, unknown>;
  const net = (a["network"] ?? {}) as Record<string, unknown>;
  return { read: strings(fs["read"]).map(absolute(cwd)), write: strings(fs["write"]).map(absolute(cwd)), network: net["enabled"] === true };
}

/** The request's `permissions` as 0.169 sends them: legacy read/write lists beside `entries`. */
export function requestWire(p: PermissionSet): PermissionsRequestApprovalParams["permissions"] {
  const entries = [
    ...p.read.map((x) => ({ path: { type: "path" as const, path: x }, access: "read" as const })),
    ...p.write.map((x) => ({ path: { type: "path" as const, path: x }, access: "write" as const })),
  ];
  return {
    network: p.network ? { enabled: true } : null,
    fileSystem: entries.length === 0 ? null : { read: p.read.length ? [...p.read] : null, write: p.write.length ? [...p.write] : null, entries },
  };
}

const within = (root: string, p: string): boolean => p === root || p.startsWith(root.endsWith("/") ? root : `${root}/`);

/**
 * What the client granted, bounded by what was asked: a granted path counts only inside a requested
 * one (a client cannot widen the request), and write implies read. Unreadable parts grant nothing.
 */
export function parseGranted(result: unknown, requested: PermissionSet, cwd: string): { permissions: PermissionSet; scope: GrantScope } {
  const r = (typeof result === "object" && result !== null ? result : {}) as Record<string, unknown>;
  const perms = (typeof r["permissions"] === "object" && r["permissions"] !== null ? r["permissions"] : {}) as Record<string, unknown>;
  const fs = (typeof perms["fileSystem"] === "object" && perms["fileSystem"] !== null ? perms["fileSystem"] : {}) as Record<string, unknown>;
  const entries = Array.isArray(fs["entries"]) ? (fs["entries"] as Array<{ path?: { type?: unknown; path?: unknown }; access?: unknown }>) : [];
  const fromEntries = (access: string) =>
    entries.filter((e) => e.access === access && e.path?.type === "path" && typeof e.path.path === "string").map((e) => e.path?.path as string);
  const write = [...new Set([...strings(fs["write"]), ...fromEntries("write")].map(absolute(cwd)))].filter((p) => requested.write.some((w) => within(w, p)));
  const read = [...new Set([...strings(fs["read"]), ...fromEntries("read")].map(absolute(cwd)))].filter(
    (p) => [...requested.read, ...requested.write].some((q) => within(q, p)) && !write.includes(p),
  );
  const network = requested.network && (perms["network"] as { enabled?: unknown } | null | undefined)?.enabled === true;
  return { permissions: { read, write, network }, scope: r["scope"] === "session" ? "session" : "turn" };
}

/** What the model reads back, in 0.169's shape (snake_case, nulls for nothing granted). */
export function grantOutput(p: PermissionSet, scope: GrantScope): string {
  const fs = p.read.length || p.write.length ? { ...(p.read.length ? { read: p.read } : {}), ...(p.write.length ? { write: p.write } : {}) } : null;
  return JSON.stringify({ permissions: { network: p.network ? { enabled: true } : null, file_system: fs }, scope });
}

export function union(a: PermissionSet, b: PermissionSet): PermissionSet {
  if (isEmpty(a)) return b;
  if (isEmpty(b)) return a;
  return { read: [...new Set([...a.read, ...b.read])], write: [...new Set([...a.write, ...b.write])], network: a.network || b.network };
}

/** The turn's sandbox plus exactly the granted additions; a policy with no filesystem limits keeps none. */
export function withPermissions(policy: SandboxPolicy | SplitSandboxPolicy, add: PermissionSet): SandboxPolicy | SplitSandboxPolicy {
  if (isEmpty(add)) return policy;
  const split = isSplitPolicy(policy) ? policy : toSplitPolicy(policy);
  const extra: FileSystemSandboxEntry[] = [
    ...add.read.map((p) => ({ path: { type: "path" as const, path: p }, access: "read" as const })),
    ...add.write.map((p) => ({ path: { type: "path" as const, path: p }, access: "write" as const })),
  ];
  return {
    ...split,
    fileSystem: split.fileSystem.kind === "restricted" ? { ...split.fileSystem, entries: [...split.fileSystem.entries, ...extra] } : split.fileSystem,
    network: add.network ? "enabled" : split.network,
    label: `${split.label} + requested permissions`,
  };
}
