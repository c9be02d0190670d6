// The one mapping between the v2 wire `SandboxPolicy` (protocol/v2/shared.ts, 0.169's shape) and the
// sandbox layer's `SandboxPolicy` (server/sandbox/sandboxPolicy.ts), plus the policies that config.toml
// (`sandbox_mode` + `[sandbox_workspace_write]`) and thread/start's `sandbox` mode stand for.
// command/exec, thread/start and turn/start all go through here, so a policy means the same thing
// wherever it arrives.
//
// Invariants:
//  - Pure: no filesystem access. Writable roots must be absolute; a relative one is refused with an
//    error that names it (0.169 answers "AbsolutePathBuf deserialized without a base path", which
//    does not say which value is wrong). Roots are normalised lexically (`a/../b`, trailing `/`);
//    canonicalisation (symlinks) is the launcher's job, against the real filesystem.
//  - The domain value is complete: every optional wire field is filled with the wire default, so
//    later code never has to know the defaults.
//  - toWire emits exactly the 0.169 fields, always present: `access`/`readOnlyAccess` (accepted on
//    input from older peers) are not part of 0.169's schema and are never sent.
import { posix } from "node:path";
import type { SandboxPolicy as WireSandboxPolicy } from "../../../protocol/v2/shared.js";
import type { ReadOnlyAccess, SandboxMode, SandboxPolicy } from "../../sandbox/sandboxPolicy.js";
import type { EffectiveConfig } from "../config/effective.js";
import { DomainError } from "../errors.js";

/**
 * A policy that cannot be used as given; the command or thread was not started. The reference
 * refuses such a policy while reading the params, hence the kind.
 */
export class SandboxPolicyInputError extends DomainError {
  override readonly name = "SandboxPolicyInputError";
  readonly kind = "malformedParams";
}

/** The 0.169 wire shape, plus the pre-0.169 read-access fields some clients still send. */
export type WireSandboxPolicyInput =
  | WireSandboxPolicy
  | (Extract<WireSandboxPolicy, { type: "readOnly" }> & { access?: WireReadOnlyAccess | null })
  | (Extract<WireSandboxPolicy, { type: "workspaceWrite" }> & { readOnlyAccess?: WireReadOnlyAccess | null });

export type WireReadOnlyAccess =
  { type: "fullAccess" } | { type: "restricted"; includePlatformDefaults?: boolean | null; readableRoots?: readonly string[] | null };

/** The settings sandboxPolicyFromConfig/FromMode read; a whole EffectiveConfig fits. */
export type SandboxConfig = Pick<EffectiveConfig, "sandboxMode" | "sandboxWorkspaceWrite">;

function absoluteRoot(value: string, where: string): string {
  if (!posix.isAbsolute(value)) {
    throw new SandboxPolicyInputError(`${where}: ${JSON.stringify(value)} is not an absolute path (writable and readable roots must be absolute)`);
  }
  const normal = posix.normalize(value);
  return normal.length > 1 && normal.endsWith("/") ? normal.slice(0, -1) : normal;
}

function roots(values: readonly string[] | null | undefined, where: string): string[] {
  return (values ?? []).map((v, i) => absoluteRoot(v, `${where}[${i}]`));
}

function readOnlyAccessFromWire(access: WireReadOnlyAccess | null | undefined, where: string): ReadOnlyAccess | undefined {
  if (access === null || access === undefined) return undefined;
  if (access.type === "fullAccess") return { type: "fullAccess" };
  return {
    type: "restricted",
    includePlatformDefaults: access.includePlatformDefaults ?? true,
    readableRoots: roots(access.readableRoots, `${where}.readableRoots`),
  };
}

/** Wire → domain. Throws SandboxPolicyInputError for relative roots. */
export function sandboxPolicyFromWire(wire: WireSandboxPolicyInput): SandboxPolicy {
  switch (wire.type) {
    case "dangerFullAccess":
      return { type: "dangerFullAccess" };
    case "readOnly": {
      const access = "access" in wire ? readOnlyAccessFromWire(wire.access, "sandboxPolicy.access") : undefined;
      return { type: "readOnly", networkAccess: wire.networkAccess ?? false, ...(access ? { access } : {}) };
    }
    case "workspaceWrite": {
      const readOnlyAccess = "readOnlyAccess" in wire ? readOnlyAccessFromWire(wire.readOnlyAccess, "sandboxPolicy.readOnlyAccess") : undefined;
      return {
        type: "workspaceWrite",
        writableRoots: roots(wire.writableRoots, "sandboxPolicy.writableRoots"),
        networkAccess: wire.networkAccess ?? false,
        excludeTmpdirEnvVar: wire.excludeTmpdirEnvVar ?? false,
        excludeSlashTmp: wire.excludeSlashTmp ?? false,
        ...(readOnlyAccess ? { readOnlyAccess } : {}),
      };
    }
    case "externalSandbox":
      return { type: "externalSandbox", networkAccess: wire.networkAccess ?? "restricted" };
  }
}

/** Domain → wire, 0.169's fields only, all present. */
export function sandboxPolicyToWire(policy: SandboxPolicy): WireSandboxPolicy {
  switch (policy.type) {
    case "dangerFullAccess":
      return { type: "dangerFullAccess" };
    case "readOnly":
      return { type: "readOnly", networkAccess: policy.networkAccess ?? false };
    case "workspaceWrite":
      return {
        type: "workspaceWrite",
        writableRoots: [...(policy.writableRoots ?? [])],
        networkAccess: policy.networkAccess ?? false,
        excludeTmpdirEnvVar: policy.excludeTmpdirEnvVar ?? false,
        excludeSlashTmp: policy.excludeSlashTmp ?? false,
      };
    case "externalSandbox":
      return { type: "externalSandbox", networkAccess: policy.networkAccess ?? "restricted" };
  }
}

/**
 * The policy a `sandbox` mode stands for (thread/start's `sandbox`, `sandbox_mode`, `--sandbox`).
 * Only workspace-write reads `[sandbox_workspace_write]`, as the reference does.
 */
export function sandboxPolicyFromMode(mode: SandboxMode, effective: SandboxConfig): SandboxPolicy {
  switch (mode) {
    case "read-only":
      return { type: "readOnly", networkAccess: false };
    case "danger-full-access":
      return { type: "dangerFullAccess" };
    case "workspace-write": {
      const ww = effective.sandboxWorkspaceWrite;
      return {
        type: "workspaceWrite",
        writableRoots: roots(ww.writableRoots, "config sandbox_workspace_write.writable_roots"),
        networkAccess: ww.networkAccess,
        excludeTmpdirEnvVar: ww.excludeTmpdirEnvVar,
        excludeSlashTmp: ww.excludeSlashTmp,
      };
    }
  }
}

/** The configured default: `sandbox_mode` (read-only unless set) with `[sandbox_workspace_write]`. */
export function sandboxPolicyFromConfig(effective: SandboxConfig): SandboxPolicy {
  return sandboxPolicyFromMode(effective.sandboxMode, effective);
}
