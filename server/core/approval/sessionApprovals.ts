// "For the session" approvals, one cache per loaded thread (in memory, across turns, gone with the
// thread). Keys are tagged so that commands, canonical paths and network targets sit side by side:
//   command  — the argv as run (after `bash -lc` unwrapping is irrelevant: the exact argv is the key);
//   path     — a canonical absolute path (resolved, `..` collapsed, symlinks resolved);
//   network  — (host lowercased, protocol, port): another port or protocol asks again.
// A command entry remembers the execution mode it was approved with, so a cached approval reuses
// exactly that bounded sandbox and never a wider one.
import path from "node:path";
import { PROTECTED_NAMES } from "../../sandbox/protectedSubpaths.js";
import { NO_PERMISSIONS, union, type GrantScope, type PermissionSet } from "./permissions.js";

export type ExecutionMode = "turnDefault" | "unsandboxed";

export type ApprovalKey =
  | { readonly kind: "command"; readonly argv: readonly string[] }
  | { readonly kind: "path"; readonly path: string }
  | { readonly kind: "network"; readonly host: string; readonly protocol: "http" | "https" | "socks5-tcp" | "socks5-udp"; readonly port: number };

export function keyString(key: ApprovalKey): string {
  switch (key.kind) {
    case "command":
      return `command:${JSON.stringify(key.argv)}`;
    case "path":
      return `path:${key.path}`;
    case "network":
      return `network:${key.protocol}:${key.host.toLowerCase()}:${key.port}`;
  }
}

export class SessionApprovals {
  private readonly approved = new Map<string, ExecutionMode | true>();
  private readonly denied = new Set<string>();

  approve(key: ApprovalKey, mode: ExecutionMode = "turnDefault"): void {
    const k = keyString(key);
    this.approved.set(k, key.kind === "command" ? mode : true);
    this.denied.delete(k);
  }

  deny(key: ApprovalKey): void {
    const k = keyString(key);
    this.denied.add(k);
    this.approved.delete(k);
  }

  isDenied(key: ApprovalKey): boolean {
    return this.denied.has(keyString(key));
  }

  /** The mode a command was approved with, or null. */
  commandMode(argv: readonly string[]): ExecutionMode | null {
    const v = this.approved.get(keyString({ kind: "command", argv }));
    return v === undefined || v === true ? null : v;
  }

  /** Requested permissions granted for the session, and for the current turn only (one turn runs at a time). */
  private sessionPermissions: PermissionSet = NO_PERMISSIONS;
  private turnPermissions: { readonly turnId: string; readonly set: PermissionSet } | null = null;

  grantPermissions(scope: GrantScope, turnId: string, set: PermissionSet): void {
    if (scope === "session") this.sessionPermissions = union(this.sessionPermissions, set);
    else this.turnPermissions = { turnId, set: union(this.turnPermissions?.turnId === turnId ? this.turnPermissions.set : NO_PERMISSIONS, set) };
  }

  /** What a sandboxed command of this turn gets on top of the turn's sandbox. */
  permissionsFor(turnId: string): PermissionSet {
    return union(this.sessionPermissions, this.turnPermissions?.turnId === turnId ? this.turnPermissions.set : NO_PERMISSIONS);
  }

  has(key: ApprovalKey): boolean {
    return this.approved.has(keyString(key));
  }

  /** Every path approved (canonical paths expected). */
  coversPaths(paths: readonly string[]): boolean {
    return paths.length > 0 && paths.every((p) => this.has({ kind: "path", path: p }));
  }
}

const caches = new WeakMap<object, SessionApprovals>();

/** The thread's cache; keyed by the thread object so it goes when the thread is unloaded. */
export function sessionApprovalsFor(thread: object): SessionApprovals {
  let c = caches.get(thread);
  if (!c) {
    c = new SessionApprovals();
    caches.set(thread, c);
  }
  return c;
}

/** The sandbox's protected names plus the daemon's home folder name. */
const PROTECTED = new Set<string>([...PROTECTED_NAMES, ".gatehouse"]);

/** Paths a session approval must never cover (the sandbox's protected subpaths), at any depth. */
export function isProtectedPath(p: string): boolean {
  return p.split(path.sep).some((part) => PROTECTED.has(part));
}
