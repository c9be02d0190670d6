// `SandboxPolicy`: the legacy v2 wire shape (tag `type`, camelCase fields, every field but `type`
// optional with the wire's defaults), mirrored field for field so that the mapping from the wire
// (core/commandSetup/sandboxFromWire.ts) is trivial. Launchers never read it directly: toSplitPolicy
// (splitSandboxPolicy.ts) turns it into the one form they consume.
export type NetworkAccess = "restricted" | "enabled";

export type ReadOnlyAccess =
  | { readonly type: "fullAccess" }
  | {
      readonly type: "restricted";
      readonly includePlatformDefaults?: boolean;
      readonly readableRoots?: readonly string[];
    };

export type SandboxPolicy =
  | { readonly type: "dangerFullAccess" }
  | { readonly type: "readOnly"; readonly networkAccess?: boolean; readonly access?: ReadOnlyAccess }
  | {
      readonly type: "workspaceWrite";
      readonly writableRoots?: readonly string[];
      readonly networkAccess?: boolean;
      readonly excludeTmpdirEnvVar?: boolean;
      readonly excludeSlashTmp?: boolean;
      readonly readOnlyAccess?: ReadOnlyAccess;
    }
  | { readonly type: "externalSandbox"; readonly networkAccess?: NetworkAccess };

/** `sandbox_mode` in config.toml and `--sandbox` on the CLI. */
export type SandboxMode = "read-only" | "workspace-write" | "danger-full-access";

export function policyLabel(policy: SandboxPolicy): string {
  switch (policy.type) {
    case "dangerFullAccess":
      return "danger-full-access";
    case "readOnly":
      return "read-only";
    case "workspaceWrite":
      return "workspace-write";
    case "externalSandbox":
      return "external-sandbox";
  }
}
